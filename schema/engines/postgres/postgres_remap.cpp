// -REMAP-SCHEMA for PostgreSQL DDL (schema/engines/remap.h): names folded and quoted as
// PostgreSQL does, dollar-quoted bodies remapped as SQL.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/lexer.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/remap.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::TokenKind;

// PostgreSQL's reserved key words (its documentation's appendix "SQL Key Words"): a schema
// named so must be quoted.
constexpr std::array<std::string_view, 77> kReserved = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
    "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
    "current_date", "current_role", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
    "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on",
    "only", "or", "order", "placing", "primary", "references", "returning", "select",
    "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
    "unique", "user", "using", "variadic", "when", "where", "window", "with"};

// The name as quote_ident() would print it: bare when it is a plain lower-case identifier.
std::string quote_ident(std::string_view name) {
  const bool plain =
      !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
      std::all_of(name.begin(), name.end(),
                  [](char c) {
                    return std::islower(static_cast<unsigned char>(c)) ||
                           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                  }) &&
      std::find(kReserved.begin(), kReserved.end(), name) == kReserved.end();
  if (plain) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

// The identifier a word or quoted name spells: a bare word folded to lower case, a quoted one
// without its quotes.
std::string identifier_of(std::string_view text, TokenKind kind) {
  if (kind == TokenKind::kWord) return to_lower(text);
  std::string name;
  for (std::size_t char_idx = 1; char_idx + 1 < text.size(); ++char_idx) {
    name += text[char_idx];
    if (text[char_idx] == '"') ++char_idx;  // "" is one quote
  }
  return name;
}

}  // namespace

std::string PostgresDialect::remap_schema_sql(std::string_view sql, std::string_view from,
                                              std::string_view to) const {
  const std::string old_name(from);
  return remap_schema({.rules = split_detail::postgres_lex_rules(),
                       .names_from = [old_name](std::string_view text, TokenKind kind) {
                         return identifier_of(text, kind) == old_name;
                       },
                       .to = quote_ident(to),
                       .string_prefixes = {old_name + ".", quote_ident(old_name) + "."}},
                      sql);
}

}  // namespace bru::schema::dialects

// -REMAP-SCHEMA for PostgreSQL DDL: every name in one schema named in another, read with the
// lexer the splitter and the archive checks use, so quotes, comments and dollar-quoted bodies
// are read the way the server reads them.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/lexer.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::Lexer;
using split_detail::Token;
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

class Remapper {
 public:
  Remapper(std::string_view from, std::string_view to) : from_(from), to_(quote_ident(to)) {}

  std::string run(std::string_view sql) const {
    Lexer lexer(split_detail::postgres_lex_rules(), sql, "archive", 1);
    std::vector<Token> tokens;
    while (!lexer.at_end()) tokens.push_back(lexer.next());
    std::string out;
    std::size_t copied = 0;
    auto replace = [&](const Token& token, const std::string& text) {
      out.append(sql.substr(copied, token.begin - copied));
      out += text;
      copied = token.end;
    };
    for (std::size_t token_idx = 0; token_idx < tokens.size(); ++token_idx) {
      const Token& token = tokens[token_idx];
      const auto text = sql.substr(token.begin, token.end - token.begin);
      if (token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedName) {
        if (identifier_of(text, token.kind) != from_) continue;
        const auto before = significant(sql, tokens, token_idx, -1);
        const auto after = significant(sql, tokens, token_idx, +1);
        const bool qualifies = after == ".";
        const bool after_schema = equals_ignoring_case(before, "SCHEMA");
        if ((qualifies || after_schema) && before != ".") replace(token, to_);
      } else if (token.kind == TokenKind::kString) {
        if (auto remapped = remap_string(text)) replace(token, *remapped);
      }
    }
    out.append(sql.substr(copied));
    return out;
  }

 private:
  // The text of the nearest token before (step -1) or after (+1) that is not blank or comment.
  static std::string_view significant(std::string_view sql, const std::vector<Token>& tokens,
                                      std::size_t token_idx, int step) {
    for (auto idx = static_cast<long>(token_idx) + step;
         idx >= 0 && idx < static_cast<long>(tokens.size()); idx += step) {
      const Token& token = tokens[static_cast<std::size_t>(idx)];
      if (token.kind == TokenKind::kSpace || token.kind == TokenKind::kNewline ||
          token.kind == TokenKind::kComment) {
        continue;
      }
      return sql.substr(token.begin, token.end - token.begin);
    }
    return {};
  }

  // A dollar-quoted body (a function's) remapped as SQL; a plain literal that starts with a
  // name in the schema ('shop.film_id_seq', a regclass) with it renamed; nullopt otherwise.
  std::optional<std::string> remap_string(std::string_view text) const {
    if (text.size() >= 2 && text[0] == '$') {
      const auto tag_end = text.find('$', 1);
      const auto tag = text.substr(0, tag_end + 1);
      const auto body = text.substr(tag.size(), text.size() - 2 * tag.size());
      std::string remapped;
      try {
        remapped = run(body);
      } catch (const Error&) {
        return std::nullopt;  // a body in another language (plpython, ...): kept as it is
      }
      return std::string(tag) + remapped + std::string(tag);
    }
    if (text.size() < 2 || text[0] != '\'') return std::nullopt;
    for (const std::string& prefix : {std::string(from_) + ".", quote_ident(from_) + "."}) {
      if (text.substr(1, prefix.size()) != prefix) continue;
      std::string renamed;
      for (char c : to_) {
        renamed += c;
        if (c == '\'') renamed += '\'';
      }
      return "'" + renamed + "." + std::string(text.substr(1 + prefix.size()));
    }
    return std::nullopt;
  }

  std::string from_;
  std::string to_;
};

}  // namespace

std::string PostgresDialect::remap_schema_sql(std::string_view sql, std::string_view from,
                                              std::string_view to) const {
  return Remapper(from, to).run(sql);
}

}  // namespace bru::schema::dialects

// -REMAP-SCHEMA for SQL Server DDL: table definitions, modules (views, procedures, functions,
// triggers) as sys.sql_modules keeps them, identity positions (DBCC CHECKIDENT (N'[s].[t]', ...)).
#include "schema/engines/lexer.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/engines/remap.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::TokenKind;

// The identifier a word, [bracketed] or "quoted" name spells (a doubled closing quote is one).
std::string identifier_of(std::string_view text, TokenKind kind) {
  if (kind == TokenKind::kWord || text.size() < 2) return std::string(text);
  const char close = text.back();
  std::string name;
  for (std::size_t char_idx = 1; char_idx + 1 < text.size(); ++char_idx) {
    name += text[char_idx];
    if (text[char_idx] == close) ++char_idx;
  }
  return name;
}

}  // namespace

std::string MssqlDialect::remap_schema_sql(std::string_view sql, std::string_view from,
                                           std::string_view to) const {
  const std::string old_name(from);
  return remap_schema({.rules = split_detail::mssql_lex_rules(),
                       .names_from = [old_name](std::string_view text, TokenKind kind) {
                         return equals_ignoring_case(identifier_of(text, kind), old_name);
                       },
                       .to = quote_identifier(to),
                       .string_prefixes = {old_name + ".", quote_identifier(old_name) + "."}},
                      sql);
}

}  // namespace bru::schema::dialects

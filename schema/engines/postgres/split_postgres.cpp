// PostgreSQL: statements end at `;`, except inside a BEGIN ATOMIC … END body and inside
// parentheses.
#include "schema/engines/lexer.h"
#include "schema/engines/postgres/postgres.h"

namespace bru::schema::split_detail {
namespace {

// CREATE [OR REPLACE] FUNCTION|PROCEDURE: a SQL-standard body (BEGIN ATOMIC … END) may follow.
HeadVerdict postgres_head(const std::vector<std::string>& words) {
  if (words[0] != "CREATE") return HeadVerdict::kPlain;
  const std::string& last = words.back();
  if (last == "FUNCTION" || last == "PROCEDURE") return HeadVerdict::kBlock;
  if (words.size() == 1) return HeadVerdict::kMore;
  if (words.size() == 2 && last == "OR") return HeadVerdict::kMore;
  if (words.size() == 3 && last == "REPLACE") return HeadVerdict::kMore;
  return HeadVerdict::kPlain;
}

}  // namespace

LexRules postgres_lex_rules() {
  LexRules rules;
  rules.nested_block_comments = true;
  rules.e_strings = true;
  rules.dollar_quotes = true;
  rules.extra_word_chars = "$";
  return rules;
}

std::vector<Statement> split_postgres(std::string_view text, std::string_view file, int line) {
  return SemicolonSplitter(postgres_lex_rules(), postgres_head, true, text, file, line).run();
}

}  // namespace bru::schema::split_detail

namespace bru::schema::dialects {

std::vector<Statement> PostgresDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_postgres(text, file_name, first_line);
}

}  // namespace bru::schema::dialects

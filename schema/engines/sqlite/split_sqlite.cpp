// SQLite: statements end at `;`, except inside a CREATE TRIGGER's BEGIN … END body.
#include "schema/engines/lexer.h"
#include "schema/engines/sqlite/sqlite.h"

namespace bru::schema::split_detail {
namespace {

// CREATE [TEMP|TEMPORARY] TRIGGER: its BEGIN … END body holds `;`s.
HeadVerdict sqlite_head(const std::vector<std::string>& words) {
  if (words[0] != "CREATE") return HeadVerdict::kPlain;
  const std::string& last = words.back();
  if (last == "TRIGGER") return HeadVerdict::kBlock;
  if (words.size() == 1) return HeadVerdict::kMore;
  if (words.size() == 2 && (last == "TEMP" || last == "TEMPORARY")) return HeadVerdict::kMore;
  return HeadVerdict::kPlain;
}

}  // namespace

LexRules sqlite_lex_rules() {
  LexRules rules;
  rules.backticks = true;
  rules.brackets = true;
  rules.extra_word_chars = "$";
  return rules;
}

std::vector<Statement> split_sqlite(std::string_view text, std::string_view file, int line) {
  return SemicolonSplitter(sqlite_lex_rules(), sqlite_head, false, text, file, line).run();
}

}  // namespace bru::schema::split_detail

namespace bru::schema::dialects {

std::vector<Statement> SqliteDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_sqlite(text, file_name, first_line);
}

}  // namespace bru::schema::dialects

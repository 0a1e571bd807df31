// MariaDB: `;` (or the DELIMITER in force) ends a statement; stored program bodies keep their
// `;`s when written without DELIMITER.
#include <fmt/format.h>

#include "schema/engines/lexer.h"
#include "schema/engines/mariadb/mariadb.h"
#include "schema/error.h"

namespace bru::schema::split_detail {
namespace {

// CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT, and
// BEGIN NOT ATOMIC blocks. The definer's user and host may be bare words: up to three are skipped.
HeadVerdict mariadb_head(const std::vector<std::string>& words) {
  if (words[0] == "BEGIN") {
    if (words.size() == 1) return HeadVerdict::kMore;
    return words[1] == "NOT" ? HeadVerdict::kBlock : HeadVerdict::kPlain;
  }
  if (words[0] != "CREATE") return HeadVerdict::kPlain;
  if (words.size() == 1) return HeadVerdict::kMore;
  const std::string& last = words.back();
  if (last == "PROCEDURE" || last == "FUNCTION" || last == "TRIGGER" || last == "EVENT") {
    return HeadVerdict::kBlock;
  }
  std::size_t definer = 0;
  for (std::size_t at = 1; at < words.size(); ++at) {
    if (words[at] == "DEFINER") definer = at;
  }
  if (definer != 0 && words.size() - 1 - definer <= 3) return HeadVerdict::kMore;
  if (last == "OR" || last == "REPLACE" || last == "AGGREGATE" || last == "DEFINER") {
    return words.size() <= 5 ? HeadVerdict::kMore : HeadVerdict::kPlain;
  }
  return HeadVerdict::kPlain;
}

// `DELIMITER <d>` (any case), read between statements. Returns the new delimiter or "" when the
// line is not a DELIMITER command.
std::string_view delimiter_command(std::string_view line, const Lexer& lexer) {
  std::string_view rest = trim(line);
  constexpr std::string_view kCommand = "DELIMITER";
  if (rest.size() < kCommand.size() || to_upper(rest.substr(0, kCommand.size())) != kCommand) {
    return {};
  }
  rest.remove_prefix(kCommand.size());
  if (!rest.empty() && !is_blank(rest[0])) return {};  // a longer word, e.g. delimiters
  rest = trim(rest);
  if (rest.empty()) {
    throw Error(ErrorKind::kScript, fmt::format("{}:{}: DELIMITER without a delimiter",
                                                lexer.file_name(), lexer.line_of(lexer.pos())))
        .with_hint("write DELIMITER $$ before a stored program and DELIMITER ; after it");
  }
  std::size_t end = 0;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  return rest.substr(0, end);
}

class MariadbSplitter : public SemicolonSplitter {
 public:
  MariadbSplitter(const LexRules& rules, std::string_view text, std::string_view file, int line)
      : SemicolonSplitter(rules, mariadb_head, false, text, file, line) {}

 protected:
  // DELIMITER lines count only between statements: a column called `delimiter` at the start of
  // a line inside CREATE TABLE stays a column.
  bool line_start() override {
    if (statement_.started()) return false;
    const std::string_view command = delimiter_command(lexer_.rest_of_line(), lexer_);
    if (command.empty()) return false;
    delimiter_ = command;
    lexer_.set_word_stop(delimiter_ == ";" ? std::string_view() : std::string_view(delimiter_));
    lexer_.skip_line();
    return true;
  }
  bool before_token() override {
    if (delimiter_ == ";" || !lexer_.text().substr(lexer_.pos()).starts_with(delimiter_)) {
      return false;
    }
    end_statement(lexer_.pos());
    lexer_.advance(delimiter_.size());
    return true;
  }
  bool semicolon_terminates() const override { return delimiter_ == ";"; }

 private:
  std::string delimiter_ = ";";
};

}  // namespace

LexRules mariadb_lex_rules() {
  LexRules rules;
  rules.dash_comment_needs_blank = true;
  rules.hash_comments = true;
  rules.exec_comments = true;
  rules.backslash_escapes = true;
  rules.double_quote_is_string = true;
  rules.backticks = true;
  rules.extra_word_chars = "$";
  return rules;
}

std::vector<Statement> split_mariadb(std::string_view text, std::string_view file, int line) {
  return MariadbSplitter(mariadb_lex_rules(), text, file, line).run();
}

}  // namespace bru::schema::split_detail

namespace bru::schema::dialects {

std::vector<Statement> MariadbDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_mariadb(text, file_name, first_line);
}

}  // namespace bru::schema::dialects

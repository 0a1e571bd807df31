// SQL Server: the unit is a batch, ended by a `GO [count] [-- comment]` line.
#include <cctype>
#include <climits>

#include <fmt/format.h>

#include "schema/engines/lexer.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/error.h"

namespace bru::schema::split_detail {
namespace {

// Whether line (a whole line, read between tokens) is a batch separator; its count in repeat.
bool is_go_line(std::string_view line, const Lexer& lexer, std::size_t line_offset, int& repeat) {
  std::size_t at = 0;
  while (at < line.size() && is_blank(line[at])) ++at;
  if (at + 2 > line.size() || (line[at] != 'G' && line[at] != 'g') ||
      (line[at + 1] != 'O' && line[at + 1] != 'o')) {
    return false;
  }
  at += 2;
  std::size_t blanks = 0;
  while (at + blanks < line.size() && is_blank(line[at + blanks])) ++blanks;
  std::string_view count;
  if (blanks > 0 && at + blanks < line.size() &&
      std::isdigit(static_cast<unsigned char>(line[at + blanks])) != 0) {
    at += blanks;
    const std::size_t digits = at;
    while (at < line.size() && std::isdigit(static_cast<unsigned char>(line[at])) != 0) ++at;
    count = line.substr(digits, at - digits);
    while (at < line.size() && is_blank(line[at])) ++at;
  } else {
    at += blanks;
  }
  if (at < line.size() && line.substr(at, 2) != "--") return false;

  repeat = 1;
  if (!count.empty()) {
    long long value = 0;
    for (const char digit : count) {
      value = value * 10 + (digit - '0');
      if (value > INT_MAX) break;
    }
    if (value < 1 || value > INT_MAX) {
      throw Error(ErrorKind::kScript,
                  fmt::format("{}:{}: GO count {} is out of range", lexer.file_name(),
                              lexer.line_of(line_offset), count))
          .with_hint("write GO <n> with n from 1 to 2147483647, or GO alone to run a batch once");
    }
    repeat = static_cast<int>(value);
  }
  return true;
}

class MssqlSplitter : public Splitter {
 public:
  using Splitter::Splitter;

 protected:
  bool line_start() override {
    int repeat = 1;
    if (!is_go_line(lexer_.rest_of_line(), lexer_, lexer_.pos(), repeat)) return false;
    statement_.finish(lexer_.pos(), repeat);
    lexer_.skip_line();
    return true;
  }
  // `;` is part of T-SQL text, but a batch of nothing else is not worth sending.
  void on_punct(const Token& token, char c) override { statement_.add(token, c != ';'); }
};

}  // namespace

LexRules mssql_lex_rules() {
  LexRules rules;
  rules.nested_block_comments = true;
  rules.brackets = true;
  rules.bracket_doubling = true;
  rules.extra_word_chars = "$#@";
  return rules;
}

std::vector<Statement> split_mssql(std::string_view text, std::string_view file, int line) {
  return MssqlSplitter(mssql_lex_rules(), text, file, line).run();
}

}  // namespace bru::schema::split_detail

namespace bru::schema::dialects {

std::vector<Statement> MssqlDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_mssql(text, file_name, first_line);
}

}  // namespace bru::schema::dialects

// Oracle: `;` ends plain statements; PL/SQL units run to a line holding only `/`.
#include "schema/engines/lexer.h"
#include "schema/engines/oracle/oracle.h"

namespace bru::schema::split_detail {
namespace {

enum class Kind { kUndecided, kPlain, kPlsql };

// From the first words: BEGIN/DECLARE blocks and CREATE [OR REPLACE]
// [EDITIONABLE|NONEDITIONABLE] PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE are PL/SQL.
Kind judge(const std::vector<std::string>& words) {
  const std::string& first = words[0];
  if (first == "BEGIN" || first == "DECLARE") return Kind::kPlsql;
  if (first != "CREATE") return Kind::kPlain;
  if (words.size() == 1) return Kind::kUndecided;
  const std::string& last = words.back();
  if (last == "PROCEDURE" || last == "FUNCTION" || last == "PACKAGE" || last == "TRIGGER" ||
      last == "TYPE") {
    return Kind::kPlsql;
  }
  if (last == "OR" && words.size() == 2) return Kind::kUndecided;
  if (last == "REPLACE" && words.size() == 3 && words[1] == "OR") return Kind::kUndecided;
  const bool after_create = words.size() == 2 || (words.size() == 4 && words[1] == "OR");
  if ((last == "EDITIONABLE" || last == "NONEDITIONABLE") && after_create) return Kind::kUndecided;
  return Kind::kPlain;
}

bool is_slash_line(std::string_view line) { return trim(line) == "/"; }

class OracleSplitter : public Splitter {
 public:
  using Splitter::Splitter;

 protected:
  bool line_start() override {
    if (!is_slash_line(lexer_.rest_of_line())) return false;
    end_statement(lexer_.pos());
    lexer_.skip_line();
    return true;
  }
  void on_word(const Token& token, std::string_view word) override {
    statement_.add(token);
    if (kind_ == Kind::kUndecided) {
      head_.push_back(to_upper(word));
      kind_ = judge(head_);
    }
  }
  void on_punct(const Token& token, char c) override {
    if (c == ';' && kind_ != Kind::kPlsql) {
      end_statement(token.begin);
      return;
    }
    on_other(token);
  }
  void on_other(const Token& token) override {
    statement_.add(token);
    if (kind_ == Kind::kUndecided) kind_ = Kind::kPlain;
  }

 private:
  void end_statement(std::size_t terminator) {
    statement_.finish(terminator);
    kind_ = Kind::kUndecided;
    head_.clear();
  }

  Kind kind_ = Kind::kUndecided;
  std::vector<std::string> head_;
};

}  // namespace

LexRules oracle_lex_rules() {
  LexRules rules;
  rules.q_quotes = true;
  rules.extra_word_chars = "$#";
  return rules;
}

std::vector<Statement> split_oracle(std::string_view text, std::string_view file, int line) {
  return OracleSplitter(oracle_lex_rules(), text, file, line).run();
}

}  // namespace bru::schema::split_detail

namespace bru::schema::dialects {

std::vector<Statement> OracleDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_oracle(text, file_name, first_line);
}

}  // namespace bru::schema::dialects

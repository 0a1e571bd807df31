// Internal to the splitters (schema/script/split_*.cpp): a tokenizer configured per dialect, a
// collector that turns token ranges into Statements, and a tracker of BEGIN … END blocks. Not a
// parser: it knows just enough (quotes, comments, words) to find where statements end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schema/statement.h"

namespace bru::schema::split_detail {

enum class TokenKind {
  kSpace,        // blanks, never spanning a line end
  kNewline,      // one '\n'
  kComment,      // -- … / # … (without the line end) or /* … */
  kExecComment,  // MariaDB /*! … */ and /*M! … */: executed by the server, so it is content
  kString,       // '…', E'…', q'[…]', $tag$…$tag$, MariaDB "…"
  kQuotedName,   // "…", […], `…`
  kWord,         // identifier characters (letters, digits, _, dialect extras, UTF-8 bytes)
  kPunct,        // any other single byte
};

struct Token {
  TokenKind kind = TokenKind::kPunct;
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
};

struct LexRules {
  bool nested_block_comments = false;     // PostgreSQL, SQL Server
  bool dash_comment_needs_blank = false;  // MariaDB: "--" is a comment only before a blank
  bool hash_comments = false;             // MariaDB
  bool exec_comments = false;             // MariaDB /*! … */
  bool backslash_escapes = false;         // MariaDB '…' and "…"
  bool double_quote_is_string = false;    // MariaDB (default sql_mode)
  bool e_strings = false;                 // PostgreSQL E'…'
  bool dollar_quotes = false;             // PostgreSQL
  bool q_quotes = false;                  // Oracle q'…' / nq'…'
  bool backticks = false;                 // MariaDB, SQLite
  bool brackets = false;                  // SQL Server, SQLite
  bool bracket_doubling = false;          // SQL Server ]] inside […]
  std::string_view extra_word_chars;      // beyond [A-Za-z0-9_] and bytes >= 0x80
};

// The rules each engine's splitter reads SQL with; also used to check SQL text from an archive
// before a restore runs it (schema/engines/archive_sql.h), so both read it the same way.
LexRules postgres_lex_rules();
LexRules sqlite_lex_rules();
LexRules mariadb_lex_rules();
LexRules oracle_lex_rules();
LexRules mssql_lex_rules();

// Tokenizes normalised (LF) text. Throws bru::Error(kScript) for an unterminated construct.
class Lexer {
 public:
  Lexer(const LexRules& rules, std::string_view text, std::string_view file_name, int first_line);

  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }
  std::string_view text() const { return text_; }
  bool at_line_start() const { return pos_ == 0 || text_[pos_ - 1] == '\n'; }
  // From the current position to the end of its line, without the '\n'.
  std::string_view rest_of_line() const;
  // Moves past the current line and its '\n'.
  void skip_line();
  void advance(std::size_t bytes) { pos_ += bytes; }
  // Words stop before this string (MariaDB: a custom delimiter glued to a word, as in END$$).
  void set_word_stop(std::string_view stop) { word_stop_ = stop; }

  Token next();

  int line_of(std::size_t offset) const;
  int column_of(std::size_t offset) const;
  const std::string& file_name() const { return file_name_; }
  bool is_word_char(unsigned char c) const;

 private:
  Token scan_line_comment();
  Token scan_block_comment();
  Token scan_quoted(TokenKind kind, std::size_t body_start, char close, bool backslash,
                    bool doubling, std::string_view what, std::string_view hint);
  bool try_dollar_quote(Token& token);
  bool try_q_quote(Token& token);
  Token scan_word();
  [[noreturn]] void unterminated(std::size_t begin, std::string_view what,
                                 std::string_view hint) const;

  LexRules rules_;
  std::string_view text_;
  std::string file_name_;
  int first_line_;
  std::vector<std::size_t> line_starts_;
  std::size_t pos_ = 0;
  std::string_view word_stop_;
};

// Gathers the tokens of the statement being read and emits it when its terminator is found.
class StatementCollector {
 public:
  StatementCollector(const Lexer& lexer, std::vector<Statement>& out)
      : lexer_(lexer), out_(out) {}

  // A token that belongs to the statement; the first one starts it. content=false for tokens
  // that alone do not make a statement worth sending (SQL Server `;`).
  void add(const Token& token, bool content = true);
  bool started() const { return started_; }
  // Ends the statement just before end_offset; drops it when it has no content.
  void finish(std::size_t end_offset, int repeat = 1);

 private:
  const Lexer& lexer_;
  std::vector<Statement>& out_;
  bool started_ = false;
  bool has_content_ = false;
  std::size_t begin_ = 0;
};

// Whether a statement, judged by its first words (upper-cased), holds a BEGIN … END body whose
// `;`s do not end it: kMore asks for the next word.
enum class HeadVerdict { kMore, kBlock, kPlain };
using HeadRule = HeadVerdict (*)(const std::vector<std::string>& head_words);

// Counts BEGIN/CASE … END nesting inside statements the head rule marks as blocks. END followed
// by IF, LOOP, WHILE, REPEAT or FOR closes a construct that was not counted, so it is ignored.
class BlockTracker {
 public:
  explicit BlockTracker(HeadRule rule) : rule_(rule) {}
  void word(std::string_view word);
  // Any significant token that is not a word.
  void other();
  // Nesting depth after everything seen so far (an END waiting for its next word counts as done).
  int depth() const { return pending_end_ ? depth_ - 1 : depth_; }
  void reset();

 private:
  void count(const std::string& upper);

  HeadRule rule_;
  std::vector<std::string> head_;
  bool decided_ = false;
  bool block_ = false;
  bool pending_end_ = false;
  int depth_ = 0;
};

// The loop every dialect shares: reads tokens, skips blanks and comments between them, and
// hands the rest to hooks. The default hooks add the token to the statement being read.
class Splitter {
 public:
  Splitter(const LexRules& rules, std::string_view text, std::string_view file, int line)
      : lexer_(rules, text, file, line), statement_(lexer_, out_) {}
  virtual ~Splitter() = default;
  Splitter(const Splitter&) = delete;
  Splitter& operator=(const Splitter&) = delete;

  std::vector<Statement> run();

 protected:
  // At the start of a line, between tokens: true when the hook consumed something.
  virtual bool line_start() { return false; }
  // Before each token: true when the hook consumed something.
  virtual bool before_token() { return false; }
  virtual void on_word(const Token& token, std::string_view word);
  virtual void on_punct(const Token& token, char c);
  // Strings, quoted names, executable comments.
  virtual void on_other(const Token& token);

  Lexer lexer_;
  std::vector<Statement> out_;
  StatementCollector statement_;
};

// `;` ends a statement unless a BEGIN … END body (judged by the head rule) or, when
// parens_hide_semicolons, a parenthesis is open. Words inside parentheses never count as BEGIN,
// CASE or END (psql's rule: RETURNS TABLE (begin int) opens no block). PostgreSQL, SQLite, and
// MariaDB's default delimiter.
class SemicolonSplitter : public Splitter {
 public:
  SemicolonSplitter(const LexRules& rules, HeadRule head, bool parens_hide_semicolons,
                    std::string_view text, std::string_view file, int line)
      : Splitter(rules, text, file, line),
        blocks_(head),
        parens_hide_semicolons_(parens_hide_semicolons) {}

 protected:
  void on_word(const Token& token, std::string_view word) override;
  void on_punct(const Token& token, char c) override;
  void on_other(const Token& token) override;
  // Whether `;` is a terminator at all (MariaDB: not while another DELIMITER is in force).
  virtual bool semicolon_terminates() const { return true; }
  void end_statement(std::size_t terminator);

  BlockTracker blocks_;
  bool parens_hide_semicolons_;
  int paren_depth_ = 0;
};

std::string to_upper(std::string_view word);
bool is_blank(char c);  // space, tab, CR, FF, VT
std::string_view trim(std::string_view text);

// The splitters themselves live with their engines: schema/engines/<engine>/split_<engine>.cpp
// (Dialect::split_script).

}  // namespace bru::schema::split_detail

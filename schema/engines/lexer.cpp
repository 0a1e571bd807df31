#include "schema/engines/lexer.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::schema::split_detail {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size() && (is_blank(text[begin]) || text[begin] == '\n')) ++begin;
  std::size_t end = text.size();
  while (end > begin && (is_blank(text[end - 1]) || text[end - 1] == '\n')) --end;
  return text.substr(begin, end - begin);
}

std::string to_upper(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

Lexer::Lexer(const LexRules& rules, std::string_view text, std::string_view file_name,
             int first_line)
    : rules_(rules), text_(text), file_name_(file_name), first_line_(first_line) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

int Lexer::line_of(std::size_t offset) const {
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return first_line_ + static_cast<int>(after - line_starts_.begin()) - 1;
}

int Lexer::column_of(std::size_t offset) const {
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<int>(offset - *(after - 1)) + 1;
}

std::string_view Lexer::rest_of_line() const {
  const std::size_t end = text_.find('\n', pos_);
  return text_.substr(pos_, (end == std::string_view::npos ? text_.size() : end) - pos_);
}

void Lexer::skip_line() {
  const std::size_t end = text_.find('\n', pos_);
  pos_ = end == std::string_view::npos ? text_.size() : end + 1;
}

bool Lexer::is_word_char(unsigned char c) const {
  return std::isalnum(c) != 0 || c == '_' || c >= 0x80 ||
         rules_.extra_word_chars.find(static_cast<char>(c)) != std::string_view::npos;
}

void Lexer::unterminated(std::size_t begin, std::string_view what, std::string_view hint) const {
  throw Error(ErrorKind::kScript,
              fmt::format("{}:{}: unterminated {} starting here", file_name_, line_of(begin), what))
      .with_hint(std::string(hint));
}

Token Lexer::next() {
  const std::size_t begin = pos_;
  const char c = text_[pos_];
  const char next_char = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';

  if (c == '\n') {
    ++pos_;
    return {TokenKind::kNewline, begin, pos_};
  }
  if (is_blank(c)) {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    return {TokenKind::kSpace, begin, pos_};
  }
  if (c == '-' && next_char == '-') {
    const char after = pos_ + 2 < text_.size() ? text_[pos_ + 2] : ' ';
    if (!rules_.dash_comment_needs_blank || is_blank(after) || after == '\n') {
      return scan_line_comment();
    }
  }
  if (c == '#' && rules_.hash_comments) return scan_line_comment();
  if (c == '/' && next_char == '*') return scan_block_comment();
  if (c == '\'') {
    if (rules_.backslash_escapes) {
      return scan_quoted(TokenKind::kString, pos_ + 1, '\'', true, true, "string literal",
                         "close it with ' (a quote inside it is written '' or \\')");
    }
    return scan_quoted(TokenKind::kString, pos_ + 1, '\'', false, true, "string literal",
                       "close it with ' (a quote inside it is written '')");
  }
  if (c == '"') {
    if (rules_.double_quote_is_string) {
      return scan_quoted(TokenKind::kString, pos_ + 1, '"', rules_.backslash_escapes, true,
                         "string literal",
                         "close it with \" (a quote inside it is written \"\" or \\\")");
    }
    return scan_quoted(TokenKind::kQuotedName, pos_ + 1, '"', false, true, "quoted identifier",
                       "close it with \" (a quote inside it is written \"\")");
  }
  if (c == '`' && rules_.backticks) {
    return scan_quoted(TokenKind::kQuotedName, pos_ + 1, '`', false, true, "backtick identifier",
                       "close it with ` (a ` inside it is written ``)");
  }
  if (c == '[' && rules_.brackets) {
    if (rules_.bracket_doubling) {
      return scan_quoted(TokenKind::kQuotedName, pos_ + 1, ']', false, true,
                         "bracketed identifier", "close it with ] (a ] inside it is written ]])");
    }
    return scan_quoted(TokenKind::kQuotedName, pos_ + 1, ']', false, false,
                       "bracketed identifier", "close it with ]");
  }
  Token token;
  if (c == '$' && rules_.dollar_quotes && try_dollar_quote(token)) return token;
  if (is_word_char(static_cast<unsigned char>(c))) {
    if (rules_.e_strings && (c == 'E' || c == 'e') && next_char == '\'') {
      return scan_quoted(TokenKind::kString, pos_ + 2, '\'', true, true, "escape string",
                         "close it with ' (inside E'...' a quote is written \\' or '')");
    }
    if (rules_.q_quotes && try_q_quote(token)) return token;
    return scan_word();
  }
  ++pos_;
  return {TokenKind::kPunct, begin, pos_};
}

Token Lexer::scan_line_comment() {
  const std::size_t begin = pos_;
  const std::size_t end = text_.find('\n', pos_);
  pos_ = end == std::string_view::npos ? text_.size() : end;
  return {TokenKind::kComment, begin, pos_};
}

Token Lexer::scan_block_comment() {
  const std::size_t begin = pos_;
  const bool exec = rules_.exec_comments &&
                    (text_.substr(pos_, 3) == "/*!" || text_.substr(pos_, 4) == "/*M!");
  pos_ += 2;
  int depth = 1;
  while (pos_ < text_.size()) {
    if (text_[pos_] == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      pos_ += 2;
      if (--depth == 0) return {exec ? TokenKind::kExecComment : TokenKind::kComment, begin, pos_};
    } else if (rules_.nested_block_comments && text_[pos_] == '/' && pos_ + 1 < text_.size() &&
               text_[pos_ + 1] == '*') {
      pos_ += 2;
      ++depth;
    } else {
      ++pos_;
    }
  }
  if (rules_.nested_block_comments) {
    unterminated(begin, "block comment",
                 "close it with */ (comments nest here: each /* inside it needs its own */)");
  }
  unterminated(begin, "block comment", "close it with */");
}

Token Lexer::scan_quoted(TokenKind kind, std::size_t body_start, char close, bool backslash,
                         bool doubling, std::string_view what, std::string_view hint) {
  const std::size_t begin = pos_;
  pos_ = body_start;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (backslash && c == '\\') {
      pos_ += 2;
      continue;
    }
    if (c == close) {
      if (doubling && pos_ + 1 < text_.size() && text_[pos_ + 1] == close) {
        pos_ += 2;
        continue;
      }
      ++pos_;
      return {kind, begin, pos_};
    }
    ++pos_;
  }
  unterminated(begin, what, hint);
}

bool Lexer::try_dollar_quote(Token& token) {
  // $tag$ with tag empty or an identifier that does not start with a digit; a `$` glued to the
  // end of a word (a$b$) never gets here because words swallow `$`.
  const std::size_t begin = pos_;
  std::size_t tag_end = pos_ + 1;
  if (tag_end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[tag_end])) != 0) {
    return false;
  }
  while (tag_end < text_.size() && text_[tag_end] != '$') {
    const auto c = static_cast<unsigned char>(text_[tag_end]);
    if (std::isalnum(c) == 0 && c != '_' && c < 0x80) return false;
    ++tag_end;
  }
  if (tag_end >= text_.size()) return false;
  const std::string_view delimiter = text_.substr(begin, tag_end + 1 - begin);
  const std::size_t close = text_.find(delimiter, tag_end + 1);
  if (close == std::string_view::npos) {
    unterminated(begin, fmt::format("dollar-quoted string {}", delimiter),
                 fmt::format("close it with {}", delimiter));
  }
  pos_ = close + delimiter.size();
  token = {TokenKind::kString, begin, pos_};
  return true;
}

bool Lexer::try_q_quote(Token& token) {
  // q'<d>…<d>' and nq'<d>…<d>', where <d> is [, {, (, < (closed by its partner) or any other
  // character but a blank (closed by itself).
  const std::size_t begin = pos_;
  std::size_t quote = pos_ + 1;
  const char first = text_[pos_];
  if ((first == 'n' || first == 'N') && quote < text_.size() &&
      (text_[quote] == 'q' || text_[quote] == 'Q')) {
    ++quote;
  } else if (first != 'q' && first != 'Q') {
    return false;
  }
  if (quote + 1 >= text_.size() || text_[quote] != '\'') return false;
  const char open = text_[quote + 1];
  if (is_blank(open) || open == '\n') return false;
  char close = open;
  if (open == '[') close = ']';
  if (open == '{') close = '}';
  if (open == '(') close = ')';
  if (open == '<') close = '>';
  for (std::size_t at = quote + 2; at + 1 < text_.size(); ++at) {
    if (text_[at] == close && text_[at + 1] == '\'') {
      pos_ = at + 2;
      token = {TokenKind::kString, begin, pos_};
      return true;
    }
  }
  unterminated(begin, "q-quoted string",
               fmt::format("close it with {}' (the closing delimiter, then a quote)", close));
}

Token Lexer::scan_word() {
  const std::size_t begin = pos_;
  while (pos_ < text_.size() && is_word_char(static_cast<unsigned char>(text_[pos_]))) {
    if (!word_stop_.empty() && pos_ > begin && text_.substr(pos_).starts_with(word_stop_)) break;
    ++pos_;
  }
  return {TokenKind::kWord, begin, pos_};
}

void StatementCollector::add(const Token& token, bool content) {
  if (!started_) {
    started_ = true;
    begin_ = token.begin;
  }
  has_content_ = has_content_ || content;
}

void StatementCollector::finish(std::size_t end_offset, int repeat) {
  if (started_ && has_content_) {
    std::string_view text = lexer_.text().substr(begin_, end_offset - begin_);
    while (!text.empty() && (is_blank(text.back()) || text.back() == '\n')) {
      text.remove_suffix(1);
    }
    out_.push_back(Statement{std::string(text), lexer_.file_name(), lexer_.line_of(begin_),
                             lexer_.column_of(begin_), repeat});
  }
  started_ = false;
  has_content_ = false;
}

void BlockTracker::word(std::string_view word) {
  std::string upper = to_upper(word);
  if (!decided_) {
    head_.push_back(upper);
    const HeadVerdict verdict = rule_(head_);
    if (verdict == HeadVerdict::kMore) return;
    decided_ = true;
    block_ = verdict == HeadVerdict::kBlock;
    if (block_) {
      for (const auto& head_word : head_) count(head_word);
    }
    return;
  }
  if (block_) count(upper);
}

void BlockTracker::other() {
  if (!decided_ && head_.empty()) decided_ = true;  // a statement that does not start with a word
  if (pending_end_) {
    pending_end_ = false;
    --depth_;
  }
}

void BlockTracker::count(const std::string& upper) {
  if (pending_end_) {
    pending_end_ = false;
    if (upper == "IF" || upper == "LOOP" || upper == "WHILE" || upper == "REPEAT" ||
        upper == "FOR") {
      return;
    }
    --depth_;
    if (upper == "CASE") return;  // END CASE closes a CASE statement
  }
  if (upper == "BEGIN" || upper == "CASE") {
    ++depth_;
  } else if (upper == "END" && depth_ > 0) {
    pending_end_ = true;
  }
}

void BlockTracker::reset() {
  head_.clear();
  decided_ = false;
  block_ = false;
  pending_end_ = false;
  depth_ = 0;
}

std::vector<Statement> Splitter::run() {
  while (!lexer_.at_end()) {
    if (lexer_.at_line_start() && line_start()) continue;
    if (before_token()) continue;
    const Token token = lexer_.next();
    switch (token.kind) {
      case TokenKind::kSpace:
      case TokenKind::kNewline:
      case TokenKind::kComment:
        break;
      case TokenKind::kWord:
        on_word(token, lexer_.text().substr(token.begin, token.end - token.begin));
        break;
      case TokenKind::kPunct:
        on_punct(token, lexer_.text()[token.begin]);
        break;
      default:
        on_other(token);
        break;
    }
  }
  statement_.finish(lexer_.text().size());
  return std::move(out_);
}

void Splitter::on_word(const Token& token, std::string_view) { statement_.add(token); }
void Splitter::on_punct(const Token& token, char) { statement_.add(token); }
void Splitter::on_other(const Token& token) { statement_.add(token); }

void SemicolonSplitter::on_word(const Token& token, std::string_view word) {
  statement_.add(token);
  if (paren_depth_ == 0) blocks_.word(word);
}

void SemicolonSplitter::on_punct(const Token& token, char c) {
  blocks_.other();
  const bool hidden = parens_hide_semicolons_ && paren_depth_ > 0;
  if (c == ';' && semicolon_terminates() && !hidden && blocks_.depth() == 0) {
    end_statement(token.begin);
    return;
  }
  if (c == '(') ++paren_depth_;
  if (c == ')' && paren_depth_ > 0) --paren_depth_;
  statement_.add(token);
}

void SemicolonSplitter::on_other(const Token& token) {
  statement_.add(token);
  blocks_.other();
}

void SemicolonSplitter::end_statement(std::size_t terminator) {
  statement_.finish(terminator);
  blocks_.reset();
  paren_depth_ = 0;
}

}  // namespace bru::schema::split_detail

// Property tests of the splitters with random input (fixed seeds, so a failure reproduces).
//
// 1. Generated scripts with a known answer: statements are built from pieces that hide
//    terminators in every way the dialect allows (strings, quoted names, comments, dollar and q
//    quotes, PL/SQL blocks, DELIMITER), joined by random blanks and LF or CRLF line ends, with
//    random comments and empty statements between them. The splitter must return exactly the
//    generated statements: text (LF-normalised, trimmed), line and column of the first token,
//    and GO counts.
// 2. Token soup: random fragments, balanced or not. The splitter either throws bru::Error(kScript)
//    for an unterminated construct, or returns statements such that, in the normalised input,
//    each statement's text is found verbatim at its line and column, statements come in order
//    without overlapping, and every gap between them (and before the first and after the last)
//    splits to nothing on its own — so joining statements and gaps gives back the input, and
//    nothing that was not a terminator, blank or comment was left out of a statement.
#include <random>

#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using schema::Statement;

std::string normalised(std::string_view text) { return schema::normalise_line_endings(text); }

class Generator {
 public:
  Generator(std::string dialect, unsigned seed) : dialect_(std::move(dialect)), random_(seed) {}

  // A script and the statements it must split into.
  std::pair<std::string, std::vector<Statement>> script() {
    std::string text;
    std::vector<Statement> expected;
    delimiter_ = ";";
    if (chance(3)) text += filler();
    const int statements = pick(1, 7);
    for (int at = 0; at < statements; ++at) {
      if (dialect_ == "mariadb" && chance(4)) {
        delimiter_ = delimiter_ == ";" ? (chance(2) ? "$$" : "//") : ";";
        if (!text.empty() && text.back() != '\n') text += eol();
        text += "DELIMITER " + delimiter_ + eol();
      }
      std::string body;
      bool plsql = false;
      int repeat = 1;
      if (dialect_ == "oracle" && chance(3)) {
        body = plsql_block();
        plsql = true;
      } else {
        body = statement_body();
      }
      const std::size_t begin = text.size();
      text += body;
      const std::string clean = normalised(body);
      Statement statement;
      statement.text = std::string(split_trim(clean));
      statement.file = "fuzz.sql";
      const std::string before = normalised(text.substr(0, begin));
      statement.line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
      const std::size_t line_start = before.rfind('\n');
      statement.column =
          static_cast<int>(before.size() - (line_start == std::string::npos ? 0 : line_start + 1)) +
          1;
      text += terminator(plsql, repeat);
      statement.repeat = repeat;
      expected.push_back(statement);
      if (chance(2)) text += filler();
    }
    if (dialect_ == "mariadb" && delimiter_ != ";") text += eol() + "DELIMITER ;" + eol();
    return {text, expected};
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool chance(int one_in) { return pick(1, one_in) == 1; }
  template <typename T>
  const T& any(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))];
  }
  std::string eol() { return chance(2) ? "\r\n" : "\n"; }
  std::string blank() {
    static const std::vector<std::string> kBlanks{" ", "  ", "\t", " \t "};
    return chance(3) ? eol() + (chance(2) ? any(kBlanks) : "") : any(kBlanks);
  }
  static std::string_view split_trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.remove_suffix(1);
    }
    return text;
  }

  // Pieces that may follow the first word of a statement. None holds a terminator of the
  // dialect outside quotes or comments, and none changes how the statement is classified.
  std::vector<std::string> pieces() {
    std::vector<std::string> common{"x", "t1", "42", "foo_bar", "+", "=", ",", "(1, 2)", "a.b",
                                    "LOGO", "c.LOGO", "NULL"};
    auto add = [&common](std::initializer_list<std::string> more) {
      common.insert(common.end(), more);
    };
    const std::string line_comment = "-- note; GO / $$ '" + eol();
    if (dialect_ == "postgres") {
      add({"'a;b'", "'it''s;'", "E'\\';'", "e'\\\\'", "\"q;\"\"x\"", "$$ a; 'b $$", "$t$ ;$$; $t$",
           "a$b$", "$1", "/* c; /* nested; */ */", line_comment, "DATE'2020-01-01\\'",
           "'\n;\n'", "(SELECT 1; SELECT 2)"});
    } else if (dialect_ == "mssql") {
      add({"'a\nGO\nb'", "N'it''s'", "[a]]\nGO\n]", "\"\nGO\n\"", "/* c\n/* GO\n*/\nGO\n*/",
           line_comment, ";", "@DoNotGO", "#temp", "GOAL", "\nGOTO x"});
    } else if (dialect_ == "oracle") {
      add({"'a;b'", "'it''s;'", "q'[;\n/\n]'", "Q'{;}'", "nq'!;!'", "\"a;b\"", "'x'THEN",
           "a/b", "a /", "/* c; /* */", line_comment, "'\n/\n'"});
    } else if (dialect_ == "sqlite") {
      add({"'a;b'", "'it''s;'", "\"q;\"\"x\"", "`b;``c`", "[x;]", "/* c; */", line_comment});
    } else {
      add({"'a\\';b'", "'it''s;'", "\"c\\\";\"", "`a;``b`", "# c; " + eol(), "/* c; */",
           line_comment, "--1", "$x"});
      if (delimiter_ != ";") add({";", "END"});
    }
    return common;
  }

  std::string statement_body() {
    static const std::vector<std::string> kFirstWords{"SELECT", "UPDATE", "INSERT", "x", "ALTER"};
    const auto choices = pieces();
    std::string body = any(kFirstWords);
    const int count = pick(0, 6);
    for (int at = 0; at < count; ++at) body += blank() + any(choices);
    // A trailing line comment needs its line end inside the statement for the terminator to
    // follow on a new line; the splitter trims it anyway.
    if (dialect_ == "mssql" || body.back() != '\n') return body;
    return body + "x";
  }

  std::string plsql_block() {
    std::string block = chance(2) ? "BEGIN" : "DECLARE" + blank() + "n NUMBER;" + blank() + "BEGIN";
    const auto choices = pieces();
    const int count = pick(1, 4);
    for (int at = 0; at < count; ++at) block += blank() + "n := " + any(choices) + ";";
    return block + blank() + "END;";
  }

  std::string terminator(bool plsql, int& repeat) {
    repeat = 1;
    if (dialect_ == "mssql") {
      std::string go = chance(2) ? "GO" : "go";
      if (chance(4)) {
        repeat = pick(2, 9);
        go += " " + std::to_string(repeat);
      }
      if (chance(4)) go += "  -- end";
      return eol() + (chance(3) ? "  " : "") + go + eol();
    }
    if (dialect_ == "oracle") {
      if (plsql || chance(4)) return eol() + (chance(2) ? " / " : "/") + eol();
      return ";";
    }
    return delimiter_;
  }

  // Text between statements that holds none: blanks, comments, empty statements.
  std::string filler() {
    std::vector<std::string> items{eol(), "  ", "/* between; */", "-- between;" + eol()};
    if (dialect_ == "postgres" || dialect_ == "sqlite") items.push_back(";");
    if (dialect_ == "mariadb") {
      items.push_back("# between" + eol());
      if (delimiter_ == ";") items.push_back(";");
    }
    if (dialect_ == "mssql") items.push_back(eol() + "GO" + eol());
    if (dialect_ == "oracle") items.push_back(eol() + "/" + eol());
    std::string text;
    const int count = pick(1, 3);
    for (int at = 0; at < count; ++at) text += any(items);
    // Keep the next statement (or DELIMITER line) at the start of a line.
    return text + eol();
  }

  std::string dialect_;
  std::mt19937 random_;
  std::string delimiter_ = ";";
};

TEST(SplitterFuzz, GeneratedScriptsSplitIntoTheGeneratedStatements) {
  for (const auto dialect : schema::script_dialects()) {
    Generator generator(std::string(dialect), 20260611);
    for (int round = 0; round < 400; ++round) {
      const auto [text, expected] = generator.script();
      SCOPED_TRACE(std::string(dialect) + " round " + std::to_string(round) + ":\n" + text);
      const auto actual = schema::split_statements(dialect, text, "fuzz.sql");
      ASSERT_EQ(actual, expected);
      ASSERT_EQ(schema::split_statements(dialect, normalised(text), "fuzz.sql"), expected);
    }
  }
}

// Offset of a 1-based line and byte column in text.
std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t offset = 0;
  for (int at = 1; at < line; ++at) offset = text.find('\n', offset) + 1;
  return offset + static_cast<std::size_t>(column - 1);
}

std::string soup(std::string_view dialect, std::mt19937& random) {
  std::vector<std::string> fragments{
      "SELECT", " ", "\n", "\r\n", "\t", ";", "'", "''", "'a;b'", "\"", "\"x\"", "/*", "*/",
      "/* c */", "--", "-- c\n", "x", "LOGO", "GO", "\nGO\n", "\nGO 2 -- c\n", "/", "\n/\n",
      "a/b", "(", ")", "BEGIN", "END", "CASE", "CREATE", "PROCEDURE", "TRIGGER", "FUNCTION",
      "$", "$$", "$t$", "E'", "q'[", "]'", "[", "]", "`", "#", "\\", "é", "\xff", std::string(1, '\0')};
  if (dialect == "oracle") fragments.push_back("DECLARE");
  if (dialect == "mariadb") fragments.push_back("/*!1 x */");
  std::string text;
  const int count = std::uniform_int_distribution<int>(0, 40)(random);
  for (int at = 0; at < count; ++at) {
    if (std::uniform_int_distribution<int>(0, 9)(random) == 0) {
      text.push_back(static_cast<char>(std::uniform_int_distribution<int>(32, 126)(random)));
    } else {
      text += fragments[std::uniform_int_distribution<std::size_t>(0, fragments.size() - 1)(random)];
    }
  }
  return text;
}

TEST(SplitterFuzz, TokenSoupNeverLosesTextOrCrashes) {
  std::mt19937 random(4242);
  int split = 0;
  int refused = 0;
  for (const auto dialect : schema::script_dialects()) {
    for (int round = 0; round < 3000; ++round) {
      const std::string text = soup(dialect, random);
      SCOPED_TRACE(std::string(dialect) + " round " + std::to_string(round) + ":\n" + text);
      std::vector<Statement> statements;
      try {
        statements = schema::split_statements(dialect, text, "soup.sql");
      } catch (const Error& error) {
        ASSERT_EQ(error.kind(), ErrorKind::kScript) << error.message();
        ASSERT_NE(error.message().find("unterminated"), std::string::npos) << error.message();
        ++refused;
        continue;
      }
      ++split;
      const std::string clean = normalised(text);
      std::size_t previous_end = 0;
      for (const auto& statement : statements) {
        ASSERT_FALSE(statement.text.empty());
        const std::size_t offset = offset_of(clean, statement.line, statement.column);
        ASSERT_GE(offset, previous_end);
        ASSERT_EQ(clean.substr(offset, statement.text.size()), statement.text);
        EXPECT_TRUE(schema::split_statements(dialect, clean.substr(previous_end, offset - previous_end),
                                             "gap.sql")
                        .empty())
            << "gap before line " << statement.line;
        previous_end = offset + statement.text.size();
      }
      EXPECT_TRUE(schema::split_statements(dialect, clean.substr(previous_end), "gap.sql").empty());
    }
  }
  // Both outcomes must have been exercised for the test to mean anything.
  EXPECT_GT(split, 1000);
  EXPECT_GT(refused, 1000);
}

}  // namespace
}  // namespace bru::test

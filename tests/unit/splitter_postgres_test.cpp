// PostgreSQL splitting rules (schema/script/splitter.h).
#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using Texts = std::vector<std::string>;

TEST(SplitterPostgres, SemicolonEndsStatementsAndIsNotKept) {
  EXPECT_EQ(texts("postgres", "SELECT 1; SELECT 2;\nSELECT 3"),
            (Texts{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SplitterPostgres, SemicolonInsideSingleQuotesWithDoubledQuote) {
  EXPECT_EQ(texts("postgres", "INSERT INTO t VALUES ('a;''b;'); SELECT 2;"),
            (Texts{"INSERT INTO t VALUES ('a;''b;')", "SELECT 2"}));
}

TEST(SplitterPostgres, BackslashIsPlainInStandardStrings) {
  // standard_conforming_strings: 'C:\' is a complete string; the ; after it ends the statement.
  EXPECT_EQ(texts("postgres", "SELECT 'C:\\'; SELECT 2;"), (Texts{"SELECT 'C:\\'", "SELECT 2"}));
}

TEST(SplitterPostgres, EscapeStringsHonourBackslashQuote) {
  EXPECT_EQ(texts("postgres", "SELECT E'it\\'s; here'; SELECT e'\\\\'; SELECT 3;"),
            (Texts{"SELECT E'it\\'s; here'", "SELECT e'\\\\'", "SELECT 3"}));
}

TEST(SplitterPostgres, ALetterEBeforeAQuoteInsideAWordIsNotAnEscapeString) {
  // DATE'…' is a typed literal with a standard string: the backslash does not escape the quote.
  EXPECT_EQ(texts("postgres", "SELECT DATE'2020-01-01\\'; SELECT 2;"),
            (Texts{"SELECT DATE'2020-01-01\\'", "SELECT 2"}));
}

TEST(SplitterPostgres, DoubleQuotedIdentifiers) {
  EXPECT_EQ(texts("postgres", "CREATE TABLE \"a;\"\"b\" (x int); SELECT 2;"),
            (Texts{"CREATE TABLE \"a;\"\"b\" (x int)", "SELECT 2"}));
}

TEST(SplitterPostgres, DollarQuotesKeepTheirSemicolons) {
  const std::string function =
      "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql";
  EXPECT_EQ(texts("postgres", function + ";\nSELECT f();"), (Texts{function, "SELECT f()"}));
}

TEST(SplitterPostgres, TaggedDollarQuotesNestOtherTags) {
  const std::string body =
      "DO $outer$\nBEGIN\n  EXECUTE $inner$ SELECT 1; $inner$;\n  RAISE NOTICE '$$;';\nEND\n$outer$";
  EXPECT_EQ(texts("postgres", body + ";\nSELECT 2;"), (Texts{body, "SELECT 2"}));
}

TEST(SplitterPostgres, DollarAfterAnIdentifierCharacterIsNotAQuote) {
  // a$b$ is one identifier; $1 is a parameter: neither opens a dollar quote.
  EXPECT_EQ(texts("postgres", "SELECT a$b$ FROM t; PREPARE p AS SELECT $1; SELECT 3;"),
            (Texts{"SELECT a$b$ FROM t", "PREPARE p AS SELECT $1", "SELECT 3"}));
}

TEST(SplitterPostgres, DollarQuoteClosesRightBeforeAWord) {
  EXPECT_EQ(texts("postgres", "SELECT $$a;b$$LANGUAGE; SELECT 2;"),
            (Texts{"SELECT $$a;b$$LANGUAGE", "SELECT 2"}));
}

TEST(SplitterPostgres, LineCommentsAreKeptInsideAndDroppedBefore) {
  EXPECT_EQ(texts("postgres", "-- leading; comment\nSELECT 1 -- not; the end\n, 2;"),
            (Texts{"SELECT 1 -- not; the end\n, 2"}));
}

TEST(SplitterPostgres, BlockCommentsNest) {
  EXPECT_EQ(texts("postgres", "SELECT /* a /* b; */ still; */ 1; SELECT 2;"),
            (Texts{"SELECT /* a /* b; */ still; */ 1", "SELECT 2"}));
}

TEST(SplitterPostgres, SemicolonsInsideParenthesesDoNotSplit) {
  const std::string rule =
      "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); DELETE FROM q)";
  EXPECT_EQ(texts("postgres", rule + "; SELECT 2;"), (Texts{rule, "SELECT 2"}));
}

TEST(SplitterPostgres, BeginAtomicBodiesKeepTheirSemicolons) {
  const std::string function =
      "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
      "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND";
  EXPECT_EQ(texts("postgres", function + ";\nBEGIN;\nCOMMIT;"),
            (Texts{function, "BEGIN", "COMMIT"}));
}

TEST(SplitterPostgres, BeginInsideParenthesesOpensNoBlock) {
  const std::string function =
      "CREATE FUNCTION f() RETURNS TABLE (begin int, x int) AS $$ SELECT 1, 2 $$ LANGUAGE sql";
  EXPECT_EQ(texts("postgres", function + ";\nSELECT 2;"), (Texts{function, "SELECT 2"}));
}

TEST(SplitterPostgres, EmptyStatementsAreDropped) {
  EXPECT_EQ(texts("postgres", ";;  ;\n-- only a comment\n;/* and another */;"), Texts{});
}

TEST(SplitterPostgres, UnterminatedDollarQuoteIsAnError) {
  expect_error([] { schema::split_statements("postgres", "SELECT 1;\n\nSELECT $body$ x;", "f.sql"); },
               ErrorKind::kScript, "f.sql:3: unterminated dollar-quoted string $body$ starting here",
               {"close it with $body$"});
}

TEST(SplitterPostgres, UnterminatedNestedCommentIsAnError) {
  expect_error([] { schema::split_statements("postgres", "/* a /* b */\nSELECT 1;", "f.sql"); },
               ErrorKind::kScript, "f.sql:1: unterminated block comment starting here",
               {"close it with */ (comments nest here: each /* inside it needs its own */)"});
}

TEST(SplitterPostgres, UnterminatedEscapeStringIsAnError) {
  expect_error([] { schema::split_statements("postgres", "SELECT E'a\\';", "f.sql"); },
               ErrorKind::kScript, "f.sql:1: unterminated escape string starting here",
               {"close it with ' (inside E'...' a quote is written \\' or '')"});
}

TEST(SplitterPostgres, UnterminatedIdentifierIsAnError) {
  expect_error([] { schema::split_statements("postgres", "SELECT 1;\nSELECT \"a;", "f.sql"); },
               ErrorKind::kScript, "f.sql:2: unterminated quoted identifier starting here",
               {"close it with \" (a quote inside it is written \"\")"});
}

}  // namespace
}  // namespace bru::test

// Oracle statement and PL/SQL rules (schema/script/splitter.h).
#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using Texts = std::vector<std::string>;

TEST(SplitterOracle, SemicolonEndsPlainStatements) {
  EXPECT_EQ(texts("oracle", "CREATE TABLE t (x NUMBER);\nINSERT INTO t VALUES (1);"),
            (Texts{"CREATE TABLE t (x NUMBER)", "INSERT INTO t VALUES (1)"}));
}

TEST(SplitterOracle, PlsqlUnitsRunToTheSlashLineAndKeepTheirSemicolons) {
  const std::string procedure =
      "CREATE OR REPLACE PROCEDURE p IS\nBEGIN\n  UPDATE t SET x = 1;\n  COMMIT;\nEND;";
  EXPECT_EQ(texts("oracle", procedure + "\n/\nSELECT 1 FROM dual;"),
            (Texts{procedure, "SELECT 1 FROM dual"}));
}

TEST(SplitterOracle, EveryPlsqlUnitKind) {
  const Texts units{
      "CREATE FUNCTION f RETURN NUMBER IS BEGIN RETURN 1; END;",
      "CREATE OR REPLACE EDITIONABLE PACKAGE pk AS PROCEDURE p; END pk;",
      "CREATE OR REPLACE NONEDITIONABLE PACKAGE BODY pk AS PROCEDURE p IS BEGIN NULL; END; END;",
      "CREATE EDITIONABLE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN :new.x := 1; END;",
      "CREATE TYPE ty AS OBJECT (a NUMBER, MEMBER FUNCTION g RETURN NUMBER);",
      "CREATE OR REPLACE TYPE BODY ty AS MEMBER FUNCTION g RETURN NUMBER IS BEGIN RETURN a; END; "
      "END;",
      "BEGIN\n  dbms_output.put_line('x;');\nEND;",
      "DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;",
  };
  std::string script;
  for (const auto& unit : units) script += unit + "\n/\n";
  EXPECT_EQ(texts("oracle", script), units);
}

TEST(SplitterOracle, SlashLineMayHaveBlanksAroundIt) {
  EXPECT_EQ(texts("oracle", "BEGIN NULL; END;\n  /  \nBEGIN NULL; END;\n\t/"),
            (Texts{"BEGIN NULL; END;", "BEGIN NULL; END;"}));
}

TEST(SplitterOracle, SlashLineAlsoEndsAPlainStatementAndALoneSlashIsIgnored) {
  EXPECT_EQ(texts("oracle", "UPDATE t SET x = 1\n/\nCREATE TABLE u (y NUMBER);\n/\n/\n"),
            (Texts{"UPDATE t SET x = 1", "CREATE TABLE u (y NUMBER)"}));
}

TEST(SplitterOracle, DivisionIsNotATerminator) {
  const std::string function =
      "CREATE FUNCTION half(a NUMBER) RETURN NUMBER IS\nBEGIN\n  RETURN a/2 + a /\n  2\n"
      "  / 3;\nEND;";
  EXPECT_EQ(texts("oracle", function + "\n/"), (Texts{function}));
}

TEST(SplitterOracle, QQuotesWithEveryDelimiter) {
  const std::string statement =
      "INSERT INTO t VALUES (q'[it's; ]' ']', Q'{a;}', q'(b;)', q'<c;>', q'!d'; !', nq'#e;#')";
  EXPECT_EQ(texts("oracle", statement + ";\nSELECT 2 FROM dual;"),
            (Texts{statement, "SELECT 2 FROM dual"}));
}

TEST(SplitterOracle, QQuotedTextHidesASlashLine) {
  const std::string block = "BEGIN\n  x := q'[\n/\n]';\nEND;";
  EXPECT_EQ(texts("oracle", block + "\n/"), (Texts{block}));
}

TEST(SplitterOracle, QuoteGluedToAKeyword) {
  const std::string block = "BEGIN\n  IF a = 'x'THEN b := 'y';END IF;\nEND;";
  EXPECT_EQ(texts("oracle", block + "\n/\nSELECT 1 FROM dual;"),
            (Texts{block, "SELECT 1 FROM dual"}));
}

TEST(SplitterOracle, CommentsAreNotNested) {
  // The first */ closes the comment, so the ; after `x` ends the statement.
  EXPECT_EQ(texts("oracle", "SELECT /* a /* b */ x; SELECT 2 FROM dual;"),
            (Texts{"SELECT /* a /* b */ x", "SELECT 2 FROM dual"}));
}

TEST(SplitterOracle, SlashInsideACommentIsNotATerminator) {
  const std::string block = "BEGIN\n/*\n/\n*/\n-- /\n  NULL;\nEND;";
  EXPECT_EQ(texts("oracle", block + "\n/"), (Texts{block}));
}

TEST(SplitterOracle, KeywordsLaterInAStatementDoNotMakeItPlsql) {
  // A column called Function or a table called begin_log is not PL/SQL.
  EXPECT_EQ(texts("oracle", "CREATE TABLE action (function VARCHAR2(64), begin NUMBER);\n"
                            "INSERT INTO begin_log VALUES (1);"),
            (Texts{"CREATE TABLE action (function VARCHAR2(64), begin NUMBER)",
                   "INSERT INTO begin_log VALUES (1)"}));
}

TEST(SplitterOracle, PlsqlUnitWithoutSlashRunsToTheEnd) {
  EXPECT_EQ(texts("oracle", "BEGIN\n  NULL;\nEND;\n"), (Texts{"BEGIN\n  NULL;\nEND;"}));
}

TEST(SplitterOracle, UnterminatedQQuoteIsAnError) {
  expect_error([] { schema::split_statements("oracle", "SELECT 1 FROM dual;\nSELECT q'[x]\n;", "f.sql"); },
               ErrorKind::kScript, "f.sql:2: unterminated q-quoted string starting here",
               {"close it with ]' (the closing delimiter, then a quote)"});
}

TEST(SplitterOracle, UnterminatedCommentIsAnError) {
  expect_error([] { schema::split_statements("oracle", "BEGIN NULL; END;\n/\n/* x", "f.sql"); },
               ErrorKind::kScript, "f.sql:3: unterminated block comment starting here",
               {"close it with */"});
}

}  // namespace
}  // namespace bru::test

// SQLite and MariaDB rules (schema/script/splitter.h).
#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using Texts = std::vector<std::string>;

TEST(SplitterSqlite, QuotesOfEveryKindHideSemicolons) {
  const std::string statement =
      "INSERT INTO [t;1] (\"a;\"\"\", `b;``c`) VALUES ('x;''y', X'00')";
  EXPECT_EQ(texts("sqlite", statement + "; SELECT 2;"), (Texts{statement, "SELECT 2"}));
}

TEST(SplitterSqlite, TriggerBodyKeepsItsSemicolons) {
  const std::string trigger =
      "CREATE TEMP TRIGGER tr AFTER INSERT ON t\nBEGIN\n"
      "  UPDATE t SET n = CASE WHEN new.n > 0 THEN 1 ELSE 0 END;\n"
      "  INSERT INTO log VALUES (new.id);\nEND";
  EXPECT_EQ(texts("sqlite", trigger + ";\nBEGIN;\nCOMMIT;"), (Texts{trigger, "BEGIN", "COMMIT"}));
}

TEST(SplitterSqlite, CommentsAndEmptyStatements) {
  EXPECT_EQ(texts("sqlite", "-- a;\n/* b; */;\nSELECT 1 /* c; */;;"), (Texts{"SELECT 1 /* c; */"}));
}

TEST(SplitterSqlite, UnterminatedBacktickIsAnError) {
  expect_error([] { schema::split_statements("sqlite", "SELECT `a;", "f.sql"); },
               ErrorKind::kScript, "f.sql:1: unterminated backtick identifier starting here",
               {"close it with ` (a ` inside it is written ``)"});
}

TEST(SplitterMariadb, BackslashAndDoubledQuotesInBothStringKinds) {
  const std::string statement = R"(INSERT INTO t VALUES ('a\';b', 'c'';d', "e\";f", "g"";h"))";
  EXPECT_EQ(texts("mariadb", statement + "; SELECT 2;"), (Texts{statement, "SELECT 2"}));
}

TEST(SplitterMariadb, BackticksHideSemicolons) {
  EXPECT_EQ(texts("mariadb", "CREATE TABLE `a;``b` (x INT); SELECT 2;"),
            (Texts{"CREATE TABLE `a;``b` (x INT)", "SELECT 2"}));
}

TEST(SplitterMariadb, HashAndDashComments) {
  EXPECT_EQ(texts("mariadb", "# lead; \nSELECT 1 -- x;\n# y;\n, 2; SELECT 3--1;"),
            (Texts{"SELECT 1 -- x;\n# y;\n, 2", "SELECT 3--1"}));
}

TEST(SplitterMariadb, ExecutableCommentsAreStatements) {
  EXPECT_EQ(texts("mariadb", "/*!40101 SET NAMES utf8mb4 */;\n/* plain */;\n/*M!100100 SET x=1 */;"),
            (Texts{"/*!40101 SET NAMES utf8mb4 */", "/*M!100100 SET x=1 */"}));
}

TEST(SplitterMariadb, DelimiterLinesChangeTheTerminator) {
  const std::string script =
      "DELIMITER $$\n"
      "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND$$\n"
      "CREATE FUNCTION f() RETURNS INT RETURN 1 $$\n"
      "delimiter ;\n"
      "CALL p();\n"
      "DELIMITER //\n"
      "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = ';//';//\n"
      "DELIMITER ;\n"
      "SELECT 3;";
  EXPECT_EQ(texts("mariadb", script),
            (Texts{"CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND",
                   "CREATE FUNCTION f() RETURNS INT RETURN 1", "CALL p()",
                   "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = ';//';",
                   "SELECT 3"}));
  EXPECT_EQ(first_lines("mariadb", script), (std::vector<int>{2, 7, 9, 11, 13}));
}

TEST(SplitterMariadb, DelimiterWordInsideAStatementIsAColumn) {
  EXPECT_EQ(texts("mariadb", "CREATE TABLE t (\ndelimiter VARCHAR(9)\n);"),
            (Texts{"CREATE TABLE t (\ndelimiter VARCHAR(9)\n)"}));
}

TEST(SplitterMariadb, StoredProgramsWithoutDelimiterKeepTheirBodies) {
  const std::string procedure =
      "CREATE DEFINER=`root`@`localhost` PROCEDURE p(n INT)\nBEGIN\n"
      "  DECLARE i INT DEFAULT 0;\n  lbl: WHILE i < n DO\n    SET i = i + 1;\n  END WHILE lbl;\n"
      "  IF i > 1 THEN SELECT 1; ELSE SELECT 2; END IF;\n"
      "  CASE i WHEN 1 THEN SELECT 'one'; ELSE BEGIN SELECT 'many'; END; END CASE;\n"
      "  SELECT CASE WHEN i > 0 THEN 'x' END;\nEND";
  const std::string block = "BEGIN NOT ATOMIC\n  SELECT 1;\nEND";
  EXPECT_EQ(texts("mariadb", procedure + ";\n" + block + ";\nBEGIN;\nCOMMIT;"),
            (Texts{procedure, block, "BEGIN", "COMMIT"}));
}

TEST(SplitterMariadb, BeginInsideParenthesesOpensNoBlock) {
  EXPECT_EQ(texts("mariadb", "CREATE FUNCTION f(begin INT) RETURNS INT RETURN 1;\nSELECT 2;"),
            (Texts{"CREATE FUNCTION f(begin INT) RETURNS INT RETURN 1", "SELECT 2"}));
}

TEST(SplitterMariadb, DelimiterWithoutValueIsAnError) {
  expect_error([] { schema::split_statements("mariadb", "SELECT 1;\nDELIMITER  \n", "f.sql"); },
               ErrorKind::kScript, "f.sql:2: DELIMITER without a delimiter",
               {"write DELIMITER $$ before a stored program and DELIMITER ; after it"});
}

TEST(SplitterMariadb, UnterminatedStringIsAnError) {
  expect_error([] { schema::split_statements("mariadb", "SELECT 'a\\';\n", "f.sql"); },
               ErrorKind::kScript, "f.sql:1: unterminated string literal starting here",
               {"close it with ' (a quote inside it is written '' or \\')"});
}

}  // namespace
}  // namespace bru::test

// SQL Server batch rules (schema/script/splitter.h).
#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using Texts = std::vector<std::string>;

TEST(SplitterMssql, GoLinesEndBatchesAndSemicolonsStayInside) {
  EXPECT_EQ(texts("mssql", "SELECT 1; SELECT 2;\nGO\nSELECT 3\nGO\n"),
            (Texts{"SELECT 1; SELECT 2;", "SELECT 3"}));
}

TEST(SplitterMssql, GoInAnyCaseWithBlanksAround) {
  EXPECT_EQ(texts("mssql", "SELECT 1\n  go  \nSELECT 2\n\tGo\nSELECT 3\ngO"),
            (Texts{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SplitterMssql, GoCountRepeatsTheBatch) {
  const auto batches =
      schema::split_statements("mssql", "INSERT INTO t DEFAULT VALUES\nGO 5\nSELECT 1\nGO", "t.sql");
  ASSERT_EQ(batches.size(), 2U);
  EXPECT_EQ(batches[0].text, "INSERT INTO t DEFAULT VALUES");
  EXPECT_EQ(batches[0].repeat, 5);
  EXPECT_EQ(batches[1].repeat, 1);
}

TEST(SplitterMssql, GoWithTrailingComment) {
  const auto batches = schema::split_statements(
      "mssql", "SELECT 1\nGO -- end of part one\nSELECT 2\nGO 3 -- thrice\nSELECT 3\nGO--tight",
      "t.sql");
  ASSERT_EQ(batches.size(), 3U);
  EXPECT_EQ(batches[0].text, "SELECT 1");
  EXPECT_EQ(batches[1].text, "SELECT 2");
  EXPECT_EQ(batches[1].repeat, 3);
  EXPECT_EQ(batches[2].text, "SELECT 3");
}

TEST(SplitterMssql, GoInsideStringsDoesNotSplit) {
  const std::string batch = "INSERT INTO t VALUES ('a\nGO\nb', N'\nGO\n')";
  EXPECT_EQ(texts("mssql", batch + "\nGO"), (Texts{batch}));
}

TEST(SplitterMssql, GoInsideBracketedAndQuotedIdentifiersDoesNotSplit) {
  const std::string batch = "CREATE TABLE [odd\nGO\n]]name] (\"x\nGO\n\" int)";
  EXPECT_EQ(texts("mssql", batch + "\nGO\nSELECT 2"), (Texts{batch, "SELECT 2"}));
}

TEST(SplitterMssql, GoInsideNestedBlockCommentsDoesNotSplit) {
  const std::string batch = "SELECT 1 /* outer\n/* inner\nGO\n*/\nGO\n*/";
  EXPECT_EQ(texts("mssql", batch + "\nGO\nSELECT 2"), (Texts{batch, "SELECT 2"}));
}

TEST(SplitterMssql, GoAsPartOfANameOrLineDoesNotSplit) {
  const std::string batch =
      "SELECT c.LOGO, GOAL\nFROM t c\nGOTO done\nGO5\nGO x\nSELECT 1 GO\n  GO;\ndone:";
  EXPECT_EQ(texts("mssql", batch + "\nGO"), (Texts{batch}));
}

TEST(SplitterMssql, EmptyBatchesAreDropped) {
  // A GO before any statement, GO after GO, and batches of only comments or `;`.
  EXPECT_EQ(texts("mssql", "/* header */\nGO\nGO\n;\nGO\n-- note\n;;\nGO\nSELECT 1\nGO\n\nGO"),
            (Texts{"SELECT 1"}));
}

TEST(SplitterMssql, BatchLineIsTheFirstTokenNotTheLeadingComment) {
  EXPECT_EQ(first_lines("mssql", "-- about p\n\nCREATE PROCEDURE p AS SELECT 1\nGO\n\n\nSELECT 2"),
            (std::vector<int>{3, 7}));
}

TEST(SplitterMssql, GoCountOutOfRangeIsAnError) {
  expect_error([] { schema::split_statements("mssql", "SELECT 1\nGO 0", "f.sql"); },
               ErrorKind::kScript, "f.sql:2: GO count 0 is out of range",
               {"write GO <n> with n from 1 to 2147483647, or GO alone to run a batch once"});
  expect_error([] { schema::split_statements("mssql", "SELECT 1\nGO 99999999999", "f.sql"); },
               ErrorKind::kScript, "f.sql:2: GO count 99999999999 is out of range",
               {"write GO <n> with n from 1 to 2147483647, or GO alone to run a batch once"});
}

TEST(SplitterMssql, UnterminatedBracketIsAnError) {
  expect_error([] { schema::split_statements("mssql", "SELECT 1\nGO\nSELECT [a]]\nGO\n", "f.sql"); },
               ErrorKind::kScript, "f.sql:3: unterminated bracketed identifier starting here",
               {"close it with ] (a ] inside it is written ]])"});
}

TEST(SplitterMssql, UnterminatedNationalStringIsAnError) {
  expect_error([] { schema::split_statements("mssql", "SELECT N'it''s\nGO\n", "f.sql"); },
               ErrorKind::kScript, "f.sql:1: unterminated string literal starting here",
               {"close it with ' (a quote inside it is written '')"});
}

}  // namespace
}  // namespace bru::test

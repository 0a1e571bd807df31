// Rules common to every dialect (line endings, positions, empty input, unknown dialect) and
// whole scripts: bru's WFM sample (tools/sample) in each engine's flavour.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "splitter_test_helpers.h"
#include "support/sample_data.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using schema::Statement;

std::string to_crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

std::string_view trimmed(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

// Lines of text that start a row, as the sample writes them: "  (1, N'Lyon Süd', ...)," in a
// VALUES list, "SELECT 1, 'Lyon Süd', ... FROM dual UNION ALL" in Oracle's INSERT ... SELECT.
std::size_t row_lines(std::string_view text) {
  std::size_t rows = 0;
  for (const auto line : lines_of(text)) {
    rows += line.starts_with("  (") || line.starts_with("SELECT ") ? 1 : 0;
  }
  return rows;
}

// The 1-based number of the first line of text that starts with prefix (0 if none); last: of
// the last such line.
int line_number(std::string_view text, std::string_view prefix, bool last = false) {
  int found = 0;
  int number = 0;
  for (const auto line : lines_of(text)) {
    ++number;
    if (line.starts_with(prefix)) {
      found = number;
      if (!last) break;
    }
  }
  return found;
}

// One script per dialect with that dialect's traps, used for the CRLF and position checks.
struct TrapScript {
  const char* dialect;
  const char* text;
};

const TrapScript kTrapScripts[] = {
    {"postgres",
     "-- lead\nCREATE FUNCTION f() RETURNS int AS $b$\nBEGIN\n  RETURN 1;\nEND;\n$b$ LANGUAGE plpgsql;\n"
     "  \n/* c\n */ SELECT E'a\\';b', 'x\n;y';\n"},
    {"mssql", "/* h */\nCREATE PROCEDURE p AS\n  SELECT 'GO\nGO';\nGO 2\n\n  SELECT c.LOGO\ngo\n"},
    {"oracle",
     "CREATE OR REPLACE PROCEDURE p IS\nBEGIN\n  x := a / b;\nEND;\n /  \n\n-- c\nSELECT q'[;\n]' "
     "FROM dual;\n"},
    {"sqlite", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND;\n\n  SELECT '\n;';\n"},
    {"mariadb",
     "DELIMITER $$\nCREATE PROCEDURE p() BEGIN\n  SELECT 1;\nEND$$\nDELIMITER ;\n# c\n"
     "SELECT 'a\\';\nb';\n"},
};

TEST(SplitterCommon, CrlfAndLfSplitIdentically) {
  for (const auto& trap : kTrapScripts) {
    SCOPED_TRACE(trap.dialect);
    const auto lf = schema::split_statements(trap.dialect, trap.text, "t.sql");
    const auto crlf = schema::split_statements(trap.dialect, to_crlf(trap.text), "t.sql");
    EXPECT_EQ(lf, crlf);
    ASSERT_EQ(lf.size(), 2U);
    for (const auto& statement : crlf) {
      EXPECT_EQ(statement.text.find('\r'), std::string::npos);
    }
  }
}

TEST(SplitterCommon, PositionIsTheFirstTokenNotLeadingCommentsOrBlankLines) {
  const std::vector<std::pair<int, int>> expected[] = {
      {{2, 1}, {9, 5}}, {{2, 1}, {7, 3}}, {{1, 1}, {8, 1}}, {{1, 1}, {5, 3}}, {{2, 1}, {7, 1}}};
  for (std::size_t at = 0; at < std::size(kTrapScripts); ++at) {
    SCOPED_TRACE(kTrapScripts[at].dialect);
    std::vector<std::pair<int, int>> positions;
    for (const auto& statement :
         schema::split_statements(kTrapScripts[at].dialect, kTrapScripts[at].text, "t.sql")) {
      positions.emplace_back(statement.line, statement.column);
    }
    EXPECT_EQ(positions, expected[at]);
  }
}

TEST(SplitterCommon, FirstLineOffsetsLinesAndFileNameIsKept) {
  const auto statements = schema::split_statements("postgres", "\nSELECT 1;\nSELECT 2;", "a.sql", 40);
  ASSERT_EQ(statements.size(), 2U);
  EXPECT_EQ(statements[0], (Statement{"SELECT 1", "a.sql", 41, 1, 1}));
  EXPECT_EQ(statements[1], (Statement{"SELECT 2", "a.sql", 42, 1, 1}));
}

TEST(SplitterCommon, ByteOrderMarkIsDropped) {
  const auto statements = schema::split_statements("sqlite", "\xEF\xBB\xBFSELECT 1;", "a.sql");
  ASSERT_EQ(statements.size(), 1U);
  EXPECT_EQ(statements[0], (Statement{"SELECT 1", "a.sql", 1, 1, 1}));
}

TEST(SplitterCommon, NormaliseLineEndingsKeepsALoneCarriageReturn) {
  EXPECT_EQ(schema::normalise_line_endings("a\r\nb\rc\r\n"), "a\nb\rc\n");
}

TEST(SplitterCommon, EmptyAndCommentOnlyTextGivesNoStatements) {
  for (const auto dialect : schema::script_dialects()) {
    SCOPED_TRACE(dialect);
    EXPECT_TRUE(schema::split_statements(dialect, "", "t.sql").empty());
    EXPECT_TRUE(schema::split_statements(dialect, "\n  \r\n/* x */\n-- y\n", "t.sql").empty());
  }
}

TEST(SplitterCommon, UnknownDialectIsAUsageError) {
  expect_error([] { schema::split_statements("db2", "SELECT 1", "t.sql"); }, ErrorKind::kUsage,
               "unknown dialect \"db2\"",
               {"known dialects: postgres, mssql, oracle, sqlite, mariadb"});
}

// The sample: independent counts come from plain line scans of the script, not from the
// splitter. Its strings hold ';', '--', '&' and quotes, so a splitter that looks inside them
// gives more statements than the scan.

TEST(SplitterSample, SqlServerBatchesAreTheGoLines) {
  const std::string text = sample_script("mssql");
  std::size_t go_lines = 0;
  std::size_t inserts = 0;
  for (const auto line : lines_of(text)) {
    go_lines += trimmed(line) == "GO" ? 1 : 0;
    inserts += line.starts_with("INSERT INTO") ? 1 : 0;
  }
  ASSERT_EQ(inserts, 34U);  // ceil(rows / 500) per table: 1 + 1 + 1 + 1 + 6 + 24
  const auto batches = schema::split_statements("mssql", text, "wfm_mssql.sql");
  // Every statement is its own batch, ended by a GO line.
  ASSERT_EQ(batches.size(), go_lines);
  EXPECT_EQ(batches.front().line, line_number(text, "SET NOCOUNT ON"));
  EXPECT_EQ(batches.front().text, "SET NOCOUNT ON;");
  std::size_t batch_inserts = 0;
  std::size_t batch_rows = 0;
  for (const auto& batch : batches) {
    EXPECT_EQ(batch.repeat, 1);
    for (const auto line : lines_of(batch.text)) {
      EXPECT_NE(trimmed(line), "GO");
      batch_inserts += line.starts_with("INSERT INTO") ? 1 : 0;
    }
    batch_rows += row_lines(batch.text);
  }
  EXPECT_EQ(batch_inserts, inserts);
  EXPECT_EQ(batch_rows, row_lines(text));
  EXPECT_EQ(batch_rows, sample_rows());
  EXPECT_EQ(batches.back().line, line_number(text, "INSERT INTO", true));
  EXPECT_TRUE(batches.back().text.ends_with(", NULL);")) << batches.back().text.substr(0, 80);
}

struct SemicolonScript {
  const char* dialect;
  const char* first;
  const char* last;
};

const SemicolonScript kSemicolonScripts[] = {
    {"oracle", "SET DEFINE OFF", "COMMIT"},
    {"postgres", "SET client_encoding = 'UTF8'", "COMMIT"},
    {"mariadb", "SET NAMES utf8mb4", nullptr},
    {"sqlite", "PRAGMA foreign_keys = ON", "COMMIT"},
};

TEST(SplitterSample, SemicolonScriptsGiveOneStatementPerTerminatedLine) {
  for (const auto& script : kSemicolonScripts) {
    SCOPED_TRACE(script.dialect);
    const std::string text = sample_script(script.dialect);
    std::size_t terminated_lines = 0;
    std::size_t inserts = 0;
    for (const auto line : lines_of(text)) {
      terminated_lines += trimmed(line).ends_with(";") ? 1 : 0;
      inserts += line.starts_with("INSERT INTO") ? 1 : 0;
    }
    ASSERT_GT(inserts, 30U);
    const auto statements = schema::split_statements(script.dialect, text, "wfm.sql");
    ASSERT_EQ(statements.size(), terminated_lines);
    EXPECT_EQ(statements.front().text, script.first);
    EXPECT_EQ(statements.front().line, line_number(text, script.first));
    if (script.last != nullptr) {
      EXPECT_EQ(statements.back().text, script.last);
    }
    std::size_t statement_inserts = 0;
    std::size_t rows = 0;
    for (const auto& statement : statements) {
      EXPECT_FALSE(statement.text.ends_with(";")) << statement.text.substr(0, 80);
      statement_inserts += statement.text.starts_with("INSERT INTO") ? 1 : 0;
      rows += row_lines(statement.text);
    }
    EXPECT_EQ(statement_inserts, inserts);
    EXPECT_EQ(rows, row_lines(text));
    EXPECT_EQ(rows, sample_rows());
  }
}

TEST(SplitterSample, OracleScriptKeepsSqlPlusCommandsAsStatements) {
  const std::string text = sample_script("oracle");
  const auto statements = schema::split_statements("oracle", text, "wfm_oracle.sql");
  ASSERT_GE(statements.size(), 2U);
  EXPECT_EQ(statements[0].text, "SET DEFINE OFF");
  EXPECT_EQ(statements[0].line, line_number(text, "SET DEFINE OFF;"));
  EXPECT_TRUE(statements[1].text.starts_with("CREATE TABLE business_unit (\n")) << statements[1].text;
}

TEST(SplitterSample, CrlfCopiesSplitIdentically) {
  for (const auto& dialect : {"mssql", "oracle", "postgres", "mariadb", "sqlite"}) {
    SCOPED_TRACE(dialect);
    const std::string text = sample_script(dialect);
    EXPECT_EQ(schema::split_statements(dialect, text, "wfm.sql"),
              schema::split_statements(dialect, to_crlf(text), "wfm.sql"));
  }
}

}  // namespace
}  // namespace bru::test

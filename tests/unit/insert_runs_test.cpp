// How the ODBC loader cuts a batch into INSERTs (bru/data/table_writer.h insert_runs()), and the
// statements that follow for Oracle, where a bind longer than a SELECT list item holds (4,000
// bytes of text, 2,000 of binary) fails a multi-row INSERT ... SELECT ... FROM dual UNION ALL
// with ORA-01461: such a row goes alone, in a one-row INSERT ... VALUES. No Oracle server runs
// here: the statements are compared as text (and the Oracle golden file holds them for the
// parsers, tests/unit/dialect_oracle_test.cpp).
#include "bru/data/table_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema/dialect_names.h"

namespace bru::data {
namespace {

using schema::Storage;
using schema::TypeKind;

// NOTES (ID int64, NOTE text, DATA blob), as a backup of another engine describes it.
schema::Table notes_table() {
  schema::Table table;
  table.name = "NOTES";
  table.dialect = "postgres";
  for (const auto& [name, kind] : {std::pair{"ID", TypeKind::kInt64},
                                   std::pair{"NOTE", TypeKind::kText},
                                   std::pair{"DATA", TypeKind::kBlob}}) {
    schema::Column column;
    column.name = name;
    column.type.kind = kind;
    table.columns.push_back(column);
  }
  return table;
}

// Six rows: a 5,000-byte note in row 2, a note of 2,000 two-byte characters (4,000 bytes, the
// most a batched bind holds) in row 4, a 2,001-byte binary value in row 5.
archive::Batch notes_batch() {
  archive::Batch batch({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  std::string two_byte_characters;
  for (int idx = 0; idx < 2000; ++idx) two_byte_characters += "\xC3\xA9";
  const std::vector<std::string> notes = {"a", "b", std::string(5000, 'x'), "c",
                                          two_byte_characters, ""};
  for (std::size_t row = 0; row < notes.size(); ++row) {
    batch.column(0).append_int(static_cast<std::int64_t>(row + 1));
    batch.column(1).append_bytes(notes[row]);
    if (row == 5) {
      batch.column(2).append_bytes(std::string(2001, '\x01'));
    } else {
      batch.column(2).append_bytes(std::string(2000, '\x02'));
    }
  }
  return batch;
}

TEST(InsertRuns, OracleInsertsARowWithALongBindAlone) {
  const auto oracle = schema::make_dialect("oracle");
  const auto table = notes_table();
  const auto runs = insert_runs(notes_batch(), table, oracle->sql_forms(), 1000);
  EXPECT_EQ(runs, (std::vector<InsertRun>{{0, 2}, {2, 1}, {3, 2}, {5, 1}}));

  std::vector<std::string> statements;
  for (const auto& run : runs) statements.push_back(oracle->insert_sql(table, run.row_count));
  const std::string batched =
      "INSERT INTO \"NOTES\" (\"ID\", \"NOTE\", \"DATA\")\n  SELECT ?, ?, ? FROM dual\n  "
      "UNION ALL SELECT ?, ?, ? FROM dual";
  const std::string alone = "INSERT INTO \"NOTES\" (\"ID\", \"NOTE\", \"DATA\") VALUES (?, ?, ?)";
  EXPECT_EQ(statements, (std::vector<std::string>{batched, alone, batched, alone}));
}

TEST(InsertRuns, RunsKeepTheStatementSizeAroundALongBind) {
  const auto oracle = schema::make_dialect("oracle");
  EXPECT_EQ(insert_runs(notes_batch(), notes_table(), oracle->sql_forms(), 1),
            (std::vector<InsertRun>{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}));
  EXPECT_EQ(insert_runs(archive::Batch({Storage::kInt64, Storage::kBytes, Storage::kBytes}),
                        notes_table(), oracle->sql_forms(), 1000),
            std::vector<InsertRun>{});
  // A NULL is no long bind.
  archive::Batch nulls({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  for (int row = 0; row < 5; ++row) {
    nulls.column(0).append_int(row);
    nulls.column(1).append_null();
    nulls.column(2).append_null();
  }
  EXPECT_EQ(insert_runs(nulls, notes_table(), oracle->sql_forms(), 2),
            (std::vector<InsertRun>{{0, 2}, {2, 2}, {4, 1}}));
}

TEST(InsertRuns, EnginesThatBindAnyLengthInBatchesDoNotSplit) {
  for (const char* name : {"postgres", "mariadb", "mssql", "sqlite"}) {
    const auto dialect = schema::make_dialect(name);
    EXPECT_EQ(insert_runs(notes_batch(), notes_table(), dialect->sql_forms(), 4),
              (std::vector<InsertRun>{{0, 4}, {4, 2}}))
        << name;
  }
}

}  // namespace
}  // namespace bru::data

// The SQL bru generates for the history table and the lock of SQL Server and Oracle, which have
// no server here: compared byte for byte with golden files in tests/unit/testdata/update_sql/
// (regenerate with BRU_REGENERATE_GOLDEN=1 after a deliberate change, and review the diff). The
// same files are parsed by independent parsers in the update_sql_parsers CTest test
// (tests/unit/testdata/update_sql/check_parsers.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/update_dialect.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

// Every plain statement of the facet, each followed by the dialect's terminator line.
std::string plain_sql(const schema::UpdateDialect& dialect, std::string_view terminator) {
  std::string text;
  std::vector<std::string> statements{dialect.history_exists_sql(), dialect.create_history_sql(),
                                      dialect.history_migrated_sql()};
  for (const auto& sql : dialect.migrate_history_sql()) statements.push_back(sql);
  for (const auto& sql :
       {dialect.select_history_sql(false), dialect.select_history_sql(),
        dialect.insert_history_sql(), dialect.update_history_sql(), dialect.repair_checksum_sql(),
        dialect.current_user_sql(), dialect.lock_holder_sql()}) {
    statements.push_back(sql);
  }
  for (const auto& sql : statements) {
    text += sql;
    text += terminator;
  }
  return text;
}

TEST(UpdateSqlGolden, MssqlHistoryAndLock) {
  const auto engine = schema::make_dialect("mssql");
  const auto* dialect = &engine->update();
  EXPECT_TRUE(dialect->transactional_ddl());
  expect_update_sql_golden("mssql.sql", plain_sql(*dialect, "\nGO\n"));
  // Kept apart: sqlglot does not take EXEC @result = procedure (sqlfluff does).
  expect_update_sql_golden("mssql_lock.sql",
                           dialect->try_lock_sql() + "\nGO\n" + dialect->unlock_sql() + "\nGO\n");
}

TEST(UpdateSqlGolden, OracleHistory) {
  const auto engine = schema::make_dialect("oracle");
  const auto* dialect = &engine->update();
  EXPECT_FALSE(dialect->transactional_ddl());
  expect_update_sql_golden("oracle.sql", plain_sql(*dialect, ";\n"));
}

// PL/SQL blocks, kept apart: sqlfluff's oracle dialect rejects them (and the `/` lines).
TEST(UpdateSqlGolden, OracleLockBlocks) {
  const auto engine = schema::make_dialect("oracle");
  const auto* dialect = &engine->update();
  EXPECT_EQ(dialect->lock_report(), schema::LockReport::kError);
  EXPECT_EQ(dialect->lock_busy_native_code(), 20001);
  expect_update_sql_golden("oracle_lock.sql",
                           dialect->try_lock_sql() + "\n/\n" + dialect->unlock_sql() + "\n/\n");
}

TEST(UpdateSqlGolden, EveryEngineHasAFacetAndUnknownIsAUsageError) {
  for (const char* name : {"postgres", "sqlite", "mariadb", "mssql", "oracle"}) {
    EXPECT_EQ(schema::make_dialect(name)->update().name(), name);
  }
  EXPECT_TRUE(schema::make_dialect("postgres")->update().transactional_ddl());
  EXPECT_TRUE(schema::make_dialect("sqlite")->update().transactional_ddl());
  EXPECT_FALSE(schema::make_dialect("mariadb")->update().transactional_ddl());
  EXPECT_EQ(schema::make_dialect("sqlite")->update().try_lock_sql(), "");
  // SQLITE_BUSY: bru retries BEGIN IMMEDIATE until -LOCKWAIT has passed.
  EXPECT_EQ(schema::make_dialect("sqlite")->update().lock_busy_native_code(), 5);
  try {
    schema::make_dialect("db2");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(error.render(), "error: unknown dialect \"db2\"\n"
                              "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n");
  }
}

}  // namespace
}  // namespace bru::test

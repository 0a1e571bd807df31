// The SQL bru -MIGRATE writes (bru/migrate/migrate_sql.h) for SQL Server and Oracle, which have no
// server here: every statement for every part of the WFM map, compared byte for byte with golden
// files in tests/unit/testdata/update_sql/migrate_*.sql (BRU_REGENERATE_GOLDEN=1 rewrites them;
// review the diff) and parsed by sqlfluff and sqlglot in the update_sql_parsers test. The same
// code runs against SQLite, PostgreSQL and MariaDB in the Migrate* cli tests.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bru/migrate/map.h"
#include "bru/migrate/migrate_sql.h"
#include "schema/dialect_names.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

// Two rows for an INSERT into the part's columns: numbers, a quote, non-Latin text, a NULL.
std::vector<migrate::Values> sample_rows(std::size_t columns) {
  std::vector<migrate::Values> rows(2);
  for (std::size_t column_idx = 0; column_idx < columns; ++column_idx) {
    rows[0].push_back(std::to_string(column_idx + 1));
    rows[1].push_back(column_idx % 3 == 0   ? std::optional<std::string>("O'Brien, Zoë, 東京")
                      : column_idx % 3 == 1 ? std::optional<std::string>()
                                            : std::optional<std::string>("2026-03-29 02:30:00"));
  }
  return rows;
}

// The mappings of the WFM map whose statements are in the golden files: one of each rule (copy,
// union, split, merge), keys of one and of two columns, an identity, performance data. All of
// them would make sqlfluff take minutes; these are every form -MIGRATE writes.
bool in_golden(const std::string& mapping) {
  for (const char* name : {"business_unit", "site", "multi_site_activity_member", "user_permission",
                           "agent_information", "schedule", "performance_data"}) {
    if (mapping == name) return true;
  }
  return false;
}

// Every statement -MIGRATE sends to an engine for those mappings, as a source and as a target,
// each followed by the terminator; the session and snapshot statements are in session_sql().
std::string migrate_sql(const std::string& engine, const std::string& terminator) {
  const auto dialect = schema::make_dialect(engine);
  const migrate::MigrateSql sql(dialect->sql_forms(), false);
  const auto map = migrate::load_map(source_path("sql/wfm/remap-6.5-to-8.5.json"));
  std::vector<std::string> statements{
      sql.fill(dialect->sql_forms().table_exists_query, migrate::kProgressTable),
      sql.create_progress_table()};
  for (const auto& mapping : map.mappings) {
    if (!in_golden(mapping.name)) continue;
    for (const auto& part : mapping.parts) {
      statements.push_back(sql.insert_progress(part.id, mapping.name, "base", "2026-12-02 13:00:00"));
      statements.push_back(sql.select_progress(part.id));
      std::vector<std::string> columns;
      statements.push_back(sql.slice_select(part, std::nullopt, 50000, columns));
      std::vector<std::string> last_key;
      for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
        last_key.push_back(std::to_string(41 + key_idx));
      }
      columns.clear();
      statements.push_back(sql.slice_select(part, nlohmann::json(last_key).dump(), 50000, columns));
      std::vector<std::string> target_columns;
      for (const auto& rule : part.columns) target_columns.push_back(rule.target);
      const auto rows = sample_rows(target_columns.size());
      statements.push_back(sql.insert_rows(mapping.to, target_columns, {&rows[0], &rows[1]}));
      migrate::PartProgress progress;
      progress.part_id = part.id;
      progress.mapping = mapping.name;
      progress.state = "running";
      progress.last_key = nlohmann::json(last_key).dump();
      progress.source_rows = progress.target_rows = 50000;
      progress.started_at = "2026-12-02 13:00:00";
      progress.runs = 1;
      statements.push_back(sql.update_progress(progress, "2026-12-02 13:00:05"));
    }
    statements.push_back(sql.fill(dialect->sql_forms().identity_columns_query, mapping.to));
  }
  // A binary column: bytes 00 ff, a quote and a backslash; an empty value; NULL.
  const std::vector<migrate::Values> binary_rows = {
      {std::string("1"), std::string("\x00\xff'\\", 4)},
      {std::string("2"), std::string()},
      {std::string("3"), std::nullopt}};
  statements.push_back(sql.insert_rows("document", {"document_id", "content"},
                                       {&binary_rows[0], &binary_rows[1], &binary_rows[2]},
                                       {false, true}));
  for (const auto form : {dialect->sql_forms().explicit_identity_on,
                          dialect->sql_forms().explicit_identity_off}) {
    if (!form.empty()) statements.push_back(sql.fill(form, "schedule"));
  }
  std::string text;
  for (const auto& statement : statements) text += statement + terminator;
  return text;
}

// The session set-up and the read snapshot, kept apart: neither parser reads ALTER SESSION or SET
// TRANSACTION READ ONLY (Oracle) or SET DATEFORMAT (SQL Server); checked here only.
std::string session_sql(const std::string& engine, const std::string& terminator) {
  const auto dialect = schema::make_dialect(engine);
  std::string text;
  for (const auto setup : dialect->sql_forms().session_setup) text += std::string(setup) + terminator;
  for (const auto& begin : dialect->begin_snapshot_sql()) text += begin + terminator;
  return text;
}

TEST(MigrateSqlGolden, SqlServerStatementsForTheWfmMap) {
  expect_update_sql_golden("migrate_mssql.sql", migrate_sql("mssql", "\nGO\n"));
  expect_update_sql_golden("migrate_mssql_session.sql", session_sql("mssql", "\nGO\n"));
  // No identity statement after the inserts: SQL Server moves an identity past explicit values.
  EXPECT_EQ(schema::make_dialect("mssql")->sql_forms().identity_past_keys, "");
}

TEST(MigrateSqlGolden, OracleStatementsForTheWfmMap) {
  expect_update_sql_golden("migrate_oracle.sql", migrate_sql("oracle", ";\n"));
  expect_update_sql_golden("migrate_oracle_session.sql", session_sql("oracle", ";\n"));
  // Kept apart: neither parser reads GENERATED BY DEFAULT AS IDENTITY (checked here only).
  const auto dialect = schema::make_dialect("oracle");
  const migrate::MigrateSql sql(dialect->sql_forms(), false);
  expect_update_sql_golden("migrate_oracle_identity.sql",
                           sql.fill(dialect->sql_forms().identity_past_keys, "schedule",
                                    "SCHEDULE_ID") + ";\n");
}

TEST(MigrateSqlGolden, EachEngineKeepsItsSliceAndLiteralForms) {
  migrate::Part part;
  part.id = "p";
  part.from = "t";
  part.key = {"a", "b"};
  std::vector<std::string> columns;
  const std::string last_key = R"(["1","x\\y"])";
  const auto slice = [&](const std::string& engine, bool escapes) {
    const auto dialect = schema::make_dialect(engine);
    const migrate::MigrateSql sql(dialect->sql_forms(), escapes);
    columns.clear();
    return sql.slice_select(part, last_key, 10, columns);
  };
  const std::string row_value =
      "SELECT f.a AS c0, f.b AS c1 FROM t f WHERE (f.a, f.b) > ('1', 'x\\y') ORDER BY f.a, f.b";
  EXPECT_EQ(slice("postgres", false), row_value + " LIMIT 10");
  EXPECT_EQ(slice("sqlite", false), row_value + " LIMIT 10");
  EXPECT_EQ(slice("mariadb", true),
            "SELECT f.a AS c0, f.b AS c1 FROM t f WHERE f.a >= '1' AND ((f.a > '1') OR (f.a = '1' "
            "AND f.b > 'x\\\\y')) ORDER BY f.a, f.b LIMIT 10");
  EXPECT_EQ(slice("mssql", false),
            "SELECT TOP (10) f.a AS c0, f.b AS c1 FROM t f WHERE f.a >= N'1' AND ((f.a > N'1') OR "
            "(f.a = N'1' AND f.b > N'x\\y')) ORDER BY f.a, f.b");
  EXPECT_EQ(slice("oracle", false),
            "SELECT * FROM (SELECT f.a AS c0, f.b AS c1 FROM t f WHERE f.a >= '1' AND ((f.a > '1') "
            "OR (f.a = '1' AND f.b > 'x\\y')) ORDER BY f.a, f.b) WHERE ROWNUM <= 10");

  for (const char* engine : {"sqlite", "postgres", "mariadb", "mssql", "oracle"}) {
    EXPECT_NE(schema::make_dialect(engine)->sql_forms().table_exists_query, "") << engine;
  }

  const migrate::Values row = {std::string("1"), std::nullopt};
  const auto oracle = schema::make_dialect("oracle");
  const migrate::MigrateSql oracle_sql(oracle->sql_forms(), false);
  EXPECT_EQ(oracle_sql.insert_rows("t", {"a", "b"}, {&row, &row}),
            "INSERT INTO t (a, b) SELECT '1', NULL FROM dual UNION ALL SELECT '1', NULL FROM dual");
  const auto sqlite = schema::make_dialect("sqlite");
  const migrate::MigrateSql sqlite_sql(sqlite->sql_forms(), false);
  EXPECT_EQ(sqlite_sql.insert_rows("t", {"a", "b"}, {&row, &row}),
            "INSERT INTO t (a, b) VALUES ('1', NULL), ('1', NULL)");
}

TEST(MigrateSqlGolden, AValueLongerThanOracleTakesInALiteralIsATypeMappingError) {
  const auto oracle = schema::make_dialect("oracle");
  const migrate::MigrateSql sql(oracle->sql_forms(), false);
  EXPECT_EQ(sql.literal(std::string(4000, 'x')).size(), 4002u);
  try {
    sql.literal(std::string(4001, 'x'));
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "a value of 4001 bytes is longer than the 4000 bytes this engine takes in one literal");
    EXPECT_FALSE(error.hints().empty());
  }
}

}  // namespace
}  // namespace bru::test

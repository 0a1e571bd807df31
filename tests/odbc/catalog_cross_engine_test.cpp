// The WFM sample's schema (tools/sample) across engines, DDL side: read from one engine, created by the other
// dialect's DDL, read back, and each column keeps its portable kind, keys, indexes and foreign
// keys. (The data of the same round trips is the restore's business: tests/cli.)
#include <gtest/gtest.h>

#include <algorithm>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/sqlite/sqlite.h"
#include "support/sample_data.h"
#include "support/test_support.h"
#include "unit/support/catalog_text.h"

namespace bru::schema::dialects {
namespace {

odbc::Connection open_session(const std::string& conn_text, const Dialect& dialect) {
  auto connection = odbc::Connection::open(odbc::parse_connection(conn_text, {}), {});
  for (const auto& sql : dialect.session_setup_sql()) connection.execute(sql);
  return connection;
}

// Creates the catalog's tables with the dialect's DDL, in restore order.
void create_tables(odbc::ConnectionRunner& runner, const Dialect& dialect, const Catalog& catalog) {
  for (const auto& table : catalog.tables) runner.execute(dialect.create_table_sql(table));
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect.post_data_sql(table)) runner.execute(sql);
  }
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect.foreign_key_sql(table)) runner.execute(sql);
  }
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect.reset_identity_sql(table)) runner.execute(sql);
  }
}

// The catalog without what an engine decides by itself: native types, defaults, constraint names
// SQLite does not keep, schema names, the identity's engine-specific kind.
std::string portable_shape(std::vector<Table> tables) {
  for (auto& table : tables) {
    table.schema.clear();
    table.primary_key_name.clear();
    for (auto& column : table.columns) {
      column.native_type.clear();
      column.identity_kind.clear();
      column.default_sql.reset();
      column.nullable =
          column.nullable && std::find(table.primary_key.begin(), table.primary_key.end(),
                                       column.name) == table.primary_key.end();
    }
    for (auto& unique : table.uniques) unique.name.clear();
    for (auto& fk : table.foreign_keys) {
      fk.name.clear();
      fk.ref_schema.clear();
    }
    // PostgreSQL lists foreign keys by name, SQLite in declaration order.
    std::sort(table.foreign_keys.begin(), table.foreign_keys.end(),
              [](const ForeignKey& a, const ForeignKey& b) { return a.columns < b.columns; });
  }
  return test::describe(tables);
}

// The column of `table` named `name` (the test fails when there is none).
const Column* column_named(const Catalog& catalog, std::string_view table, std::string_view name) {
  for (const auto& candidate : catalog.tables) {
    if (candidate.name != table) continue;
    for (const auto& column : candidate.columns) {
      if (column.name == name) return &column;
    }
  }
  ADD_FAILURE() << "no column " << table << "." << name;
  return nullptr;
}

TEST(CrossEngineCatalogTest, SampleFromSqliteIntoPostgres) {
  test::ScratchDir scratch;
  SqliteDialect sqlite;
  PostgresDialect postgres;
  auto source = open_session("sqlite;" + (scratch / "wfm.db").string(), sqlite);
  odbc::ConnectionRunner source_runner(source);
  for (const auto& sql : test::sample_ddl("sqlite")) source_runner.execute(sql);
  const Catalog from_sqlite = sqlite.read_catalog(source_runner, {});
  ASSERT_EQ(from_sqlite.tables.size(), 6u);

  auto target = open_session(test::create_postgres_database("bru_wfm_from_sqlite"), postgres);
  odbc::ConnectionRunner target_runner(target);
  create_tables(target_runner, postgres, from_sqlite);
  const Catalog in_postgres = postgres.read_catalog(target_runner, {});
  EXPECT_EQ(portable_shape(in_postgres.tables), portable_shape(from_sqlite.tables));
  EXPECT_TRUE(in_postgres.warnings.empty());
  // SQLite's AUTOINCREMENT key became an identity column, so new rows get keys; a plain INT
  // key stays a plain column.
  const Column* schedule_id = column_named(in_postgres, "schedule", "schedule_id");
  ASSERT_NE(schedule_id, nullptr);
  EXPECT_EQ(schedule_id->identity_kind, "by default");
  const Column* agent_id = column_named(in_postgres, "agent", "agent_id");
  ASSERT_NE(agent_id, nullptr);
  EXPECT_FALSE(agent_id->identity);
}

TEST(CrossEngineCatalogTest, SampleFromPostgresIntoSqlite) {
  SqliteDialect sqlite;
  PostgresDialect postgres;
  auto source = open_session(test::create_postgres_database("bru_wfm_pg"), postgres);
  odbc::ConnectionRunner source_runner(source);
  for (const auto& sql : test::sample_ddl("postgres")) source_runner.execute(sql);
  const Catalog from_postgres = postgres.read_catalog(source_runner, {});
  ASSERT_EQ(from_postgres.tables.size(), 6u);

  test::ScratchDir scratch;
  auto target = open_session("sqlite;" + (scratch / "wfm.db").string(), sqlite);
  odbc::ConnectionRunner target_runner(target);
  create_tables(target_runner, sqlite, from_postgres);
  const Catalog in_sqlite = sqlite.read_catalog(target_runner, {});
  EXPECT_EQ(portable_shape(in_sqlite.tables), portable_shape(from_postgres.tables));
  EXPECT_TRUE(in_sqlite.warnings.empty());

  // And back into PostgreSQL: the same shape again.
  auto again = open_session(test::create_postgres_database("bru_wfm_pg_again"), postgres);
  odbc::ConnectionRunner again_runner(again);
  create_tables(again_runner, postgres, in_sqlite);
  EXPECT_EQ(portable_shape(postgres.read_catalog(again_runner, {}).tables),
            portable_shape(from_postgres.tables));
}

}  // namespace
}  // namespace bru::schema::dialects

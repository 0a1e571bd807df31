// The Chinook schema across engines, DDL side: read from one engine, created by the other
// dialect's DDL, read back, and each column keeps its portable kind, keys, indexes and foreign
// keys. (The data of the same round trips is the restore's business: tests/cli.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/dialects/postgres.h"
#include "schema/dialects/sqlite.h"
#include "support/test_support.h"
#include "unit/support/catalog_text.h"

namespace bru::schema::dialects {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The statements of a fixture script (block comments removed, split at semicolons that end a
// line) that keep() accepts.
std::vector<std::string> statements_of(std::string script,
                                       const std::function<bool(const std::string&)>& keep) {
  for (auto open = script.find("/*"); open != std::string::npos; open = script.find("/*", open)) {
    script.erase(open, script.find("*/", open) + 2 - open);
  }
  std::vector<std::string> statements;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(";\n", start);
    if (end == std::string::npos) end = script.size();
    std::string statement = script.substr(start, end - start);
    statement.erase(0, statement.find_first_not_of(" \r\n\t"));
    if (keep(statement)) statements.push_back(statement);
    start = end + 2;
  }
  return statements;
}

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

TEST(CrossEngineCatalogTest, ChinookFromSqliteIntoPostgres) {
  test::ScratchDir scratch;
  SqliteDialect sqlite;
  PostgresDialect postgres;
  auto source = open_session("sqlite;" + (scratch / "chinook.db").string(), sqlite);
  odbc::ConnectionRunner source_runner(source);
  const auto script = read_file(test::fixture_path("chinook/Chinook_Sqlite.sql"));
  for (const auto& sql : statements_of(script, [](const std::string& statement) {
         return statement.rfind("CREATE TABLE", 0) == 0 || statement.rfind("CREATE INDEX", 0) == 0;
       })) {
    source_runner.execute(sql);
  }
  const Catalog from_sqlite = sqlite.read_catalog(source_runner, {});
  ASSERT_EQ(from_sqlite.tables.size(), 11u);

  auto target = open_session(test::create_postgres_database("bru_chinook_from_sqlite"), postgres);
  odbc::ConnectionRunner target_runner(target);
  create_tables(target_runner, postgres, from_sqlite);
  const Catalog in_postgres = postgres.read_catalog(target_runner, {});
  EXPECT_EQ(portable_shape(in_postgres.tables), portable_shape(from_sqlite.tables));
  EXPECT_TRUE(in_postgres.warnings.empty());
  // SQLite's rowid keys became identity columns, so new rows get keys.
  EXPECT_EQ(in_postgres.tables[0].columns[0].identity_kind, "by default");
}

TEST(CrossEngineCatalogTest, ChinookFromPostgresIntoSqlite) {
  SqliteDialect sqlite;
  PostgresDialect postgres;
  auto source = open_session(test::create_postgres_database("bru_chinook_pg"), postgres);
  odbc::ConnectionRunner source_runner(source);
  const auto script = read_file(test::fixture_path("chinook/Chinook_PostgreSql.sql"));
  for (const auto& sql : statements_of(script, [](const std::string& statement) {
         return statement.rfind("CREATE TABLE", 0) == 0 || statement.rfind("ALTER TABLE", 0) == 0 ||
                statement.rfind("CREATE INDEX", 0) == 0;
       })) {
    source_runner.execute(sql);
  }
  const Catalog from_postgres = postgres.read_catalog(source_runner, {});
  ASSERT_EQ(from_postgres.tables.size(), 11u);

  test::ScratchDir scratch;
  auto target = open_session("sqlite;" + (scratch / "chinook.db").string(), sqlite);
  odbc::ConnectionRunner target_runner(target);
  create_tables(target_runner, sqlite, from_postgres);
  const Catalog in_sqlite = sqlite.read_catalog(target_runner, {});
  EXPECT_EQ(portable_shape(in_sqlite.tables), portable_shape(from_postgres.tables));
  EXPECT_TRUE(in_sqlite.warnings.empty());

  // And back into PostgreSQL: the same shape again.
  auto again = open_session(test::create_postgres_database("bru_chinook_pg_again"), postgres);
  odbc::ConnectionRunner again_runner(again);
  create_tables(again_runner, postgres, in_sqlite);
  EXPECT_EQ(portable_shape(postgres.read_catalog(again_runner, {}).tables),
            portable_shape(from_postgres.tables));
}

}  // namespace
}  // namespace bru::schema::dialects

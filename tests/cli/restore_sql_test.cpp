// bru -RESTORE -SQL: the restore written as a script for each of the five engines, from one
// archive of bru's own making (an SQLite file with every portable kind, keys, an index, a foreign
// key, an identity and a default, backed up by bru).
//
// What proves what:
//  * sqlite, postgres, mariadb: the script is run by the engine's own client (sqlite3, psql,
//    mariadb) into an empty database, and the result is compared with bru -RESTORE of the same
//    archive into another empty database (which bru verifies against the archive's checksums):
//    every row of every table, and the column types. That proves the script restores what the
//    archive holds.
//  * mssql, oracle: no server runs here. The scripts are compared byte for byte with golden files
//    (tests/cli/testdata/restore_sql/), which the restore_sql_parsers test parses with sqlfluff and
//    sqlglot (its script says what each parser cannot check: neither knows whether a statement
//    would succeed on a server, and each lacks some forms bru writes).
//  * errors: exit code and the whole message, and that no script (nor its .partial) is left.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "formats/archive.h"
#include "support/process.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

// Every portable kind (schema/types.h) by its SQLite declared type, and values that test the
// literals: quotes, a backslash, non-ASCII text, an empty string, NULLs, bytes 00 and FF.
constexpr const char* kSample = R"sql(
CREATE TABLE customer (
  id INTEGER PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  email VARCHAR(80) UNIQUE,
  note TEXT,
  active BOOLEAN NOT NULL DEFAULT 1
);
CREATE TABLE kinds (
  id INTEGER PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
  small SMALLINT,
  big BIGINT,
  f4 FLOAT4,
  f8 REAL,
  price NUMERIC(12,3),
  code CHAR(4),
  label VARCHAR(30) DEFAULT 'none',
  body TEXT,
  raw VARBINARY(8),
  data BLOB,
  day DATE,
  at_time TIME,
  at TIMESTAMP,
  at_tz TIMESTAMPTZ,
  uid UUID,
  doc JSON_TEXT,
  xml XML_TEXT
);
CREATE INDEX kinds_day ON kinds (day);
INSERT INTO customer VALUES (1, 'O''Brien \ back', 'ob@example.com', 'Grüße, 日本', 1),
  (2, 'Zoë', NULL, '', 0), (7, 'plain', 'p@example.com', NULL, 1);
INSERT INTO kinds VALUES
  (1, 1, -32768, 9007199254740993, 1.5, 0.1, '12345.678', 'abcd', 'it''s', 'línea
dos', X'00FF10', X'DEADBEEF00', '2024-02-29', '23:59:59.5', '2024-01-02 03:04:05.123456',
   '2024-01-02 03:04:05+00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, "x"]}',
   '<r a="1">x</r>'),
  (2, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL),
  (3, 7, 0, -1, -2.25, 1e300, '-0.001', 'wxyz', '', 'x', X'', X'', '0001-01-01', '00:00:00',
   '1999-12-31 23:59:59', '1970-01-01 00:00:00.5+00', '00000000-0000-0000-0000-000000000000',
   '1e2', '<a/>');
)sql";

constexpr const char* kEngines[] = {"sqlite", "postgres", "mariadb", "mssql", "oracle"};

// The parts of a bru connection string: engine;host:port;database;user;password.
std::vector<std::string> conn_parts(const std::string& conn) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = conn.find(';', start)) != std::string::npos; start = end + 1) {
    parts.push_back(conn.substr(start, end - start));
  }
  parts.push_back(conn.substr(start));
  return parts;
}

// Runs the script with the engine's own client into the database `conn`; fails the test with the
// client's output when it does not succeed.
void run_with_client(const std::string& engine, const std::string& conn, const fs::path& script) {
  const auto parts = conn_parts(conn);
  RunResult result;
  if (engine == "sqlite") {
    result = run_program("/usr/bin/sqlite3", {"-bail", parts[1], ".read " + script.string()});
  } else if (engine == "postgres") {
    const auto host = parts[1].substr(0, parts[1].find(':'));
    const auto port = parts[1].substr(parts[1].find(':') + 1);
    result = run_program("/usr/bin/psql",
                         {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U",
                          parts[3], "-d", parts[2], "-f", script.string()},
                         {"PGPASSWORD=" + parts[4]});
  } else {
    const auto host = parts[1].substr(0, parts[1].find(':'));
    const auto port = parts[1].substr(parts[1].find(':') + 1);
    result = run_program("/usr/bin/mariadb",
                         {"--no-defaults", "--batch", "-h", host, "-P", port, "-u", parts[3],
                          "-D", parts[2], "-e", "source " + script.string()},
                         {"MYSQL_PWD=" + parts[4]});
  }
  ASSERT_EQ(result.exit_code, 0) << engine << " client failed on " << script << ":\n"
                                 << result.out << result.err;
}

// What a database holds, comparably: each table's column types and rows in key order.
std::vector<std::vector<std::string>> contents(const std::string& engine, const std::string& conn) {
  std::vector<std::vector<std::string>> all;
  if (engine == "sqlite") {
    SqliteFile db(conn_parts(conn)[1]);
    for (const auto& row : db.rows("SELECT type, name, sql FROM sqlite_master ORDER BY name")) {
      all.push_back(row);
    }
    for (const std::string table : {"customer", "kinds"}) {
      for (const auto& row :
           db.rows("SELECT *, typeof(" + std::string(table == "kinds" ? "price" : "name") +
                   ") FROM " + table + " ORDER BY 1")) {
        all.push_back(row);
      }
    }
    return all;
  }
  SqlSession session(conn);
  const std::string schema_test =
      engine == "postgres" ? "table_schema = 'public'" : "table_schema = DATABASE()";
  for (const auto& row : session.rows(
           "SELECT table_name, column_name, data_type, is_nullable, column_default FROM "
           "information_schema.columns WHERE " + schema_test +
           " ORDER BY table_name, ordinal_position")) {
    all.push_back(row);
  }
  for (const std::string table : {"customer", "kinds"}) {
    for (const auto& row : session.rows("SELECT * FROM " + table + " ORDER BY 1")) {
      all.push_back(row);
    }
  }
  return all;
}

class RestoreSql : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteFile(source_).exec(kSample);
    const auto backup = run_bru({"-BACKUP", "-DB", "sqlite;" + source_.string(), "-FILE",
                                 archive_.string(), "-QUIET"});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
  }

  RunResult write_script(const std::string& engine, const fs::path& out,
                         std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-RESTORE", "-FILE", archive_.string(), "-SQL", out.string(),
                                     "-DIALECT", engine, "-QUIET"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bru(args);
  }

  void expect_refused(const RunResult& result, int exit_code, const std::string& err,
                      const fs::path& out) {
    EXPECT_EQ(result.exit_code, exit_code);
    EXPECT_EQ(result.err, err);
    EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  }

  ScratchDir dir_;
  fs::path source_ = dir_ / "source.sqlite";
  fs::path archive_ = dir_ / "sample.DB";
};

TEST_F(RestoreSql, ScriptsOfTheSqlEnginesRestoreWhatBruRestores) {
  for (const std::string engine : {"sqlite", "postgres", "mariadb"}) {
    SCOPED_TRACE(engine);
    const auto script = dir_ / (engine + ".sql");
    const auto written = write_script(engine, script);
    ASSERT_EQ(written.exit_code, 0) << written.err;
    EXPECT_FALSE(fs::exists(script.string() + ".partial"));
    const auto by_script = fresh_database(engine, "rsql_s_", dir_, engine + "_script.sqlite");
    const auto by_bru = fresh_database(engine, "rsql_b_", dir_, engine + "_bru.sqlite");
    run_with_client(engine, by_script, script);
    const auto restored =
        run_bru({"-RESTORE", "-DB", by_bru, "-FILE", archive_.string(), "-QUIET"});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const auto expected = contents(engine, by_bru);
    EXPECT_GE(expected.size(), 10u);
    EXPECT_EQ(contents(engine, by_script), expected);
  }
}

TEST_F(RestoreSql, SqlServerAndOracleScriptsAreTheGoldenOnes) {
  for (const std::string engine : {"mssql", "oracle"}) {
    SCOPED_TRACE(engine);
    const auto script = dir_ / (engine + ".sql");
    const auto written = write_script(engine, script);
    ASSERT_EQ(written.exit_code, 0) << written.err;
    const auto golden = source_path("tests/cli/testdata/restore_sql/" + engine + ".sql");
    if (std::getenv("BRU_REGENERATE_GOLDEN") != nullptr) {
      write_text(golden, read_text(script));
    }
    EXPECT_EQ(read_text(script), read_text(golden))
        << "golden file " << golden << " differs; BRU_REGENERATE_GOLDEN=1 rewrites it";
  }
}

// Oracle takes '' as NULL: said per column (customer.note and kinds.label, kinds.raw, kinds.data
// hold an empty value).
TEST_F(RestoreSql, OracleNamesEachColumnWhoseEmptyValuesBecomeNull) {
  const auto script = dir_ / "oracle.sql";
  const auto written = run_bru({"-RESTORE", "-FILE", archive_.string(), "-SQL", script.string(),
                                "-DIALECT", "oracle"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.err,
            "warning: column \"note\" of table \"customer\": 1 empty value becomes NULL in oracle "
            "(it takes '' as NULL)\n"
            "warning: column \"label\" of table \"kinds\": 1 empty value becomes NULL in oracle "
            "(it takes '' as NULL)\n"
            "warning: column \"raw\" of table \"kinds\": 1 empty value becomes NULL in oracle "
            "(it takes '' as NULL)\n"
            "warning: column \"data\" of table \"kinds\": 1 empty value becomes NULL in oracle "
            "(it takes '' as NULL)\n");
  const std::string summary = "restore script \"" + script.string() +
                              "\" written: 2 tables, 6 rows, archive checksums verified, ";
  EXPECT_EQ(written.out.substr(0, summary.size()), summary);
}

TEST_F(RestoreSql, SchemaOnlyDataOnlyAndTables) {
  const auto schema = dir_ / "schema.sql";
  ASSERT_EQ(write_script("postgres", schema, {"-SCHEMA-ONLY"}).exit_code, 0);
  const auto data = dir_ / "data.sql";
  ASSERT_EQ(write_script("postgres", data, {"-DATA-ONLY"}).exit_code, 0);
  const auto schema_text = read_text(schema);
  const auto data_text = read_text(data);
  EXPECT_NE(schema_text.find("CREATE TABLE \"kinds\""), std::string::npos);
  EXPECT_EQ(schema_text.find("INSERT INTO"), std::string::npos);
  EXPECT_EQ(data_text.find("CREATE TABLE"), std::string::npos);
  EXPECT_NE(data_text.find("INSERT INTO \"kinds\""), std::string::npos);
  // The two, run one after the other, give what bru -RESTORE gives.
  const auto by_script = fresh_database("postgres", "rsql_s_", dir_, "");
  const auto by_bru = fresh_database("postgres", "rsql_b_", dir_, "");
  run_with_client("postgres", by_script, schema);
  run_with_client("postgres", by_script, data);
  ASSERT_EQ(run_bru({"-RESTORE", "-DB", by_bru, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  EXPECT_EQ(contents("postgres", by_script), contents("postgres", by_bru));

  const auto one = dir_ / "one.sql";
  ASSERT_EQ(write_script("sqlite", one, {"-TABLES", "customer"}).exit_code, 0);
  const auto one_text = read_text(one);
  EXPECT_NE(one_text.find("CREATE TABLE customer"), std::string::npos);
  EXPECT_EQ(one_text.find("kinds"), std::string::npos);
}

TEST_F(RestoreSql, RefusalsSayWhyAndLeaveNoScript) {
  const auto out = dir_ / "out.sql";
  expect_refused(write_script("db2", out), 2,
                 "error: unknown dialect \"db2\"\n"
                 "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n",
                 out);
  expect_refused(run_bru({"-RESTORE", "-FILE", archive_.string(), "-SQL", out.string()}), 2,
                 "error: -RESTORE -SQL needs -DIALECT <name>\n"
                 "hint: e.g. bru -RESTORE -FILE app.DB -SQL app.sql -DIALECT postgres (sqlite, "
                 "postgres, mariadb, mssql or oracle)\n",
                 out);
  expect_refused(run_bru({"-RESTORE", "-FILE", archive_.string(), "-SQL", out.string(),
                          "-DIALECT", "sqlite", "-DB", "sqlite;" + (dir_ / "x.sqlite").string()}),
                 2,
                 "error: -RESTORE -SQL takes no -DB\n"
                 "hint: -SQL writes the restore as a script and connects to nothing; give -DB "
                 "without -SQL to restore into that database\n",
                 out);
  EXPECT_FALSE(fs::exists(out));
  write_text(out, "keep me\n");
  expect_refused(write_script("sqlite", out), 10,
                 "error: script \"" + out.string() + "\" already exists\n"
                 "hint: use -FORCE to replace it, or choose another -SQL file\n",
                 out);
  EXPECT_EQ(read_text(out), "keep me\n");
  ASSERT_EQ(write_script("sqlite", out, {"-FORCE"}).exit_code, 0);
  EXPECT_NE(read_text(out).find("INSERT INTO"), std::string::npos);
}

// '' in a NOT NULL column: Oracle would take it as NULL and refuse the row, so bru refuses first.
TEST_F(RestoreSql, OracleRefusesAnEmptyValueInANotNullColumn) {
  const auto source = dir_ / "empty.sqlite";
  SqliteFile(source).exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                          "INSERT INTO t VALUES (1, 'a'), (2, '');");
  const auto archive = dir_ / "empty.DB";
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE", archive.string(),
                     "-QUIET"}).exit_code,
            0);
  const auto out = dir_ / "empty.sql";
  expect_refused(run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                          "-DIALECT", "oracle", "-QUIET"}),
                 11,
                 "error: oracle cannot hold the empty value of NOT NULL column \"name\" of table "
                 "\"t\" (row 2): it takes '' as NULL\n"
                 "hint: no script was left; put a value in the source and back it up again, or "
                 "restore this table into another engine\n",
                 out);
  EXPECT_FALSE(fs::exists(out));
}

// A PostgreSQL archive with a view into SQL Server: refused naming the view, as a restore is;
// with -SKIP-UNPORTABLE written without it, the view named in a warning.
TEST_F(RestoreSql, ObjectsTheTargetCannotHoldAreNamed) {
  const auto conn = fresh_database("postgres", "rsql_u_", dir_, "");
  {
    SqlSession session(conn);
    session.exec("CREATE TABLE t (id int PRIMARY KEY, n text)");
    session.exec("INSERT INTO t VALUES (1, 'a')");
    session.exec("CREATE VIEW v AS SELECT * FROM t");
  }
  const auto archive = dir_ / "pg.DB";
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn, "-FILE", archive.string(), "-QUIET"}).exit_code, 0);
  const auto out = dir_ / "pg_mssql.sql";
  expect_refused(run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                          "-DIALECT", "mssql", "-QUIET"}),
                 11,
                 "error: mssql cannot hold 1 object(s) of this postgres archive: view public.v\n"
                 "hint: nothing was changed: restore into postgres to keep them, or give "
                 "-SKIP-UNPORTABLE to restore the tables, keys, indexes and rows without them "
                 "(each one is named in the report)\n",
                 out);
  EXPECT_FALSE(fs::exists(out));
  const auto skipped = run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                                "-DIALECT", "mssql", "-QUIET", "-SKIP-UNPORTABLE"});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(skipped.err,
            "warning: view public.v is not restored: mssql cannot hold it (-SKIP-UNPORTABLE)\n");
  const auto text = read_text(out);
  EXPECT_NE(text.find("IF SCHEMA_ID(N'public') IS NULL EXEC sp_executesql N'CREATE SCHEMA "
                      "[public]';\nCREATE TABLE [public].[t] ("),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("VIEW"), std::string::npos) << text;
}

// A table of `dialect`'s backup with one NOT NULL key column.
schema::Table keyed_table(const char* dialect, const char* schema_name, const char* name,
                          const char* key, schema::TypeKind kind, const char* native_type) {
  schema::Table table;
  table.schema = schema_name;
  table.name = name;
  table.dialect = dialect;
  schema::Column column;
  column.name = key;
  column.type.kind = kind;
  column.native_type = native_type;
  column.nullable = false;
  table.columns.push_back(column);
  table.primary_key = {key};
  return table;
}

// An archive as an Oracle backup writes one (no Oracle server runs here): an object type with its
// body, a table, a package with its body, in creation order; `package_sql` the package's DDL.
void write_oracle_archive(const fs::path& file, const std::string& package_sql) {
  auto writer = archive::ArchiveWriter::create(file, {});
  writer->set_meta("source_dialect", "oracle");
  writer->set_meta("database", "ORCL");
  auto unit = [&](const char* kind, const char* name, std::string sql) {
    schema::SchemaObject object;
    object.kind = kind;
    object.name = name;
    object.section = "pre-data";
    object.statements = {std::move(sql)};
    writer->add_object(object);
  };
  unit("type", "GEO_T", "CREATE OR REPLACE TYPE geo_t AS OBJECT (lat NUMBER, lon NUMBER)");
  unit("type body", "GEO_T",
       "CREATE OR REPLACE TYPE BODY geo_t AS\n  MEMBER FUNCTION km RETURN NUMBER IS\n  BEGIN\n"
       "    RETURN 0;\n  END;\nEND;");
  const auto table = keyed_table("oracle", "SHOP", "ORDERS", "ID", schema::TypeKind::kInt64,
                                 "NUMBER(19)");
  writer->finish_table(writer->add_table(table, "CREATE TABLE \"ORDERS\" (\"ID\" NUMBER(19))"));
  unit("package", "BILLING", package_sql);
  unit("package body", "BILLING",
       "CREATE OR REPLACE PACKAGE BODY billing AS\n  PROCEDURE close_month IS\n  BEGIN\n"
       "    DELETE FROM orders WHERE id < 0;\n  END;\nEND billing;");
  writer->finish();
}

TEST_F(RestoreSql, OraclePackagesAndTypesGoOnlyIntoOracle) {
  const auto archive = dir_ / "oracle.DB";
  write_oracle_archive(archive, "CREATE OR REPLACE PACKAGE billing AS\n  PROCEDURE close_month;\n"
                                "END billing;");
  const auto out = dir_ / "oracle_units.sql";
  const auto written = run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                                "-DIALECT", "oracle", "-QUIET"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const auto text = read_text(out);
  // Types before the table, the package after it, each body after its specification, each unit
  // ended by a "/" line for SQL*Plus.
  std::vector<std::size_t> at;
  for (const char* head : {"CREATE OR REPLACE TYPE geo_t AS OBJECT (lat NUMBER, lon NUMBER)\n/\n",
                           "CREATE OR REPLACE TYPE BODY geo_t AS\n", "CREATE TABLE \"ORDERS\" (",
                           "CREATE OR REPLACE PACKAGE billing AS\n",
                           "CREATE OR REPLACE PACKAGE BODY billing AS\n"}) {
    at.push_back(text.find(head));
    EXPECT_NE(at.back(), std::string::npos) << head << " not in:\n" << text;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << text;
  EXPECT_NE(text.find("END billing;\n/\n"), std::string::npos) << text;

  // Another engine holds none of them: each is named, nothing is written.
  const auto other = dir_ / "oracle_pg.sql";
  expect_refused(run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", other.string(),
                          "-DIALECT", "postgres", "-QUIET"}),
                 11,
                 "error: postgres cannot hold 4 object(s) of this oracle archive: type GEO_T, "
                 "type body GEO_T, package BILLING, package body BILLING\n"
                 "hint: nothing was changed: restore into oracle to keep them, or give "
                 "-SKIP-UNPORTABLE to restore the tables, keys, indexes and rows without them "
                 "(each one is named in the report)\n",
                 other);
  EXPECT_FALSE(fs::exists(other));
}

TEST_F(RestoreSql, AnOraclePackageEntryThatIsNoPackageIsRefused) {
  const auto archive = dir_ / "crafted.DB";
  write_oracle_archive(archive, "CREATE OR REPLACE PROCEDURE billing AS BEGIN NULL; END;");
  const auto out = dir_ / "crafted.sql";
  const auto result = run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                               "-DIALECT", "oracle", "-QUIET"});
  EXPECT_EQ(result.exit_code, 5) << result.err;
  EXPECT_EQ(result.err,
            "error: archive entry package \"BILLING\" is not a single CREATE OR REPLACE PACKAGE "
            "of package \"BILLING\": CREATE OR REPLACE PROCEDURE billing AS BEGIN NULL; END;\n"
            "hint: the archive was edited or crafted; nothing was restored. Restore only archives "
            "from a source you trust (README: what a restore can do to a target)\n");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
}

// An archive as a SQL Server backup writes one (no SQL Server runs here): table [sales].[orders]
// with an identity, a function, a view and a procedure over it and a trigger on it, in the
// order mssql_catalog.cpp gives them.
void write_mssql_archive(const fs::path& file) {
  auto writer = archive::ArchiveWriter::create(file, {});
  writer->set_meta("source_dialect", "mssql");
  writer->set_meta("database", "shop");
  auto module = [&](const char* kind, const char* name, const char* section, std::string sql) {
    schema::SchemaObject object;
    object.kind = kind;
    object.schema = "sales";
    object.name = name;
    object.section = section;
    object.statements = {std::move(sql)};
    if (std::string(kind) == "trigger") object.depends = {"table sales.orders"};
    writer->add_object(object);
  };
  module("function", "sales.tax", "pre-data",
         "CREATE FUNCTION sales.tax(@amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) AS\nBEGIN\n"
         "  RETURN @amount * 0.2;\nEND");
  auto table = keyed_table("mssql", "sales", "orders", "id", schema::TypeKind::kInt32, "int");
  table.columns[0].identity = true;
  table.columns[0].identity_kind = "IDENTITY(1,1)";
  schema::Column amount;
  amount.name = "amount";
  amount.type = {schema::TypeKind::kDecimal, 0, 10, 2};
  amount.native_type = "decimal(10,2)";
  table.columns.push_back(amount);
  table.primary_key_name = "orders_pk";
  writer->finish_table(writer->add_table(table, ""));
  module("view", "sales.big_orders", "pre-data",
         "CREATE VIEW [sales].[big_orders] AS SELECT id, sales.tax(amount) AS tax FROM "
         "sales.orders WHERE amount > 100");
  module("procedure", "sales.purge", "pre-data",
         "CREATE PROCEDURE sales.purge AS\nBEGIN\n  SET NOCOUNT ON;\n  DELETE FROM "
         "[sales].[orders] WHERE amount < 0;\nEND");
  module("trigger", "sales.orders_ai", "post-data",
         "CREATE TRIGGER sales.orders_ai ON sales.orders AFTER INSERT AS\nBEGIN\n  SET NOCOUNT "
         "ON;\nEND");
  writer->finish();
}

// A SQL Server archive with modules, restored into SQL Server as scripts: as it is, -CLEAN (DROP
// ... IF EXISTS, newest first), -DATA-ONLY (the rows only) and -REMAP-SCHEMA sales:shop (every
// qualified name in the modules too), all four compared with the golden mssql_native.sql, which
// restore_sql_parsers parses.
TEST_F(RestoreSql, SqlServerNativeDdlWithCleanDataOnlyAndRemap) {
  const auto archive = dir_ / "mssql.DB";
  write_mssql_archive(archive);
  std::string scripts;
  const std::vector<std::vector<std::string>> runs = {
      {}, {"-CLEAN"}, {"-DATA-ONLY"}, {"-REMAP-SCHEMA", "sales:shop"}};
  for (const auto& extra : runs) {
    const auto out = dir_ / "native.sql";
    std::vector<std::string> args = {"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                                     "-DIALECT", "mssql", "-QUIET", "-FORCE"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_bru(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    scripts += "-- with:" + (extra.empty() ? std::string(" (none)") : " " + extra.front()) +
               "\n" + read_text(out) + "GO\n";
  }
  expect_golden("tests/cli/testdata/restore_sql/mssql_native.sql", scripts);
}

// SIGINT while the script is written: exit 12 and no script, not even its .partial; after
// SIGKILL only the .partial remains, and the next run replaces it.
TEST_F(RestoreSql, InterruptedOrKilledRunLeavesNoScript) {
  const auto source = dir_ / "blobs.sqlite";
  SqliteFile(source).exec(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
      "INSERT INTO t SELECT i, randomblob(200) FROM n;");
  const auto archive = dir_ / "blobs.DB";
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE", archive.string(),
                     "-QUIET"}).exit_code,
            0);
  const auto out = dir_ / "blobs.sql";
  const fs::path partial = out.string() + ".partial";
  for (const int signal_number : {SIGINT, SIGKILL}) {
    BruProcess writer({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(), "-DIALECT",
                       "postgres", "-QUIET"});
    ASSERT_TRUE(wait_until([&] {
      std::error_code ignored;
      const auto size = fs::file_size(partial, ignored);
      return !ignored && size > 0;
    }, 60)) << "the script was never written";
    writer.signal(signal_number);
    const auto result = writer.wait();
    EXPECT_FALSE(fs::exists(out)) << "signal " << signal_number;
    if (signal_number == SIGINT) {
      EXPECT_EQ(result.exit_code, 12) << result.err;
      EXPECT_EQ(result.err, "error: interrupted (SIGINT)\n"
                            "hint: nothing partial was kept: run the command again to start over\n");
      EXPECT_FALSE(fs::exists(partial));
    } else {
      EXPECT_TRUE(fs::exists(partial));
    }
  }
  const auto again = run_bru({"-RESTORE", "-FILE", archive.string(), "-SQL", out.string(),
                              "-DIALECT", "postgres", "-QUIET"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_NE(read_text(out).find("COMMIT;\n"), std::string::npos);
}

// A chunk whose bytes changed: exit 5 naming it, and no script, not even a partial one.
TEST_F(RestoreSql, DamagedArchiveLeavesNoScript) {
  {
    SqliteFile archive(archive_);
    archive.exec("UPDATE bru_chunks SET payload = zeroblob(length(payload)) WHERE seq = 0 "
                 "AND object_id = (SELECT MAX(object_id) FROM bru_chunks)");
  }
  const auto out = dir_ / "out.sql";
  const auto result = write_script("postgres", out);
  EXPECT_EQ(result.exit_code, 5) << result.err;
  EXPECT_EQ(result.err,
            "error: table \"kinds\", chunk 0: the compressed payload is not a zstd frame\n"
            "hint: the archive is damaged; restore it from another copy, or take a new backup\n");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
}

}  // namespace
}  // namespace bru::test

// The SQLite dialect through the SQLite3 ODBC driver, as bru uses it: the catalog, doubles bound
// and fetched as SQL_C_DOUBLE bit for bit (the driver's own REAL conversion keeps 15 digits), the
// read snapshot, and the largest INSERT the dialect asks for.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/engines/sqlite/sqlite.h"
#include "schema/error.h"
#include "support/test_support.h"
#include "unit/support/catalog_text.h"
#include "unit/support/sqlite_fixture.h"

namespace bru::schema::dialects {
namespace {

class SqliteOdbcTest : public ::testing::Test {
 protected:
  odbc::Connection open() {
    auto connection = odbc::Connection::open(odbc::parse_connection("sqlite;" + path_, {}), {});
    for (const auto& sql : dialect_.session_setup_sql()) connection.execute(sql);
    return connection;
  }

  test::ScratchDir scratch_;
  std::string path_ = (scratch_ / "catalog.db").string();
  SqliteDialect dialect_;
};

TEST_F(SqliteOdbcTest, ReadsTheCatalogThroughTheDriver) {
  auto connection = open();
  odbc::ConnectionRunner runner(connection);
  // The driver runs one statement per call: split the fixture at its semicolons.
  std::string script = test::kSqliteSchema;
  std::size_t start = 0;
  while (start < script.size()) {
    auto end = script.find(';', start);
    if (end == std::string::npos) end = script.size();
    const auto statement = script.substr(start, end - start);
    if (statement.find_first_not_of(" \n") != std::string::npos) runner.execute(statement);
    start = end + 1;
  }
  const Catalog catalog = dialect_.read_catalog(runner, {});
  EXPECT_EQ(catalog.database, path_);
  EXPECT_EQ(test::describe(catalog.tables), test::kSqliteSchemaDescription);
  EXPECT_EQ(catalog.warnings.size(), 2u);
}

std::uint64_t bits_of(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

TEST_F(SqliteOdbcTest, DoublesTravelBitForBit) {
  auto connection = open();
  odbc::ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, x REAL, y DOUBLE PRECISION)");
  const std::vector<double> values = {0.1 + 0.2,
                                      DBL_MAX,
                                      -DBL_MAX,
                                      DBL_MIN,
                                      std::nextafter(DBL_MIN, 0.0),
                                      DBL_TRUE_MIN,
                                      1e23,
                                      1.0 / 3.0,
                                      -2.5e-300,
                                      3.4183770124048176e+222,
                                      123456789.123456789,
                                      0.0,
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      9007199254740993.0,
                                      4503599627370497.5};
  Catalog catalog = dialect_.read_catalog(runner, {});
  ASSERT_EQ(catalog.tables.size(), 1u);
  const Table& table = catalog.tables[0];
  {
    // As the restore binds them: SQL_C_DOUBLE parameters of the dialect's INSERT.
    auto statement = connection.statement();
    statement.prepare(dialect_.insert_sql(table, 1));
    for (std::size_t idx = 0; idx < values.size(); ++idx) {
      SQLBIGINT id = static_cast<SQLBIGINT>(idx + 1);
      double value = values[idx];
      SQLLEN id_length = 0;
      SQLLEN value_length = 0;
      SQLLEN null_length = SQL_NULL_DATA;
      double unused = 0;
      ASSERT_TRUE(
          SQL_SUCCEEDED(SQLBindParameter(statement.native(), 1, SQL_PARAM_INPUT, SQL_C_SBIGINT,
                                         SQL_BIGINT, 0, 0, &id, 0, &id_length)));
      ASSERT_TRUE(
          SQL_SUCCEEDED(SQLBindParameter(statement.native(), 2, SQL_PARAM_INPUT, SQL_C_DOUBLE,
                                         SQL_DOUBLE, 0, 0, &value, 0, &value_length)));
      ASSERT_TRUE(
          SQL_SUCCEEDED(SQLBindParameter(statement.native(), 3, SQL_PARAM_INPUT, SQL_C_DOUBLE,
                                         SQL_DOUBLE, 0, 0, &unused, 0, &null_length)));
      statement.execute();
    }
  }
  // As the backup reads them: the dialect's SELECT, fetched as SQL_C_DOUBLE.
  auto statement = connection.statement();
  statement.exec_direct(dialect_.select_sql(table) + " ORDER BY id");
  std::size_t row = 0;
  while (statement.fetch()) {
    ASSERT_LT(row, values.size());
    double fetched = 0;
    SQLLEN indicator = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(
        SQLGetData(statement.native(), 2, SQL_C_DOUBLE, &fetched, sizeof fetched, &indicator)));
    EXPECT_EQ(bits_of(fetched), bits_of(values[row])) << "row " << row + 1 << ": " << fetched;
    ASSERT_TRUE(SQL_SUCCEEDED(
        SQLGetData(statement.native(), 3, SQL_C_DOUBLE, &fetched, sizeof fetched, &indicator)));
    EXPECT_EQ(indicator, SQL_NULL_DATA);
    ++row;
  }
  EXPECT_EQ(row, values.size());
}

// In WAL mode writers go on while the backup reads its snapshot. (In rollback-journal mode the
// read transaction's shared lock makes writers wait until the backup ends: SQLite's locking.)
TEST_F(SqliteOdbcTest, SnapshotHidesLaterWrites) {
  {
    // The SQLite3 driver does not run a PRAGMA that returns rows through SQLExecDirect alone.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER); "
                           "INSERT INTO t VALUES (1);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto reader = open();
  auto writer = open();
  odbc::ConnectionRunner reader_runner(reader);
  odbc::ConnectionRunner writer_runner(writer);
  reader.set_autocommit(false);
  for (const auto& sql : dialect_.begin_snapshot_sql()) reader.execute(sql);
  writer_runner.execute("INSERT INTO t VALUES (2)");
  EXPECT_EQ(*reader_runner.query("SELECT count(*) FROM t")[0][0], "1");
  reader.commit();
  EXPECT_EQ(*reader_runner.query("SELECT count(*) FROM t")[0][0], "2");
}

TEST_F(SqliteOdbcTest, InsertWithTheMostParametersRuns) {
  auto connection = open();
  odbc::ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE wide (a INTEGER, b TEXT, c REAL, d BLOB, e TEXT)");
  const Catalog catalog = dialect_.read_catalog(runner, {});
  const Table& table = catalog.tables.at(0);
  const std::size_t rows = dialect_.max_parameters() / table.columns.size();
  std::vector<std::string> params;
  for (std::size_t row = 0; row < rows; ++row) {
    for (const char* value : {"1", "two", "3.5", "four", "five"}) params.emplace_back(value);
  }
  runner.execute(dialect_.insert_sql(table, rows), params);
  EXPECT_EQ(*runner.query("SELECT count(*) FROM wide")[0][0], std::to_string(rows));
}

}  // namespace
}  // namespace bru::schema::dialects

// bru-sample's output in real databases: loaded through bru's ODBC layer (load_database) and as
// the dialect's script, into SQLite, PostgreSQL and MariaDB. Each test body runs per engine.
#include <gtest/gtest.h>

#include <cstdlib>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/error.h"
#include "schema/script/splitter.h"
#include "support/sample_data.h"
#include "support/test_support.h"
#include "tools/sample/model.h"
#include "tools/sample/output.h"
#include "unit/splitter_test_helpers.h"

namespace bru::sample {
namespace {

class SampleLoadTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // One database per test: bru_sample_<test>_<engine>.
    conn_text_ = test::fresh_database(engine(), "bru_sample_", scratch_, "wfm.db");
    ASSERT_FALSE(conn_text_.empty());
  }

  const std::string& engine() const { return GetParam(); }

  odbc::Connection open() {
    return odbc::Connection::open(odbc::parse_connection(conn_text_, {}), {});
  }

  long long count(odbc::Connection& connection, const std::string& sql) {
    odbc::ConnectionRunner runner(connection);
    const auto rows = runner.query(sql);
    return std::stoll(rows.at(0).at(0).value_or("-1"));
  }

  // Every table has the model's row count, and no row has a foreign key without its parent
  // (checked with joins: SQLite does not enforce foreign keys unless asked to).
  void expect_complete_sample(int scale) {
    const auto model = make_wfm_model();
    auto connection = open();
    for (std::size_t table_idx = 0; table_idx < model->tables().size(); ++table_idx) {
      const auto& table = model->tables()[table_idx];
      SCOPED_TRACE(table.name);
      EXPECT_EQ(count(connection, "SELECT count(*) FROM " + table.name),
                static_cast<long long>(model->row_count(table_idx, scale)));
      for (const auto& fk : table.foreign_keys) {
        EXPECT_EQ(
            count(connection, "SELECT count(*) FROM " + table.name + " c LEFT JOIN " +
                                  fk.ref_table + " p ON p." + fk.ref_columns[0] + " = c." +
                                  fk.columns[0] + " WHERE p." + fk.ref_columns[0] + " IS NULL"),
            0)
            << fk.name;
      }
    }
    // Text survives in full Unicode, the 4-byte emoji included.
    odbc::ConnectionRunner runner(connection);
    EXPECT_EQ(runner.query("SELECT name FROM activity WHERE activity_id = 2").at(0).at(0),
              "Chat \xF0\x9F\x92\xAC");
    EXPECT_EQ(count(connection, "SELECT count(*) FROM agent WHERE email = ''"),
              count(connection,
                    "SELECT count(*) FROM agent WHERE email IS NOT NULL AND "
                    "email NOT LIKE 'e%'"));
    EXPECT_GT(count(connection, "SELECT count(*) FROM agent WHERE email = ''"), 0);
    EXPECT_EQ(count(connection, "SELECT max(schedule_id) FROM schedule"),
              static_cast<long long>(test::sample_rows("schedule", scale)));
  }

  test::ScratchDir scratch_;
  std::string conn_text_;
};

TEST_P(SampleLoadTest, LoadsThroughOdbcWithEveryRowAndNoOrphan) {
  const auto model = make_wfm_model();
  const auto summary = load_database(*model, {test::kSampleSeed, 2}, conn_text_, {});
  EXPECT_EQ(summary.dialect, engine());
  EXPECT_EQ(summary.rows, test::sample_rows(2));
  expect_complete_sample(2);
}

TEST_P(SampleLoadTest, TheDialectsScriptLoadsWithEveryRowAndNoOrphan) {
  {
    auto connection = open();
    for (const auto& statement :
         schema::split_statements(engine(), test::sample_script(engine()), "wfm.sql")) {
      // MariaDB Connector/ODBC refuses SET NAMES (its connections are utf8mb4 already); the
      // script has it for the mariadb client.
      if (statement.text == "SET NAMES utf8mb4") continue;
      connection.execute(statement.text);
    }
  }
  expect_complete_sample(1);
}

// The parts of a bru connection string ("postgres;host:port;db;user;password").
std::vector<std::string> parts_of(const std::string& conn_text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = conn_text.find(';', start)) != std::string::npos; start = end + 1) {
    parts.push_back(conn_text.substr(start, end - start));
  }
  parts.push_back(conn_text.substr(start));
  return parts;
}

// The script as a DBA would load it: with the engine's own client (sqlite3, psql, mariadb),
// independent of bru's splitter and ODBC layer.
TEST_P(SampleLoadTest, TheEnginesOwnClientLoadsTheScript) {
  const auto script = scratch_ / "wfm.sql";
  test::write_text(script, test::sample_script(engine()));
  const auto parts = parts_of(conn_text_);
  std::string command;
  if (engine() == "sqlite") {
    command = "sqlite3 -bail '" + parts[1] + "' < '" + script.string() + "'";
  } else if (engine() == "postgres") {
    command = "psql -X -q -v ON_ERROR_STOP=1 'postgresql://" + parts[3] + ":" + parts[4] + "@" +
              parts[1] + "/" + parts[2] + "' -f '" + script.string() + "' > /dev/null";
  } else {
    command = "mariadb --defaults-file='" + test::env("BRU_TEST_MARIADB_CNF").value_or("") +
              "' --database=" + parts[2] + " < '" + script.string() + "'";
  }
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  expect_complete_sample(1);
}

TEST_P(SampleLoadTest, AFailedLoadSaysWhyAndLeavesNoRows) {
  {
    auto connection = open();
    // The fifth table is in the way: the load fails after creating four.
    connection.execute("CREATE TABLE schedule (x INT)");
  }
  const Error error =
      test::error_from([&] { load_database(*make_wfm_model(), {}, conn_text_, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::kDatabase);
  EXPECT_TRUE(error.message().starts_with("cannot execute \"CREATE TABLE schedule (...\": "))
      << error.message();
  ASSERT_FALSE(error.hints().empty());
  EXPECT_EQ(error.hints().back(), "bru-sample creates its own tables: load into an empty database");
  auto connection = open();
  if (engine() == "mariadb") {
    // MariaDB's DDL commits: the tables created before the failure stay, empty.
    EXPECT_EQ(count(connection, "SELECT count(*) FROM business_unit"), 0);
  } else {
    // One transaction: the tables created before the failure are gone with it.
    EXPECT_THROW(count(connection, "SELECT count(*) FROM business_unit"), Error);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SampleLoadTest,
                         ::testing::Values("sqlite", "postgres", "mariadb"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace bru::sample

// bru -UPDATE end to end on SQLite (a scratch file: sections roll back whole) and on the real
// MariaDB server tools/test.sh starts (DDL commits at once: progress per statement, a re-run
// resumes after the last statement that succeeded).
#include <chrono>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

std::string getversion(const std::string& conn) {
  const auto result = run_bru({"-GETVERSION", "-DB", conn});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

const std::string kSqliteScript =
    "-- bru:version 1\r\n"
    "-- bru:description traps\r\n"
    "CREATE TABLE t1 (id INTEGER, s TEXT DEFAULT 'a;b');\r\n"
    "CREATE TABLE [odd;name] (\"x;y\" TEXT);\r\n"
    "CREATE TRIGGER t1_log AFTER INSERT ON t1 BEGIN\r\n"
    "  INSERT INTO [odd;name] VALUES ('fired;' || NEW.id);\r\n"
    "END;\r\n"
    "INSERT INTO t1 (id) VALUES (1); /* ; */ -- ;\r\n"
    "-- bru:version 2\r\n"
    "CREATE TABLE t2 (id INTEGER);\r\n"
    "CREATE TABLE t3 (id INTEGER);\r\n"
    "CREATE TABL t4 (id INTEGER);\r\n";

TEST(UpdateSqlite, TrapsOnceFailingSectionRollsBackWhole) {
  ScratchDir dir;
  const auto script = dir / "app.sql";
  write_text(script, kSqliteScript);
  const std::string conn = "sqlite;" + (dir / "app.sqlite").string();

  const auto first = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(first.exit_code, 4);
  EXPECT_TRUE(std::regex_match(first.out, std::regex(R"(applied version 1 \(traps\) in \d+ ms\n)")))
      << first.out;
  EXPECT_EQ(first.err, "error: " + script.string() +
                           ":12: statement failed: CREATE TABL t4 (id INTEGER): near \"TABL\": "
                           "syntax error (1)\n"
                           "detail: SQLSTATE HY000 (native 1)\n"
                           "hint: the database stays at version 1; fix the script and run bru "
                           "-UPDATE again\n");
  EXPECT_EQ(getversion(conn), "1\n");
  {
    SqliteFile db(dir / "app.sqlite");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('t2', 't3')"), 0);
    EXPECT_EQ(db.rows("SELECT * FROM [odd;name]"),
              (std::vector<std::vector<std::string>>{{"text:fired;1"}}));
  }

  std::string fixed = kSqliteScript;
  fixed.replace(fixed.find("TABL t4"), 7, "TABLE t4");
  write_text(script, fixed);
  const auto second = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(std::regex_match(second.out, std::regex(R"(applied version 2 in \d+ ms\ndatabase is at version 2\n)")))
      << second.out;
  const auto third = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(third.out, "nothing to apply\ndatabase is at version 2\n");
  SqliteFile db(dir / "app.sqlite");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM t1"), 1);
  EXPECT_EQ(db.rows("SELECT version, success, statement_count, statements_done FROM "
                    "bru_schema_history ORDER BY installed_rank"),
            (std::vector<std::vector<std::string>>{
                {"text:1", "integer:1", "integer:4", "integer:4"},
                {"text:2", "integer:1", "integer:3", "integer:3"}}));

  // A backup records the version the history table holds.
  const auto archive = (dir / "app.DB").string();
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn, "-FILE", archive, "-QUIET"}).exit_code, 0);
  const auto listing = run_bru({"-LIST", "-FILE", archive});
  EXPECT_NE(listing.out.find("\nschema version  2\n"), std::string::npos) << listing.out;
}

TEST(UpdateSqlite, GetVersionOfADatabaseWithoutHistoryIsNone) {
  ScratchDir dir;
  { SqliteFile db(dir / "plain.sqlite"); db.exec("CREATE TABLE t (id INTEGER)"); }
  EXPECT_EQ(getversion("sqlite;" + (dir / "plain.sqlite").string()), "none\n");
  SqliteFile db(dir / "plain.sqlite");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'bru_schema_history'"), 0);
}

// SQLite has no session lock: another connection's write transaction is waited for, as long as
// -LOCKWAIT says (not the driver's 100 s), and the waiting run says what it waits for.
TEST(UpdateSqlite, LockWaitBoundsTheWaitForAnotherWriterAndSaysSo) {
  ScratchDir dir;
  const auto script = dir / "app.sql";
  write_text(script, "-- bru:version 1\nCREATE TABLE t1 (id INTEGER);\n");
  const std::string conn = "sqlite;" + (dir / "app.sqlite").string();
  const std::string display = "sqlite:" + (dir / "app.sqlite").string();
  {
    SqliteFile writer(dir / "app.sqlite");
    writer.exec("BEGIN IMMEDIATE");
    const auto started = std::chrono::steady_clock::now();
    const auto refused = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string(),
                                  "-LOCKWAIT", "1"});
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(refused.exit_code, 10);
    EXPECT_EQ(refused.err,
              "waiting for the write lock of " + display +
                  ": held by another connection (SQLite does not say which)\n"
                  "error: cannot take the write lock of " + display +
                  ": held by another connection (SQLite does not say which) (gave up after 1 "
                  "s)\n"
                  "hint: another bru -UPDATE (or another program) is writing to this database; "
                  "let it finish, or wait longer with -LOCKWAIT <seconds>\n");
    EXPECT_GE(waited, std::chrono::seconds(1));
    EXPECT_LT(waited, std::chrono::seconds(5));  // the driver alone would wait 100 s
    writer.exec("COMMIT");
  }
  const auto applied = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(getversion(conn), "1\n");
}

class Sql {
 public:
  explicit Sql(const std::string& conn)
      : connection_(odbc::Connection::open(odbc::parse_connection(conn, {}), {})) {}
  std::string text(const std::string& sql) {
    odbc::ConnectionRunner runner(connection_);
    const auto rows = runner.query(sql);
    return rows.empty() || rows[0].empty() || !rows[0][0] ? "NULL" : *rows[0][0];
  }

 private:
  odbc::Connection connection_;
};

const std::string kMariadbScript =
    "-- bru:version 1.0\n"
    "-- bru:description procedures\n"
    "CREATE TABLE t1 (id INT, s VARCHAR(20) DEFAULT 'a;b');\n"
    "DELIMITER //\n"
    "CREATE PROCEDURE p1() BEGIN INSERT INTO t1 (id) VALUES (1); SELECT 'x;y'; END//\n"
    "DELIMITER ;\n"
    "INSERT INTO t1 VALUES (2, 'it\\'s; \"ok\"'); # ;\n"
    "-- bru:version 1.1\n"
    "-- bru:description fails in the middle\n"
    "CREATE TABLE t2 (id INT);\n"
    "CREATE TABLE t3 (id INT);\n"
    "CREATE TABL t4 (id INT);\n"
    "CREATE TABLE t5 (id INT);\n";

TEST(UpdateMariadb, FailingStatementKeepsProgressAndRerunResumesAfterIt) {
  ScratchDir dir;
  const auto script = dir / "maria.sql";
  write_text(script, kMariadbScript);
  const std::string conn = create_mariadb_database("upd_resume");

  const auto first = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(first.exit_code, 4);
  EXPECT_TRUE(std::regex_match(first.out, std::regex(R"(applied version 1\.0 \(procedures\) in \d+ ms\n)")))
      << first.out;
  EXPECT_EQ(first.err,
            "error: " + script.string() +
                ":12: statement failed: CREATE TABL t4 (id INT): You have an error in your SQL "
                "syntax; check the manual that corresponds to your MariaDB server version for "
                "the right syntax to use near 'TABL t4 (id INT)' at line 1\n"
                "detail: SQLSTATE 42000 (native 1064)\n"
                "hint: the database stays at version 1.0; fix the script and run bru -UPDATE "
                "again; 2 statements of version 1.1 succeeded and stay applied; a re-run resumes "
                "at the next one\n");
  EXPECT_EQ(getversion(conn), "1.0\n");
  const auto info = run_bru({"-INFO", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_TRUE(std::regex_search(
      info.out, std::regex(R"(\n1\.1 +fails in the middle +failed +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d )")))
      << info.out;
  Sql db(conn);
  EXPECT_EQ(db.text("SELECT CONCAT(success, ':', statement_count, ':', statements_done) FROM "
                    "bru_schema_history WHERE version = '1.1'"),
            "0:4:2");

  const auto plan = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string(), "-DRYRUN"});
  EXPECT_EQ(plan.out, "-- database is at version 1.0; 1 section pending\n"
                      "-- bru:version 1.1 (fails in the middle)\n"
                      "-- resumes after statement 2 of 4 (applied by an earlier run)\n"
                      "-- at " + script.string() + ":12\nCREATE TABL t4 (id INT)\n;\n"
                      "-- at " + script.string() + ":13\nCREATE TABLE t5 (id INT)\n;\n");

  // Issue 10, item 4: a statement the failed run already ran must not change (it would not run
  // again, and the history would claim its new text): refused, nothing runs.
  std::string edited = kMariadbScript;
  edited.replace(edited.find("CREATE TABLE t3 (id INT)"), 24, "CREATE TABLE t3 (id BIGINT)");
  write_text(script, edited);
  const auto refused = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(refused.exit_code, 10);
  EXPECT_EQ(refused.err, "error: " + script.string() +
                             ":11: statement 2 of version 1.1 already ran (an earlier run stopped "
                             "after statement 2) and has changed since\n"
                             "hint: a statement that ran is not run again: undo the edit (fix "
                             "only the statements after it), or run bru -UPDATE -REPAIR to accept "
                             "the new text as run\n");
  EXPECT_TRUE(std::regex_match(
      db.text("SELECT CONCAT(success, ':', statements_done, ':', statement_checksums) FROM "
              "bru_schema_history WHERE version = '1.1'"),
      std::regex("0:2:[0-9a-f]{16},[0-9a-f]{16}")));

  std::string fixed = kMariadbScript;
  fixed.replace(fixed.find("TABL t4"), 7, "TABLE t4");
  write_text(script, fixed);
  const auto second = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(std::regex_match(second.out, std::regex(R"(applied version 1\.1 \(fails in the middle\) in \d+ ms\ndatabase is at version 1\.1\n)")))
      << second.out;
  // t2 and t3 were not created twice (that would have failed), t4 and t5 now exist.
  EXPECT_EQ(db.text("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    "DATABASE() AND TABLE_NAME IN ('t2', 't3', 't4', 't5')"),
            "4");
  EXPECT_EQ(db.text("SELECT CONCAT(success, ':', statement_count, ':', statements_done) FROM "
                    "bru_schema_history WHERE version = '1.1'"),
            "1:4:4");
  EXPECT_EQ(db.text("SELECT GROUP_CONCAT(s ORDER BY id) FROM t1"), "it's; \"ok\"");
  EXPECT_EQ(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()}).out,
            "nothing to apply\ndatabase is at version 1.1\n");
}

}  // namespace
}  // namespace bru::test

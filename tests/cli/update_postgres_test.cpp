// bru -UPDATE / -GETVERSION / -BASELINE end to end against the real PostgreSQL server
// tools/test.sh starts: a script full of splitter traps (CRLF), a failing section, changed
// checksums, -TARGET, -BASELINE, placeholders, -DRYRUN output, and two concurrent runs.
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/script/script.h"
#include "support/process.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of('\n');
  if (end == std::string::npos) return {};
  auto start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
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
  void exec(const std::string& sql) { connection_.execute(sql); }

 private:
  odbc::Connection connection_;
};

// Sections 1.0 and 1.1 are full of traps; 2.0 fails in its third statement.
const std::string kTraps = R"(-- a script for the update tests
-- bru:version 1.0
-- bru:description traps
CREATE TABLE t1 (id int, s text DEFAULT 'a;b');
/* outer /* nested ; */ still a comment ; */
INSERT INTO t1 VALUES (1, E'it\'s; here');
CREATE FUNCTION f() RETURNS text AS $body$
BEGIN
  RETURN 'x;y'; -- ;
END;
$body$ LANGUAGE plpgsql;
INSERT INTO t1 VALUES (2, $$dollar; quoted$$);
-- bru:version 1.1
-- bru:description more
CREATE TABLE t2 (id int);
-- bru:version 2.0
-- bru:description fails
CREATE TABLE t3 (id int);
CREATE TABLE t4 (id int);
CREATE TABLE t5 (id int) oops;
)";

const std::regex kApplied20(R"(applied version 2\.0 \(fails\) in \d+ ms\ndatabase is at version 2\.0\n)");

class UpdatePostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    conn_ = create_postgres_database(std::string("upd_") + info->name());
    write_text(script_, crlf(kTraps));
  }
  RunResult update(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"-UPDATE", "-DB", conn_, "-SCRIPT", script_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bru(args);
  }
  std::string version() {
    const auto result = run_bru({"-GETVERSION", "-DB", conn_});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return last_line(result.out);
  }
  void fix_script() {
    std::string text = kTraps;
    text.replace(text.find(" oops"), 5, "");
    write_text(script_, crlf(text));
  }

  ScratchDir dir_;
  std::filesystem::path script_ = dir_ / "traps.sql";
  std::string conn_;
};

TEST_F(UpdatePostgres, FreshDatabaseHasNoVersion) {
  EXPECT_EQ(version(), "none");
}

TEST_F(UpdatePostgres, TrapsApplyOnceFailingSectionRollsBackRerunResumes) {
  const auto first = update();
  EXPECT_EQ(first.exit_code, 4) << first.err;
  EXPECT_TRUE(std::regex_match(first.out, std::regex(R"(applied version 1\.0 \(traps\) in \d+ ms\napplied version 1\.1 \(more\) in \d+ ms\n)")))
      << first.out;
  EXPECT_EQ(first.err,
            "error: " + script_.string() +
                ":20: statement failed: CREATE TABLE t5 (id int) oops: syntax error at or near "
                "\"oops\"\n"
                "detail: SQLSTATE 42601 (native 1)\n"
                "hint: the database stays at version 1.1; fix the script and run bru -UPDATE "
                "again\n");
  EXPECT_EQ(version(), "1.1");

  Sql db(conn_);
  EXPECT_EQ(db.text("SELECT string_agg(s, '|' ORDER BY id) FROM t1"), "it's; here|dollar; quoted");
  EXPECT_EQ(db.text("SELECT f()"), "x;y");
  EXPECT_EQ(db.text("SELECT column_default FROM information_schema.columns WHERE table_name = "
                    "'t1' AND column_name = 's'"),
            "'a;b'::text");
  // The failed section's transaction took its first two tables with it.
  EXPECT_EQ(db.text("SELECT count(*) FROM pg_tables WHERE tablename IN ('t3', 't4', 't5')"), "0");
  EXPECT_EQ(db.text("SELECT count(*) FROM bru_schema_history"), "2");

  fix_script();
  const auto second = update();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(std::regex_match(second.out, kApplied20)) << second.out;
  EXPECT_EQ(db.text("SELECT count(*) FROM pg_tables WHERE tablename IN ('t3', 't4', 't5')"), "3");

  const auto third = update();
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(third.out, "nothing to apply\ndatabase is at version 2.0\n");
  EXPECT_EQ(db.text("SELECT count(*) FROM t1"), "2");  // the INSERTs ran once
  EXPECT_EQ(db.text("SELECT string_agg(version || ':' || success || ':' || statement_count || "
                    "':' || statements_done || ':' || script, ',' ORDER BY installed_rank) FROM "
                    "bru_schema_history"),
            "1.0:1:4:4:traps.sql,1.1:1:1:1:traps.sql,2.0:1:3:3:traps.sql");
  EXPECT_EQ(db.text("SELECT count(*) FROM bru_schema_history WHERE installed_by = current_user"),
            "3");
}

TEST_F(UpdatePostgres, ChangedChecksumIsAConflictUntilRepaired) {
  fix_script();
  ASSERT_EQ(update().exit_code, 0);
  const auto before = update::load_script(script_, "postgres", {});
  std::string text = kTraps;
  text.replace(text.find("CREATE TABLE t2 (id int)"), 24, "CREATE TABLE t2 (id bigint)");
  text.replace(text.find(" oops"), 5, "");
  write_text(script_, crlf(text));
  const auto after = update::load_script(script_, "postgres", {});
  const std::string old_sum = before.sections[1].checksum;
  const std::string new_sum = after.sections[1].checksum;
  ASSERT_NE(old_sum, new_sum);

  const auto changed = update();
  EXPECT_EQ(changed.exit_code, 10);
  EXPECT_EQ(changed.err,
            "error: " + script_.string() + ":13: version 1.1 was applied with checksum " +
                old_sum + " but the script now has " + new_sum +
                "\nhint: an applied section must not change: put the change in a new section "
                "with a higher version, or run bru -UPDATE -REPAIR to accept the new text (its "
                "statements are not run again)\n");

  const auto repaired = update({"-REPAIR"});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.err;
  EXPECT_EQ(repaired.out, "repaired the checksum of version 1.1: " + old_sum + " -> " + new_sum +
                              "\nnothing to apply\ndatabase is at version 2.0\n");
  Sql db(conn_);
  EXPECT_EQ(db.text("SELECT data_type FROM information_schema.columns WHERE table_name = 't2'"),
            "integer");  // -REPAIR does not run the changed statement
  EXPECT_EQ(update().exit_code, 0);
}

TEST_F(UpdatePostgres, TargetStopsAfterThatVersion) {
  const auto result = update({"-TARGET", "1.0"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_match(result.out, std::regex(R"(applied version 1\.0 \(traps\) in \d+ ms\ndatabase is at version 1\.0\n)")))
      << result.out;
  EXPECT_EQ(version(), "1.0");
  const auto bad = update({"-TARGET", "1.x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.substr(0, 37), "error: -TARGET \"1.x\" is not a version");
}

TEST_F(UpdatePostgres, BaselineMarksAVersionOnceAndUpdateGoesOnFromIt) {
  const auto marked = run_bru({"-BASELINE", "1.1", "-DB", conn_});
  EXPECT_EQ(marked.exit_code, 0) << marked.err;
  EXPECT_EQ(marked.out, "database is at version 1.1 (baseline)\n");
  EXPECT_EQ(version(), "1.1");

  const auto again = run_bru({"-BASELINE", "3", "-DB", conn_});
  EXPECT_EQ(again.exit_code, 10);
  const std::string display =
      odbc::parse_connection(conn_, {}).display;
  EXPECT_EQ(again.err,
            "error: cannot baseline " + display +
                " at version 3: its history already has 1 row (version 1.1)\n"
                "hint: -BASELINE is for a database bru has never updated; this one already has a "
                "version, so run bru -UPDATE to move it forward\n");

  fix_script();
  const auto result = update();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_match(result.out, kApplied20)) << result.out;
  Sql db(conn_);
  EXPECT_EQ(db.text("SELECT to_regclass('t1') IS NULL"), "1");  // 1.0 was never run
}

TEST_F(UpdatePostgres, DefinesReplacePlaceholdersAndAMissingOneIsAnError) {
  write_text(script_, "-- bru:version 1\nCREATE TABLE {{ table }} (note text DEFAULT '{{note}}');\n");
  const auto missing = update({"-DEFINE", "table=placed"});
  EXPECT_EQ(missing.exit_code, 9);
  EXPECT_EQ(missing.err, "error: " + script_.string() +
                             ":2: placeholder {{note}} is not defined\nhint: pass -DEFINE "
                             "note=value\n");
  Sql db(conn_);
  EXPECT_EQ(db.text("SELECT to_regclass('bru_schema_history') IS NULL"), "1");

  const auto defined = update({"-DEFINE", "table=placed", "-DEFINE", "note=a=b, c"});
  EXPECT_EQ(defined.exit_code, 0) << defined.err;
  EXPECT_EQ(db.text("SELECT column_default FROM information_schema.columns WHERE table_name = "
                    "'placed'"),
            "'a=b, c'::text");
}

TEST_F(UpdatePostgres, DryRunPrintsThePlanAndChangesNothing) {
  ASSERT_EQ(update({"-TARGET", "1.0"}).exit_code, 0);
  const auto plan = update({"-DRYRUN"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  const std::string file = script_.string();
  EXPECT_EQ(plan.out, "-- database is at version 1.0; 2 sections pending\n"
                      "-- bru:version 1.1 (more)\n"
                      "-- at " + file + ":15\n"
                      "CREATE TABLE t2 (id int)\n;\n"
                      "-- bru:version 2.0 (fails)\n"
                      "-- at " + file + ":18\n"
                      "CREATE TABLE t3 (id int)\n;\n"
                      "-- at " + file + ":19\n"
                      "CREATE TABLE t4 (id int)\n;\n"
                      "-- at " + file + ":20\n"
                      "CREATE TABLE t5 (id int) oops\n;\n");
  EXPECT_EQ(version(), "1.0");

  const auto fresh_conn = create_postgres_database("upd_dryrun_fresh");
  const auto fresh = run_bru({"-UPDATE", "-DB", fresh_conn, "-SCRIPT", file, "-DRYRUN"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(fresh.out.substr(0, fresh.out.find('\n')),
            "-- database is at version none; 3 sections pending");
  Sql fresh_db(fresh_conn);
  EXPECT_EQ(fresh_db.text("SELECT to_regclass('bru_schema_history') IS NULL"), "1");
}

TEST_F(UpdatePostgres, OfflineDryRunListsEverySection) {
  const auto plan = run_bru({"-UPDATE", "-DIALECT", "postgres", "-SCRIPT", script_.string(),
                             "-DRYRUN"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  const std::string at = "-- at " + script_.string() + ":";
  EXPECT_EQ(plan.out,
            "-- offline plan (-DIALECT postgres): all 3 sections\n"
            "-- bru:version 1.0 (traps)\n" +
                at + "4\nCREATE TABLE t1 (id int, s text DEFAULT 'a;b')\n;\n" + at +
                "6\nINSERT INTO t1 VALUES (1, E'it\\'s; here')\n;\n" + at +
                "7\nCREATE FUNCTION f() RETURNS text AS $body$\nBEGIN\n  RETURN 'x;y'; -- ;\n"
                "END;\n$body$ LANGUAGE plpgsql\n;\n" +
                at + "12\nINSERT INTO t1 VALUES (2, $$dollar; quoted$$)\n;\n"
                "-- bru:version 1.1 (more)\n" +
                at + "15\nCREATE TABLE t2 (id int)\n;\n"
                "-- bru:version 2.0 (fails)\n" +
                at + "18\nCREATE TABLE t3 (id int)\n;\n" + at + "19\nCREATE TABLE t4 (id int)\n;\n" +
                at + "20\nCREATE TABLE t5 (id int) oops\n;\n");
}

TEST_F(UpdatePostgres, ConcurrentRunsNeverInterleave) {
  write_text(script_, "-- bru:version 1\n-- bru:description slow\nSELECT pg_sleep(3);\n"
                      "CREATE TABLE slow (id int);\n");
  BruProcess holder({"-UPDATE", "-DB", conn_, "-SCRIPT", script_.string()});
  Sql db(conn_);
  // Wait until the first run holds the lock (its sleep is running).
  ASSERT_TRUE(wait_until(
      [&] {
        return db.text("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                       "'%pg_sleep(3)%' AND pid <> pg_backend_pid()") == "1";
      },
      10));
  const auto impatient = update({"-LOCKWAIT", "1"});
  EXPECT_EQ(impatient.exit_code, 10);
  const std::string display = odbc::parse_connection(conn_, {}).display;
  const std::regex refused(
      "waiting for the update lock of " + std::regex_replace(display, std::regex(R"([.^$|()\[\]{}*+?\\/])"), R"(\$&)") +
      R"(: held by bru@127\.0\.0\.1 \(pid \d+\) since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n)"
      R"(error: cannot take the update lock of .*: held by bru@127\.0\.0\.1 \(pid \d+\) since )"
      R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(gave up after 1 s\)\n)"
      R"(hint: another bru -UPDATE is running on this database; let it finish, or wait longer )"
      R"(with -LOCKWAIT <seconds>\n)");
  EXPECT_TRUE(std::regex_match(impatient.err, refused)) << impatient.err;

  const auto patient = update({"-LOCKWAIT", "30"});
  EXPECT_EQ(patient.exit_code, 0) << patient.err;
  EXPECT_EQ(patient.out, "nothing to apply\ndatabase is at version 1\n");
  const auto first = holder.wait();
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(std::regex_match(first.out, std::regex(R"(applied version 1 \(slow\) in \d+ ms\ndatabase is at version 1\n)")))
      << first.out;
  EXPECT_EQ(db.text("SELECT count(*) FROM bru_schema_history"), "1");
}

}  // namespace
}  // namespace bru::test

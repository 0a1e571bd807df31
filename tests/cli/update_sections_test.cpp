// Issue 10, items 3, 4, 6 and 7 end to end, one body per engine (SQLite, and the PostgreSQL and
// MariaDB servers tools/test.sh starts): `-- bru:transaction off` sections run statement by
// statement and resume; statements an earlier run already ran are checked against the script on
// resume (exit 10 unless -REPAIR); repeatable sections are re-applied when they change; -UNDO
// runs undo sections newest first and refuses before anything runs when one is missing; and a
// history table written by an earlier bru (without the kind and statement_checksums columns) is
// read as it is and migrated in place by the first run that writes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "bru/odbc/connection_string.h"
#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/script/script.h"
#include "schema/update_dialect.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Json = nlohmann::ordered_json;

class UpdateSections : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    conn_ = fresh_database(GetParam(), "upd_sections_", dir_, "sections.sqlite");
    if (GetParam() == "sqlite") write_text(dir_ / "sections.sqlite", "");
  }
  RunResult run(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{command, "-DB", conn_, "-SCRIPT", script_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bru(args);
  }
  // -INFO -JSON as "version state" words, then "R:name state" for the repeatable sections.
  std::vector<std::string> states() {
    const auto result = run("-INFO", {"-JSON"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto document = Json::parse(result.out);
    std::vector<std::string> words;
    for (const auto& entry : document["versions"]) {
      words.push_back(entry["version"].get<std::string>() + " " +
                      entry["state"].get<std::string>());
    }
    for (const auto& entry : document["repeatables"]) {
      words.push_back("R:" + entry["name"].get<std::string>() + " " +
                      entry["state"].get<std::string>());
    }
    return words;
  }
  std::string version() {
    const auto result = run_bru({"-GETVERSION", "-DB", conn_});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  // Whether the table exists in the test database.
  bool has_table(const std::string& table) {
    SqlSession db(conn_);
    const std::string sql =
        GetParam() == "sqlite"
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"
        : GetParam() == "postgres"
            ? "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = "
              "'" +
                  table + "'"
            : "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
              "TABLE_NAME = '" +
                  table + "'";
    return db.text(sql) == "1";
  }
  std::string history(const std::string& columns) {
    SqlSession db(conn_);
    std::string text;
    for (const auto& row :
         db.rows("SELECT " + columns + " FROM bru_schema_history ORDER BY installed_rank")) {
      for (std::size_t column = 0; column < row.size(); ++column) {
        text += (column == 0 ? "" : "|") + row[column];
      }
      text += '\n';
    }
    return text;
  }

  ScratchDir dir_;
  std::filesystem::path script_ = dir_ / "app.sql";
  std::string conn_;
};

// What each engine cannot run in a transaction (MariaDB runs every section statement by
// statement: there the directive changes nothing, and the same progress and checks apply).
std::string outside_transaction_statement(const std::string& engine) {
  if (engine == "postgres") return "CREATE INDEX CONCURRENTLY a_id ON a (id)";
  if (engine == "sqlite") return "VACUUM";
  return "CREATE INDEX a_id ON a (id)";
}

std::string transaction_off_script(const std::string& engine, const std::string& third) {
  return "-- bru:version 1\nCREATE TABLE a (id INT);\n"
         "-- bru:version 2\n-- bru:description outside\n-- bru:transaction off\n" +
         outside_transaction_statement(engine) + ";\nCREATE TABLE b (id INT);\n" + third + ";\n";
}

TEST_P(UpdateSections, TransactionOffRunsStatementByStatementAndResumesChecked) {
  const std::string engine = GetParam();
  write_text(script_, transaction_off_script(engine, "CREATE TABL c (id INT)"));
  const auto failed = run("-UPDATE");
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_NE(failed.err.find(script_.string() + ":8: statement failed: CREATE TABL c (id INT): "),
            std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("hint: the database stays at version 1; fix the script and run bru "
                            "-UPDATE again; 2 statements of version 2 succeeded and stay applied; "
                            "a re-run resumes at the next one\n"),
            std::string::npos)
      << failed.err;
  EXPECT_EQ(version(), "1\n");
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 failed"}));
  EXPECT_TRUE(has_table("b"));  // committed on its own, outside any transaction
  EXPECT_EQ(history("version, success, statement_count, statements_done"), "1|1|1|1\n2|0|3|2\n");

  // An edit of a statement that already ran is refused before anything runs.
  std::string edited = transaction_off_script(engine, "CREATE TABLE c (id INT)");
  edited.replace(edited.find("CREATE TABLE b (id INT)"), 23, "CREATE TABLE b (id BIGINT)");
  write_text(script_, edited);
  const std::string changed = "error: " + script_.string() +
                              ":7: statement 2 of version 2 already ran (an earlier run stopped "
                              "after statement 2) and has changed since\n"
                              "hint: a statement that ran is not run again: undo the edit (fix "
                              "only the statements after it), or run bru -UPDATE -REPAIR to "
                              "accept the new text as run\n";
  for (const auto& command : {"-UPDATE", "-VALIDATE"}) {
    const auto refused = run(command);
    EXPECT_EQ(refused.exit_code, 10) << command;
    EXPECT_EQ(refused.err, changed) << command;
  }
  EXPECT_EQ(history("statements_done"), "1\n2\n");

  // -DRYRUN -REPAIR plans the resume; -REPAIR accepts the edit and resumes after statement 2.
  const auto plan = run("-UPDATE", {"-DRYRUN", "-REPAIR"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out,
            "-- database is at version 1; 1 section pending\n"
            "-- bru:version 2 (outside)\n"
            "-- bru:transaction off (statement by statement, progress recorded after "
            "each)\n"
            "-- resumes after statement 2 of 3 (applied by an earlier run)\n"
            "-- at " +
                script_.string() + ":8\nCREATE TABLE c (id INT)\n;\n");
  const auto repaired = run("-UPDATE", {"-REPAIR"});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.err;
  EXPECT_TRUE(std::regex_match(
      repaired.out,
      std::regex("repaired the checksum of version 2 statement 2: [0-9a-f]{16} -> [0-9a-f]{16}\n"
                 "applied version 2 \\(outside\\) in \\d+ ms\ndatabase is at version 2\n")))
      << repaired.out;
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 applied"}));
  EXPECT_EQ(history("version, success, statement_count, statements_done"), "1|1|1|1\n2|1|3|3\n");
  EXPECT_EQ(run("-UPDATE").out, "nothing to apply\ndatabase is at version 2\n");
}

// PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block (25001): without the
// directive the section fails and nothing of it stays.
TEST(UpdatePostgresSections, WithoutTheDirectiveAConcurrentIndexFailsAndNothingStays) {
  ScratchDir dir;
  const auto script = dir / "app.sql";
  const std::string conn = fresh_database("postgres", "upd_sections_", dir, "unused.sqlite");
  write_text(script,
             "-- bru:version 1\nCREATE TABLE a (id INT);\n"
             "CREATE INDEX CONCURRENTLY a_id ON a (id);\n");
  const auto failed = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script.string()});
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_NE(failed.err.find("detail: SQLSTATE 25001"), std::string::npos) << failed.err;
  SqlSession db(conn);
  EXPECT_EQ(db.text("SELECT count(*) FROM pg_tables WHERE tablename = 'a'"), "0");
  EXPECT_EQ(run_bru({"-GETVERSION", "-DB", conn}).out, "none\n");
}

TEST_P(UpdateSections, RepeatableSectionsAreReappliedWhenTheyChange) {
  const std::string versions = "-- bru:version 1\nCREATE TABLE a (id INT);\n";
  const std::string views =
      "-- bru:repeatable views\n-- bru:description views over a\nDROP VIEW IF EXISTS v;\n"
      "CREATE VIEW v AS SELECT id FROM a;\n";
  write_text(script_, versions + views);
  EXPECT_EQ(states(), (std::vector<std::string>{"1 pending", "R:views pending"}));
  const auto first = run("-UPDATE");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(
      std::regex_match(first.out, std::regex("applied version 1 in \\d+ ms\n"
                                             "applied repeatable views \\(views over a\\) in \\d+ "
                                             "ms\ndatabase is at version 1\n")))
      << first.out;
  EXPECT_EQ(run("-UPDATE").out, "nothing to apply\ndatabase is at version 1\n");
  const auto info = run("-INFO");
  EXPECT_TRUE(std::regex_search(
      info.out, std::regex("\n\nrepeatable  description   state    installed on  +by +ms\n"
                           "views       views over a  applied  \\d{4}-\\d\\d-\\d\\d ")))
      << info.out;

  // Changed: shown as outdated, not a validation problem, re-applied after a new version.
  std::string changed = views;
  changed.replace(changed.find("SELECT id FROM a"), 16, "SELECT id, id + 1 AS nxt FROM a");
  write_text(script_, versions + changed + "-- bru:version 2\nCREATE TABLE b (id INT);\n");
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 pending", "R:views outdated"}));
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);
  const auto plan = run("-UPDATE", {"-DRYRUN"});
  EXPECT_EQ(plan.out,
            "-- database is at version 1; 2 sections pending\n"
            "-- bru:version 2\n-- at " +
                script_.string() +
                ":8\nCREATE TABLE b (id INT)\n;\n"
                "-- bru:repeatable views (views over a)\n-- at " +
                script_.string() + ":5\nDROP VIEW IF EXISTS v\n;\n-- at " + script_.string() +
                ":6\nCREATE VIEW v AS SELECT id, id + 1 AS nxt FROM a\n;\n");
  const auto second = run("-UPDATE");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(
      std::regex_match(second.out, std::regex("applied version 2 in \\d+ ms\n"
                                              "applied repeatable views \\(views over a\\) in \\d+ "
                                              "ms\ndatabase is at version 2\n")))
      << second.out;
  SqlSession db(conn_);
  db.exec("INSERT INTO a VALUES (41)");
  EXPECT_EQ(db.text("SELECT nxt FROM v"), "42");
  EXPECT_EQ(history("version, kind, success"),
            "1|versioned|1\nviews|repeatable|1\n2|versioned|1\nviews|repeatable|1\n");
  EXPECT_EQ(version(), "2\n");

  // Removed from the script: shown as missing, still not a problem.
  write_text(script_, versions + "-- bru:version 2\nCREATE TABLE b (id INT);\n");
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 applied", "R:views missing"}));
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);
}

const std::string kUndoScript =
    "-- bru:version 1\nCREATE TABLE a (id INT);\n"
    "-- bru:version 2\n-- bru:description b\nCREATE TABLE b (id INT);\nINSERT INTO b VALUES (2);\n"
    "-- bru:undo 2\n-- bru:description drop b\nDROP TABLE b;\n"
    "-- bru:version 3\nCREATE TABLE c (id INT);\nCREATE TABLE d (id INT);\n"
    "-- bru:undo 3\nDROP TABLE d;\nDROP TABLE c;\nDROP TABLE nope;\n";

TEST_P(UpdateSections, UndoTakesVersionsBackNewestFirstAndRefusesWithoutAnUndoSection) {
  const std::string engine = GetParam();
  write_text(script_, kUndoScript);
  ASSERT_EQ(run("-UPDATE").exit_code, 0);
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 applied", "3 applied"}));

  // Version 1 has no undo section: nothing runs.
  const auto refused = run("-UNDO", {"-TARGET", "0"});
  EXPECT_EQ(refused.exit_code, 9);
  EXPECT_EQ(refused.err, "error: cannot undo " + script_.string() +
                             " to version 0: " + script_.string() +
                             " has no undo section for version 1; nothing was undone\n"
                             "hint: add a -- bru:undo 1 section that takes the version back (in "
                             "a folder: U1__<description>.sql), or give a -TARGET at or above 1\n");
  EXPECT_TRUE(has_table("c"));
  EXPECT_EQ(version(), "3\n");

  // The undo of 3 fails at its last statement: one transaction takes it all back (PostgreSQL,
  // SQLite); MariaDB keeps what ran and resumes after it.
  const auto failed = run("-UNDO", {"-TARGET", "1"});
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_NE(failed.err.find(script_.string() + ":16: statement failed: DROP TABLE nope: "),
            std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("hint: the database stays at version 3; fix the script and run bru "
                            "-UNDO again"),
            std::string::npos)
      << failed.err;
  EXPECT_EQ(version(), "3\n");
  EXPECT_EQ(has_table("c"), engine != "mariadb");
  EXPECT_EQ(states(),
            (std::vector<std::string>{"1 applied", "2 applied",
                                      engine == "mariadb" ? "3 undo-failed" : "3 applied"}));

  std::string fixed = kUndoScript;
  fixed.erase(fixed.find("DROP TABLE nope;\n"));
  write_text(script_, fixed);
  const auto plan = run("-UNDO", {"-TARGET", "1", "-DRYRUN"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  const std::string at = "-- at " + script_.string();
  EXPECT_EQ(plan.out,
            "-- database is at version 3; 2 versions to undo down to 1\n-- bru:undo 3\n" +
                std::string(engine == "mariadb"
                                ? "-- resumes after statement 2 of 2 (applied by an earlier run)\n"
                                : at + ":14\nDROP TABLE d\n;\n" + at + ":15\nDROP TABLE c\n;\n") +
                "-- bru:undo 2 (drop b)\n" + at + ":9\nDROP TABLE b\n;\n");
  const auto undone = run("-UNDO", {"-TARGET", "1"});
  EXPECT_EQ(undone.exit_code, 0) << undone.err;
  EXPECT_TRUE(std::regex_match(undone.out,
                               std::regex("undid version 3 in \\d+ ms\nundid version 2 \\(b\\) in "
                                          "\\d+ ms\ndatabase is at version 1\n")))
      << undone.out;
  EXPECT_FALSE(has_table("b"));
  EXPECT_FALSE(has_table("c"));
  EXPECT_TRUE(has_table("a"));
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 undone", "3 undone"}));
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);

  // An -UPDATE applies the undone versions again.
  const auto again = run("-UPDATE");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(std::regex_match(again.out,
                               std::regex("applied version 2 \\(b\\) in \\d+ ms\napplied version "
                                          "3 in \\d+ ms\ndatabase is at version 3\n")))
      << again.out;
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 applied", "3 applied"}));
  EXPECT_EQ(history("version, kind, success"),
            "1|versioned|1\n2|versioned|1\n3|versioned|1\n3|undo|1\n2|undo|1\n2|versioned|1\n"
            "3|versioned|1\n");
}

// A database updated by the bru before issue 10: its history table lacks kind and
// statement_checksums. Reading commands leave it as it is; the first -UPDATE adds the columns.
TEST_P(UpdateSections, AnEarlierBrusHistoryIsReadAndMigratedInPlace) {
  const auto engine = schema::make_dialect(GetParam());
  const schema::UpdateDialect* dialect = &engine->update();
  const std::string first =
      "-- bru:version 1\n-- bru:description first\nCREATE TABLE a (id INT);\n";
  {
    SqlSession db(conn_);
    db.exec(dialect->create_history_sql());
    db.exec("CREATE TABLE a (id INT)");
    db.exec(
        "INSERT INTO bru_schema_history (installed_rank, version, description, script, "
        "checksum, installed_by, execution_ms, success, statement_count, statements_done) "
        "VALUES (1, '1', 'first', 'app.sql', '" +
        update::section_checksum("CREATE TABLE a (id INT);") + "', 'old', 5, 1, 1, 1)");
  }
  write_text(script_, first);
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied"}));
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);
  EXPECT_EQ(version(), "1\n");
  {
    SqlSession db(conn_);
    EXPECT_EQ(db.text(dialect->history_migrated_sql()), "NULL");  // no row: not migrated
  }
  write_text(script_, first +
                          "-- bru:version 2\nCREATE TABLE b (id INT);\n"
                          "-- bru:repeatable views\nDROP VIEW IF EXISTS v;\n"
                          "CREATE VIEW v AS SELECT id FROM a;\n");
  const auto applied = run("-UPDATE");
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  {
    SqlSession db(conn_);
    EXPECT_EQ(db.text(dialect->history_migrated_sql()), "1");
  }
  EXPECT_EQ(history("version, kind, success"), "1|NULL|1\n2|versioned|1\nviews|repeatable|1\n");
  EXPECT_EQ(history("installed_by").substr(0, 4), "old\n");
  EXPECT_EQ(states(), (std::vector<std::string>{"1 applied", "2 applied", "R:views applied"}));
  EXPECT_EQ(run("-UPDATE").out, "nothing to apply\ndatabase is at version 2\n");
}

INSTANTIATE_TEST_SUITE_P(Engines, UpdateSections,
                         ::testing::Values("sqlite", "postgres", "mariadb"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace bru::test

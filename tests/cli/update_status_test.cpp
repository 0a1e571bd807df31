// -INFO, -VALIDATE and -OUTOFORDER end to end (issue 10, items 1 and 2; and the refusal of a
// COMMIT inside a transactional section), one body per engine:
// SQLite, and the PostgreSQL and MariaDB servers tools/test.sh starts. The script uses SQL every
// engine takes, so the only differences are the engines' own (installed_by, timings).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "bru/odbc/connection_string.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Json = nlohmann::ordered_json;

const std::string kScript =
    "-- bru:version 1.0\n"
    "-- bru:description first\n"
    "CREATE TABLE a (id INT);\n"
    "-- bru:version 1.1\n"
    "-- bru:description second\n"
    "CREATE TABLE b (id INT);\n"
    "-- bru:version 2.0\n"
    "CREATE TABLE c (id INT);\n";

// 1.0 edited, 1.1 removed, 1.0.5 added below the applied 1.1.
const std::string kDisagreeing =
    "-- bru:version 1.0\n"
    "-- bru:description first\n"
    "CREATE TABLE a (id INT, note INT);\n"
    "-- bru:version 1.0.5\n"
    "-- bru:description late\n"
    "CREATE TABLE late (id INT);\n"
    "-- bru:version 2.0\n"
    "CREATE TABLE c (id INT);\n";

const char* const kChecksumHint =
    "hint: an applied section must not change: put the change in a new section with a higher "
    "version, or run bru -UPDATE -REPAIR to accept the new text (its statements are not run "
    "again)\n";
const char* const kMissingHint =
    "hint: an applied section must stay in the script: put it back (bru does not undo a version "
    "by removing its section)\n";

std::string out_of_order_hint(const std::string& current) {
  return "hint: give the section a version above " + current +
         ", or run bru -UPDATE -OUTOFORDER to apply it below the current version on purpose\n";
}

class UpdateStatus : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    conn_ = fresh_database(GetParam(), "upd_status_", dir_, "status.sqlite");
    // An empty file is an empty SQLite database: -INFO and -GETVERSION never create one.
    if (GetParam() == "sqlite") write_text(dir_ / "status.sqlite", "");
    display_ = odbc::parse_connection(conn_, {}).display;
    write_text(script_, kScript);
  }
  RunResult run(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{command, "-DB", conn_, "-SCRIPT", script_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bru(args);
  }
  // -INFO -JSON's versions as "version state" words, checking each entry's fields on the way.
  std::vector<std::string> states() {
    const auto result = run("-INFO", {"-JSON"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto document = Json::parse(result.out);
    EXPECT_EQ(document["target"], display_);
    EXPECT_EQ(document["dialect"], GetParam());
    EXPECT_EQ(document["script"], script_.string());
    std::vector<std::string> words;
    for (const auto& entry : document["versions"]) {
      const std::string state = entry["state"];
      words.push_back(entry["version"].get<std::string>() + " " + state);
      const bool installed = state == "applied" || state == "checksum-changed" ||
                             state == "missing" || state == "baseline" || state == "failed";
      EXPECT_EQ(entry["installed_on"].is_string(), installed) << entry.dump();
      EXPECT_EQ(entry["installed_by"].is_string(), installed) << entry.dump();
      EXPECT_EQ(entry["execution_ms"].is_number_integer(), installed) << entry.dump();
      if (installed) {
        EXPECT_TRUE(std::regex_match(entry["installed_on"].get<std::string>(),
                                     std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")))
            << entry.dump();
        EXPECT_FALSE(entry["installed_by"].get<std::string>().empty()) << entry.dump();
      }
    }
    return words;
  }
  std::string version() {
    const auto result = run_bru({"-GETVERSION", "-DB", conn_});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  ScratchDir dir_;
  std::filesystem::path script_ = dir_ / "app.sql";
  std::string conn_;
  std::string display_;
};

TEST_P(UpdateStatus, InfoShowsEveryStateAndValidateListsEachDisagreement) {
  EXPECT_EQ(states(), (std::vector<std::string>{"1.0 pending", "1.1 pending", "2.0 pending"}));
  ASSERT_EQ(run("-UPDATE", {"-TARGET", "1.1"}).exit_code, 0);
  const auto text = run("-INFO");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  const std::string when = R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)";
  EXPECT_TRUE(std::regex_match(
      text.out, std::regex("version  description  state    installed on {7}  by +ms\n"
                           "1\\.0      first        applied  " +
                           when +
                           "  \\S+ +\\d+\n"
                           "1\\.1      second       applied  " +
                           when +
                           "  \\S+ +\\d+\n"
                           "2\\.0      -            pending  - {18}  - +-\n")))
      << text.out;
  EXPECT_EQ(run("-VALIDATE").out,
            script_.string() + " agrees with the history of " + display_ + " (3 versions)\n");

  write_text(script_, kDisagreeing);
  EXPECT_EQ(states(), (std::vector<std::string>{"1.0 checksum-changed", "1.0.5 out-of-order",
                                                "1.1 missing", "2.0 pending"}));
  const std::string problems = "error: the script and the history of " + display_ +
                               " disagree on 3 versions:\n"
                               "  " +
                               script_.string() + ":1: version 1.0 was applied with checksum ";
  const auto validated = run("-VALIDATE");
  EXPECT_EQ(validated.exit_code, 10);
  const std::regex listing(
      std::regex_replace(problems, std::regex(R"([.^$|()\[\]{}*+?\\/])"), R"(\$&)") +
      "[0-9a-f]{16} but the script now has [0-9a-f]{16}\n"
      "  " +
      std::regex_replace(script_.string(), std::regex(R"([.^$|()\[\]{}*+?\\/])"), R"(\$&)") +
      ":4: version 1\\.0\\.5 is not applied but is older than the current version 1\\.1\n"
      "  version 1\\.1 was applied but " +
      std::regex_replace(script_.string(), std::regex(R"([.^$|()\[\]{}*+?\\/])"), R"(\$&)") +
      " has no section for it\n");
  std::smatch match;
  EXPECT_TRUE(std::regex_search(validated.err, match, listing)) << validated.err;
  EXPECT_EQ(validated.err.substr(match.length()),
            std::string(kChecksumHint) + kMissingHint + out_of_order_hint("1.1"));

  // -UPDATE validates first: the same refusal, and nothing ran.
  const auto refused = run("-UPDATE");
  EXPECT_EQ(refused.exit_code, 10);
  EXPECT_EQ(refused.err, validated.err);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(version(), "1.1\n");
}

TEST_P(UpdateStatus, AnOlderPendingSectionStopsTheRunUntilOutOfOrder) {
  ASSERT_EQ(run("-UPDATE").exit_code, 0);
  std::string late = kScript;
  late.insert(late.find("-- bru:version 2.0"),
              "-- bru:version 1.5\n-- bru:description late\nCREATE TABLE late (id INT);\n");
  write_text(script_, late);

  const std::string problem = "error: " + script_.string() +
                              ":7: version 1.5 is not applied but is older than the current "
                              "version 2.0\n" +
                              out_of_order_hint("2.0");
  for (const auto& command : {std::vector<std::string>{}, std::vector<std::string>{"-DRYRUN"}}) {
    const auto refused = run("-UPDATE", command);
    EXPECT_EQ(refused.exit_code, 10);
    EXPECT_EQ(refused.err, problem);
  }
  EXPECT_EQ(run("-VALIDATE").err, problem);
  EXPECT_EQ(run("-VALIDATE", {"-OUTOFORDER"}).exit_code, 0);

  const auto plan = run("-UPDATE", {"-DRYRUN", "-OUTOFORDER"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out,
            "-- database is at version 2.0; 1 section pending\n"
            "-- bru:version 1.5 (late)\n"
            "-- at " +
                script_.string() + ":9\nCREATE TABLE late (id INT)\n;\n");

  const auto applied = run("-UPDATE", {"-OUTOFORDER"});
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_TRUE(std::regex_match(
      applied.out,
      std::regex(R"(applied version 1\.5 \(late\) in \d+ ms\ndatabase is at version 2\.0\n)")))
      << applied.out;
  EXPECT_EQ(states(),
            (std::vector<std::string>{"1.0 applied", "1.1 applied", "1.5 applied", "2.0 applied"}));
  EXPECT_EQ(run("-UPDATE").out, "nothing to apply\ndatabase is at version 2.0\n");
}

TEST_P(UpdateStatus, SectionsAtOrBelowABaselineAreNeverPending) {
  ASSERT_EQ(run_bru({"-BASELINE", "1.1", "-DB", conn_}).exit_code, 0);
  EXPECT_EQ(states(),
            (std::vector<std::string>{"1.0 below-baseline", "1.1 baseline", "2.0 pending"}));
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);
  const auto applied = run("-UPDATE");
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(states(),
            (std::vector<std::string>{"1.0 below-baseline", "1.1 baseline", "2.0 applied"}));
}

TEST_P(UpdateStatus, InfoAndValidateNeedAScriptAndCreateNothing) {
  const auto no_script = run_bru({"-INFO", "-DB", conn_});
  EXPECT_EQ(no_script.exit_code, 2);
  EXPECT_EQ(no_script.err,
            "error: -INFO needs -DB <conn> and -SCRIPT <file or folder>\n"
            "hint: e.g. bru -INFO -DB \"sqlite;app.sqlite\" -SCRIPT update.sql\n");
  EXPECT_EQ(run("-INFO").exit_code, 0);
  EXPECT_EQ(run("-VALIDATE").exit_code, 0);
  EXPECT_EQ(version(), "none\n");
}

// Issue 10, item 3 (in part): a COMMIT inside a section that runs in one transaction would keep
// the work before it after a later failure; it is refused before anything runs. MariaDB commits
// DDL at once and records progress per statement, so there is no section transaction to end.
TEST_P(UpdateStatus, ACommitInATransactionalSectionIsRefusedBeforeAnythingRuns) {
  write_text(script_,
             "-- bru:version 1\nCREATE TABLE a (id INT);\nCOMMIT;\n"
             "CREATE TABLE b (id INT);\n");
  const auto result = run("-UPDATE");
  if (GetParam() == "mariadb") {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(version(), "1\n");
    return;
  }
  EXPECT_EQ(result.exit_code, 9);
  EXPECT_EQ(result.err, "error: " + script_.string() +
                            ":3: COMMIT in version 1: bru runs each section in one transaction, "
                            "which this statement would end or open\n"
                            "hint: remove it: bru commits the section together with its history "
                            "row, so a failure later in the section takes the whole section "
                            "back\n");
  EXPECT_EQ(run("-UPDATE", {"-DRYRUN"}).err, result.err);
  EXPECT_EQ(states(), (std::vector<std::string>{"1 pending"}));  // no history table either
  EXPECT_EQ(version(), "none\n");
}

INSTANTIATE_TEST_SUITE_P(Engines, UpdateStatus, ::testing::Values("sqlite", "postgres", "mariadb"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace bru::test

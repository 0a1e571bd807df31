// bru -MIGRATE end to end on real engines (issue 9): a WFM 6.5 sample (bru-sample --model wfm65)
// migrated by sql/wfm/remap-6.5-to-8.5.json into a new 8.5 database, in several engine pairs:
// every rule exact in count and content, permissions kept, the same target from every engine pair
// and from interrupted runs (-DURATION, kill -9) as from one uninterrupted run, two-step with
// newer performance rows kept and reported, an old source refused, a re-run changing nothing.
// Also: the legacy scripts of sql/wfm/legacy are the generator's output.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <random>
#include <regex>
#include <thread>

#include "support/process.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

// The target tables of the map, in its order.
const std::vector<std::string> kTargetTables = {
    "business_unit", "site", "dst_information", "activity", "multi_site_activity_member",
    "activity_set", "activity_set_member", "schedule_state_group", "reason", "agent_state",
    "adherence_rule", "user_account", "wfm_user", "user_permission", "time_off_limit",
    "hours_of_operation", "schedule_planning_period", "contract", "agent", "agent_information",
    "agent_period_balance", "calendar_item", "schedule", "performance_data", "agent_adherence"};

// One value as every engine's text agrees on it: decimals without trailing zeros (SQLite keeps
// 38.50 as the real 38.5).
std::string normal(const std::string& value) {
  static const std::regex kDecimal("^-?[0-9]+\\.[0-9]*$");
  if (!std::regex_match(value, kDecimal)) return value;
  std::string text = value;
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

using Dump = std::map<std::string, std::vector<std::string>>;

// Every row of every target table, in key order, one line per row.
Dump dump(const std::string& conn) {
  SqlSession session(conn);
  Dump tables;
  for (const auto& table : kTargetTables) {
    const auto columns = session.rows("SELECT * FROM " + table + " WHERE 1 = 0");
    (void)columns;
    for (const auto& row : session.rows("SELECT * FROM " + table + " ORDER BY 1, 2")) {
      std::string line;
      for (const auto& value : row) line += normal(value) + "|";
      tables[table].push_back(line);
    }
  }
  return tables;
}

void expect_same(const Dump& expected, const Dump& actual) {
  for (const auto& table : kTargetTables) {
    const auto& want = expected.count(table) ? expected.at(table) : std::vector<std::string>{};
    const auto& got = actual.count(table) ? actual.at(table) : std::vector<std::string>{};
    ASSERT_EQ(want.size(), got.size()) << table;
    for (std::size_t row_idx = 0; row_idx < want.size(); ++row_idx) {
      ASSERT_EQ(want[row_idx], got[row_idx]) << table << " row " << row_idx;
    }
  }
}

void load_legacy(const std::string& conn, int scale) {
  const auto loaded = run_bru_sample({"--model", "wfm65", "--scale", std::to_string(scale), "--db", conn});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
}

RunResult migrate(const std::string& from, const std::string& to,
                  std::vector<std::string> more = {}, const std::vector<std::string>& env = {}) {
  std::vector<std::string> args = {"-MIGRATE", "-FROM", from, "-DB", to, "-QUIET"};
  args.insert(args.end(), more.begin(), more.end());
  return run_bru(args, env);
}

int count(SqlSession& session, const std::string& sql) { return std::stoi(session.text(sql)); }

// The sqlite -> sqlite migration of the same sample: what every other run must equal.
Dump reference_dump(int scale) {
  static std::map<int, Dump> cache;
  if (cache.count(scale)) return cache[scale];
  ScratchDir dir;
  const std::string from = "sqlite;" + (dir / "ref65.sqlite").string();
  const std::string to = "sqlite;" + (dir / "ref85.sqlite").string();
  load_legacy(from, scale);
  const auto run = migrate(from, to);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return cache[scale] = dump(to);
}

struct Pair {
  std::string source, target;
};
void PrintTo(const Pair& pair, std::ostream* out) { *out << pair.source << "_to_" << pair.target; }

class MigratePair : public testing::TestWithParam<Pair> {
 protected:
  ScratchDir dir_;
  std::string from_ = fresh_database(GetParam().source, "ms_", dir_, "wfm65.sqlite");
  std::string to_ = fresh_database(GetParam().target, "mt_", dir_, "wfm85.sqlite");
};

TEST_P(MigratePair, RulesExactSameTarget) {
  load_legacy(from_, 1);
  const auto run = migrate(from_, to_);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(
      "user_permission +split +60 +120 +120 +0 +120  complete, counts match\n")))
      << run.out;
  EXPECT_NE(run.out.find("every mapping of the step complete, counts match"), std::string::npos);

  SqlSession source(from_);
  SqlSession target(to_);
  // The version: the target is at the latest WFM schema.
  const auto version = run_bru({"-GETVERSION", "-DB", to_});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find("8.5.2"), std::string::npos) << version.out;
  // Union: PABXs keep their keys, locations come after 1000000.
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM site"),
            count(source, "SELECT COUNT(*) FROM pabx") + count(source, "SELECT COUNT(*) FROM location"));
  EXPECT_EQ(target.text("SELECT name FROM site WHERE site_id = 1000002"),
            source.text("SELECT location_name FROM location WHERE location_id = 2"));
  EXPECT_EQ(target.text("SELECT name FROM site WHERE site_id = 5"),
            source.text("SELECT pabx_name FROM pabx WHERE pabx_id = 5"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM hours_of_operation WHERE activity_id IS NULL"),
            count(source, "SELECT COUNT(*) FROM time_information"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM hours_of_operation WHERE activity_id IS NOT NULL"),
            count(source, "SELECT COUNT(*) FROM open_hours"));
  EXPECT_EQ(target.text("SELECT close_minute FROM hours_of_operation WHERE hours_of_operation_id = 1000007"),
            source.text("SELECT open_to FROM open_hours WHERE open_hours_id = 7"));
  // Code values: the activity types under their new names.
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM activity WHERE work_type = 'immediate'"),
            count(source, "SELECT COUNT(*) FROM activity WHERE activity_type = 'phone'"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM activity WHERE work_type = 'deferred'"),
            count(source, "SELECT COUNT(*) FROM activity WHERE activity_type = 'multimedia'"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM activity WHERE work_type = 'fixed_staff'"),
            count(source, "SELECT COUNT(*) FROM activity WHERE activity_type = 'exclusive'"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM activity WHERE site_id IS NULL"), 3);
  EXPECT_EQ(target.text("SELECT multi_site FROM activity WHERE activity_id = 16"), "1");
  EXPECT_EQ(target.text("SELECT multi_site FROM activity WHERE activity_id = 15"), "0");
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM calendar_item WHERE item_type IN ('day_off', 'time_off')"),
            count(source, "SELECT COUNT(*) FROM planner_item WHERE item_type IN ('day off', 'time off')"));
  // Merge: one agent_information row per employee, the CTI facts where the employee had them.
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM agent_information"), 300);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM agent_information WHERE cti_login IS NULL"),
            300 - count(source, "SELECT COUNT(*) FROM cti_system_information"));
  EXPECT_EQ(target.text("SELECT cti_place FROM agent_information WHERE agent_id = 7"),
            source.text("SELECT cti_place FROM cti_system_information WHERE employee_id = 7"));
  EXPECT_EQ(target.text("SELECT notes FROM agent_information WHERE agent_id = 12"),
            source.text("SELECT notes FROM employee_information WHERE employee_id = 12"));
  // Split, and the Supervisor role as a user and a WFM user: every permission kept, calendar edit
  // as all six calendar permissions.
  const std::map<std::string, std::vector<std::string>> rights = {
      {"calendar edit", {"calendar_add", "calendar_edit", "calendar_delete", "calendar_prefer",
                         "calendar_grant", "calendar_decline"}},
      {"schedule view", {"schedule_view"}}, {"schedule edit", {"schedule_edit"}},
      {"schedule publish", {"schedule_publish"}}, {"forecast edit", {"forecast_edit"}},
      {"configuration edit", {"configuration_edit"}}, {"adherence view", {"performance_view"}},
      {"compliance view", {"adherence_view"}}, {"print", {"report_view"}}};
  std::set<std::string> expected_grants;
  for (const auto& row : source.rows("SELECT supervisor_id, right_code FROM supervisor_right")) {
    for (const auto& code : rights.at(row[1])) expected_grants.insert(row[0] + " " + code);
  }
  std::set<std::string> grants;
  for (const auto& row : target.rows("SELECT up.user_id, p.code FROM user_permission up JOIN "
                                     "permission p ON p.permission_id = up.permission_id")) {
    grants.insert(row[0] + " " + row[1]);
  }
  EXPECT_EQ(grants, expected_grants);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM user_account"), count(source, "SELECT COUNT(*) FROM supervisor"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM wfm_user"), count(source, "SELECT COUNT(*) FROM supervisor"));
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM wfm_user WHERE business_unit_id IS NULL"), 3);
  EXPECT_EQ(target.text("SELECT all_sites FROM wfm_user WHERE user_id = 5"), "1");
  EXPECT_EQ(target.text("SELECT all_sites FROM wfm_user WHERE user_id = 7"), "0");
  // Renamed columns keep their values; non-ASCII survives.
  EXPECT_EQ(target.text("SELECT carried_over_hours FROM agent_period_balance WHERE agent_id = 9 AND schedule_planning_period_id = 2"),
            source.text("SELECT carried_hours FROM employee_period_balance WHERE employee_id = 9 AND long_period_id = 2"));
  EXPECT_EQ(target.text("SELECT nonadherence_seconds FROM agent_adherence WHERE agent_id = 4 AND adherence_date = '2013-03-05'"),
            source.text("SELECT noncompliance_seconds FROM agent_compliance WHERE employee_id = 4 AND compliance_date = '2013-03-05'"));
  EXPECT_EQ(target.text("SELECT name FROM business_unit WHERE business_unit_id = 3"), "Café Olé Support");
  EXPECT_EQ(target.text("SELECT name FROM activity WHERE activity_id = 2"), "Chat 💬");

  // Every pair gives the same target as sqlite -> sqlite, row by row.
  const Dump migrated = dump(to_);
  expect_same(reference_dump(1), migrated);

  // A re-run after completion changes nothing.
  const auto runs_before = target.rows("SELECT part_id, runs, updated_at FROM bru_migrate_progress ORDER BY 1");
  const auto again = migrate(from_, to_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  expect_same(migrated, dump(to_));
  EXPECT_EQ(target.rows("SELECT part_id, runs, updated_at FROM bru_migrate_progress ORDER BY 1"), runs_before);

  // The new system's next schedule gets a key after the migrated ones (identity moved past them).
  target.exec("INSERT INTO schedule (agent_id, activity_id, start_at, end_at) VALUES "
              "(1, 1, '2013-03-11 08:00:00', '2013-03-11 12:00:00')");
  EXPECT_EQ(target.text("SELECT MAX(schedule_id) FROM schedule"), "1801");
}

INSTANTIATE_TEST_SUITE_P(Engines, MigratePair,
                         testing::Values(Pair{"sqlite", "sqlite"}, Pair{"postgres", "mariadb"},
                                         Pair{"mariadb", "postgres"}, Pair{"sqlite", "postgres"},
                                         Pair{"postgres", "sqlite"}),
                         [](const testing::TestParamInfo<Pair>& info) {
                           return info.param.source + "_to_" + info.param.target;
                         });

class MigrateTwoStep : public testing::TestWithParam<std::string> {
 protected:
  ScratchDir dir_;
  std::string from_ = "sqlite;" + (dir_ / "wfm65.sqlite").string();
  std::string to_ = fresh_database(GetParam(), "m2_", dir_, "wfm85.sqlite");
};

TEST_P(MigrateTwoStep, KeepsNewerRowsReportsOverlap) {
  load_legacy(from_, 1);
  const auto early = migrate(from_, to_, {"-STEP", "performance"});
  EXPECT_EQ(early.exit_code, 10);
  EXPECT_EQ(early.err,
            "error: -STEP performance needs the base step complete; \"business_unit\" is not\n"
            "hint: run bru -MIGRATE -STEP base first (the performance data refers to its "
            "activities and agents)\n");

  const auto base = migrate(from_, to_, {"-STEP", "base"});
  ASSERT_EQ(base.exit_code, 0) << base.out << base.err;
  EXPECT_TRUE(std::regex_search(base.out, std::regex(
      "performance_data +copy +4608 +4608 +0 +0 +0  pending \\(not in this step\\)\n")))
      << base.out;
  SqlSession target(to_);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM performance_data"), 0);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM schedule"), 1800);
  // The new system's Data Aggregator collects three intervals before the second step.
  target.exec("INSERT INTO performance_data (activity_id, interval_start, offered, handled, handle_seconds) VALUES "
              "(3, '2013-03-05 10:00:00', 999, 998, 12345), (3, '2013-03-05 10:15:00', 999, 998, 12345), "
              "(4, '2013-03-05 11:00:00', 999, 998, 12345)");
  target.exec("INSERT INTO agent_adherence (agent_id, adherence_date, scheduled_seconds, nonadherence_seconds) "
              "VALUES (5, '2013-03-06', 28800, 7)");

  const auto performance = migrate(from_, to_, {"-STEP", "performance"});
  ASSERT_EQ(performance.exit_code, 0) << performance.out << performance.err;
  EXPECT_TRUE(std::regex_search(performance.out, std::regex(
      "performance_data +copy +4608 +4608 +4605 +3 +4608  complete, counts match\n"
      "  overlap: 3 rows of performance_data the new system already had, kept, from "
      "2013-03-05 10:00:00 to 2013-03-05 11:00:00\n")))
      << performance.out;
  EXPECT_NE(performance.out.find("  overlap: 1 rows of agent_adherence the new system already had, kept, from 2013-03-06 to 2013-03-06\n"),
            std::string::npos) << performance.out;
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM performance_data WHERE offered = 999"), 3);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM performance_data"), 4608);
  EXPECT_EQ(target.text("SELECT nonadherence_seconds FROM agent_adherence WHERE agent_id = 5 AND adherence_date = '2013-03-06'"), "7");
  // Everything else is what a one-step migration gives.
  Dump expected = reference_dump(1);
  Dump actual = dump(to_);
  expected.erase("performance_data");
  expected.erase("agent_adherence");
  actual.erase("performance_data");
  actual.erase("agent_adherence");
  expect_same(expected, actual);
}

INSTANTIATE_TEST_SUITE_P(Engines, MigrateTwoStep, testing::Values("sqlite", "postgres", "mariadb"));

TEST(MigrateResume, DurationExitsFourteenAndTheReRunsGiveTheSameTargetAsOneRun) {
  ScratchDir dir;
  const std::string from = "sqlite;" + (dir / "wfm65.sqlite").string();
  const std::string to = fresh_database("mariadb", "md_", dir, "");
  load_legacy(from, 1);
  // A "minute" of 200 ms: a run moves some slices, then exits 14.
  const std::vector<std::string> short_minutes = {"BRU_MIGRATE_SECONDS_PER_MINUTE=0.2"};
  const auto first = migrate(from, to, {"-DURATION", "1", "-SLICE", "10"}, short_minutes);
  ASSERT_EQ(first.exit_code, 14) << first.out << first.err;
  EXPECT_TRUE(std::regex_search(first.err, std::regex(
      "error: migration incomplete: [0-9]+ rows left in [0-9]+ mappings after the -DURATION budget\n"
      "hint: run the same bru -MIGRATE again: it resumes after the last slice done\n")))
      << first.err;
  const auto status = run_bru({"-MIGRATE", "-STATUS", "-FROM", from, "-DB", to});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(std::regex_search(status.out, std::regex("business_unit +complete +3 +3 +0 +1 ")))
      << status.out;
  EXPECT_TRUE(std::regex_search(status.out, std::regex("performance_data +(pending|running) ")))
      << status.out;
  int runs = 1;
  RunResult last = first;
  while (last.exit_code == 14 && runs < 200) {
    last = migrate(from, to, {"-DURATION", "1", "-SLICE", "10"}, short_minutes);
    ++runs;
  }
  ASSERT_EQ(last.exit_code, 0) << last.out << last.err;
  EXPECT_GE(runs, 2);
  expect_same(reference_dump(1), dump(to));
}

TEST(MigrateResume, KillNineAtRandomMomentsThenReRunsGiveTheSameTargetAsOneRun) {
  ScratchDir dir;
  const std::string from = "sqlite;" + (dir / "wfm65.sqlite").string();
  const std::string to = fresh_database("postgres", "mk_", dir, "");
  load_legacy(from, 1);
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(40, 600);
  std::string delays;
  int killed = 0;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const int delay = delay_ms(random);
    BruProcess run({"-MIGRATE", "-FROM", from, "-DB", to, "-QUIET", "-SLICE", "20"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    run.signal(SIGKILL);
    const auto ended = run.wait();
    delays += std::to_string(delay) + "ms:" + std::to_string(ended.exit_code) + " ";
    if (ended.exit_code == 128 + SIGKILL) ++killed;
    if (ended.exit_code == 0) break;
  }
  const auto finish = migrate(from, to, {"-SLICE", "20"});
  ASSERT_EQ(finish.exit_code, 0) << delays << finish.out << finish.err;
  EXPECT_GE(killed, 1) << delays;
  expect_same(reference_dump(1), dump(to));
}

TEST(MigrateResume, SigintStopsBetweenSlicesAndAReRunFinishesTheSame) {
  ScratchDir dir;
  const std::string from = "sqlite;" + (dir / "wfm65.sqlite").string();
  const std::string to = "sqlite;" + (dir / "wfm85.sqlite").string();
  load_legacy(from, 1);
  BruProcess run({"-MIGRATE", "-FROM", from, "-DB", to, "-QUIET", "-SLICE", "10"});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  run.signal(SIGINT);
  const auto stopped = run.wait();
  ASSERT_EQ(stopped.exit_code, 12) << stopped.err;
  const auto finish = migrate(from, to);
  ASSERT_EQ(finish.exit_code, 0) << finish.out << finish.err;
  expect_same(reference_dump(1), dump(to));
}

TEST(MigrateRefuses, ASourceBelow6_5_201IsRefusedAndTheTargetIsNotTouched) {
  ScratchDir dir;
  const auto source_path = dir / "wfm65.sqlite";
  const auto target_path = dir / "wfm85.sqlite";
  load_legacy("sqlite;" + source_path.string(), 1);
  SqlSession("sqlite;" + source_path.string()).exec("UPDATE wm_db_version SET db_version = '6.5.100.00'");
  const auto run = migrate("sqlite;" + source_path.string(), "sqlite;" + target_path.string());
  EXPECT_EQ(run.exit_code, 10);
  EXPECT_EQ(run.err, "error: the source sqlite:" + source_path.string() +
                         " is at version 6.5.100.00; this map migrates 6.5.201.00 and later\n"
                         "hint: bring the 6.5 database to 6.5.201.00 first (the WFM 6.5 Database "
                         "Utility's update), back it up, then run bru -MIGRATE again\n");
  EXPECT_FALSE(std::filesystem::exists(target_path));
}

TEST(MigrateRefuses, BadOptionsAreUsageErrors) {
  const std::string from = "sqlite;/nonexistent/a.sqlite", to = "sqlite;/nonexistent/b.sqlite";
  auto slice = run_bru({"-MIGRATE", "-FROM", from, "-DB", to, "-SLICE", "5"});
  EXPECT_EQ(slice.exit_code, 2);
  EXPECT_EQ(slice.err, "error: -SLICE must be from 10 to 50000 rows\n"
                       "hint: rows per transaction; the default, 50000, was the fastest measured (tools/bench/migrate.sh)\n");
  auto duration = run_bru({"-MIGRATE", "-FROM", from, "-DB", to, "-DURATION", "34561"});
  EXPECT_EQ(duration.exit_code, 2);
  EXPECT_EQ(duration.err, "error: -DURATION must be from 1 to 34560 minutes (24 days)\n"
                          "hint: leave -DURATION out to run until the migration is done\n");
  auto step = run_bru({"-MIGRATE", "-FROM", from, "-DB", to, "-STEP", "fast"});
  EXPECT_EQ(step.exit_code, 2);
  EXPECT_EQ(step.err, "error: -STEP \"fast\" is not base, performance or all\n"
                      "hint: -STEP base moves everything but performance data, -STEP performance "
                      "the performance data after it; all (the default) both\n");
  auto no_from = run_bru({"-MIGRATE", "-DB", to});
  EXPECT_EQ(no_from.exit_code, 2);
  EXPECT_EQ(no_from.err, "error: -MIGRATE needs -FROM <old conn>\n"
                         "hint: e.g. bru -MIGRATE -FROM \"sqlite;wfm65.sqlite\" -DB \"sqlite;wfm85.sqlite\"\n");
}

TEST(WfmLegacy, TheLegacyScriptsAreTheGeneratorsSchema) {
  for (const auto& [dialect, suffix] : std::vector<std::pair<std::string, std::string>>{
           {"sqlite", "SQLITE"}, {"postgres", "PG"}, {"mariadb", "MARIADB"}, {"mssql", "MSQL"},
           {"oracle", "ORA"}}) {
    const auto written = run_bru_sample({"--model", "wfm65", "--schema-only", "--dialect", dialect});
    ASSERT_EQ(written.exit_code, 0) << written.err;
    EXPECT_EQ(written.out, read_text(source_path("sql/wfm/legacy/wfm65_" + suffix + ".sql")))
        << "regenerate: bru-sample --model wfm65 --schema-only --dialect " << dialect
        << " --out sql/wfm/legacy/wfm65_" << suffix << ".sql --force";
  }
}

TEST(WfmLegacy, ScaleOneIsAboutTenThousandRowsAndTheStatisticsGrowLinearly) {
  ScratchDir dir;
  for (const int scale : {1, 3}) {
    const std::string conn = "sqlite;" + (dir / ("s" + std::to_string(scale) + ".sqlite")).string();
    load_legacy(conn, scale);
    SqlSession session(conn);
    EXPECT_EQ(count(session, "SELECT COUNT(*) FROM interval_statistics"), 4608 * scale);
    EXPECT_EQ(session.text("SELECT db_version FROM wm_db_version"), "6.5.201.04");
    EXPECT_EQ(session.text("SELECT MIN(interval_start) FROM interval_statistics"), "2013-03-04 00:00:00");
  }
  const auto summary = run_bru_sample({"--model", "wfm65", "--dialect", "sqlite", "--out", (dir / "x.sql").string()});
  EXPECT_EQ(summary.err, "bru-sample: wrote wfm65 (scale 1, seed 1, sqlite) to " + (dir / "x.sql").string() +
                             ": 28 tables, 10260 rows\n");
}

}  // namespace
}  // namespace bru::test

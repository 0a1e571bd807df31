// Output for machines, end to end (README "Output for machines"): with --log-format=json every
// stderr line is one JSON object, in the order of what happened; -LIST -JSON and -GETVERSION
// -JSON print one document on stdout. One body per engine (SQLite file, the real PostgreSQL
// server tools/test.sh starts), then the errors, the lock wait and the password.
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/dialect_names.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Json = nlohmann::json;

// Every stderr line parsed as JSON: a line that is not one object with "event" and "time" fails
// the test.
std::vector<Json> events_of(const RunResult& result) {
  std::vector<Json> events;
  std::size_t start = 0;
  while (start < result.err.size()) {
    auto end = result.err.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "the last line has no newline: " << result.err;
    if (end == std::string::npos) end = result.err.size();
    const auto line = result.err.substr(start, end - start);
    start = end + 1;
    try {
      auto event = Json::parse(line);
      EXPECT_TRUE(event.is_object()) << line;
      EXPECT_TRUE(event.contains("event") && event["event"].is_string()) << line;
      EXPECT_TRUE(std::regex_match(event.value("time", ""),
                                   std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
          << line;
      events.push_back(std::move(event));
    } catch (const Json::parse_error& error) {
      ADD_FAILURE() << "not JSON: " << line << " (" << error.what() << ")";
    }
  }
  return events;
}

// The event names in order, consecutive progress events shown once ("progress...").
std::vector<std::string> sequence_of(const std::vector<Json>& events) {
  std::vector<std::string> names;
  for (const auto& event : events) {
    const auto name = event["event"].get<std::string>();
    if (name == "progress" && !names.empty() && names.back() == "progress...") continue;
    names.push_back(name == "progress" ? "progress..." : name);
  }
  return names;
}

const Json& only(const std::vector<Json>& events, const std::string& name) {
  const Json* found = nullptr;
  for (const auto& event : events) {
    if (event["event"] == name) {
      EXPECT_EQ(found, nullptr) << "more than one " << name << " event";
      found = &event;
    }
  }
  static const Json kMissing = Json::object();
  EXPECT_NE(found, nullptr) << "no " << name << " event";
  return found ? *found : kMissing;
}

// Runs bru with --log-format=json (BRU style) and parses its stderr.
struct JsonRun {
  RunResult result;
  std::vector<Json> events;
};

JsonRun run_json(std::vector<std::string> args) {
  args.insert(args.end(), {"-LOG-FORMAT", "json"});
  JsonRun run{run_bru(args), {}};
  run.events = events_of(run.result);
  return run;
}

// What differs between the engines a body runs on.
struct Engine {
  std::string name;           // the dialect
  std::string table;          // display name of the test table
  std::string check_warning;  // the constraint-same-engine-only warning about it
  std::function<std::string(const ScratchDir&, const std::string&)> make_database;
};

void PrintTo(const Engine& engine, std::ostream* out) { *out << engine.name; }

std::string sqlite_database(const ScratchDir& dir, const std::string& name) {
  return "sqlite;" + (dir / (name + ".sqlite")).string();
}

// A database of this test's own: ctest runs the tests of a suite in parallel.
std::string postgres_database(const ScratchDir&, const std::string& name) {
  std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  test_name = test_name.substr(0, std::min<std::size_t>(test_name.find('/'), 24));
  return create_postgres_database("bru_json_" + test_name + "_" + name);
}

class JsonLog : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    source_ = GetParam().make_database(dir_, "source");
    ASSERT_FALSE(source_.empty());
    auto connection = odbc::Connection::open(odbc::parse_connection(source_, {}), {});
    connection.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, "
                       "price INTEGER CHECK (price > 0))");
    connection.execute("INSERT INTO item VALUES (1, 'one', 10), (2, 'zwei ü', 20), (3, '三', 30)");
  }

  std::string display(const std::string& conn) { return odbc::parse_connection(conn, {}).display; }

  ScratchDir dir_;
  std::string source_;
  std::filesystem::path archive_ = dir_ / "backup.DB";
};

TEST_P(JsonLog, BackupVerifyRestoreAndListTellEveryStep) {
  const auto& engine = GetParam();
  const auto backup = run_json({"-BACKUP", "-DB", source_, "-FILE", archive_.string()});
  ASSERT_EQ(backup.result.exit_code, 0) << backup.result.err;
  EXPECT_EQ(backup.result.out, "") << "in JSON every event is on stderr";
  EXPECT_EQ(sequence_of(backup.events),
            (std::vector<std::string>{"start", "warning", "progress...", "table", "summary"}));
  const auto& start = only(backup.events, "start");
  EXPECT_EQ(start["command"], "backup");
  EXPECT_EQ(start["bru_version"], BRU_VERSION);
  EXPECT_EQ(start["target"], display(source_));
  EXPECT_EQ(start["file"], archive_.string());
  EXPECT_TRUE(start["script"].is_null());
  const auto& warning = only(backup.events, "warning");
  EXPECT_EQ(warning["code"], "constraint-same-engine-only");
  EXPECT_EQ(warning["message"], engine.check_warning);
  const auto& progress = backup.events[2];
  EXPECT_EQ(progress["command"], "backup");
  EXPECT_EQ(progress["table"], engine.table);
  EXPECT_GT(progress["rows"].get<std::int64_t>(), 0);
  EXPECT_GT(progress["bytes"].get<std::int64_t>(), 0);
  EXPECT_GE(progress["elapsed_seconds"].get<double>(), 0);
  EXPECT_TRUE(progress.contains("total_rows") && progress.contains("eta_seconds"));
  const auto& table = only(backup.events, "table");
  EXPECT_EQ(table["command"], "backup");
  EXPECT_EQ(table["table"], engine.table);
  EXPECT_EQ(table["rows"], 3);
  EXPECT_GT(table["bytes"].get<std::int64_t>(), 0);
  EXPECT_GT(table["stored_bytes"].get<std::int64_t>(), 0);
  EXPECT_EQ(table["sessions"], 1);
  EXPECT_GE(table["seconds"].get<double>(), 0);
  const auto& summary = only(backup.events, "summary");
  EXPECT_EQ(summary["command"], "backup");
  EXPECT_EQ(summary["exit_code"], 0);
  EXPECT_EQ(summary["tables"], 1);
  EXPECT_EQ(summary["rows"], 3);
  EXPECT_EQ(summary["bytes"], table["bytes"]);
  EXPECT_EQ(summary["stored_bytes"], table["stored_bytes"]);
  EXPECT_EQ(summary["file"], archive_.string());

  const auto verify = run_json({"-VERIFY", "-FILE", archive_.string()});
  ASSERT_EQ(verify.result.exit_code, 0) << verify.result.err;
  EXPECT_EQ(verify.result.out, "");
  EXPECT_EQ(sequence_of(verify.events), (std::vector<std::string>{"start", "table", "summary"}));
  EXPECT_TRUE(only(verify.events, "start")["target"].is_null());
  const auto& checked = only(verify.events, "table");
  EXPECT_EQ(checked["command"], "verify");
  EXPECT_EQ(checked["table"], engine.table);
  EXPECT_EQ(checked["rows"], 3);
  EXPECT_EQ(checked["verified"], true);
  EXPECT_TRUE(checked["problem"].is_null());
  EXPECT_EQ(only(verify.events, "summary")["tables"], 1);
  EXPECT_EQ(only(verify.events, "summary")["toc_checked"], true);

  const auto target = engine.make_database(dir_, "target");
  const auto restore = run_json({"-RESTORE", "-DB", target, "-FILE", archive_.string()});
  ASSERT_EQ(restore.result.exit_code, 0) << restore.result.err;
  EXPECT_EQ(restore.result.out, "");
  EXPECT_EQ(sequence_of(restore.events),
            (std::vector<std::string>{"start", "progress...", "table", "summary"}));
  EXPECT_EQ(only(restore.events, "start")["target"], display(target));
  EXPECT_EQ(restore.events[1]["total_rows"], 3) << "a restore knows its total from the archive";
  const auto& restored = only(restore.events, "table");
  EXPECT_EQ(restored["command"], "restore");
  EXPECT_EQ(restored["rows"], 3);
  EXPECT_EQ(restored["bytes"], table["bytes"]);
  EXPECT_EQ(restored["verified"], true);
  const auto& restore_summary = only(restore.events, "summary");
  EXPECT_EQ(restore_summary["rows"], 3);
  EXPECT_EQ(restore_summary["verified"], true);

  const auto listing = run_bru({"-LIST", "-FILE", archive_.string(), "-JSON"});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_EQ(listing.err, "");
  const auto document = Json::parse(listing.out);
  EXPECT_EQ(document["file"], archive_.string());
  EXPECT_EQ(document["format_version"], 7);
  EXPECT_EQ(document["toc_checked"], true);
  EXPECT_EQ(document["bru_version"], BRU_VERSION);
  EXPECT_EQ(document["source"]["dialect"], engine.name);
  EXPECT_TRUE(document["schema_version"].is_null());
  EXPECT_EQ(document["compression"], (Json{{"codec", "zstd"}, {"level", 1}}));
  ASSERT_EQ(document["tables"].size(), 1u);
  EXPECT_EQ(document["tables"][0]["name"], engine.table);
  EXPECT_EQ(document["tables"][0]["table"], "item");
  EXPECT_EQ(document["tables"][0]["rows"], 3);
  EXPECT_EQ(document["tables"][0]["bytes"], table["bytes"]);
  EXPECT_EQ(document["tables"][0]["stored_bytes"], table["stored_bytes"]);
  EXPECT_EQ(document["tables"][0]["chunks"], 1);
  // Without -LOG-FORMAT the same run is text, as it always was.
  const auto text = run_bru({"-BACKUP", "-DB", source_, "-FILE", archive_.string(), "-FORCE"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.err, "warning: " + engine.check_warning + "\n");
  EXPECT_TRUE(std::regex_match(
      text.out, std::regex(engine.table + R"( +3 rows +\d+\.\d MB +\d+\.\d\d s\n)"
                           R"(backup complete: 1 tables, 3 rows, \d+\.\d MB of data stored in )"
                           R"(\d+\.\d MB, \d+\.\d s -> .*backup\.DB\n)")))
      << text.out;

  EXPECT_EQ(document["totals"],
            (Json{{"tables", 1}, {"rows", 3}, {"bytes", table["bytes"]},
                  {"stored_bytes", table["stored_bytes"]}}));
}

TEST_P(JsonLog, UpdateBaselineAndGetVersionTellEveryStep) {
  const auto version_document = [&] {
    const auto result = run_bru({"-GETVERSION", "-DB", source_, "-JSON"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Json::parse(result.out);
  };
  EXPECT_EQ(version_document(),
            (Json{{"target", display(source_)}, {"dialect", GetParam().name}, {"version", nullptr}}));

  const auto baseline = run_json({"-BASELINE", "1.2", "-DB", source_});
  ASSERT_EQ(baseline.result.exit_code, 0) << baseline.result.err;
  EXPECT_EQ(baseline.result.out, "");
  EXPECT_EQ(sequence_of(baseline.events), (std::vector<std::string>{"start", "summary"}));
  const auto& marked = only(baseline.events, "summary");
  EXPECT_EQ(marked["command"], "baseline");
  EXPECT_EQ(marked["version"], "1.2");
  EXPECT_EQ(marked["baseline"], true);

  const auto script = dir_ / "update.sql";
  write_text(script, "-- bru:version 2\n-- bru:description add stock\n"
                     "ALTER TABLE item ADD COLUMN stock INTEGER;\n"
                     "-- bru:version 3\nUPDATE item SET stock = 1;\n");
  const auto update = run_json({"-UPDATE", "-DB", source_, "-SCRIPT", script.string()});
  ASSERT_EQ(update.result.exit_code, 0) << update.result.err;
  EXPECT_EQ(update.result.out, "");
  EXPECT_EQ(sequence_of(update.events),
            (std::vector<std::string>{"start", "update_plan", "section_applied", "section_applied",
                                      "summary"}));
  EXPECT_EQ(only(update.events, "start")["script"], script.string());
  EXPECT_EQ(only(update.events, "update_plan"), (Json{{"event", "update_plan"},
                                                      {"time", update.events[1]["time"]},
                                                      {"current_version", "1.2"},
                                                      {"pending", 2}}));
  EXPECT_EQ(update.events[2]["version"], "2");
  EXPECT_EQ(update.events[2]["description"], "add stock");
  EXPECT_GE(update.events[2]["milliseconds"].get<long long>(), 0);
  EXPECT_EQ(update.events[3]["version"], "3");
  EXPECT_EQ(update.events[3]["description"], "");
  const auto& summary = only(update.events, "summary");
  EXPECT_EQ(summary["exit_code"], 0);
  EXPECT_EQ(summary["version"], "3");
  EXPECT_EQ(summary["applied"], 2);
  EXPECT_EQ(summary["baseline"], false);
  EXPECT_EQ(version_document()["version"], "3");

  const auto again = run_json({"-UPDATE", "-DB", source_, "-SCRIPT", script.string()});
  ASSERT_EQ(again.result.exit_code, 0) << again.result.err;
  EXPECT_EQ(only(again.events, "update_plan")["pending"], 0);
  EXPECT_EQ(only(again.events, "summary")["applied"], 0);

  // A changed applied section, accepted with -REPAIR.
  write_text(script, "-- bru:version 2\n-- bru:description add stock\n"
                     "ALTER TABLE item ADD COLUMN stock INTEGER;\n"
                     "-- bru:version 3\nUPDATE item SET stock = 2;\n");
  const auto repair = run_json({"-UPDATE", "-DB", source_, "-SCRIPT", script.string(), "-REPAIR"});
  ASSERT_EQ(repair.result.exit_code, 0) << repair.result.err;
  EXPECT_EQ(sequence_of(repair.events),
            (std::vector<std::string>{"start", "checksum_repaired", "update_plan", "summary"}));
  const auto& repaired = repair.events[1];
  EXPECT_EQ(repaired["version"], "3");
  EXPECT_TRUE(std::regex_match(repaired["old_checksum"].get<std::string>(),
                               std::regex("[0-9a-f]{8,}")))
      << repaired;
  EXPECT_TRUE(std::regex_match(repaired["new_checksum"].get<std::string>(),
                               std::regex("[0-9a-f]{8,}")))
      << repaired;
  EXPECT_NE(repaired["old_checksum"], repaired["new_checksum"]);

  // -GETVERSION with the JSON log: the product stays on stdout, the events on stderr.
  const auto both = run_json({"-GETVERSION", "-DB", source_, "-JSON"});
  ASSERT_EQ(both.result.exit_code, 0) << both.result.err;
  EXPECT_EQ(Json::parse(both.result.out)["version"], "3");
  EXPECT_EQ(sequence_of(both.events), (std::vector<std::string>{"start", "summary"}));
  EXPECT_EQ(only(both.events, "summary")["command"], "getversion");
}

INSTANTIATE_TEST_SUITE_P(
    Engines, JsonLog,
    ::testing::Values(
        Engine{"sqlite", "item",
               "table \"item\" has CHECK constraints: they are restored only into sqlite",
               sqlite_database},
        Engine{"postgres", "public.item",
               "table \"public.item\" has constraints that are restored only into postgres: "
               "item_price_check",
               postgres_database}),
    [](const auto& info) { return info.param.name; });

TEST(JsonLogErrors, AnErrorIsOneEventWithKindExitCodeAndHintsThenTheSummary) {
  ScratchDir dir;
  const auto missing = dir / "missing.sqlite";
  const auto run =
      run_json({"-BACKUP", "-DB", "sqlite;" + missing.string(), "-FILE", (dir / "x.DB").string()});
  EXPECT_EQ(run.result.exit_code, 13);
  EXPECT_EQ(run.result.out, "");
  ASSERT_EQ(sequence_of(run.events), (std::vector<std::string>{"start", "error", "summary"}));
  auto error = run.events[1];
  error.erase("time");
  EXPECT_EQ(error, (Json{{"event", "error"},
                         {"kind", "not-found"},
                         {"exit_code", 13},
                         {"message", "SQLite database file \"" + missing.string() +
                                         "\" does not exist"},
                         {"hints", {"check the path; bru creates an SQLite file only when "
                                    "restoring into it"}},
                         {"sqlstate", nullptr},
                         {"native_code", nullptr},
                         {"detail", Json::object()}}));
  const auto& summary = run.events[2];
  EXPECT_EQ(summary["command"], "backup");
  EXPECT_EQ(summary["exit_code"], 13);
  EXPECT_GE(summary["seconds"].get<double>(), 0);
  EXPECT_FALSE(summary.contains("tables"));
}

TEST(JsonLogErrors, AFailedStatementCarriesSqlstateNativeCodeAndDetail) {
  ScratchDir dir;
  const auto script = dir / "bad.sql";
  write_text(script, "-- bru:version 1\nCREATE TABL t (id INTEGER);\n");
  const auto run = run_json(
      {"-UPDATE", "-DB", "sqlite;" + (dir / "app.sqlite").string(), "-SCRIPT", script.string()});
  EXPECT_EQ(run.result.exit_code, 4);
  ASSERT_EQ(sequence_of(run.events),
            (std::vector<std::string>{"start", "update_plan", "error", "summary"}));
  const auto& error = run.events[2];
  EXPECT_EQ(error["kind"], "database");
  EXPECT_EQ(error["exit_code"], 4);
  EXPECT_EQ(error["message"], script.string() +
                                  ":2: statement failed: CREATE TABL t (id INTEGER): near "
                                  "\"TABL\": syntax error (1)");
  EXPECT_EQ(error["hints"], (Json{"the database stays at version none; fix the script and run "
                                  "bru -UPDATE again"}));
  EXPECT_EQ(error["sqlstate"], "HY000");
  EXPECT_EQ(error["native_code"], 1);
  EXPECT_EQ(run.events[3]["exit_code"], 4);
}

TEST(JsonLogErrors, ADamagedArchiveGivesAFailedTableThenTheError) {
  ScratchDir dir;
  const auto source = dir / "source.sqlite";
  const auto archive = dir / "backup.DB";
  {
    SqliteFile db(source);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);"
            "INSERT INTO t VALUES (1, 'some text to damage'), (2, 'more text');");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE", archive.string()})
                .exit_code,
            0);
  {
    SqliteFile db(archive);
    db.exec("UPDATE bru_chunks SET payload = substr(payload, 1, 20) || x'5A' || "
            "substr(payload, 22)");
  }
  const auto run = run_json({"-VERIFY", "-FILE", archive.string()});
  EXPECT_EQ(run.result.exit_code, 5);
  EXPECT_EQ(run.result.out, "");
  ASSERT_EQ(sequence_of(run.events),
            (std::vector<std::string>{"start", "table", "error", "summary"}));
  const auto& table = run.events[1];
  EXPECT_EQ(table["table"], "t");
  EXPECT_EQ(table["verified"], false);
  const auto problem = table["problem"].get<std::string>();
  EXPECT_NE(problem.find("chunk 0"), std::string::npos) << problem;
  const auto& error = run.events[2];
  EXPECT_EQ(error["kind"], "archive-corrupt");
  EXPECT_EQ(error["exit_code"], 5);
  EXPECT_EQ(error["message"], "archive \"" + archive.string() +
                                  "\" is damaged: 1 of 1 tables failed verification (" + problem +
                                  ")");
  EXPECT_EQ(error["hints"], (Json{"do not restore from this copy; use another copy of the archive "
                                  "or take a new backup"}));
}

TEST(JsonLogErrors, UsageErrors) {
  // A bad format word cannot be answered in the format asked for: text, as without the option.
  const auto bad_format = run_bru({"-LIST", "-FILE", "x.DB", "-LOG-FORMAT", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_EQ(bad_format.err,
            "error: -LOG-FORMAT \"xml\" is not text or json\n"
            "hint: use -LOG-FORMAT json for one JSON object per line on stderr; text is the "
            "default\n");

  // Found while reading the command line: no start event, and the summary names no command.
  const auto json_for_backup =
      run_json({"-BACKUP", "-DB", "sqlite;x.sqlite", "-FILE", "x.DB", "-JSON"});
  EXPECT_EQ(json_for_backup.result.exit_code, 2);
  ASSERT_EQ(sequence_of(json_for_backup.events), (std::vector<std::string>{"error", "summary"}));
  EXPECT_EQ(json_for_backup.events[0]["message"], "-JSON applies to -LIST, -GETVERSION and -INFO only");
  EXPECT_EQ(json_for_backup.events[0]["hints"],
            (Json{"for the events of the other commands use -LOG-FORMAT json (JSON lines on "
                  "stderr)"}));
  EXPECT_TRUE(json_for_backup.events[1]["command"].is_null());
  EXPECT_EQ(json_for_backup.events[1]["exit_code"], 2);

  // The long form with '=' and any case of the word.
  const auto long_form = run_bru({"--list", "--file", "missing.DB", "--log-format=JSON"});
  EXPECT_EQ(long_form.exit_code, 13) << long_form.err;
  EXPECT_EQ(sequence_of(events_of(long_form)),
            (std::vector<std::string>{"start", "error", "summary"}));
}

TEST(JsonLogErrors, TextThatIsNotUtf8IsReplacedNotRefused) {
  ScratchDir dir;
  const auto source = dir / "source.sqlite";
  SqliteFile(source).exec("CREATE TABLE item (id INTEGER)");
  const auto run = run_json({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE",
                             (dir / "x.DB").string(), "-TABLES", "it\xff" "em"});
  EXPECT_EQ(run.result.exit_code, 13);
  ASSERT_EQ(sequence_of(run.events), (std::vector<std::string>{"start", "error", "summary"}));
  EXPECT_EQ(run.events[1]["message"], "table \"it\uFFFDem\" not found in database \"" +
                                          source.string() + "\"");
}

// The password of the test server's connection string (its last part).
std::string password_of(const std::string& conn) { return conn.substr(conn.rfind(';') + 1); }

TEST(JsonLogPostgres, NoLineEverHoldsThePassword) {
  const auto conn = create_postgres_database("bru_json_password");
  ASSERT_FALSE(conn.empty());
  const auto password = password_of(conn);
  ASSERT_GE(password.size(), 8u) << "the test server's password is too short to look for";
  {
    auto connection = odbc::Connection::open(odbc::parse_connection(conn, {}), {});
    connection.execute("CREATE TABLE t (id int PRIMARY KEY)");
    connection.execute("INSERT INTO t VALUES (1), (2)");
  }
  ScratchDir dir;
  const auto archive = (dir / "t.DB").string();
  const auto script = dir / "u.sql";
  write_text(script, "-- bru:version 1\nCREATE TABLE u (id int);\n");
  const auto wrong = conn.substr(0, conn.rfind(';') + 1) + "Wrong-" + password;
  std::vector<RunResult> runs;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-BACKUP", "-DB", conn, "-FILE", archive},
           {"-RESTORE", "-DB", conn, "-FILE", archive, "-CLEAN"},
           {"-UPDATE", "-DB", conn, "-SCRIPT", script.string()},
           {"-GETVERSION", "-DB", conn, "-JSON"},
           {"-BACKUP", "-DB", wrong, "-FILE", (dir / "w.DB").string()}}) {
    runs.push_back(run_json(args).result);
  }
  for (const auto& run : runs) {
    EXPECT_EQ(run.out.find(password), std::string::npos) << run.out;
    EXPECT_EQ(run.err.find(password), std::string::npos) << run.err;
  }
  EXPECT_EQ(runs[0].exit_code, 0) << runs[0].err;
  EXPECT_EQ(runs[1].exit_code, 0) << runs[1].err;
  EXPECT_EQ(runs[2].exit_code, 0) << runs[2].err;
  EXPECT_EQ(runs[3].exit_code, 0) << runs[3].err;

  // The failed login: kind, exit code, the driver's SQLSTATE and native code, message, hint.
  EXPECT_EQ(runs[4].exit_code, 3);
  const auto events = events_of(runs[4]);
  ASSERT_EQ(sequence_of(events), (std::vector<std::string>{"start", "error", "summary"}));
  const auto target = odbc::parse_connection(conn, {});
  EXPECT_EQ(events[0]["target"], target.display);
  auto error = events[1];
  error.erase("time");
  EXPECT_EQ(error, (Json{{"event", "error"},
                         {"kind", "connect"},
                         {"exit_code", 3},
                         {"message", "cannot connect to " + target.display +
                                         ": connection to server at \"" + target.host +
                                         "\", port " + std::to_string(target.port) +
                                         " failed: FATAL: password authentication failed for "
                                         "user \"" + target.user + "\""},
                         {"hints", {"check the user and password (the password comes from the "
                                    "connection string, -PASSWORD-FILE <file> or the "
                                    "BRU_PASSWORD environment variable)"}},
                         {"sqlstate", "08001"},  // psqlODBC's, for any failed connection
                         {"native_code", 101},
                         {"detail", Json::object()}}));
  EXPECT_EQ(events[2]["exit_code"], 3);
}

TEST(JsonLogPostgres, WaitingForTheUpdateLockIsAnEvent) {
  const auto conn = create_postgres_database("bru_json_lock");
  ASSERT_FALSE(conn.empty());
  // This test's own session holds the lock an update takes.
  auto holder = odbc::Connection::open(odbc::parse_connection(conn, {}), {});
  odbc::ConnectionRunner runner(holder);
  const auto rows = runner.query(schema::make_dialect("postgres")->update().try_lock_sql());
  ASSERT_EQ(rows.size(), 1u);
  ScratchDir dir;
  const auto script = dir / "u.sql";
  write_text(script, "-- bru:version 1\nCREATE TABLE u (id int);\n");
  const auto run = run_json({"-UPDATE", "-DB", conn, "-SCRIPT", script.string(), "-LOCKWAIT", "1"});
  EXPECT_EQ(run.result.exit_code, 10);
  ASSERT_EQ(sequence_of(run.events),
            (std::vector<std::string>{"start", "lock_wait", "error", "summary"}));
  const auto display = odbc::parse_connection(conn, {}).display;
  const auto& wait = run.events[1];
  EXPECT_EQ(wait["lock"], "the update lock");
  EXPECT_EQ(wait["target"], display);
  EXPECT_EQ(wait["wait_seconds"], 1);
  const std::string holder_pattern =
      R"(\w+@127\.0\.0\.1 \(pid \d+\) since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d)";
  EXPECT_TRUE(std::regex_match(wait["holder"].get<std::string>(), std::regex(holder_pattern)))
      << wait;
  const auto& error = run.events[2];
  EXPECT_EQ(error["kind"], "conflict");
  EXPECT_EQ(error["exit_code"], 10);
  EXPECT_EQ(error["message"], "cannot take the update lock of " + display + ": held by " +
                                  wait["holder"].get<std::string>() + " (gave up after 1 s)");
  EXPECT_EQ(error["hints"], (Json{"another bru -UPDATE is running on this database; let it "
                                  "finish, or wait longer with -LOCKWAIT <seconds>"}));
}

}  // namespace
}  // namespace bru::test

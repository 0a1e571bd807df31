// The WFM database scripts of sql/wfm applied with bru -UPDATE to real PostgreSQL, SQLite and
// MariaDB: the same catalog on all three, the in-place path from 7.6 keeps every row through the
// renames, a second run applies nothing. The SQL Server and Oracle scripts, which have no server
// here, are split offline (-DRYRUN -DIALECT) and compared with an independent line scan, and
// their DDL replayed to the same tables and columns as the PostgreSQL script; their parser check
// is tests/unit/testdata/wfm_sql/check_parsers.sh.
#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "schema/error.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

const std::string kLatest = "8.5.2";

struct Engine {
  std::string name;    // as in the test names
  std::string script;  // below sql/wfm
  // Catalog query: table name, 'BASE TABLE' or 'VIEW', column name; columns in ordinal order.
  std::string catalog_sql;
};
void PrintTo(const Engine& engine, std::ostream* out) { *out << engine.name; }

const std::string kInformationSchema =
    "SELECT c.table_name, t.table_type, c.column_name FROM "
    "information_schema.columns c "
    "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND "
    "t.table_name = c.table_name WHERE c.table_schema = {schema} "
    "ORDER BY c.table_name, c.ordinal_position";

std::string information_schema(const std::string& schema) {
  return std::regex_replace(kInformationSchema, std::regex("\\{schema\\}"), schema);
}

const std::vector<Engine>& engines() {
  static const std::vector<Engine> kEngines = {
      {"postgres", "wfm7_PG.sql", information_schema("current_schema()")},
      {"sqlite", "wfm7_SQLITE.sql",
       "SELECT m.name, CASE m.type WHEN 'table' THEN 'BASE TABLE' ELSE 'VIEW' "
       "END, p.name "
       "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
       "WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite%' ORDER "
       "BY m.name, p.cid"},
      {"mariadb", "wfm7_MARIADB.sql", information_schema("DATABASE()")},
  };
  return kEngines;
}

// A new, empty database on the engine's test server (a file in dir for SQLite).
std::string create_database(const Engine& engine, const std::string& name, const ScratchDir& dir) {
  if (engine.name == "postgres") return create_postgres_database(name);
  if (engine.name == "mariadb") return create_mariadb_database(name);
  return "sqlite;" + (dir / (name + ".sqlite")).string();
}

std::string script_path(const std::string& file) { return source_path("sql/wfm/" + file).string(); }

// "table (BASE TABLE): col1, col2, ..." per table and view, sorted by name (byte order, so engines'
// collations do not matter); bru's own bru_* tables left out.
std::vector<std::string> catalog(SqlSession& db, const Engine& engine) {
  std::map<std::string, std::string> tables;
  for (const auto& row : db.rows(engine.catalog_sql)) {
    if (row[0].rfind("bru_", 0) == 0) continue;
    auto& line = tables[row[0]];
    line += line.empty() ? row[0] + " (" + row[1] + "): " + row[2] : ", " + row[2];
  }
  std::vector<std::string> lines;
  for (const auto& [name, line] : tables) lines.push_back(line);
  return lines;
}

// The catalog a script leaves, in catalog()'s form, by replaying its DDL line by line: CREATE
// TABLE (a column is a line of four blanks and a name other than CONSTRAINT), CREATE VIEW (the
// select list up to FROM: the alias, else the name after the dot), ALTER TABLE ADD [COLUMN] [(],
// RENAME COLUMN, EXEC sp_rename, RENAME TO, DROP TABLE/VIEW. It knows only the layout the sql/wfm
// scripts keep; the tests check it against the real catalogs of PostgreSQL, SQLite and MariaDB
// before they trust it with the SQL Server and Oracle scripts.
std::vector<std::string> replay_catalog(const std::string& text) {
  static const std::regex kCreateTable(R"(CREATE TABLE (\w+) \(\s*)");
  static const std::regex kColumn(R"(    (\w+) .*)");
  static const std::regex kCreateView(R"(CREATE VIEW (\w+) AS\s*)");
  static const std::regex kAddColumn(R"(ALTER TABLE (\w+) ADD (?:COLUMN )?\(?(\w+) .*)");
  static const std::regex kRenameColumn(R"(ALTER TABLE (\w+) RENAME COLUMN (\w+) TO (\w+);?\s*)");
  static const std::regex kSpRename(R"(EXEC sp_rename '(\w+)\.(\w+)', '(\w+)', 'COLUMN';?\s*)");
  static const std::regex kRenameTable(R"(ALTER TABLE (\w+) RENAME TO (\w+);?\s*)");
  static const std::regex kDrop(R"(DROP (?:TABLE|VIEW) (\w+);?\s*)");
  static const std::regex kSelectItem(R"(.*?(?:\bAS |\.)?(\w+)\s*)");
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> objects;
  std::istringstream lines(text);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, kCreateTable)) {
      auto& table = objects[match[1]] = {"BASE TABLE", {}};
      while (std::getline(lines, line) && !line.starts_with(")")) {
        if (std::regex_match(line, match, kColumn) && match[1] != "CONSTRAINT") {
          table.second.push_back(match[1]);
        }
      }
    } else if (std::regex_match(line, match, kCreateView)) {
      auto& view = objects[match[1]] = {"VIEW", {}};
      std::string select;
      while (std::getline(lines, line) && !line.starts_with("FROM ")) select += " " + line;
      select = select.substr(select.find("SELECT ") + 7);
      int depth = 0;
      std::string item;
      for (const char c : select + ",") {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (c != ',' || depth > 0) {
          item += c;
        } else if (std::regex_match(item, match, kSelectItem)) {
          view.second.push_back(match[1]);
          item.clear();
        }
      }
    } else if (std::regex_match(line, match, kAddColumn) && match[2] != "CONSTRAINT") {
      objects[match[1]].second.push_back(match[2]);
    } else if (std::regex_match(line, match, kRenameColumn) ||
               std::regex_match(line, match, kSpRename)) {
      auto& columns = objects[match[1]].second;
      std::replace(columns.begin(), columns.end(), match[2].str(), match[3].str());
    } else if (std::regex_match(line, match, kRenameTable)) {
      auto node = objects.extract(match[1]);
      node.key() = match[2];
      objects.insert(std::move(node));
    } else if (std::regex_match(line, match, kDrop)) {
      objects.erase(match[1]);
    }
  }
  std::vector<std::string> result;
  for (const auto& [name, object] : objects) {
    std::string line = name + " (" + object.first + "): ";
    for (const auto& column : object.second) {
      line += (&column == &object.second.front() ? "" : ", ") + column;
    }
    result.push_back(line);
  }
  return result;
}

std::vector<std::string> table_names(SqlSession& db, const Engine& engine) {
  std::vector<std::string> names;
  for (const auto& line : catalog(db, engine)) {
    if (line.find("(BASE TABLE)") != std::string::npos)
      names.push_back(line.substr(0, line.find(' ')));
  }
  return names;
}

// A number as the engines print it ("1575.00", "1575.0", "1575") read back as an integer.
std::string whole(const std::string& number) {
  return std::to_string(std::llround(std::stod(number)));
}

void expect_applied(const RunResult& result, const std::string& last_version) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_TRUE(result.out.ends_with("database is at version " + last_version + "\n")) << result.out;
}

const std::string kNothingToApply = "nothing to apply\ndatabase is at version 8.5.2\n";

// Every WFM term of the 7.x documents has its table (sql/wfm/README.md maps them).
const std::vector<std::string> kWfmTables = {"activity",
                                             "activity_set",
                                             "activity_set_member",
                                             "adherence_rule",
                                             "agent",
                                             "agent_adherence",
                                             "agent_information",
                                             "agent_period_balance",
                                             "agent_state",
                                             "business_unit",
                                             "calendar_item",
                                             "contract",
                                             "dst_information",
                                             "hours_of_operation",
                                             "multi_site_activity_member",
                                             "performance_data",
                                             "permission",
                                             "reason",
                                             "schedule",
                                             "schedule_planning_period",
                                             "schedule_state_group",
                                             "site",
                                             "task",
                                             "task_sequence",
                                             "task_sequence_item",
                                             "time_off_limit",
                                             "user_account",
                                             "user_permission",
                                             "wfm_user",
                                             "wfm_user_site"};

TEST(WfmScripts, SameCatalogOnPostgresSqliteAndMariadb) {
  ScratchDir dir;
  std::vector<std::vector<std::string>> catalogs;
  for (const auto& engine : engines()) {
    SCOPED_TRACE(engine.name);
    const auto conn = create_database(engine, "wfm_catalog", dir);
    const auto script = script_path(engine.script);
    const auto first = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script});
    expect_applied(first, kLatest);
    EXPECT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 7) << first.out;
    EXPECT_EQ(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script}).out, kNothingToApply);
    EXPECT_EQ(run_bru({"-GETVERSION", "-DB", conn}).out, kLatest + "\n");
    SqlSession db(conn);
    catalogs.push_back(catalog(db, engine));
    EXPECT_EQ(replay_catalog(read_text(script)), catalogs.back()) << "the replay is wrong";
    EXPECT_EQ(table_names(db, engine), kWfmTables);
    if (engine.name != "sqlite") {  // SQLite has no stored procedures
      const auto schema = engine.name == "postgres" ? "current_schema()" : "DATABASE()";
      EXPECT_EQ(db.text(std::string("SELECT COUNT(*) FROM information_schema.routines WHERE "
                                    "routine_schema = ") +
                        schema + " AND routine_name = 'purge_performance_data'"),
                "1");
    }
  }
  ASSERT_EQ(catalogs.size(), 3u);
  EXPECT_EQ(catalogs[1], catalogs[0]) << "sqlite differs from postgres";
  EXPECT_EQ(catalogs[2], catalogs[0]) << "mariadb differs from postgres";

  // The core tables, exactly as the naming contract with tools/sample has them (plus the nullable
  // columns this schema adds).
  const auto has = [&](const std::string& line) {
    return std::find(catalogs[0].begin(), catalogs[0].end(), line) != catalogs[0].end();
  };
  EXPECT_TRUE(has("business_unit (BASE TABLE): business_unit_id, name, time_zone"));
  EXPECT_TRUE(has("site (BASE TABLE): site_id, business_unit_id, name, time_zone"));
  EXPECT_TRUE(
      has("activity (BASE TABLE): activity_id, business_unit_id, name, work_type, "
          "multi_site, site_id"));
  EXPECT_TRUE(
      has("agent (BASE TABLE): agent_id, site_id, employee_number, first_name, "
          "last_name, hire_date, hourly_rate, active, email, contract_id"));
  EXPECT_TRUE(
      has("schedule (BASE TABLE): schedule_id, agent_id, activity_id, "
          "start_at, end_at, "
          "published_at"));
  EXPECT_TRUE(
      has("performance_data (BASE TABLE): activity_id, interval_start, offered, "
          "handled, handle_seconds, service_level"));
  EXPECT_TRUE(
      has("v_schedule_detail (VIEW): schedule_id, agent_id, "
          "employee_number, site_id, "
          "activity_id, activity_name, work_type, start_at, end_at"));
  EXPECT_TRUE(
      has("v_activity_daily_performance (VIEW): activity_id, performance_date, "
          "intervals, offered, handled, handle_seconds"));
}

// Rows for every table of the 7.6 schema, in portable SQL (the 7.6 column names).
const std::vector<std::string> kRowsAt76 = {
    "INSERT INTO business_unit VALUES (1, 'North', 'Europe/Berlin')",
    "INSERT INTO site VALUES (10, 1, 'Berlin', 'Europe/Berlin'), (11, 1, "
    "'Krakow', "
    "'Europe/Warsaw')",
    "INSERT INTO dst_information VALUES (1, 'Europe/Berlin', 2024, '2024-03-31 "
    "02:00:00', "
    "'2024-10-27 03:00:00', 60)",
    "INSERT INTO activity VALUES (100, 1, 'Phone sales', 'immediate', FALSE, "
    "10), "
    "(101, 1, 'E-mail', 'deferred', FALSE, 10), (102, 1, 'Back office', "
    "'fixed_staff', FALSE, "
    "11), (103, 1, 'Sales, all sites', 'immediate', TRUE, NULL)",
    "INSERT INTO multi_site_activity_member VALUES (103, 100)",
    "INSERT INTO activity_set VALUES (1, 10, 'Morning', NULL, NULL)",
    "INSERT INTO activity_set_member VALUES (1, 100), (1, 101)",
    "INSERT INTO schedule_state_group VALUES (1, 10, 'Working')",
    "INSERT INTO reason VALUES (1, 1, 'BRK', 'Break', TRUE)",
    "INSERT INTO agent_state VALUES (1, 10, 'Ready', 'READY', 1, NULL), "
    "(2, 10, 'Not ready', 'NOT_READY', NULL, 1)",
    "INSERT INTO adherence_rule VALUES (1, 10, 'Working means ready', 1, 1, "
    "120)",
    "INSERT INTO user_account VALUES (1, 'jdoe', 'Jane Doe', TRUE), (2, "
    "'rroe', 'Richard Roe', "
    "TRUE)",
    "INSERT INTO wfm_user VALUES (1, 1, TRUE)",
    "INSERT INTO user_permission VALUES (1, 1), (1, 2), (2, 7)",
    "INSERT INTO time_off_limit VALUES (1, 10, '2024-12-24', 2, NULL)",
    "INSERT INTO hours_of_operation VALUES (1, 10, 100, 1, 480, 1080)",
    "INSERT INTO schedule_planning_period VALUES (1, 10, '2024-03-04', 4)",
    "INSERT INTO contract VALUES (1, 10, 'Full time', 40.00, 2.50)",
    "INSERT INTO agent VALUES (1, 10, 'E001', 'Ada', 'Lovelace', '2020-01-15', "
    "21.50, TRUE), "
    "(2, 10, 'E002', 'Alan', 'Turing', '2021-06-01', NULL, TRUE), "
    "(3, 11, 'E003', 'Grace', 'Hopper', '2019-09-09', 25.00, FALSE)",
    "INSERT INTO agent_information VALUES (1, '5001', 'P-12', '2020-01-15', "
    "NULL)",
    "INSERT INTO agent_period_balance (agent_id, schedule_planning_period_id, "
    "paid_hours, "
    "unpaid_hours, hours_carried_over) VALUES (1, 1, 160.00, 10.00, 12.50), "
    "(2, 1, 152.00, 0, 0), (3, 1, 80.00, 5.00, 3.25)",
    "INSERT INTO calendar_item VALUES (1, 2, 'time_off', NULL, '2024-03-08 "
    "00:00:00', "
    "'2024-03-09 00:00:00', 'granted')",
    "INSERT INTO schedule (agent_id, activity_id, start_time, end_time) VALUES "
    "(1, 100, '2024-03-04 08:00:00', '2024-03-04 12:00:00'), "
    "(1, 101, '2024-03-04 12:30:00', '2024-03-04 16:30:00'), "
    "(3, 102, '2024-03-04 09:00:00', '2024-03-04 17:00:00')",
    "INSERT INTO performance_data (activity_id, interval_start, calls_offered, "
    "calls_handled, "
    "handle_time) VALUES (100, '2024-03-04 08:00:00', 20, 18, 3600), "
    "(100, '2024-03-04 08:15:00', 25, 24, 4300), (101, '2024-03-04 08:00:00', "
    "5, 5, 1500)",
};

std::map<std::string, std::string> row_counts(SqlSession& db, const Engine& engine) {
  std::map<std::string, std::string> counts;
  for (const auto& table : table_names(db, engine)) {
    counts[table] = db.text("SELECT COUNT(*) FROM " + table);
  }
  return counts;
}

class WfmInPlace : public testing::TestWithParam<Engine> {};

TEST_P(WfmInPlace, DatabaseAt76FilledThenUpdatedKeepsEveryRow) {
  const Engine& engine = GetParam();
  ScratchDir dir;
  const auto conn = create_database(engine, "wfm_in_place", dir);
  const auto script = script_path(engine.script);
  const auto at76 = run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script, "-TARGET", "7.6"});
  EXPECT_TRUE(std::regex_match(
      at76.out,
      std::regex(
          R"(applied version 7\.6 \(WFM 7\.6 base schema\) in \d+ ms\ndatabase is at version 7\.6\n)")))
      << at76.out << at76.err;

  SqlSession db(conn);
  for (const auto& sql : kRowsAt76) db.exec(sql);
  auto before = row_counts(db, engine);
  EXPECT_EQ(before.size(), 25u);
  for (const auto& [table, count] : before) EXPECT_NE(count, "0") << table;

  expect_applied(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script}), kLatest);
  const auto after = row_counts(db, engine);
  before["permission"] =
      std::to_string(std::stoi(before["permission"]) + 2);  // 8.0 and 8.5.2 add one each
  for (const auto& [table, count] : before) EXPECT_EQ(after.at(table), count) << table;

  // The values went through the renames (8.0, 8.1, 8.5.0) and the SQLite rebuild (8.5.1).
  EXPECT_EQ(whole(db.text("SELECT SUM(carried_over_hours * 100) FROM agent_period_balance")),
            "1575");
  EXPECT_EQ(db.rows("SELECT COUNT(*), SUM(offered), SUM(handled), "
                    "SUM(handle_seconds) FROM "
                    "performance_data WHERE service_level IS NULL"),
            (std::vector<std::vector<std::string>>{{"3", "50", "47", "9400"}}));
  EXPECT_EQ(db.rows("SELECT schedule_id, agent_id, activity_id FROM schedule "
                    "WHERE start_at >= "
                    "'2024-03-04 08:00:00' AND end_at <= '2024-03-04 17:00:00' "
                    "AND published_at "
                    "IS NULL ORDER BY schedule_id"),
            (std::vector<std::vector<std::string>>{
                {"1", "1", "100"}, {"2", "1", "101"}, {"3", "3", "102"}}));
  EXPECT_EQ(db.text("SELECT COUNT(*) FROM v_schedule_detail WHERE "
                    "employee_number = 'E001'"),
            "2");
  EXPECT_EQ(db.rows("SELECT activity_id, intervals, offered FROM "
                    "v_activity_daily_performance "
                    "ORDER BY activity_id"),
            (std::vector<std::vector<std::string>>{{"100", "2", "45"}, {"101", "1", "5"}}));

  // The schedule key keeps counting where it was, and 8.5.1's constraint holds.
  db.exec(
      "INSERT INTO schedule (agent_id, activity_id, start_at, end_at) VALUES "
      "(2, 100, '2024-03-05 08:00:00', '2024-03-05 12:00:00')");
  EXPECT_EQ(db.text("SELECT MAX(schedule_id) FROM schedule"), "4");
  EXPECT_THROW(db.exec("INSERT INTO schedule (agent_id, activity_id, start_at, end_at) "
                       "VALUES "
                       "(2, 100, '2024-03-05 12:00:00', '2024-03-05 08:00:00')"),
               Error);
  EXPECT_EQ(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script}).out, kNothingToApply);
}

INSTANTIATE_TEST_SUITE_P(Engines, WfmInPlace, testing::ValuesIn(engines()),
                         [](const auto& info) { return info.param.name; });

TEST(WfmEtl, PostgresFromEmptyAndInPlaceFrom76) {
  const auto script = script_path("WFM_ETL_PG.sql");
  const auto fresh = create_postgres_database("wfm_etl_fresh");
  expect_applied(run_bru({"-UPDATE", "-DB", fresh, "-SCRIPT", script}), kLatest);
  EXPECT_EQ(run_bru({"-UPDATE", "-DB", fresh, "-SCRIPT", script}).out, kNothingToApply);

  {
    SqlSession db(fresh);
    EXPECT_EQ(replay_catalog(read_text(script)), catalog(db, engines()[0]))
        << "the replay is wrong";
  }

  const auto conn = create_postgres_database("wfm_etl_in_place");
  expect_applied(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script, "-TARGET", "7.6"}), "7.6");
  SqlSession db(conn);
  db.exec("INSERT INTO etl_business_unit VALUES (1, 'North', 'Europe/Berlin')");
  db.exec(
      "INSERT INTO etl_activity VALUES (100, 1, NULL, 'Phone sales', "
      "'immediate', FALSE)");
  db.exec("INSERT INTO etl_date VALUES (20240304, '2024-03-04', 2024, 3, 1)");
  db.exec(
      "INSERT INTO etl_interval_performance VALUES (100, '2024-03-04 "
      "08:00:00', 20240304, "
      "20, 18, 3600), (100, '2024-03-04 08:15:00', 20240304, 25, 24, 4300)");
  db.exec(
      "INSERT INTO etl_load_run (started_at, status) VALUES ('2024-03-05 "
      "01:00:00', "
      "'succeeded')");
  expect_applied(run_bru({"-UPDATE", "-DB", conn, "-SCRIPT", script}), kLatest);
  EXPECT_EQ(db.rows("SELECT performance_date, intervals, offered, handled, "
                    "handle_seconds FROM "
                    "etl_v_activity_daily"),
            (std::vector<std::vector<std::string>>{{"2024-03-04", "2", "45", "42", "7900"}}));
  EXPECT_EQ(db.text("SELECT COUNT(*) FROM etl_load_run WHERE source_version IS NULL"), "1");
  EXPECT_THROW(db.exec("INSERT INTO etl_load_run (started_at, status) VALUES "
                       "('2024-03-06 01:00:00', 'lost')"),
               Error);
}

// The SQL Server and Oracle scripts leave the tables, views and columns the PostgreSQL one does
// (which the test above compares with SQLite and MariaDB on real servers).
TEST(WfmOfflineCatalog, SqlServerAndOracleScriptsDefineWhatThePostgresOneDoes) {
  for (const auto& [kind, postgres] : std::vector<std::pair<std::string, std::string>>{
           {"wfm7_", "wfm7_PG.sql"}, {"WFM_ETL_", "WFM_ETL_PG.sql"}}) {
    const auto expected = replay_catalog(read_text(script_path(postgres)));
    EXPECT_GE(expected.size(), kind == "wfm7_" ? 32u : 10u);
    for (const auto& engine : {"MSQL", "ORA"}) {
      const auto file = kind + engine + ".sql";
      EXPECT_EQ(replay_catalog(read_text(script_path(file))), expected) << file;
    }
  }
}

// Where each statement of a SQL Server or Oracle script starts, by a line scan that knows only the
// layout the sql/wfm scripts keep: a statement starts at the first line after the previous one that
// is neither blank nor a comment; SQL Server ends it at a GO line; Oracle at a line ending in ';',
// or, for a PL/SQL unit (CREATE OR REPLACE PROCEDURE), at a '/' line.
std::vector<int> statement_lines(const std::string& text, bool oracle) {
  static const std::regex kSkip(R"(\s*(--.*)?\r?)");
  static const std::regex kGo(R"(\s*GO\s*\r?)", std::regex::icase);
  static const std::regex kSlash(R"(\s*/\s*\r?)");
  static const std::regex kPlsql(R"(\s*CREATE\s+OR\s+REPLACE\s+PROCEDURE\b.*)", std::regex::icase);
  static const std::regex kSemicolonEnd(R"(.*;\s*\r?)");
  std::vector<int> starts;
  std::istringstream lines(text);
  std::string line;
  bool in_statement = false;
  bool plsql = false;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (!in_statement) {
      if (std::regex_match(line, kSkip) || (!oracle && std::regex_match(line, kGo))) continue;
      starts.push_back(number);
      in_statement = true;
      plsql = oracle && std::regex_match(line, kPlsql);
    }
    if (!oracle) {
      in_statement = !std::regex_match(line, kGo);
    } else if (plsql) {
      in_statement = !std::regex_match(line, kSlash);
    } else {
      in_statement = !std::regex_match(line, kSemicolonEnd);
    }
  }
  return starts;
}

struct OfflineScript {
  std::string file;
  std::string dialect;
  std::size_t statements;  // counted once by grep (GO lines; ';' ends and '/' lines)
};
void PrintTo(const OfflineScript& script, std::ostream* out) { *out << script.file; }

class WfmOffline : public testing::TestWithParam<OfflineScript> {};

TEST_P(WfmOffline, DryRunSplitsWhereTheLineScanExpects) {
  const auto& param = GetParam();
  const auto script = script_path(param.file);
  const auto plan = run_bru({"-UPDATE", "-DIALECT", param.dialect, "-SCRIPT", script, "-DRYRUN"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_TRUE(
      plan.out.starts_with("-- offline plan (-DIALECT " + param.dialect + "): all 6 sections\n"))
      << plan.out.substr(0, 200);
  std::vector<int> split_at;
  const std::string at = "-- at " + script + ":";
  std::istringstream lines(plan.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(at)) split_at.push_back(std::stoi(line.substr(at.size())));
  }
  const auto expected = statement_lines(read_text(script), param.dialect == "oracle");
  EXPECT_EQ(split_at, expected);
  EXPECT_EQ(expected.size(), param.statements);
}

INSTANTIATE_TEST_SUITE_P(Scripts, WfmOffline,
                         testing::Values(OfflineScript{"wfm7_MSQL.sql", "mssql", 51},
                                         OfflineScript{"wfm7_ORA.sql", "oracle", 64},
                                         OfflineScript{"WFM_ETL_MSQL.sql", "mssql", 22},
                                         OfflineScript{"WFM_ETL_ORA.sql", "oracle", 22}),
                         [](const auto& info) {
                           return info.param.file.substr(0, info.param.file.find('.'));
                         });

}  // namespace
}  // namespace bru::test

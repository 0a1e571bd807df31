// bru-sample's generator (tools/sample) without a database server: determinism, seeds, scale,
// the calendar, the errors, and the SQLite script loaded through the sqlite3 C API.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <sstream>

#include "splitter_test_helpers.h"
#include "support/sample_data.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"
#include "tools/sample/calendar.h"
#include "tools/sample/model.h"
#include "tools/sample/sql_writer.h"

namespace bru::test {
namespace {

const char* const kDialects[] = {"sqlite", "postgres", "mariadb", "mssql", "oracle"};

// Lines that start a row in a script (see splitter_common_test.cpp), counted independently of
// the model's own row counts.
std::size_t row_lines(const std::string& text) {
  std::istringstream in(text);
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) {
    rows += line.starts_with("  (") || line.starts_with("SELECT ") ? 1 : 0;
  }
  return rows;
}

TEST(SampleGenerator, SameSeedAndScaleGiveTheSameBytes) {
  for (const auto* dialect : kDialects) {
    SCOPED_TRACE(dialect);
    EXPECT_EQ(sample_script(dialect, 1, 7), sample_script(dialect, 1, 7));
  }
}

// The bytes do not depend on the machine or the standard library: the generator uses its own
// PRNG and integer arithmetic only. A change of the model changes this hash on purpose; then
// update it (and say so in the commit: anyone comparing samples across versions must know).
TEST(SampleGenerator, ScaleOneSeedOneIsAFixedScript) {
  const std::string text = sample_script("postgres");
  EXPECT_EQ(XXH64(text.data(), text.size(), 0), 0xe8538dc89f8167a0ULL)
      << std::hex << XXH64(text.data(), text.size(), 0);
}

TEST(SampleGenerator, AnotherSeedGivesOtherRowsOfTheSameShape) {
  const std::string one = sample_script("postgres", 1, 1);
  const std::string two = sample_script("postgres", 1, 2);
  EXPECT_NE(one, two);
  EXPECT_EQ(row_lines(one), row_lines(two));
  // The schema does not depend on the seed, only the rows do.
  EXPECT_EQ(
      one.substr(one.find("CREATE TABLE"), one.find("INSERT INTO") - one.find("CREATE TABLE")),
      two.substr(two.find("CREATE TABLE"), two.find("INSERT INTO") - two.find("CREATE TABLE")));
}

TEST(SampleGenerator, ScaleTwoHasTwiceTheRows) {
  EXPECT_EQ(sample_rows(1), 14859u);
  EXPECT_EQ(sample_rows(2), 2 * sample_rows(1));
  const std::string one = sample_script("sqlite", 1);
  const std::string two = sample_script("sqlite", 2);
  EXPECT_EQ(row_lines(one), sample_rows(1));
  EXPECT_EQ(row_lines(two), sample_rows(2));
  // About 1 MB per scale unit, growing linearly.
  EXPECT_GT(one.size(), 800'000u);
  EXPECT_LT(one.size(), 2'000'000u);
  EXPECT_GT(two.size(), one.size() * 19 / 10);
  EXPECT_LT(two.size(), one.size() * 21 / 10);
}

TEST(SampleGenerator, TablesFollowTheWfmNamingContract) {
  const auto model = sample::make_wfm_model();
  std::vector<std::string> names;
  for (const auto& table : model->tables()) names.push_back(table.name);
  EXPECT_EQ(names, (std::vector<std::string>{"business_unit", "site", "activity", "agent",
                                             "schedule", "performance_data"}));
  const auto& schedule = model->tables()[4];
  EXPECT_TRUE(schedule.columns[0].identity);
  EXPECT_EQ(schedule.columns[0].name, "schedule_id");
  EXPECT_EQ(model->tables()[5].primary_key,
            (std::vector<std::string>{"activity_id", "interval_start"}));
}

TEST(SampleGenerator, SqliteScriptLoadsWithEveryCountAndNoForeignKeyViolation) {
  ScratchDir dir;
  const auto path = dir / "wfm.sqlite";
  load_sample_sqlite(path);
  SqliteFile db(path);
  for (const auto* table :
       {"business_unit", "site", "activity", "agent", "schedule", "performance_data"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(db.scalar(std::string("SELECT count(*) FROM ") + table),
              static_cast<long long>(sample_rows(table)));
  }
  EXPECT_TRUE(db.rows("PRAGMA foreign_key_check").empty());
  // The identity numbered the schedules 1..n in insert order.
  EXPECT_EQ(db.scalar("SELECT max(schedule_id) FROM schedule"),
            static_cast<long long>(sample_rows("schedule")));
  // What the sample promises to contain.
  EXPECT_GT(db.scalar("SELECT count(*) FROM agent WHERE email IS NULL"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM agent WHERE email = ''"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM agent WHERE hourly_rate IS NULL"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM performance_data WHERE service_level IS NULL"), 0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM activity WHERE name = 'Chat \xF0\x9F\x92\xAC'"), 3);
  for (const char* text : {"é", "ß", "ñ", "ø", "Ε", "Д", "佐", "大"}) {
    SCOPED_TRACE(text);
    EXPECT_GT(db.scalar(std::string("SELECT (SELECT count(*) FROM agent WHERE first_name || "
                                    "last_name LIKE '%") +
                        text +
                        "%') + (SELECT count(*) FROM "
                        "site WHERE name LIKE '%" +
                        text +
                        "%') + (SELECT count(*) "
                        "FROM business_unit WHERE name LIKE '%" +
                        text + "%')"),
              0);
  }
  // Fractional seconds: milliseconds and microseconds.
  EXPECT_GT(db.scalar("SELECT count(*) FROM schedule WHERE created_at LIKE '%.___'"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM schedule WHERE created_at LIKE '%.______'"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM schedule WHERE created_at NOT LIKE '%.%'"), 0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM performance_data WHERE strftime('%M', interval_start) "
                      "NOT IN ('00', '15', '30', '45') OR strftime('%S', interval_start) != '00'"),
            0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM performance_data WHERE handled > offered"), 0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schedule WHERE end_at <= start_at"), 0);
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT work_type) FROM activity"), 3);
}

TEST(SampleGenerator, CalendarCountsDaysLikeTheGregorianCalendar) {
  EXPECT_EQ(sample::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(sample::format_date(sample::days_from_civil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(sample::format_date(sample::days_from_civil(2024, 2, 29) + 1), "2024-03-01");
  EXPECT_EQ(sample::format_date(sample::days_from_civil(2000, 12, 31) + 1), "2001-01-01");
  EXPECT_EQ(sample::format_timestamp(0, 86400 + 61, 7, 3), "1970-01-02 00:01:01.007");
  EXPECT_EQ(sample::format_timestamp(0, 0, 42, 6), "1970-01-01 00:00:00.000042");
  // No trailing zeros: the canonical text bru's SQLite dialect reads as a timestamp.
  EXPECT_EQ(sample::format_timestamp(0, 0, 120, 3), "1970-01-01 00:00:00.12");
  EXPECT_EQ(sample::format_timestamp(0, 0, 0, 6), "1970-01-01 00:00:00");
}

TEST(SampleGenerator, UnknownDialectAndModelAreUsageErrors) {
  std::ostringstream out;
  expect_error([&] { sample::write_script(*sample::make_wfm_model(), {}, "db2", out); },
               ErrorKind::kUsage, "unknown dialect \"db2\"",
               {"use one of: sqlite, postgres, mariadb, mssql, oracle"});
  EXPECT_TRUE(out.str().empty()) << "nothing is written before the dialect is known";
  expect_error([] { sample::make_model("pets"); }, ErrorKind::kUsage, "unknown model \"pets\"",
               {"use one of: wfm, wfm65"});
}

}  // namespace
}  // namespace bru::test

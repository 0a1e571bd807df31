// Issue 11 item 6, "bytes are bytes": a value the target cannot hold is exit 11 naming table,
// column and row before anything is loaded (never a driver message about a thousand-row batch,
// never a checksum mismatch after the load); a value it can hold arrives byte for byte.
// Per target (MariaDB is not a restore target yet):
//   PostgreSQL refuses: NUL bytes and invalid UTF-8 in character data, dates not in the calendar
//     or outside its years, times past 24:00:00, float32 values a real cannot hold.
//   SQLite refuses: NaN (stored as NULL). It holds NUL bytes, invalid UTF-8 and infinities.
#include <gtest/gtest.h>

#include "support/pg_shop.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

struct Misfit {
  std::string name;
  std::string create_and_fill;  // SQLite statements making table t
  std::string column;
  std::string type;  // the portable type the hint names
  std::string why;
};

void PrintTo(const Misfit& misfit, std::ostream* out) { *out << misfit.name; }

class ValueFitPostgres : public ::testing::TestWithParam<Misfit> {};

TEST_P(ValueFitPostgres, IsExit11NamingTheRowAndLoadsNothing) {
  const Misfit& misfit = GetParam();
  ScratchDir dir;
  const auto source = dir / "source.sqlite";
  const auto archive = dir / "backup.DB";
  {
    SqliteFile db(source);
    db.exec(misfit.create_and_fill);
  }
  const auto backup = run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE",
                               archive.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const auto target = create_postgres_database("bru_fit_" + misfit.name);
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 11) << restore.err;
  EXPECT_EQ(restore.err,
            "error: table \"t\", column \"" + misfit.column + "\", row 3: " + misfit.why +
                "\nhint: the postgres target cannot hold this value in a column of type " +
                misfit.type +
                "; fix the value in the source (or exclude the table with -EXCLUDE) and back up "
                "again; nothing was restored\n" +
                parallel_undo_hint(target));  // the default: two sessions
  SqlSession check(target);
  EXPECT_EQ(check.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

INSTANTIATE_TEST_SUITE_P(
    EveryCase, ValueFitPostgres,
    ::testing::Values(
        Misfit{"nul", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
               "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'x' || char(0) || 'y');",
               "v", "text", "a NUL byte (PostgreSQL character data cannot hold one)"},
        Misfit{"utf8", "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(10));"
               "INSERT INTO t VALUES (1, 'a'), (2, 'é'), (3, CAST(x'6162ff' AS TEXT));",
               "v", "varchar(10)",
               "byte 3 (0xff) is not valid UTF-8 (PostgreSQL character data must be)"},
        Misfit{"calendar", "CREATE TABLE t (id INTEGER PRIMARY KEY, d DATE);"
               "INSERT INTO t VALUES (1, '2024-02-29'), (2, '2024-03-01'), (3, '2023-02-29');",
               "d", "date", "\"2023-02-29\" is not a date of the calendar"},
        Misfit{"clock", "CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP);"
               "INSERT INTO t VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-01 24:00:00'),"
               "(3, '2024-01-01 25:00:00');",
               "at", "timestamp(6)", "\"2024-01-01 25:00:00\" is not a time of day"},
        Misfit{"real", "CREATE TABLE t (id INTEGER PRIMARY KEY, f FLOAT4);"
               "INSERT INTO t VALUES (1, 1.5), (2, 3.0e38), (3, 1e300);",
               "f", "float32", "1e+300 is out of range for float32 (PostgreSQL real)"}),
    [](const ::testing::TestParamInfo<Misfit>& info) { return info.param.name; });

// What SQLite can hold arrives exactly: NUL bytes inside TEXT (read with their length, not as C
// strings), bytes that are not UTF-8, infinities.
TEST(ValueFitSqlite, NulBytesInvalidUtf8AndInfinitiesRoundTripExactly) {
  ScratchDir dir;
  const auto source = dir / "source.sqlite";
  const auto target = dir / "target.sqlite";
  const auto archive = dir / "backup.DB";
  const std::string query = "SELECT id, hex(v), typeof(v), f FROM t ORDER BY id";
  std::vector<std::vector<std::string>> expected;
  {
    SqliteFile db(source);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, f REAL);"
            "INSERT INTO t VALUES (1, 'a' || char(0) || 'b', 9e999),"
            "(2, CAST(x'61ff00' AS TEXT), -9e999), (3, char(0), 0.5)");
    expected = db.rows(query);
  }
  ASSERT_EQ(expected[0][1], "text:610062");
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE", archive.string(),
                     "-QUIET"}).exit_code, 0);
  const auto restore = run_bru({"-RESTORE", "-DB", "sqlite;" + target.string(), "-FILE",
                                archive.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqliteFile restored(target);
  EXPECT_EQ(restored.rows(query), expected);
}

}  // namespace
}  // namespace bru::test

// MariaDB's zero dates ("0000-00-00", "2024-05-00") on the real server: a backup keeps them and a
// restore into MariaDB gives them back; into PostgreSQL or SQLite, which have none, a zero date
// (as a value or as a column default) is refused before any change, exit 11, naming table, column
// and row, unless -ZERO-DATES null is given: then each becomes NULL, each column changed is named,
// and the restore is verified against the archive with those NULLs.
#include <filesystem>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A source whose sql_mode lets zero dates in, as legacy MySQL schemas have them.
struct ZeroDateSource {
  std::string conn;
  std::string archive;
};
ZeroDateSource back_up_zero_dates(const ScratchDir& dir) {
  ZeroDateSource source{fresh_database("mariadb", "bru_src_", dir, ""), ""};
  SqlSession db(source.conn);
  db.exec("SET SESSION sql_mode = ''");
  db.exec(
      "CREATE TABLE booking (id INT PRIMARY KEY, booked DATE, "
      "changed DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00', seen TIMESTAMP NULL, "
      "due DATE NULL)");
  db.exec(
      "INSERT INTO booking VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', "
      "'2024-05-00'), (2, '2024-02-29', '2024-02-29 10:00:00', '2024-01-01 00:00:00', NULL)");
  db.exec("CREATE TABLE shipment (id INT PRIMARY KEY, shipped DATE)");
  db.exec("INSERT INTO shipment VALUES (1, '2024-01-31'), (2, '0000-00-00'), (3, NULL)");
  db.exec("CREATE TABLE ledger (id INT PRIMARY KEY, posted DATETIME NOT NULL)");
  db.exec("INSERT INTO ledger VALUES (1, '2024-01-31 10:00:00'), (2, '2024-00-00 00:00:00')");
  source.archive = back_up(source.conn, dir, "zero");
  return source;
}

TEST(MariadbZeroDates, KeptIntoMariadb) {
  ScratchDir dir;
  const auto source = back_up_zero_dates(dir);
  const auto target = fresh_database("mariadb", "bru_dst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", source.archive, "-QUIET",
                                "-ZERO-DATES", "null"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err, "");
  SqlSession src(source.conn);
  SqlSession dst(target);
  for (const std::string table : {"booking", "shipment", "ledger"}) {
    EXPECT_EQ(dst.rows("SELECT * FROM " + table + " ORDER BY id"),
              src.rows("SELECT * FROM " + table + " ORDER BY id"))
        << table;
    EXPECT_EQ(dst.rows("SHOW CREATE TABLE " + table), src.rows("SHOW CREATE TABLE " + table));
  }
  EXPECT_EQ(dst.text("SELECT concat(booked, ' ', due) FROM booking WHERE id = 1"),
            "0000-00-00 2024-05-00");
}

TEST(MariadbZeroDates, RefusedIntoPostgresAndSqliteBeforeAnyChange) {
  ScratchDir dir;
  const auto source = back_up_zero_dates(dir);
  const auto pg = fresh_database("postgres", "bru_dst_", dir, "");

  // A zero date as a default: refused while the DDL is planned.
  const auto with_default = run_bru({"-RESTORE", "-DB", pg, "-FILE", source.archive, "-QUIET"});
  EXPECT_EQ(with_default.exit_code, 11) << with_default.err;
  EXPECT_EQ(with_default.err,
            "error: cannot restore table \"booking\" into postgres: the default '0000-00-00 "
            "00:00:00' of column \"changed\" is a zero date, which postgres cannot hold\n"
            "hint: give -ZERO-DATES null to leave such defaults out and restore zero dates as "
            "NULL, or restore into mariadb; nothing was changed\n");

  // A zero date as a value: refused with its row, and the table created for it is gone.
  const auto hint =
      "hint: give -ZERO-DATES null to restore zero dates as NULL (each column is named in the "
      "report), or restore into mariadb; nothing was restored\n";
  const auto value = run_bru(
      {"-RESTORE", "-DB", pg, "-FILE", source.archive, "-QUIET", "-TABLES", "shipment"});
  EXPECT_EQ(value.exit_code, 11) << value.err;
  // A restore into PostgreSQL runs in two sessions by default (-THREADS): its undo says so.
  EXPECT_EQ(value.err.substr(0, value.err.find("hint: every table")),
            std::string("error: table \"shipment\", column \"shipped\", row 2: the zero date "
                        "\"0000-00-00\", which postgres cannot hold\n") +
                hint);
  EXPECT_NE(value.err.find(" was dropped again: its catalog is as before the restore\n"),
            std::string::npos)
      << value.err;
  EXPECT_EQ(SqlSession(pg).text("SELECT count(*) FROM pg_class WHERE relnamespace = "
                                "'public'::regnamespace"),
            "0");

  const auto sqlite = dir / "zero.sqlite";
  const auto into_sqlite = run_bru({"-RESTORE", "-DB", "sqlite;" + sqlite.string(), "-FILE",
                                    source.archive, "-QUIET", "-TABLES", "ledger"});
  EXPECT_EQ(into_sqlite.exit_code, 11) << into_sqlite.err;
  EXPECT_EQ(into_sqlite.err,
            std::string("error: table \"ledger\", column \"posted\", row 2: the zero date "
                        "\"2024-00-00 00:00:00\", which sqlite cannot hold\n") +
                hint);
  EXPECT_FALSE(std::filesystem::exists(sqlite)) << "the file the restore created is left";
}

TEST(MariadbZeroDates, MadeNullWhenAskedEachColumnNamedAndVerified) {
  ScratchDir dir;
  const auto source = back_up_zero_dates(dir);
  const auto pg = fresh_database("postgres", "bru_dst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", pg, "-FILE", source.archive, "-ZERO-DATES",
                                "null", "-TABLES", "booking,shipment"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_NE(restore.err.find("warning: table \"booking\", column \"changed\": the default "
                             "'0000-00-00 00:00:00' is a zero date; it is left out and the column "
                             "is made nullable (-ZERO-DATES null)\n"),
            std::string::npos)
      << restore.err;
  EXPECT_NE(restore.err.find("warning: table \"booking\": zero dates restored as NULL "
                             "(-ZERO-DATES null) in booked (1), changed (1), seen (1), due (1)\n"),
            std::string::npos)
      << restore.err;
  EXPECT_NE(restore.err.find("warning: table \"shipment\": zero dates restored as NULL "
                             "(-ZERO-DATES null) in shipped (1)\n"),
            std::string::npos)
      << restore.err;
  EXPECT_NE(restore.out.find("restore complete: 2 tables, 5 rows, verified against the archive"),
            std::string::npos)
      << restore.out;
  SqlSession db(pg);
  EXPECT_EQ(db.rows("SELECT id, booked, changed, (seen AT TIME ZONE 'UTC')::text, due FROM "
                    "booking ORDER BY id"),
            (Rows{{"1", "NULL", "NULL", "NULL", "NULL"},
                  {"2", "2024-02-29", "2024-02-29 10:00:00", "2024-01-01 00:00:00", "NULL"}}));
  EXPECT_EQ(db.rows("SELECT id, shipped FROM shipment ORDER BY id"),
            (Rows{{"1", "2024-01-31"}, {"2", "NULL"}, {"3", "NULL"}}));
  EXPECT_EQ(db.text("SELECT is_nullable || ' ' || coalesce(column_default, 'none') FROM "
                    "information_schema.columns WHERE table_name = 'booking' AND "
                    "column_name = 'changed'"),
            "YES none");
}

// A NOT NULL column without a zero-date default has no NULL to take: named, nothing restored.
TEST(MariadbZeroDates, ANotNullColumnCannotTakeTheNull) {
  ScratchDir dir;
  const auto source = back_up_zero_dates(dir);
  const auto sqlite = dir / "zero.sqlite";
  const auto restore = run_bru({"-RESTORE", "-DB", "sqlite;" + sqlite.string(), "-FILE",
                                source.archive, "-QUIET", "-ZERO-DATES", "null"});
  EXPECT_EQ(restore.exit_code, 11) << restore.err;
  EXPECT_NE(restore.err.find("error: table \"ledger\", column \"posted\", row 2: the zero date "
                             "\"2024-00-00 00:00:00\" cannot become NULL (-ZERO-DATES null): the "
                             "column is NOT NULL\n"
                             "hint: set a real date in the source (or make the column nullable "
                             "there) and back up again, or restore into mariadb; nothing was "
                             "restored\n"),
            std::string::npos)
      << restore.err;
  EXPECT_FALSE(std::filesystem::exists(sqlite)) << "the file the restore created is left";
}

TEST(MariadbZeroDates, TheOptionIsARestoreChoice) {
  ScratchDir dir;
  const auto on_backup = run_bru({"-BACKUP", "-DB", "sqlite;" + (dir / "x.sqlite").string(),
                                  "-FILE", (dir / "x.DB").string(), "-ZERO-DATES", "null"});
  EXPECT_EQ(on_backup.exit_code, 2);
  EXPECT_EQ(on_backup.err,
            "error: -ZERO-DATES applies to -RESTORE only\n"
            "hint: a backup keeps MariaDB's zero dates as they are; choose at restore what "
            "another engine gets\n");
  const auto unknown = run_bru({"-RESTORE", "-DB", "sqlite;" + (dir / "x.sqlite").string(),
                                "-FILE", (dir / "x.DB").string(), "-ZERO-DATES", "today"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "error: -ZERO-DATES \"today\" is not error or null\n"
            "hint: -ZERO-DATES null restores MariaDB's zero dates as NULL; error (the default) "
            "refuses them, naming table, column and row\n");
}

}  // namespace
}  // namespace bru::test

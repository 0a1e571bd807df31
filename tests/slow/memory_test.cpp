// bru's peak memory stays bounded whatever the row width or table size (issue
// 11 item 7): large values backed up and restored end to end, the bru process's
// peak resident set (wait4's ru_maxrss) checked against kMaxRssKib, and the
// round trip checked value by value through a path independent of bru (SQL on
// the source and the target).
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

constexpr long kMaxRssKib = 256 * 1024; // 256 MiB

// Runs bru with the arguments; fails the test unless it exits 0 with a peak RSS
// under max_kib.
void expect_bounded_run(const std::string &what,
                        const std::vector<std::string> &args,
                        long max_kib = kMaxRssKib) {
  const auto result = run_bru(args);
  ASSERT_EQ(result.exit_code, 0) << what << ": " << result.err;
  std::cout << what << ": peak RSS " << result.max_rss_kib << " KiB\n";
  EXPECT_LT(result.max_rss_kib, max_kib)
      << what << " peak RSS " << result.max_rss_kib << " KiB";
}

// Backs up the source into the archive, verifies it and restores it into the
// target, each run bounded as expect_bounded_run() checks (verify by kMaxRssKib).
void expect_bounded_round_trip(const std::string &source,
                               const std::string &archive,
                               const std::string &target,
                               long backup_kib = kMaxRssKib,
                               long restore_kib = kMaxRssKib) {
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "backup", {"-BACKUP", "-DB", source, "-FILE", archive}, backup_kib));
  ASSERT_NO_FATAL_FAILURE(
      expect_bounded_run("verify", {"-VERIFY", "-FILE", archive}));
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "restore", {"-RESTORE", "-DB", target, "-FILE", archive}, restore_kib));
}

// psqlODBC's own cursor fetched 10,000 rows per round trip whatever their
// width: 600 rows of 1 MB bytea took 2.3 GB to back up and 2.9 GB to restore
// (its verify reads the table back).
TEST(Memory, PostgresMegabyteByteaRowsBackUpAndRestoreInBoundedMemory) {
  ScratchDir scratch;
  const auto source = fresh_database("postgres", "mem_src_", scratch, "");
  const auto target = fresh_database("postgres", "mem_dst_", scratch, "");
  ASSERT_FALSE(source.empty());
  SqlSession source_sql(source);
  source_sql.exec("CREATE TABLE blobs (id integer PRIMARY KEY, payload bytea)");
  // 600 distinct values of 1 MiB (65,536 copies of a row's 16-byte md5).
  source_sql.exec(
      "INSERT INTO blobs SELECT i, decode(repeat(md5(i::text), 65536), 'hex') "
      "FROM generate_series(1, 600) AS i");
  const std::string digest_sql =
      "SELECT count(*) || ':' || sum(length(payload)) || ':' || "
      "md5(string_agg(md5(payload), ',' ORDER BY id)) FROM blobs";
  const auto source_digest = source_sql.text(digest_sql);
  ASSERT_EQ(source_digest.substr(0, 14), "600:629145600:");

  const auto archive = (scratch / "blobs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "backup", {"-BACKUP", "-DB", source, "-FILE", archive}));

  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "restore", {"-RESTORE", "-DB", target, "-FILE", archive}));
  EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
}

// sqliteodbc read whole result sets at SQLExecDirect in manual-commit mode:
// 2,000 rows of 1 MB random blobs (incompressible, so the archive holds 2 GB
// too) took 4.1 GB to back up.
TEST(Memory, SqliteMegabyteBlobRowsBackUpVerifyAndRestoreInBoundedMemory) {
  ScratchDir scratch;
  const auto source_path = scratch / "source.sqlite";
  const auto target_path = scratch / "target.sqlite";
  {
    SqliteFile source(source_path);
    source.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
                "n WHERE i < 2000) "
                "INSERT INTO blobs SELECT i, randomblob(1048576) FROM n;");
    ASSERT_EQ(source.scalar("SELECT sum(length(payload)) FROM blobs"),
              2000LL * 1048576);
  }
  ASSERT_NO_FATAL_FAILURE(expect_bounded_round_trip(
      "sqlite;" + source_path.string(), (scratch / "blobs.db").string(),
      "sqlite;" + target_path.string()));

  SqliteFile restored(target_path);
  restored.exec("ATTACH DATABASE '" + source_path.string() + "' AS source");
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM blobs"), 2000);
  EXPECT_EQ(restored.scalar(
                "SELECT count(*) FROM blobs JOIN source.blobs AS s USING (id) "
                "WHERE blobs.payload = s.payload"),
            2000);
}

// One value of 50 MB: libpq held the whole COPY row, the archive a 50 MB chunk, the restore
// the row, its COPY text (hex, twice the size) and the read-back: 377 MB to back up, 481 MB to
// restore (with a 26 MB text beside it). Long values now travel in pieces of 4 MiB (format 6).
TEST(Memory, PostgresFiftyMegabyteValueBacksUpAndRestoresInBoundedMemory) {
  ScratchDir scratch;
  const auto source = fresh_database("postgres", "mem_src_", scratch, "");
  const auto target = fresh_database("postgres", "mem_dst_", scratch, "");
  ASSERT_FALSE(source.empty());
  SqlSession source_sql(source);
  source_sql.exec("CREATE TABLE docs (id integer PRIMARY KEY, body bytea, note text)");
  // 50 MiB of distinct 16-byte md5s, and a short text after it in the row.
  source_sql.exec(
      "INSERT INTO docs SELECT 1, string_agg(decode(md5(i::text), 'hex'), ''::bytea ORDER BY i), "
      "'after' FROM generate_series(1, 3276800) AS i");
  source_sql.exec("INSERT INTO docs VALUES (2, 'short', NULL)");
  const std::string digest_sql =
      "SELECT count(*) || ':' || sum(length(body)) || ':' || "
      "md5(string_agg(md5(body) || coalesce(note, '-'), ',' ORDER BY id)) FROM docs";
  const auto source_digest = source_sql.text(digest_sql);
  ASSERT_EQ(source_digest.substr(0, 11), "2:52428805:");

  ASSERT_NO_FATAL_FAILURE(
      expect_bounded_round_trip(source, (scratch / "docs.db").string(), target));
  EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
}

// One value of 200 MB restored through ODBC (-BULK odbc): psqlODBC kept the value sent with
// SQLPutData until the INSERT ran, 642 MB. Its pieces now go to a temporary table and the row is
// inserted from there (a table without a primary key, and a text of two-byte characters too).
TEST(Memory, PostgresTwoHundredMegabyteValueRestoresThroughOdbcInBoundedMemory) {
  ScratchDir scratch;
  const auto source = fresh_database("postgres", "mem_src_", scratch, "");
  const auto target = fresh_database("postgres", "mem_dst_", scratch, "");
  ASSERT_FALSE(source.empty());
  SqlSession source_sql(source);
  source_sql.exec("CREATE TABLE docs (id integer, body bytea, note text, tail text)");
  // 200 MiB of 12,800 distinct 16 KiB runs (every 4 MiB piece differs), 12 MB of text after it.
  source_sql.exec(
      "INSERT INTO docs SELECT 1, string_agg(decode(repeat(md5(i::text), 1024), 'hex'), "
      "''::bytea ORDER BY i), repeat('\u00e9x', 4000000), 'after' "
      "FROM generate_series(1, 12800) AS i");
  source_sql.exec("INSERT INTO docs VALUES (2, 'short', NULL, NULL)");
  const std::string digest_sql =
      "SELECT count(*) || ':' || sum(length(body)) || ':' || md5(string_agg(md5(body) || "
      "coalesce(md5(note), '-') || coalesce(tail, '-'), ',' ORDER BY id)) FROM docs";
  const auto source_digest = source_sql.text(digest_sql);
  ASSERT_EQ(source_digest.substr(0, 12), "2:209715205:");

  const auto archive = (scratch / "docs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "backup", {"-BACKUP", "-BULK", "odbc", "-DB", source, "-FILE", archive}));
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "restore", {"-RESTORE", "-BULK", "odbc", "-DB", target, "-FILE", archive}));
  EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
}

// The table docs of scratch/source.sqlite, backed up and restored into scratch/target.sqlite in
// bounded memory (as expect_bounded_round_trip() checks): all `rows` rows come back, each with
// `same` true (d: restored, s: source).
void expect_sqlite_docs_round_trip(const ScratchDir& scratch, long long rows,
                                   const std::string& same, long backup_kib = kMaxRssKib,
                                   long restore_kib = kMaxRssKib) {
  const auto source_path = scratch / "source.sqlite";
  const auto target_path = scratch / "target.sqlite";
  ASSERT_NO_FATAL_FAILURE(expect_bounded_round_trip(
      "sqlite;" + source_path.string(), (scratch / "docs.db").string(),
      "sqlite;" + target_path.string(), backup_kib, restore_kib));
  SqliteFile restored(target_path);
  restored.exec("ATTACH DATABASE '" + source_path.string() + "' AS source");
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM main.docs"), rows);
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM main.docs AS d JOIN source.docs AS s ON "
                            "s.id = d.id WHERE " + same),
            rows);
}

// One BLOB of 50 MB: 373 MB to back up and 461 MB to restore (with a 25 MB TEXT beside it).
TEST(Memory, SqliteFiftyMegabyteBlobBacksUpAndRestoresInBoundedMemory) {
  ScratchDir scratch;
  const auto source_path = scratch / "source.sqlite";
  {
    SqliteFile source(source_path);
    source.exec("CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB, note TEXT);"
                "INSERT INTO docs VALUES (1, randomblob(52428800), 'after');"
                "INSERT INTO docs VALUES (2, x'00ff', NULL);");
    ASSERT_EQ(source.scalar("SELECT sum(length(body)) FROM docs"), 52428802LL);
  }
  ASSERT_NO_FATAL_FAILURE(expect_sqlite_docs_round_trip(
      scratch, 2, "d.body = s.body AND d.note IS s.note AND typeof(d.note) = typeof(s.note)"));
}

// One BLOB of 200 MB: SQLite loaded it whole to slice it (267 MB to back up) and sqliteodbc kept
// it whole to insert it (436 MB to restore). bru's piece functions now read and write it in place
// (bru/data/sqlite_pieces.h), a short BLOB after it in its row too, and a row whose long BLOB
// has a TEXT after it (bru_zeros(), see the test below).
TEST(Memory, SqliteTwoHundredMegabyteBlobBacksUpAndRestoresInBoundedMemory) {
  ScratchDir scratch;
  const auto source_path = scratch / "source.sqlite";
  {
    SqliteFile source(source_path);
    source.exec("CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB, thumb BLOB, note TEXT);"
                "INSERT INTO docs VALUES (1, zeroblob(209715200), zeroblob(3), NULL);"
                "INSERT INTO docs VALUES (2, x'00ff', NULL, 'short');"
                "INSERT INTO docs VALUES (3, randomblob(6000000), randomblob(5000000), 'after');");
    // Random bytes written in place: randomblob(209715200) cost this process 400 MB, and a
    // spawned child's peak RSS counts its parent's (posix_spawn shares the memory until exec).
    std::mt19937_64 random(11);
    std::string piece(4 << 20, '\0');
    for (int offset = 0; offset < 209715200; offset += static_cast<int>(piece.size())) {
      for (std::size_t at = 0; at < piece.size(); at += 8) {
        const std::uint64_t word = random();
        std::memcpy(piece.data() + at, &word, 8);
      }
      source.write_blob("docs", "body", 1, offset, piece);
    }
    source.write_blob("docs", "thumb", 1, 0, std::string("\x00\xff\x00", 3));
    ASSERT_EQ(source.scalar("SELECT sum(length(body)) FROM docs"), 215715202LL);
  }
  ASSERT_NO_FATAL_FAILURE(expect_sqlite_docs_round_trip(
      scratch, 3,
      "d.body = s.body AND d.thumb IS s.thumb AND d.note IS s.note AND "
      "typeof(d.body) = typeof(s.body) AND typeof(d.thumb) = typeof(s.thumb) AND "
      "typeof(d.note) = typeof(s.note)"));
}

// Makes scratch/source.sqlite with the statements, run by the sqlite3 shell: a 200 MB value made
// there costs this process nothing (a spawned bru's peak RSS counts its parent's, see above).
void make_sqlite_source(const ScratchDir& scratch, const std::string& sql) {
  const auto result =
      run_program("/usr/bin/sqlite3", {"-bail", (scratch / "source.sqlite").string(), sql});
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

// The columns of docs that must come back exactly: bytes, storage class, in every row.
std::string same_columns(const std::vector<std::string>& columns) {
  std::string same = "1";
  for (const auto& column : columns) {
    same += " AND d." + column + " IS s." + column + " AND typeof(d." + column + ") = typeof(s." +
            column + ")";
  }
  return same;
}

// One TEXT of 200 MB (random bytes, NULs among them) with a short TEXT after it in its row:
// backup loaded it once per slice to measure it (1,095,156 KiB), and, as sqliteodbc ends a text
// sent in pieces at its first NUL, restore bound it whole (1,081,420 KiB). Its length now comes
// from the row's header (bru_value_bytes(), bru/data/sqlite_pieces.h) and it goes in place as a
// BLOB does, into a TEXT of zeros from bru_zero_text(): 71,124 and 222,292 KiB (SQLite builds
// the row whole, with the value's length of zeros in it).
TEST(Memory, SqliteTwoHundredMegabyteTextBacksUpAndRestoresInBoundedMemory) {
  ScratchDir scratch;
  ASSERT_NO_FATAL_FAILURE(make_sqlite_source(
      scratch,
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, note TEXT);"
      "INSERT INTO docs VALUES (1, CAST(randomblob(209715200) AS TEXT), 'after');"
      "INSERT INTO docs VALUES (2, 'short', NULL);"
      "INSERT INTO docs VALUES (3, CAST(randomblob(5000000) AS TEXT), NULL);"));
  ASSERT_NO_FATAL_FAILURE(
      expect_sqlite_docs_round_trip(scratch, 3, same_columns({"body", "note"})));
  // Checked after the runs: loading the value here would count in bru's peak RSS.
  SqliteFile source(scratch / "source.sqlite");
  EXPECT_EQ(source.rows("SELECT length(CAST(body AS BLOB)), typeof(body) FROM docs WHERE id = 1"),
            (std::vector<std::vector<std::string>>{{"integer:209715200", "text:text"}}));
}

// A BLOB of 200 MB with an INTEGER and a TEXT after it in its row: SQLite defers a zeroblob's
// zeros only at a row's end, so bru bound the value whole (438,076 KiB to restore). It now goes
// in place into bru_zeros(), zeros that cost nothing until SQLite copies them into the row:
// 222,052 KiB.
TEST(Memory, SqliteTwoHundredMegabyteBlobBeforeOtherValuesRestoresInBoundedMemory) {
  ScratchDir scratch;
  ASSERT_NO_FATAL_FAILURE(make_sqlite_source(
      scratch,
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB, size INTEGER, note TEXT);"
      "INSERT INTO docs VALUES (1, randomblob(209715200), 209715200, 'after');"
      "INSERT INTO docs VALUES (2, x'00ff', 2, NULL);"));
  ASSERT_NO_FATAL_FAILURE(
      expect_sqlite_docs_round_trip(scratch, 2, same_columns({"body", "size", "note"})));
}

// Where SQLite must hold a 200 MB value whole, bru cannot stay under kMaxRssKib, only near what
// SQLite itself needs (these bounds: that, plus the 96 MiB bru takes beside it):
// - a BLOB in a UNIQUE column (or a key): sqlite3_blob_open() writes no indexed column, and an
//   INSERT builds the key's index record and the table's row record, each with the whole value,
//   from the value bound (sqliteodbc holds it whole): three times the value to restore. Its
//   backup is bounded: blob I/O reads indexed columns.
// - a WITHOUT ROWID table: sqlite3_blob_open() refuses it, and SQL reads a column's value whole
//   (substr() of a slice loads the value first): the value once to back up; to restore, the row
//   record and the value bound, twice.
constexpr long kValueKib = 200 * 1024;
constexpr long kBesideKib = 96 * 1024;

TEST(Memory, SqliteTwoHundredMegabyteBlobInAUniqueColumnCostsWhatSqliteNeeds) {
  ScratchDir scratch;
  ASSERT_NO_FATAL_FAILURE(make_sqlite_source(
      scratch,
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB UNIQUE, note TEXT);"
      "INSERT INTO docs VALUES (1, randomblob(209715200), NULL);"
      "INSERT INTO docs VALUES (2, x'00ff', 'short');"));
  ASSERT_NO_FATAL_FAILURE(expect_sqlite_docs_round_trip(scratch, 2,
                                                        same_columns({"body", "note"}),
                                                        kMaxRssKib, 3 * kValueKib + kBesideKib));
}

TEST(Memory, SqliteTwoHundredMegabyteBlobWithoutRowidCostsWhatSqliteNeeds) {
  ScratchDir scratch;
  ASSERT_NO_FATAL_FAILURE(make_sqlite_source(
      scratch,
      "CREATE TABLE docs (id INTEGER NOT NULL PRIMARY KEY, body BLOB, note TEXT) WITHOUT ROWID;"
      "INSERT INTO docs VALUES (1, randomblob(209715200), NULL);"
      "INSERT INTO docs VALUES (2, x'00ff', 'short');"));
  ASSERT_NO_FATAL_FAILURE(expect_sqlite_docs_round_trip(
      scratch, 2, same_columns({"body", "note"}), kValueKib + kBesideKib,
      2 * kValueKib + kBesideKib));
}

} // namespace
} // namespace bru::test

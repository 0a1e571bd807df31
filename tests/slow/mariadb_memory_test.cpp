// MariaDB's Connector/ODBC 3.1.15 holds a whole result set in memory: a 187 MB table cost bru
// about 300 MB to back up. Reads through ODBC now go in pages along the table's key
// (Dialect::page_key), and -BULK auto streams tables through libmariadb
// (bru/mariadb/stream_reader.h), so the peak resident set (wait4's ru_maxrss) stays bounded
// whatever the table size, for the backup and for the restore's verification read-back. The
// paged backup's key has two columns whose first repeats across page boundaries; each round trip
// is checked through SQL on both servers.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

constexpr long kMaxRssKib = 256 * 1024;  // 256 MiB

// Runs bru with the arguments; fails the test unless it exits 0 with a peak RSS under
// kMaxRssKib.
void expect_bounded_run(const std::string& what, const std::vector<std::string>& args) {
  const auto result = run_bru(args);
  ASSERT_EQ(result.exit_code, 0) << what << ": " << result.err;
  std::cout << what << ": peak RSS " << result.max_rss_kib << " KiB\n";
  EXPECT_LT(result.max_rss_kib, kMaxRssKib) << what << " peak RSS " << result.max_rss_kib << " KiB";
}

// The table of `source` backed up into `archive` with -BULK `backup_bulk` and restored into
// `target`, each run in bounded memory; the target's `digest_sql` equals the source's.
void expect_bounded_round_trip(const std::string& source, const std::string& target,
                               const std::string& archive, const std::string& backup_bulk,
                               const std::string& digest_sql) {
  const auto source_digest = SqlSession(source).text(digest_sql);
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "backup", {"-BACKUP", "-BULK", backup_bulk, "-DB", source, "-FILE", archive, "-QUIET"}));
  ASSERT_NO_FATAL_FAILURE(
      expect_bounded_run("restore", {"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"}));
  EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
}

// A fresh MariaDB table `table` (create_sql) of a million rows, row n made of `row_sql` over
// n.i, backed up with -BULK `backup_bulk` and restored (expect_bounded_round_trip), compared by
// the crc32 of its `columns` (comma-separated) row by row.
void expect_million_row_round_trip(const std::string& table, const std::string& create_sql,
                                   const std::string& row_sql, const std::string& backup_bulk,
                                   const std::string& columns) {
  ScratchDir scratch;
  const auto source = fresh_database("mariadb", "mem_src_", scratch, "");
  const auto target = fresh_database("mariadb", "mem_dst_", scratch, "");
  SqlSession source_sql(source);
  source_sql.exec("SET SESSION max_recursive_iterations = 2000000");
  source_sql.exec(create_sql);
  source_sql.exec(fmt::format("INSERT INTO {} WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT "
                              "i + 1 FROM n WHERE i < 1000000) SELECT {} FROM n",
                              table, row_sql));
  ASSERT_EQ(source_sql.text("SELECT count(*) FROM " + table), "1000000");
  expect_bounded_round_trip(
      source, target, (scratch / (table + ".DB")).string(), backup_bulk,
      fmt::format("SELECT CONCAT(count(*), ':', sum(crc32(concat_ws('|', {})))) FROM {}", columns,
                  table));
}

TEST(MariadbMemory, AMillionRowTableBacksUpAndRestoresInBoundedMemory) {
  expect_million_row_round_trip(
      "events",
      "CREATE TABLE events (grp INT NOT NULL, name VARCHAR(20) NOT NULL, body VARCHAR(200), "
      "amount DECIMAL(12,2), at DATETIME, PRIMARY KEY (grp, name))",
      "i % 997, CONCAT('e''\\\\', i), REPEAT(MD5(i), 5), i / 7, '2024-01-01' + INTERVAL i SECOND",
      "odbc", "grp, name, body, amount, at");
}

// A table without a key has none to page along: Connector/ODBC held its whole result. A million
// rows of 320-byte lines cost 474 MB to back up and 420 MB to restore (its read-back); streamed
// through libmariadb now (bru/mariadb/stream_reader.h), 58 MB and 37 MB.
TEST(MariadbMemory, ATableWithoutAKeyBacksUpAndRestoresInBoundedMemory) {
  expect_million_row_round_trip(
      "log", "CREATE TABLE log (at DATETIME, level INT, line VARCHAR(400))",
      "'2024-01-01' + INTERVAL i SECOND, i % 5, REPEAT(MD5(i), 10)", "auto", "at, level, line");
}

// 200 MiB of 12,800 distinct 16 KiB runs (every 4 MiB piece differs), made on the server. The
// text starts with one ASCII byte, so its 4 MiB pieces end inside a two-byte character.
constexpr std::string_view kLongBlobSql =
    "SELECT GROUP_CONCAT(UNHEX(REPEAT(MD5(seq), 1024)) ORDER BY seq SEPARATOR '') "
    "FROM seq_1_to_12800";
constexpr std::string_view kLongTextSql =
    "SELECT CONCAT('a', GROUP_CONCAT(REPEAT(MD5(seq), 500), REPEAT(_utf8mb4 X'c3a9', 192) "
    "ORDER BY seq SEPARATOR '')) FROM seq_1_to_12800";

// The table docs of the MariaDB `database`: a 200 MiB LONGBLOB (row 1) and a 200 MiB LONGTEXT
// (row 2), short values after each in their rows, and a row of short values and NULLs.
void make_mariadb_docs(const std::string& database) {
  SqlSession sql(database);
  sql.exec("SET SESSION group_concat_max_len = 1073741824");
  sql.exec(
      "CREATE TABLE docs (id INT PRIMARY KEY, body LONGBLOB, note LONGTEXT, size BIGINT, "
      "tail VARCHAR(20)) DEFAULT CHARSET=utf8mb4");
  sql.exec(fmt::format("INSERT INTO docs SELECT 1, ({}), 'short \u00e9', 1, 'after'",
                       kLongBlobSql));
  sql.exec(fmt::format("INSERT INTO docs SELECT 2, X'00ff', ({}), 2, 'after'", kLongTextSql));
  sql.exec("INSERT INTO docs VALUES (3, NULL, '', NULL, NULL)");
}

// Each row of docs as "id:bytes:md5 of body:bytes:md5 of note:size:tail", "-" for NULL, in the
// same text on MariaDB and PostgreSQL.
std::string docs_digest(const std::string& database) {
  const bool postgres = database.rfind("postgres", 0) == 0;
  const std::string row =
      "concat_ws(':', id, coalesce(octet_length(body), '-'), coalesce(md5(body), '-'), "
      "coalesce(octet_length(note), '-'), coalesce(md5(note), '-'), coalesce(size, '-'), "
      "coalesce(tail, '-'))";
  const std::string pg_row =
      "concat_ws(':', id, coalesce(octet_length(body)::text, '-'), coalesce(md5(body), '-'), "
      "coalesce(octet_length(note)::text, '-'), coalesce(md5(note), '-'), "
      "coalesce(size::text, '-'), coalesce(tail, '-'))";
  return SqlSession(database).text(
      postgres ? "SELECT string_agg(" + pg_row + ", ',' ORDER BY id) FROM docs"
               : "SELECT GROUP_CONCAT(" + row + " ORDER BY id SEPARATOR ',') FROM docs");
}

// docs of a fresh MariaDB database, backed up in bounded memory into scratch/docs.db; returns
// its digest (docs_digest()).
std::string back_up_mariadb_docs(const ScratchDir& scratch) {
  const auto source = fresh_database("mariadb", "mem_src_", scratch, "");
  make_mariadb_docs(source);
  const auto digest = docs_digest(source);
  EXPECT_EQ(digest.substr(0, 12), "1:209715200:");
  EXPECT_NE(digest.find(",2:2:"), std::string::npos);
  EXPECT_NE(digest.find(":209715201:"), std::string::npos);
  expect_bounded_run("backup", {"-BACKUP", "-DB", source, "-FILE", (scratch / "docs.db").string()});
  return digest;
}

// docs backed up (back_up_mariadb_docs()), then restored into a fresh `engine` database with
// `options` before -DB, in bounded memory, the round trip checked by SQL.
void expect_bounded_docs_restore(const std::string& engine,
                                 const std::vector<std::string>& options) {
  ScratchDir scratch;
  const auto digest = back_up_mariadb_docs(scratch);
  if (::testing::Test::HasFatalFailure()) return;
  const auto target = fresh_database(engine, "mem_dst_", scratch, "");
  std::vector<std::string> args{"-RESTORE"};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"-DB", target, "-FILE", (scratch / "docs.db").string()});
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run("restore into " + engine, args));
  EXPECT_EQ(docs_digest(target), digest);
}

// A 200 MiB LONGBLOB and a 200 MiB LONGTEXT: backed up, then restored with LOAD DATA (-BULK auto
// on libmariadb), each run verifying the table.
TEST(MariadbMemory, TwoHundredMegabyteValuesBackUpAndRestoreInBoundedMemory) {
  expect_bounded_docs_restore("mariadb", {});
}

// The same archive restored through ODBC (-BULK odbc).
TEST(MariadbMemory, TwoHundredMegabyteValuesRestoreThroughOdbcInBoundedMemory) {
  expect_bounded_docs_restore("mariadb", {"-BULK", "odbc"});
}

// The same archive restored into PostgreSQL (COPY) and read back, the values compared by their
// md5s. The read-back sliced the text by characters, decompressing the stored value from its
// start for each slice (1.2 s a slice, 150 s in all): it slices a copy made once.
TEST(MariadbMemory, TwoHundredMegabyteValuesRestoreIntoPostgresInBoundedMemory) {
  expect_bounded_docs_restore("postgres", {});
}

}  // namespace
}  // namespace bru::test

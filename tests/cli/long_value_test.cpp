// Values longer than a piece (4 MiB; formats/FORMAT.md "Long values") end to end: read in
// slices, stored as piece chunks, restored in pieces (COPY on libpq, SQLPutData on ODBC) and
// verified piece by piece, checked against the source by SQL; and what a damaged piece or a value
// the target's driver cannot take in pieces does.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

std::string conn(const std::filesystem::path& path) { return "sqlite;" + path.string(); }

void expect_exit_zero(const std::vector<std::string>& args) {
  const auto result = run_bru(args);
  ASSERT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
}

// Rows of 9 MiB (three pieces) in two long columns and a short one between and after them.
TEST(LongValueCli, SqliteLongBlobAndTextRoundTripThroughPieces) {
  ScratchDir scratch;
  const auto source = scratch / "source.sqlite";
  const auto target = scratch / "target.sqlite";
  SqliteFile(source).exec(
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB, mid TEXT, note TEXT, tail TEXT);"
      "INSERT INTO docs VALUES (1, randomblob(9437184), 'between', "
      "  replace(hex(randomblob(4718592)), '0', 'é'), 'after');"
      "INSERT INTO docs VALUES (2, x'00', NULL, 'short', NULL);");
  const auto archive = (scratch / "docs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-BACKUP", "-DB", conn(source), "-FILE", archive}));
  {
    SqliteFile stored(archive);
    // Row 1's chunk, 3 pieces of body and 3 of note, row 2's chunk.
    EXPECT_EQ(stored.scalar("SELECT count(*) FROM bru_chunks WHERE row_count = 0"), 6);
    EXPECT_EQ(stored.scalar("SELECT max(raw_bytes) FROM bru_chunks"), 4194310);
  }
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-VERIFY", "-FILE", archive}));
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-RESTORE", "-DB", conn(target), "-FILE", archive}));

  SqliteFile restored(target);
  restored.exec("ATTACH DATABASE '" + source.string() + "' AS source");
  EXPECT_EQ(restored.scalar(
                "SELECT count(*) FROM main.docs AS d JOIN source.docs AS s ON s.id = d.id WHERE "
                "d.body IS s.body AND d.mid IS s.mid AND d.note IS s.note AND d.tail IS s.tail "
                "AND typeof(d.note) = typeof(s.note)"),
            2);
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM main.docs"), 2);
}

// sqliteodbc ends a text sent with SQLPutData at its first NUL (it kept 130 bytes of 26 MB): a
// long SQLite TEXT is written in place (bru_zero_text()), and its NUL bytes arrive. A NULL
// beside it is measured by length(), not bru_value_bytes() (which fails on a NULL).
TEST(LongValueCli, SqliteLongTextWithNulBytesRoundTrips) {
  ScratchDir scratch;
  const auto source = scratch / "source.sqlite";
  const auto target = scratch / "target.sqlite";
  SqliteFile(source).exec(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);"
      "INSERT INTO t VALUES (1, 'short');"
      "INSERT INTO t VALUES (2, CAST(randomblob(5000000) AS TEXT));"
      "INSERT INTO t VALUES (3, NULL);");
  const auto archive = (scratch / "t.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-BACKUP", "-DB", conn(source), "-FILE", archive}));
  EXPECT_EQ(SqliteFile(archive).scalar("SELECT count(*) FROM bru_chunks WHERE row_count = 0"), 2);
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-RESTORE", "-DB", conn(target), "-FILE", archive}));
  SqliteFile restored(target);
  restored.exec("ATTACH DATABASE '" + source.string() + "' AS source");
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM main.t AS d JOIN source.t AS s ON s.id = d.id "
                            "WHERE CAST(d.note AS BLOB) IS CAST(s.note AS BLOB) AND typeof(d.note) "
                            "= typeof(s.note)"),
            3);
}

// Long BLOBs are read with bru_read_piece() and written in place into zeroblob()s on a rowid
// table (bru/data/sqlite_pieces.h), two in a row with a short one between, and into bru_zeros()
// where a TEXT follows; where SQLite cannot (a UNIQUE column, a WITHOUT ROWID table) the row
// goes whole, as before (a TEXT with NUL bytes bound whole).
// A column named rowid makes bru read the rowid as _rowid_.
TEST(LongValueCli, SqliteLongBlobsWrittenInPlaceOrWholeRoundTrip) {
  ScratchDir scratch;
  const auto source = scratch / "source.sqlite";
  const auto target = scratch / "target.sqlite";
  SqliteFile(source).exec(
      "CREATE TABLE pair (id INTEGER PRIMARY KEY, a BLOB, b BLOB, c BLOB);"
      "INSERT INTO pair VALUES (1, randomblob(9000000), x'0102', randomblob(4500000));"
      "INSERT INTO pair VALUES (2, randomblob(5000000), NULL, x'');"
      "INSERT INTO pair VALUES (3, x'00', NULL, NULL);"
      "CREATE TABLE keyed (id INTEGER PRIMARY KEY, body BLOB UNIQUE);"
      "INSERT INTO keyed VALUES (1, randomblob(5000000)), (2, randomblob(6000000));"
      "CREATE TABLE norowid (id INTEGER NOT NULL PRIMARY KEY, body BLOB, tail BLOB, doc TEXT) "
      "WITHOUT ROWID;"
      "INSERT INTO norowid VALUES (1, randomblob(5000000), x'ff', NULL);"
      "INSERT INTO norowid VALUES (2, NULL, NULL, CAST(randomblob(4500000) AS TEXT));"
      "CREATE TABLE named (rowid TEXT, body BLOB, note TEXT);"
      "INSERT INTO named VALUES ('r1', randomblob(5000000), NULL), ('r2', randomblob(4200000), "
      "'after');");
  const auto archive = (scratch / "docs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-BACKUP", "-DB", conn(source), "-FILE", archive}));
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-RESTORE", "-DB", conn(target), "-FILE", archive}));

  SqliteFile restored(target);
  restored.exec("ATTACH DATABASE '" + source.string() + "' AS source");
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"pair", "id, a, b, c, typeof(a), typeof(b), typeof(c)"},
      {"keyed", "id, body"},
      {"norowid", "id, body, tail, doc, typeof(doc)"},
      {"named", "\"rowid\", body, note, typeof(note)"}};
  for (const auto& [table, columns] : tables) {
    SCOPED_TRACE(table);
    EXPECT_EQ(restored.scalar("SELECT count(*) FROM (SELECT " + columns + " FROM main." + table +
                              " EXCEPT SELECT " + columns + " FROM source." + table + ")"),
              0);
    EXPECT_EQ(restored.scalar("SELECT count(*) FROM main." + table),
              restored.scalar("SELECT count(*) FROM source." + table));
  }
}

TEST(LongValueCli, FlippedByteInAPieceFailsVerifyAndRestoreWithExit5) {
  ScratchDir scratch;
  const auto source = scratch / "source.sqlite";
  SqliteFile(source).exec(
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body BLOB);"
      "INSERT INTO docs VALUES (1, randomblob(9437184));");
  const auto archive = (scratch / "docs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-BACKUP", "-DB", conn(source), "-FILE", archive}));
  // Random bytes are stored as they are: a flipped byte in the second piece stays one.
  SqliteFile(archive).exec(
      "UPDATE bru_chunks SET payload = CAST(substr(payload, 1, 99999) || CASE WHEN "
      "substr(payload, 100000, 1) = x'00' THEN x'01' ELSE x'00' END || substr(payload, 100001) "
      "AS BLOB) WHERE seq = 2");
  ASSERT_EQ(SqliteFile(archive).scalar(
                "SELECT length(payload) = stored_bytes FROM bru_chunks WHERE seq = 2"),
            1);
  const auto verify = run_bru({"-VERIFY", "-FILE", archive});
  EXPECT_EQ(verify.exit_code, 5) << verify.err;
  EXPECT_NE(verify.err.find("table \"docs\", chunk 2: checksum mismatch"), std::string::npos)
      << verify.err;
  const auto target = scratch / "target.sqlite";
  const auto restore = run_bru({"-RESTORE", "-DB", conn(target), "-FILE", archive});
  EXPECT_EQ(restore.exit_code, 5) << restore.err;
  EXPECT_NE(restore.err.find("table \"docs\", chunk 2: checksum mismatch"), std::string::npos)
      << restore.err;
}

// PostgreSQL: a bytea and a text of multi-byte characters (sliced by bytes, some slices ending
// inside a character), through COPY and through -BULK odbc (psqlODBC, SQLPutData), each checked
// by md5 on the server.
TEST(LongValueCli, PostgresLongByteaAndTextRoundTripThroughCopyAndOdbc) {
  ScratchDir scratch;
  const auto source = fresh_database("postgres", "long_src_", scratch, "");
  const auto copy_target = fresh_database("postgres", "long_copy_", scratch, "");
  const auto odbc_target = fresh_database("postgres", "long_odbc_", scratch, "");
  ASSERT_FALSE(source.empty());
  SqlSession(source).exec(
      "CREATE TABLE docs (id integer PRIMARY KEY, body bytea, mid text, note text, tail text);"
      "INSERT INTO docs SELECT 1, string_agg(decode(md5(i::text), 'hex'), ''::bytea ORDER BY i), "
      "'between', repeat('é' || 'x', 3000000), 'after' FROM generate_series(1, 589824) AS i;"
      "INSERT INTO docs VALUES (2, '\\x00', NULL, 'short', NULL);");
  const std::string digest_sql =
      "SELECT count(*) || ':' || md5(string_agg(md5(body) || coalesce(mid, '-') || "
      "md5(note) || coalesce(tail, '-'), ',' ORDER BY id)) FROM docs";
  const auto source_digest = SqlSession(source).text(digest_sql);
  ASSERT_EQ(source_digest.substr(0, 2), "2:");

  for (const auto& [bulk, target] : {std::pair{"auto", copy_target}, {"odbc", odbc_target}}) {
    SCOPED_TRACE(bulk);
    const auto archive = (scratch / (std::string(bulk) + ".db")).string();
    ASSERT_NO_FATAL_FAILURE(
        expect_exit_zero({"-BACKUP", "-BULK", bulk, "-DB", source, "-FILE", archive}));
    {
      SqliteFile stored(archive);
      // body 9 MiB: 3 pieces; note 9 MB of text: 3.
      EXPECT_EQ(stored.scalar("SELECT count(*) FROM bru_chunks WHERE row_count = 0"), 6);
    }
    ASSERT_NO_FATAL_FAILURE(
        expect_exit_zero({"-RESTORE", "-BULK", bulk, "-DB", target, "-FILE", archive}));
    EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
  }
}

// The TOAST blocks of table docs the server has read (from its buffers or the disk), as its
// statistics show them once the sessions that read them have ended (they report when they end).
long long toast_blocks_read(SqlSession& sql, long long at_least) {
  const std::string sql_read =
      "SELECT coalesce(toast_blks_read, 0) + coalesce(toast_blks_hit, 0) FROM "
      "pg_statio_user_tables WHERE relname = 'docs'";
  long long blocks = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    blocks = std::stoll(sql.text(sql_read));
    if (blocks >= at_least) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    sql.exec("SELECT pg_stat_clear_snapshot()");
  }
  return blocks;
}

// A long PostgreSQL value is read once, whatever its slices: substring() of the stored value
// read it from its start to each slice's end (a text counts its characters from there, a
// compressed value is decompressed from there), 150 s for a 200 MB text. A 20 MB text of
// multi-byte characters and a 19 MB bytea that PostgreSQL compresses to a third: the backup
// reads about the blocks they take, where it read 15 times as many (49,920 of 3,349).
TEST(LongValueCli, PostgresBackupReadsEachLongValueOnce) {
  ScratchDir scratch;
  const auto source = fresh_database("postgres", "long_once_", scratch, "");
  ASSERT_FALSE(source.empty());
  SqlSession sql(source);
  sql.exec(
      "CREATE TABLE docs (id integer PRIMARY KEY, note text, body bytea);"
      "INSERT INTO docs SELECT 1, (SELECT string_agg(md5(i::text) || 'é', '' ORDER BY i) FROM "
      "generate_series(1, 600000) AS i), (SELECT string_agg(decode(repeat(md5(i::text), 4), "
      "'hex'), ''::bytea ORDER BY i) FROM generate_series(1, 300000) AS i)");
  ASSERT_EQ(sql.text("SELECT octet_length(note) || ' ' || octet_length(body) || ' ' || "
                     "(pg_column_size(body) < octet_length(body) / 2) FROM docs"),
            "20400000 19200000 true");
  const long long toast_blocks =
      std::stoll(sql.text("SELECT pg_relation_size(reltoastrelid) / current_setting('block_size')"
                          "::int FROM pg_class WHERE relname = 'docs'"));
  const long long before = toast_blocks_read(sql, 0);
  const auto archive = (scratch / "docs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-BACKUP", "-DB", source, "-FILE", archive}));
  const long long read = toast_blocks_read(sql, before + toast_blocks) - before;
  EXPECT_GE(read, toast_blocks);
  EXPECT_LE(read, toast_blocks * 3 / 2) << "the TOAST table has " << toast_blocks << " blocks";

  const auto target = fresh_database("postgres", "long_once_dst_", scratch, "");
  ASSERT_NO_FATAL_FAILURE(expect_exit_zero({"-RESTORE", "-DB", target, "-FILE", archive}));
  const std::string digest_sql = "SELECT md5(note) || md5(body) FROM docs";
  EXPECT_EQ(SqlSession(target).text(digest_sql), sql.text(digest_sql));
}

}  // namespace
}  // namespace bru::test

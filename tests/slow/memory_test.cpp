// bru's peak memory stays bounded whatever the row width or table size (issue
// 11 item 7): large values backed up and restored end to end, the bru process's
// peak resident set (wait4's ru_maxrss) checked against kMaxRssKib, and the
// round trip checked value by value through a path independent of bru (SQL on
// the source and the target).
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
// under kMaxRssKib.
void expect_bounded_run(const std::string &what,
                        const std::vector<std::string> &args) {
  const auto result = run_bru(args);
  ASSERT_EQ(result.exit_code, 0) << what << ": " << result.err;
  EXPECT_LT(result.max_rss_kib, kMaxRssKib)
      << what << " peak RSS " << result.max_rss_kib << " KiB";
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
  const auto archive = (scratch / "blobs.db").string();
  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "backup",
      {"-BACKUP", "-DB", "sqlite;" + source_path.string(), "-FILE", archive}));

  ASSERT_NO_FATAL_FAILURE(
      expect_bounded_run("verify", {"-VERIFY", "-FILE", archive}));

  ASSERT_NO_FATAL_FAILURE(expect_bounded_run(
      "restore",
      {"-RESTORE", "-DB", "sqlite;" + target_path.string(), "-FILE", archive}));

  SqliteFile restored(target_path);
  restored.exec("ATTACH DATABASE '" + source_path.string() + "' AS source");
  EXPECT_EQ(restored.scalar("SELECT count(*) FROM blobs"), 2000);
  EXPECT_EQ(restored.scalar(
                "SELECT count(*) FROM blobs JOIN source.blobs AS s USING (id) "
                "WHERE blobs.payload = s.payload"),
            2000);
}

} // namespace
} // namespace bru::test

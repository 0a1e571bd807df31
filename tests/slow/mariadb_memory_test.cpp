// MariaDB's Connector/ODBC 3.1.15 holds a whole result set in memory: a 187 MB table cost bru
// about 300 MB to back up. Reads now go in pages along the table's key (Dialect::page_key), so the
// peak resident set (wait4's ru_maxrss) stays bounded whatever the table size, for the backup and
// for the restore's verification read-back. The key here has two columns whose first repeats
// across page boundaries; the round trip is checked through SQL on both servers.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

constexpr long kMaxRssKib = 256 * 1024;  // 256 MiB

TEST(MariadbMemory, AMillionRowTableBacksUpAndRestoresInBoundedMemory) {
  ScratchDir scratch;
  const auto source = fresh_database("mariadb", "mem_src_", scratch, "");
  const auto target = fresh_database("mariadb", "mem_dst_", scratch, "");
  SqlSession source_sql(source);
  source_sql.exec("SET SESSION max_recursive_iterations = 2000000");
  source_sql.exec(
      "CREATE TABLE events (grp INT NOT NULL, name VARCHAR(20) NOT NULL, body VARCHAR(200), "
      "amount DECIMAL(12,2), at DATETIME, PRIMARY KEY (grp, name))");
  source_sql.exec(
      "INSERT INTO events WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
      "i < 1000000) SELECT i % 997, CONCAT('e''\\\\', i), REPEAT(MD5(i), 5), i / 7, "
      "'2024-01-01' + INTERVAL i SECOND FROM n");
  const std::string digest_sql =
      "SELECT CONCAT(count(*), ':', sum(crc32(concat_ws('|', grp, name, body, amount, at)))) "
      "FROM events";
  const auto source_digest = source_sql.text(digest_sql);
  ASSERT_EQ(source_digest.substr(0, 8), "1000000:");

  const auto archive = (scratch / "events.DB").string();
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_LT(backup.max_rss_kib, kMaxRssKib) << "backup peak RSS " << backup.max_rss_kib << " KiB";

  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_LT(restore.max_rss_kib, kMaxRssKib)
      << "restore peak RSS " << restore.max_rss_kib << " KiB";
  EXPECT_EQ(SqlSession(target).text(digest_sql), source_digest);
}

}  // namespace
}  // namespace bru::test

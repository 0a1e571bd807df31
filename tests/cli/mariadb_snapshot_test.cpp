// The snapshot of a MariaDB backup on the real server (binary log on, as tools/test.sh starts
// it): it begins under a brief global read lock (FLUSH TABLES WITH READ LOCK), which waits at
// most -LOCKWAIT seconds for a running write; a user without RELOAD is warned and backs up
// without it; the snapshot's binary log position is recorded and shown by -LIST.
#include <atomic>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "support/mariadb_user.h"
#include "support/process.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

TEST(MariadbSnapshot, ThePositionInTheBinaryLogIsRecordedAndListed) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  SqlSession db(source);
  db.exec("CREATE TABLE t (id INT PRIMARY KEY)");
  db.exec("INSERT INTO t VALUES (1), (2)");
  ASSERT_EQ(db.text("SELECT @@log_bin"), "1") << "tools/test.sh starts MariaDB with log-bin";
  const auto archive = (dir / "t.DB").string();
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_EQ(backup.err, "") << "bru may take the lock";

  const auto list = run_bru({"-LIST", "-FILE", archive});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(list.out, match,
                                std::regex("\nlog position    (binlog\\.[0-9]{6}):([0-9]+) gtid "
                                           "([0-9]+-[0-9]+-[0-9]+)\n")))
      << list.out;
  // The position is no later than the server's now, in the same file or an earlier one.
  const auto now = db.rows("SHOW MASTER STATUS").at(0);
  EXPECT_LE(match[1].str(), now.at(0));
  if (match[1].str() == now.at(0)) {
    EXPECT_LE(std::stoll(match[2].str()), std::stoll(now.at(1)));
  }
  const auto json = run_bru({"-LIST", "-FILE", archive, "-JSON"});
  EXPECT_NE(json.out.find("\"log_position\": \"" + match[1].str() + ":" + match[2].str()),
            std::string::npos)
      << json.out;
}

// The lock waits for a write that is running; -LOCKWAIT 1 bounds that wait, so the backup fails
// and says why instead of stalling every writer behind it.
TEST(MariadbSnapshot, TheLockWaitsForARunningWriteAtMostLockwaitSeconds) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  SqlSession(source).exec("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  SqlSession(source).exec("INSERT INTO t VALUES (1, 0)");
  std::thread writer([&] {
    SqlSession slow(source);
    slow.exec("UPDATE t SET v = SLEEP(6)");
  });
  // The backup starts once the write runs (polled: a fixed wait misses on a loaded machine).
  SqlSession watch(source);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (watch.text("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                    "AND INFO LIKE 'UPDATE t SET v = SLEEP%'") == "0" &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", (dir / "t.DB").string(),
                               "-QUIET", "-LOCKWAIT", "1"});
  writer.join();
  EXPECT_EQ(backup.exit_code, 4) << backup.err;
  EXPECT_NE(backup.err.find("cannot execute \"FLUSH TABLES WITH READ LOCK\": Lock wait timeout "
                            "exceeded"),
            std::string::npos)
      << backup.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "t.DB"));
}

// A MyISAM table has no transactions, so the snapshot does not cover it: it is read first, under
// the global read lock, while a writer that adds one row to an InnoDB table and then one to the
// MyISAM table waits. Both tables are then as at the snapshot: at most the writer's last pair is
// half done. Read after the lock (as before), the MyISAM table held the rows the writer added
// while the large InnoDB table was read.
TEST(MariadbSnapshot, MyisamTablesAreReadUnderTheLockAsAtTheSnapshot) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  {
    SqlSession db(source);
    db.exec("SET SESSION max_recursive_iterations = 1000000");
    db.exec("CREATE TABLE a_large (id INT PRIMARY KEY, pad CHAR(200)) ENGINE=InnoDB");
    db.exec("INSERT INTO a_large WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < 300000) SELECT i, REPEAT('x', 200) FROM n");
    db.exec("CREATE TABLE b_ledger (id INT PRIMARY KEY) ENGINE=InnoDB");
    db.exec("CREATE TABLE z_journal (id INT PRIMARY KEY) ENGINE=MyISAM");
  }
  std::atomic<bool> stop = false;
  std::atomic<int> written = 0;
  std::thread writer([&] {
    SqlSession db(source);
    for (int id = 1; !stop; ++id) {
      db.exec("INSERT INTO b_ledger VALUES (" + std::to_string(id) + ")");
      db.exec("INSERT INTO z_journal VALUES (" + std::to_string(id) + ")");
      written = id;
    }
  });
  while (written < 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto archive = (dir / "t.DB").string();
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive, "-QUIET"});
  const int written_during_backup = written;
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_EQ(backup.err,
            "warning: table \"z_journal\" uses the MyISAM engine, which has no transactions: it "
            "is read first, under the global read lock, so it is as at the snapshot; writes to "
            "the database wait until it is read\n");

  const auto target = fresh_database("mariadb", "bru_dst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqlSession db(target);
  const int ledger = std::stoi(db.text("SELECT COUNT(*) FROM b_ledger"));
  const int journal = std::stoi(db.text("SELECT COUNT(*) FROM z_journal"));
  EXPECT_GE(ledger, 200);
  EXPECT_LT(ledger, written_during_backup) << "the writer went on during the backup";
  EXPECT_TRUE(journal == ledger || journal == ledger - 1)
      << "ledger " << ledger << ", journal " << journal;
}

TEST(MariadbSnapshot, AUserWithoutReloadIsWarnedAndBacksUp) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  SqlSession db(source);
  db.exec("CREATE TABLE t (id INT PRIMARY KEY)");
  db.exec("INSERT INTO t VALUES (1), (2)");
  const auto archive = (dir / "t.DB").string();
  const auto backup = [&] {
    MariadbUserWithoutReload user(source, "bru_noreload");
    return run_bru({"-BACKUP", "-DB", user.conn(), "-FILE", archive, "-QUIET"});
  }();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.err.find("warning: the backup's snapshot begins without a global read lock: "
                            "cannot execute \"FLUSH TABLES WITH READ LOCK\": Access denied"),
            std::string::npos)
      << backup.err;
  EXPECT_NE(backup.err.find("(it needs the RELOAD privilege); transactional tables are still "
                            "read in one consistent snapshot, and the binary log position is "
                            "still the snapshot's\n"),
            std::string::npos)
      << backup.err;
  const auto verify = run_bru({"-VERIFY", "-FILE", archive});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

}  // namespace
}  // namespace bru::test

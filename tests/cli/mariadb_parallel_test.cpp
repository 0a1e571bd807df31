// -RESTORE -THREADS n into MariaDB (bru/commands/restore_parallel.h, restore_workers.h): what only
// the parallel restore has. The MariadbRestore/auto tests of mariadb_test.cpp run on it too (the
// default is 2 sessions): the sample's every object kind, failures mid-load and after the views,
// a value the server would change, long values, SIGINT and kill -9 mid-load. Here: a table
// larger than a session's share, with an AUTO_INCREMENT key, beside keys, foreign keys, indexes
// and objects; a failure in one session while the other
// loads; SIGINT and kill -9 at random moments; where one session is kept.
#include <signal.h>

#include <chrono>
#include <iostream>

#include <gtest/gtest.h>

#include "support/mariadb_catalog.h"
#include "support/process.h"
#include "support/random_signals.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Sql = SqlSession;

// A source of every kind the parallel restore builds: a large table with an AUTO_INCREMENT key
// (into PostgreSQL both sessions would load it at once; into MariaDB, where two loads of one
// such table lock each other out, one does), a parent and a child with a foreign key, unique and secondary indexes, a view, a
// procedure and a trigger.
void make_source(const std::string& conn, int ledger_rows) {
  Sql db(conn);
  db.exec("SET SESSION max_recursive_iterations = 10000000");
  db.exec("CREATE TABLE store (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
          "UNIQUE KEY uq_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  db.exec("INSERT INTO store VALUES (1, 'Nord'), (2, 'Süd'), (3, '東京')");
  db.exec("CREATE TABLE ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, store_id INT NOT NULL, amount "
          "DECIMAL(10,2), note VARCHAR(200), KEY idx_store (store_id, id), CONSTRAINT fk_store "
          "FOREIGN KEY (store_id) REFERENCES store (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  db.exec("INSERT INTO ledger WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
          "WHERE i < " + std::to_string(ledger_rows) +
          ") SELECT i, 1 + i % 3, (i % 1000) / 7, CONCAT(MD5(i), MD5(-i), SHA1(i), SHA1(-i)) FROM n");
  db.exec("CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, ledger_id BIGINT, "
          "CONSTRAINT fk_ledger FOREIGN KEY (ledger_id) REFERENCES ledger (id)) ENGINE=InnoDB");
  db.exec("INSERT INTO audit (ledger_id) VALUES (1), (2), (NULL)");
  db.exec("CREATE VIEW store_totals AS SELECT store_id, SUM(amount) AS total FROM ledger "
          "GROUP BY store_id");
  db.exec("CREATE PROCEDURE count_ledger () SELECT count(*) FROM ledger");
  db.exec("CREATE TRIGGER audit_touch BEFORE INSERT ON audit FOR EACH ROW SET NEW.ledger_id = "
          "COALESCE(NEW.ledger_id, 1)");
}

std::vector<std::vector<std::string>> show_create(Sql& db, const std::string& table) {
  return db.rows("SHOW CREATE TABLE `" + table + "`");
}

class MariadbParallel : public ::testing::Test {
 protected:
  std::vector<std::string> restore_args(const std::string& target) const {
    return {"-RESTORE", "-DB", target, "-FILE", archive_, "-QUIET", "-THREADS", "2"};
  }
  void back_up(const std::string& source) {
    const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_, "-QUIET"});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
  }

  ScratchDir dir_;
  std::string archive_ = (dir_ / "backup.DB").string();
};

// The large table on one session, the small ones on the other, then keys, indexes, foreign keys,
// the view, the procedure and the trigger: the same SHOW CREATE and rows as the source, verified.
TEST_F(MariadbParallel, RoundTripsALargeTableKeysForeignKeysAndObjects) {
  const auto source = fresh_database("mariadb", "bru_mpar_src_", dir_, "");
  make_source(source, 100000);
  ASSERT_NO_FATAL_FAILURE(back_up(source));
  const auto target = fresh_database("mariadb", "bru_mpar_dst_", dir_, "");
  auto args = restore_args(target);
  args.erase(args.begin() + 5);  // -QUIET: the report says every table was verified
  const auto restore = run_bru(args);
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err, "");
  EXPECT_NE(restore.out.find("verified"), std::string::npos) << restore.out;
  Sql from(source);
  Sql to(target);
  for (const std::string table : {"store", "ledger", "audit"}) {
    EXPECT_EQ(show_create(to, table), show_create(from, table)) << table;
    EXPECT_EQ(to.rows("SELECT * FROM `" + table + "` ORDER BY 1"),
              from.rows("SELECT * FROM `" + table + "` ORDER BY 1"))
        << table;
  }
  EXPECT_EQ(object_count(target), object_count(source));
  EXPECT_EQ(to.rows("SELECT * FROM store_totals ORDER BY 1"),
            from.rows("SELECT * FROM store_totals ORDER BY 1"));
  EXPECT_EQ(to.rows("CALL count_ledger()"), (std::vector<std::vector<std::string>>{{"100000"}}));
  to.exec("INSERT INTO audit () VALUES ()");
  EXPECT_EQ(to.text("SELECT ledger_id FROM audit ORDER BY id DESC LIMIT 1"), "1");
  // The foreign keys hold: a row that breaks one is refused.
  EXPECT_THROW(to.exec("INSERT INTO ledger VALUES (0, 9, 0, '')"), std::exception);
}

// A value the target refuses in one table while the other session loads a large one: the other
// load is stopped, everything is dropped, the error is the value's, exit 11.
TEST_F(MariadbParallel, AValueOneSessionCannotLoadStopsTheOtherAndUndoesAll) {
  const auto sqlite_source = dir_ / "source.sqlite";
  {
    SqliteFile db(sqlite_source);
    db.exec("CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
            "INSERT INTO big SELECT i, hex(randomblob(40)) FROM n;"
            "CREATE TABLE bad (id INTEGER PRIMARY KEY, day DATE);"
            "INSERT INTO bad VALUES (1, '2024-02-28'), (2, '2024-02-30');");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + sqlite_source.string(), "-FILE", archive_,
                     "-QUIET"}).exit_code, 0);
  const auto target = fresh_database("mariadb", "bru_mpar_bad_", dir_, "");
  const auto restore = run_bru(restore_args(target));
  EXPECT_EQ(restore.exit_code, 11) << restore.err;
  EXPECT_EQ(restore.err.rfind("error: cannot load table \"bad\": Data truncated for column 'day' "
                              "at row 2\n"
                              "hint: a value in that row does not fit the target's column type "
                              "(mariadb target); LOAD DATA would have stored it changed, so "
                              "nothing of the table was committed\n"
                              "hint: every table and object this restore created in ",
                              0),
            0u)
      << restore.err;
  EXPECT_NE(restore.err.find(" was dropped again: its catalog is as before the restore\n"),
            std::string::npos)
      << restore.err;
  EXPECT_EQ(object_count(target), "0");
  // bru ended the restore's sessions before it exited (KILL, then waited until they were gone);
  // its own ODBC connection closes as it exits, which a busy server may show for a moment after.
  EXPECT_TRUE(wait_until([&] { return other_sessions(target) == "0"; }, 10))
      << other_sessions(target) << " other session(s) on the target";
}

// SIGINT and kill -9 at random moments of a parallel restore: each leaves the target as it was,
// empty, with no session of bru left on it — undone by bru (SIGINT, exit 12) or by its guardian
// (kill -9), which ends the restore's sessions by their connection ids first.
TEST_F(MariadbParallel, InterruptedOrKilledAtRandomMomentsLeavesTheTargetAsItWas) {
  const auto source = fresh_database("mariadb", "bru_mpar_rnd_src_", dir_, "");
  make_source(source, 300000);
  ASSERT_NO_FATAL_FAILURE(back_up(source));
  const auto complete = object_count(source);

  // How long an undisturbed restore takes here: the signals come within that time.
  const auto timing = fresh_database("mariadb", "bru_mpar_rnd_time_", dir_, "");
  const auto started = std::chrono::steady_clock::now();
  const auto whole = run_bru(restore_args(timing));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  std::cout << "[ timing ] an undisturbed restore took " << seconds << " s\n";

  auto target = fresh_database("mariadb", "bru_mpar_rnd_dst_", dir_, "");
  const std::string interrupted =
      "error: interrupted (SIGINT)\n"
      "hint: nothing partial was kept: run the command again to start over\n";
  const int stopped = signal_at_random_moments(
      restore_args(target), seconds, 6, [&](int signal_number, const RunResult& result) {
        if (result.exit_code == 0) {
          std::cout << "[ moment ] the restore had finished: the target is made again\n";
          target = fresh_database("mariadb", "bru_mpar_rnd_dst_", dir_, "");
          return false;
        }
        if (signal_number == SIGINT) {
          EXPECT_EQ(result.exit_code, 12) << result.err;
          // Before the first change there is nothing to undo; after it, the undo says so.
          if (result.err != interrupted) {
            EXPECT_EQ(result.err.rfind(interrupted + "hint: every table and object this restore "
                                                     "created in ",
                                       0),
                      0u)
                << result.err;
          }
        } else {
          EXPECT_EQ(result.exit_code, 128 + SIGKILL);
        }
        // The guardian works on after bru's death: wait until no session but ours is on the
        // target and it is empty (or, killed after the last commit, complete).
        EXPECT_TRUE(wait_until([&] {
          if (other_sessions(target) != "0") return false;
          const auto count = object_count(target);
          return count == "0" || (signal_number == SIGKILL && count == complete);
        }, 60));
        if (object_count(target) == complete) {
          std::cout << "[ moment ] killed after the restore had finished: the target is made "
                       "again\n";
          target = fresh_database("mariadb", "bru_mpar_rnd_dst_", dir_, "");
          return false;
        }
        EXPECT_EQ(object_count(target), "0");
        return true;
      });
  EXPECT_GE(stopped, 3) << "most signals must come while the restore runs";
}

// -BULK odbc keeps one session, and says so.
TEST_F(MariadbParallel, ThreadsOnTheOdbcPathWarnsAndRestoresInOneSession) {
  const auto source = fresh_database("mariadb", "bru_mpar_odbc_src_", dir_, "");
  Sql(source).exec("CREATE TABLE t (id INT PRIMARY KEY)");
  ASSERT_NO_FATAL_FAILURE(back_up(source));
  const auto target = fresh_database("mariadb", "bru_mpar_odbc_dst_", dir_, "");
  auto args = restore_args(target);
  args.insert(args.end(), {"-BULK", "odbc"});
  const auto restore = run_bru(args);
  EXPECT_EQ(restore.exit_code, 0) << restore.err;
  // The whole warning: PostgresParallel.ThreadsOnThePortablePathWarnsAndRestoresInOneSession.
  EXPECT_EQ(restore.err.rfind("warning: -THREADS 2: this restore runs in one session (", 0), 0u)
      << restore.err;
  EXPECT_EQ(object_count(target), "1");
}

}  // namespace
}  // namespace bru::test

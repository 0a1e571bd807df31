// SIGINT/SIGTERM while a statement waits on a lock (issue 11 item 5, issue 7 item 5): the
// interrupt watcher cancels the statement with SQLCancel, so bru ends within a second with exit
// 12, whatever holds the lock and for how long, and leaves nothing: no archive, no .partial
// file, the target and its schema version as they were. Another session holds the lock for the
// whole test; the run is signalled only once the server shows it waiting.
#include <signal.h>

#include <chrono>

#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "support/pg_shop.h"
#include "support/process.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kInterruptedBySigint =
    "error: interrupted (SIGINT)\n"
    "hint: nothing partial was kept: run the command again to start over\n";
const std::string kStoppedBySigterm =
    "error: stopped by a signal\n"
    "hint: nothing partial was kept: run the command again to start over\n";

// Signals the process once `blocked()` is true and returns how long it took to end after that.
struct Stopped {
  RunResult result;
  std::chrono::milliseconds after_signal{};
};
Stopped stop_when_blocked(BruProcess& process, const std::function<bool()>& blocked,
                          int signal_number) {
  EXPECT_TRUE(wait_until(blocked, 60)) << "bru never waited on the lock";
  const auto signalled = Clock::now();
  process.signal(signal_number);
  Stopped stopped;
  // Without the cancel, bru would wait as long as the lock is held: the test's whole run.
  stopped.result = process.wait(10);
  stopped.after_signal =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
  return stopped;
}

// The run ended on the signal: exit 12, the interrupt's whole message, within a second.
void expect_cancelled(const Stopped& stopped, const std::string& message) {
  EXPECT_EQ(stopped.result.exit_code, 12) << stopped.result.err;
  EXPECT_EQ(stopped.result.err, message);
  EXPECT_LT(stopped.after_signal, std::chrono::seconds(1));
}

// Whether a session of this PostgreSQL database waits on a heavyweight lock.
bool postgres_lock_waiter(SqlSession& watcher) {
  return watcher.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND wait_event_type = 'Lock'") != "0";
}

TEST(Interrupt, SigintCancelsABackupBlockedOnALock) {
  ScratchDir dir;
  const auto archive = dir / "backup.DB";
  const auto source = create_postgres_database("bru_sig_backup");
  SqlSession holder(source);
  holder.exec("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a')");
  holder.exec("BEGIN");
  holder.exec("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
  SqlSession watcher(source);
  BruProcess backup({"-BACKUP", "-DB", source, "-FILE", archive.string(), "-QUIET"});
  const auto stopped =
      stop_when_blocked(backup, [&] { return postgres_lock_waiter(watcher); }, SIGINT);
  expect_cancelled(stopped, kInterruptedBySigint);
  EXPECT_FALSE(fs::exists(archive));
  EXPECT_FALSE(fs::exists(archive.string() + ".partial"));
  holder.exec("COMMIT");
  EXPECT_TRUE(wait_until([&] { return !postgres_lock_waiter(watcher); }, 10))
      << "bru's session still waits on the server";
}

TEST(Interrupt, SigtermCancelsARestoreBlockedOnALock) {
  ScratchDir dir;
  const auto archive = dir / "backup.DB";
  const auto source = create_postgres_database("bru_sig_restore_src");
  SqlSession(source).exec("CREATE TABLE t (id int PRIMARY KEY, v text);"
                          "INSERT INTO t SELECT i, 'v' FROM generate_series(1, 100) i");
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive.string(), "-QUIET"}).exit_code, 0);
  const auto target = create_postgres_database("bru_sig_restore_dst");
  // Another session creating a table of the same name, not yet committed: the restore's CREATE
  // TABLE waits for that transaction to end.
  SqlSession holder(target);
  holder.exec("BEGIN");
  holder.exec("CREATE TABLE t (other int)");
  SqlSession watcher(target);
  BruProcess restore({"-RESTORE", "-DB", target, "-FILE", archive.string(), "-QUIET"});
  const auto stopped =
      stop_when_blocked(restore, [&] { return postgres_lock_waiter(watcher); }, SIGTERM);
  // The default restore runs in two sessions: it undoes its first step.
  expect_cancelled(stopped, kStoppedBySigterm + parallel_undo_hint(target));
  holder.exec("ROLLBACK");
  EXPECT_EQ(watcher.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

// One -UPDATE test body per engine: what takes the lock, what shows bru waiting, what frees it.
struct UpdateLockCase {
  std::string engine;
  std::vector<std::string> take_lock;  // run by the holder after t(id, v) = (1, 'a') exists
  std::string waiting_sessions;        // a count of sessions waiting on a lock
  std::string release_lock;
  int signal_number = SIGINT;
  std::string message;
};

void PrintTo(const UpdateLockCase& lock_case, std::ostream* out) { *out << lock_case.engine; }

class InterruptUpdate : public ::testing::TestWithParam<UpdateLockCase> {};

TEST_P(InterruptUpdate, CancelsAStatementBlockedOnALock) {
  const UpdateLockCase& lock_case = GetParam();
  ScratchDir dir;
  const auto script = dir / "app.sql";
  write_text(script, "-- bru:version 1\nUPDATE t SET v = 'changed';\n");
  const auto db = lock_case.engine == "postgres" ? create_postgres_database("bru_sig_update_pg")
                                                 : create_mariadb_database("bru_sig_update_maria");
  SqlSession holder(db);
  holder.exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  holder.exec("INSERT INTO t VALUES (1, 'a')");
  for (const auto& sql : lock_case.take_lock) holder.exec(sql);
  SqlSession watcher(db);
  BruProcess update({"-UPDATE", "-DB", db, "-SCRIPT", script.string()});
  const auto stopped = stop_when_blocked(
      update, [&] { return watcher.text(lock_case.waiting_sessions) != "0"; },
      lock_case.signal_number);
  expect_cancelled(stopped, lock_case.message);
  holder.exec(lock_case.release_lock);
  EXPECT_EQ(watcher.text("SELECT v FROM t"), "a");
  const auto version = run_bru({"-GETVERSION", "-DB", db});
  EXPECT_EQ(version.out, "none\n") << version.err;
}

INSTANTIATE_TEST_SUITE_P(
    Engines, InterruptUpdate,
    ::testing::Values(
        UpdateLockCase{"postgres",
                       {"BEGIN", "LOCK TABLE t IN ACCESS EXCLUSIVE MODE"},
                       "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'",
                       "COMMIT",
                       SIGINT,
                       kInterruptedBySigint},
        UpdateLockCase{"mariadb",
                       {"LOCK TABLES t WRITE"},
                       "SELECT count(*) FROM information_schema.processlist WHERE db = database() "
                       "AND state LIKE 'Waiting for table%'",
                       "UNLOCK TABLES",
                       SIGTERM,
                       kStoppedBySigterm}),
    [](const ::testing::TestParamInfo<UpdateLockCase>& info) { return info.param.engine; });

}  // namespace
}  // namespace bru::test

// -BACKUP -THREADS n (bru/commands/backup.cpp): n sessions sharing one snapshot, the chunks
// written by one archive writer. Run per engine (PostgreSQL through libpq and through ODBC,
// MariaDB): the archive holds what a one-session backup holds (same table of contents, chunks
// and checksums) and restores; SIGINT and a session the server ends leave no archive and no
// .partial. Then what is engine-specific: PostgreSQL's exported snapshot keeps a transfer
// committed during the backup out of it, and a large table read in slices reads each row of the
// snapshot once; MariaDB without RELOAD warns that each session has
// its own snapshot; SQLite reads with one session; the usage errors.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "support/mariadb_user.h"
#include "support/pg_shop.h"
#include "support/process.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

struct Engine {
  std::string name;  // "postgres" or "mariadb", for fresh_database
  std::string bulk;  // -BULK
};

// For gtest's messages ("where GetParam() = postgres/auto").
void PrintTo(const Engine& engine, std::ostream* out) { *out << engine.name << "/" << engine.bulk; }

std::string engine_label(const ::testing::TestParamInfo<Engine>& info) {
  return info.param.name + "_" + info.param.bulk;
}

// The archive's table of contents and chunk index, without what names the run (created_at,
// the totals' row checksums and digest are over the same rows, so they are not compared).
std::vector<std::vector<std::string>> archive_content(const fs::path& archive) {
  SqliteFile file(archive);
  auto rows = file.rows(
      "SELECT object_id, kind, schema_name, name, definition, native_ddl, rows, raw_bytes, "
      "stored_bytes, chunk_count, checksum FROM bru_objects ORDER BY object_id");
  for (auto& chunk : file.rows("SELECT object_id, seq, row_count, raw_bytes, stored_bytes, "
                               "checksum, hex(payload) FROM bru_chunks ORDER BY object_id, seq")) {
    rows.push_back(std::move(chunk));
  }
  return rows;
}

class ParallelBackup : public ::testing::TestWithParam<Engine> {
 protected:
  bool postgres() const { return GetParam().name == "postgres"; }
  std::vector<std::string> backup_args(const std::string& source, const fs::path& archive,
                                       const std::string& threads) const {
    return {"-BACKUP", "-DB", source, "-FILE", archive.string(), "-QUIET", "-BULK",
            GetParam().bulk, "-THREADS", threads};
  }
  // Tables of several sizes, the largest `big` rows (the others are read while it is).
  std::string source_with_tables(int big) {
    const auto source = fresh_database(GetParam().name, "bru_pb_", dir_, "");
    SqlSession db(source);
    const std::string text_type = postgres() ? "text" : "VARCHAR(64)";
    db.exec("CREATE TABLE big (id BIGINT PRIMARY KEY, store INT, note " + text_type + ")");
    db.exec("CREATE TABLE mid (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note " + text_type +
            ")");
    for (const char* small : {"s1", "s2", "s3", "s4"}) {
      db.exec(std::string("CREATE TABLE ") + small + " (id INT PRIMARY KEY, v " + text_type + ")");
      db.exec(std::string("INSERT INTO ") + small + " VALUES (1, 'one'), (2, NULL), (3, '')");
    }
    if (postgres()) {
      db.exec("INSERT INTO big SELECT i, i % 7, md5(i::text) FROM generate_series(1, " +
              std::to_string(big) + ") i");
      db.exec("INSERT INTO mid SELECT i, i * 1.25, repeat('x', i % 50) FROM "
              "generate_series(1, 20000) i");
      // A value longer than a piece (4 MiB): its row and pieces go through the queue in order.
      db.exec("CREATE TABLE docs (id INT PRIMARY KEY, body bytea)");
      db.exec("INSERT INTO docs VALUES (1, convert_to(repeat('abcdefgh', 700000), 'UTF8')), "
              "(2, '\\x00ff')");
      db.exec("ANALYZE big, mid, docs");
    } else {
      db.exec("INSERT INTO big SELECT seq, seq % 7, MD5(seq) FROM seq_1_to_" +
              std::to_string(big));
      db.exec("INSERT INTO mid SELECT seq, seq * 1.25, REPEAT('x', seq % 50) FROM "
              "seq_1_to_20000");
      db.exec("ANALYZE TABLE big, mid");
    }
    return source;
  }

  // A parallel backup of a source with 400,000 rows in `big`, stopped by signal_number at a
  // random moment once it has begun writing the archive (dir_/t.DB).
  // The signal comes at a random moment after the .partial file appears; a backup that ended
  // before it (an idle machine reads these rows in a fraction of a second) is run again with a
  // shorter wait, down to none, so the signal always meets a running backup.
  RunResult signalled_backup(int signal_number) {
    const auto source = source_with_tables(400000);
    std::mt19937 random(std::random_device{}());
    int longest_ms = 300;
    for (;;) {
      BruProcess backup(backup_args(source, archive_, "2"));
      EXPECT_TRUE(wait_until([&] { return fs::exists(partial_); }, 30))
          << "the backup never began";
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::uniform_int_distribution<int>(0, longest_ms)(random)));
      backup.signal(signal_number);
      auto result = backup.wait(60);
      if (result.exit_code != 0 || longest_ms == 0) return result;
      fs::remove(archive_);
      longest_ms /= 4;
    }
  }

  ScratchDir dir_;
  fs::path archive_ = dir_ / "t.DB";
  fs::path partial_ = archive_.string() + ".partial";
};

// The archive of three sessions is that of one (same entries, chunks and checksums), and it
// restores. (Short test names: the database is named after the test, cut at 60 bytes.)
TEST_P(ParallelBackup, SameArchiveAsOneSession) {
  const auto source = source_with_tables(100000);
  const auto one = dir_ / "one.DB";
  const auto three = dir_ / "three.DB";
  const auto serial = run_bru(backup_args(source, one, "1"));
  ASSERT_EQ(serial.exit_code, 0) << serial.err;
  const auto parallel = run_bru(backup_args(source, three, "3"));
  ASSERT_EQ(parallel.exit_code, 0) << parallel.err;
  EXPECT_EQ(parallel.err, "");
  EXPECT_EQ(archive_content(three), archive_content(one));
  // The report lists the tables in the same order, with the same rows.
  auto without_times = [](std::string out) {
    std::string kept;
    std::size_t at = 0;
    while (at < out.size()) {
      auto end = out.find('\n', at);
      if (end == std::string::npos) end = out.size();
      const auto line = out.substr(at, end - at);
      kept += line.substr(0, line.find(" in ")) + "\n";
      at = end + 1;
    }
    return kept;
  };
  EXPECT_EQ(without_times(parallel.out), without_times(serial.out));

  const auto verify = run_bru({"-VERIFY", "-FILE", three.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  const auto target = fresh_database(GetParam().name, "bru_pbt_", dir_, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", three.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqlSession restored(target);
  EXPECT_EQ(restored.text("SELECT COUNT(*) FROM big"), "100000");
  EXPECT_EQ(restored.text("SELECT SUM(amount) FROM mid"),
            SqlSession(source).text("SELECT SUM(amount) FROM mid"));
}

// SIGINT at a random moment of a parallel backup: exit 12, no archive, no .partial.
TEST_P(ParallelBackup, SigintLeavesNothing) {
  const auto result = signalled_backup(SIGINT);
  EXPECT_EQ(result.exit_code, 12) << result.err;
  EXPECT_EQ(result.err,
            "error: interrupted (SIGINT)\n"
            "hint: nothing partial was kept: run the command again to start over\n");
  EXPECT_FALSE(fs::exists(archive_));
  EXPECT_FALSE(fs::exists(partial_));
}

// kill -9 at a random moment of a parallel backup: bru cannot clean up, its guardian deletes
// the .partial file; no archive appears.
TEST_P(ParallelBackup, KillNineLeavesNothing) {
  const auto result = signalled_backup(SIGKILL);
  EXPECT_EQ(result.exit_code, 128 + SIGKILL) << result.err;
  EXPECT_TRUE(wait_until([&] { return !fs::exists(partial_); }, 10))
      << "the guardian left the .partial file";
  // A kill that comes after the archive was renamed into place (bru was about to exit) leaves
  // that archive, whole; any other leaves none.
  if (fs::exists(archive_)) {
    const auto verify = run_bru({"-VERIFY", "-FILE", archive_.string()});
    EXPECT_EQ(verify.exit_code, 0) << "a killed backup left an archive that does not verify: "
                                   << verify.err;
  }
}

// The server ends one of the sessions while it reads: the backup fails with that session's
// error, the others stop, and nothing is left.
TEST_P(ParallelBackup, KilledSessionLeavesNothing) {
  const auto source = source_with_tables(400000);
  const auto archive = dir_ / "t.DB";
  SqlSession watcher(source);
  const std::string reading =
      postgres() ? "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                   "pid <> pg_backend_pid() AND state = 'active' AND (query LIKE 'COPY%' OR "
                   "query LIKE 'FETCH%') LIMIT 1"
                 : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND "
                   "ID <> CONNECTION_ID() AND INFO LIKE 'SELECT%big%' AND INFO NOT LIKE "
                   "'%information_schema%' LIMIT 1";
  // A backup that ends before the watcher sees it read (an idle machine is quick) runs again.
  std::optional<BruProcess> backup;
  std::string session = "NULL";
  for (int attempt = 0; attempt < 5 && session == "NULL"; ++attempt) {
    fs::remove(archive);
    backup.emplace(backup_args(source, archive, "2"));
    wait_until(
        [&] {
          session = watcher.text(reading);
          return session != "NULL" || fs::exists(archive);
        },
        30);
    if (session == "NULL") backup->wait(60);
  }
  ASSERT_NE(session, "NULL") << "no session of the backup was seen reading in five backups";
  watcher.exec(postgres() ? "SELECT pg_terminate_backend(" + session + ")" : "KILL " + session);
  const auto result = backup->wait(60);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.exit_code, 12) << "the failure reported is the session's, not a stop";
  EXPECT_EQ(result.err.rfind("error: ", 0), 0u) << result.err;
  EXPECT_EQ(result.err.find("stopped: another session"), std::string::npos) << result.err;
  std::cout << "[ error ] " << result.err;
  EXPECT_FALSE(fs::exists(archive));
  EXPECT_FALSE(fs::exists(archive.string() + ".partial"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ParallelBackup,
                         ::testing::Values(Engine{"postgres", "auto"}, Engine{"postgres", "odbc"},
                                           Engine{"mariadb", "auto"}),
                         engine_label);

// A transfer between two accounts committed while the backup waits for its table lock (after
// its snapshot began) is not in the archive: every session reads in the first one's exported
// snapshot. -BULK odbc: the first session is the ODBC connection that exported it, the others
// import it; -BULK auto: all are libpq sessions that import it.
class PostgresParallelSnapshot : public ::testing::TestWithParam<std::string> {};

TEST_P(PostgresParallelSnapshot, TransferDuringBackupNotInIt) {
  ScratchDir dir;
  const auto source = fresh_database("postgres", "bru_pbs_", dir, "");
  SqlSession db(source);
  db.exec("CREATE TABLE account_a (id int PRIMARY KEY, balance int);"
          "CREATE TABLE account_b (id int PRIMARY KEY, balance int);"
          "INSERT INTO account_a SELECT i, 10 FROM generate_series(1, 1000) i;"
          "INSERT INTO account_b SELECT i, 10 FROM generate_series(1, 1000) i;");
  SqlSession transfer(source);
  transfer.exec("BEGIN");
  transfer.exec("LOCK TABLE account_b IN ACCESS EXCLUSIVE MODE");
  const auto archive = dir / "t.DB";
  BruProcess backup({"-BACKUP", "-DB", source, "-FILE", archive.string(), "-QUIET", "-BULK",
                     GetParam(), "-THREADS", "2", "-LOCKWAIT", "60"});
  ASSERT_TRUE(wait_until(
      [&] {
        return db.text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                       "'account_b'::regclass") != "0";
      },
      30))
      << "the backup never waited for its lock";
  transfer.exec("UPDATE account_a SET balance = balance - 5 WHERE id = 1");
  transfer.exec("UPDATE account_b SET balance = balance + 5 WHERE id = 1");
  transfer.exec("COMMIT");
  const auto result = backup.wait(60);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto target = fresh_database("postgres", "bru_pbst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqlSession restored(target);
  EXPECT_EQ(restored.text("SELECT (SELECT sum(balance) FROM account_a) || ' ' || "
                          "(SELECT sum(balance) FROM account_b)"),
            "10000 10000");
  EXPECT_EQ(db.text("SELECT (SELECT sum(balance) FROM account_a) || ' ' || "
                    "(SELECT sum(balance) FROM account_b)"),
            "9995 10005")
      << "the transfer was committed";
}

INSTANTIATE_TEST_SUITE_P(Paths, PostgresParallelSnapshot, ::testing::Values("auto", "odbc"));

// On PostgreSQL through libpq a table of 1024 pages or more is read by every session at once,
// each a range of its pages (backup.cpp read_items). Every row of the snapshot is read once:
// here every row of the table is updated and committed while the backup waits for a lock, after
// its snapshot began, so each row has a newer version elsewhere in the heap, which the slices
// must not read. The long values' rows keep their pieces; the archive's totals are those of a
// one-session backup of the same rows.
TEST(PostgresSlicedBackup, EachRowOfTheSnapshotIsReadOnceWhateverMovedMeanwhile) {
  ScratchDir dir;
  const auto source = fresh_database("postgres", "bru_pbsl_", dir, "");
  SqlSession db(source);
  db.exec("CREATE TABLE big (id bigint PRIMARY KEY, note text, body bytea);"
          "INSERT INTO big SELECT i, md5(i::text), NULL FROM generate_series(1, 150000) i;"
          "UPDATE big SET body = convert_to(repeat(md5(id::text), 150000), 'UTF8') WHERE id IN "
          "(7, 75000, 149999);"
          "CREATE TABLE gate (id int PRIMARY KEY);");
  ASSERT_GE(std::stoll(db.text("SELECT pg_relation_size('big') / 8192")), 1024)
      << "too small to be read in slices";
  const std::string digest_sql =
      "SELECT count(*) || ' ' || md5(string_agg(id || note || coalesce(md5(body), '-'), ',' "
      "ORDER BY id)) FROM big";
  const auto before = db.text(digest_sql);
  const auto one = dir / "one.DB";
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", one.string(), "-QUIET"}).exit_code, 0);

  SqlSession writer(source);
  writer.exec("BEGIN");
  writer.exec("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE");
  const auto archive = dir / "three.DB";
  BruProcess backup({"-BACKUP", "-DB", source, "-FILE", archive.string(), "-THREADS", "3",
                     "-LOCKWAIT", "60"});
  ASSERT_TRUE(wait_until(
      [&] {
        return db.text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                       "'gate'::regclass") != "0";
      },
      30))
      << "the backup never waited for its lock";
  writer.exec("UPDATE big SET note = 'changed'");
  writer.exec("COMMIT");
  const auto result = backup.wait(120);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(" s  read in 3 slices\n"), std::string::npos) << result.out;

  const std::string totals = "SELECT name, rows, checksum FROM bru_objects ORDER BY object_id";
  EXPECT_EQ(SqliteFile(archive).rows(totals), SqliteFile(one).rows(totals));
  const auto verify = run_bru({"-VERIFY", "-FILE", archive.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  const auto target = fresh_database("postgres", "bru_pbslt_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(SqlSession(target).text(digest_sql), before);
  EXPECT_NE(db.text(digest_sql), before) << "the update was committed";
}

// Without RELOAD the sessions cannot begin their snapshots under the global read lock: the
// backup says loudly that each has its own, and still backs up.
TEST(MariadbParallelBackup, WithoutReloadEachSessionHasItsOwnSnapshotAndIsWarned) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_pbm_", dir, "");
  SqlSession db(source);
  db.exec("CREATE TABLE t (id INT PRIMARY KEY)");
  db.exec("CREATE TABLE u (id INT PRIMARY KEY)");
  db.exec("INSERT INTO t VALUES (1), (2)");
  const auto archive = (dir / "t.DB").string();
  const auto backup = [&] {
    MariadbUserWithoutReload user(source, "bru_pb_noreload");
    return run_bru({"-BACKUP", "-DB", user.conn(), "-FILE", archive, "-QUIET", "-THREADS", "2"});
  }();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.err.find("\nwarning: -THREADS 2: each session reads in a snapshot of its own, "
                            "begun without the global read lock: a write committed meanwhile "
                            "can be in the tables one session reads and not in another's; back "
                            "up with -THREADS 1 (one snapshot), or as a user with RELOAD\n"),
            std::string::npos)
      << backup.err;
  const auto verify = run_bru({"-VERIFY", "-FILE", archive});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST(SqliteParallelBackup, ReadsWithOneSessionAndSaysSo) {
  ScratchDir dir;
  const auto source = dir / "s.sqlite";
  {
    SqliteFile file(source);
    file.exec("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
  }
  const auto archive = (dir / "t.DB").string();
  const auto backup = run_bru({"-BACKUP", "-DB", "sqlite;" + source.string(), "-FILE", archive,
                               "-QUIET", "-JOBS", "4"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_EQ(backup.err,
            "warning: -THREADS 4: a sqlite backup reads with one session (its sessions could not "
            "share one snapshot)\n");
}

TEST(ParallelBackupUsage, ThreadsWhereItMeansNothingOrOutOfRangeIsAUsageError) {
  struct Usage {
    std::vector<std::string> args;
    std::string err;
  };
  const std::string where = "hint: it is the number of sessions that read (backup) or load "
                            "(restore)\n";
  for (const auto& usage : std::vector<Usage>{
           {{"-LIST", "-FILE", "x.DB", "-THREADS", "2"},
            "error: -THREADS applies to -BACKUP and -RESTORE only\n" + where},
           {{"-VERIFY", "-FILE", "x.DB", "-JOBS", "2"},
            "error: -JOBS applies to -BACKUP and -RESTORE only\n" + where},
           {{"-BACKUP", "-DB", "sqlite;x.sqlite", "-FILE", "x.DB", "-THREADS", "0"},
            "error: -THREADS 0 is out of range\n"
            "hint: use 1 (the default: one session) to 64 sessions sharing one snapshot\n"}}) {
    const auto result = run_bru(usage.args);
    EXPECT_EQ(result.exit_code, 2) << usage.args[0];
    EXPECT_EQ(result.err, usage.err);
  }
}

}  // namespace
}  // namespace bru::test

// -RESTORE -THREADS n into PostgreSQL (bru/commands/restore_parallel.h): what only the parallel
// restore has. Its correctness on every type, the WFM sample and the shop's every object is
// tested by PostgresRestore/threads2 and PostgresFidelityRestore/threads2; here: SIGINT and
// kill -9 at random moments, a failure in one session, and the options it refuses.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>

#include "support/pg_shop.h"
#include "support/process.h"
#include "support/random_signals.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Sql = SqlSession;

// Sessions of a parallel restore still on the server (they carry application_name
// "bru restore <pid>").
std::string restore_sessions(Sql& db) {
  return db.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                 "application_name LIKE 'bru restore%'");
}

class PostgresParallel : public ::testing::Test {
 protected:
  std::vector<std::string> restore_args(const std::string& target) const {
    return {"-RESTORE", "-DB", target, "-FILE", archive_.string(), "-QUIET", "-THREADS", "2"};
  }
  // Restores archive_ into a new database `name`, which holds the DBA's table "bystander" with
  // row 7, expecting the exit code and stderr `message` (<target> standing for how bru names
  // the database) then the undo's hint, and the target as before: pg_dump --schema-only identical, the row there, no session of bru left.
  void expect_failed_restore(const std::string& name, int exit_code, const std::string& message) {
    const auto target = create_postgres_database(name);
    Sql db(target);
    db.exec("CREATE TABLE bystander (id integer); INSERT INTO bystander VALUES (7);");
    const auto before = schema_dump(target);
    const auto restore = run_bru(restore_args(target));
    EXPECT_EQ(restore.exit_code, exit_code) << restore.err;
    auto expected = message;
    const std::string marker = "<target>";
    for (auto at = expected.find(marker); at != std::string::npos; at = expected.find(marker)) {
      expected.replace(at, marker.size(), pg_display(target));
    }
    EXPECT_EQ(restore.err, expected + parallel_undo_hint(target));
    EXPECT_EQ(schema_dump(target), before);
    EXPECT_EQ(db.text("SELECT string_agg(id::text, ',') FROM bystander"), "7");
    EXPECT_EQ(restore_sessions(db), "0");
  }
  // A SQLite file made by `sql`, backed up into archive_.
  void backed_up_sqlite(const std::string& sql) {
    const auto sqlite_source = dir_ / "source.sqlite";
    {
      SqliteFile db(sqlite_source);
      db.exec(sql);
    }
    ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + sqlite_source.string(), "-FILE",
                       archive_.string(), "-QUIET"}).exit_code, 0);
  }

  ScratchDir dir_;
  std::filesystem::path archive_ = dir_ / "backup.DB";
};

// SIGINT and kill -9 at random moments of a parallel restore of the shop (every object kind) and
// a larger table: each leaves the target exactly as before — pg_dump --schema-only identical,
// the DBA's table and its row still there, no session of bru left — undone by bru (SIGINT, exit
// 12) or by its guardian (kill -9).
TEST_F(PostgresParallel, InterruptedOrKilledAtRandomMomentsLeavesTheTargetAsItWas) {
  const auto source = create_postgres_database("bru_par_random_source");
  ASSERT_NO_FATAL_FAILURE(load_shop(source));
  {
    Sql db(source);
    db.exec("CREATE TABLE public.ledger (id bigint PRIMARY KEY, store int, note text);"
            "INSERT INTO public.ledger SELECT i, i % 7, md5(i::text) FROM "
            "generate_series(1, 400000) i;"
            "CREATE INDEX ledger_store_idx ON public.ledger (store, id);");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);

  // How long an undisturbed restore takes here: the signals come within that time.
  const auto timing = create_postgres_database("bru_par_random_timing");
  Sql(timing).exec("CREATE TABLE bystander (id integer); INSERT INTO bystander VALUES (7);"
                   "COMMENT ON TABLE bystander IS 'the DBA''s own'");
  const auto started = std::chrono::steady_clock::now();
  const auto whole = run_bru(restore_args(timing));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  // What a target looks like once a restore is done: a kill -9 that comes after bru's last
  // commit finds the restore finished, which is kept.
  const auto complete = schema_dump(timing);
  std::cout << "[ timing ] an undisturbed restore took " << seconds << " s\n";

  const std::string target_name = "bru_par_random_target";
  auto fresh_target = [&] {
    const auto target = create_postgres_database(target_name);
    Sql db(target);
    db.exec("CREATE TABLE bystander (id integer); INSERT INTO bystander VALUES (7);"
            "COMMENT ON TABLE bystander IS 'the DBA''s own'");
    return target;
  };
  const auto target = fresh_target();
  const auto before = schema_dump(target);
  const std::string interrupted =
      "error: interrupted (SIGINT)\n"
      "hint: nothing partial was kept: run the command again to start over\n";
  const std::string undone = parallel_undo_hint(target);

  const int stopped = signal_at_random_moments(
      restore_args(target), seconds, 8, [&](int signal_number, const RunResult& result) {
        if (result.exit_code == 0) {
          std::cout << "[ moment ] the restore had finished: the target is made again\n";
          fresh_target();
          return false;
        }
        if (signal_number == SIGINT) {
          EXPECT_EQ(result.exit_code, 12) << result.err;
          // A signal before the first change (while the archive and the target are read) has
          // nothing to undo.
          if (result.err != interrupted) {
            EXPECT_EQ(result.err, interrupted + undone);
          }
        } else {
          EXPECT_EQ(result.exit_code, 128 + SIGKILL);
        }
        // The guardian works on after bru's death, on a session of its own that it opens only
        // after bru's sessions are gone: "no other session" alone can be seen before it
        // connects. Wait until the target is as before with no other session on it, then
        // compare.
        Sql db(target);
        EXPECT_TRUE(wait_until([&] {
          if (db.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND pid <> pg_backend_pid()") != "0") {
            return false;
          }
          const auto now = schema_dump_when_steady(target);
          return now && (*now == before || (signal_number == SIGKILL && *now == complete));
        }, 60));
        if (signal_number == SIGKILL && schema_dump(target) == complete) {
          std::cout << "[ moment ] killed after the restore had finished: the target is made "
                       "again\n";
          fresh_target();
          return false;
        }
        EXPECT_EQ(schema_dump(target), before);
        EXPECT_EQ(db.text("SELECT string_agg(id::text, ',') FROM bystander"), "7");
        EXPECT_EQ(db.text("SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', "
                          "'rental', 'reporting')"),
                  "0");
        return true;
      });
  EXPECT_GE(stopped, 4) << "most signals must come while the restore runs";
}

// A value the target refuses in one table while the other session loads a large one: the other
// load is cancelled, everything is dropped, the error is the value's, whole.
TEST_F(PostgresParallel, AValueOneSessionCannotLoadStopsTheOtherAndUndoesAll) {
  ASSERT_NO_FATAL_FAILURE(backed_up_sqlite(
      "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
      "INSERT INTO big SELECT i, hex(randomblob(40)) FROM n;"
      "CREATE TABLE bad (id INTEGER PRIMARY KEY, day DATE);"
      "INSERT INTO bad VALUES (1, '2024-02-28'), (2, '2024-02-30');"));
  expect_failed_restore(
      "bru_par_bad_value", 11,
      "error: table \"bad\", column \"day\", row 2: \"2024-02-30\" is not a date of the "
      "calendar\n"
      "hint: the postgres target cannot hold this value in a column of type date; fix the value "
      "in the source (or exclude the table with -EXCLUDE) and back up again; nothing was "
      "restored\n");
}

// A restore into a new database whose empty public schema the restoring user owns (as a
// database owner does), interrupted while it loads: the undo drops the table it made in public,
// and not the schema public, which was there (the catalog read does not list it, and the
// archive has no entry for it).
TEST_F(PostgresParallel, AnInterruptedRestoreIntoAnEmptyDatabaseKeepsItsPublicSchema) {
  const auto source = create_postgres_database("bru_par_public_source");
  Sql(source).exec("CREATE TABLE big (id bigint PRIMARY KEY, v text);"
                   "INSERT INTO big SELECT i, md5(i::text) FROM generate_series(1, 1500000) i;");
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  const auto target = create_postgres_database("bru_par_public_target");
  const auto owned = run_program(
      "/usr/bin/psql", {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                        env("BRU_TEST_PG_ADMIN").value_or("") + " dbname=" + database_of(target),
                        "-c", "ALTER SCHEMA public OWNER TO bru"});
  ASSERT_EQ(owned.exit_code, 0) << owned.err;
  const auto before = schema_dump(target);
  Sql db(target);
  BruProcess restore(restore_args(target));
  ASSERT_TRUE(wait_until([&] {
    return db.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND query LIKE 'COPY%'") != "0";
  }, 60));
  restore.signal(SIGINT);
  const auto result = restore.wait(60);
  EXPECT_EQ(result.exit_code, 12) << result.err;
  EXPECT_EQ(result.err,
            "error: interrupted (SIGINT)\n"
            "hint: nothing partial was kept: run the command again to start over\n" +
                parallel_undo_hint(target));
  EXPECT_EQ(db.text("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'"), "1");
  EXPECT_EQ(schema_dump(target), before);
}

// A foreign key that cannot be built (SQLite does not enforce them; PostgreSQL checks the rows
// when the key is added, after every table is loaded and committed): the restore stops, drops
// every table it loaded, and says so.
TEST_F(PostgresParallel, AForeignKeyThatFailsToBuildUndoesEveryLoadedTable) {
  ASSERT_NO_FATAL_FAILURE(backed_up_sqlite(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE);"
      "INSERT INTO parent VALUES (1, 'one');"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));"
      "INSERT INTO child VALUES (1, 1), (2, 99);"));
  expect_failed_restore(
      "bru_par_orphan", 4,
      "error: statement failed (ALTER TABLE \"child\" ADD FOREIGN KEY (\"parent_id\") "
      "REFERENCES): ERROR:  insert or update on table \"child\" violates foreign key constraint "
      "\"child_parent_id_fkey\"\n"
      "DETAIL:  Key (parent_id)=(99) is not present in table \"parent\".\n"
      "detail: SQLSTATE 23503 (native 0)\n"
      "hint: the statement failed on <target>; nothing was committed\n");
}

// -CLEAN and -DATA-ONLY change tables that exist: a restore in several sessions could not bring
// them back, so -THREADS n > 1 with them is refused before anything is read or changed; without
// -THREADS they restore in one transaction (PostgresFidelity.CleanRefuses..., PgRestoreOptions).
TEST_F(PostgresParallel, CleanOrDataOnlyWithThreadsIsRefusedBeforeAnyChange) {
  const auto source = create_postgres_database("bru_par_refused_source");
  {
    Sql db(source);
    db.exec("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  const auto target = create_postgres_database("bru_par_refused_target");
  Sql db(target);
  db.exec("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (5)");
  for (const std::string part : {"-CLEAN", "-DATA-ONLY"}) {
    auto args = restore_args(target);
    args.push_back(part);
    const auto restore = run_bru(args);
    EXPECT_EQ(restore.exit_code, 2) << restore.err;
    EXPECT_EQ(restore.err,
              "error: -THREADS 2 cannot be combined with " + part +
                  "\n"
                  "hint: a restore in several sessions undoes a failure by dropping what it "
                  "created, which cannot bring back the tables " +
                  (part == "-CLEAN" ? "-CLEAN drops" : "-DATA-ONLY fills") +
                  ": leave out -THREADS (that restore runs in one transaction)\n");
    EXPECT_EQ(db.text("SELECT string_agg(id::text, ',') FROM t"), "5");
  }
}

TEST_F(PostgresParallel, ThreadsOutOfRangeOrGivenTwiceIsAUsageError) {
  const auto zero = run_bru({"-RESTORE", "-DB", "sqlite;x.sqlite", "-FILE", "x.DB", "-JOBS", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_EQ(zero.err,
            "error: -JOBS 0 is out of range\n"
            "hint: use 1 (one transaction) to 64 sessions; the default is 2\n");
  const auto both = run_bru({"-RESTORE", "-DB", "sqlite;x.sqlite", "-FILE", "x.DB", "-JOBS", "2",
                             "-THREADS", "2"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err,
            "error: -THREADS and -JOBS are the same option: give one\n"
            "hint: -JOBS n is another name of -THREADS n, as pg_restore's -j\n");
}

// Where several sessions do not apply (-BULK odbc, another engine), -THREADS n says so and the
// restore runs in one transaction.
TEST_F(PostgresParallel, ThreadsOnThePortablePathWarnsAndRestoresInOneSession) {
  ASSERT_NO_FATAL_FAILURE(
      backed_up_sqlite("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);"));
  const auto target = create_postgres_database("bru_par_odbc");
  auto args = restore_args(target);
  args.insert(args.end(), {"-BULK", "odbc"});
  const auto restore = run_bru(args);
  EXPECT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err,
            "warning: -THREADS 2: this restore runs in one session (several only into PostgreSQL "
            "through libpq or MariaDB through libmariadb: -BULK auto and a host/port "
            "connection)\n");
}

}  // namespace
}  // namespace bru::test

// Faults injected through bru's two seams (issue 11 item 5): the ODBC call table
// (bru/odbc/calls.h) and the file env under the archive writer (formats/file_env.h). Each test
// runs the bru command line in this process (bru::cli::run, so the seam is this process's), with
// real SQLite files and the real PostgreSQL server, and checks the exit code, the whole message
// and that nothing partial is left: no archive, no .partial file, the target as it was.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "bru/cli.h"
#include "support/file_faults.h"
#include "support/odbc_faults.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

// Faults injected and survived (the run ended as the test expects: exit code, message, nothing
// left behind), over the whole binary: printed at exit for the figures.
struct FaultTally {
  int injected = 0;
  int survived = 0;
  ~FaultTally() {
    if (injected > 0) std::fprintf(stderr, "faults injected: %d, survived: %d\n", injected, survived);
  }
};
FaultTally g_tally;

// bru's command line in this process, stdout and stderr captured.
RunResult run_here(std::vector<std::string> args) {
  args.insert(args.begin(), "bru");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  RunResult result;
  result.exit_code = cli::run(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  result.out = testing::internal::GetCapturedStdout();
  result.err = testing::internal::GetCapturedStderr();
  return result;
}

std::string sqlite_conn(const fs::path& path) { return "sqlite;" + path.string(); }

// t(id, v) with `rows` rows of 200 random bytes.
void make_blobs(const fs::path& path, int rows) {
  SqliteFile db(path);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(rows) + ") INSERT INTO t SELECT i, randomblob(200) FROM n;");
}

class Faults : public ::testing::Test {
 protected:
  void expect_no_archive() {
    EXPECT_FALSE(fs::exists(archive_)) << archive_;
    EXPECT_FALSE(fs::exists(archive_.string() + ".partial")) << "partial file left";
  }
  // Counts a fault as injected, and as survived when the test body saw no failure since.
  void tally(int injected, bool survived) {
    g_tally.injected += injected;
    if (survived && !HasFailure()) g_tally.survived += injected;
  }
  int calls_of_a_clean_run(OdbcCall call, const std::vector<std::string>& args) {
    OdbcFault counter({.call = call, .nth = 1 << 30});
    const auto result = run_here(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    fs::remove(archive_);
    return counter.calls_seen();
  }

  ScratchDir dir_;
  fs::path source_ = dir_ / "source.sqlite";
  fs::path target_ = dir_ / "target.sqlite";
  fs::path archive_ = dir_ / "backup.DB";
};

// ---- the ODBC seam ----

TEST_F(Faults, ConnectionLostMidBackupFromPostgresIsExit3AndLeavesNoArchive) {
  const auto source = create_postgres_database("bru_fault_backup");
  SqlSession(source).exec(
      "CREATE TABLE t (id bigint PRIMARY KEY, v text);"
      "INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 20000) i");
  // The ODBC path (-BULK auto reads PostgreSQL through libpq, under no ODBC seam).
  const std::vector<std::string> args{"-BACKUP", "-DB", source, "-FILE", archive_.string(),
                                      "-QUIET", "-BULK", "odbc"};
  const int fetches = calls_of_a_clean_run(OdbcCall::kFetch, args);
  ASSERT_GT(fetches, 4);
  // The last fetches of a run are the rows of t (the catalog is read before the data).
  OdbcFault lost({.call = OdbcCall::kFetch, .nth = fetches - 1, .every_later = true});
  const auto result = run_here(args);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err,
            "error: cannot fetch rows of \"SELECT \"id\", \"v\" FROM ONLY \"public\".\"t\"\": "
            "could not receive data from server: Connection reset by peer\n"
            "detail: SQLSTATE 08S01 (native 0)\n"
            "hint: check host and port, that the server runs and accepts TCP connections\n");
  expect_no_archive();
  EXPECT_EQ(lost.failures(), 1 + (lost.calls_seen() - (fetches - 1)));
  tally(1, true);
}

TEST_F(Faults, ConnectionLostMidBackupFromSqliteLeavesNoArchive) {
  make_blobs(source_, 20000);
  const std::vector<std::string> args{"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                      archive_.string(), "-QUIET"};
  const int fetches = calls_of_a_clean_run(OdbcCall::kFetch, args);
  OdbcFault lost({.call = OdbcCall::kFetch, .nth = fetches / 2 + 1, .every_later = true,
                  .native_code = 2013, .text = "Lost connection to server during query"});
  const auto result = run_here(args);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err,
            "error: cannot fetch rows of \"SELECT \"id\", \"v\" FROM \"t\"\": Lost connection to "
            "server during query\n"
            "detail: SQLSTATE 08S01 (native 2013)\n"
            "hint: check host and port, that the server runs and accepts TCP connections\n");
  expect_no_archive();
  tally(1, true);
}

TEST_F(Faults, ConnectionLostMidRestoreIntoPostgresLeavesTheTargetUnchanged) {
  make_blobs(source_, 20000);
  ASSERT_EQ(run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE", archive_.string(),
                      "-QUIET"}).exit_code, 0);
  const auto target = create_postgres_database("bru_fault_restore");
  SqlSession(target).exec("CREATE SCHEMA keep; CREATE TABLE keep.mine (id int)");
  const std::vector<std::string> args{"-RESTORE", "-DB", target, "-FILE", archive_.string(),
                                      "-QUIET", "-BULK", "odbc"};
  // Every INSERT batch is one SQLExecute (after one other): fail the third call, the second batch.
  OdbcFault lost({.call = OdbcCall::kExecute, .nth = 3, .every_later = true});
  const auto result = run_here(args);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err.rfind("error: cannot insert rows 1001..2000 of table \"t\": cannot execute "
                             "\"INSERT INTO \"t\" (\"id\", \"v\") VALUES (?, ?), (?, ?), ",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(result.err.substr(result.err.find("...\": ")),
            "...\": could not receive data from server: Connection reset by peer\n"
            "detail: SQLSTATE 08S01 (native 0)\n"
            "hint: check host and port, that the server runs and accepts TCP connections\n")
      << result.err;
  SqlSession check(target);
  EXPECT_EQ(check.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
  EXPECT_EQ(check.text("SELECT count(*) FROM keep.mine"), "0");
  tally(1, true);
}

TEST_F(Faults, ACommitRefusedAtTheEndOfARestoreIntoSqliteLeavesNoTable) {
  make_blobs(source_, 2000);
  ASSERT_EQ(run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE", archive_.string(),
                      "-QUIET"}).exit_code, 0);
  // SQLite's transactions are SQL statements (the driver stays in autocommit mode, so it streams).
  OdbcFault refused({.call = OdbcCall::kExecDirect, .nth = 1, .sqlstate = "HY000",
                     .native_code = 5, .text = "database is locked (5)", .sql = "COMMIT"});
  const auto result = run_here({"-RESTORE", "-DB", sqlite_conn(target_), "-FILE",
                                archive_.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_EQ(result.err, "error: cannot execute \"COMMIT\": database is locked (5)\n"
                        "detail: SQLSTATE HY000 (native 5)\n"
                            "hint: another session holds a lock on it; wait for that session to "
                            "finish or stop it\n");
  SqliteFile check(target_);
  EXPECT_EQ(check.scalar("SELECT count(*) FROM sqlite_master"), 0);
  tally(1, true);
}

// ---- the file seam ----

TEST_F(Faults, FsyncFailingIsExit7AndLeavesNoArchive) {
  make_blobs(source_, 2000);
  FaultyFileEnv env({.fail_fsync = 1});
  const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                archive_.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 7) << result.err;
  EXPECT_EQ(result.err, "error: cannot write archive \"" + archive_.string() +
                            "\": cannot sync \"" + archive_.string() +
                            ".partial\": Input/output error\n"
                            "hint: check free space and the file system holding " +
                            dir_.path().string() + ", or write the archive elsewhere\n");
  expect_no_archive();
  tally(env.injected(), true);
}

TEST_F(Faults, NoSpaceAtTheNthWriteIsExit7AndLeavesNoArchive) {
  make_blobs(source_, 5000);
  const std::vector<std::string> args{"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                      archive_.string(), "-QUIET"};
  int writes = 0;
  {
    FaultyFileEnv counter({});
    ASSERT_EQ(run_here(args).exit_code, 0);
    fs::remove(archive_);
    writes = counter.writes();
  }
  ASSERT_GT(writes, 10);
  int injected = 0;
  // Every write of the run in turn: the header, chunk pages, the table of contents, the last.
  for (int nth = 1; nth <= writes; ++nth) {
    FaultyFileEnv env({.fail_write = nth, .writes_after_fail = true});
    const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                  archive_.string(), "-QUIET"});
    EXPECT_EQ(result.exit_code, 7) << "write " << nth << ": " << result.err;
    EXPECT_EQ(result.err, "error: cannot write archive \"" + archive_.string() +
                              "\": database or disk is full\n"
                              "hint: free space on " + dir_.path().string() +
                              " or write the archive elsewhere\n")
        << "write " << nth;
    expect_no_archive();
    injected += env.injected() > 0 ? 1 : 0;
  }
  tally(injected, true);
}

TEST_F(Faults, AShortWriteIsWrittenOnAndTheArchiveVerifies) {
  make_blobs(source_, 20000);
  int injected = 0;
  for (const int nth : {1, 3, 50}) {
    {
      FaultyFileEnv env({.short_write = nth});
      const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                    archive_.string(), "-QUIET"});
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(env.injected(), 1);
      injected += env.injected();
    }
    const auto verify = run_here({"-VERIFY", "-FILE", archive_.string(), "-QUIET"});
    EXPECT_EQ(verify.exit_code, 0) << verify.err;
    fs::remove(archive_);
  }
  tally(injected, true);
}

TEST_F(Faults, AShortWriteThenNoSpaceIsExit7) {
  make_blobs(source_, 20000);
  FaultyFileEnv env({.fail_write = 21, .writes_after_fail = true, .short_write = 20});
  const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                archive_.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 7) << result.err;
  EXPECT_EQ(result.err.rfind("error: cannot write archive \"" + archive_.string() +
                                 "\": database or disk is full\nhint: free space on ",
                             0),
            0u)
      << result.err;
  expect_no_archive();
  tally(2, true);
}

TEST_F(Faults, ARenameFailingIsExit7AndLeavesNoArchive) {
  make_blobs(source_, 200);
  FaultyFileEnv env({.fail_rename = 1, .rename_errno = EXDEV});
  const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                archive_.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 7) << result.err;
  EXPECT_EQ(result.err, "error: cannot write archive \"" + archive_.string() +
                            "\": cannot rename \"" + archive_.string() + ".partial\" to \"" +
                            archive_.string() + "\": Invalid cross-device link\n"
                            "hint: check free space and the file system holding " +
                            dir_.path().string() + ", or write the archive elsewhere\n");
  expect_no_archive();
  tally(env.injected(), true);
}

// ---- a real full disk: a small tmpfs (CI runs as root, so this runs there) ----

class SmallDisk : public Faults {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      // CI (.ci/run sets BRU_TEST_NO_SKIP) must run these: there a missing root is a failure.
      if (env("BRU_TEST_NO_SKIP")) FAIL() << "mounting a tmpfs needs root, and CI runs as root";
      GTEST_SKIP() << "mounting a tmpfs needs root (CI runs as root)";
    }
    fs::create_directory(disk_);
    ASSERT_EQ(::mount("bru-test", disk_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=8M"), 0)
        << "cannot mount a tmpfs on " << disk_ << " as root: " << std::strerror(errno);
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) {
      EXPECT_EQ(::umount2(disk_.c_str(), MNT_DETACH), 0) << std::strerror(errno);
    }
  }
  fs::path disk_ = dir_ / "disk";
  bool mounted_ = false;
};

TEST_F(SmallDisk, ABackupOntoAFullDiskIsExit7AndLeavesNothing) {
  make_blobs(source_, 100000);  // about 20 MB of random bytes: zstd cannot shrink them
  const auto archive = disk_ / "backup.DB";
  const auto result = run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE",
                                archive.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 7) << result.err;
  EXPECT_EQ(result.err, "error: cannot write archive \"" + archive.string() +
                            "\": database or disk is full\n"
                            "hint: free space on " + disk_.string() +
                            " or write the archive elsewhere\n");
  EXPECT_TRUE(fs::is_empty(disk_)) << "nothing left on the full disk";
  tally(1, true);
}

TEST_F(SmallDisk, ARestoreIntoSqliteOnAFullDiskIsExit7AndCommitsNothing) {
  make_blobs(source_, 100000);
  ASSERT_EQ(run_here({"-BACKUP", "-DB", sqlite_conn(source_), "-FILE", archive_.string(),
                      "-QUIET"}).exit_code, 0);
  const auto target = disk_ / "target.sqlite";
  const auto result = run_here({"-RESTORE", "-DB", sqlite_conn(target), "-FILE",
                                archive_.string(), "-QUIET"});
  EXPECT_EQ(result.exit_code, 7) << result.err;
  EXPECT_EQ(result.err.rfind("error: cannot insert rows ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("\nhint: the storage under sqlite:" + target.string() +
                            " is full (or a file size limit, ulimit -f, was reached); nothing "
                            "was committed: free space and restore again\n"),
            std::string::npos)
      << result.err;
  SqliteFile check(target);
  EXPECT_EQ(check.scalar("SELECT count(*) FROM sqlite_master"), 0) << "rolled back";
  tally(1, true);
}

}  // namespace
}  // namespace bru::test

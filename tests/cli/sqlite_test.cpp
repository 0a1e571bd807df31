// bru end to end on SQLite files: backup, list, verify, restore, and every kind of bad input
// that needs no server.
#include <signal.h>
#include <sys/resource.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "formats/archive.h"
#include "support/process.h"
#include "support/sample_data.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

// Every table's rows in primary-key order, with storage classes, as one comparable value.
std::vector<std::vector<std::string>> all_rows(const std::filesystem::path& path) {
  SqliteFile db(path);
  std::vector<std::vector<std::string>> rows;
  for (const auto& table : db.rows("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
    const auto name = table[0].substr(5);
    rows.push_back({"table " + name});
    for (auto& row : db.rows("SELECT * FROM \"" + name + "\" ORDER BY 1, 2")) rows.push_back(row);
  }
  return rows;
}

std::string conn(const std::filesystem::path& path) { return "sqlite;" + path.string(); }

// t(id, v BLOB) with `rows` rows of 200 random bytes: enough data for a run to be caught midway.
void make_blobs(const std::filesystem::path& path, int rows) {
  SqliteFile db(path);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(rows) + ") INSERT INTO t SELECT i, randomblob(200) FROM n;");
}

// Runs bru with a file size limit (ulimit -f) of `bytes`, which the bru process inherits; this
// test process writes nothing large meanwhile.
RunResult run_bru_with_file_limit(const std::vector<std::string>& args, rlim_t bytes) {
  rlimit saved{};
  EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit limited = saved;
  limited.rlim_cur = bytes;
  EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  auto result = run_bru(args);
  EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  return result;
}

class SqliteCli : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::filesystem::path source_ = dir_ / "source.sqlite";
  std::filesystem::path archive_ = dir_ / "backup.DB";
  std::filesystem::path target_ = dir_ / "target.sqlite";

  // Restores archive_ into target_ under a file size limit of `bytes`, which stands in for a full
  // disk: exit 7, the hint for a full disk, nothing committed.
  void expect_restore_fails_full(rlim_t bytes) {
    const auto restore = run_bru_with_file_limit(
        {"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"}, bytes);
    EXPECT_EQ(restore.exit_code, 7) << restore.err;
    EXPECT_EQ(restore.err.rfind("error: cannot insert rows ", 0), 0u) << restore.err;
    EXPECT_NE(restore.err.find("\nhint: the storage under sqlite:" + target_.string() +
                               " is full (or a file size limit, ulimit -f, was reached); nothing "
                               "was committed: free space and restore again\n"),
              std::string::npos)
        << restore.err;
    SqliteFile target(target_);
    EXPECT_EQ(target.scalar("SELECT count(*) FROM sqlite_master"), 0) << "rolled back";
  }
};

TEST_F(SqliteCli, SampleBacksUpListsVerifiesAndRestoresExactly) {
  load_sample_sqlite(source_);
  auto backup = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find("backup complete: 6 tables, " + std::to_string(sample_rows()) + " rows"),
            std::string::npos)
      << backup.out;
  EXPECT_FALSE(std::filesystem::exists(archive_.string() + ".partial"));

  auto listing = run_bru({"-LIST", "-FILE", archive_.string()});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_NE(listing.out.find("performance_data"), std::string::npos);
  EXPECT_NE(listing.out.find(std::to_string(sample_rows("performance_data"))), std::string::npos);
  EXPECT_NE(listing.out.find("source          sqlite"), std::string::npos) << listing.out;

  auto verify = run_bru({"-VERIFY", "-FILE", archive_.string()});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;

  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_NE(restore.out.find("verified against the archive"), std::string::npos) << restore.out;
  EXPECT_EQ(all_rows(target_), all_rows(source_));
}

TEST_F(SqliteCli, EveryTypeRoundTripsExactly) {
  {
    SqliteFile db(source_);
    db.exec(R"(
      CREATE TABLE every_type (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        small SMALLINT, big BIGINT, flag BOOLEAN, price NUMERIC(18,6), ratio DOUBLE,
        code CHAR(3), name VARCHAR(40), note TEXT, data BLOB, born DATE, at TIMESTAMP);
      INSERT INTO every_type (small, big, flag, price, ratio, code, name, note, data, born, at)
      VALUES (-32768, 9223372036854775807, 1, '123456789012.123456', 1.5e300, 'abc',
              'emoji 😀 and é', '', x'00ff10', '2024-02-29', '2024-02-29 23:59:59.123456'),
             (32767, -9223372036854775808, 0, '-0.000001', 9e999, '', '', 'line1
line2', x'', '1970-01-01', '1970-01-01 00:00:00'),
             (NULL, NULL, NULL, NULL, -9e999, NULL, NULL, NULL, NULL, NULL, NULL);
      INSERT INTO every_type (note, data) VALUES (printf('%.*c', 3000000, 'x'), randomblob(20000000));
    )");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(all_rows(target_), all_rows(source_));
  // New rows get new keys: AUTOINCREMENT continues after the restored ones.
  SqliteFile target(target_);
  target.exec("INSERT INTO every_type (note) VALUES ('new')");
  EXPECT_EQ(target.scalar("SELECT max(id) FROM every_type"), 5);
}

// Issue 11: 'a\0b' in a TEXT column backed up, verified and restored as 'a', exit 0.
TEST_F(SqliteCli, TextWithNulBytesRoundTripsExactly) {
  {
    SqliteFile db(source_);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, c VARCHAR(10));"
            "INSERT INTO t VALUES (1, 'a' || char(0) || 'b', char(0)), (2, 'plain', ''),"
            "(3, NULL, 'x' || char(0));");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqliteFile target(target_);
  EXPECT_EQ(target.rows("SELECT id, hex(v), typeof(v), hex(c) FROM t ORDER BY id"),
            (std::vector<std::vector<std::string>>{{"integer:1", "text:610062", "text:text", "text:00"},
                                                   {"integer:2", "text:706C61696E", "text:text", "text:"},
                                                   {"integer:3", "text:", "text:null", "text:7800"}}));
}

TEST_F(SqliteCli, ExistingArchiveIsNotOverwrittenWithoutForce) {
  load_sample_sqlite(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  auto again = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(again.exit_code, 10);
  EXPECT_EQ(again.err, "error: archive \"" + archive_.string() + "\" already exists\n"
                       "hint: use -FORCE to replace it, or choose another -FILE\n");
  auto forced = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET", "-FORCE"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
}

TEST_F(SqliteCli, TablesAndExcludeFilterTheBackup) {
  load_sample_sqlite(source_);
  auto backup = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET",
                         "-TABLES", "BUSINESS_UNIT,Site"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const auto rows = sample_rows("business_unit") + sample_rows("site");
  EXPECT_NE(backup.out.find("backup complete: 2 tables, " + std::to_string(rows) + " rows"),
            std::string::npos)
      << backup.out;
  auto unknown = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", (dir_ / "x.DB").string(),
                          "-TABLES", "site,NoSuchTable"});
  EXPECT_EQ(unknown.exit_code, 13);
  EXPECT_NE(unknown.err.find("NoSuchTable"), std::string::npos) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.DB"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.DB.partial"));
}

TEST_F(SqliteCli, RestoreRefusesANonEmptyTargetUnlessClean) {
  load_sample_sqlite(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  ASSERT_EQ(run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  auto again = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(again.exit_code, 10);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("hint: restore into an empty database, or add -CLEAN"), std::string::npos);
  auto clean = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET", "-CLEAN"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(all_rows(target_), all_rows(source_));
}

TEST_F(SqliteCli, AFileThatIsNotAnArchiveIsRefusedByEveryReader) {
  std::ofstream(archive_) << "this is not an archive\n";
  for (const char* command : {"-LIST", "-VERIFY"}) {
    auto result = run_bru({command, "-FILE", archive_.string()});
    EXPECT_EQ(result.exit_code, 5) << command;
    EXPECT_NE(result.err.find("not a bru archive"), std::string::npos) << result.err;
  }
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string()});
  EXPECT_EQ(restore.exit_code, 5);
  EXPECT_FALSE(std::filesystem::exists(target_)) << "a refused restore must not create the target";
}

TEST_F(SqliteCli, FlippedByteInAChunkFailsVerifyAndRestoreNamingTableAndChunk) {
  load_sample_sqlite(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  {
    SqliteFile archive(archive_);
    archive.exec("UPDATE bru_chunks SET payload = substr(payload, 1, 20) || "
                 "x'5A' || substr(payload, 22) WHERE object_id = "
                 "(SELECT object_id FROM bru_objects WHERE name = 'performance_data') AND seq = 0");
  }
  auto verify = run_bru({"-VERIFY", "-FILE", archive_.string()});
  EXPECT_EQ(verify.exit_code, 5);
  EXPECT_NE(verify.err.find("performance_data"), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("chunk 0"), std::string::npos) << verify.err;
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 5);
  EXPECT_NE(restore.err.find("performance_data"), std::string::npos) << restore.err;
  SqliteFile target(target_);
  EXPECT_EQ(target.scalar("SELECT count(*) FROM sqlite_master"), 0) << "target must be unchanged";
}

// customers and orders (a primary key, NOT NULL, a default, an index, a foreign key), 300 orders.
void make_shop(const std::filesystem::path& path) {
  SqliteFile db(path);
  db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL "
          "REFERENCES customers(id), note TEXT DEFAULT 'none');"
          "CREATE INDEX orders_customer_idx ON orders(customer_id);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
          "INSERT INTO customers SELECT i, 'customer ' || i FROM n;"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
          "INSERT INTO orders SELECT i, 1 + i % 10, 'order ' || i FROM n;");
}

// A table of contents edit (issue 11: one flipped bit made `table` read `tabld`, and the table was
// silently left out) is refused by every reader, naming the table, and the target is untouched.
TEST_F(SqliteCli, EditedTableOfContentsFailsListVerifyAndRestore) {
  make_shop(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  {
    SqliteFile archive(archive_);
    archive.exec("UPDATE bru_objects SET kind = 'tabld' WHERE name = 'orders'");
  }
  const std::string expected =
      "error: archive \"" + archive_.string() +
      "\": table \"orders\" is damaged in the table of contents (its bru_objects row checksum "
      "does not match)\n"
      "hint: the archive is damaged; restore it from another copy, or take a new backup\n";
  for (const char* command : {"-LIST", "-VERIFY"}) {
    auto result = run_bru({command, "-FILE", archive_.string()});
    EXPECT_EQ(result.exit_code, 5) << command;
    EXPECT_EQ(result.err, expected) << command;
  }
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 5);
  EXPECT_EQ(restore.err, expected);
  EXPECT_FALSE(std::filesystem::exists(target_)) << "a refused restore must not create the target";
}

// Archives of format 1 (before table of contents checksums) are still listed, verified and
// restored; -LIST and -VERIFY say what their table of contents lacks.
TEST_F(SqliteCli, Format1ArchiveIsReadAndSaysItHasNoTableOfContentsChecksums) {
  make_shop(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  auto listing = run_bru({"-LIST", "-FILE", archive_.string()});
  EXPECT_NE(listing.out.find("\nchecksums       chunks, every table of contents row, and its "
                             "digest\n"),
            std::string::npos)
      << listing.out;
  {
    SqliteFile archive(archive_);
    archive.exec("ALTER TABLE bru_meta DROP COLUMN row_checksum;"
                 "ALTER TABLE bru_objects DROP COLUMN row_checksum;"
                 "ALTER TABLE bru_columns DROP COLUMN row_checksum;"
                 "DELETE FROM bru_meta WHERE key = 'toc_digest';"
                 "UPDATE bru_meta SET value = '1' WHERE key = 'format_version'");
  }
  listing = run_bru({"-LIST", "-FILE", archive_.string()});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_NE(listing.out.find("(format 1, written by bru"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("\nchecksums       chunks only (a format 1 table of contents "
                             "carries no checksums)\n"),
            std::string::npos)
      << listing.out;
  auto verify = run_bru({"-VERIFY", "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out, "archive \"" + archive_.string() +
                            "\" verified: 2 tables, every chunk and checksum intact (format 1: "
                            "its table of contents carries no checksums)\n");
  const auto json_listing = run_bru({"-LIST", "-FILE", archive_.string(), "-JSON"});
  ASSERT_EQ(json_listing.exit_code, 0) << json_listing.err;
  EXPECT_NE(json_listing.out.find("\"format_version\": 1,\n  \"toc_checked\": false,"),
            std::string::npos)
      << json_listing.out;
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(all_rows(target_), all_rows(source_));
}

TEST_F(SqliteCli, DeletedChunkAndTruncatedArchiveAreCaught) {
  {
    SqliteFile db(source_);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
            "INSERT INTO t SELECT i, hex(randomblob(16)) FROM n;");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET",
                     "-CHUNK-MB", "1"}).exit_code, 0);
  const auto damaged = dir_ / "damaged.DB";
  std::filesystem::copy_file(archive_, damaged);
  {
    SqliteFile archive(damaged);
    archive.exec("DELETE FROM bru_chunks WHERE seq = 1");
  }
  auto verify = run_bru({"-VERIFY", "-FILE", damaged.string()});
  EXPECT_EQ(verify.exit_code, 5);
  EXPECT_NE(verify.err.find("the chunk index holds"), std::string::npos) << verify.err;

  const auto truncated = dir_ / "truncated.DB";
  std::filesystem::copy_file(archive_, truncated);
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
  for (const char* command : {"-LIST", "-VERIFY"}) {
    auto result = run_bru({command, "-FILE", truncated.string()});
    EXPECT_EQ(result.exit_code, 5) << command << ": " << result.err;
    EXPECT_NE(result.err.find("hint:"), std::string::npos) << result.err;
  }
}

// Issue 11: two backups to one -FILE could end with "backup complete" and an incomplete file, or
// the other run's file, at that path. Now the second is refused at once, naming the first.
TEST_F(SqliteCli, TwoConcurrentBackupsToOneFileRefuseTheSecond) {
  make_blobs(source_, 400000);
  const auto partial = std::filesystem::path(archive_.string() + ".partial");
  BruProcess first({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_TRUE(wait_until([&] { return std::filesystem::exists(partial); }, 30));
  auto second =
      run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET", "-FORCE"});
  EXPECT_EQ(second.exit_code, 10) << second.err;
  EXPECT_EQ(second.err, "error: archive \"" + archive_.string() +
                            "\" is being written by another backup (pid " +
                            std::to_string(first.pid()) + "): \"" + partial.string() +
                            "\" is locked\n"
                            "hint: wait for that backup to finish, or choose another -FILE\n");
  const auto result = first.wait();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto verify = run_bru({"-VERIFY", "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("verified: 1 tables"), std::string::npos) << verify.out;
}

// Issue 11: under `ulimit -f` bru died of SIGXFSZ (exit 153, no message, .partial left).
TEST_F(SqliteCli, AFileSizeLimitIsAnIoErrorWithAMessageAndLeavesNothing) {
  make_blobs(source_, 100000);
  auto backup = run_bru_with_file_limit(
      {"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}, 4u << 20);
  EXPECT_EQ(backup.exit_code, 7) << backup.err;
  EXPECT_EQ(backup.err.rfind("error: cannot write archive \"" + archive_.string() + "\": ", 0), 0u)
      << backup.err;
  EXPECT_NE(backup.err.find("\nhint: "), std::string::npos) << backup.err;
  EXPECT_FALSE(std::filesystem::exists(archive_));
  EXPECT_FALSE(std::filesystem::exists(archive_.string() + ".partial"));
}

// Issue 11: disk full during a restore into SQLite exited 4 where the README promises 7. A file
// size limit stands in for the full disk (SQLite reports both as a failed write).
TEST_F(SqliteCli, AFullDiskDuringARestoreIntoSqliteIsExit7) {
  make_blobs(source_, 100000);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(expect_restore_fails_full(4u << 20));
}

// The same with long values written in place (bru/data/sqlite_pieces.h): a TEXT over 4 MiB and a
// BLOB with a value after it. Where the INSERT of zeros fails, the row is sent whole, and fails
// the same way.
TEST_F(SqliteCli, AFullDiskDuringAnInPlaceRestoreIntoSqliteIsExit7) {
  SqliteFile(source_).exec(
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, data BLOB, size INTEGER);"
      "INSERT INTO docs VALUES (1, CAST(randomblob(9000000) AS TEXT), NULL, NULL);"
      "INSERT INTO docs VALUES (2, NULL, randomblob(9000000), 9000000);");
  const auto backup =
      run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  for (const rlim_t limit : {rlim_t{4} << 20, rlim_t{12} << 20}) {
    SCOPED_TRACE(limit);
    std::filesystem::remove(target_);
    ASSERT_NO_FATAL_FAILURE(expect_restore_fails_full(limit));
  }
}

// -STRICT: what a backup would not carry exactly (here a generated column) is an error, and no
// archive is written; without it the same backup warns and succeeds.
TEST_F(SqliteCli, StrictMakesAWarningAnErrorAndWritesNoArchive) {
  {
    SqliteFile db(source_);
    db.exec("CREATE TABLE line (qty INTEGER, price INTEGER, total INTEGER GENERATED ALWAYS AS "
            "(qty * price)); INSERT INTO line (qty, price) VALUES (2, 5);");
  }
  const auto strict = run_bru(
      {"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET", "-STRICT"});
  EXPECT_EQ(strict.exit_code, 11) << strict.err;
  EXPECT_NE(strict.err.find("warning: generated column \"total\" of table \"line\" is not "
                            "backed up"),
            std::string::npos)
      << strict.err;
  EXPECT_NE(strict.err.find("error: -STRICT: the archive would not carry everything of "),
            std::string::npos)
      << strict.err;
  EXPECT_NE(strict.err.find("hint: nothing was written"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(archive_));
  EXPECT_FALSE(std::filesystem::exists(archive_.string() + ".partial"));

  const auto lenient =
      run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_TRUE(std::filesystem::exists(archive_));
}

TEST_F(SqliteCli, InterruptedOrKilledBackupLeavesNoArchive) {
  make_blobs(source_, 400000);
  const auto partial = std::filesystem::path(archive_.string() + ".partial");
  for (const int signal_number : {SIGINT, SIGKILL}) {
    BruProcess backup({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET",
                       "-CHUNK-MB", "1"});
    // The archive's header is committed as soon as the partial file is created; the rows
    // follow for several seconds.
    ASSERT_TRUE(wait_until([&] {
      std::error_code ignored;
      const auto size = std::filesystem::file_size(partial, ignored);
      return !ignored && size > 0;
    }, 60)) << "the backup never started writing";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    backup.signal(signal_number);
    const auto result = backup.wait();
    EXPECT_FALSE(std::filesystem::exists(archive_)) << "signal " << signal_number;
    if (signal_number == SIGINT) {
      EXPECT_EQ(result.exit_code, 12) << result.err;
      EXPECT_EQ(result.err, "error: interrupted (SIGINT)\n"
                            "hint: nothing partial was kept: run the command again to start over\n");
      EXPECT_FALSE(std::filesystem::exists(partial));
    } else {
      // A killed process cannot clean up: its guardian deletes the .partial file.
      EXPECT_TRUE(wait_until([&] { return !std::filesystem::exists(partial); }, 10))
          << "the guardian left the .partial file";
    }
  }
  auto backup = run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_FALSE(std::filesystem::exists(partial));
}

TEST_F(SqliteCli, ArchiveFromANewerFormatIsRefusedWithWhatToDo) {
  load_sample_sqlite(source_);
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-QUIET"}).exit_code, 0);
  {
    SqliteFile archive(archive_);
    archive.exec("UPDATE bru_meta SET value = '99' WHERE key = 'format_version'");
  }
  for (const char* command : {"-LIST", "-VERIFY"}) {
    auto result = run_bru({command, "-FILE", archive_.string()});
    EXPECT_EQ(result.exit_code, 6) << command;
    EXPECT_NE(result.err.find("format version 99; this bru reads versions 1 to " +
                              std::to_string(archive::kFormatVersion)),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("hint: "), std::string::npos) << result.err;
  }
  auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string()});
  EXPECT_EQ(restore.exit_code, 6) << restore.err;
  EXPECT_FALSE(std::filesystem::exists(target_));
}

TEST_F(SqliteCli, BackupOfAMissingFileCreatesNothing) {
  auto result = run_bru({"-BACKUP", "-DB", conn(dir_ / "typo.sqlite"), "-FILE", archive_.string()});
  EXPECT_EQ(result.exit_code, 13) << result.err;
  EXPECT_NE(result.err.find("typo.sqlite"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "typo.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(archive_));
}

TEST_F(SqliteCli, UsageErrorsSayWhatToDo) {
  auto none = run_bru({"-FILE", "x.DB"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "error: no command given\nhint: give exactly one of -BACKUP, -RESTORE, "
                      "-LIST, -VERIFY, -UPDATE, -INFO, -VALIDATE, -UNDO, -GETVERSION, -BASELINE, "
                      "-MIGRATE; bru --help lists them\n");
  auto missing = run_bru({"-backup", "-file", "x.DB"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "error: -BACKUP needs -DB <conn>\nhint: e.g. bru -BACKUP -DB "
                         "\"sqlite;app.sqlite\" -FILE app.DB\n");
  auto absent = run_bru({"-LIST", "-FILE", (dir_ / "absent.DB").string()});
  EXPECT_EQ(absent.exit_code, 13) << absent.err;
}

}  // namespace
}  // namespace bru::test

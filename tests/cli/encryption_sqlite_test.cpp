// Encrypted archives end to end on SQLite (issue 11, item 3): -KEY-FILE / -KEY-ENV on backup,
// -LIST without the key, -VERIFY and -RESTORE with it, a wrong or missing key, a changed byte, and
// bad key files, each with its exit code and whole message.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

const std::string kAuthHint =
    "hint: the archive was changed after it was written; restore it from another copy, or take "
    "a new backup\n";

class EncryptedSqliteCli : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteFile db(source_);
    db.exec(
        "CREATE TABLE payroll_qz (id INTEGER PRIMARY KEY, employee_qz TEXT NOT NULL, "
        "salary_qz INTEGER);"
        "INSERT INTO payroll_qz VALUES (1, 'Wilhelmina Quarterpound', 98765), "
        "(2, 'Bartholomew Sixpence', 43210);");
    write_text(key_, "open sesame\n");
    write_text(wrong_key_, "open sesame!\n");
  }
  std::string conn(const fs::path& path) const { return "sqlite;" + path.string(); }
  RunResult backup() {
    return run_bru({"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string(), "-KEY-FILE",
                    key_.string(), "-QUIET"});
  }
  std::string quoted() const { return "\"" + archive_.string() + "\""; }

  ScratchDir dir_;
  fs::path source_ = dir_ / "payroll.sqlite";
  fs::path archive_ = dir_ / "payroll.DB";
  fs::path target_ = dir_ / "target.sqlite";
  fs::path key_ = dir_ / "payroll.key";
  fs::path wrong_key_ = dir_ / "wrong.key";
};

TEST_F(EncryptedSqliteCli, BackupListVerifyRestoreWithTheKey) {
  const auto backed_up = backup();
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;

  const std::string bytes = read_text(archive_);
  for (const std::string needle :
       {"payroll_qz", "employee_qz", "salary_qz", "Wilhelmina", "Bartholomew", "payroll.sqlite"}) {
    EXPECT_EQ(bytes.find(needle), std::string::npos) << needle << " is in the archive";
  }

  const auto locked = run_bru({"-LIST", "-FILE", archive_.string()});
  ASSERT_EQ(locked.exit_code, 0) << locked.err;
  EXPECT_NE(locked.out.find("encryption      XChaCha20-Poly1305, key from the passphrase by "
                            "Argon2id; table of contents authenticated\n"),
            std::string::npos)
      << locked.out;
  EXPECT_NE(locked.out.find("\n1 tables, 2 rows, "), std::string::npos) << locked.out;
  EXPECT_NE(locked.out.find("the table names, the source and the data are encrypted: give "
                            "-KEY-FILE or -KEY-ENV to list the tables\n"),
            std::string::npos)
      << locked.out;
  EXPECT_EQ(locked.out.find("payroll_qz"), std::string::npos) << locked.out;

  const auto listed = run_bru({"-LIST", "-FILE", archive_.string(), "-KEY-FILE", key_.string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("payroll_qz "), std::string::npos) << listed.out;

  const auto verified =
      run_bru({"-VERIFY", "-FILE", archive_.string(), "-KEY-FILE", key_.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;

  const auto restored = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(),
                                 "-KEY-ENV", "PAYROLL_KEY", "-QUIET"},
                                {"PAYROLL_KEY=open sesame"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  SqliteFile target(target_);
  EXPECT_EQ(target.rows("SELECT * FROM payroll_qz ORDER BY id"),
            SqliteFile(source_).rows("SELECT * FROM payroll_qz ORDER BY id"));
}

TEST_F(EncryptedSqliteCli, WrongKeyIsExit5ForEveryReader) {
  ASSERT_EQ(backup().exit_code, 0);
  const std::string expected =
      "error: archive " + quoted() +
      ": authentication failed: the key does not open this archive (wrong key, or its key check "
      "was changed)\n"
      "hint: give the -KEY-FILE or -KEY-ENV the backup was written with\n";
  for (const char* command : {"-LIST", "-VERIFY"}) {
    const auto result =
        run_bru({command, "-FILE", archive_.string(), "-KEY-FILE", wrong_key_.string()});
    EXPECT_EQ(result.exit_code, 5) << command;
    EXPECT_EQ(result.err, expected) << command;
  }
  const auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(),
                                "-KEY-FILE", wrong_key_.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 5);
  EXPECT_EQ(restore.err, expected);
  EXPECT_FALSE(fs::exists(target_)) << "a refused restore must not create the target";
}

TEST_F(EncryptedSqliteCli, NoKeyForVerifyOrRestoreSaysWhichOptionGivesIt) {
  ASSERT_EQ(backup().exit_code, 0);
  const std::string expected =
      "error: archive " + quoted() +
      " is encrypted and no key was given\n"
      "hint: give the passphrase it was written with: -KEY-FILE <file> or -KEY-ENV <variable>\n";
  const auto verify = run_bru({"-VERIFY", "-FILE", archive_.string()});
  EXPECT_EQ(verify.exit_code, 2);
  EXPECT_EQ(verify.err, expected);
  const auto restore =
      run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 2);
  EXPECT_EQ(restore.err, expected);
}

TEST_F(EncryptedSqliteCli, ChangedByteIsAuthenticationFailed) {
  ASSERT_EQ(backup().exit_code, 0);
  {
    SqliteFile archive(archive_);
    archive.exec(
        "UPDATE bru_chunks SET payload = substr(payload, 1, 40) || "
        "x'5A' || substr(payload, 42) WHERE seq = 0");
  }
  const auto verify = run_bru({"-VERIFY", "-FILE", archive_.string(), "-KEY-FILE", key_.string()});
  EXPECT_EQ(verify.exit_code, 5);
  EXPECT_NE(verify.err.find("authentication failed: table \"payroll_qz\", chunk 0 was changed, "
                            "or moved from another place in the archive"),
            std::string::npos)
      << verify.err;
  {
    SqliteFile archive(archive_);
    archive.exec("UPDATE bru_objects SET rows = 3");
  }
  const auto restore = run_bru({"-RESTORE", "-DB", conn(target_), "-FILE", archive_.string(),
                                "-KEY-FILE", key_.string(), "-QUIET"});
  EXPECT_EQ(restore.exit_code, 5);
  EXPECT_EQ(restore.err, "error: archive " + quoted() +
                             ": authentication failed: the table of contents was changed "
                             "(bru_meta, bru_objects, bru_columns or the chunk index)\n" +
                             kAuthHint);
}

TEST_F(EncryptedSqliteCli, BadKeyFilesAndVariablesAreUsageErrorsWithAHint) {
  const fs::path empty = dir_ / "empty.key";
  write_text(empty, "\n");
  const fs::path unreadable = dir_ / "unreadable.key";
  write_text(unreadable, "secret\n");
  ASSERT_EQ(::chmod(unreadable.c_str(), 0), 0);
  const bool is_root = ::geteuid() == 0;  // root reads any file
  struct Case {
    std::vector<std::string> key_args;
    std::string err;
  };
  std::vector<Case> cases = {
      {{"-KEY-FILE", dir_.path().string()},
       "error: key file \"" + dir_.path().string() +
           "\" is a folder\n"
           "hint: give -KEY-FILE the file that holds the archive's passphrase\n"},
      {{"-KEY-FILE", (dir_ / "missing.key").string()},
       "error: cannot read key file \"" + (dir_ / "missing.key").string() +
           "\": No such file or directory\n"
           "hint: check the path given to -KEY-FILE and that bru may read it\n"},
      {{"-KEY-FILE", empty.string()},
       "error: key file \"" + empty.string() +
           "\" is empty\n"
           "hint: write the archive's passphrase into it (a trailing newline is fine)\n"},
      {{"-KEY-ENV", "BRU_TEST_NO_SUCH_KEY"},
       "error: environment variable \"BRU_TEST_NO_SUCH_KEY\" (-KEY-ENV) is not set\n"
       "hint: export it before running bru, or use -KEY-FILE\n"},
      {{"-KEY-FILE", key_.string(), "-KEY-ENV", "HOME"},
       "error: -KEY-FILE and -KEY-ENV both give the archive key\nhint: give one of them\n"},
  };
  if (!is_root) {
    cases.push_back({{"-KEY-FILE", unreadable.string()},
                     "error: cannot read key file \"" + unreadable.string() +
                         "\": Permission denied\n"
                         "hint: check the path given to -KEY-FILE and that bru may read it\n"});
  }
  for (const Case& bad : cases) {
    std::vector<std::string> args = {"-BACKUP", "-DB", conn(source_), "-FILE", archive_.string()};
    args.insert(args.end(), bad.key_args.begin(), bad.key_args.end());
    const auto result = run_bru(args);
    EXPECT_EQ(result.exit_code, 2) << bad.key_args[0];
    EXPECT_EQ(result.err, bad.err) << bad.key_args[0];
    EXPECT_FALSE(fs::exists(archive_));
  }
}

TEST_F(EncryptedSqliteCli, AKeyOutsideTheArchiveCommandsIsRefused) {
  const auto result = run_bru({"-GETVERSION", "-DB", conn(source_), "-KEY-FILE", key_.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: -KEY-FILE and -KEY-ENV apply to -BACKUP, -RESTORE, -LIST and -VERIFY only\n"
            "hint: they give the passphrase of an encrypted archive\n");
}

}  // namespace
}  // namespace bru::test

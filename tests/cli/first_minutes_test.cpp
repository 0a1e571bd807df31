// The first minutes of a new user (issue 6, item 4), end to end with no server: dialect words
// bru knows only for some commands and near misses of them, a folder or an unreadable file where
// a file is expected, a ';' in an ODBC password, and control characters in names in -LIST.
// Each compares the exit code and the whole of stderr.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

const std::string kAllForms =
    "hint: the forms are postgres;<server[:port]>;<database>;<user>;<password>, "
    "mssql;<server>;<database>;<user>;<password>, oracle;<database>;<user>;<password>, "
    "sqlite;<file>, mariadb;<server[:port]>;<database>;<user>;<password>, "
    "odbc;<ODBC connection string or DSN=...>\n";

class FirstMinutes : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::filesystem::path source_ = dir_ / "source.sqlite";
  std::string archive_ = (dir_ / "app.DB").string();
};

TEST_F(FirstMinutes, AnOracleBackupGoesOnToItsDriver) {
  // Oracle backs up now: without its ODBC driver (none is installed here) the backup gets as far
  // as connecting and says what is missing (exit 3), instead of refusing the dialect (exit 2).
  const auto result = run_bru({"-BACKUP", "-DB", "oracle;APP;bru;secret", "-FILE", archive_});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err.rfind("error: cannot connect to oracle://bru@APP: ", 0), 0u) << result.err;
  EXPECT_FALSE(std::filesystem::exists(archive_));
}

TEST_F(FirstMinutes, NearMissesOfAnEngineWordSuggestTheRightOne) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"mssqlserver", "mssql"}, {"postgre", "postgres"},   {"maria", "mariadb"},
      {"sqlit", "sqlite"},      {"Postgress", "postgres"},
  };
  for (const auto& [word, dialect] : cases) {
    const auto result = run_bru({"-BACKUP", "-DB", word + ";h;app;bru;secret", "-FILE", archive_});
    EXPECT_EQ(result.exit_code, 2) << word;
    EXPECT_EQ(result.err, "error: unknown database engine \"" + word +
                              "\" in the connection string\n"
                              "hint: did you mean " +
                              dialect + "?\n" + kAllForms)
        << word;
  }
  const auto far = run_bru({"-BACKUP", "-DB", "db2;h;app;bru;secret", "-FILE", archive_});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.err,
            "error: unknown database engine \"db2\" in the connection string\n" + kAllForms);
}

TEST_F(FirstMinutes, NearMissesOfADialectSuggestTheRightOne) {
  const auto script = dir_ / "update.sql";
  write_text(script, "-- bru:version 1.0\nCREATE TABLE t (id integer);\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"mysql", "mariadb"},     {"pgsql", "postgres"},  {"postgresql", "postgres"},
      {"mssqlserver", "mssql"}, {"sqlserver", "mssql"}, {"sqlite3", "sqlite"},
      {"oracel", "oracle"},
  };
  for (const auto& [word, dialect] : cases) {
    const auto result =
        run_bru({"-UPDATE", "-DIALECT", word, "-SCRIPT", script.string(), "-DRYRUN"});
    EXPECT_EQ(result.exit_code, 2) << word;
    EXPECT_EQ(result.err, "error: unknown dialect \"" + word +
                              "\"\n"
                              "hint: did you mean " +
                              dialect +
                              "?\n"
                              "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n")
        << word;
  }
}

TEST_F(FirstMinutes, BackupToAFolderIsRefusedBeforeConnecting) {
  // The source does not exist: had bru connected first, the error would be about it.
  const std::string missing_db = "sqlite;" + (dir_ / "missing.sqlite").string();
  const auto folder = dir_.path().string();
  for (const bool force : {false, true}) {
    std::vector<std::string> args = {"-BACKUP", "-DB", missing_db, "-FILE", folder};
    if (force) args.push_back("-FORCE");
    const auto result = run_bru(args);
    EXPECT_EQ(result.exit_code, 7);
    EXPECT_EQ(result.err, "error: cannot write archive \"" + folder +
                              "\": it is a folder\n"
                              "hint: give a file name in -FILE, e.g. " +
                              (dir_ / "backup.DB").string() + "\n");
  }
  const auto nowhere = (dir_ / "no" / "such" / "app.DB").string();
  const auto result = run_bru({"-BACKUP", "-DB", missing_db, "-FILE", nowhere});
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.err, "error: cannot write archive \"" + nowhere + "\": \"" +
                            (dir_ / "no" / "such").string() +
                            "\" does not exist\n"
                            "hint: create the folder first, or give another -FILE\n");
}

// A FIFO (or a device: as root, /dev/null) would be replaced by the archive's final rename.
TEST_F(FirstMinutes, BackupToSomethingNotARegularFileIsRefusedEvenWithForce) {
  const std::string missing_db = "sqlite;" + (dir_ / "missing.sqlite").string();
  const auto fifo = dir_ / "pipe.DB";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto result = run_bru({"-BACKUP", "-DB", missing_db, "-FILE", fifo.string(), "-FORCE"});
  EXPECT_EQ(result.exit_code, 10);
  EXPECT_EQ(result.err, "error: cannot write archive \"" + fifo.string() +
                            "\": it is not a regular file (a device, FIFO or socket), and "
                            "-FORCE would replace it\n"
                            "hint: give a file name in -FILE; to time a backup without keeping "
                            "it, write it to a scratch file and delete that\n");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo)) << "the FIFO is still there";
}

TEST_F(FirstMinutes, ReadersGivenAFolderSaySo) {
  const auto folder = dir_.path().string();
  const std::string expected = "error: cannot open archive \"" + folder +
                               "\": it is a folder\n"
                               "hint: give the archive file in -FILE, not its folder\n";
  for (const char* command : {"-LIST", "-VERIFY"}) {
    const auto result = run_bru({command, "-FILE", folder});
    EXPECT_EQ(result.exit_code, 7) << command;
    EXPECT_EQ(result.err, expected) << command;
  }
  const auto restore =
      run_bru({"-RESTORE", "-DB", "sqlite;" + (dir_ / "new.sqlite").string(), "-FILE", folder});
  EXPECT_EQ(restore.exit_code, 7);
  EXPECT_EQ(restore.err, expected);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "new.sqlite"));
}

TEST_F(FirstMinutes, APasswordFileThatCannotBeReadIsAnError) {
  const std::string conn = "postgres;127.0.0.1;app;bru";
  const auto folder = dir_.path().string();
  auto result = run_bru({"-GETVERSION", "-DB", conn, "-PASSWORD-FILE", folder});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "error: password file \"" + folder +
                            "\" is a folder\n"
                            "hint: give -PASSWORD-FILE the file that holds the password on its "
                            "first line\n");

  const auto missing = (dir_ / "missing.txt").string();
  result = run_bru({"-GETVERSION", "-DB", conn, "-PASSWORD-FILE", missing});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "error: cannot read password file \"" + missing +
                            "\": No such file or directory\n"
                            "hint: check the path given to -PASSWORD-FILE and that bru may read "
                            "it\n");

  const auto empty = dir_ / "empty.txt";
  write_text(empty, "\n");
  result = run_bru({"-GETVERSION", "-DB", conn, "-PASSWORD-FILE", empty.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "error: password file \"" + empty.string() +
                            "\" has an empty first line\n"
                            "hint: write the password on the file's first line (a trailing "
                            "newline is fine)\n");

  // root reads any file whatever its mode, so the mode test is only meaningful for others.
  if (::geteuid() != 0) {
    const auto locked = dir_ / "locked.txt";
    write_text(locked, "secret\n");
    ::chmod(locked.c_str(), 0);
    result = run_bru({"-GETVERSION", "-DB", conn, "-PASSWORD-FILE", locked.string()});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.err, "error: cannot read password file \"" + locked.string() +
                              "\": Permission denied\n"
                              "hint: check the path given to -PASSWORD-FILE and that bru may "
                              "read it\n");
  }
}

TEST_F(FirstMinutes, ASemicolonInAnOdbcPasswordPointsToThePasswordFile) {
  const auto result =
      run_bru({"-GETVERSION", "-DB", "odbc;Driver={PostgreSQL Unicode};UID=bru;PWD=se;cret"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: bad ODBC connection string: part 4 is not KEY=value\n"
            "hint: a value containing ';' must be enclosed in braces, e.g. PWD={a;b}\n"
            "hint: or leave the password out of -DB and give it with -PASSWORD-FILE <file>\n");
}

TEST_F(FirstMinutes, ATimeoutBelowOneSecondHasAHint) {
  const auto result = run_bru({"-GETVERSION", "-DB", "sqlite;x.sqlite", "-TIMEOUT", "0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: -TIMEOUT must be at least 1 second\n"
            "hint: give the seconds to wait for a login, e.g. -TIMEOUT 30 (the default is 15)\n");
}

TEST_F(FirstMinutes, ControlCharactersInNamesAreEscapedInTheListing) {
  {
    SqliteFile db(source_);
    for (const std::string name :
         {"tab\there", "new\nline", "esc\x1B[31mred", "del\x7F", "back\\slash", "caf\xC3\xA9"}) {
      db.exec("CREATE TABLE \"" + name + "\" (id INTEGER PRIMARY KEY, \"col\tumn\" TEXT);");
    }
  }
  const auto backup =
      run_bru({"-BACKUP", "-DB", "sqlite;" + source_.string(), "-FILE", archive_, "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const auto listing = run_bru({"-LIST", "-FILE", archive_});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  const auto table_lines = listing.out.substr(listing.out.find("\ntable ") + 1);
  EXPECT_EQ(
      table_lines,
      "table                                            rows    data MB  stored MB  chunks\n"
      "back\\\\slash                                         0        0.0        0.0       0\n"
      "caf\xC3\xA9                                                0        0.0        0.0       0\n"
      "del\\x7f                                             0        0.0        0.0       0\n"
      "esc\\e[31mred                                        0        0.0        0.0       0\n"
      "new\\nline                                           0        0.0        0.0       0\n"
      "tab\\there                                           0        0.0        0.0       0\n"
      "\n"
      "6 tables, 0 rows, 0.0 MB of data stored in 0.0 MB\n");
  const auto verify = run_bru({"-VERIFY", "-FILE", archive_});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("ok      new\\nline "), std::string::npos) << verify.out;
  EXPECT_EQ(verify.out.find('\x1B'), std::string::npos) << verify.out;
}

TEST_F(FirstMinutes, ANameThatIsNotUtf8IsAClearErrorNotABug) {
  {
    SqliteFile db(source_);
    db.exec("CREATE TABLE \"bad\xFF\xFEname\" (id INTEGER PRIMARY KEY);");
  }
  const auto backup =
      run_bru({"-BACKUP", "-DB", "sqlite;" + source_.string(), "-FILE", archive_, "-QUIET"});
  EXPECT_EQ(backup.exit_code, 11);
  EXPECT_EQ(backup.err,
            "error: cannot back up table \"bad\\xff\\xfename\": a name in its definition (the "
            "table, a column, an index or a key) is not valid UTF-8\n"
            "hint: bru archives hold names as UTF-8: rename it in the source database, or leave "
            "the table out with -EXCLUDE\n");
  EXPECT_FALSE(std::filesystem::exists(archive_));
  EXPECT_FALSE(std::filesystem::exists(archive_ + ".partial"));
}

}  // namespace
}  // namespace bru::test

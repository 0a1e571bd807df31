// The first minutes against real servers (issue 6, item 4): another tool's dump given to -LIST,
// -VERIFY or -RESTORE is named, with the tool to use instead; errors that had no hint (a missing
// schema, an over-long password) get one; and a bru run leaves no driver log files in /tmp. The
// dumps are made here, by pg_dump and mariadb-dump on the test servers.
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

// The test PostgreSQL server's libpq settings for the database `name` (PGHOST/PGPORT come from
// tools/test.sh's env.sh).
void use_postgres(const std::string& name) {
  ::setenv("PGUSER", "bru", 1);
  ::setenv("PGPASSWORD", env("BRU_TEST_PG_PASSWORD").value_or("").c_str(), 1);
  ::setenv("PGHOST", "127.0.0.1", 1);
  ::setenv("PGPORT", env("BRU_TEST_PG_PORT").value_or("").c_str(), 1);
  ::setenv("PGDATABASE", name.c_str(), 1);
}

void run_tool(const std::string& command) { ASSERT_EQ(std::system(command.c_str()), 0) << command; }

class FirstMinutesPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    // One database per test: ctest runs the tests of this file in parallel.
    database_ =
        std::string("bru_fm_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    database_ = database_.substr(0, 63);
    conn_ = create_postgres_database(database_);
    ASSERT_FALSE(conn_.empty());
    auto connection = odbc::Connection::open(odbc::parse_connection(conn_, {}), {});
    connection.execute("CREATE TABLE agent (id integer PRIMARY KEY, name text)");
    connection.execute("INSERT INTO agent VALUES (1, 'Zoë')");
    use_postgres(database_);
  }

  // Runs -LIST, -VERIFY and -RESTORE on path and expects the same refusal from each.
  void expect_refused(const fs::path& path, const std::string& expected_err) {
    const auto target = "sqlite;" + (dir_ / "target.sqlite").string();
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"-LIST", "-FILE", path.string()},
          std::vector<std::string>{"-VERIFY", "-FILE", path.string()},
          std::vector<std::string>{"-RESTORE", "-DB", target, "-FILE", path.string()}}) {
      const auto result = run_bru(args);
      EXPECT_EQ(result.exit_code, 5) << args[0] << " " << path;
      EXPECT_EQ(result.err, expected_err) << args[0] << " " << path;
    }
    EXPECT_FALSE(fs::exists(dir_ / "target.sqlite"));
  }

  std::string pg_dump_refusal(const fs::path& path, const std::string& format) {
    return "error: cannot open archive \"" + path.string() + "\": this is a pg_dump archive (" +
           format +
           " format); use pg_restore\n"
           "hint: pg_restore -d <database> " +
           path.string() + " restores it; pg_restore -l " + path.string() +
           " lists it\n"
           "hint: bru -RESTORE, -LIST and -VERIFY read only archives written by bru -BACKUP\n";
  }

  ScratchDir dir_;
  std::string database_;  // the test's own PostgreSQL (and MariaDB) database
  std::string conn_;      // bru's connection string for it
};

TEST_F(FirstMinutesPostgres, PgDumpCustomFormatIsRecognised) {
  const auto path = dir_ / "app.dump";
  run_tool("pg_dump -Fc -f '" + path.string() + "'");
  expect_refused(path, pg_dump_refusal(path, "custom"));
}

TEST_F(FirstMinutesPostgres, PgDumpTarFormatIsRecognised) {
  const auto path = dir_ / "app.tar";
  run_tool("pg_dump -Ft -f '" + path.string() + "'");
  expect_refused(path, pg_dump_refusal(path, "tar"));
}

TEST_F(FirstMinutesPostgres, PgDumpDirectoryFormatIsRecognised) {
  const auto path = dir_ / "app.dir";
  run_tool("pg_dump -Fd -f '" + path.string() + "'");
  expect_refused(path, pg_dump_refusal(path, "directory"));
}

TEST_F(FirstMinutesPostgres, PgDumpPlainFormatIsRecognised) {
  const auto path = dir_ / "app.sql";
  run_tool("pg_dump -Fp -f '" + path.string() + "'");
  expect_refused(path, "error: cannot open archive \"" + path.string() +
                           "\": this is a pg_dump SQL script (plain format); use psql\n"
                           "hint: psql -d <database> -f " +
                           path.string() +
                           " runs it\n"
                           "hint: bru -RESTORE, -LIST and -VERIFY read only archives written by "
                           "bru -BACKUP\n");
}

TEST_F(FirstMinutesPostgres, MysqldumpIsRecognised) {
  ASSERT_FALSE(create_mariadb_database(database_).empty());
  const auto path = dir_ / "app.sql";
  run_tool("mariadb-dump --defaults-file='" + env("BRU_TEST_MARIADB_CNF").value_or("") + "' " +
           database_ + " > '" + path.string() + "'");
  expect_refused(path, "error: cannot open archive \"" + path.string() +
                           "\": this is a mysqldump SQL script; use mysql\n"
                           "hint: mysql <database> < " +
                           path.string() +
                           " runs it\n"
                           "hint: bru -RESTORE, -LIST and -VERIFY read only archives written by "
                           "bru -BACKUP\n");
}

TEST_F(FirstMinutesPostgres, AMissingSchemaListsTheSchemasThereAre) {
  const auto result =
      run_bru({"-BACKUP", "-DB", conn_, "-SCHEMA", "app", "-FILE", (dir_ / "app.DB").string()});
  EXPECT_EQ(result.exit_code, 13);
  EXPECT_EQ(result.err,
            "error: schema \"app\" not found in database \"" + database_ +
                "\"\n"
                "hint: -SCHEMA takes a comma list of the database's schemas: \"public\"\n");
  EXPECT_FALSE(fs::exists(dir_ / "app.DB"));
}

TEST_F(FirstMinutesPostgres, AnOverLongPasswordIsRefusedWithAHint) {
  const auto password_file = dir_ / "password.txt";
  write_text(password_file, std::string(40000, 'x') + "\n");
  const auto conn =
      "postgres;127.0.0.1:" + env("BRU_TEST_PG_PORT").value_or("") + ";" + database_ + ";bru";
  const auto result =
      run_bru({"-GETVERSION", "-DB", conn, "-PASSWORD-FILE", password_file.string()});
  // The string bru builds holds the driver options too: its length as bru's own parser makes it.
  odbc::ConnectOptions options;
  options.password = std::string(40000, 'x');
  const auto length = odbc::parse_connection(conn, options).connection_string.size();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: the ODBC connection string for postgres://bru@127.0.0.1:" +
                env("BRU_TEST_PG_PORT").value_or("") + "/" + database_ + " is " +
                std::to_string(length) +
                " characters long; ODBC takes at most 32767\n"
                "hint: a password or value that long cannot reach the driver: check what -DB, "
                "-PASSWORD-FILE (its first line) or BRU_PASSWORD hold\n");
}

// psqlODBC names its log /tmp/psqlodbc_<program>_<user><pid>.log; other processes write such
// files at the same time, and an old one may carry a pid used again since: only a file ending in
// this run's user and pid, and written since the run began, counts.
std::set<std::string> driver_logs_of(int pid, fs::file_time_type run_began) {
  const passwd* user = ::getpwuid(::geteuid());
  const std::string suffix =
      std::string(user != nullptr ? user->pw_name : "") + std::to_string(pid) + ".log";
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator("/tmp")) {
    const auto name = entry.path().filename().string();
    std::error_code time_error;
    const auto written = fs::last_write_time(entry.path(), time_error);
    if (name.starts_with("psqlodbc_") && name.ends_with(suffix) &&
        (time_error || written >= run_began)) {
      found.insert(name);
    }
  }
  return found;
}

TEST_F(FirstMinutesPostgres, ABruRunLeavesNoDriverLogInTmp) {
  const auto archive = (dir_ / "app.DB").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-GETVERSION", "-DB", conn_},
        std::vector<std::string>{"-BACKUP", "-DB", conn_, "-FILE", archive, "-QUIET"}}) {
    // Whole seconds back: a file system may keep coarser times than the clock reads.
    const auto run_began = fs::file_time_type::clock::now() - std::chrono::seconds(2);
    const auto result = run_bru(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(driver_logs_of(result.pid, run_began), std::set<std::string>{}) << args[0];
  }
}

}  // namespace
}  // namespace bru::test

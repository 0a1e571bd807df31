// Helpers shared by the test binaries: scratch folders, the servers tools/test.sh started, and
// running the built bru binary.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bru::test {

// A fresh folder under the system temp dir, removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The value of an environment variable, or nullopt.
std::optional<std::string> env(const char* name);

// A connection string (bru grammar) to the test PostgreSQL / MariaDB server, from BRU_TEST_PG /
// BRU_TEST_MARIADB. Fails the calling test (via ADD_FAILURE and an empty string) when unset:
// tools/test.sh always sets them, so a missing server is a broken setup, never a skip.
std::string postgres_conn();
std::string mariadb_conn();

// Drops (PostgreSQL: WITH (FORCE)) and creates the database `name` on the test PostgreSQL /
// MariaDB server (BRU_TEST_PG / BRU_TEST_MARIADB) through bru::odbc, and returns a bru connection
// string for it: same server, user and password. `name` is used as an identifier as given
// (keep to letters, digits and '_'; PostgreSQL keeps 63 bytes of it). The PostgreSQL database is
// UTF8 (from template0), the MariaDB one utf8mb4. Fails the calling test and returns "" when the
// variable is unset; throws bru::Error when the server refuses.
std::string create_postgres_database(const std::string& name);
std::string create_mariadb_database(const std::string& name);

// A fresh, empty database on `engine` ("sqlite", "postgres", "mariadb", or "mariadb-folded": the
// second MariaDB server, with lower_case_table_names = 1, BRU_TEST_MARIADB_FOLDED) for the running
// test, as a bru connection string: the SQLite file `sqlite_file` in `scratch`, or a server
// database named `prefix` + the test's name in lower case, other characters as '_', cut at 60
// bytes (one database per test: ctest runs tests in parallel). Fails and throws as create_*_database.
std::string fresh_database(const std::string& engine, const std::string& prefix,
                           const ScratchDir& scratch, const std::string& sqlite_file);

struct RunResult {
  int exit_code = -1;
  int pid = 0;  // the process id bru ran with (what its drivers name their files after)
  long max_rss_kib = 0;  // the process's peak resident set (wait4 rusage ru_maxrss), KiB
  std::string out;
  std::string err;
};

// Runs the built bru binary (BRU_BINARY) with the arguments, no shell, stdin from /dev/null, in
// this process's environment plus extra_env ("NAME=value" entries, replacing inherited ones).
RunResult run_bru(const std::vector<std::string>& args,
                  const std::vector<std::string>& extra_env = {});
// `bru -BACKUP -DB conn -FILE <dir>/<name>.DB -QUIET`, the test failing (EXPECT) unless it exits
// 0; returns the archive's path.
std::string back_up(const std::string& conn, const ScratchDir& dir, const std::string& name);
// Runs another program (a full path: the server's own tools, /usr/bin/pg_dump) the same way.
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& extra_env = {});
// Runs the built bru-sample binary (BRU_SAMPLE_BINARY) the same way.
RunResult run_bru_sample(const std::vector<std::string>& args);

// The whole content of a file ("" when it cannot be read).
std::string read_text(const std::filesystem::path& path);
// Writes text to a file byte for byte (no line-ending translation), replacing it.
void write_text(const std::filesystem::path& path, const std::string& text);

// The built bru binary (BRU_BINARY overrides the one this build made).
std::string bru_binary();

// Path to a file in the source tree.
std::filesystem::path source_path(const std::string& relative);

// Expects the source tree's file `relative` to hold exactly `generated`; with
// BRU_REGENERATE_GOLDEN set it is rewritten first (review the diff).
void expect_golden(const std::string& relative, const std::string& generated);
// expect_golden of tests/unit/testdata/update_sql/<name>.
void expect_update_sql_golden(const std::string& name, const std::string& generated);
// The same for any file of the source tree, named relative to it.
void expect_golden(const std::string& relative, const std::string& generated);

}  // namespace bru::test

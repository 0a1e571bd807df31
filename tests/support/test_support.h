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

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built bru binary (BRU_BINARY) with the arguments, no shell, stdin from /dev/null.
RunResult run_bru(const std::vector<std::string>& args,
                  const std::vector<std::string>& extra_env = {});

// Path to a file in the source tree / in shared/fixtures.
std::filesystem::path source_path(const std::string& relative);
std::filesystem::path fixture_path(const std::string& relative);

}  // namespace bru::test

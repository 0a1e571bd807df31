#include "support/test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bru/odbc/connection.h"

extern char** environ;

namespace bru::test {

ScratchDir::ScratchDir() {
  std::random_device random;
  const auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("bru-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(path_)) break;
  }
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

namespace {
std::string required_env(const char* name) {
  auto value = env(name);
  if (!value) {
    ADD_FAILURE() << name << " is not set: run the tests through tools/test.sh, which starts the "
                  << "servers and sets it";
    return {};
  }
  return *value;
}

}  // namespace

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string postgres_conn() { return required_env("BRU_TEST_PG"); }
std::string mariadb_conn() { return required_env("BRU_TEST_MARIADB"); }

namespace {
// `conn` (engine;server;database;user;password) with its database part replaced.
std::string with_database(const std::string& conn, const std::string& database) {
  const auto server_start = conn.find(';');
  const auto database_start = server_start == std::string::npos ? server_start : conn.find(';', server_start + 1);
  if (database_start == std::string::npos) {
    throw std::runtime_error("the test server's connection string has no <database> part");
  }
  const auto database_end = conn.find(';', database_start + 1);
  return conn.substr(0, database_start + 1) + database +
         (database_end == std::string::npos ? std::string() : conn.substr(database_end));
}

std::string recreate_database(const std::string& conn, const std::string& name,
                              const std::vector<std::string>& statements) {
  if (conn.empty()) return {};
  const odbc::ConnectOptions options;
  auto connection = odbc::Connection::open(odbc::parse_connection(conn, options), options);
  for (const auto& statement : statements) connection.execute(statement);
  return with_database(conn, name);
}
}  // namespace

std::string create_postgres_database(const std::string& name) {
  return recreate_database(postgres_conn(), name,
                           {"DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)",
                            "CREATE DATABASE \"" + name + "\" TEMPLATE template0 ENCODING 'UTF8'"});
}

namespace {
std::string recreate_mariadb_database(const std::string& server, const std::string& name) {
  return recreate_database(server, name,
                           {"DROP DATABASE IF EXISTS `" + name + "`",
                            "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4"});
}
}  // namespace

std::string create_mariadb_database(const std::string& name) {
  return recreate_mariadb_database(mariadb_conn(), name);
}

std::string fresh_database(const std::string& engine, const std::string& prefix,
                           const ScratchDir& scratch, const std::string& sqlite_file) {
  if (engine == "sqlite") return "sqlite;" + (scratch / sqlite_file).string();
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = prefix;
  for (const char c : std::string(test->name())) {
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  // Cut to the engines' limits (63 and 64 bytes), a long name ends in a hash of the whole test
  // name: two tests whose names differ only past the cut (a parameter, "/auto" and "/odbc") run
  // at the same time under ctest -j and must not share, and drop, one database.
  if (name.size() > 60) {
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : prefix + test->test_suite_name() + "." + test->name()) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    name = fmt::format("{}_{:08x}", name.substr(0, 51), hash);
  }
  if (engine == "postgres") return create_postgres_database(name);
  if (engine == "mariadb-folded") {
    return recreate_mariadb_database(required_env("BRU_TEST_MARIADB_FOLDED"), name);
  }
  return create_mariadb_database(name);
}

namespace {

// Runs binary with the arguments, no shell, stdin from /dev/null; stdout and stderr collected.
RunResult run_binary(const std::string& binary, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env) {
  ScratchDir scratch;
  const auto out_path = scratch / "stdout";
  const auto err_path = scratch / "stderr";

  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // extra_env replaces a variable of the same name: getenv() would find the inherited one first.
  auto replaced = [&](const std::string& entry) {
    const auto name = entry.substr(0, entry.find('=') + 1);
    return std::any_of(extra_env.begin(), extra_env.end(),
                       [&](const std::string& extra) { return extra.rfind(name, 0) == 0; });
  };
  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!replaced(*entry)) env_storage.emplace_back(*entry);
  }
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);

  RunResult result;
  result.max_rss_kib = usage.ru_maxrss;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.pid = static_cast<int>(pid);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

}  // namespace

RunResult run_bru(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  return run_binary(bru_binary(), args, extra_env);
}

std::string back_up(const std::string& conn, const ScratchDir& dir, const std::string& name) {
  const auto archive = (dir / (name + ".DB")).string();
  const auto backup = run_bru({"-BACKUP", "-DB", conn, "-FILE", archive, "-QUIET"});
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  return archive;
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& extra_env) {
  return run_binary(program, args, extra_env);
}

RunResult run_bru_sample(const std::vector<std::string>& args) {
  return run_binary(env("BRU_SAMPLE_BINARY").value_or(BRU_TEST_SAMPLE_BINARY), args, {});
}

std::string bru_binary() { return env("BRU_BINARY").value_or(BRU_TEST_BINARY); }

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(env("BRU_SOURCE_DIR").value_or(BRU_TEST_SOURCE_DIR)) / relative;
}

void expect_update_sql_golden(const std::string& name, const std::string& generated) {
  expect_golden("tests/unit/testdata/update_sql/" + name, generated);
}

void expect_golden(const std::string& relative, const std::string& generated) {
  const auto path = source_path(relative);
  if (std::getenv("BRU_REGENERATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << generated;
  }
  EXPECT_EQ(read_text(path), generated) << "golden file " << path
                                        << " differs; BRU_REGENERATE_GOLDEN=1 rewrites it";
}

}  // namespace bru::test

#include "support/test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

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

std::string create_mariadb_database(const std::string& name) {
  return recreate_database(mariadb_conn(), name,
                           {"DROP DATABASE IF EXISTS `" + name + "`",
                            "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4"});
}

RunResult run_bru(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  const auto binary = bru_binary();
  ScratchDir scratch;
  const auto out_path = scratch / "stdout";
  const auto err_path = scratch / "stderr";

  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) env_storage.emplace_back(*entry);
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
  waitpid(pid, &status, 0);

  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.pid = static_cast<int>(pid);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

std::string bru_binary() { return env("BRU_BINARY").value_or(BRU_TEST_BINARY); }

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(env("BRU_SOURCE_DIR").value_or(BRU_TEST_SOURCE_DIR)) / relative;
}

std::filesystem::path fixture_path(const std::string& relative) {
  const auto path =
      std::filesystem::path(env("BRU_FIXTURES").value_or(BRU_TEST_FIXTURES)) / relative;
  if (!std::filesystem::exists(path)) {
    throw std::runtime_error("fixture " + path.string() + " is missing: shared/ must sit beside "
                             "the repository");
  }
  return path;
}

}  // namespace bru::test

// Which password variables apply when bru connects (bru --help, "environment"): bru's own sources
// first (-PASSWORD-FILE/-PASSWORD-ENV, the -DB string, BRU_PASSWORD); when none gives one, bru
// passes no password and the driver's fallbacks apply: libpq's PGPASSWORD and PGPASSFILE for
// PostgreSQL, Connector/C's MYSQL_PWD for MariaDB. Against the real servers tools/test.sh starts.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace bru::test {
namespace {

// A bru connection string split into everything before the password and the password.
struct SplitConn {
  std::string without_password;  // "postgres;host:port;db;user;"
  std::string password;
};

SplitConn split_password(const std::string& conn) {
  const auto last = conn.rfind(';');
  return {conn.substr(0, last + 1), conn.substr(last + 1)};
}

// The environment of every run: no password anywhere unless the test adds one, whatever the
// caller's shell or home folder holds.
std::vector<std::string> no_passwords(std::vector<std::string> extra = {}) {
  std::vector<std::string> env = {
      "BRU_PASSWORD=", "PGPASSWORD=", "MYSQL_PWD=", "PGPASSFILE=/nonexistent/bru-test-pgpass"};
  // Later entries replace earlier ones of the same name.
  for (const auto& entry : extra) {
    const auto name = entry.substr(0, entry.find('=') + 1);
    std::erase_if(env, [&](const std::string& old) { return old.rfind(name, 0) == 0; });
    env.push_back(entry);
  }
  return env;
}

// -GETVERSION only connects and reads: what a login needs, nothing more.
RunResult get_version(const std::string& conn, const std::vector<std::string>& env) {
  return run_bru({"-GETVERSION", "-DB", conn}, env);
}

void expect_logs_in(const std::string& conn, const std::vector<std::string>& env) {
  const auto result = get_version(conn, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

TEST(DriverPasswordTest, PostgresTakesPgpasswordWhenBruHasNoPassword) {
  const auto conn = split_password(postgres_conn());
  ASSERT_FALSE(conn.password.empty());
  expect_logs_in(conn.without_password, no_passwords({"PGPASSWORD=" + conn.password}));
}

TEST(DriverPasswordTest, PostgresTakesThePasswordFileWhenBruHasNoPassword) {
  const auto conn = split_password(postgres_conn());
  ScratchDir scratch;
  const auto pgpass = scratch / "pgpass";
  write_text(pgpass, "*:*:*:bru:" + conn.password + "\n");
  std::filesystem::permissions(
      pgpass, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  expect_logs_in(conn.without_password, no_passwords({"PGPASSFILE=" + pgpass.string()}));
}

TEST(DriverPasswordTest, PostgresWithNoPasswordAnywhereSaysNoPasswordSupplied) {
  const auto conn = split_password(postgres_conn());
  // "postgres;<host>:<port>;<db>;<user>;"
  const auto host_port = conn.without_password.substr(9, conn.without_password.find(';', 9) - 9);
  const auto host = host_port.substr(0, host_port.rfind(':'));
  const auto port = host_port.substr(host_port.rfind(':') + 1);
  const auto result = get_version(conn.without_password, no_passwords());
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err, "error: cannot connect to postgres://bru@" + host_port +
                            "/brutest: connection to server at \"" + host + "\", port " + port +
                            " failed: fe_sendauth: no password supplied\n"
                            "detail: SQLSTATE 08001 (native 101)\n"
                            "hint: check the user and password (the password comes from the "
                            "connection string, -PASSWORD-FILE <file> or the BRU_PASSWORD "
                            "environment variable)\n");
}

TEST(DriverPasswordTest, BruPasswordWinsOverPgpassword) {
  const auto conn = split_password(postgres_conn());
  const auto result =
      get_version(conn.without_password,
                  no_passwords({"BRU_PASSWORD=not-the-password-7", "PGPASSWORD=" + conn.password}));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("FATAL: password authentication failed for user \"bru\""),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("not-the-password-7"), std::string::npos) << result.err;
}

TEST(DriverPasswordTest, MariadbTakesMysqlPwdWhenBruHasNoPassword) {
  const auto conn = split_password(mariadb_conn());
  ASSERT_FALSE(conn.password.empty());
  expect_logs_in(conn.without_password, no_passwords({"MYSQL_PWD=" + conn.password}));
  const auto without = get_version(conn.without_password, no_passwords());
  EXPECT_EQ(without.exit_code, 3) << without.err;
}

}  // namespace
}  // namespace bru::test

// The ODBC layer against real drivers and servers: SQLite files through the SQLite3 ODBC driver,
// and the PostgreSQL and MariaDB servers tools/test.sh starts (BRU_TEST_PG, BRU_TEST_MARIADB).
// Each test body runs once per engine, in a database of its own.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::odbc {
namespace {

const std::string kLoginHint =
    "check the user and password (the password comes from the connection string, "
    "-PASSWORD-FILE <file> or the BRU_PASSWORD environment variable)";
const std::string kUnreachableHint =
    "check host and port, that the server runs and accepts TCP connections";
const std::string kTimeoutHint =
    "-TIMEOUT <seconds> sets how long bru waits for the server to answer";
const std::string kTableHint =
    "check the table name and its schema (quoted names are case-sensitive)";

// A TCP port on 127.0.0.1 that completes the kernel's handshake but whose owner never answers:
// what a hung server or a firewall that drops packets looks like to a client. The backlog of
// one is filled by the first client; later SYNs are dropped, like a black hole.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(fd_, 0) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot open a listening socket";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A port on 127.0.0.1 with nothing listening (taken from the kernel, then released).
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), length);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Deterministic text of `bytes` bytes with 1-, 2-, 3- and 4-byte UTF-8 characters.
std::string utf8_text(std::size_t bytes) {
  const std::string pattern = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";  // a é € 😀 z
  std::string text;
  text.reserve(bytes + pattern.size());
  while (text.size() + pattern.size() <= bytes) text += pattern;
  while (text.size() < bytes) text += 'q';
  return text;
}

std::string binary_bytes(std::size_t bytes) {
  std::string data(bytes, '\0');
  for (std::size_t idx = 0; idx < bytes; ++idx)
    data[idx] = static_cast<char>((idx * 7 + idx / 256) % 256);
  return data;
}

class OdbcLayerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // One database per test: bru_odbc_<test>_<engine>.
    conn_text_ = test::fresh_database(engine(), "bru_odbc_", scratch_, "layer.db");
    ASSERT_FALSE(conn_text_.empty());
  }

  const std::string& engine() const { return GetParam(); }

  Connection open(const ConnectOptions& options = {}) {
    return Connection::open(parse_connection(conn_text_, options), options);
  }

  // The connect error for `text`; fails the test when connecting succeeds.
  static Error connect_error(const std::string& text, const ConnectOptions& options = {}) {
    try {
      Connection::open(parse_connection(text, options), options);
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "connected to " << parse_connection(text, options).display;
    return Error(ErrorKind::kInternal, "no error");
  }

  static Error database_error(Connection& connection, const std::string& sql) {
    try {
      connection.statement().exec_direct(sql);
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "statement succeeded: " << sql;
    return Error(ErrorKind::kInternal, "no error");
  }

  std::string big_table_sql() const {
    if (engine() == "postgres") return "CREATE TABLE big (id integer, body text, data bytea)";
    if (engine() == "mariadb") return "CREATE TABLE big (id integer, body longtext, data longblob)";
    return "CREATE TABLE big (id INTEGER, body TEXT, data BLOB)";
  }

  // conn_text_ with its password part replaced (server engines).
  std::string with_password(const std::string& password) const {
    return conn_text_.substr(0, conn_text_.rfind(';') + 1) + password;
  }

  test::ScratchDir scratch_;
  std::string conn_text_;
};

TEST_P(OdbcLayerTest, ConnectsAndKnowsTheServer) {
  auto connection = open();
  EXPECT_EQ(connection.target().dialect, engine());
  EXPECT_EQ(dialect_of_dbms(connection.dbms_name()), engine()) << connection.dbms_name();
  EXPECT_FALSE(connection.dbms_version().empty());
  EXPECT_TRUE(connection.autocommit());

  ConnectionRunner runner(connection);
  const auto rows = runner.query("SELECT 1, 'x', NULL");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (schema::Row{"1", "x", std::nullopt}));
}

// SIGINT's watcher may SQLCancel a running call only where the driver allows it: sqliteodbc's
// SQLCancel also closes the statement, which freed a running fetch's result (SIGSEGV, exit 139).
TEST_P(OdbcLayerTest, OnlyDriversWhoseCancelIsSafeDuringACallAreCancelled) {
  auto connection = open();
  EXPECT_EQ(connection.statement().cancellable(), engine() != "sqlite");
}

TEST_P(OdbcLayerTest, RunnerBindsTextParametersAndKeepsUnicodeEmptyAndNull) {
  auto connection = open();
  ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE people (id integer, name varchar(50))");
  const std::string name = "J\xC3\xA9r\xC3\xB4me \xF0\x9F\x98\x80";  // Jérôme 😀
  runner.execute("INSERT INTO people (id, name) VALUES (?, ?)", {"1", name});
  runner.execute("INSERT INTO people (id, name) VALUES (?, ?)", {"2", ""});
  runner.execute("INSERT INTO people (id, name) VALUES (3, NULL)");
  EXPECT_EQ(runner.query("SELECT name FROM people WHERE id = ?", {"1"}),
            std::vector<schema::Row>{{name}});
  EXPECT_EQ(runner.query("SELECT id, name FROM people ORDER BY id"),
            (std::vector<schema::Row>{{"1", name}, {"2", ""}, {"3", std::nullopt}}));
  EXPECT_TRUE(runner.query("SELECT name FROM people WHERE id = 99").empty());
}

TEST_P(OdbcLayerTest, TransactionGuardRollsBackUnlessCommitted) {
  auto connection = open();
  ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE ledger (id integer)");
  {
    Transaction transaction(connection);
    EXPECT_FALSE(connection.autocommit());
    runner.execute("INSERT INTO ledger VALUES (1)");
    EXPECT_EQ(runner.query("SELECT count(*) FROM ledger"), std::vector<schema::Row>{{"1"}});
  }  // no commit: rolled back
  EXPECT_TRUE(connection.autocommit());
  EXPECT_EQ(runner.query("SELECT count(*) FROM ledger"), std::vector<schema::Row>{{"0"}});
  {
    Transaction transaction(connection);
    runner.execute("INSERT INTO ledger VALUES (2)");
    transaction.commit();
  }
  EXPECT_TRUE(connection.autocommit());
  // A second connection sees the committed row: it reached the database, not a session cache.
  auto other = open();
  EXPECT_EQ(ConnectionRunner(other).query("SELECT id FROM ledger"),
            std::vector<schema::Row>{{"2"}});

  {
    Transaction transaction(connection);
    runner.execute("INSERT INTO ledger VALUES (3)");
    transaction.rollback();
  }
  EXPECT_EQ(runner.query("SELECT count(*) FROM ledger"), std::vector<schema::Row>{{"1"}});
}

TEST_P(OdbcLayerTest, TransactionGuardRollsBackWhenAnExceptionLeavesTheScope) {
  auto connection = open();
  ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE ledger (id integer)");
  try {
    Transaction transaction(connection);
    runner.execute("INSERT INTO ledger VALUES (1)");
    runner.execute("INSERT INTO no_such_table VALUES (1)");
    transaction.commit();
    ADD_FAILURE() << "the insert into a missing table succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kDatabase);
  }
  EXPECT_TRUE(connection.autocommit());
  EXPECT_EQ(runner.query("SELECT count(*) FROM ledger"), std::vector<schema::Row>{{"0"}});
}

TEST_P(OdbcLayerTest, GetDataStreamsValuesLargerThanAMebibyteInPieces) {
  auto connection = open();
  ConnectionRunner runner(connection);
  runner.execute(big_table_sql());
  const std::string body = utf8_text(3u << 20);
  const std::string data = binary_bytes((2u << 20) + 5);
  {
    auto insert = connection.statement();
    insert.prepare("INSERT INTO big (id, body, data) VALUES (1, ?, ?)");
    SQLLEN body_length = static_cast<SQLLEN>(body.size());
    SQLLEN data_length = static_cast<SQLLEN>(data.size());
    ASSERT_TRUE(SQL_SUCCEEDED(SQLBindParameter(
        insert.native(), 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_LONGVARCHAR, body.size(), 0,
        const_cast<char*>(body.data()), body_length, &body_length)));
    ASSERT_TRUE(SQL_SUCCEEDED(SQLBindParameter(
        insert.native(), 2, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_LONGVARBINARY, data.size(), 0,
        const_cast<char*>(data.data()), data_length, &data_length)));
    insert.execute();
  }
  runner.execute("INSERT INTO big (id, body, data) VALUES (2, '', NULL)");

  auto select = connection.statement();
  select.exec_direct("SELECT id, body, data FROM big ORDER BY id");
  ASSERT_EQ(select.column_count(), 3);
  ASSERT_TRUE(select.fetch());
  EXPECT_EQ(select.get_data(1, SQL_C_CHAR), std::optional<std::string>("1"));
  std::size_t pieces = 0;
  std::size_t largest_piece = 0;
  std::string streamed;
  EXPECT_TRUE(select.get_data_pieces(2, SQL_C_CHAR, [&](std::string_view piece) {
    ++pieces;
    largest_piece = std::max(largest_piece, piece.size());
    streamed.append(piece);
  }));
  EXPECT_EQ(streamed.size(), body.size());
  EXPECT_TRUE(streamed == body) << "the text came back changed";
  EXPECT_GE(pieces, body.size() / (64 * 1024));
  EXPECT_LE(largest_piece, 64u * 1024);
  const auto binary = select.get_data(3, SQL_C_BINARY);
  ASSERT_TRUE(binary.has_value());
  EXPECT_EQ(binary->size(), data.size());
  EXPECT_TRUE(*binary == data) << "the bytes came back changed";

  ASSERT_TRUE(select.fetch());
  pieces = 0;
  EXPECT_TRUE(select.get_data_pieces(2, SQL_C_CHAR, [&](std::string_view) { ++pieces; }));
  EXPECT_EQ(pieces, 0u) << "an empty value has no piece";
  EXPECT_EQ(select.get_data(3, SQL_C_BINARY), std::nullopt);
  EXPECT_FALSE(select.fetch());
}

TEST_P(OdbcLayerTest, SyntaxErrorCarriesSqlstateAndNamesTheStatement) {
  auto connection = open();
  const auto error = database_error(connection, "selec 1");
  EXPECT_EQ(error.kind(), ErrorKind::kDatabase);
  EXPECT_TRUE(error.hints().empty());
  if (engine() == "postgres") {
    EXPECT_EQ(error.message(), "cannot execute \"selec 1\": syntax error at or near \"selec\"");
    EXPECT_EQ(error.sqlstate(), "42601");
  } else if (engine() == "mariadb") {
    EXPECT_EQ(
        error.message(),
        "cannot execute \"selec 1\": You have an error in your SQL syntax; check the manual that "
        "corresponds to your MariaDB server version for the right syntax to use near 'selec 1' "
        "at line 1");
    EXPECT_EQ(error.sqlstate(), "42000");
    EXPECT_EQ(error.native_code(), 1064);
  } else {
    EXPECT_EQ(error.message(), "cannot execute \"selec 1\": near \"selec\": syntax error (1)");
    EXPECT_EQ(error.sqlstate(), "HY000");
    EXPECT_EQ(error.native_code(), 1);
  }
}

TEST_P(OdbcLayerTest, UnknownTableHasAHintAndLongStatementsAreCut) {
  auto connection = open();
  const std::string padding(150, 'x');
  const auto error =
      database_error(connection, "\n  SELECT * FROM nosuch -- " + padding + "\n WHERE 1 = 1");
  EXPECT_EQ(error.kind(), ErrorKind::kDatabase);
  EXPECT_EQ(error.hints(), std::vector<std::string>{kTableHint});
  const std::string preview =
      "cannot execute \"SELECT * FROM nosuch -- " + padding.substr(0, 96) + "...\": ";
  if (engine() == "postgres") {
    EXPECT_EQ(error.message(), preview + "relation \"nosuch\" does not exist");
    EXPECT_EQ(error.sqlstate(), "42P01");
  } else if (engine() == "mariadb") {
    EXPECT_EQ(error.message(),
              preview + "Table '" + connection.target().database + ".nosuch' doesn't exist");
    EXPECT_EQ(error.sqlstate(), "42S02");
  } else {
    EXPECT_EQ(error.message(), preview + "no such table: nosuch (1)");
  }
}

TEST_P(OdbcLayerTest, StatementHelpers) {
  auto connection = open();
  ConnectionRunner runner(connection);
  runner.execute("CREATE TABLE counted (id integer)");
  auto statement = connection.statement();
  EXPECT_EQ(statement.exec_direct("INSERT INTO counted VALUES (1), (2), (3)"), SQL_SUCCESS);
  EXPECT_EQ(statement.row_count(), 3);
  // A searched DELETE that finds nothing is not an error.
  const SQLRETURN rc = statement.exec_direct("DELETE FROM counted WHERE id = 42");
  EXPECT_TRUE(rc == SQL_NO_DATA || rc == SQL_SUCCESS) << rc;

  statement.exec_direct("SELECT id FROM counted ORDER BY id");
  ASSERT_TRUE(statement.fetch());
  statement.close_cursor();
  statement.close_cursor();  // no cursor any more: still fine
  statement.prepare("SELECT id FROM counted WHERE id > ? ORDER BY id");
  SQLINTEGER bound = 1;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLBindParameter(statement.native(), 1, SQL_PARAM_INPUT, SQL_C_SLONG,
                                             SQL_INTEGER, 0, 0, &bound, 0, nullptr)));
  statement.execute();
  std::vector<std::string> ids;
  while (statement.fetch()) ids.push_back(*statement.get_data(1, SQL_C_CHAR));
  EXPECT_EQ(ids, (std::vector<std::string>{"2", "3"}));
  statement.close_cursor();
  statement.reset_params();
  statement.unbind();
}

TEST_P(OdbcLayerTest, DriverQuirksAreDetectedAtRunTime) {
  auto connection = open();
  // What the drivers on Debian 12 report; a change here changes how the data path reads LOBs
  // (without SQL_GD_BLOCK, rows holding streamed values are fetched one at a time).
  EXPECT_TRUE(connection.getdata_any_column());
  EXPECT_EQ(connection.getdata_block(), engine() != "sqlite");
}

// Tests of the network and the login: PostgreSQL and MariaDB only.
class OdbcServerTest : public OdbcLayerTest {};

TEST_P(OdbcServerTest, WrongPasswordIsAConnectErrorWithAHintAndWithoutThePassword) {
  const std::string password = "Wrong-Secret-4711";
  const auto target = parse_connection(with_password(password), {});
  const auto error = connect_error(with_password(password));
  EXPECT_EQ(error.kind(), ErrorKind::kConnect);
  EXPECT_EQ(error.hints(), std::vector<std::string>{kLoginHint});
  if (engine() == "postgres") {
    EXPECT_EQ(error.message(),
              fmt::format("cannot connect to {}: connection to server at \"{}\", port {} failed: "
                          "FATAL: password authentication failed for user \"{}\"",
                          target.display, target.host, target.port, target.user));
    EXPECT_EQ(error.sqlstate(), "08001");
  } else {
    // The server names the client host as it resolved it.
    const std::string prefix = fmt::format("cannot connect to {}: Access denied for user '{}'@'",
                                           target.display, target.user);
    EXPECT_EQ(error.message().substr(0, prefix.size()), prefix) << error.message();
    EXPECT_TRUE(error.message().ends_with("' (using password: YES)")) << error.message();
    EXPECT_EQ(error.sqlstate(), "28000");
    EXPECT_EQ(error.native_code(), 1045);
  }
  EXPECT_EQ(error.render().find("Secret"), std::string::npos) << error.render();
}

TEST_P(OdbcServerTest, UnansweredPortFailsWithinTheTimeout) {
  SilentListener listener;
  const auto server = parse_connection(conn_text_, {});
  const std::string text = fmt::format("{};127.0.0.1:{};{};{};pw", engine(), listener.port(),
                                       server.database, server.user);
  ConnectOptions options;
  options.login_timeout_seconds = 3;
  // Two attempts: the first fills the listener's backlog and waits for an answer that never
  // comes; the second's SYN is dropped, as by a black-hole firewall.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    const auto error = connect_error(text, options);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(error.kind(), ErrorKind::kConnect);
    EXPECT_GE(seconds, 2.5) << "attempt " << attempt;
    EXPECT_LT(seconds, 5.0) << "attempt " << attempt;
    EXPECT_EQ(error.hints(), (std::vector<std::string>{kUnreachableHint, kTimeoutHint}));
    const auto display = parse_connection(text, options).display;
    if (engine() == "postgres") {
      EXPECT_EQ(error.message(),
                fmt::format("cannot connect to {}: connection to server at \"127.0.0.1\", "
                            "port {} failed: timeout expired",
                            display, listener.port()));
    } else if (attempt == 1) {
      EXPECT_EQ(
          error.message(),
          fmt::format("cannot connect to {}: Lost connection to server at 'handshake: reading "
                      "initial communication packet', system error: 110",
                      display));
    } else {
      EXPECT_EQ(error.message(),
                fmt::format("cannot connect to {}: Can't connect to server on '127.0.0.1' (110)",
                            display));
    }
  }
}

TEST_P(OdbcServerTest, ClosedPortFailsAtOnce) {
  const auto server = parse_connection(conn_text_, {});
  for (const std::string host : {"127.0.0.1", "127.0.0.2"}) {
    const int port = closed_port();
    const std::string text =
        fmt::format("{};{}:{};{};{};pw", engine(), host, port, server.database, server.user);
    const auto started = std::chrono::steady_clock::now();
    const auto error = connect_error(text);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    EXPECT_EQ(error.kind(), ErrorKind::kConnect);
    EXPECT_EQ(error.hints(), std::vector<std::string>{kUnreachableHint});
    const auto display = parse_connection(text, {}).display;
    if (engine() == "postgres") {
      EXPECT_EQ(error.message(),
                fmt::format("cannot connect to {}: connection to server at \"{}\", port {} failed: "
                            "Connection refused Is the server running on that host and accepting "
                            "TCP/IP connections?",
                            display, host, port));
      EXPECT_EQ(error.sqlstate(), "08001");
    } else {
      EXPECT_EQ(error.message(),
                fmt::format("cannot connect to {}: Can't connect to server on '{}' (115)", display,
                            host));
      EXPECT_EQ(error.native_code(), 2002);
    }
  }
}

TEST_P(OdbcLayerTest, MissingDriverNamesTheInstalledOnes) {
  ConnectOptions options;
  options.driver = "No Such Driver";
  const auto error = connect_error(conn_text_, options);
  EXPECT_EQ(error.kind(), ErrorKind::kConnect);
  EXPECT_EQ(error.message(), "cannot connect to " + parse_connection(conn_text_, options).display +
                                 ": Can't open lib 'No Such Driver' : file not found");
  ASSERT_EQ(error.hints().size(), 1u);
  std::string installed;
  for (const auto& driver : installed_drivers())
    installed += (installed.empty() ? "\"" : ", \"") + driver + "\"";
  EXPECT_EQ(error.hints()[0],
            "install the ODBC driver, or name an installed one with -DRIVER <name>; drivers found "
            "via unixODBC: " +
                installed);
}

TEST_P(OdbcLayerTest, RawOdbcStringConnectsAndLearnsItsDialect) {
  const auto target = parse_connection(conn_text_, {});
  // The same connection as bru built it, given back as a raw string without the driver name:
  // the dialect then comes from SQL_DBMS_NAME.
  std::string raw = "odbc;";
  for (const auto& [key, value] : split_odbc_string(target.connection_string)) {
    raw += key + "=" + odbc_value(value) + ";";
  }
  auto parsed = parse_connection(raw, {});
  EXPECT_EQ(parsed.dialect, engine());
  auto connection = Connection::open(parsed, {});
  EXPECT_EQ(ConnectionRunner(connection).query("SELECT 7"), std::vector<schema::Row>{{"7"}});

  parsed.dialect = "odbc";  // as if the driver name had said nothing
  auto refined = Connection::open(parsed, {});
  EXPECT_EQ(refined.target().dialect, engine());
}

TEST_P(OdbcLayerTest, ConnectionsInParallelThreads) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      try {
        auto connection = open();
        ConnectionRunner runner(connection);
        for (int round = 0; round < 20; ++round) {
          const auto rows = runner.query("SELECT " + std::to_string(thread_idx * 100 + round));
          if (rows != std::vector<schema::Row>{{std::to_string(thread_idx * 100 + round)}})
            ++failures;
        }
      } catch (const Error& error) {
        ADD_FAILURE() << error.render();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, OdbcLayerTest, ::testing::Values("sqlite", "postgres", "mariadb"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });
INSTANTIATE_TEST_SUITE_P(Servers, OdbcServerTest, ::testing::Values("postgres", "mariadb"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// SQLite has no login: what goes wrong is a missing file, when it must exist.
TEST(OdbcLayer, MissingSqliteFileIsNotCreatedWhenItMustExist) {
  test::ScratchDir scratch;
  ConnectOptions options;
  options.create_sqlite_file = false;
  const auto missing = (scratch / "missing.db").string();
  try {
    Connection::open(parse_connection("sqlite;" + missing, options), options);
    ADD_FAILURE() << "connected to a missing file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_EQ(error.message(), "SQLite database file \"" + missing + "\" does not exist");
    EXPECT_EQ(error.hints(),
              std::vector<std::string>{
                  "check the path; bru creates an SQLite file only when restoring into it"});
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(OdbcLayer, InstalledDriversComeFromUnixOdbc) {
  const auto drivers = installed_drivers();
  for (const std::string wanted : {"PostgreSQL Unicode", "MariaDB Unicode", "SQLite3"}) {
    EXPECT_NE(std::find(drivers.begin(), drivers.end(), wanted), drivers.end()) << wanted;
  }
}

TEST(OdbcLayer, SqliteFileInAMissingFolder) {
  test::ScratchDir scratch;
  const auto path = (scratch / "no-such-folder" / "x.db").string();
  try {
    Connection::open(parse_connection("sqlite;" + path, {}), {});
    ADD_FAILURE() << "connected to a file in a missing folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConnect);
    EXPECT_EQ(error.message(), "cannot connect to sqlite:" + path + ": connect failed");
    EXPECT_EQ(error.sqlstate(), "HY000");
    EXPECT_EQ(error.hints(),
              std::vector<std::string>{
                  "check that the folder of the SQLite file exists and that bru may write there"});
  }
}

TEST(OdbcLayer, PostgresSessionCarriesBrusOptions) {
  const std::string conn = test::postgres_conn();
  ASSERT_FALSE(conn.empty());
  auto connection = Connection::open(parse_connection(conn, {}), {});
  ConnectionRunner runner(connection);
  EXPECT_EQ(runner.query("SELECT current_setting('application_name')"),
            std::vector<schema::Row>{{"bru"}});
  // Booleans read as text stay 1/0 whatever BoolsAsChar says; LF is never turned into CR/LF.
  EXPECT_EQ(runner.query("SELECT true, false, 'a' || chr(10) || 'b'"),
            (std::vector<schema::Row>{{"1", "0", "a\nb"}}));
}

// Protocol=7.4-0: psqlODBC adds no savepoint per statement, so a failed statement aborts the
// transaction as in psql, and the next statement says so until the guard rolls back.
TEST(OdbcLayer, PostgresFailedStatementAbortsTheTransaction) {
  const std::string conn = test::postgres_conn();
  ASSERT_FALSE(conn.empty());
  auto connection = Connection::open(parse_connection(conn, {}), {});
  ConnectionRunner runner(connection);
  {
    Transaction transaction(connection);
    EXPECT_THROW(runner.query("SELECT * FROM no_such_table_here"), Error);
    try {
      runner.query("SELECT 1");
      ADD_FAILURE() << "the aborted transaction ran a statement";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kDatabase);
      EXPECT_EQ(error.sqlstate(), "25P02");
      EXPECT_EQ(error.message(),
                "cannot execute \"SELECT 1\": current transaction is aborted, commands ignored "
                "until end of transaction block");
      EXPECT_EQ(error.hints(),
                std::vector<std::string>{"an earlier statement of this transaction failed, so the "
                                         "server aborted it; the first error is the one to fix"});
    }
  }
  EXPECT_EQ(runner.query("SELECT 1"), std::vector<schema::Row>{{"1"}});
}

// psqlODBC as Debian registers it (CommLog=1) logs each connection, password included, into a
// world-readable /tmp/psqlodbc_<program>_<user><pid>.log. The strings bru builds say CommLog=0;
// psqlODBC still writes a "PQfinish: <address>" line at disconnect there (it reads odbcinst.ini's
// CommLog as a process-wide setting), but nothing else. The raw string with CommLog=1 shows what
// the check would catch.
TEST(OdbcLayer, PostgresDriverLogHoldsNoPassword) {
  const std::string conn = test::postgres_conn();
  ASSERT_FALSE(conn.empty());
  // psqlODBC keeps its log open for the life of the process (other tests of this process may
  // have opened it already), so each step reads what was appended since the previous one.
  const std::string suffix = std::to_string(getpid()) + ".log";
  std::vector<std::filesystem::path> logs;
  std::size_t seen = 0;
  auto appended_logs = [&] {
    std::string text;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp")) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with("psqlodbc_") || !name.ends_with(suffix)) continue;
      if (std::find(logs.begin(), logs.end(), entry.path()) == logs.end())
        logs.push_back(entry.path());
      text += read_text(entry.path());
    }
    const std::string added = text.substr(std::min(seen, text.size()));
    seen = text.size();
    return added;
  };
  appended_logs();
  const auto target = parse_connection(conn, {});
  const std::string password = conn.substr(conn.rfind(';') + 1);
  ASSERT_FALSE(password.empty());
  {
    auto connection = Connection::open(target, {});
    ConnectionRunner(connection).query("SELECT 1");
  }
  const std::string logged = appended_logs();
  EXPECT_EQ(logged.find(password), std::string::npos);
  std::istringstream lines(logged);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(line.starts_with("PQfinish: ")) << line;
  }

  std::string raw = "odbc;";
  for (const auto& [key, value] : split_odbc_string(target.connection_string)) {
    raw += key + "=" + (key == "CommLog" ? std::string("1") : odbc_value(value)) + ";";
  }
  {
    auto connection = Connection::open(parse_connection(raw, {}), {});
    ConnectionRunner(connection).query("SELECT 1");
  }
  EXPECT_NE(appended_logs().find(password), std::string::npos)
      << "psqlODBC's CommLog no longer logs the password";
  for (const auto& log : logs) std::filesystem::remove(log);
}

// An odbcinst.ini that turns unixODBC tracing on, written into `dir`, for ODBCSYSINI.
std::filesystem::path tracing_config(const std::filesystem::path& dir) {
  const auto trace = dir / "trace.log";
  std::ofstream ini(dir / "odbcinst.ini");
  ini << read_text("/etc/odbcinst.ini") << "\n[ODBC]\nTrace=Yes\nTraceFile=" << trace.string()
      << "\n";
  return trace;
}

// unixODBC's trace masks PWD=... but not the rest of a braced PWD={...}. bru switches tracing off
// for its connections; the second half shows the trace would otherwise hold the password.
// The connections run in child processes (re-executed, so unixODBC reads ODBCSYSINI afresh). A
// child runs this body again from the top, so it finds the parent's folder in the environment.
TEST(OdbcLayerDeathTest, DriverManagerTraceNeverHoldsThePassword) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  test::ScratchDir scratch;
  const auto trace = tracing_config(scratch.path());
  setenv("BRU_TEST_TRACE_DIR", scratch.path().c_str(), /*overwrite=*/0);  // kept in the child
  auto in_child = [&] {
    const std::filesystem::path parent_dir = std::getenv("BRU_TEST_TRACE_DIR");
    if (parent_dir != scratch.path()) std::filesystem::remove_all(scratch.path());
    setenv("ODBCSYSINI", parent_dir.c_str(), 1);
    return "odbc;Driver={SQLite3};Database=" + (parent_dir / "trace.db").string() +
           ";PWD={t;race-Secret}}0815};";
  };

  EXPECT_EXIT(
      {
        auto connection = Connection::open(parse_connection(in_child(), {}), {});
        ConnectionRunner(connection).query("SELECT 1");
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  const std::string traced = read_text(trace);
  EXPECT_NE(traced.find("SQLAllocHandle"), std::string::npos) << "tracing was not on";
  EXPECT_EQ(traced.find("Secret"), std::string::npos) << traced;
  std::filesystem::remove(trace);

  EXPECT_EXIT(
      {
        const std::string text = parse_connection(in_child(), {}).connection_string;
        SQLHDBC dbc = SQL_NULL_HDBC;
        SQLAllocHandle(SQL_HANDLE_DBC, environment(), &dbc);
        const SQLRETURN rc = SQLDriverConnect(
            dbc, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(text.c_str())), SQL_NTS,
            nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
        std::exit(SQL_SUCCEEDED(rc) ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_NE(read_text(trace).find("Secret"), std::string::npos)
      << "unixODBC now masks braced passwords: the trace switch-off could be dropped";
  unsetenv("BRU_TEST_TRACE_DIR");
}

}  // namespace
}  // namespace bru::odbc

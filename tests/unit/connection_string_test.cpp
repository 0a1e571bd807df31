// bru's connection grammar -> ODBC connection strings, and the hints read from diagnostics.
// No database: drivers are passed as a list, so the results do not depend on the machine.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bru/odbc/connection_string.h"
#include "bru/odbc/handle.h"
#include "schema/error.h"

namespace bru::odbc {
namespace {

const std::vector<std::string> kDrivers = {"PostgreSQL ANSI", "PostgreSQL Unicode",
                                           "MariaDB Unicode", "SQLite", "SQLite3"};

const std::string kPostgresOptions =
    "CommLog=0;Debug=0;UseDeclareFetch=1;Fetch=10000;TextAsLongVarchar=1;UnknownsAsLongVarchar=1;"
    "ByteaAsLongVarBinary=1;BoolsAsChar=0;LFConversion=0;UseServerSidePrepare=1;Protocol=7.4-0;"
    "pqopt={application_name=bru};";
const std::string kSqliteOptions = "StepAPI=1;BigInt=1;NoTXN=0;Timeout=100000;";
const std::string kAllForms =
    "the forms are postgres;<server[:port]>;<database>;<user>;<password>, "
    "mssql;<server>;<database>;<user>;<password>, oracle;<database>;<user>;<password>, "
    "sqlite;<file>, mariadb;<server[:port]>;<database>;<user>;<password>, "
    "odbc;<ODBC connection string or DSN=...>";
const std::string kPostgresForm =
    "the form is postgres;<server[:port]>;<database>;<user>;<password> (the password may instead "
    "come from -PASSWORD-FILE or BRU_PASSWORD)";

// Every test starts without BRU_PASSWORD and leaves the variable as it found it.
class ConnectionStringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* value = std::getenv("BRU_PASSWORD")) saved_ = value;
    unsetenv("BRU_PASSWORD");
  }
  void TearDown() override {
    if (saved_) {
      setenv("BRU_PASSWORD", saved_->c_str(), 1);
    } else {
      unsetenv("BRU_PASSWORD");
    }
  }

  static ConnectTarget parse(const std::string& text, const ConnectOptions& options = {}) {
    return parse_connection(text, options, kDrivers);
  }

  // The usage error for `text`; fails the test if parsing succeeds or throws another kind.
  static Error usage_error(const std::string& text) {
    try {
      parse(text);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage) << error.message();
      return error;
    }
    ADD_FAILURE() << "parse_connection accepted a bad string";
    return Error(ErrorKind::kInternal, "no error");
  }

  std::optional<std::string> saved_;
};

std::string all_text(const Error& error) {
  std::string text = error.message();
  for (const auto& hint : error.hints()) text += "\n" + hint;
  return text;
}

TEST_F(ConnectionStringTest, PostgresWithPortBuildsThePsqlodbcString) {
  const auto target = parse("postgres;127.0.0.1:54329;brutest;bru;brupw");
  EXPECT_EQ(target.dialect, "postgres");
  EXPECT_EQ(target.host, "127.0.0.1");
  EXPECT_EQ(target.port, 54329);
  EXPECT_EQ(target.database, "brutest");
  EXPECT_EQ(target.user, "bru");
  EXPECT_EQ(target.driver, "PostgreSQL Unicode");
  EXPECT_EQ(target.connection_string,
            "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=54329;Database=brutest;UID=bru;"
            "PWD=brupw;" +
                kPostgresOptions);
  EXPECT_EQ(target.display, "postgres://bru@127.0.0.1:54329/brutest");
}

TEST_F(ConnectionStringTest, PostgresDefaultsToPort5432AndAcceptsAliasesInAnyCase) {
  for (const std::string word : {"postgres", "POSTGRES", "PostgreSQL", "pg", "pgsql"}) {
    const auto target = parse(word + ";db.example.com;wfm;bru;pw");
    EXPECT_EQ(target.dialect, "postgres") << word;
    EXPECT_EQ(target.port, 5432) << word;
    EXPECT_EQ(target.display, "postgres://bru@db.example.com:5432/wfm") << word;
  }
}

TEST_F(ConnectionStringTest, PartsAreTrimmedButThePasswordIsKeptAsGiven) {
  const auto target = parse(" postgres ; host ; wfm ; bru ; pass word ");
  EXPECT_EQ(target.host, "host");
  EXPECT_EQ(target.database, "wfm");
  EXPECT_EQ(target.user, "bru");
  EXPECT_NE(target.connection_string.find(";PWD={ pass word };"), std::string::npos)
      << target.connection_string;
}

TEST_F(ConnectionStringTest, PasswordMayHoldSemicolonsAndBracesWhichAreBraced) {
  const auto target = parse("postgres;h;d;u;p;w}x{=");
  EXPECT_NE(target.connection_string.find(";PWD={p;w}}x{=};CommLog=0;"), std::string::npos)
      << target.connection_string;
  EXPECT_EQ(target.display, "postgres://u@h:5432/d");
}

TEST_F(ConnectionStringTest, IpV6AddressesWithAndWithoutPort) {
  auto target = parse("postgres;[::1]:5433;d;u;p");
  EXPECT_EQ(target.host, "::1");
  EXPECT_EQ(target.port, 5433);
  EXPECT_EQ(target.display, "postgres://u@[::1]:5433/d");
  target = parse("postgres;fe80::1;d;u;p");
  EXPECT_EQ(target.host, "fe80::1");
  EXPECT_EQ(target.port, 5432);
}

TEST_F(ConnectionStringTest, PasswordSources) {
  // None given anywhere: no PWD at all.
  auto target = parse("postgres;h;d;u");
  EXPECT_EQ(target.connection_string.find("PWD="), std::string::npos);
  target = parse("postgres;h;d;u;");
  EXPECT_EQ(target.connection_string.find("PWD="), std::string::npos);

  // BRU_PASSWORD fills a missing password but does not replace one in the string.
  setenv("BRU_PASSWORD", "from-env", 1);
  target = parse("postgres;h;d;u");
  EXPECT_NE(target.connection_string.find(";UID=u;PWD=from-env;"), std::string::npos);
  target = parse("postgres;h;d;u;in-string");
  EXPECT_NE(target.connection_string.find(";UID=u;PWD=in-string;"), std::string::npos);

  // -PASSWORD-FILE (options.password) wins over both.
  ConnectOptions options;
  options.password = "from-file";
  target = parse("postgres;h;d;u;in-string", options);
  EXPECT_NE(target.connection_string.find(";UID=u;PWD=from-file;"), std::string::npos);
  EXPECT_EQ(target.connection_string.find("in-string"), std::string::npos);
  EXPECT_EQ(target.display.find("from-file"), std::string::npos);
}

TEST_F(ConnectionStringTest, FetchRowsOption) {
  ConnectOptions options;
  options.postgres_fetch_rows = 100;
  EXPECT_NE(parse("postgres;h;d;u;p", options).connection_string.find(";Fetch=100;"),
            std::string::npos);
}

TEST_F(ConnectionStringTest, MariaDb) {
  ConnectOptions options;
  options.login_timeout_seconds = 3;
  auto target = parse("mariadb;127.0.0.1:3307;wfm;bru;pw", options);
  EXPECT_EQ(target.dialect, "mariadb");
  EXPECT_EQ(target.connection_string,
            "Driver={MariaDB Unicode};Server=127.0.0.1;Port=3307;Database=wfm;UID=bru;PWD=pw;"
            "CHARSET=utf8mb4;CONN_TIMEOUT=3;");
  EXPECT_EQ(target.display, "mariadb://bru@127.0.0.1:3307/wfm");
  target = parse("MySQL;dbhost;wfm;bru;pw");
  EXPECT_EQ(target.port, 3306);
  EXPECT_EQ(target.display, "mariadb://bru@dbhost:3306/wfm");
}

TEST_F(ConnectionStringTest, SqliteFile) {
  auto target = parse("sqlite;/data/wfm.db");
  EXPECT_EQ(target.dialect, "sqlite");
  EXPECT_EQ(target.database, "/data/wfm.db");
  EXPECT_EQ(target.driver, "SQLite3");  // not "SQLite", the SQLite 2 driver
  EXPECT_EQ(target.connection_string, "Driver={SQLite3};Database=/data/wfm.db;" + kSqliteOptions);
  EXPECT_EQ(target.display, "sqlite:/data/wfm.db");

  // Everything after "sqlite;" is the file, ';' included.
  target = parse("SQLite3;/data/a;b.db");
  EXPECT_EQ(target.database, "/data/a;b.db");
  EXPECT_EQ(target.connection_string, "Driver={SQLite3};Database={/data/a;b.db};" + kSqliteOptions);

  ConnectOptions options;
  options.create_sqlite_file = false;
  target = parse("sqlite;x.db", options);
  EXPECT_EQ(target.connection_string,
            "Driver={SQLite3};Database=x.db;" + kSqliteOptions + "NoCreat=1;");
}

TEST_F(ConnectionStringTest, MssqlPicksTheNewestMicrosoftDriver) {
  const std::vector<std::string> drivers = {"FreeTDS", "ODBC Driver 17 for SQL Server",
                                            "ODBC Driver 18 for SQL Server"};
  auto target = parse_connection("mssql;sql01\\INST;wfm;sa;pw", {}, drivers);
  EXPECT_EQ(target.dialect, "mssql");
  EXPECT_EQ(
      target.connection_string,
      "Driver={ODBC Driver 18 for SQL Server};Server=sql01\\INST;Database=wfm;UID=sa;PWD=pw;"
      "APP=bru;");
  EXPECT_EQ(target.display, "mssql://sa@sql01\\INST/wfm");
  EXPECT_EQ(target.port, 1433);

  target = parse_connection("sqlserver;sql01:1444;wfm;sa;pw", {}, drivers);
  EXPECT_EQ(target.connection_string,
            "Driver={ODBC Driver 18 for SQL Server};Server=sql01,1444;Database=wfm;UID=sa;PWD=pw;"
            "APP=bru;");
  EXPECT_EQ(target.display, "mssql://sa@sql01:1444/wfm");

  target = parse_connection("mssql;sql01,1444;wfm;sa;pw", {}, {"FreeTDS"});
  EXPECT_EQ(target.driver, "FreeTDS");
  EXPECT_EQ(target.port, 1444);
  // FreeTDS's own options go only to FreeTDS.
  EXPECT_EQ(target.connection_string,
            "Driver={FreeTDS};Server=sql01,1444;Database=wfm;UID=sa;PWD=pw;APP=bru;"
            "TDS_Version=7.4;ClientCharset=UTF-8;");
  // In an ODBC string the user's keys win.
  target = parse_connection("odbc;Driver={FreeTDS};Server=h;TDS_Version=7.3", {}, {"FreeTDS"});
  EXPECT_EQ(target.connection_string,
            "Driver={FreeTDS};Server=h;TDS_Version=7.3;APP=bru;ClientCharset=UTF-8;");
}

TEST_F(ConnectionStringTest, Oracle) {
  const auto target = parse_connection("oracle;WFMPROD;wfm;pw", {}, {"Oracle 19 ODBC driver"});
  EXPECT_EQ(target.dialect, "oracle");
  EXPECT_EQ(target.connection_string, "Driver={Oracle 19 ODBC driver};DBQ=WFMPROD;UID=wfm;PWD=pw;");
  EXPECT_EQ(target.display, "oracle://wfm@WFMPROD");
}

TEST_F(ConnectionStringTest, WithoutAnInstalledDriverTheUsualNameIsUsed) {
  // Connecting then fails with IM002, whose hint lists the installed drivers and -DRIVER.
  EXPECT_EQ(parse_connection("postgres;h;d;u;p", {}, {}).driver, "PostgreSQL Unicode");
  EXPECT_EQ(parse_connection("mssql;h;d;u;p", {}, {}).driver, "ODBC Driver 18 for SQL Server");
  EXPECT_EQ(parse_connection("oracle;d;u;p", {}, {}).driver, "Oracle");
  // Only the ANSI flavour installed: take it.
  EXPECT_EQ(parse_connection("postgres;h;d;u;p", {}, {"PostgreSQL ANSI"}).driver,
            "PostgreSQL ANSI");
}

TEST_F(ConnectionStringTest, DriverOverride) {
  ConnectOptions options;
  options.driver = "PostgreSQL ANSI";
  const auto target = parse("postgres;h;d;u;p", options);
  EXPECT_EQ(target.driver, "PostgreSQL ANSI");
  EXPECT_EQ(target.connection_string.rfind("Driver={PostgreSQL ANSI};Server=h;", 0), 0u);
}

TEST_F(ConnectionStringTest, RawOdbcStringWithUnknownDsnIsPassedOnWithPasswordMasked) {
  const auto target = parse("odbc;DSN=bru-no-such-dsn;UID=bru;PWD={a;b}");
  EXPECT_EQ(target.dialect, "odbc");
  EXPECT_EQ(target.user, "bru");
  EXPECT_EQ(target.connection_string, "DSN=bru-no-such-dsn;UID=bru;PWD={a;b};");
  EXPECT_EQ(target.display, "odbc:DSN=bru-no-such-dsn;UID=bru;PWD=***");
}

TEST_F(ConnectionStringTest, RawOdbcStringGetsTheDriversOptionsButTheUsersKeysWin) {
  const auto target = parse(
      "odbc;Driver={PostgreSQL Unicode};Server=pg1;Port=5433;Database=wfm;UID=bru;"
      "Password=pw;CommLog=1");
  EXPECT_EQ(target.dialect, "postgres");
  EXPECT_EQ(target.host, "pg1");
  EXPECT_EQ(target.port, 5433);
  EXPECT_EQ(target.database, "wfm");
  EXPECT_EQ(target.connection_string,
            "Driver={PostgreSQL Unicode};Server=pg1;Port=5433;Database=wfm;UID=bru;Password=pw;"
            "CommLog=1;Debug=0;UseDeclareFetch=1;Fetch=10000;TextAsLongVarchar=1;"
            "UnknownsAsLongVarchar=1;ByteaAsLongVarBinary=1;BoolsAsChar=0;LFConversion=0;"
            "UseServerSidePrepare=1;Protocol=7.4-0;pqopt={application_name=bru};");
  EXPECT_EQ(target.display.find("pw;"), std::string::npos) << target.display;
  EXPECT_NE(target.display.find("Password=***"), std::string::npos) << target.display;
}

TEST_F(ConnectionStringTest, RawOdbcStringPasswordSources) {
  setenv("BRU_PASSWORD", "from-env", 1);
  EXPECT_EQ(parse("odbc;DSN=x;UID=u").connection_string, "DSN=x;UID=u;PWD=from-env;");
  EXPECT_EQ(parse("odbc;DSN=x;UID=u;PWD=mine").connection_string, "DSN=x;UID=u;PWD=mine;");
  ConnectOptions options;
  options.password = "from-file";
  EXPECT_EQ(parse("odbc;DSN=x;UID=u;PWD=mine", options).connection_string,
            "DSN=x;UID=u;PWD=from-file;");
}

TEST_F(ConnectionStringTest, EmptyString) {
  const auto error = usage_error("  ");
  EXPECT_EQ(error.message(), "empty connection string");
  EXPECT_EQ(error.hints(), std::vector<std::string>{kAllForms});
}

TEST_F(ConnectionStringTest, UnknownEngineSuggestsTheClosestOne) {
  auto error = usage_error("postgre;h;d;u;secret");
  EXPECT_EQ(error.message(), "unknown database engine \"postgre\" in the connection string");
  EXPECT_EQ(error.hints(), (std::vector<std::string>{"did you mean postgres?", kAllForms}));

  error = usage_error("db2;h;d;u;secret");
  EXPECT_EQ(error.message(), "unknown database engine \"db2\" in the connection string");
  EXPECT_EQ(error.hints(), std::vector<std::string>{kAllForms});
}

TEST_F(ConnectionStringTest, RawOdbcStringWithoutPrefixIsExplained) {
  const auto error = usage_error("DSN=wfm;UID=bru;PWD=secret");
  EXPECT_EQ(error.message(), "the connection string does not start with an engine word");
  EXPECT_EQ(error.hints(),
            (std::vector<std::string>{"to pass an ODBC connection string as it is, start it with "
                                      "\"odbc;\", e.g. odbc;DSN=wfm;UID=bru",
                                      kAllForms}));
}

TEST_F(ConnectionStringTest, MissingParts) {
  auto error = usage_error("postgres;h");
  EXPECT_EQ(error.message(), "incomplete postgres connection string: <database> is missing");
  EXPECT_EQ(error.hints(), std::vector<std::string>{kPostgresForm});

  error = usage_error("postgres;;wfm;bru;secret");
  EXPECT_EQ(error.message(), "incomplete postgres connection string: <server[:port]> is missing");

  error = usage_error("postgres");
  EXPECT_EQ(error.message(), "incomplete postgres connection string: <server[:port]> is missing");

  error = usage_error("mariadb;h;wfm");
  EXPECT_EQ(error.message(), "incomplete mariadb connection string: <user> is missing");
  EXPECT_EQ(error.hints(),
            std::vector<std::string>{
                "the form is mariadb;<server[:port]>;<database>;<user>;<password> "
                "(the password may instead come from -PASSWORD-FILE or BRU_PASSWORD)"});

  error = usage_error("oracle;WFM");
  EXPECT_EQ(error.message(), "incomplete oracle connection string: <user> is missing");

  error = usage_error("mssql;h; ;sa;secret");
  EXPECT_EQ(error.message(), "incomplete mssql connection string: <database> is missing");

  error = usage_error("sqlite;");
  EXPECT_EQ(error.message(), "incomplete sqlite connection string: <file> is missing");
  EXPECT_EQ(error.hints(), std::vector<std::string>{"the form is sqlite;<file>"});

  error = usage_error("odbc");
  EXPECT_EQ(error.message(),
            "incomplete odbc connection string: <ODBC connection string or DSN=...> is missing");
  EXPECT_EQ(error.hints(),
            std::vector<std::string>{"the form is odbc;<ODBC connection string or DSN=...>"});
}

TEST_F(ConnectionStringTest, BadPorts) {
  for (const std::string port : {"abc", "0", "65536", "54a", "-1", ""}) {
    const auto error = usage_error("postgres;h:" + port + ";wfm;bru;secret");
    EXPECT_EQ(error.message(), "bad port \"" + port +
                                   "\" in the postgres connection string: expected a number from 1 "
                                   "to 65535");
    EXPECT_EQ(error.hints(), std::vector<std::string>{kPostgresForm});
  }
  const auto error = usage_error("postgres;[::1;wfm;bru;secret");
  EXPECT_EQ(error.message(),
            "bad server \"[::1\" in the postgres connection string: expected "
            "[address] or [address]:port");
}

TEST_F(ConnectionStringTest, BadRawOdbcStringsNeverEchoValues) {
  auto error = usage_error("odbc;DSN=x;PWD=se;cret");
  EXPECT_EQ(error.message(), "bad ODBC connection string: part 3 is not KEY=value");
  EXPECT_EQ(error.hints(),
            (std::vector<std::string>{
                "a value containing ';' must be enclosed in braces, e.g. PWD={a;b}",
                "or leave the password out of -DB and give it with -PASSWORD-FILE <file>"}));

  error = usage_error("odbc;DSN=x;PWD={secret");
  EXPECT_EQ(error.message(),
            "bad ODBC connection string: the value of PWD opens a brace that is not closed");
  EXPECT_EQ(error.hints(), std::vector<std::string>{
                               "close it with '}', and write a '}' inside a braced value as '}}'"});

  error = usage_error("odbc;DSN=x;PWD={secret}x");
  EXPECT_EQ(error.message(), "bad ODBC connection string: text follows the braced value of PWD");

  error = usage_error("odbc;=secret");
  EXPECT_EQ(error.message(), "bad ODBC connection string: part 1 has no key before '='");
}

TEST_F(ConnectionStringTest, NoErrorMessageOrHintContainsThePassword) {
  for (const std::string text :
       {"postgre;h;d;u;secret", "postgres;h:x;d;u;secret", "postgres;;d;u;secret",
        "odbc;DSN=x;PWD=se;cret", "odbc;DSN=x;PWD={secret", "odbc;PWD=secret;DSN=x;junk",
        "PWD=secret;DSN=x", "secretsecretsecretsecretsecret;x"}) {
    const auto error = usage_error(text);
    EXPECT_EQ(all_text(error).find("secret"), std::string::npos) << all_text(error);
    EXPECT_EQ(all_text(error).find("cret"), std::string::npos) << all_text(error);
  }
}

TEST_F(ConnectionStringTest, DisplayNeverHoldsThePassword) {
  for (const std::string text :
       {"postgres;h;d;u;secret", "mariadb;h;d;u;secret", "mssql;h;d;u;secret", "oracle;d;u;secret",
        "odbc;DSN=x;PWD=secret", "odbc;DSN=x;password={sec;ret}", "postgres;h;d;u;p;secret"}) {
    const auto target = parse(text);
    EXPECT_EQ(target.display.find("secret"), std::string::npos) << target.display;
    EXPECT_EQ(target.display.find("ret"), std::string::npos) << target.display;
  }
}

TEST(OdbcValue, BracesOnlyWhenNeeded) {
  EXPECT_EQ(odbc_value("plain"), "plain");
  EXPECT_EQ(odbc_value(""), "");
  EXPECT_EQ(odbc_value("a;b"), "{a;b}");
  EXPECT_EQ(odbc_value("a}b"), "{a}}b}");
  EXPECT_EQ(odbc_value("{a"), "{{a}");
  EXPECT_EQ(odbc_value("k=v"), "{k=v}");
  EXPECT_EQ(odbc_value(" lead"), "{ lead}");
  EXPECT_EQ(odbc_value("trail "), "{trail }");
}

TEST(OdbcValue, SplitUndoesBracing) {
  const std::string value = " x;}{}}=y ";
  const auto pairs = split_odbc_string("DSN=a; PWD=" + odbc_value(value) + " ;;UID = u ");
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"DSN", "a"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"PWD", value}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"UID", "u"}));
}

TEST(DialectOfDriver, KnownDriversAndProducts) {
  EXPECT_EQ(dialect_of_driver("PostgreSQL Unicode"), "postgres");
  EXPECT_EQ(dialect_of_driver("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so"), "postgres");
  EXPECT_EQ(dialect_of_driver("MariaDB Unicode"), "mariadb");
  EXPECT_EQ(dialect_of_driver("libmaodbc.so"), "mariadb");
  EXPECT_EQ(dialect_of_driver("MySQL ODBC 8.0 Unicode Driver"), "mariadb");
  EXPECT_EQ(dialect_of_driver("SQLite3"), "sqlite");
  EXPECT_EQ(dialect_of_driver("ODBC Driver 18 for SQL Server"), "mssql");
  EXPECT_EQ(dialect_of_driver("FreeTDS"), "mssql");
  EXPECT_EQ(dialect_of_driver("Oracle 19 ODBC driver"), "oracle");
  EXPECT_EQ(dialect_of_driver("Db2"), "odbc");
  EXPECT_EQ(dialect_of_dbms("PostgreSQL"), "postgres");
  EXPECT_EQ(dialect_of_dbms("MariaDB"), "mariadb");
  EXPECT_EQ(dialect_of_dbms("SQLite"), "sqlite");
  EXPECT_EQ(dialect_of_dbms("Microsoft SQL Server"), "mssql");
}

// Hints for diagnostic records, as the drivers here report them.
TEST(DiagnosticHints, WellKnownConditions) {
  const std::string login =
      "check the user and password (the password comes from the connection string, "
      "-PASSWORD-FILE <file> or the BRU_PASSWORD environment variable)";
  const std::string unreachable =
      "check host and port, that the server runs and accepts TCP connections";
  const std::string timeout = "-TIMEOUT <seconds> sets how long bru waits for the server to answer";

  // psqlODBC reports a bad password as 08001 with libpq's text.
  EXPECT_EQ(hints_for({{"08001", 101,
                        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL: password "
                        "authentication failed for user \"bru\""}}),
            std::vector<std::string>{login});
  EXPECT_EQ(hints_for({{"28000", 1045,
                        "Access denied for user 'bru'@'localhost' (using password: YES)"}}),
            std::vector<std::string>{login});
  EXPECT_EQ(hints_for({{"28P01", 0, "x"}}), std::vector<std::string>{login});

  EXPECT_EQ(hints_for({{"08001", 101,
                        "connection to server at \"127.0.0.1\", port 1 failed: "
                        "Connection refused Is the server running on that host and "
                        "accepting TCP/IP connections?"}}),
            std::vector<std::string>{unreachable});
  EXPECT_EQ(hints_for({{"08001", 101,
                        "connection to server at \"127.0.0.1\", port 9 failed: timeout expired"}}),
            (std::vector<std::string>{unreachable, timeout}));
  EXPECT_EQ(hints_for({{"HY000", 2002, "Can't connect to server on '127.0.0.1' (110)"}}),
            (std::vector<std::string>{unreachable, timeout}));
  EXPECT_EQ(hints_for({{"HYT00", 0, "Login timeout expired"}}),
            (std::vector<std::string>{unreachable, timeout}));

  const std::string database =
      "check the database name; a database must exist before bru connects to it";
  EXPECT_EQ(hints_for({{"08001", 101,
                        "connection to server at \"h\", port 5432 failed: FATAL: database "
                        "\"nodb\" does not exist"}}),
            std::vector<std::string>{database});
  EXPECT_EQ(hints_for({{"42000", 1049, "Unknown database 'nodb'"}}),
            std::vector<std::string>{database});

  const std::string table = "check the table name and its schema (quoted names are case-sensitive)";
  EXPECT_EQ(hints_for({{"42P01", 1, "relation \"nosuch\" does not exist"}}),
            std::vector<std::string>{table});
  EXPECT_EQ(hints_for({{"42S02", 1146, "Table 'brutest.nosuch' doesn't exist"}}),
            std::vector<std::string>{table});
  EXPECT_EQ(hints_for({{"HY000", 1, "no such table: nosuch (1)"}}),
            std::vector<std::string>{table});

  EXPECT_EQ(hints_for({{"HY000", 5, "database is locked (5)"}}),
            std::vector<std::string>{"another session holds a lock on it; wait for that session to "
                                     "finish or stop it"});
  EXPECT_EQ(hints_for({{"HY000", 26, "file is not a database (26)"}}),
            std::vector<std::string>{"the file is not an SQLite database (or it is encrypted)"});
  EXPECT_EQ(hints_for({{"42601", 1, "syntax error at or near \"selec\""}}),
            std::vector<std::string>{});
}

TEST(DiagnosticHints, MissingDriverNamesTheInstalledOnesAndDriverSwitch) {
  for (const Diagnostic& record :
       {Diagnostic{"IM002", 0, "Data source name not found and no default driver specified"},
        Diagnostic{"01000", 0, "Can't open lib 'NoSuchDriver' : file not found"}}) {
    const auto hints = hints_for({record});
    ASSERT_EQ(hints.size(), 1u);
    EXPECT_EQ(
        hints[0].rfind("install the ODBC driver, or name an installed one with -DRIVER <name>; "
                       "drivers found via unixODBC: ",
                       0),
        0u)
        << hints[0];
  }
}

}  // namespace
}  // namespace bru::odbc

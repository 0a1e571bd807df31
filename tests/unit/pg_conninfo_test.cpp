// libpq's conninfo for the COPY session of a restore, derived from bru's connection string.
// No database: the driver list is given, so the result does not depend on the machine.
#include <gtest/gtest.h>

#include "bru/odbc/connection_string.h"
#include "bru/pg/session.h"

namespace bru::pg {
namespace {

const std::vector<std::string> kDrivers = {"PostgreSQL Unicode"};

std::string conninfo(const std::string& text, int timeout = 15) {
  return conninfo_of(odbc::parse_connection(text, {}, kDrivers), timeout);
}

TEST(PgConninfo, BrusGrammarGivesHostPortDatabaseUserPasswordAndTimeout) {
  EXPECT_EQ(conninfo("postgres;db.example:6543;sales;alice;secret", 20),
            "host='db.example' port='6543' dbname='sales' user='alice' password='secret' "
            "connect_timeout='20' application_name=bru");
}

TEST(PgConninfo, QuotesAndBackslashesInValuesAreEscaped) {
  // The password is the remainder of the string, ';' included.
  EXPECT_EQ(conninfo("postgres;h;d;u;it's a \\ pass;word"),
            "host='h' port='5432' dbname='d' user='u' password='it\\'s a \\\\ pass;word' "
            "connect_timeout='15' application_name=bru");
}

TEST(PgConninfo, APasswordFromTheOptionsWins) {
  odbc::ConnectOptions options;
  options.password = "from-file";
  const auto target = odbc::parse_connection("postgres;h;d;u;in-string", options, kDrivers);
  EXPECT_NE(conninfo_of(target, 15).find("password='from-file'"), std::string::npos);
}

TEST(PgConninfo, AnOdbcStringKeepsItsSslModeAndPqopt) {
  EXPECT_EQ(conninfo("odbc;Driver={PostgreSQL Unicode};Servername=h;Port=5433;Database=d;UID=u;"
                     "PWD=p;SSLmode=require;pqopt={application_name=etl}",
                     0),
            "host='h' port='5433' dbname='d' user='u' password='p' sslmode='require' "
            "application_name=etl");
}

TEST(PgConninfo, ADsnHasNoConninfoSoTheOdbcPathIsUsed) {
  EXPECT_EQ(conninfo("odbc;DSN=warehouse;UID=u;PWD=p"), "");
}

}  // namespace
}  // namespace bru::pg

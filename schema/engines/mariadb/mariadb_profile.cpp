// MariaDB Connector/ODBC, and why bru sets each option (Debian 12: 3.1.15):
//   CHARSET=utf8mb4         4-byte UTF-8 (emoji) survive.
//   CONN_TIMEOUT=<-TIMEOUT> the driver ignores SQL_ATTR_LOGIN_TIMEOUT: without this a server that
//                           accepts TCP but never answers hangs the connect forever.
//   cancel_during_fetch = false: Connector/ODBC's SQLCancel, when no call holds the connection
//                           (as during a fetch from the stored result), closes the statement:
//                           a fetch running then reads freed rows (SIGSEGV in SQLFetch, seen
//                           on SIGINT during a parallel backup). A statement still running
//                           on the server is still cancelled (InterruptUpdate.* on mariadb).
//   Result-set streaming (NO_CACHE/OPTION bit 20) needs Connector/ODBC 3.1.17; Debian 12 ships
//   3.1.15, which buffers whole result sets.
#include "schema/engines/mariadb/mariadb_profile.h"

namespace bru::schema::dialects {

const DriverProfile& mariadb_driver_profile() {
  static const DriverProfile kProfile{
      .form = "mariadb;<server[:port]>;<database>;<user>;<password>",
      .parts = {"<server[:port]>", "<database>", "<user>", "<password>"},
      .required_parts = 3,
      .locator = Locator::kServer,
      .default_port = 3306,
      .driver_names = {"MariaDB Unicode"},
      .numbered_driver_word = {},
      .driver_words = {"mariadb", "mysql"},
      .fallback_driver = "MariaDB Unicode",
      .recognise_words = {"maria", "mysql", "maodbc"},
      .server_key = "Server",
      .server_value = "{host}",
      .port_key = "Port",
      .database_key = "Database",
      .options = {{"CHARSET", "utf8mb4"},
                  {"CONN_TIMEOUT", "{login_timeout_seconds}", OptionWhen::kLoginTimeoutSet}},
      .display = "mariadb://{user}@{host}:{port}/{database}",
      .cancel_during_fetch = false,
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

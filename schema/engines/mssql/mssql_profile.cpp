// SQL Server: Microsoft's "ODBC Driver <N> for SQL Server" (the newest installed) or FreeTDS.
// SQL Server names a port as "host,port"; an instance ("host\SQLEXPRESS") is left as given, and
// without a port the driver finds it. bru adds no driver options yet.
#include "schema/engines/mssql/mssql_profile.h"

namespace bru::schema::dialects {

const DriverProfile& mssql_driver_profile() {
  static const DriverProfile kProfile{
      .form = "mssql;<server>;<database>;<user>;<password>",
      .parts = {"<server>", "<database>", "<user>", "<password>"},
      .required_parts = 3,
      .locator = Locator::kServer,
      .default_port = 1433,
      .driver_names = {},
      .numbered_driver_word = "sql server",
      .driver_words = {"freetds"},
      .fallback_driver = "ODBC Driver 18 for SQL Server",
      .recognise_words = {"sql server", "msodbcsql", "freetds", "tdsodbc"},
      .server_key = "Server",
      .server_value = "{host}{,port}",
      .port_key = {},
      .database_key = "Database",
      .options = {},
      .display = "mssql://{user}@{host}{:port}/{database}",
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

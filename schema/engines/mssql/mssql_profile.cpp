// SQL Server: Microsoft's "ODBC Driver <N> for SQL Server" (the newest installed) or FreeTDS
// (Debian's tdsodbc). SQL Server names a port as "host,port"; an instance ("host\SQLEXPRESS") is
// left as given, and without a port the driver finds it. NONE OF THIS HAS RUN AGAINST A SERVER:
// the options and quirks below are from the drivers' manuals (FreeTDS User Guide, "ODBC
// connection attributes"; Microsoft's "DSN and connection string keywords" and "ODBC Driver 18
// release notes"), not measured.
//   APP=bru                 both drivers: the program_name DBAs see in sys.dm_exec_sessions, and
//                           what lock_holders_sql() shows of other sessions.
// FreeTDS (options only where the driver's name holds "freetds"):
//   TDS_Version=7.4         the protocol of SQL Server 2012 and later. Below 7.3 the server sends
//                           date, time, datetime2 and datetimeoffset as nvarchar, and below 7.2
//                           varchar(max), nvarchar(max) and varbinary(max) as the old text types,
//                           which the session's TEXTSIZE cuts; Debian's freetds.conf default
//                           ("auto") may pick an older version against some servers.
//   The session's TEXTSIZE is no connection option: FreeTDS starts it at freetds.conf's "text
//   size", which cuts text, ntext and image values, so every session bru opens runs SET
//   TEXTSIZE 2147483647 (SqlForms::session_setup, mssql.cpp).
//   ClientCharset=UTF-8     character data converted to UTF-8, as bru reads all text; without it
//                           FreeTDS takes ISO-8859-1 and nvarchar text outside Latin-1 arrives
//                           as '?', silently.
//   Encryption is FreeTDS's own key (off, request, require; "request" by default), not
//   Microsoft's Encrypt: give it in an ODBC string where the server requires TLS.
//   MARS: FreeTDS implements it (MARS_Connection=Yes) but bru does not ask for it: a connection
//   runs one statement at a time.
// Microsoft ODBC Driver 17 and 18:
//   Encrypt: 18 encrypts by default (Encrypt=Mandatory) and checks the server's certificate, so
//   a server with a self-signed certificate is refused ("SSL Provider: ... certificate verify
//   failed"); 17 does not encrypt unless the server requires it. bru leaves both as the driver
//   has them: give Encrypt=no, or TrustServerCertificate=yes (which accepts any certificate,
//   including an attacker's), in an ODBC connection string when that is what you want.
//   MARS_Connection is off by default: one active result per connection, as bru reads.
//   Long data: varchar(max), nvarchar(max), varbinary(max) and xml come in pieces through
//   SQLGetData (no SET TEXTSIZE applies to them); text, ntext and image are cut at the session's
//   TEXTSIZE (the driver sets 2147483647).
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
      .options = {{"APP", "bru"},
                  {"TDS_Version", "7.4", schema::OptionWhen::kAlways, "freetds"},
                  {"ClientCharset", "UTF-8", schema::OptionWhen::kAlways, "freetds"}},
      .display = "mssql://{user}@{host}{:port}/{database}",
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

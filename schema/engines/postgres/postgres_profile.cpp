// psqlODBC, and why bru sets each option (facts from the driver's docs and measured on Debian 12,
// psqlODBC 13.02):
//   CommLog=0;Debug=0       Debian registers the driver with CommLog=1, which logs every
//                           connection, password included, into a world-readable
//                           /tmp/psqlodbc_<program>_<user><pid>.log. The string overrides that;
//                           psqlODBC still appends one "PQfinish: <address>" line there at
//                           disconnect (it falls back to odbcinst.ini's CommLog as the process-wide
//                           setting). bru therefore also hands unixODBC a copy of odbcinst.ini
//                           with CommLog=0 (bru/odbc/driver_config.cpp), so no file is written.
//   UseDeclareFetch=1;Fetch=N  read through a server cursor, N rows per round trip; without it
//                           the driver buffers the whole result set (1 GB RSS on 5M rows).
//   TextAsLongVarchar=1;UnknownsAsLongVarchar=1;ByteaAsLongVarBinary=1
//                           text, unknown types (arrays, ...) and bytea are *described* as long
//                           (unbounded) types, so code sizing buffers from SQLDescribeCol streams
//                           them rather than binding MaxVarcharSize (255) bytes and truncating.
//                           The values themselves are never cut by SQLGetData either way
//                           (checked: 3 MB text, 4 MB bytea with both settings).
//   BoolsAsChar=0           boolean is described as SQL_BIT (the default says SQL_VARCHAR).
//   LFConversion=0          never turn LF into CR/LF (the Windows default is 1: lossy).
//   UseServerSidePrepare=1  prepared multi-row INSERTs run at ~350k rows/s (issue 2 figures).
//   Protocol=7.4-0          no driver-made SAVEPOINT around every statement inside a transaction
//                           (the default, statement-level rollback, doubles round trips: 5000
//                           single-row inserts 0.38 s vs 0.15-0.20 s). A failed statement then
//                           aborts the transaction as in psql; bru rolls back (Transaction).
//   pqopt={application_name=bru}  so DBAs see bru's sessions in pg_stat_activity.
//   The login timeout is honoured through SQL_ATTR_LOGIN_TIMEOUT (libpq connect_timeout); checked
//   against a refused port (fails at once) and a listener that never answers (fails at -TIMEOUT).
#include "schema/engines/postgres/postgres_profile.h"

namespace bru::schema::dialects {

const DriverProfile& postgres_driver_profile() {
  static const DriverProfile kProfile{
      .form = "postgres;<server[:port]>;<database>;<user>;<password>",
      .parts = {"<server[:port]>", "<database>", "<user>", "<password>"},
      .required_parts = 3,
      .locator = Locator::kServer,
      .default_port = 5432,
      .driver_names = {"PostgreSQL Unicode"},
      .numbered_driver_word = {},
      .driver_words = {"postgres", "psql"},
      .fallback_driver = "PostgreSQL Unicode",
      .recognise_words = {"postgres", "psql"},
      .server_key = "Server",
      .server_value = "{host}",
      .port_key = "Port",
      .database_key = "Database",
      .options = {{"CommLog", "0"},
                  {"Debug", "0"},
                  {"UseDeclareFetch", "1"},
                  {"Fetch", "{fetch_rows}"},
                  {"TextAsLongVarchar", "1"},
                  {"UnknownsAsLongVarchar", "1"},
                  {"ByteaAsLongVarBinary", "1"},
                  {"BoolsAsChar", "0"},
                  {"LFConversion", "0"},
                  {"UseServerSidePrepare", "1"},
                  {"Protocol", "7.4-0"},
                  {"pqopt", "application_name=bru"}},
      .display = "postgres://{user}@{host}:{port}/{database}",
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

// Oracle's Instant Client ODBC driver (libsqora): the database is a TNS name (or an EZConnect
// string host:port/service) given as DBQ, with UID and PWD. bru adds no driver options yet. Never
// run here (no Oracle server or driver where bru is tested): what follows is from Oracle's
// manual ("Using the Oracle ODBC Driver", Oracle Database Development Guide) and says what bru
// relies on or leaves to the DBA.
//   NLS_LANG        the client character set of the narrow (SQL_C_CHAR) calls bru makes comes
//                   from the NLS_LANG environment variable, not the connection string. Unset, it is
//                   US7ASCII and every non-ASCII character arrives as '?'. Run bru with
//                   NLS_LANG=AMERICAN_AMERICA.AL32UTF8 (bru does not set it for the driver).
//   NLS formats     a DATE or TIMESTAMP converted to text follows the session's NLS_DATE_FORMAT
//                   and NLS_TIMESTAMP_FORMAT, a number the NLS_NUMERIC_CHARACTERS: bru never lets
//                   the driver convert them (select_sql formats with TO_CHAR and explicit
//                   formats, insert_sql converts with TO_DATE/TO_TIMESTAMP/TO_NUMBER) and sets
//                   the formats in the session anyway (session_setup_sql), so the driver's
//                   "Numeric Settings" (NUM) option does not matter.
//   Fetch buffer    the driver fetches as many rows as fit its Fetch Buffer Size (FBS, 64,000
//                   bytes by default) in one round trip; bru's own rowsets and key-range pages
//                   (page_sql, FETCH FIRST n ROWS ONLY) bound what a result holds.
//   LOBs and long   CLOB, NCLOB and BLOB values (and LONG, LONG RAW) are read piece by piece with
//   data            SQLGetData, as bru reads every unbounded kind; the driver fetches a LOB's
//                   locator with the row and its data with one more round trip per value (no LOB
//                   prefetch is set). Binding a long value needs the LOB writes option (LOB=T, the
//                   default).
//   Bind sizes      a statement takes at most 65,535 binds (OracleDialect::max_parameters binds
//                   1,000 at most); a text bind above 4,000 bytes (32,767 with
//                   MAX_STRING_SIZE=EXTENDED) goes to a CLOB column only.
//   C types         the manual lists SQL_C_SBIGINT and SQL_C_UBIGINT as not supported by the
//                   driver, and bru binds its integer kinds as SQL_C_SBIGINT: the first run
//                   against a server must check that (a newer driver may take them), or integer
//                   columns will need reading as text. Interval types are not supported either
//                   (bru refuses INTERVAL columns in the catalog).
//   DATE            an Oracle DATE has a time of day: the driver describes it as SQL_TYPE_TIMESTAMP
//                   (Bind TIMESTAMP as DATE, BTD, off by default, is left off).
#include "schema/engines/oracle/oracle_profile.h"

namespace bru::schema::dialects {

const DriverProfile& oracle_driver_profile() {
  static const DriverProfile kProfile{
      .form = "oracle;<database>;<user>;<password>",
      .parts = {"<database>", "<user>", "<password>"},
      .required_parts = 2,
      .locator = Locator::kTnsName,
      .default_port = 0,
      .driver_names = {},
      .numbered_driver_word = {},
      .driver_words = {"oracle"},
      .fallback_driver = "Oracle",
      .recognise_words = {"oracle", "sqora"},
      .server_key = {},
      .server_value = {},
      .port_key = {},
      .database_key = "DBQ",
      .options = {},
      .display = "oracle://{user}@{database}",
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

// sqliteodbc (driver "SQLite3"), and why bru sets each option (measured on Debian 12, sqliteodbc
// 0.9998):
//   StepAPI=1               step through results with sqlite3_step; the default reads the whole
//                           result with sqlite3_get_table (1M rows of 200 bytes: 265 MB RSS
//                           against 6 MB).
//   BigInt=1                integer columns are 64-bit in SQLite: describe them as SQL_BIGINT.
//   NoTXN=0                 real transactions (a restore is one transaction).
//   Timeout=100000          wait up to 100 s for another process's lock (the driver default,
//                           stated so it is visible; ConnectOptions::sqlite_busy_timeout_ms).
//   NoCreat=1               only when ConnectOptions::create_sqlite_file is false.
//   FKSupport stays 0 (foreign keys not enforced on this connection) so a restore may load tables
//   in any order; the dialect checks foreign keys itself where it needs to.
// SQLITE_CANTOPEN (14) at connect: the file's folder is missing or not writable.
// cancel_during_call = false: sqliteodbc's SQLCancel interrupts SQLite and then closes the
// statement (SQLFreeStmt SQL_CLOSE, seen in its code), which from the signal-watching thread frees
// the result under a running SQLFetch: a SIGINT during a backup ended in SIGSEGV (exit 139) about
// one run in twenty under load. On SQLite an interrupt is seen between fetches instead, and a
// statement waiting for another process's lock waits out its busy timeout.
#include "schema/engines/sqlite/sqlite_profile.h"

namespace bru::schema::dialects {

const DriverProfile& sqlite_driver_profile() {
  static const DriverProfile kProfile{
      .form = "sqlite;<file>",
      .parts = {"<file>"},
      .required_parts = 1,
      .locator = Locator::kFile,
      .default_port = 0,
      .driver_names = {"SQLite3"},
      .numbered_driver_word = {},
      .driver_words = {"sqlite3"},
      .fallback_driver = "SQLite3",
      .recognise_words = {"sqlite"},
      .server_key = {},
      .server_value = {},
      .port_key = {},
      .database_key = "Database",
      .options = {{"StepAPI", "1"},
                  {"BigInt", "1"},
                  {"NoTXN", "0"},
                  {"Timeout", "{busy_timeout_ms}"},
                  {"NoCreat", "1", OptionWhen::kNoCreate}},
      .display = "sqlite:{database}",
      .cancel_during_call = false,
      .cannot_open_native_code = 14,
      .cannot_open_hint =
          "check that the folder of the SQLite file exists and that bru may write there",
  };
  return kProfile;
}

}  // namespace bru::schema::dialects

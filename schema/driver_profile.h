// What bru knows about an engine's ODBC drivers and connection strings, as plain data (no ODBC
// here: bru/odbc/connection_string.cpp reads it). Each engine's Dialect gives its profile
// (Dialect::driver_profile(); schema/engines/<engine>/<engine>_profile.cpp fills it in and says
// why each driver option is there).
//
// Templates (display, server_value, option values) may name the connection's parts and settings
// in braces: {user} {host} {port} {database}; {:port} and {,port} are ":<port>" / ",<port>" when a
// port was given and nothing otherwise; {fetch_rows} {busy_timeout_ms} {login_timeout_seconds}
// are ConnectOptions' settings.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace bru::schema {

// When a driver option goes into the string.
enum class OptionWhen {
  kAlways,
  kLoginTimeoutSet,  // -TIMEOUT is not 0
  kNoCreate,         // a missing database file must be an error (ConnectOptions::create_sqlite_file)
};

struct DriverOption {
  std::string_view key;
  std::string_view value;  // a template (see above)
  OptionWhen when = OptionWhen::kAlways;
  // Only for a driver whose name holds this word (any case): engines with drivers of different
  // keys (SQL Server: FreeTDS and Microsoft's). Empty: every driver.
  std::string_view driver_word = {};
};

// What the first part of bru's connection form names.
enum class Locator {
  kServer,   // <server[:port]>, then <database>;<user>;<password>
  kTnsName,  // <database> (a TNS name), then <user>;<password>
  kFile,     // <file>, nothing more
};

struct DriverProfile {
  // bru's connection form: the whole form, the names of the parts after the engine word, how
  // many must be given (the password may be left out), and what the first part names.
  std::string_view form;
  std::vector<std::string_view> parts;
  std::size_t required_parts = 0;
  Locator locator = Locator::kServer;
  int default_port = 0;  // 0: none (the port is then left to the driver)

  // Choosing among the installed drivers: an exact name first, then the newest
  // "ODBC Driver <N> ..." among the names holding numbered_driver_word, then a name holding one
  // of driver_words (lower case) and "unicode", then one holding a word, else fallback_driver.
  std::vector<std::string_view> driver_names;
  std::string_view numbered_driver_word;
  std::vector<std::string_view> driver_words;
  std::string_view fallback_driver;
  // Lower-case words in a driver's name or path, or in SQL_DBMS_NAME, that tell this engine.
  std::vector<std::string_view> recognise_words;

  // The ODBC keys of the string bru builds: Driver, then the server (server_key=server_value;
  // none for kTnsName/kFile), port_key (none: the port is in server_value), database_key, then
  // UID and PWD (not for kFile), then options.
  std::string_view server_key;
  std::string_view server_value;
  std::string_view port_key;
  std::string_view database_key;
  std::vector<DriverOption> options;
  // How the connection is shown in messages and logs (never a password).
  std::string_view display;

  // Whether SQLCancel may be called from another thread while a call on the statement runs (how
  // SIGINT stops a statement blocked on a lock, bru/interrupt.h). False where the driver's
  // SQLCancel also closes the statement's result under the running call.
  bool cancel_during_call = true;
  // Whether that holds during a fetch, too: false where the driver's SQLCancel, finding no call
  // holding the connection, closes the cursor whose stored rows a fetch is reading (a crash).
  // A fetch then ends by itself (its rows are already in the client) and the next call is
  // refused after a signal.
  bool cancel_during_fetch = true;

  // File databases: the native code of "cannot open the file" and what to tell the user then.
  long cannot_open_native_code = 0;
  std::string_view cannot_open_hint;
};

}  // namespace bru::schema

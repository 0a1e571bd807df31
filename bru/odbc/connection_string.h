// bru's connection grammar (the BRU seed's, extended) and the ODBC strings built from it.
//
//   mssql;<server>;<database>;<user>;<password>
//   oracle;<database>;<user>;<password>
//   postgres;<server[:port]>;<database>;<user>;<password>
//   mariadb;<server[:port]>;<database>;<user>;<password>
//   sqlite;<file>
//   odbc;<any ODBC connection string, or DSN=...>
//
// The engine word is case-insensitive (aliases: postgresql/pg, mysql, sqlserver, sqlite3). The
// password is the last part and may itself contain ';' (everything after the fourth ';' of a
// postgres string is the password); it may be left out and come from -PASSWORD-FILE
// (ConnectOptions::password) or the BRU_PASSWORD environment variable instead.
//
// Secrets: ConnectTarget::connection_string holds the password and must never be printed or
// logged; ConnectTarget::display is the printable form. Error messages of this file never echo
// the text given (it may hold the password), only the engine word and the names of parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bru::odbc {

struct ConnectOptions {
  std::string driver;                   // -DRIVER override, empty = auto (see parse_connection)
  std::optional<std::string> password;  // from -PASSWORD-FILE / env; overrides the string's
  int login_timeout_seconds = 15;       // -TIMEOUT; 0 = wait as long as the driver does
  // SQLite only: false makes a missing database file an error (backup, -LIST of a database)
  // instead of creating an empty one (restore into a new file).
  bool create_sqlite_file = true;
  // SQLite only: how long a statement waits for another connection's lock (sqliteodbc's
  // "Timeout", milliseconds; the driver's busy handler, which PRAGMA busy_timeout does not
  // replace).
  int sqlite_busy_timeout_ms = 100000;
  // PostgreSQL only: rows psqlODBC keeps per declare/fetch round trip (its "Fetch"). Memory
  // held by the driver is about this times the row size, so lower it for tables of large values.
  int postgres_fetch_rows = 10000;
};

struct ConnectTarget {
  // "postgres", "mariadb", "sqlite", "mssql", "oracle", or "odbc" for a raw string whose engine
  // could not be told from its driver (Connection::open refines it from SQL_DBMS_NAME).
  std::string dialect;
  std::string host;
  int port = 0;          // the engine's default port when none was given; 0 if none
  std::string database;  // database name, SQLite file, or Oracle TNS name
  std::string user;
  std::string driver;             // the ODBC driver name used; empty when a DSN chooses it
  std::string connection_string;  // full ODBC string incl. password: NEVER log or print
  std::string display;            // for messages/logs, never a password:
                                  // postgres://bru@127.0.0.1:5432/db, sqlite:/x/y.db,
                                  // odbc:DSN=wfm;UID=bru;PWD=***
};

// Parses bru's grammar into the ODBC connection string for the installed driver (found through
// unixODBC's SQLDrivers, or options.driver). Values are braced per ODBC rules (odbc_value). Per
// engine, the string also carries the driver options bru needs for lossless values, bounded
// memory and quiet logs (documented in connection_string.cpp).
// For odbc; strings, the options of the recognised driver are added for keys the user did not
// set. Throws Error(kUsage) naming the bad part, with a hint showing the grammar.
ConnectTarget parse_connection(std::string_view text, const ConnectOptions& options);

// Same, choosing among `drivers` instead of asking unixODBC (for tests and callers that already
// listed them).
ConnectTarget parse_connection(std::string_view text, const ConnectOptions& options,
                               const std::vector<std::string>& drivers);

// Driver names unixODBC knows (SQLDrivers), in its order, for hints and auto-selection.
// Thread-safe. Throws Error(kConnect) if the ODBC environment cannot be created.
std::vector<std::string> installed_drivers();

// The driver name a DSN uses (SQLDataSources), or nullopt for an unknown DSN. Thread-safe.
std::optional<std::string> driver_of_dsn(std::string_view dsn);

// The bru dialect of an ODBC driver name or path ("PostgreSQL Unicode", "libmaodbc.so") or of a
// SQL_DBMS_NAME ("PostgreSQL", "MariaDB", "SQLite", "Microsoft SQL Server", "Oracle");
// "odbc" when unknown.
std::string dialect_of_driver(std::string_view driver_name);
std::string dialect_of_dbms(std::string_view dbms_name);

// An ODBC connection-string value, braced when it holds ';', '{', '}', '=' or edge blanks
// ("a;b}" -> "{a;b}}}"); '=' is braced too because psqlODBC's pqopt value needs it.
std::string odbc_value(std::string_view value);

// Splits an ODBC connection string into (key, value) pairs, braces removed and "}}" unescaped,
// empty parts skipped. Throws Error(kUsage) for a part without '=' or an unclosed brace, without
// echoing values.
std::vector<std::pair<std::string, std::string>> split_odbc_string(std::string_view text);

// The grammar, one form per line, as the hints and the CLI help show it.
std::string_view connection_grammar();

}  // namespace bru::odbc

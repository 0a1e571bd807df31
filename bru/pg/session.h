// One libpq session to PostgreSQL: the bulk path of a restore (COPY ... FROM STDIN) and its
// read-back (COPY ... TO STDOUT), beside the ODBC connection that reads the catalog. On a
// PostgreSQL target the restore's whole transaction (DDL, COPY, indexes, verification, commit)
// runs on this session, so the all-or-nothing promise of -RESTORE holds as on the ODBC path: a
// failure or SIGINT rolls back here, and a killed bru drops the socket, which makes the server
// roll the open transaction back.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bru/interrupt.h"
#include "bru/odbc/connection_string.h"

struct pg_conn;
struct pg_result;
struct pg_cancel;

namespace bru::pg {

// libpq's conninfo ("host=... port=... dbname=... user=... password=...", values quoted) for a
// parsed bru connection: host, port, database, user and password from the ODBC string bru built
// (or the user's odbc; string: Server/Servername/Host, Port, Database, UID, PWD, SSLmode, and
// psqlODBC's pqopt, which is already libpq conninfo), connect_timeout from -TIMEOUT. Returns ""
// when the string names a DSN (odbc.ini holds its details; the ODBC path is used then). Holds
// the password: never log it.
std::string conninfo_of(const odbc::ConnectTarget& target, int login_timeout_seconds);

// A value quoted for conninfo: 'a b' -> 'a b', with \ and ' escaped.
std::string conninfo_value(std::string_view value);

// The queries that find and end the sessions of an application_name (pg_stat_activity), other
// than the asking one; one `?`, the name. end_sessions_sql terminates them (pg_terminate_backend:
// the same role's sessions, or with pg_signal_backend); count_sessions_sql counts those left.
std::string end_sessions_sql();
std::string count_sessions_sql();
// The names of the database's schemas (pg_namespace), one a row.
std::string schema_names_sql();
// DROP EXTENSION IF EXISTS of an extension as the catalog names it (quoted), never CASCADE.
std::string drop_extension_sql(std::string_view name);

class Session {
 public:
  // Connects and runs session_setup (the dialect's SET statements). Throws Error(kConnect) with
  // libpq's message (which never holds the password).
  Session(const std::string& conninfo, const std::string& display);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs one statement that returns no rows (or whose rows are ignored). Throws Error(kDatabase)
  // with the server's message and SQLSTATE.
  void execute(std::string_view sql);
  // The first column of the first row of a query, as text; "" when there is no row.
  std::string query_value(std::string_view sql);

  void begin();
  void commit();
  // Rolls back an open transaction; leaves a COPY in progress first. Never throws: the caller
  // is already failing, and a session that cannot roll back is closed (the server then rolls
  // back itself).
  void rollback_quietly() noexcept;
  bool in_transaction() const noexcept { return in_transaction_; }

  // Asks the server to cancel the statement running on this session (PQcancel); harmless when
  // none runs. Thread-safe: another thread stops a session's work with it.
  void cancel() noexcept;
  // SET application_name: how pg_stat_activity names the session (a parallel restore's guardian
  // finds the sessions of a killed bru by it).
  void set_application_name(std::string_view name);

  pg_conn* native() const noexcept { return conn_; }
  const std::string& display() const noexcept { return display_; }

  // An Error of `kind` from the session's last failure: "<what>: <server message>", the
  // SQLSTATE of the result if there is one.
  [[noreturn]] void fail(std::string_view what, const pg_result* result) const;

 private:
  pg_conn* conn_ = nullptr;
  std::string display_;
  bool in_transaction_ = false;
  // SIGINT/SIGTERM cancel the running query (PQcancel from the interrupt watcher), as SQLCancel
  // does on the ODBC path; the hook goes before the connection does.
  pg_cancel* cancel_ = nullptr;
  std::unique_ptr<CancelHook> cancel_hook_;
};

}  // namespace bru::pg

// Connections, statements and transactions over unixODBC: the only place bru talks to drivers.
//
// Threads: the ODBC environment is shared and thread-safe; a Connection and its Statements belong
// to one thread at a time (bru opens one connection per worker thread).
//
// Secrets and tracing: the connection string holds the password. bru never prints it (messages
// use ConnectTarget::display), and open() switches unixODBC tracing off for the connection
// before SQLDriverConnect, because a trace enabled in odbcinst.ini ([ODBC] Trace=Yes) logs the
// connection string. unixODBC 2.3.11 masks a plain PWD=... in its trace but not the rest of a
// braced PWD={...}, so bru does not rely on the masking. Drivers' own logs are switched off in
// the strings bru builds (psqlODBC CommLog=0;Debug=0). With a DSN that turns on a driver's own
// logging, the driver may still log; that is the DSN owner's choice.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/odbc/connection_string.h"
#include "bru/odbc/handle.h"
#include "schema/sql_runner.h"

namespace bru::odbc {

// The first non-blank line of a statement, cut at max_chars (never inside a UTF-8 sequence), with
// "..." when anything was left out: how messages name a statement.
std::string statement_preview(std::string_view sql, std::size_t max_chars);

class Statement;

class Connection {
 public:
  // Connects with SQLDriverConnect (SQL_DRIVER_NOPROMPT) after setting SQL_ATTR_LOGIN_TIMEOUT and
  // SQL_ATTR_CONNECTION_TIMEOUT to options.login_timeout_seconds (MariaDB gets CONN_TIMEOUT in
  // its string, see connection_string.cpp). Throws Error(kConnect) with the driver's diagnostics,
  // SQLSTATE and hints; the message names target.display and never contains the password.
  // Throws Error(kNotFound) for a missing SQLite file when options.create_sqlite_file is false.
  // A raw "odbc" target gets its dialect from SQL_DBMS_NAME once connected.
  static Connection open(const ConnectTarget& target, const ConnectOptions& options);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  SQLHDBC native() const noexcept { return dbc_.get(); }
  const ConnectTarget& target() const noexcept { return target_; }

  // A new statement on this connection. Throws Error(kDatabase) with the connection's
  // diagnostics when the driver cannot allocate one.
  Statement statement();

  // Autocommit on (the ODBC default) or off (a transaction runs until commit()/rollback()).
  // On SQLite both are done in SQL (BEGIN/COMMIT/ROLLBACK) with the driver left in autocommit
  // mode, where it steps through results instead of reading them whole (connection.cpp, open()).
  void set_autocommit(bool on);
  bool autocommit();
  // End the current transaction. Throw Error(kDatabase) on failure (a failed commit loses data).
  void commit();
  void rollback();

  // SQLGetInfo(SQL_DBMS_NAME / SQL_DBMS_VER), e.g. "PostgreSQL" / "15.08.0000".
  std::string dbms_name();
  std::string dbms_version();

  // Driver quirks, detected at run time (SQL_GETDATA_EXTENSIONS): may SQLGetData read a column
  // before the last bound one (any_column), and a row of a block cursor (block)?
  bool getdata_any_column();
  bool getdata_block();
  // SQLGetData may also read a bound column (SQL_GD_BOUND): a value too long for its bound
  // buffer can then be read again whole.
  bool getdata_bound();

  // Runs one statement that returns no rows. Throws as Statement::exec_direct.
  void execute(std::string_view sql);

 private:
  Connection(Handle dbc, ConnectTarget target);
  std::string info_string(SQLUSMALLINT info_type, std::string_view what);
  SQLUINTEGER getdata_extensions();
  void end_sql_transaction(std::string_view end_sql);

  Handle dbc_;
  ConnectTarget target_;
  std::optional<SQLUINTEGER> getdata_extensions_;
  bool sql_transactions_ = false;   // transactions as SQL statements (SQLite)
  bool in_sql_transaction_ = false;
  bool cancel_during_call_ = true;   // DriverProfile::cancel_during_call
  bool cancel_during_fetch_ = true;  // DriverProfile::cancel_during_fetch
};

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  SQLHSTMT native() const noexcept { return stmt_.get(); }
  // Whether the interrupt watcher may SQLCancel a call on it (DriverProfile::cancel_during_call).
  bool cancellable() const noexcept { return cancellable_; }

  // Runs `sql` at once. Returns SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA (a searched
  // UPDATE/DELETE that touched no row) or SQL_NEED_DATA (data-at-execution parameters).
  // Throws Error(kDatabase) with SQLSTATE; the message names the statement's first line
  // (cut at 120 characters), e.g. `cannot execute "SELECT * FROM nosuch": relation ...`.
  SQLRETURN exec_direct(std::string_view sql);
  // Names `sql` instead in the messages of later calls (fetch, row count): a FETCH from bru's
  // own cursor is reported as the query the cursor runs.
  void describe_as(std::string_view sql);
  // Prepares `sql` for execute(); throws as exec_direct.
  void prepare(std::string_view sql);
  // Runs the prepared statement with the parameters bound now; returns and throws as exec_direct.
  SQLRETURN execute();

  // Moves to the next row (or block of rows); false at the end. SQL_SUCCESS_WITH_INFO is not an
  // error here: with bound columns it may report a truncated value (01004), which callers find by
  // comparing the length indicators with their buffer widths. Throws Error(kDatabase).
  bool fetch();
  // Rows affected by the last INSERT/UPDATE/DELETE (SQLRowCount); -1 when the driver cannot tell.
  SQLLEN row_count();
  // Moves to the next result of a batch; false when there is none. Throws Error(kDatabase).
  bool more_results();

  void close_cursor();  // SQLFreeStmt(SQL_CLOSE): discards pending rows; no cursor is fine
  void reset_params();  // SQLFreeStmt(SQL_RESET_PARAMS)
  void unbind();        // SQLFreeStmt(SQL_UNBIND)
  SQLSMALLINT column_count();
  // The SQL data type of a result column (1-based), as SQLDescribeCol reports it (SQL_VARCHAR,
  // SQL_VARBINARY, ...). Throws Error(kDatabase).
  SQLSMALLINT column_type(SQLUSMALLINT column);

  // The whole value of `column` (1-based) of the current row as bytes, read with SQLGetData in
  // pieces of 64 KiB; nullopt for NULL. c_type is SQL_C_CHAR (text, no terminator kept),
  // SQL_C_WCHAR or SQL_C_BINARY. Throws Error(kDatabase).
  std::optional<std::string> get_data(SQLUSMALLINT column, SQLSMALLINT c_type);
  // Same, but hands each piece to on_piece as it arrives, so a LOB of any size never sits in
  // memory whole. A zero-length value calls on_piece never. Returns false for NULL.
  bool get_data_pieces(SQLUSMALLINT column, SQLSMALLINT c_type,
                       const std::function<void(std::string_view)>& on_piece);

 private:
  friend class Connection;
  Statement(Handle stmt, bool cancellable, bool fetch_cancellable);
  // What a failed call on this statement says: `cannot execute "<first line>"`.
  std::string statement_what() const;
  // check() for a call on this statement: `cannot <action> "<first line>"`.
  SQLRETURN check_call(SQLRETURN rc, std::string_view action);

  Handle stmt_;
  bool cancellable_ = true;
  bool fetch_cancellable_ = true;  // DriverProfile::cancel_during_fetch
  std::string sql_preview_;  // first line of the last statement run or prepared
  std::vector<char> piece_buffer_;  // get_data_pieces' buffer, kept between calls
};

// Rolls back in its destructor unless commit() was called. Turns autocommit off when it begins
// and restores the connection's previous autocommit setting when it ends.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits; throws Error(kDatabase) if the commit fails (the transaction is then rolled back).
  void commit();
  // Rolls back now; throws Error(kDatabase) on failure.
  void rollback();

 private:
  void restore_autocommit() noexcept;

  Connection& connection_;
  bool previous_autocommit_ = true;
  bool open_ = true;
};

// schema::SqlRunner over a Connection: query() returns every row as text (SQLGetData,
// SQL_C_CHAR); parameters are bound as SQL_C_CHAR/SQL_VARCHAR, in order. Errors as Statement.
class ConnectionRunner : public schema::SqlRunner {
 public:
  explicit ConnectionRunner(Connection& connection);
  std::vector<schema::Row> query(std::string_view sql,
                                 const std::vector<std::string>& params = {}) override;
  void execute(std::string_view sql, const std::vector<std::string>& params = {}) override;

 private:
  // Runs sql with params bound; the statement is positioned before its first row.
  Statement run(std::string_view sql, const std::vector<std::string>& params);

  Connection& connection_;
};

}  // namespace bru::odbc

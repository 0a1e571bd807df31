#include "bru/odbc/connection.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "bru/odbc/cancel.h"
#include "schema/engines/registry.h"

namespace bru::odbc {
namespace {

constexpr std::size_t kPieceBytes = 64 * 1024;
constexpr std::size_t kPreviewChars = 120;


// Replaces every occurrence of the password in a driver's text. No driver bru knows echoes the
// password, but a message that might reach a log is not the place to trust that.
std::string scrub(std::string text, const std::string& password) {
  if (password.size() < 3) return text;
  for (auto pos = text.find(password); pos != std::string::npos; pos = text.find(password, pos)) {
    text.replace(pos, password.size(), "***");
    pos += 3;
  }
  return text;
}

std::string password_of(const std::string& connection_string) {
  try {
    for (const auto& [key, value] : split_odbc_string(connection_string)) {
      std::string lowered = key;
      std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lowered == "pwd" || lowered == "password") return value;
    }
  } catch (const Error&) {
    // A string bru could not split cannot be scrubbed by value; the driver saw it as it is.
  }
  return {};
}

Error connect_error(SQLHDBC dbc, const ConnectTarget& target) {
  const Error raw = diagnostics_error(SQL_HANDLE_DBC, dbc, ErrorKind::kConnect,
                                      "cannot connect to " + target.display);
  const std::string password = password_of(target.connection_string);
  std::vector<std::string> hints;
  for (const auto& hint : raw.hints()) hints.push_back(scrub(hint, password));
  const schema::DriverProfile* profile = schema::find_driver_profile(target.dialect);
  if (profile != nullptr && profile->cannot_open_native_code != 0 &&
      raw.native_code() == profile->cannot_open_native_code) {
    hints.emplace_back(profile->cannot_open_hint);
  }
  Error error(ErrorKind::kConnect, scrub(raw.message(), password), std::move(hints));
  error.with_sqlstate(raw.sqlstate(), raw.native_code());
  return error;
}

}  // namespace

std::string statement_preview(std::string_view sql, std::size_t max_chars) {
  const auto start = sql.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  sql.remove_prefix(start);
  auto end = sql.find('\n');
  bool cut = end != std::string_view::npos &&
             sql.find_first_not_of(" \t\r\n", end) != std::string_view::npos;
  std::string_view line = sql.substr(0, end);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  if (line.size() > max_chars) {
    std::size_t keep = max_chars;
    while (keep > 0 && (static_cast<unsigned char>(line[keep]) & 0xC0) == 0x80) --keep;
    line = line.substr(0, keep);
    cut = true;
  }
  return cut ? std::string(line) + "..." : std::string(line);
}

Connection::Connection(Handle dbc, ConnectTarget target)
    : dbc_(std::move(dbc)), target_(std::move(target)) {}

Connection Connection::open(const ConnectTarget& target, const ConnectOptions& options) {
  const schema::DriverProfile* profile = schema::find_driver_profile(target.dialect);
  const bool file_database = profile != nullptr && profile->locator == schema::Locator::kFile;
  if (file_database && !options.create_sqlite_file && target.database != ":memory:" &&
      !std::filesystem::exists(target.database)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("SQLite database file \"{}\" does not exist", target.database))
        .with_hint("check the path; bru creates an SQLite file only when restoring into it");
  }
  const SQLHENV env = environment();
  SQLHDBC raw_dbc = SQL_NULL_HDBC;
  if (!SQL_SUCCEEDED(calls().SQLAllocHandle(SQL_HANDLE_DBC, env, &raw_dbc))) {
    throw diagnostics_error(SQL_HANDLE_ENV, env, ErrorKind::kConnect,
                            "cannot allocate an ODBC connection for " + target.display);
  }
  Handle dbc(SQL_HANDLE_DBC, raw_dbc);

  // A driver-manager trace would record the connection string, password included (see the
  // header). Failure to switch it off is not fatal: tracing is then off already or unsupported.
  calls().SQLSetConnectAttr(raw_dbc, SQL_ATTR_TRACE,
                            reinterpret_cast<SQLPOINTER>(SQL_OPT_TRACE_OFF), SQL_IS_UINTEGER);
  if (options.login_timeout_seconds > 0) {
    const auto seconds = static_cast<SQLULEN>(options.login_timeout_seconds);
    check(calls().SQLSetConnectAttr(raw_dbc, SQL_ATTR_LOGIN_TIMEOUT,
                                    reinterpret_cast<SQLPOINTER>(seconds), SQL_IS_UINTEGER),
          SQL_HANDLE_DBC, raw_dbc, ErrorKind::kConnect,
          "cannot set the login timeout for " + target.display);
    // Optional in ODBC (HYC00 from drivers without it): ignoring the result is deliberate.
    calls().SQLSetConnectAttr(raw_dbc, SQL_ATTR_CONNECTION_TIMEOUT,
                              reinterpret_cast<SQLPOINTER>(seconds), SQL_IS_UINTEGER);
  }

  // SQLDriverConnect takes the length as an SQLSMALLINT: a longer string would wrap, and the
  // driver would see it cut (a password silently shortened) or fail with HY090.
  constexpr std::size_t kMaxConnectionString = 32767;
  if (target.connection_string.size() > kMaxConnectionString) {
    throw Error(ErrorKind::kUsage,
                fmt::format("the ODBC connection string for {} is {} characters long; ODBC takes "
                            "at most {}",
                            target.display, target.connection_string.size(), kMaxConnectionString))
        .with_hint(
            "a password or value that long cannot reach the driver: check what -DB, "
            "-PASSWORD-FILE (its first line) or BRU_PASSWORD hold");
  }
  const SQLRETURN rc = calls().SQLDriverConnect(
      raw_dbc, nullptr,
      reinterpret_cast<SQLCHAR*>(const_cast<char*>(target.connection_string.c_str())),
      static_cast<SQLSMALLINT>(target.connection_string.size()), nullptr, 0, nullptr,
      SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(rc)) throw connect_error(raw_dbc, target);

  Connection connection(std::move(dbc), target);
  if (connection.target_.dialect == "odbc") {
    connection.target_.dialect = dialect_of_dbms(connection.dbms_name());
  }
  // sqliteodbc reads a whole result set into memory at SQLExecDirect when the connection is in
  // manual-commit mode, even with StepAPI=1 (measured: 300 rows of 1 MB, 624 MB RSS against
  // 14 MB in autocommit mode). Its transactions are therefore run as SQL (BEGIN/COMMIT/ROLLBACK)
  // with the driver left in autocommit mode, where it steps through results row by row.
  connection.sql_transactions_ = connection.target_.dialect == "sqlite";
  connection.cancel_during_call_ = profile == nullptr || profile->cancel_during_call;
  connection.cancel_during_fetch_ = profile == nullptr || profile->cancel_during_fetch;
  return connection;
}

Statement Connection::statement() {
  SQLHSTMT raw_stmt = SQL_NULL_HSTMT;
  if (!SQL_SUCCEEDED(calls().SQLAllocHandle(SQL_HANDLE_STMT, dbc_.get(), &raw_stmt))) {
    throw diagnostics_error(SQL_HANDLE_DBC, dbc_.get(), ErrorKind::kDatabase,
                            "cannot allocate a statement on " + target_.display);
  }
  return Statement(Handle(SQL_HANDLE_STMT, raw_stmt), cancel_during_call_,
                   cancel_during_call_ && cancel_during_fetch_);
}

void Connection::set_autocommit(bool on) {
  if (sql_transactions_) {
    if (on == !in_sql_transaction_) return;
    // As ODBC does, turning autocommit on commits the open transaction.
    execute(on ? "COMMIT" : "BEGIN");
    in_sql_transaction_ = !on;
    return;
  }
  const auto value = on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF;
  check(calls().SQLSetConnectAttr(dbc_.get(), SQL_ATTR_AUTOCOMMIT,
                                  reinterpret_cast<SQLPOINTER>(value), SQL_IS_UINTEGER),
        SQL_HANDLE_DBC, dbc_.get(), ErrorKind::kDatabase,
        fmt::format("cannot turn autocommit {} on {}", on ? "on" : "off", target_.display));
}

bool Connection::autocommit() {
  if (sql_transactions_) return !in_sql_transaction_;
  SQLULEN value = SQL_AUTOCOMMIT_ON;
  check(
      calls().SQLGetConnectAttr(dbc_.get(), SQL_ATTR_AUTOCOMMIT, &value, SQL_IS_UINTEGER, nullptr),
      SQL_HANDLE_DBC, dbc_.get(), ErrorKind::kDatabase,
      "cannot read the autocommit setting of " + target_.display);
  return value == SQL_AUTOCOMMIT_ON;
}

void Connection::end_sql_transaction(std::string_view end_sql) {
  if (!in_sql_transaction_) return;  // autocommit: nothing to end, as SQLEndTran
  try {
    execute(end_sql);
  } catch (const Error&) {
    // A failed COMMIT leaves the transaction open; a failed ROLLBACK means SQLite had already
    // rolled it back (it does so itself after SQLITE_FULL, SQLITE_IOERR, ...).
    if (end_sql == "ROLLBACK") in_sql_transaction_ = false;
    throw;
  }
  // In manual-commit mode the next transaction begins with the next statement.
  execute("BEGIN");
}

void Connection::commit() {
  if (sql_transactions_) return end_sql_transaction("COMMIT");
  check(calls().SQLEndTran(SQL_HANDLE_DBC, dbc_.get(), SQL_COMMIT), SQL_HANDLE_DBC, dbc_.get(),
        ErrorKind::kDatabase, "cannot commit on " + target_.display);
}

void Connection::rollback() {
  if (sql_transactions_) return end_sql_transaction("ROLLBACK");
  check(calls().SQLEndTran(SQL_HANDLE_DBC, dbc_.get(), SQL_ROLLBACK), SQL_HANDLE_DBC, dbc_.get(),
        ErrorKind::kDatabase, "cannot roll back on " + target_.display);
}

std::string Connection::info_string(SQLUSMALLINT info_type, std::string_view what) {
  std::string value(256, '\0');
  SQLSMALLINT length = 0;
  check(calls().SQLGetInfo(dbc_.get(), info_type, value.data(),
                           static_cast<SQLSMALLINT>(value.size()), &length),
        SQL_HANDLE_DBC, dbc_.get(), ErrorKind::kDatabase,
        fmt::format("cannot read the {} of {}", what, target_.display));
  value.resize(std::min<std::size_t>(static_cast<std::size_t>(std::max<SQLSMALLINT>(length, 0)),
                                     value.size() - 1));
  return value;
}

std::string Connection::dbms_name() { return info_string(SQL_DBMS_NAME, "server product name"); }

std::string Connection::dbms_version() { return info_string(SQL_DBMS_VER, "server version"); }

SQLUINTEGER Connection::getdata_extensions() {
  if (!getdata_extensions_) {
    SQLUINTEGER value = 0;
    check(calls().SQLGetInfo(dbc_.get(), SQL_GETDATA_EXTENSIONS, &value, sizeof value, nullptr),
          SQL_HANDLE_DBC, dbc_.get(), ErrorKind::kDatabase,
          "cannot read the SQLGetData abilities of the driver for " + target_.display);
    getdata_extensions_ = value;
  }
  return *getdata_extensions_;
}

bool Connection::getdata_any_column() { return (getdata_extensions() & SQL_GD_ANY_COLUMN) != 0; }

bool Connection::getdata_block() { return (getdata_extensions() & SQL_GD_BLOCK) != 0; }

bool Connection::getdata_bound() { return (getdata_extensions() & SQL_GD_BOUND) != 0; }

void Connection::execute(std::string_view sql) {
  auto statement = this->statement();
  statement.exec_direct(sql);
  // A driver that steps through results (sqliteodbc in autocommit mode) runs a query only as far
  // as it is fetched: a SELECT meant to begin a read snapshot must reach the data.
  if (statement.column_count() > 0) {
    while (statement.fetch()) {
    }
  }
}

Statement::Statement(Handle stmt, bool cancellable, bool fetch_cancellable)
    : stmt_(std::move(stmt)), cancellable_(cancellable), fetch_cancellable_(fetch_cancellable) {}

std::string Statement::statement_what() const {
  return fmt::format("cannot execute \"{}\"", sql_preview_);
}

SQLRETURN Statement::exec_direct(std::string_view sql) {
  sql_preview_ = statement_preview(sql, kPreviewChars);
  const RunningCall running(stmt_.get(), cancellable_);
  const SQLRETURN rc =
      calls().SQLExecDirect(stmt_.get(), reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.data())),
                            static_cast<SQLINTEGER>(sql.size()));
  if (rc == SQL_NO_DATA || rc == SQL_NEED_DATA) return rc;
  return check(rc, SQL_HANDLE_STMT, stmt_.get(), ErrorKind::kDatabase, statement_what());
}

void Statement::describe_as(std::string_view sql) {
  sql_preview_ = statement_preview(sql, kPreviewChars);
}

void Statement::prepare(std::string_view sql) {
  sql_preview_ = statement_preview(sql, kPreviewChars);
  check(calls().SQLPrepare(stmt_.get(), reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.data())),
                           static_cast<SQLINTEGER>(sql.size())),
        SQL_HANDLE_STMT, stmt_.get(), ErrorKind::kDatabase,
        fmt::format("cannot prepare \"{}\"", sql_preview_));
}

SQLRETURN Statement::execute() {
  const RunningCall running(stmt_.get(), cancellable_);
  const SQLRETURN rc = calls().SQLExecute(stmt_.get());
  if (rc == SQL_NO_DATA || rc == SQL_NEED_DATA) return rc;
  return check(rc, SQL_HANDLE_STMT, stmt_.get(), ErrorKind::kDatabase, statement_what());
}

SQLRETURN Statement::check_call(SQLRETURN rc, std::string_view action) {
  return check(rc, SQL_HANDLE_STMT, stmt_.get(), ErrorKind::kDatabase,
               fmt::format("cannot {} \"{}\"", action, sql_preview_));
}

bool Statement::fetch() {
  const RunningCall running(stmt_.get(), fetch_cancellable_);
  const SQLRETURN rc = calls().SQLFetch(stmt_.get());
  if (rc == SQL_NO_DATA) return false;
  check_call(rc, "fetch rows of");
  return true;
}

SQLLEN Statement::row_count() {
  SQLLEN rows = -1;
  check_call(calls().SQLRowCount(stmt_.get(), &rows), "count the rows of");
  return rows;
}

bool Statement::more_results() {
  const RunningCall running(stmt_.get(), cancellable_);
  const SQLRETURN rc = calls().SQLMoreResults(stmt_.get());
  if (rc == SQL_NO_DATA) return false;
  check_call(rc, "move to the next result of");
  return true;
}

void Statement::close_cursor() {
  check_call(calls().SQLFreeStmt(stmt_.get(), SQL_CLOSE), "close the cursor of");
}

void Statement::reset_params() {
  check_call(calls().SQLFreeStmt(stmt_.get(), SQL_RESET_PARAMS), "reset the parameters of");
}

void Statement::unbind() {
  check_call(calls().SQLFreeStmt(stmt_.get(), SQL_UNBIND), "unbind the columns of");
}

SQLSMALLINT Statement::column_count() {
  SQLSMALLINT columns = 0;
  check_call(calls().SQLNumResultCols(stmt_.get(), &columns), "count the columns of");
  return columns;
}

SQLSMALLINT Statement::column_type(SQLUSMALLINT column) {
  SQLCHAR name[256];
  SQLSMALLINT name_length = 0, data_type = 0, decimal_digits = 0, nullable = 0;
  SQLULEN size = 0;
  check_call(calls().SQLDescribeCol(stmt_.get(), column, name, sizeof name, &name_length,
                                    &data_type, &size, &decimal_digits, &nullable),
             "describe the columns of");
  return data_type;
}

bool Statement::get_data_pieces(SQLUSMALLINT column, SQLSMALLINT c_type,
                                const std::function<void(std::string_view)>& on_piece) {
  std::size_t terminator = 0;
  switch (c_type) {
    case SQL_C_CHAR: terminator = 1; break;
    case SQL_C_WCHAR: terminator = sizeof(SQLWCHAR); break;
    case SQL_C_BINARY: terminator = 0; break;
    default:
      throw internal_error(fmt::format(
          "get_data supports SQL_C_CHAR, SQL_C_WCHAR and SQL_C_BINARY, not C type {}", c_type));
  }
  // One buffer for every call: allocated (and zeroed) per value it cost a sixth of a SQLite
  // backup's CPU, whose text values are all read this way.
  std::vector<char>& buffer = piece_buffer_;
  if (buffer.size() != kPieceBytes) buffer.resize(kPieceBytes);
  const std::size_t capacity = buffer.size() - terminator;
  const RunningCall running(stmt_.get(), fetch_cancellable_);
  for (;;) {
    SQLLEN indicator = 0;
    const SQLRETURN rc = calls().SQLGetData(stmt_.get(), column, c_type, buffer.data(),
                                            static_cast<SQLLEN>(buffer.size()), &indicator);
    // SQL_NO_DATA: the previous piece was the last one (or, on the first call, a driver's way of
    // saying the value is empty).
    if (rc == SQL_NO_DATA) return true;
    check(rc, SQL_HANDLE_STMT, stmt_.get(), ErrorKind::kDatabase,
          fmt::format("cannot read column {} of \"{}\"", column, sql_preview_));
    if (indicator == SQL_NULL_DATA) return false;
    // More to come when the driver says the buffer was too small (01004): the length left is
    // unknown (SQL_NO_TOTAL) or larger than what one piece holds.
    const bool more = rc == SQL_SUCCESS_WITH_INFO &&
                      (indicator == SQL_NO_TOTAL || static_cast<std::size_t>(indicator) > capacity);
    const std::size_t piece = (more || indicator < 0)
                                  ? capacity
                                  : std::min(static_cast<std::size_t>(indicator), capacity);
    if (piece > 0) on_piece(std::string_view(buffer.data(), piece));
    if (!more) return true;
  }
}

std::optional<std::string> Statement::get_data(SQLUSMALLINT column, SQLSMALLINT c_type) {
  std::string value;
  const bool present =
      get_data_pieces(column, c_type, [&value](std::string_view piece) { value.append(piece); });
  if (!present) return std::nullopt;
  return value;
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  previous_autocommit_ = connection_.autocommit();
  if (previous_autocommit_) connection_.set_autocommit(false);
}

Transaction::~Transaction() {
  if (open_) {
    try {
      connection_.rollback();
    } catch (const Error&) {
      // The destructor is the safety net: the connection's own end (disconnect) rolls back too.
    }
  }
  restore_autocommit();
}

void Transaction::commit() {
  open_ = false;
  try {
    connection_.commit();
  } catch (const Error&) {
    try {
      connection_.rollback();
    } catch (const Error&) {
      // Report the commit failure, which is the one that matters.
    }
    restore_autocommit();
    throw;
  }
  restore_autocommit();
}

void Transaction::rollback() {
  open_ = false;
  connection_.rollback();
  restore_autocommit();
}

void Transaction::restore_autocommit() noexcept {
  if (!previous_autocommit_) return;
  previous_autocommit_ = false;  // once
  try {
    connection_.set_autocommit(true);
  } catch (const Error&) {
    // Nothing to commit any more (ended above); a connection that refuses is broken anyway and
    // its next statement will say so.
  }
}

ConnectionRunner::ConnectionRunner(Connection& connection) : connection_(connection) {}

Statement ConnectionRunner::run(std::string_view sql, const std::vector<std::string>& params) {
  Statement statement = connection_.statement();
  if (params.empty()) {
    statement.exec_direct(sql);
    return statement;
  }
  statement.prepare(sql);
  std::vector<SQLLEN> lengths(params.size());
  for (std::size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
    const std::string& param = params[param_idx];
    lengths[param_idx] = static_cast<SQLLEN>(param.size());
    check(calls().SQLBindParameter(statement.native(), static_cast<SQLUSMALLINT>(param_idx + 1),
                                   SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
                                   std::max<SQLULEN>(param.size(), 1), 0,
                                   const_cast<char*>(param.data()),
                                   static_cast<SQLLEN>(param.size()), &lengths[param_idx]),
          SQL_HANDLE_STMT, statement.native(), ErrorKind::kDatabase,
          fmt::format("cannot bind parameter {} of \"{}\"", param_idx + 1,
                      statement_preview(sql, kPreviewChars)));
  }
  statement.execute();
  // The values were sent by SQLExecute; unbinding keeps the statement from pointing at them.
  statement.reset_params();
  return statement;
}

std::vector<schema::Row> ConnectionRunner::query(std::string_view sql,
                                                 const std::vector<std::string>& params) {
  Statement statement = run(sql, params);
  const SQLSMALLINT columns = statement.column_count();
  std::vector<schema::Row> rows;
  if (columns == 0) return rows;
  while (statement.fetch()) {
    schema::Row row;
    row.reserve(static_cast<std::size_t>(columns));
    for (SQLSMALLINT column = 1; column <= columns; ++column) {
      row.push_back(statement.get_data(static_cast<SQLUSMALLINT>(column), SQL_C_CHAR));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void ConnectionRunner::execute(std::string_view sql, const std::vector<std::string>& params) {
  run(sql, params);
}

}  // namespace bru::odbc

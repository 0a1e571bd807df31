#include "bru/mariadb/session.h"

#include <mysql.h>
#include <errmsg.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bru/interrupt.h"
#include "bru/odbc/connection.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::mariadb {
namespace {

unsigned int port_number(std::string_view text) {
  unsigned int port = 0;
  std::from_chars(text.data(), text.data() + text.size(), port);
  return port;
}

// As much of a failed statement as its error shows (the ODBC connection's).
constexpr std::size_t kPreviewChars = 120;

const char* or_null(const std::string& value) { return value.empty() ? nullptr : value.c_str(); }

// The client lost the server: the error numbers of libmariadb's errmsg.h for a broken or closed
// connection.
bool connection_lost(unsigned int code) {
  return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == CR_CONNECTION_ERROR ||
         code == CR_CONN_HOST_ERROR;
}

}  // namespace

std::optional<ConnectParams> connect_params_of(const odbc::ConnectTarget& target,
                                               int login_timeout_seconds) {
  ConnectParams params;
  for (const auto& [key, value] : odbc::split_odbc_string(target.connection_string)) {
    const auto name = schema::to_lower(key);
    if (name == "dsn" || name == "filedsn") return std::nullopt;
    if (name == "server" || name == "host") params.host = value;
    else if (name == "port") params.port = port_number(value);
    else if (name == "socket") params.socket = value;
    else if (name == "database" || name == "db") params.database = value;
    else if (name == "uid" || name == "user") params.user = value;
    else if (name == "pwd" || name == "password") params.password = value;
  }
  params.timeout_seconds = static_cast<unsigned int>(std::max(login_timeout_seconds, 0));
  return params;
}

std::string kill_connection_sql(std::uint64_t id) { return fmt::format("KILL CONNECTION {}", id); }

std::string connection_id_sql() { return "SELECT CONNECTION_ID()"; }

std::string local_infile_sql() { return "SELECT @@GLOBAL.local_infile"; }

std::string count_connections_sql(const std::vector<std::uint64_t>& ids) {
  return fmt::format("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN ({})",
                     ids.empty() ? std::string("0") : fmt::format("{}", fmt::join(ids, ", ")));
}

Session::Session(const ConnectParams& params, const std::string& display,
                 std::string_view purpose, bool local_infile)
    : display_(display) {
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) {
    throw Error(ErrorKind::kConnect,
                fmt::format("cannot open a libmariadb session to {}: out of memory", display))
        .with_hint("free memory on this machine, or give -BULK odbc to restore through ODBC");
  }
  // LOAD DATA LOCAL is refused by the client unless asked for; the server's local_infile is
  // checked by the caller. Off, a server cannot ask this client for a file in answer to a query.
  const unsigned int allow_local_infile = local_infile ? 1 : 0;
  mysql_optionsv(mysql_, MYSQL_OPT_LOCAL_INFILE, &allow_local_infile);
  mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (params.timeout_seconds > 0) {
    mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &params.timeout_seconds);
  }
  if (mysql_real_connect(mysql_, or_null(params.host), or_null(params.user),
                         or_null(params.password), or_null(params.database), params.port,
                         or_null(params.socket), 0) == nullptr) {
    const std::string message = mysql_error(mysql_);
    mysql_close(mysql_);
    mysql_ = nullptr;
    throw Error(ErrorKind::kConnect,
                fmt::format("cannot open the {} (libmariadb) to {}: {}", purpose, display,
                            message))
        .with_hint("the ODBC connection to the same server worked: check the server's accounts "
                   "for this client, or give -BULK odbc, which needs only the ODBC connection");
  }
  interrupt_ = std::make_unique<CancelHook>([this] { cancel(); });
}

Session::~Session() {
  interrupt_.reset();
  // Closing the connection rolls back a transaction still open.
  if (mysql_ != nullptr) mysql_close(mysql_);
}

std::uint64_t Session::connection_id() const noexcept { return mysql_thread_id(mysql_); }

void Session::cancel() noexcept {
  if (mysql_ != nullptr) mariadb_cancel(mysql_);
}

void Session::fail(std::string_view what) const {
  if (interrupted()) throw interrupted_error();
  const unsigned int code = mysql_errno(mysql_);
  const std::string sqlstate = mysql_sqlstate(mysql_);
  const std::string message = fmt::format("{}: {}", what, mysql_error(mysql_));
  if (connection_lost(code)) {
    throw Error(ErrorKind::kConnect, message,
                {"the connection to the server was lost; the server rolls the open transaction "
                 "back"});
  }
  const bool data_error = sqlstate.rfind("22", 0) == 0;
  throw Error(data_error ? ErrorKind::kTypeMapping : ErrorKind::kDatabase, message)
      .with_sqlstate(sqlstate, static_cast<long>(code))
      .with_hint(fmt::format("the statement failed on {}", display_));
}

void Session::execute(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    // Named as the ODBC connection names a statement that fails: the same DDL fails the same
    // on either path.
    fail(fmt::format("cannot execute \"{}\"", odbc::statement_preview(sql, kPreviewChars)));
  }
  if (MYSQL_RES* result = mysql_store_result(mysql_)) mysql_free_result(result);
}

std::vector<std::string> Session::query_row(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    fail(fmt::format("query failed ({})", sql.substr(0, 60)));
  }
  MYSQL_RES* result = mysql_store_result(mysql_);
  if (result == nullptr) return {};
  std::vector<std::string> values;
  if (MYSQL_ROW row = mysql_fetch_row(result)) {
    for (unsigned int idx = 0; idx < mysql_num_fields(result); ++idx) {
      values.emplace_back(row[idx] == nullptr ? "" : row[idx]);
    }
  }
  mysql_free_result(result);
  return values;
}

std::string Session::query_value(std::string_view sql) {
  auto row = query_row(sql);
  return row.empty() ? "" : std::move(row.front());
}

}  // namespace bru::mariadb

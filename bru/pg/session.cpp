#include "bru/pg/session.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::pg {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// libpq's messages end in a line break; the CLI adds its own.
std::string trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

std::string conninfo_value(std::string_view value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string conninfo_of(const odbc::ConnectTarget& target, int login_timeout_seconds) {
  const auto pairs = odbc::split_odbc_string(target.connection_string);
  std::string host, port, dbname, user, password, sslmode, pqopt;
  for (const auto& [key, value] : pairs) {
    const auto name = lower(key);
    if (name == "dsn" || name == "filedsn") return "";
    if (name == "server" || name == "servername" || name == "host") host = value;
    else if (name == "port") port = value;
    else if (name == "database" || name == "dbname") dbname = value;
    else if (name == "uid" || name == "user" || name == "username") user = value;
    else if (name == "pwd" || name == "password") password = value;
    else if (name == "sslmode") sslmode = value;
    else if (name == "pqopt") pqopt = value;
  }
  std::string info;
  auto add = [&info](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    if (!info.empty()) info += ' ';
    info += fmt::format("{}={}", key, conninfo_value(value));
  };
  add("host", host);
  add("port", port);
  add("dbname", dbname);
  add("user", user);
  add("password", password);
  add("sslmode", sslmode);
  if (login_timeout_seconds > 0) add("connect_timeout", std::to_string(login_timeout_seconds));
  // psqlODBC's pqopt is libpq conninfo already (bru sets application_name=bru there).
  if (!pqopt.empty()) info += " " + pqopt;
  if (pqopt.find("application_name") == std::string::npos) add("application_name", "bru");
  return info;
}

std::string end_sessions_sql() {
  return "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
         "WHERE application_name = ? AND pid <> pg_backend_pid()";
}

std::string count_sessions_sql() {
  return "SELECT count(*) FROM pg_stat_activity "
         "WHERE application_name = ? AND pid <> pg_backend_pid()";
}

std::string schema_names_sql() { return "SELECT nspname FROM pg_namespace"; }

std::string drop_extension_sql(std::string_view name) {
  return fmt::format("DROP EXTENSION IF EXISTS {}", name);
}

Session::Session(const std::string& conninfo, const std::string& display) : display_(display) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = conn_ == nullptr ? "out of memory" : trimmed(PQerrorMessage(conn_));
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    throw Error(ErrorKind::kConnect,
                fmt::format("cannot open the COPY session (libpq) to {}: {}", display, message))
        .with_hint("the ODBC connection to the same server worked: check pg_hba.conf for this "
                   "client, or restore with -BULK odbc, which needs only the ODBC connection");
  }
  // The server's notices (CREATE SCHEMA IF NOT EXISTS ... skipping) are not bru's output; the
  // ODBC path drops them too.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  cancel_ = PQgetCancel(conn_);
  if (cancel_ != nullptr) {
    cancel_hook_ = std::make_unique<CancelHook>([cancel = cancel_] {
      char error[256];
      PQcancel(cancel, error, sizeof error);
    });
  }
}

Session::~Session() {
  cancel_hook_.reset();
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  if (conn_ != nullptr) {
    rollback_quietly();
    if (conn_ != nullptr) PQfinish(conn_);
  }
}

void Session::cancel() noexcept {
  if (cancel_ == nullptr) return;
  char error[256];
  PQcancel(cancel_, error, sizeof error);
}

void Session::set_application_name(std::string_view name) {
  char* literal = PQescapeLiteral(conn_, name.data(), name.size());
  if (literal == nullptr) fail("cannot quote the application name", nullptr);
  const std::string sql = std::string("SET application_name = ") + literal;
  PQfreemem(literal);
  execute(sql);
}

void Session::fail(std::string_view what, const PGresult* result) const {
  if (interrupted()) throw interrupted_error();  // cancelled by the interrupt watcher
  std::string message = result != nullptr ? trimmed(PQresultErrorMessage(result)) : "";
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  std::string sqlstate;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
  }
  Error error(ErrorKind::kDatabase, fmt::format("{}: {}", what, message));
  error.with_hint(fmt::format("the statement failed on {}; nothing was committed", display_));
  if (!sqlstate.empty()) error.with_sqlstate(sqlstate, 0);
  if (PQstatus(conn_) != CONNECTION_OK) {
    error = Error(ErrorKind::kConnect, error.message(),
                  {"the connection to the server was lost; the server rolls the open "
                   "transaction back: nothing was committed"});
  }
  throw error;
}

void Session::execute(std::string_view sql) {
  Result result(PQexec(conn_, std::string(sql).c_str()));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    // Only the statement's start: DDL may be long, and values never appear in it.
    fail(fmt::format("statement failed ({})", sql.substr(0, 60)), result.get());
  }
}

std::string Session::query_value(std::string_view sql) {
  Result result(PQexec(conn_, std::string(sql).c_str()));
  if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    fail(fmt::format("query failed ({})", sql.substr(0, 60)), result.get());
  }
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "";
  return PQgetvalue(result.get(), 0, 0);
}

void Session::begin() {
  execute("BEGIN");
  in_transaction_ = true;
}

void Session::commit() {
  in_transaction_ = false;
  execute("COMMIT");
}

void Session::rollback_quietly() noexcept {
  if (conn_ == nullptr) return;
  // A COPY FROM STDIN still open: end it with an error, which fails the COPY.
  if (PQtransactionStatus(conn_) == PQTRANS_ACTIVE) {
    PQputCopyEnd(conn_, "bru: restore stopped");
    while (PGresult* pending = PQgetResult(conn_)) {
      const auto status = PQresultStatus(pending);
      PQclear(pending);
      // A COPY TO STDOUT being read: drain it.
      if (status == PGRES_COPY_OUT) {
        char* buffer = nullptr;
        while (PQgetCopyData(conn_, &buffer, 0) > 0) PQfreemem(buffer);
      }
    }
  }
  if (in_transaction_ || PQtransactionStatus(conn_) == PQTRANS_INTRANS ||
      PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    PGresult* result = PQexec(conn_, "ROLLBACK");
    const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) {
      // The server rolls back a transaction whose session ends.
      PQfinish(conn_);
      conn_ = nullptr;
    }
  }
  in_transaction_ = false;
}

}  // namespace bru::pg

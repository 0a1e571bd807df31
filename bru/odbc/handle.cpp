#include "bru/odbc/handle.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "bru/interrupt.h"
#include "bru/odbc/connection_string.h"
#include "bru/odbc/driver_config.h"

namespace bru::odbc {

Handle::Handle(SQLSMALLINT type, SQLHANDLE handle) : type_(type), handle_(handle) {}

Handle::~Handle() { reset(); }

Handle::Handle(Handle&& other) noexcept
    : type_(other.type_), handle_(std::exchange(other.handle_, SQLHANDLE{})) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    type_ = other.type_;
    handle_ = std::exchange(other.handle_, SQLHANDLE{});
  }
  return *this;
}

void Handle::reset() noexcept {
  if (handle_ == SQL_NULL_HANDLE) return;
  if (type_ == SQL_HANDLE_DBC) {
    // A connection may be inside a transaction (autocommit off): roll back explicitly, because
    // some drivers refuse SQLDisconnect then and others commit. Both calls fail harmlessly on a
    // handle that never connected.
    calls().SQLEndTran(SQL_HANDLE_DBC, handle_, SQL_ROLLBACK);
    calls().SQLDisconnect(handle_);
  }
  calls().SQLFreeHandle(type_, handle_);
  handle_ = SQL_NULL_HANDLE;
}

namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t idx = 0; idx < prefix.size(); ++idx) {
    if (std::tolower(static_cast<unsigned char>(text[idx])) !=
        std::tolower(static_cast<unsigned char>(prefix[idx])))
      return false;
  }
  return true;
}

bool contains_ci(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  auto lower = [](unsigned char c) { return std::tolower(c); };
  auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                           [&](char a, char b) { return lower(a) == lower(b); });
  return found != text.end();
}

// Driver texts carry vendor tags ("[unixODBC][Driver Manager]", "[ma-3.1.15][10.11.19-MariaDB]",
// "[SQLite]"), line breaks and tabs (libpq), doubled blanks ("FATAL:  ") and psqlODBC's
// ";\nError while executing the query" trailer. None of it helps a DBA read the message.
std::string clean_text(std::string_view raw) {
  std::string_view text = raw;
  for (;;) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
      text.remove_prefix(1);
    if (text.empty() || text.front() != '[') break;
    const auto close = text.find(']');
    if (close == std::string_view::npos) break;
    text.remove_prefix(close + 1);
  }
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool blank = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (blank) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  constexpr std::string_view kPsqlTrailer = "Error while executing the query";
  if (out.size() >= kPsqlTrailer.size() &&
      out.compare(out.size() - kPsqlTrailer.size(), kPsqlTrailer.size(), kPsqlTrailer) == 0 &&
      out.size() > kPsqlTrailer.size()) {
    out.erase(out.size() - kPsqlTrailer.size());
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  }
  if (starts_with_ci(out, "ERROR: ")) out.erase(0, 7);
  return out;
}

bool any_state(const std::vector<Diagnostic>& records,
               std::initializer_list<std::string_view> states) {
  return std::any_of(records.begin(), records.end(), [&](const Diagnostic& record) {
    return std::find(states.begin(), states.end(), record.sqlstate) != states.end();
  });
}

bool any_text(const std::vector<Diagnostic>& records,
              std::initializer_list<std::string_view> needles) {
  return std::any_of(records.begin(), records.end(), [&](const Diagnostic& record) {
    return std::any_of(needles.begin(), needles.end(),
                       [&](std::string_view needle) { return contains_ci(record.text, needle); });
  });
}

bool any_native(const std::vector<Diagnostic>& records, std::initializer_list<long> codes) {
  return std::any_of(records.begin(), records.end(), [&](const Diagnostic& record) {
    return std::find(codes.begin(), codes.end(), record.native_code) != codes.end();
  });
}

std::string driver_list_for_hint() {
  std::vector<std::string> drivers;
  try {
    drivers = installed_drivers();
  } catch (const Error&) {
    // The hint is a courtesy; the original error is what matters.
  }
  if (drivers.empty()) return "none (see odbcinst -q -d and /etc/odbcinst.ini)";
  std::string list;
  for (const auto& driver : drivers) {
    if (!list.empty()) list += ", ";
    list += fmt::format("\"{}\"", driver);
  }
  return list;
}

}  // namespace

std::vector<Diagnostic> read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  std::vector<Diagnostic> records;
  if (handle == SQL_NULL_HANDLE) return records;
  for (SQLSMALLINT record_idx = 1;; ++record_idx) {
    SQLCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT text_length = 0;
    std::string text(1024, '\0');
    SQLRETURN rc = calls().SQLGetDiagRec(handle_type, handle, record_idx, state, &native,
                                         reinterpret_cast<SQLCHAR*>(text.data()),
                                         static_cast<SQLSMALLINT>(text.size()), &text_length);
    if (rc == SQL_SUCCESS_WITH_INFO && text_length >= static_cast<SQLSMALLINT>(text.size())) {
      // The message was longer than the buffer: ask again with room for all of it.
      text.assign(static_cast<std::size_t>(text_length) + 1, '\0');
      rc = calls().SQLGetDiagRec(handle_type, handle, record_idx, state, &native,
                                 reinterpret_cast<SQLCHAR*>(text.data()),
                                 static_cast<SQLSMALLINT>(text.size()), &text_length);
    }
    if (!SQL_SUCCEEDED(rc)) break;
    text.resize(std::min<std::size_t>(
        static_cast<std::size_t>(std::max<SQLSMALLINT>(text_length, 0)), text.size()));
    text.resize(std::strlen(text.c_str()));
    records.push_back(Diagnostic{reinterpret_cast<const char*>(state), native, clean_text(text)});
  }
  return records;
}

std::vector<std::string> hints_for(const std::vector<Diagnostic>& records) {
  std::vector<std::string> hints;
  auto add = [&hints](std::string hint) {
    if (std::find(hints.begin(), hints.end(), hint) == hints.end())
      hints.push_back(std::move(hint));
  };

  const bool bad_login =
      any_state(records, {"28000", "28P01"}) ||
      any_text(records, {"password authentication failed", "no password supplied",
                         "Access denied for user", "Login failed for user", "ORA-01017"});
  const bool unknown_database =
      any_native(records, {1049}) ||
      (any_text(records, {"database \""}) && any_text(records, {"does not exist"})) ||
      any_state(records, {"3D000"});
  const bool driver_missing =
      any_state(records, {"IM002", "IM003"}) || any_text(records, {"Can't open lib"});
  // MariaDB/MySQL client errors 2002/2003/2005/2006/2013 arrive as HY000: cannot connect,
  // unknown host, server gone away, lost connection. Errno 110 is ETIMEDOUT.
  const bool unreachable = any_state(records, {"08001", "08S01", "HYT00", "HYT01"}) ||
                           any_native(records, {2002, 2003, 2005, 2006, 2013});
  const bool timed_out =
      any_state(records, {"HYT00", "HYT01"}) ||
      any_text(records, {"timeout expired", "timed out", "(110)", "system error: 110"});

  if (driver_missing) {
    add(
        fmt::format("install the ODBC driver, or name an installed one with -DRIVER <name>; "
                    "drivers found via unixODBC: {}",
                    driver_list_for_hint()));
  } else if (bad_login) {
    add("check the user and password (the password comes from the connection string, "
        "-PASSWORD-FILE <file> or the BRU_PASSWORD environment variable)");
  } else if (unknown_database) {
    add("check the database name; a database must exist before bru connects to it");
  } else if (unreachable) {
    add("check host and port, that the server runs and accepts TCP connections");
    if (timed_out) add("-TIMEOUT <seconds> sets how long bru waits for the server to answer");
  }

  if (any_state(records, {"42P01", "42S02"}) || any_text(records, {"no such table"})) {
    add("check the table name and its schema (quoted names are case-sensitive)");
  }
  if (any_state(records, {"42501"}) || any_native(records, {1142, 1044})) {
    add("the user lacks a privilege for this; grant it or connect as the owner");
  }
  if (any_state(records, {"40001", "40P01"})) {
    add("another transaction changed the same data at the same time; run the command again");
  }
  if (any_state(records, {"25P02"})) {
    add("an earlier statement of this transaction failed, so the server aborted it; "
        "the first error is the one to fix");
  }
  if (any_state(records, {"55P03"}) || any_text(records, {"database is locked"})) {
    add("another session holds a lock on it; wait for that session to finish or stop it");
  }
  if (any_state(records, {"53100"}) || any_text(records, {"database or disk is full"})) {
    add("the database server is out of disk space");
  }
  if (any_text(records, {"file is not a database"})) {
    add("the file is not an SQLite database (or it is encrypted)");
  }
  return hints;
}

static bool connection_lost(const std::vector<Diagnostic>& records) {
  // SQLSTATE class 08 is a connection exception (08S01 communication link failure, 08003 not
  // open); MariaDB's client says 2006 (server gone away) and 2013 (lost connection) as HY000.
  return std::any_of(records.begin(), records.end(),
                     [](const Diagnostic& record) { return record.sqlstate.starts_with("08"); }) ||
         any_native(records, {2006, 2013});
}

Error diagnostics_error(SQLSMALLINT handle_type, SQLHANDLE handle, ErrorKind kind,
                        std::string what) {
  // A call that failed because the interrupt watcher cancelled it (or because the server went
  // away while bru was stopping) is the interrupt, whatever the driver says about it.
  if (interrupted()) return interrupted_error();
  const auto records = read_diagnostics(handle_type, handle);
  // A session lost in the middle of a run cannot be continued on: whatever the call was, the
  // database cannot be reached (exit 3), and the run left nothing behind.
  if (kind == ErrorKind::kDatabase && connection_lost(records)) kind = ErrorKind::kConnect;
  std::string text;
  for (const auto& record : records) {
    if (record.text.empty()) continue;
    if (!text.empty()) text += "; ";
    text += record.text;
  }
  if (text.empty()) text = "the driver gave no diagnostic record";
  Error error(kind, fmt::format("{}: {}", what, text), hints_for(records));
  if (!records.empty()) error.with_sqlstate(records.front().sqlstate, records.front().native_code);
  return error;
}

SQLRETURN check(SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle, ErrorKind kind,
                std::string_view what) {
  if (rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO) return rc;
  if (rc == SQL_INVALID_HANDLE) {
    throw internal_error(fmt::format("{}: invalid ODBC handle", what));
  }
  throw diagnostics_error(handle_type, handle, kind, std::string(what));
}

SQLHENV environment() {
  // Created once, never freed: connections may still live in other threads or static objects
  // while the process exits, and freeing the environment under them would be worse than letting
  // the process exit reclaim it. Function-local static initialisation is thread-safe, and a
  // throwing initialiser is retried on the next call.
  static const SQLHENV shared = [] {
    // Before unixODBC reads its configuration for the first time (see driver_config.h).
    quiet_driver_logs();
    // Pooling is a process-level setting made before the environment exists. bru opens few,
    // long-lived connections; a pool would only keep sessions (and their locks) alive.
    calls().SQLSetEnvAttr(SQL_NULL_HENV, SQL_ATTR_CONNECTION_POOLING,
                          reinterpret_cast<SQLPOINTER>(SQL_CP_OFF), SQL_IS_UINTEGER);
    SQLHENV env = SQL_NULL_HENV;
    if (!SQL_SUCCEEDED(calls().SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) {
      throw Error(ErrorKind::kConnect, "cannot create the ODBC environment (unixODBC)")
          .with_hint("check that unixODBC is installed (apt-get install unixodbc)");
    }
    const SQLRETURN rc = calls().SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
                                               reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    if (!SQL_SUCCEEDED(rc)) {
      Error error = diagnostics_error(SQL_HANDLE_ENV, env, ErrorKind::kConnect,
                                      "cannot select ODBC 3 behaviour");
      calls().SQLFreeHandle(SQL_HANDLE_ENV, env);
      throw error;
    }
    return env;
  }();
  return shared;
}

}  // namespace bru::odbc

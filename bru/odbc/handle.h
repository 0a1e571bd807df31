// RAII over ODBC handles and the one way bru turns ODBC diagnostics into bru::Error.
//
// Every SQLHENV/SQLHDBC/SQLHSTMT bru allocates is owned by exactly one Handle. Every failed ODBC
// call is reported through check()/diagnostics_error(), which read *all* diagnostic records of the
// handle (SQLSTATE, native code, driver text) and add hints for the well-known SQLSTATEs.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>
#include <string_view>
#include <vector>

#include "bru/odbc/calls.h"
#include "schema/error.h"

namespace bru::odbc {

// Owns one ODBC handle (SQLHENV/SQLHDBC/SQLHSTMT); move-only, noexcept destructor frees it.
// A connection handle is rolled back and disconnected before it is freed, so dropping a
// Connection never commits and never leaks a server session.
class Handle {
 public:
  Handle() = default;
  // Takes ownership of `handle` of ODBC type `type` (SQL_HANDLE_ENV, _DBC or _STMT).
  Handle(SQLSMALLINT type, SQLHANDLE handle);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  SQLHANDLE get() const noexcept { return handle_; }
  SQLSMALLINT type() const noexcept { return type_; }
  explicit operator bool() const noexcept { return handle_ != SQL_NULL_HANDLE; }

 private:
  void reset() noexcept;

  SQLSMALLINT type_ = 0;
  SQLHANDLE handle_ = SQL_NULL_HANDLE;
};

// One diagnostic record, as the driver (or the driver manager) reported it.
struct Diagnostic {
  std::string sqlstate;  // five characters, e.g. "42P01"
  long native_code = 0;
  std::string text;  // vendor prefixes ("[unixODBC][Driver Manager]") and line breaks removed
};

// Reads all diagnostic records of the handle, in order. Never throws for a missing record (an
// empty vector means the driver said nothing).
std::vector<Diagnostic> read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

// Reads ALL diagnostic records of the handle into a bru::Error of `kind`: message
// "<what>: <driver text>" (all records' texts joined with "; "), sqlstate/native code of the
// first record, and hints for well-known conditions (bad login, unreachable server or timeout,
// driver not installed, unknown database/table, lock and serialization failures, ...).
Error diagnostics_error(SQLSMALLINT handle_type, SQLHANDLE handle, ErrorKind kind,
                        std::string what);

// Throws diagnostics_error(handle_type, handle, kind, what) unless rc is SQL_SUCCESS or
// SQL_SUCCESS_WITH_INFO. Returns rc. Callers that expect SQL_NO_DATA or SQL_NEED_DATA test for
// them before calling check().
SQLRETURN check(SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle, ErrorKind kind,
                std::string_view what);

// The process-wide ODBC environment (ODBC 3.x behaviour, driver-manager connection pooling off),
// created on first use. Thread-safe. Throws Error(kConnect) when unixODBC cannot create it.
SQLHENV environment();

// The hints diagnostics_error() adds for these records (exposed for tests and for callers that
// build their own message from read_diagnostics()).
std::vector<std::string> hints_for(const std::vector<Diagnostic>& records);

}  // namespace bru::odbc

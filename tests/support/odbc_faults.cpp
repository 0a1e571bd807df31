#include "support/odbc_faults.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "bru/odbc/calls.h"

namespace bru::test {
namespace {

struct FaultState {
  bool active = false;
  OdbcFaultSpec spec;
  odbc::CallTable real;
  int seen = 0;
  int failed = 0;
  SQLHANDLE failed_handle = SQL_NULL_HANDLE;
  bool diagnostic_pending = false;
};

FaultState g_fault;

// Whether this call is the one (or one of those) to fail; remembers the handle whose
// diagnostics then tell about it.
bool take(SQLHANDLE handle) {
  ++g_fault.seen;
  const bool fail = g_fault.seen == g_fault.spec.nth ||
                    (g_fault.spec.every_later && g_fault.seen > g_fault.spec.nth);
  if (!fail) return false;
  ++g_fault.failed;
  g_fault.failed_handle = handle;
  g_fault.diagnostic_pending = true;
  return true;
}

SQLRETURN SQL_API fault_get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record,
                                     SQLCHAR* state, SQLINTEGER* native, SQLCHAR* text,
                                     SQLSMALLINT text_size, SQLSMALLINT* text_length) {
  if (!g_fault.diagnostic_pending || handle != g_fault.failed_handle) {
    return g_fault.real.SQLGetDiagRec(type, handle, record, state, native, text, text_size,
                                      text_length);
  }
  if (record != 1) return SQL_NO_DATA;
  std::memcpy(state, g_fault.spec.sqlstate.c_str(), 6);
  if (native != nullptr) *native = static_cast<SQLINTEGER>(g_fault.spec.native_code);
  const auto& message = g_fault.spec.text;
  if (text_length != nullptr) *text_length = static_cast<SQLSMALLINT>(message.size());
  if (text != nullptr && text_size > 0) {
    const auto copied = std::min<std::size_t>(message.size(), static_cast<std::size_t>(text_size) - 1);
    std::memcpy(text, message.data(), copied);
    text[copied] = '\0';
  }
  return SQL_SUCCESS;
}

SQLRETURN SQL_API fault_exec_direct(SQLHSTMT stmt, SQLCHAR* sql, SQLINTEGER length) {
  const auto& only = g_fault.spec.sql;
  if (!only.empty()) {
    const auto* text = reinterpret_cast<const char*>(sql);
    const std::string statement =
        length == SQL_NTS ? std::string(text) : std::string(text, static_cast<std::size_t>(length));
    if (statement != only) return g_fault.real.SQLExecDirect(stmt, sql, length);
  }
  return take(stmt) ? SQL_ERROR : g_fault.real.SQLExecDirect(stmt, sql, length);
}
SQLRETURN SQL_API fault_execute(SQLHSTMT stmt) {
  return take(stmt) ? SQL_ERROR : g_fault.real.SQLExecute(stmt);
}
SQLRETURN SQL_API fault_fetch(SQLHSTMT stmt) {
  return take(stmt) ? SQL_ERROR : g_fault.real.SQLFetch(stmt);
}
SQLRETURN SQL_API fault_get_data(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type,
                                 SQLPOINTER value, SQLLEN size, SQLLEN* indicator) {
  return take(stmt) ? SQL_ERROR
                    : g_fault.real.SQLGetData(stmt, column, c_type, value, size, indicator);
}
SQLRETURN SQL_API fault_end_tran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion) {
  return take(handle) ? SQL_ERROR : g_fault.real.SQLEndTran(type, handle, completion);
}
SQLRETURN SQL_API fault_put_data(SQLHSTMT stmt, SQLPOINTER data, SQLLEN length) {
  return take(stmt) ? SQL_ERROR : g_fault.real.SQLPutData(stmt, data, length);
}
SQLRETURN SQL_API fault_param_data(SQLHSTMT stmt, SQLPOINTER* value) {
  return take(stmt) ? SQL_ERROR : g_fault.real.SQLParamData(stmt, value);
}

}  // namespace

OdbcFault::OdbcFault(OdbcFaultSpec spec) {
  if (g_fault.active) throw std::logic_error("one OdbcFault at a time");
  auto& table = odbc::calls();
  g_fault = FaultState{};
  g_fault.active = true;
  g_fault.spec = std::move(spec);
  g_fault.real = table;
  table.SQLGetDiagRec = fault_get_diag_rec;
  switch (g_fault.spec.call) {
    case OdbcCall::kExecDirect: table.SQLExecDirect = fault_exec_direct; break;
    case OdbcCall::kExecute: table.SQLExecute = fault_execute; break;
    case OdbcCall::kFetch: table.SQLFetch = fault_fetch; break;
    case OdbcCall::kGetData: table.SQLGetData = fault_get_data; break;
    case OdbcCall::kEndTran: table.SQLEndTran = fault_end_tran; break;
    case OdbcCall::kPutData: table.SQLPutData = fault_put_data; break;
    case OdbcCall::kParamData: table.SQLParamData = fault_param_data; break;
  }
}

OdbcFault::~OdbcFault() {
  odbc::calls() = g_fault.real;
  g_fault.active = false;
}

int OdbcFault::calls_seen() const { return g_fault.seen; }

int OdbcFault::failures() const { return g_fault.failed; }

}  // namespace bru::test

// Fault injection through bru's ODBC seam (bru/odbc/calls.h): makes the Nth call of one ODBC
// function fail with a chosen SQLSTATE, native code and text, as a driver would report them
// (SQLGetDiagRec on the failed handle returns that record), while every other call reaches the
// real driver. One fault at a time; the real table is put back when the fault is destroyed.
#pragma once

#include <sql.h>

#include <string>

namespace bru::test {

enum class OdbcCall { kExecDirect, kExecute, kFetch, kGetData, kEndTran, kPutData, kParamData };

struct OdbcFaultSpec {
  OdbcCall call = OdbcCall::kFetch;
  int nth = 1;                 // 1-based, counted from the fault's creation
  bool every_later = false;    // also fail every later call of that kind (a dead connection)
  std::string sqlstate = "08S01";
  long native_code = 0;
  std::string text = "could not receive data from server: Connection reset by peer";
  // kExecDirect only: count just the statements of exactly this text (empty: every statement).
  std::string sql{};
};

class OdbcFault {
 public:
  explicit OdbcFault(OdbcFaultSpec spec);
  ~OdbcFault();
  OdbcFault(const OdbcFault&) = delete;
  OdbcFault& operator=(const OdbcFault&) = delete;

  // Calls of the kind seen so far, and how many of them were made to fail.
  int calls_seen() const;
  int failures() const;
};

}  // namespace bru::test

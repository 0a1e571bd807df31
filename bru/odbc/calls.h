// The seam under bru's ODBC layer: every SQL* function bru calls goes through one table of
// function pointers, which tests replace entry by entry to make the Nth call of a kind fail (a
// connection lost in the middle of a fetch, a commit refused) without a database that misbehaves
// on cue. Production code never changes the table; it only calls through it:
//   odbc::calls().SQLFetch(handle)   instead of   SQLFetch(handle)
// The members carry the ODBC names so that a call reads as the ODBC documentation spells it.
//
// Threads: the table is read by every thread that talks to a driver (and by the interrupt
// watcher, which calls SQLCancel). Replace entries only while no other thread calls ODBC, as a
// test does before it runs a command.
#pragma once

#include <sql.h>
#include <sqlext.h>

namespace bru::odbc {

struct CallTable {
  // Handles and environment.
  decltype(&::SQLAllocHandle) SQLAllocHandle = ::SQLAllocHandle;
  decltype(&::SQLFreeHandle) SQLFreeHandle = ::SQLFreeHandle;
  decltype(&::SQLSetEnvAttr) SQLSetEnvAttr = ::SQLSetEnvAttr;
  decltype(&::SQLGetDiagRec) SQLGetDiagRec = ::SQLGetDiagRec;
  // Connections and transactions.
  decltype(&::SQLDriverConnect) SQLDriverConnect = ::SQLDriverConnect;
  decltype(&::SQLDisconnect) SQLDisconnect = ::SQLDisconnect;
  decltype(&::SQLSetConnectAttr) SQLSetConnectAttr = ::SQLSetConnectAttr;
  decltype(&::SQLGetConnectAttr) SQLGetConnectAttr = ::SQLGetConnectAttr;
  decltype(&::SQLGetInfo) SQLGetInfo = ::SQLGetInfo;
  decltype(&::SQLEndTran) SQLEndTran = ::SQLEndTran;
  // Statements.
  decltype(&::SQLSetStmtAttr) SQLSetStmtAttr = ::SQLSetStmtAttr;
  decltype(&::SQLExecDirect) SQLExecDirect = ::SQLExecDirect;
  decltype(&::SQLPrepare) SQLPrepare = ::SQLPrepare;
  decltype(&::SQLExecute) SQLExecute = ::SQLExecute;
  decltype(&::SQLBindParameter) SQLBindParameter = ::SQLBindParameter;
  decltype(&::SQLParamData) SQLParamData = ::SQLParamData;
  decltype(&::SQLPutData) SQLPutData = ::SQLPutData;
  decltype(&::SQLNumResultCols) SQLNumResultCols = ::SQLNumResultCols;
  decltype(&::SQLDescribeCol) SQLDescribeCol = ::SQLDescribeCol;
  decltype(&::SQLBindCol) SQLBindCol = ::SQLBindCol;
  decltype(&::SQLFetch) SQLFetch = ::SQLFetch;
  decltype(&::SQLSetPos) SQLSetPos = ::SQLSetPos;
  decltype(&::SQLGetData) SQLGetData = ::SQLGetData;
  decltype(&::SQLRowCount) SQLRowCount = ::SQLRowCount;
  decltype(&::SQLMoreResults) SQLMoreResults = ::SQLMoreResults;
  decltype(&::SQLFreeStmt) SQLFreeStmt = ::SQLFreeStmt;
  decltype(&::SQLCancel) SQLCancel = ::SQLCancel;
};

// The table every ODBC call of bru goes through; starts as the driver manager's functions.
CallTable& calls() noexcept;

}  // namespace bru::odbc

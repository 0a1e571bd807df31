#include "bru/odbc/cancel.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "bru/interrupt.h"
#include "bru/odbc/calls.h"

namespace bru::odbc {
namespace {

// One mutex for the list and the cancels: a statement leaves the list (and may then be freed)
// only after a cancel in progress on it has returned.
std::mutex g_running_mutex;
std::vector<SQLHSTMT> g_running;

}  // namespace

RunningCall::RunningCall(SQLHSTMT statement, bool cancellable)
    : statement_(statement), cancellable_(cancellable) {
  std::lock_guard lock(g_running_mutex);
  if (interrupted() && !interrupt_noticed()) throw interrupted_error();
  if (cancellable_) g_running.push_back(statement_);
}

RunningCall::~RunningCall() {
  if (!cancellable_) return;
  std::lock_guard lock(g_running_mutex);
  const auto found = std::find(g_running.begin(), g_running.end(), statement_);
  if (found != g_running.end()) g_running.erase(found);
}

int cancel_running_calls() noexcept {
  std::lock_guard lock(g_running_mutex);
  if (interrupt_noticed()) return 0;
  int cancelled = 0;
  for (const SQLHSTMT statement : g_running) {
    if (SQL_SUCCEEDED(calls().SQLCancel(statement))) ++cancelled;
  }
  return cancelled;
}

}  // namespace bru::odbc

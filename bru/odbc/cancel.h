// Which statements are inside a driver call right now, so that the interrupt watcher
// (bru/interrupt.h) can cancel them with SQLCancel from its own thread: the one way to stop a
// statement that waits on a lock before the lock is released.
#pragma once

#include <sql.h>

namespace bru::odbc {

// Marks `statement` as inside a driver call for the guard's lifetime. Throws
// interrupted_error() (kInterrupted) instead when a signal arrived that the run has not noticed
// yet, so that no new statement starts (and blocks) after SIGINT. Statements run after the
// interrupt was noticed (cleanup) are neither refused nor cancelled.
// cancellable false: the driver's SQLCancel is not safe during a call (DriverProfile::
// cancel_during_call); the statement is then only refused after a signal, never cancelled.
class RunningCall {
 public:
  explicit RunningCall(SQLHSTMT statement, bool cancellable = true);
  ~RunningCall();
  RunningCall(const RunningCall&) = delete;
  RunningCall& operator=(const RunningCall&) = delete;

 private:
  SQLHSTMT statement_;
  bool cancellable_;
};

// SQLCancel on every statement inside a driver call, unless the interrupt was already noticed.
// Thread-safe (not async-signal-safe: called by the watcher thread, never by a handler). Returns
// how many statements it cancelled.
int cancel_running_calls() noexcept;

}  // namespace bru::odbc

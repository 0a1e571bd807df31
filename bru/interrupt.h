// SIGINT/SIGTERM handling. The handler only sets a flag and wakes a watcher thread; long loops
// call throw_if_interrupted() between batches, so an interrupted run unwinds normally:
// transactions roll back and partial archives are deleted by their owners' destructors.
//
// A statement that blocks (waiting on a lock, a long sort) would see the flag only when the
// server answers: the watcher thread calls SQLCancel on every statement inside a driver call
// (bru/odbc/cancel.h) until the run has noticed the interrupt, so a blocked run ends within a
// fraction of a second (except where the driver's SQLCancel is unsafe during a call:
// DriverProfile::cancel_during_call, SQLite). Once noticed (throw_if_interrupted() threw, or a
// cancelled call reported interrupted_error()), statements are left alone: the cleanup that
// follows (rollback, dropping what a staged restore created) must run to its end.
#pragma once

#include <functional>

#include "schema/error.h"

namespace bru {

// Installs the handlers and starts the watcher thread (once per process; later calls do nothing).
void install_interrupt_handlers();
bool interrupted() noexcept;
// Whether the run has taken notice of the interrupt (see the header comment).
bool interrupt_noticed() noexcept;
// The Error(kInterrupted) a run stopped by a signal ends with; marks the interrupt as noticed.
Error interrupted_error();
// Throws interrupted_error() if a signal arrived.
void throw_if_interrupted();

// Work the watcher thread cancels, besides the ODBC statements inside a driver call
// (bru/odbc/cancel.h): a native session's query (libpq's PQcancel). While the hook lives, the
// watcher calls `cancel` after a signal, every round until the run notices the interrupt; cancel
// must be thread-safe and harmless when nothing runs.
class CancelHook {
 public:
  explicit CancelHook(std::function<void()> cancel);
  ~CancelHook();
  CancelHook(const CancelHook&) = delete;
  CancelHook& operator=(const CancelHook&) = delete;
};

}  // namespace bru

// SIGINT/SIGTERM handling. The handler only sets a flag and wakes a watcher thread; long loops
// call throw_if_interrupted() between batches, so an interrupted run unwinds normally:
// transactions roll back and partial archives are deleted by their owners' destructors.
//
// A statement that blocks (waiting on a lock, a long sort) would see the flag only when the
// server answers: the watcher thread calls SQLCancel on every statement inside a driver call
// (bru/odbc/cancel.h) until the run has noticed the interrupt, so a blocked run ends within a
// fraction of a second. Once noticed (throw_if_interrupted() threw, or a cancelled call reported
// interrupted_error()), statements are left alone: the cleanup that follows (rollback, dropping
// what a staged restore created) must run to its end.
#pragma once

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

}  // namespace bru

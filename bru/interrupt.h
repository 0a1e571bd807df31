// SIGINT/SIGTERM handling. The handler only sets a flag; long loops call
// throw_if_interrupted() between batches, so an interrupted run unwinds normally: transactions
// roll back and partial archives are deleted by their owners' destructors.
#pragma once

namespace bru {

void install_interrupt_handlers();
bool interrupted() noexcept;
// Throws Error(kInterrupted) if a signal arrived.
void throw_if_interrupted();

}  // namespace bru

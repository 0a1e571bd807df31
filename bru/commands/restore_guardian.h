// The guardian of a staged restore (an engine whose DDL commits as it runs: MariaDB; a parallel
// restore into PostgreSQL, restore_parallel.h). bru undoes a failed or interrupted staged restore
// itself (restore_undo.h, restore_parallel.cpp), but a kill -9 gives it no chance to. So, before the first statement, bru forks a guardian: a child process that ignores
// SIGINT/SIGTERM/SIGHUP (a Ctrl-C reaches the whole process group; bru itself answers it) and
// waits on a pipe. bru writes one byte to it once the restore is committed or undone by bru; when
// the pipe reaches end of file without that byte, bru died (kill -9, a crash, the OOM killer),
// and the guardian opens its own connection, runs the restore's undo (drops every table and
// object the restore created and checks the catalog is as before), says so on stderr, and exits. Only a kill of bru and its
// guardian together (kill -9 of the process group) leaves the tables made so far.
#pragma once

#include <functional>
#include <string>

#include "bru/commands/database.h"
#include "bru/commands/guardian.h"
#include "bru/options.h"

namespace bru::commands {

class RestoreGuardian {
 public:
  // The undo after bru's death, on the guardian's own connection: throws Error when something
  // is left, else returns what it did, for stderr after "its guardian " ("dropped every table and
  // object it had created in <db>: the database is empty, as before").
  using Undo = std::function<std::string(Database&)>;

  // Forks the guardian (guardian.h); the undo and what it captures (and the options, for its
  // connection) are its copy of the parent's memory. Throws Error(kIo) when the pipe or the fork
  // fails: nothing was changed yet.
  RestoreGuardian(const cli::Options& options, Undo undo);

  // The restore is committed, or bru has undone it itself: the guardian exits without a change.
  // Waits for it to end. Without it, the destructor lets the guardian undo the restore.
  void release() noexcept { guardian_.release(); }

 private:
  Guardian guardian_;
};

}  // namespace bru::commands

// The guardian of a staged restore (an engine whose DDL commits as it runs: MariaDB). bru undoes
// a failed or interrupted staged restore itself (restore_undo.h), but a kill -9 gives it no
// chance to. So, before the first statement, bru forks a guardian: a child process that ignores
// SIGINT/SIGTERM/SIGHUP (a Ctrl-C reaches the whole process group; bru itself answers it) and
// waits on a pipe. bru writes one byte to it once the restore is committed or undone by bru; when
// the pipe reaches end of file without that byte, bru died (kill -9, a crash, the OOM killer),
// and the guardian opens its own connection, drops every table and object the restore created,
// checks the database holds none again, says so on stderr, and exits. Only a kill of bru and its
// guardian together (kill -9 of the process group) leaves the tables made so far.
#pragma once

#include <sys/types.h>

#include <vector>

#include "bru/options.h"
#include "formats/archive.h"
#include "schema/catalog.h"

namespace bru::commands {

class RestoreGuardian {
 public:
  // Forks the guardian; the tables and objects (and the options, for its connection) are its copy
  // of the parent's memory. Throws Error(kIo) when the pipe or the fork fails: nothing was changed
  // yet.
  RestoreGuardian(const cli::Options& options,
                  const std::vector<const archive::TableEntry*>& tables,
                  const std::vector<schema::SchemaObject>& objects);
  // Without release(), closes the pipe: the guardian undoes the restore, and bru waits for it.
  ~RestoreGuardian();
  RestoreGuardian(const RestoreGuardian&) = delete;
  RestoreGuardian& operator=(const RestoreGuardian&) = delete;

  // The restore is committed, or bru has undone it itself: the guardian exits without a change.
  // Waits for it to end.
  void release() noexcept;

 private:
  void close_and_wait() noexcept;

  int pipe_write_ = -1;
  pid_t child_ = -1;
};

}  // namespace bru::commands

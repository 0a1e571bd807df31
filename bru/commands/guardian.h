// A guardian process: what bru cannot do itself when it is killed (kill -9, a crash, the OOM
// killer), a child forked beforehand does. The child ignores SIGINT/SIGTERM/SIGHUP (a Ctrl-C
// reaches the whole process group; bru itself answers it), closes the sockets it inherited (held
// open there, the server would never see bru's end) and waits on a pipe. bru writes one byte to it
// once its work is done or undone by itself (release()); when the pipe reaches end of file without
// that byte, bru died, and the child runs `after_death` and exits with its status. Only a kill of
// bru and its guardian together (kill -9 of the process group) escapes it.
//
// Used by a staged restore (restore_guardian.h: drops what the restore created) and by a backup
// (deletes the <file>.partial of the dead writer).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace bru::commands {

class Guardian {
 public:
  // Runs in the guardian after bru's death, in its copy of bru's memory (bru's objects there
  // belong to bru: use none that holds a connection or a file); returns the exit status.
  using AfterDeath = std::function<int()>;

  // Forks the guardian of `command` ("restore", "backup": how the errors name it). Throws
  // Error(kIo) when the pipe or the fork fails.
  Guardian(const std::string& command, AfterDeath after_death);
  // Without release(), closes the pipe: the guardian runs after_death, and bru waits for it.
  ~Guardian();
  Guardian(const Guardian&) = delete;
  Guardian& operator=(const Guardian&) = delete;

  // The work is done, or bru has undone it itself: the guardian exits without doing anything.
  // Waits for it to end.
  void release() noexcept;

 private:
  void close_and_wait() noexcept;

  int pipe_write_ = -1;
  pid_t child_ = -1;
};

}  // namespace bru::commands

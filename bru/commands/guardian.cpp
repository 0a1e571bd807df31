#include "bru/commands/guardian.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::commands {
namespace {

constexpr char kReleased = 'r';

void close_sockets() noexcept {
  const long max_fd = ::sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < (max_fd > 0 ? max_fd : 1024); ++fd) {
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode)) ::close(fd);
  }
}

// The guardian's life: wait for bru's word or its death, after_death after a death. Never returns.
[[noreturn]] void guard(int pipe_read, const Guardian::AfterDeath& after_death) {
  // bru's sockets (its connections to the server) are inherited: held open here, the server would
  // never see bru's end, and its open transaction would keep the locks the undo waits for.
  close_sockets();
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  std::signal(SIGHUP, SIG_IGN);
  char byte = 0;
  ssize_t got = 0;
  do {
    got = ::read(pipe_read, &byte, 1);
  } while (got < 0 && errno == EINTR);
  if (got == 1 && byte == kReleased) ::_exit(0);
  // bru died with its work half done: _exit, no destructors of the objects bru owned.
  int status = 1;
  try {
    status = after_death();
  } catch (...) {
  }
  std::fflush(stderr);
  ::_exit(status);
}

}  // namespace

Guardian::Guardian(const std::string& command, AfterDeath after_death) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(ErrorKind::kIo, fmt::format("cannot start the {}'s guardian: pipe: {}", command,
                                            std::strerror(errno)))
        .with_hint("nothing was changed: the process may be out of file descriptors (ulimit -n)");
  }
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    const int saved = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(ErrorKind::kIo, fmt::format("cannot start the {}'s guardian: fork: {}", command,
                                            std::strerror(saved)))
        .with_hint("nothing was changed: the system is out of processes or memory; try again");
  }
  if (child == 0) {
    ::close(fds[1]);
    guard(fds[0], after_death);
  }
  ::close(fds[0]);
  pipe_write_ = fds[1];
  child_ = child;
}

Guardian::~Guardian() { close_and_wait(); }

void Guardian::release() noexcept {
  if (pipe_write_ >= 0) {
    ssize_t written = 0;
    do {
      written = ::write(pipe_write_, &kReleased, 1);
    } while (written < 0 && errno == EINTR);
  }
  close_and_wait();
}

void Guardian::close_and_wait() noexcept {
  if (pipe_write_ >= 0) {
    ::close(pipe_write_);
    pipe_write_ = -1;
  }
  if (child_ > 0) {
    int status = 0;
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = -1;
  }
}

}  // namespace bru::commands

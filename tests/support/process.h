// A bru process started in the background, for tests that interrupt or kill a running command.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace bru::test {

class BruProcess {
 public:
  // Starts the built bru binary with the arguments; stdout/stderr go to files in a scratch dir.
  explicit BruProcess(const std::vector<std::string>& args);
  ~BruProcess();  // kills and reaps the process if still running
  BruProcess(const BruProcess&) = delete;
  BruProcess& operator=(const BruProcess&) = delete;

  void signal(int signal_number);
  pid_t pid() const { return pid_; }
  // Waits for the process to end; exit code, or 128+signal.
  RunResult wait();
  // Waits at most timeout_seconds; a process still running then is killed (SIGKILL) and the
  // result's exit_code is -1.
  RunResult wait(double timeout_seconds);

 private:
  ScratchDir scratch_;
  pid_t pid_ = -1;
};

// Polls until predicate() is true or the timeout passes; returns the last predicate value.
bool wait_until(const std::function<bool()>& predicate, double timeout_seconds);

}  // namespace bru::test

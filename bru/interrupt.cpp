#include "bru/interrupt.h"

#include <csignal>

#include "schema/error.h"

namespace bru {
namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal_number) { g_signal = signal_number; }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;  // drivers must not see EINTR mid-call
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  // Over a file-size limit (ulimit -f) the default action of SIGXFSZ kills bru with no message
  // and leaves the .partial file; ignored, the write fails with EFBIG, which the archive writer
  // reports (exit 7) and cleans up after.
  std::signal(SIGXFSZ, SIG_IGN);
}

bool interrupted() noexcept { return g_signal != 0; }

void throw_if_interrupted() {
  if (g_signal == 0) return;
  throw Error(ErrorKind::kInterrupted,
              g_signal == SIGINT ? "interrupted (SIGINT)" : "stopped by a signal")
      .with_hint("nothing partial was kept: run the command again to start over");
}

}  // namespace bru

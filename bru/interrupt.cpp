#include "bru/interrupt.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "bru/odbc/cancel.h"

namespace bru {
namespace {

volatile std::sig_atomic_t g_signal = 0;
std::atomic<bool> g_noticed{false};
// The self-pipe that wakes the watcher: written by the handler (write() is async-signal-safe,
// SQLCancel is not), read by the watcher thread.
int g_wake_pipe[2] = {-1, -1};

// The CancelHooks alive, by address; one mutex for the list and the calls, so that a hook's
// owner (and what `cancel` uses) outlives every call of it.
std::mutex g_hooks_mutex;
std::vector<std::pair<const CancelHook*, std::function<void()>>> g_hooks;

void cancel_hooks() noexcept {
  std::lock_guard lock(g_hooks_mutex);
  for (const auto& [hook, cancel] : g_hooks) {
    try {
      cancel();
    } catch (...) {  // a failed cancel leaves the work to end by itself
    }
  }
}

// How often the watcher cancels again until the run notices: a statement that entered its driver
// call just after a cancel (or between a check and the call) is caught by the next round.
constexpr auto kCancelEvery = std::chrono::milliseconds(50);

extern "C" void on_signal(int signal_number) {
  g_signal = signal_number;
  const int saved_errno = errno;
  const char byte = 1;
  if (g_wake_pipe[1] >= 0) {
    [[maybe_unused]] const auto written = ::write(g_wake_pipe[1], &byte, 1);
  }
  errno = saved_errno;
}

void watch_for_signals() {
  for (;;) {
    char byte = 0;
    const auto got = ::read(g_wake_pipe[0], &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;
    while (g_signal != 0 && !g_noticed.load()) {
      odbc::cancel_running_calls();
      cancel_hooks();
      std::this_thread::sleep_for(kCancelEvery);
    }
  }
}

}  // namespace

void install_interrupt_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(g_wake_pipe, O_CLOEXEC) == 0) {
      // A full pipe must never block the handler: one byte already waiting wakes the watcher.
      ::fcntl(g_wake_pipe[1], F_SETFL, O_NONBLOCK);
      std::thread(watch_for_signals).detach();
    }
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
  });
}

bool interrupted() noexcept { return g_signal != 0; }

bool interrupt_noticed() noexcept { return g_noticed.load(); }

Error interrupted_error() {
  g_noticed.store(true);
  return Error(ErrorKind::kInterrupted,
               g_signal == SIGINT ? "interrupted (SIGINT)" : "stopped by a signal")
      .with_hint("nothing partial was kept: run the command again to start over");
}

void throw_if_interrupted() {
  if (g_signal == 0) return;
  throw interrupted_error();
}

CancelHook::CancelHook(std::function<void()> cancel) {
  std::lock_guard lock(g_hooks_mutex);
  g_hooks.emplace_back(this, std::move(cancel));
}

CancelHook::~CancelHook() {
  std::lock_guard lock(g_hooks_mutex);
  std::erase_if(g_hooks, [this](const auto& entry) { return entry.first == this; });
}

}  // namespace bru

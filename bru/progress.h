// Progress of a backup or restore: counts rows and raw bytes and hands the log a report at most
// once per the log's interval (a redrawn terminal line in text, periodic events in JSON). Silent
// when the log shows no progress (-QUIET, a text log whose stderr is not a terminal).
// advance() and finish() are thread-safe: the sessions of a parallel restore add to one count,
// so the display shows one total (rows, MB/s, ETA) across them, named by the table reported last.
#pragma once

#include <chrono>
#include <mutex>
#include <cstdint>
#include <optional>
#include <string>

#include "bru/log.h"

namespace bru {

class Progress {
 public:
  // command: "backup" or "restore", as the report names it.
  Progress(log::Log& log, std::string command);
  ~Progress();

  // Whether anything is shown: callers skip work done only for progress.
  bool enabled() const noexcept { return interval_.has_value(); }
  // Sets the expected totals for an ETA (0 = unknown).
  void set_total(std::int64_t total_rows);
  // Adds rows and raw bytes done in the current table; reports at most once per interval (the
  // first call reports at once).
  void advance(const std::string& table_name, std::int64_t rows, std::int64_t bytes);
  // Ends the progress display (before the tables and the summary are shown).
  void finish();

 private:
  void report(const std::string& table_name);

  log::Log& log_;
  std::mutex mutex_;  // guards what follows, and the calls into log_
  std::string command_;
  std::optional<std::chrono::milliseconds> interval_;
  std::int64_t total_rows_ = 0;
  std::int64_t rows_ = 0;
  std::int64_t bytes_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_;
  bool reported_ = false;
  bool finished_ = false;
};

}  // namespace bru

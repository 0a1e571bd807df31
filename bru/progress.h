// Progress on stderr while a command runs: one line redrawn in place (rows, MB, MB/s, ETA when
// the total is known). Only on a terminal and without -QUIET; otherwise silent.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bru {

class Progress {
 public:
  // enabled: the caller's decision (-QUIET); a non-terminal stderr disables it too.
  Progress(std::string verb, bool enabled);
  ~Progress();

  // Whether anything is drawn (a terminal, no -QUIET): callers skip work done only for progress.
  bool enabled() const noexcept { return enabled_; }
  // Sets the expected totals for an ETA (0 = unknown).
  void set_total(std::int64_t total_rows);
  // Adds rows and raw bytes done in the current table; redraws at most ~5 times a second.
  void advance(const std::string& table_name, std::int64_t rows, std::int64_t bytes);
  // Clears the line (before printing a summary).
  void finish();

 private:
  void draw(const std::string& table_name);

  std::string verb_;
  bool enabled_;
  std::int64_t total_rows_ = 0;
  std::int64_t rows_ = 0;
  std::int64_t bytes_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace bru

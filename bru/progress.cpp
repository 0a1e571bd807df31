#include "bru/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace bru {

Progress::Progress(std::string verb, bool enabled)
    : verb_(std::move(verb)),
      enabled_(enabled && isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

Progress::~Progress() { finish(); }

void Progress::set_total(std::int64_t total_rows) { total_rows_ = total_rows; }

void Progress::advance(const std::string& table_name, std::int64_t rows, std::int64_t bytes) {
  rows_ += rows;
  bytes_ += bytes;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(table_name);
}

void Progress::draw(const std::string& table_name) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double mb = static_cast<double>(bytes_) / (1024.0 * 1024.0);
  const double rate = seconds > 0 ? mb / seconds : 0;
  std::string eta;
  if (total_rows_ > 0 && rows_ > 0 && rows_ < total_rows_) {
    const double remaining = seconds * static_cast<double>(total_rows_ - rows_) /
                             static_cast<double>(rows_);
    eta = fmt::format("  ETA {}:{:02}", static_cast<int>(remaining) / 60,
                      static_cast<int>(remaining) % 60);
  }
  fmt::print(stderr, "\r\x1b[K{} {}: {} rows, {:.1f} MB, {:.1f} MB/s{}", verb_, table_name, rows_,
             mb, rate, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace bru

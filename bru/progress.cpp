#include "bru/progress.h"

namespace bru {

Progress::Progress(log::Log& log, std::string command)
    : log_(log),
      command_(std::move(command)),
      interval_(log.progress_interval()),
      started_(std::chrono::steady_clock::now()),
      last_report_(started_) {}

Progress::~Progress() { finish(); }

void Progress::set_total(std::int64_t total_rows) { total_rows_ = total_rows; }

void Progress::advance(const std::string& table_name, std::int64_t rows, std::int64_t bytes) {
  const std::lock_guard lock(mutex_);
  rows_ += rows;
  bytes_ += bytes;
  if (!interval_) return;
  const auto now = std::chrono::steady_clock::now();
  if (reported_ && now - last_report_ < *interval_) return;
  last_report_ = now;
  report(table_name);
}

void Progress::report(const std::string& table_name) {
  log::ProgressReport report;
  report.command = command_;
  report.table = table_name;
  report.rows = rows_;
  report.bytes = bytes_;
  report.total_rows = total_rows_;
  report.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (total_rows_ > 0 && rows_ > 0 && rows_ < total_rows_) {
    report.eta_seconds = report.elapsed_seconds * static_cast<double>(total_rows_ - rows_) /
                         static_cast<double>(rows_);
  }
  log_.progress(report);
  reported_ = true;
}

void Progress::finish() {
  const std::lock_guard lock(mutex_);
  if (finished_ || !interval_) return;
  finished_ = true;
  log_.progress_done();
}

}  // namespace bru

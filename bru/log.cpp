#include "bru/log.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace bru::log {
namespace {

using Json = nlohmann::ordered_json;  // fields in the order written, as the README lists them

constexpr double kMiB = 1024.0 * 1024.0;

// Names and driver messages need not be UTF-8 (a SQLite table name is any bytes): replace what is
// not, so every line stays valid JSON instead of the dump throwing.
std::string to_text(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// The lines bru has always printed. Summaries go to stdout (a script may capture them), the rest
// to stderr.
class TextLog : public Log {
 public:
  explicit TextLog(bool quiet) : quiet_(quiet) {}

  void start(const Start&) override {}

  void warning(std::string_view, std::string_view message) override {
    fmt::print(stderr, "warning: {}\n", message);
  }

  std::optional<std::chrono::milliseconds> progress_interval() const override {
    // A redrawn line only makes sense on a terminal; in a file it would be noise.
    if (quiet_ || isatty(STDERR_FILENO) != 1) return std::nullopt;
    return std::chrono::milliseconds(200);
  }

  void progress(const ProgressReport& report) override {
    const double mb = static_cast<double>(report.bytes) / kMiB;
    const double rate = report.elapsed_seconds > 0 ? mb / report.elapsed_seconds : 0;
    std::string eta;
    if (report.eta_seconds) {
      const int remaining = static_cast<int>(*report.eta_seconds);
      eta = fmt::format("  ETA {}:{:02}", remaining / 60, remaining % 60);
    }
    fmt::print(stderr, "\r\x1b[K{} {}: {} rows, {:.1f} MB, {:.1f} MB/s{}", report.command,
               report.table, report.rows, mb, rate, eta);
    std::fflush(stderr);
    line_drawn_ = true;
  }

  void progress_done() override {
    if (!line_drawn_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    line_drawn_ = false;
  }

  void table_done(const TableDone& table) override {
    if (table.command == "verify" && !table.verified) {
      fmt::print("FAILED  {:<40} {}\n", table.table, table.problem);
      return;
    }
    if (quiet_) return;
    if (table.command == "backup") {
      fmt::print("{:<40} {:>12} rows {:>10.1f} MB  {:>7.2f} s\n", table.table, table.rows,
                 static_cast<double>(table.bytes) / kMiB, table.seconds);
    } else if (table.command == "restore") {
      fmt::print("{:<40} {:>12} rows  {:>7.2f} s  {}\n", table.table, table.rows, table.seconds,
                 table.verified ? "verified" : "not verified (-NO-VERIFY)");
    } else {
      fmt::print("ok      {:<40} {:>12} rows\n", table.table, table.rows);
    }
  }

  void backup_done(const BackupSummary& summary) override {
    fmt::print(
        "backup complete: {} tables, {} rows, {:.1f} MB of data stored in {:.1f} MB, "
        "{:.1f} s -> {}\n",
        summary.tables, summary.rows, static_cast<double>(summary.bytes) / kMiB,
        static_cast<double>(summary.stored_bytes) / kMiB, summary.seconds, summary.file);
  }

  void restore_done(const RestoreSummary& summary) override {
    fmt::print("restore complete: {} tables, {} rows{}, {:.1f} s\n", summary.tables, summary.rows,
               summary.verified ? ", verified against the archive" : "", summary.seconds);
  }

  void verify_done(const VerifySummary& summary) override {
    fmt::print("archive \"{}\" verified: {} tables, every chunk and checksum intact\n",
               summary.file, summary.tables);
  }

  void update_plan(const UpdatePlan& plan) override {
    if (plan.pending == 0) fmt::print("nothing to apply\n");
  }

  void section_applied(const SectionApplied& section) override {
    fmt::print(
        "applied version {}{} in {} ms\n", section.version,
        section.description.empty() ? std::string() : fmt::format(" ({})", section.description),
        section.milliseconds);
    // A long update shows each section as it lands, also when stdout is a pipe.
    std::fflush(stdout);
  }

  void checksum_repaired(const ChecksumRepaired& repair) override {
    fmt::print("repaired the checksum of version {}: {} -> {}\n", repair.version,
               repair.old_checksum, repair.new_checksum);
  }

  void lock_wait(const LockWait& wait) override {
    fmt::print(stderr, "waiting for the update lock of {}: held by {}\n", wait.target, wait.holder);
    std::fflush(stderr);
  }

  void update_done(const UpdateSummary& summary) override {
    fmt::print("database is at version {}{}\n", summary.version,
               summary.baseline ? " (baseline)" : "");
  }

  void error(const Error& error) override {
    progress_done();
    std::fputs(error.render().c_str(), stderr);
  }

  void end(int) override { std::fflush(stdout); }

 private:
  bool quiet_;
  bool line_drawn_ = false;
};

// One JSON object per line on stderr. Every object has "event" and "time" first.
class JsonLog : public Log {
 public:
  explicit JsonLog(bool quiet) : quiet_(quiet), started_(std::chrono::steady_clock::now()) {}

  void start(const Start& start) override {
    command_ = start.command;
    auto event = make_event("start");
    event["command"] = start.command;
    event["bru_version"] = BRU_VERSION;
    event["target"] = text_or_null(start.target);
    event["file"] = text_or_null(start.file);
    event["script"] = text_or_null(start.script);
    emit(event);
  }

  void warning(std::string_view code, std::string_view message) override {
    auto event = make_event("warning");
    event["code"] = code;
    event["message"] = message;
    emit(event);
  }

  std::optional<std::chrono::milliseconds> progress_interval() const override {
    // Bounded so a log collector is not flooded, and shown whatever stderr is.
    if (quiet_) return std::nullopt;
    return std::chrono::milliseconds(1000);
  }

  void progress(const ProgressReport& report) override {
    auto event = make_event("progress");
    event["command"] = report.command;
    event["table"] = report.table;
    event["rows"] = report.rows;
    event["bytes"] = report.bytes;
    event["total_rows"] = report.total_rows > 0 ? Json(report.total_rows) : Json();
    event["elapsed_seconds"] = report.elapsed_seconds;
    event["eta_seconds"] = report.eta_seconds ? Json(*report.eta_seconds) : Json();
    emit(event);
  }

  void progress_done() override {}

  void table_done(const TableDone& table) override {
    auto event = make_event("table");
    event["command"] = table.command;
    event["table"] = table.table;
    event["rows"] = table.rows;
    if (table.command != "verify") event["bytes"] = table.bytes;
    if (table.command == "backup") event["stored_bytes"] = table.stored_bytes;
    if (table.command != "verify") event["seconds"] = table.seconds;
    if (table.command != "backup") event["verified"] = table.verified;
    if (table.command == "verify") event["problem"] = text_or_null(table.problem);
    emit(event);
  }

  void backup_done(const BackupSummary& summary) override {
    auto event = make_summary(summary.seconds);
    event["tables"] = summary.tables;
    event["rows"] = summary.rows;
    event["bytes"] = summary.bytes;
    event["stored_bytes"] = summary.stored_bytes;
    event["file"] = summary.file;
    emit(event);
  }

  void restore_done(const RestoreSummary& summary) override {
    auto event = make_summary(summary.seconds);
    event["tables"] = summary.tables;
    event["rows"] = summary.rows;
    event["verified"] = summary.verified;
    emit(event);
  }

  void verify_done(const VerifySummary& summary) override {
    auto event = make_summary(seconds_since(started_));
    event["tables"] = summary.tables;
    event["file"] = summary.file;
    emit(event);
  }

  void update_plan(const UpdatePlan& plan) override {
    auto event = make_event("update_plan");
    event["current_version"] = plan.current_version;
    event["pending"] = plan.pending;
    emit(event);
  }

  void section_applied(const SectionApplied& section) override {
    auto event = make_event("section_applied");
    event["version"] = section.version;
    event["description"] = section.description;
    event["milliseconds"] = section.milliseconds;
    emit(event);
  }

  void checksum_repaired(const ChecksumRepaired& repair) override {
    auto event = make_event("checksum_repaired");
    event["version"] = repair.version;
    event["old_checksum"] = repair.old_checksum;
    event["new_checksum"] = repair.new_checksum;
    emit(event);
  }

  void lock_wait(const LockWait& wait) override {
    auto event = make_event("lock_wait");
    event["target"] = wait.target;
    event["holder"] = wait.holder;
    event["wait_seconds"] = wait.wait_seconds;
    emit(event);
  }

  void update_done(const UpdateSummary& summary) override {
    auto event = make_summary(seconds_since(started_));
    event["version"] = summary.version;
    event["applied"] = summary.applied;
    event["baseline"] = summary.baseline;
    emit(event);
  }

  void error(const Error& error) override {
    auto event = make_event("error");
    event["kind"] = error_kind_name(error.kind());
    event["exit_code"] = error.exit_code();
    event["message"] = error.message();
    event["hints"] = error.hints();
    event["sqlstate"] = text_or_null(error.sqlstate());
    event["native_code"] = error.sqlstate().empty() ? Json() : Json(error.native_code());
    Json detail = Json::object();
    for (const auto& [key, value] : error.context()) detail[key] = value;
    event["detail"] = detail;
    emit(event);
  }

  void end(int exit_code) override {
    if (summarised_) return;
    auto event = make_event("summary");
    event["command"] = text_or_null(command_);
    event["exit_code"] = exit_code;
    event["seconds"] = seconds_since(started_);
    emit(event);
  }

 private:
  static Json text_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

  static Json make_event(const char* name) {
    Json event;
    event["event"] = name;
    event["time"] = utc_now();
    return event;
  }

  // The summary of a run that succeeded; end() writes the one of a run that failed.
  Json make_summary(double seconds) {
    summarised_ = true;
    auto event = make_event("summary");
    event["command"] = command_;
    event["exit_code"] = 0;
    event["seconds"] = seconds;
    return event;
  }

  // "2026-12-02T01:02:03.456Z"
  static std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  }

  static void emit(const Json& event) {
    const auto line = to_text(event, -1);
    std::fputs(line.c_str(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }

  bool quiet_;
  std::chrono::steady_clock::time_point started_;
  std::string command_;
  bool summarised_ = false;
};

}  // namespace

std::optional<Format> parse_format(std::string_view word) {
  if (word == "text") return Format::kText;
  if (word == "json") return Format::kJson;
  return std::nullopt;
}

void print_document(const Json& document) {
  std::fputs(to_text(document, 2).c_str(), stdout);
  std::fputc('\n', stdout);
}

std::unique_ptr<Log> make_log(Format format, bool quiet) {
  if (format == Format::kJson) return std::make_unique<JsonLog>(quiet);
  return std::make_unique<TextLog>(quiet);
}

}  // namespace bru::log

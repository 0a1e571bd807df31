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
      fmt::print("{:<40} {:>12} rows {:>10.1f} MB  {:>7.2f} s{}\n", table.table, table.rows,
                 static_cast<double>(table.bytes) / kMiB, table.seconds,
                 table.sessions > 1 ? fmt::format("  read in {} slices", table.sessions) : "");
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
    if (!summary.script.empty()) {
      fmt::print("restore script \"{}\" written: {} tables, {} rows{}, {:.1f} s\n",
                 summary.script, summary.tables, summary.rows,
                 summary.verified ? ", archive checksums verified" : "", summary.seconds);
      return;
    }
    fmt::print("restore complete: {} tables, {} rows{}, {:.1f} s\n", summary.tables, summary.rows,
               summary.verified ? ", verified against the archive" : "", summary.seconds);
  }

  void verify_done(const VerifySummary& summary) override {
    fmt::print("archive \"{}\" verified: {} tables, every chunk and checksum intact{}\n",
               summary.file, summary.tables,
               summary.toc_checked ? "" : " (format 1: its table of contents carries no checksums)");
  }

  void update_plan(const UpdatePlan& plan) override {
    if (plan.pending == 0) fmt::print("nothing to apply\n");
  }

  void section_applied(const SectionApplied& section) override {
    const char* what = section.kind == "repeatable" ? "applied repeatable"
                       : section.kind == "undo"     ? "undid version"
                                                    : "applied version";
    fmt::print(
        "{} {}{} in {} ms\n", what, section.version,
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
    fmt::print(stderr, "waiting for {} of {}: held by {}\n", wait.lock, wait.target, wait.holder);
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

// One JSON object per line on stderr. Every object has "event" and "time" first, then the
// event's fields in the order README.md lists them.
class JsonLog : public Log {
 public:
  explicit JsonLog(bool quiet) : quiet_(quiet), started_(std::chrono::steady_clock::now()) {}

  void start(const Start& start) override {
    command_ = start.command;
    emit("start", {{"command", start.command},
                   {"bru_version", BRU_VERSION},
                   {"target", text_or_null(start.target)},
                   {"file", text_or_null(start.file)},
                   {"script", text_or_null(start.script)}});
  }

  void warning(std::string_view code, std::string_view message) override {
    emit("warning", {{"code", code}, {"message", message}});
  }

  std::optional<std::chrono::milliseconds> progress_interval() const override {
    // Bounded so a log collector is not flooded, and shown whatever stderr is.
    if (quiet_) return std::nullopt;
    return std::chrono::milliseconds(1000);
  }

  void progress(const ProgressReport& report) override {
    emit("progress", {{"command", report.command},
                      {"table", report.table},
                      {"rows", report.rows},
                      {"bytes", report.bytes},
                      {"total_rows", report.total_rows > 0 ? Json(report.total_rows) : Json()},
                      {"elapsed_seconds", report.elapsed_seconds},
                      {"eta_seconds", report.eta_seconds ? Json(*report.eta_seconds) : Json()}});
  }

  void progress_done() override {}

  void table_done(const TableDone& table) override {
    Json fields = {{"command", table.command}, {"table", table.table}, {"rows", table.rows}};
    if (table.command == "verify") {
      fields.update({{"verified", table.verified}, {"problem", text_or_null(table.problem)}});
    } else {
      fields["bytes"] = table.bytes;
      if (table.command == "backup") {
        fields["stored_bytes"] = table.stored_bytes;
        fields["sessions"] = table.sessions;
      }
      fields["seconds"] = table.seconds;
      if (table.command == "restore") fields["verified"] = table.verified;
    }
    emit("table", fields);
  }

  void backup_done(const BackupSummary& summary) override {
    emit_summary(summary.seconds, {{"tables", summary.tables},
                                   {"rows", summary.rows},
                                   {"bytes", summary.bytes},
                                   {"stored_bytes", summary.stored_bytes},
                                   {"file", summary.file}});
  }

  void restore_done(const RestoreSummary& summary) override {
    Json totals = {{"tables", summary.tables}, {"rows", summary.rows}, {"verified", summary.verified}};
    if (!summary.script.empty()) totals["script"] = summary.script;
    emit_summary(summary.seconds, totals);
  }

  void verify_done(const VerifySummary& summary) override {
    emit_summary(seconds_since(started_), {{"tables", summary.tables},
                                              {"file", summary.file},
                                              {"toc_checked", summary.toc_checked}});
  }

  void update_plan(const UpdatePlan& plan) override {
    emit("update_plan", {{"current_version", plan.current_version}, {"pending", plan.pending}});
  }

  void section_applied(const SectionApplied& section) override {
    emit("section_applied", {{"version", section.version},
                             {"description", section.description},
                             {"milliseconds", section.milliseconds},
                             {"kind", section.kind}});
  }

  void checksum_repaired(const ChecksumRepaired& repair) override {
    emit("checksum_repaired", {{"version", repair.version},
                               {"old_checksum", repair.old_checksum},
                               {"new_checksum", repair.new_checksum}});
  }

  void lock_wait(const LockWait& wait) override {
    emit("lock_wait",
         {{"lock", wait.lock},
          {"target", wait.target},
          {"holder", wait.holder},
          {"wait_seconds", wait.wait_seconds}});
  }

  void update_done(const UpdateSummary& summary) override {
    emit_summary(seconds_since(started_), {{"version", summary.version},
                                           {"applied", summary.applied},
                                           {"baseline", summary.baseline}});
  }

  void error(const Error& error) override {
    Json detail = Json::object();
    for (const auto& [key, value] : error.context()) detail[key] = value;
    emit("error", {{"kind", error_kind_name(error.kind())},
                   {"exit_code", error.exit_code()},
                   {"message", error.message()},
                   {"hints", error.hints()},
                   {"sqlstate", text_or_null(error.sqlstate())},
                   {"native_code", error.sqlstate().empty() ? Json() : Json(error.native_code())},
                   {"detail", detail}});
  }

  void end(int exit_code) override {
    if (summarised_) return;
    // The summary of a run that failed, or of a command whose product is its output.
    emit("summary", {{"command", text_or_null(command_)},
                     {"exit_code", exit_code},
                     {"seconds", seconds_since(started_)}});
  }

 private:
  static Json text_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

  // The summary of a run that succeeded: the common fields, then the command's totals.
  void emit_summary(double seconds, const Json& totals) {
    summarised_ = true;
    Json fields = {{"command", command_}, {"exit_code", 0}, {"seconds", seconds}};
    fields.update(totals);
    emit("summary", fields);
  }

  static void emit(const char* name, const Json& fields) {
    Json event = {{"event", name}, {"time", utc_now()}};
    event.update(fields);
    const auto line = to_text(event, -1);
    std::fputs(line.c_str(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
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

// What a command tells its user while it runs: the events of one bru run, and the sink that
// shows them. A command says *what happened* once (a table was backed up, a section applied, a
// warning with its code); the sink decides how it looks:
//   - text (the default): the lines bru has always printed, summaries on stdout, warnings,
//     notes, errors and the terminal progress line on stderr;
//   - JSON (--log-format=json): one JSON object per line on stderr for every event, nothing
//     else on stderr or stdout. The event and field names are stable; README.md "Output for
//     machines" lists them.
// The products of a command (-LIST's table of contents, -GETVERSION's version, -DRYRUN's plan)
// are not events: the command writes them to stdout itself.
//
// A sink never sees a password: targets are ConnectTarget::display forms. Not thread-safe; one
// sink per run, used from the command's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "schema/error.h"

namespace bru::log {

enum class Format { kText, kJson };

// The --log-format word ("text", "json") as a Format; nullopt for any other word.
std::optional<Format> parse_format(std::string_view word);

// The events. Callers fill them with designated initializers; every member has a default (the
// strings' `{}` too) so that leaving one out is not a -Wmissing-field-initializers warning.

// The run began. target: the display form of -DB ("" when there is none or it does not parse).
struct Start {
  std::string command{};  // "backup", "restore", "list", "verify", "update", "getversion", ...
  std::string target{};
  std::string file{};    // -FILE, "" when not given
  std::string script{};  // -SCRIPT, "" when not given
};

// Rows and raw bytes done so far by a backup or restore.
struct ProgressReport {
  std::string command{};  // "backup" or "restore"
  std::string table{};    // the table being read or loaded
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  std::int64_t total_rows = 0;  // 0 = unknown
  double elapsed_seconds = 0;
  std::optional<double> eta_seconds;  // when total_rows is known
};

// One table of a backup, restore or verify.
struct TableDone {
  std::string command{};  // "backup", "restore" or "verify"
  std::string table{};
  std::int64_t rows = 0;
  std::int64_t bytes = 0;         // raw bytes of row data (backup, restore)
  std::int64_t stored_bytes = 0;  // compressed bytes in the archive (backup)
  std::size_t sessions = 1;       // backup: the sessions that read it, each a slice, when over 1
  double seconds = 0;
  bool verified = false;  // restore: read back and matched; verify: every check passed
  std::string problem{};  // verify: what failed ("" when verified)
};

struct BackupSummary {
  std::size_t tables = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  std::int64_t stored_bytes = 0;
  double seconds = 0;
  std::string file{};
};

struct RestoreSummary {
  std::size_t tables = 0;
  std::int64_t rows = 0;
  bool verified = false;  // false with -NO-VERIFY; -SQL: the archive's checksums were checked
  double seconds = 0;
  std::string script{};  // -RESTORE -SQL: the script written ("" for a restore into -DB)
};

struct VerifySummary {
  std::size_t tables = 0;
  std::string file{};
  bool toc_checked = true;  // false for a format 1 archive: its table of contents has no checksums
};

// The update commands. version: the version text, "none" when the database has none.
struct UpdatePlan {
  std::string current_version{};
  std::size_t pending = 0;  // sections to apply
};

struct SectionApplied {
  std::string version{};  // a repeatable section's name for kind "repeatable"
  std::string description{};
  long long milliseconds = 0;
  std::string kind = "versioned";  // "versioned", "repeatable", "undo" (the version was undone)
};

struct ChecksumRepaired {
  std::string version{};
  std::string old_checksum{};
  std::string new_checksum{};
};

struct LockWait {
  std::string lock{"the update lock"};  // what is waited for: "the update lock", "the write lock"
  std::string target{};
  std::string holder{};  // "bru@127.0.0.1 (pid 42) since 2026-01-01 10:00:00"
  int wait_seconds = 0;
};

struct UpdateSummary {
  std::string version{};  // the database's version after the run
  std::size_t applied = 0;
  bool baseline = false;  // -BASELINE marked the version
};

class Log {
 public:
  virtual ~Log() = default;

  virtual void start(const Start& start) = 0;
  // A condition the user should know that does not stop the run. code: stable, lower-case words
  // joined by '-' ("generated-column-skipped").
  virtual void warning(std::string_view code, std::string_view message) = 0;
  // How often progress() may be called: nullopt when progress is not shown at all (-QUIET, or a
  // text log whose stderr is not a terminal). Callers skip work done only for progress.
  virtual std::optional<std::chrono::milliseconds> progress_interval() const = 0;
  virtual void progress(const ProgressReport& report) = 0;
  // Progress is over (before the tables and the summary are shown).
  virtual void progress_done() = 0;
  virtual void table_done(const TableDone& table) = 0;
  virtual void backup_done(const BackupSummary& summary) = 0;
  virtual void restore_done(const RestoreSummary& summary) = 0;
  virtual void verify_done(const VerifySummary& summary) = 0;
  virtual void update_plan(const UpdatePlan& plan) = 0;
  virtual void section_applied(const SectionApplied& section) = 0;
  virtual void checksum_repaired(const ChecksumRepaired& repair) = 0;
  virtual void lock_wait(const LockWait& wait) = 0;
  virtual void update_done(const UpdateSummary& summary) = 0;
  // The error that ended the run.
  virtual void error(const Error& error) = 0;
  // The run ends with this exit code: the JSON log's final summary when the command gave none
  // (an error, -LIST, -GETVERSION). Call once, last.
  virtual void end(int exit_code) = 0;
};

// Prints a command's product as one JSON document on stdout (-LIST -JSON, -GETVERSION -JSON),
// indented, ending with a newline. Text that is not UTF-8 is replaced (U+FFFD), never refused.
void print_document(const nlohmann::ordered_json& document);

// The sink of a run. quiet (-QUIET): no progress, and the text log leaves out the per-table lines
// of a successful backup, restore or verify (the JSON log keeps its table events).
std::unique_ptr<Log> make_log(Format format, bool quiet);

}  // namespace bru::log

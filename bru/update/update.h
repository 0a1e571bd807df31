// The pieces of bru -UPDATE / -GETVERSION / -BASELINE (DESIGN §6, issue 3): the history table in
// the target, the session lock, and running a section. The SQL is the engine's
// schema::UpdateDialect; bru/commands/update.cpp strings the steps together.
#pragma once

#include <chrono>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bru/log.h"
#include "bru/odbc/connection.h"
#include "bru/options.h"
#include "schema/script/script.h"
#include "schema/dialect.h"
#include "schema/update_dialect.h"

namespace bru::update {

// A connection opened for the update commands, with the engine's update facet. No session setup
// is run: scripts see the session exactly as the DBA's own client would.
struct UpdateSession {
  odbc::ConnectTarget target;
  odbc::Connection connection;
  std::unique_ptr<schema::Dialect> dialect;  // the update facet is dialect->update()
  // Engines without a session lock (SQLite): how long begin_section waits for another
  // connection's write lock, and the log it tells when it starts waiting. UpdateLock sets them.
  int write_wait_seconds = 0;
  log::Log* write_wait_log = nullptr;
};

// How long one attempt of begin_section waits inside the SQLite driver before bru looks again:
// the update session's busy timeout (also the most a read waits for another run's commit).
inline constexpr int kSqliteBusyPollMs = 250;

// Opens a section's transaction with the dialect's begin_section_sql. While another connection
// holds the write lock (SQLite) it retries until session.write_wait_seconds have passed, telling
// session.write_wait_log once (a lock_wait event for "the write lock"). Throws
// Error(kConflict) after the wait, kDatabase for any other failure.
void begin_section(UpdateSession& session);

// Connects to options.db. create_sqlite_file: whether a missing SQLite file is created (an
// update may start from an empty database; -GETVERSION and -DRYRUN must change nothing).
// Throws kUsage (bad connection string, engine not told), kConnect, kNotFound (SQLite file).
UpdateSession open_update_session(const cli::Options& options, bool create_sqlite_file);

// The kind column's values (schema/update_dialect.h).
inline constexpr std::string_view kVersionedKind = "versioned";
inline constexpr std::string_view kRepeatableKind = "repeatable";
inline constexpr std::string_view kUndoKind = "undo";

// One row of bru_schema_history (see schema/update_dialect.h for the columns).
struct HistoryRow {
  int rank = 0;
  std::string version;
  std::string description;
  std::string script;
  std::string checksum;
  bool success = false;
  int statement_count = 0;
  int statements_done = 0;
  std::string installed_by;
  std::string installed_on;  // "YYYY-MM-DD HH:MM:SS", server time
  long long execution_ms = 0;
  std::string kind = std::string(kVersionedKind);  // kVersionedKind, kRepeatableKind, kUndoKind
  // Checksums of the statements done, where progress is per statement; empty in rows of an
  // earlier bru and of sections run in one transaction.
  std::vector<std::string> statement_checksums{};

  bool is_versioned() const { return kind == kVersionedKind; }
  bool is_undo() const { return kind == kUndoKind; }
  bool is_repeatable() const { return kind == kRepeatableKind; }
};

// The latest versioned or undo row of each version (rows oldest first), by version: what the
// version's state follows. Rows whose version does not parse are left out.
std::map<Version, const HistoryRow*> latest_by_version(const std::vector<HistoryRow>& rows);

// Whether the version of this (latest) row is in the database: a successful versioned row, or an
// undo that failed part way (what it left is neither applied nor undone; it counts as applied
// until -UNDO finishes it).
bool counts_as_applied(const HistoryRow& row);

// The history table of one database.
class History {
 public:
  explicit History(UpdateSession& session)
      : connection_(session.connection), dialect_(session.dialect->update()), session_(&session) {}
  History(odbc::Connection& connection, const schema::UpdateDialect& dialect)
      : connection_(connection), dialect_(dialect) {}

  bool exists();
  // Creates the table when it does not exist, and adds the columns of later bru versions to a
  // table an earlier one made (under the lock, or in a write transaction on engines without
  // one). Throws kDatabase.
  void ensure_exists();
  // Whether the table has the columns migrate_history_sql adds.
  bool migrated();
  // Every row, oldest first; empty when the table does not exist.
  std::vector<HistoryRow> rows();
  void insert(const HistoryRow& row, long long execution_ms);
  void update(const HistoryRow& row, long long execution_ms);
  void repair_checksum(int rank, const std::string& checksum);
  // The database user bru records (the OS user for SQLite).
  const std::string& installed_by();

 private:
  odbc::Connection& connection_;
  const schema::UpdateDialect& dialect_;
  UpdateSession* session_ = nullptr;  // for begin_section; nullptr: begin without waiting
  std::optional<std::string> installed_by_;

  void create_or_migrate();
};

// The highest version that counts_as_applied (its latest row), or nullopt when there is none.
std::optional<Version> current_version(const std::vector<HistoryRow>& rows);
// The version as printed: its text, or "none".
std::string version_text(const std::optional<Version>& version);

// The session lock of one update run, released when destroyed (and by the server when the
// session ends, so a crashed run never leaves it behind). Engines without a session lock
// (SQLite) get the busy timeout instead and lock per section.
class UpdateLock {
 public:
  // Takes the lock, polling until wait_seconds have passed; tells `log` once who holds it while
  // waiting (a lock_wait event). Engines without one: sets session.write_wait_* instead. Throws Error(kConflict) naming the holder and since when after
  // the wait.
  UpdateLock(UpdateSession& session, int wait_seconds, log::Log& log);
  ~UpdateLock();
  UpdateLock(const UpdateLock&) = delete;
  UpdateLock& operator=(const UpdateLock&) = delete;

 private:
  bool try_take();
  std::string holder();

  UpdateSession& session_;
  bool held_ = false;
};

// What applying one section did.
struct SectionResult {
  bool applied = false;  // false: another run applied it first (SQLite, lock per section)
  long long execution_ms = 0;
};

// Runs one section — versioned, repeatable or undo (Section::kind gives the history row's kind)
// — and records it. Transactional engines, unless the section is `transaction off`: one
// transaction holds the statements and the history row. Otherwise: a history row with success 0
// first, statements_done and statement_checksums updated after each statement, success 1 at the
// end; `resume` is the failed row of an earlier run of this section, whose statements_done are
// skipped (the caller has checked them against the script: status.h changed_statement).
// A failing statement throws Error(kDatabase, "<file>:<line>: statement failed: <first line>:
// <driver message>") with the SQLSTATE, native code and a hint naming the version the database
// stays at (current).
SectionResult apply_section(UpdateSession& session, History& history, const Section& section,
                            const std::optional<HistoryRow>& resume, int next_rank,
                            const std::optional<Version>& current);

// The -DRYRUN listing of sections: a `-- bru:version v (description)` line, then per statement
// (batch) a `-- at <file>:<line>` line, its text, and a line with the dialect's terminator
// (";", "GO" / "GO <n>", "/"). skip_statements: statements of the first section already applied
// by an earlier run (it resumes after them).
void print_plan(std::ostream& out, const schema::UpdateDialect& dialect,
                const std::vector<const Section*>& sections, int skip_statements);


}  // namespace bru::update

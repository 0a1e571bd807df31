// The update-script facet of each engine (DESIGN §6, issue 3): the history table bru keeps in the
// target, the session lock that keeps two -UPDATEs apart, and whether DDL is transactional.
// Pure SQL text: bru/update/ runs it. Reached from the engine's Dialect (Dialect::update()); each
// engine's facet is schema/engines/<engine>/<engine>_update.h. The splitting rules are described
// in schema/script/splitter.h.
//
// The history table, bru_schema_history, in the connection's default schema:
//   installed_rank   1, 2, ... in the order rows were written (the primary key)
//   version          the section's version as written in the script
//   description      the section's description ("" when none; "<< baseline >>" for -BASELINE)
//   script           the file the section came from (the file name, not its folder)
//   checksum         section_checksum of the section as written ("" for a baseline row)
//   installed_by     the database user (current_user_sql), or the OS user for SQLite
//   installed_on     set by the server when the row is written
//   execution_ms     wall time of the section, milliseconds
//   success          1 applied, 0 failed part way (only engines without transactional DDL keep
//                    a failed row: it records how far the section got)
//   statement_count  statements (batches) in the section
//   statements_done  statements that succeeded; a re-run resumes after them
// Added by bru 0.x's issue 10 (migrate_history_sql adds them to a table an earlier bru made; both
// NULL in the rows it wrote):
//   kind                 "versioned" (NULL: the same), "repeatable" (version holds the repeatable
//                        section's name) or "undo" (version is the version the row undid)
//   statement_checksums  the section_checksum of each statement that succeeded, comma separated,
//                        where progress is per statement ("" or NULL: not recorded)
// Parameters are bound as text in the order the *_sql contracts give; integers are sent as
// decimal text (every engine converts them on insert).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bru::schema {

// How try_lock_sql reports a lock held by someone else.
enum class LockReport {
  kRow,    // try_lock_sql returns one row, one column: "1" taken, anything else not
  kError,  // try_lock_sql is a block that fails (native code lock_busy_native_code) when held
};

class UpdateDialect {
 public:
  virtual ~UpdateDialect() = default;

  // "postgres", "sqlite", "mariadb", "mssql", "oracle".
  virtual std::string_view name() const = 0;

  // Whether DDL runs inside a transaction (PostgreSQL, SQLite, SQL Server). When true a section
  // and its history row commit together; when false (MariaDB, Oracle commit DDL implicitly)
  // progress is written after each statement.
  virtual bool transactional_ddl() const = 0;

  // A query that returns a row when the history table exists, no row when it does not.
  virtual std::string history_exists_sql() const = 0;
  // CREATE TABLE bru_schema_history (...), the columns of the first bru; migrate_history_sql
  // then adds the later ones.
  virtual std::string create_history_sql() const = 0;
  // A query that returns a row when the history table has the kind column (it is migrated).
  virtual std::string history_migrated_sql() const = 0;
  // The statements that add kind and statement_checksums to a table that lacks them.
  virtual std::vector<std::string> migrate_history_sql() const = 0;
  // Every history row, oldest first, columns: installed_rank, version, description, script,
  // checksum, success, statement_count, statements_done, installed_by, installed_on (as
  // installed_on_text gives it), execution_ms, and when migrated kind, statement_checksums.
  virtual std::string select_history_sql(bool migrated = true) const;
  // An expression giving installed_on as text "YYYY-MM-DD HH:MM:SS" in server time (the form
  // lock_holder_sql uses), so -INFO shows one form on every engine.
  virtual std::string installed_on_text() const = 0;
  // Parameters: installed_rank, version, description, script, checksum, installed_by,
  // execution_ms, success, statement_count, statements_done, kind, statement_checksums.
  virtual std::string insert_history_sql() const;
  // Parameters: checksum, execution_ms, success, statement_count, statements_done,
  // statement_checksums, installed_rank.
  virtual std::string update_history_sql() const;
  // Parameters: checksum, installed_rank (-REPAIR).
  virtual std::string repair_checksum_sql() const;
  // A query returning the database user as one value, or "" when the engine has no users
  // (SQLite: bru records the OS user).
  virtual std::string current_user_sql() const = 0;

  // The session lock. Empty try_lock_sql: the engine has no session lock and each section takes
  // its write lock with begin_section_sql instead (SQLite).
  virtual std::string try_lock_sql() const = 0;
  virtual LockReport lock_report() const { return LockReport::kRow; }
  // Also, on engines without a session lock, the native code of begin_section_sql failing
  // because another connection holds the write lock (SQLite: 5, SQLITE_BUSY).
  virtual long lock_busy_native_code() const { return 0; }
  virtual std::string unlock_sql() const = 0;
  // A query returning (holder, since) of the lock held by another session — holder like
  // "bru@127.0.0.1 (pid 4242)", since as "YYYY-MM-DD HH:MM:SS" (server time) — or no row.
  virtual std::string lock_holder_sql() const = 0;

  // Statements that open and end a section's transaction on a connection left in autocommit
  // mode. Empty begin_section_sql: bru uses the driver's transaction (autocommit off) instead.
  virtual std::string begin_section_sql() const { return {}; }
  virtual std::string commit_section_sql() const { return {}; }
  virtual std::string rollback_section_sql() const { return {}; }

  // What ends a statement when -DRYRUN prints the plan as a script the engine's own client runs:
  // ";" (SQL Server: a GO line, "GO <repeat>" for a repeated batch; Oracle: a "/" line).
  virtual std::string plan_terminator(int repeat) const {
    (void)repeat;
    return ";";
  }
};

// The PostgreSQL advisory lock key bru takes (one bigint; "bru_upd" in ASCII, as a number).
inline constexpr long long kPostgresLockKey = 0x6272755F757064LL;
// The lock name used by MariaDB GET_LOCK, SQL Server sp_getapplock and Oracle DBMS_LOCK.
inline constexpr std::string_view kLockName = "bru_update";

}  // namespace bru::schema

// -RESTORE -THREADS n into PostgreSQL or MariaDB: the restore in steps, each of them shared by n
// sessions (libpq; libmariadb, restore_workers.h), as pg_restore -j and myloader -t do.
//
//   1. one transaction on the first session, committed: pre-data (schemas, extensions, types,
//      functions, sequences, tables, views);
//   2. the tables, largest first, each loaded by whichever session is free in a transaction of
//      its own: COPY ... FROM STDIN, then read back through COPY ... TO STDOUT and compared with
//      the archive (rows and content checksum) before that transaction commits (-NO-VERIFY: no
//      read-back), so verification overlaps with the other sessions' loads. On MariaDB: LOAD
//      DATA LOCAL INFILE, committed, then read back on the same session, streamed
//      (bru/mariadb/stream_reader.h; a keyed table with long columns: through the worker's ODBC
//      connection). Into
//      PostgreSQL a table larger than a session's share is loaded by every session at once, each
//      its part in a transaction of its own, and read back afterwards (not into MariaDB:
//      WorkerSession::loads_parts_of_a_table);
//   3. each table's primary key, unique constraints and indexes as soon as it is loaded (and
//      read back), on whichever session is free, meanwhile the others load (one table's
//      statements in order on one session: ALTER TABLE locks the table), as pg_restore -j does;
//   4. each table's foreign keys once the keys on both of their sides are built, never two at
//      the same time on the same table (each locks the tables on both of its sides);
//   5. one last transaction on the first session: sequence positions, then the other post-data
//      objects (triggers, rules, policies, comments, owners, grants, materialized view data).
//
// On MariaDB, whose DDL commits as it runs, step 1 and 5 are no transactions: each statement
// commits as it runs, as on the one-session path.
//
// It cannot be one transaction, so it keeps the promise of the one-transaction restore another
// way: the target's catalog is read before step 1, and on any failure, a verification mismatch,
// SIGINT/SIGTERM, every session stops (the others' statements are cancelled), and bru drops every
// table and object the restore created (never one that was there before), then reads the catalog
// again and compares it with the one before: the error then says the target is as it was, or
// names what differs. A kill -9 of bru is answered by its guardian (restore_guardian.h), which
// ends bru's sessions on the server (PostgreSQL: they carry application_name "bru restore <pid>";
// MariaDB: their connection ids, shared with the guardian, are KILLed) and runs the same undo.
// What step 5 changes on objects that existed before (a COMMENT ON SCHEMA public) is in its
// transaction: nothing of it stays when the restore fails.
//
// Where it applies (restore_threads()): a full restore into PostgreSQL through libpq or into
// MariaDB through libmariadb (-BULK auto, a host/port or socket connection; MariaDB: a server
// that allows LOAD DATA LOCAL); -SCHEMA-ONLY, -CHECK-RESTORE, -ZERO-DATES null, -BULK odbc, a DSN
// and every other engine restore in one session, and -CLEAN and -DATA-ONLY (which change tables
// that exist, which the undo could not bring back) are refused with -THREADS n > 1 and restore in
// one transaction without it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bru/commands/database.h"
#include "bru/commands/commands.h"
#include "bru/commands/restore_plan.h"
#include "bru/log.h"
#include "bru/options.h"
#include "formats/archive.h"
#include "schema/catalog.h"

namespace bru::commands {

// The default of -THREADS, measured on a 2-core machine (README, "Restore"): two sessions.
inline constexpr int kDefaultRestoreThreads = 2;

// One restored table, for the report.
struct RestoredTable {
  std::string name;
  std::int64_t rows = 0;
  std::int64_t raw_bytes = 0;
  bool verified = false;
  double seconds = 0;
  // What the restored table must read back as: the archive's checksum, with the rows
  // -ZERO-DATES null changed swapped in (the one-session path; the parallel one reads back
  // against the archive's own).
  std::uint64_t checksum = 0;
  // Whether a value longer than a piece was loaded: only then does the read-back ask for the
  // longest values and read those in pieces (restore_session.h read_back_copy).
  bool long_values = false;
};

// The sessions a restore of these options into this target runs with: 1 (one transaction) or
// more (restore_parallel()). Throws Error(kUsage) for -THREADS n > 1 with -CLEAN or -DATA-ONLY;
// warns (code "threads-ignored") when -THREADS n > 1 does not apply to the target.
int restore_threads(const cli::Options& options, Database& database, RestoreEnd end,
                    log::Log& log);

// Runs the steps above with `threads` sessions; the tables in scope order, `objects` the archive's
// entries the restore takes (empty when it restores none of them). Returns the tables restored,
// in scope order. Throws the first failure's Error, with a hint saying the target is as it was
// (or, if the undo failed, what is left).
std::vector<RestoredTable> restore_parallel(Database& database, const cli::Options& options,
                                            const std::vector<const archive::TableEntry*>& tables,
                                            const std::vector<archive::ObjectEntry>& objects,
                                            const RestorePlan& plan, int threads, log::Log& log);

}  // namespace bru::commands

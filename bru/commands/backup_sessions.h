// -BACKUP's snapshot and the sessions that read in it (backup.cpp runs them): the snapshot is
// begun on the backup's ODBC connection, under the engine's brief global read lock where it has
// one; the readers join it (PostgreSQL: libpq sessions importing the exported snapshot; MariaDB:
// ODBC connections and libmariadb sessions beginning theirs under the lock).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bru/commands/database.h"
#include "bru/log.h"
#include "bru/mariadb/session.h"
#include "bru/options.h"
#include "bru/pg/session.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::commands {

// The backup's snapshot: its position in the server's change log ("" where it keeps none), the
// tables it does not cover (name -> engine: MariaDB's MyISAM, Aria, ...), and whether the global
// read lock is still held for them.
struct Snapshot {
  std::string position;
  std::map<std::string, std::string> outside;
  bool locked = false;
};

// Releases the global read lock if it is still held.
void release_lock(Database& database, Snapshot& snapshot);

// Begins the backup's snapshot, under the engine's brief global read lock where it has one and
// the user may take it (warned where not). The lock is released at once unless some tables are
// outside the snapshot: then it is kept until they are read (release_lock).
//
// join_snapshot runs right after the snapshot began, under the lock where it was taken: there the
// other sessions of a parallel backup begin theirs (MariaDB), so that all read the same. Throws
// Error(kDatabase) from the server (a lock wait past -LOCKWAIT included).
Snapshot begin_snapshot(Database& database, const cli::Options& options, log::Log& log,
                        const std::function<void(bool locked)>& join_snapshot);

// One session of the backup, reading in its snapshot.
struct Reader {
  Database* database = nullptr;        // its ODBC connection: the backup's own or `owned`
  std::unique_ptr<Database> owned;     // the other sessions' connections (ODBC path)
  std::unique_ptr<pg::Session> copy;   // PostgreSQL -BULK auto: COPY ... TO STDOUT through libpq
  // MariaDB -BULK auto: the streamed reads (stream_reader.h), in the same snapshot. Null
  // elsewhere.
  std::unique_ptr<mariadb::Session> stream;

  // Ends the session's snapshot transaction, which only read.
  void rollback() {
    if (copy) copy->rollback_quietly();
    if (owned) owned->connection.rollback();
    stream.reset();  // closing the connection ends its transaction
  }
};

// -THREADS not given: one session, until a measurement shows more help by default (README).
inline constexpr int kDefaultBackupThreads = 1;

// How many sessions read: -THREADS where the engine can share one snapshot between sessions
// (exported by one and imported by the others, or begun under a global read lock), else one,
// with a warning when more were asked for (SQLite).
int backup_threads(const cli::Options& options, const schema::Dialect& dialect, log::Log& log);

// The backup's `threads` sessions, each in the snapshot that `database` has just begun
// (begin_snapshot's join_snapshot, `locked` under the global read lock). PostgreSQL -BULK auto:
// libpq sessions that import the ODBC transaction's snapshot (the first reads through the same
// COPY path a one-session backup uses); otherwise the first is `database` itself and the others
// are ODBC connections of their own, each with its libmariadb session on MariaDB
// (open_stream_session). Throws Error(kConnect) when a session cannot connect, kDatabase from
// the server.
std::vector<Reader> open_readers(Database& database, const cli::Options& options, int threads,
                                 bool locked);

// MariaDB through ODBC (no stream session: -BULK odbc, a DSN, or one session without the global
// read lock): a table without a key to page along is read in one result set, which
// Connector/ODBC holds whole. Each is named (code "table-read-whole"), with the way to stream it.
void warn_tables_read_whole(Database& database, const schema::Catalog& catalog,
                            const Reader& reader, log::Log& log);

}  // namespace bru::commands

// The sessions of a parallel restore (restore_parallel.h), of either engine it runs on:
//   - PostgreSQL: one libpq session (bru/pg/) runs a worker's statements, its COPY loads and its
//     read-backs through COPY ... TO STDOUT; a table's load and read-back are one transaction.
//   - MariaDB: one libmariadb session (bru/mariadb/) runs its DDL (which commits as it runs) and
//     its LOAD DATA LOCAL loads (each its own transaction, committed by the loader once it took
//     every row without a warning, load_data_loader.h), and an ODBC connection of its own reads a
//     loaded table back with the reader of the one-session path, after that commit.
// And how the server knows them, so that an undo can end those still there (restore_parallel.cpp:
// after a kill -9 of bru they may run on until they notice, and an ALTER TABLE runs to its end,
// holding the locks the drops wait for).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bru/commands/database.h"
#include "bru/data/long_values.h"
#include "bru/data/table_loader.h"
#include "bru/log.h"
#include "bru/options.h"
#include "formats/batch.h"
#include "schema/catalog.h"

namespace bru::commands {

// One session of a parallel restore. Not thread-safe, except cancel().
class WorkerSession {
 public:
  virtual ~WorkerSession() = default;

  // A transaction around what follows (PostgreSQL). On MariaDB they do nothing: its DDL commits
  // as it runs, and each load is a transaction of its own.
  virtual void begin() = 0;
  virtual void commit() = 0;
  // Throws Error(kDatabase) with the server's message.
  virtual void execute(const std::string& sql) = 0;
  // Stops what the session runs, from another thread (the restore is failing): the statement
  // fails soon after; on MariaDB the session is unusable afterwards. Harmless when none runs.
  virtual void cancel() noexcept = 0;
  // Whether several sessions can load parts of one table at once, each in its own transaction
  // (restore_parallel.cpp's striped tables). Not on MariaDB: a LOAD DATA holds the table's
  // AUTO-INC lock to its end (innodb_autoinc_lock_mode 1, the default), so a second session's
  // waits for the first's, whose rows wait behind the second's: measured, both stood until the
  // lock wait timeout (50 s).
  virtual bool loads_parts_of_a_table() const noexcept = 0;
  // The table's loader on this session (COPY, LOAD DATA).
  virtual std::unique_ptr<data::TableLoader> loader(const schema::Table& table) = 0;
  // Reads a loaded table back (restore_session.h read_back_copy, read_back_odbc; long_values:
  // whether the load had a value longer than a piece); returns its rows. Throws as the readers do.
  virtual std::int64_t read_back(const schema::Table& table,
                                 const std::function<void(archive::Batch&&)>& on_batch,
                                 const data::PieceSink& on_piece, bool long_values) = 0;
};

// Whether a restore into `database` with these options can run in several sessions: PostgreSQL
// or MariaDB with -BULK auto and a connection their native library can make (not a DSN), on
// MariaDB a server that allows LOAD DATA LOCAL (asked through the ODBC connection).
bool runs_parallel(Database& database, const cli::Options& options);

// The sessions of one parallel restore as the server knows them: PostgreSQL by the
// application_name "bru restore <pid>" each one carries; MariaDB by each connection's
// CONNECTION_ID(), kept in memory shared with the guardian. Made before the guardian forks
// (restore_guardian.h), so that it knows them after bru's death too, the MariaDB ones opened
// since included.
class RestoreSessions {
 public:
  // For `workers` sessions to the engine of `database`. Throws Error(kIo) when the shared memory
  // cannot be had (nothing was changed yet).
  RestoreSessions(const Database& database, int workers);
  ~RestoreSessions();
  RestoreSessions(const RestoreSessions&) = delete;
  RestoreSessions& operator=(const RestoreSessions&) = delete;

  // Opens the session of worker `worker_idx` (< workers), set up as the one-session path's
  // (open_copy_session, open_load_data_session) and known as above; `reads_back`: whether it will
  // read tables back (on MariaDB: it opens its ODBC connection). Throws Error(kConnect).
  std::unique_ptr<WorkerSession> open(std::size_t worker_idx, const Database& database,
                                      const cli::Options& options, bool reads_back,
                                      log::Log& log);

  // Ends the restore's sessions still on the server, on the connection of `database` (never one
  // of them), and waits up to 60 s for them to go. Throws Error(kDatabase) when the server
  // cannot be asked.
  void end(Database& database) const;

 private:
  void end_mariadb(Database& database) const;

  std::string application_name_;             // PostgreSQL
  // MariaDB: two per worker (libmariadb, ODBC), 0 where none is open.
  std::atomic<std::uint64_t>* ids_ = nullptr;
  std::size_t id_count_ = 0;
};

}  // namespace bru::commands

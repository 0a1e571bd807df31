// Where a restore's one transaction runs, and by which path its tables are loaded and read back:
//   - PostgreSQL with -BULK auto (the default): a libpq session (bru/pg/) holds the whole
//     transaction: DDL, COPY ... FROM STDIN, indexes and constraints, the read-back through
//     COPY ... TO STDOUT, commit. The ODBC connection only read the target's catalog before.
//     A string that names an ODBC DSN has no libpq equivalent here: the ODBC path is used.
//   - MariaDB with -BULK auto: the DDL runs on the ODBC connection as before (it commits as it
//     runs: a failure is undone by dropping what the restore created, restore_undo.h), and each
//     table's rows go in with LOAD DATA LOCAL INFILE on a libmariadb session (bru/mariadb/), one
//     transaction per table, committed before the ODBC connection indexes or reads it back. A
//     server whose local_infile is OFF, or a DSN string, keeps the ODBC path (the former with a
//     warning saying so).
//   - every other case, and -BULK odbc: the ODBC connection, multi-row INSERTs, the ODBC reader.
// Either way a failure, SIGINT or kill -9 leaves the target as it was (rolled back by bru, or
// by the server when the session's socket closes; on MariaDB the tables dropped again).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bru/commands/database.h"
#include "bru/data/table_loader.h"
#include "bru/odbc/connection.h"
#include "bru/options.h"
#include "bru/data/long_values.h"
#include "bru/log.h"
#include "bru/mariadb/session.h"
#include "bru/pg/session.h"
#include "formats/archive.h"
#include "formats/batch.h"

namespace bru::commands {

// The libpq session of the bulk path, connected and set up like the ODBC one (the dialect's
// session_setup_sql: UTC, ISO dates, exact floats), or null where the ODBC path is used: not
// PostgreSQL, -BULK odbc, or a DSN string. Throws Error(kConnect) when libpq cannot connect.
std::unique_ptr<pg::Session> open_copy_session(const Database& database,
                                               const cli::Options& options);
// The same for a restore: its maintenance_work_mem raised to kRestoreIndexMemory where the
// server's is lower, for the keys and indexes it builds.
inline constexpr const char* kRestoreIndexMemory = "256MB";
std::unique_ptr<pg::Session> open_restore_copy_session(const Database& database,
                                                       const cli::Options& options);
// The libmariadb session of MariaDB's bulk path, set up like the ODBC one, or null where the
// ODBC path is used: not MariaDB, -BULK odbc, a DSN string, or a server that refuses LOAD DATA
// LOCAL (local_infile OFF: warning "bulk-unavailable"). Throws Error(kConnect) when libmariadb
// cannot connect.
std::unique_ptr<mariadb::Session> open_load_data_session(const Database& database,
                                                         const cli::Options& options,
                                                         log::Log& log);

// A restored table read back, values longer than a piece (archive::kPieceBytes) in slices: their
// row comes alone, then on_piece has its pieces (bru/data/long_values.h). Through COPY ... TO
// STDOUT on a libpq session, or the ODBC reader; returns the rows. Throws as the readers do.
// `long_values`: whether the load had a value longer than a piece. Without one, COPY reads the
// table whole, sparing the query for its longest values, a scan of the table (bench_mixed,
// 400,000 rows: 70 ms of the server's). The values it reads are the ones loaded.
std::int64_t read_back_copy(pg::Session& session, const schema::Dialect& dialect,
                            const schema::Table& table,
                            const std::function<void(archive::Batch&&)>& on_batch,
                            const data::PieceSink& on_piece, bool long_values);
std::int64_t read_back_odbc(odbc::Connection& connection, const schema::Dialect& dialect,
                            const schema::Table& table,
                            const std::function<void(archive::Batch&&)>& on_batch,
                            const data::PieceSink& on_piece);
// The read-back of a table LOAD DATA loaded and committed: on the LOAD DATA session itself, one
// streamed result (bru/mariadb/stream_reader.h), or, for a keyed table with columns that may
// hold long values, through `connection` in pages, its long values in slices (read_back_odbc;
// null `connection` there: internal_error).
std::int64_t read_back_load_data(mariadb::Session& session, odbc::Connection* connection,
                                 const schema::Dialect& dialect, const schema::Table& table,
                                 const std::function<void(archive::Batch&&)>& on_batch,
                                 const data::PieceSink& on_piece);

// The read-back of a restored table against its archive entry: throws Error(kVerify) naming the
// table, its rows and content checksums and the archive's, when they differ.
void check_read_back(const archive::TableEntry& entry, std::int64_t rows, std::uint64_t checksum,
                     const schema::Dialect& dialect);
// Same, against `expected` instead of the archive's own checksum (-ZERO-DATES null's rows).
void check_read_back(const archive::TableEntry& entry, std::int64_t rows, std::uint64_t checksum,
                     std::uint64_t expected, const schema::Dialect& dialect);

// The content checksum of a table as a read-back gives it, batches and the pieces of long values
// alike: what check_read_back compares. Feed it from read_table's two callbacks.
class ReadBackChecksum {
 public:
  void batch(archive::Batch&& batch);
  // Throws internal_error for a piece out of place (the reader checks their order).
  void piece(std::size_t column_idx, std::string_view piece);
  std::uint64_t value() const noexcept { return checksum_; }

 private:
  std::uint64_t checksum_ = 0;
  archive::Batch long_batch_;        // the row whose long values come as pieces
  archive::LongRowHasher long_row_;
};

class RestoreSession {
 public:
  RestoreSession(Database& database, const cli::Options& options, log::Log& log);
  ~RestoreSession();

  // "copy (libpq)", "load data (libmariadb)" or "odbc insert".
  std::string path() const;
  bool uses_copy() const noexcept { return copy_ != nullptr; }

  void begin();
  void commit();
  void execute(const std::string& sql);
  std::unique_ptr<data::TableLoader> loader(const schema::Table& table);
  // Reads the table back inside the transaction; returns its rows. Values longer than a piece
  // (archive::kPieceBytes) are read in slices: their row comes alone, then on_piece has its
  // pieces (bru/data/long_values.h).
  std::int64_t read_back(const schema::Table& table,
                         const std::function<void(archive::Batch&&)>& on_batch,
                         const data::PieceSink& on_piece, bool long_values);

 private:
  Database& database_;
  std::unique_ptr<pg::Session> copy_;
  std::unique_ptr<mariadb::Session> load_data_;
  std::optional<odbc::Transaction> transaction_;
};

}  // namespace bru::commands

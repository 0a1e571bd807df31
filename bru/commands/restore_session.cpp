#include "bru/commands/restore_session.h"

#include <fmt/format.h>

#include "bru/data/table_reader.h"
#include "bru/data/table_writer.h"
#include "bru/mariadb/load_data_loader.h"
#include "bru/mariadb/stream_reader.h"
#include "bru/pg/copy_loader.h"
#include "bru/pg/copy_reader.h"
#include "formats/archive.h"
#include "schema/error.h"

namespace bru::commands {

std::unique_ptr<pg::Session> open_copy_session(const Database& database,
                                               const cli::Options& options) {
  if (options.bulk != "auto" || database.target.dialect != "postgres") return nullptr;
  const auto conninfo =
      pg::conninfo_of(database.target, database.connect_options.login_timeout_seconds);
  if (conninfo.empty()) return nullptr;
  auto session = std::make_unique<pg::Session>(conninfo, database.target.display);
  for (const auto& sql : database.dialect->session_setup_sql()) session->execute(sql);
  return session;
}

std::unique_ptr<pg::Session> open_restore_copy_session(const Database& database,
                                                       const cli::Options& options) {
  auto session = open_copy_session(database, options);
  if (!session) return session;
  // A key or index sorts in memory up to maintenance_work_mem, else in runs on disk that it
  // merges. The primary key of 2,000,000 pgbench_accounts rows: 0.58 s at PostgreSQL's default
  // of 64MB, 0.47 s at 256MB. Raised for the session only, never lowered.
  session->query_value(fmt::format(
      "SELECT set_config('maintenance_work_mem', '{0}', false) WHERE "
      "pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('{0}')",
      kRestoreIndexMemory));
  return session;
}

std::unique_ptr<mariadb::Session> open_load_data_session(const Database& database,
                                                         const cli::Options& options,
                                                         log::Log& log) {
  if (options.bulk != "auto" || database.target.dialect != "mariadb") return nullptr;
  const auto params = mariadb::connect_params_of(database.target,
                                                 database.connect_options.login_timeout_seconds);
  if (!params) return nullptr;
  auto session =
      std::make_unique<mariadb::Session>(*params, database.target.display, "LOAD DATA session",
                                         /*local_infile=*/true);
  if (session->query_value(mariadb::local_infile_sql()) != "1") {
    log.warning("bulk-unavailable",
                fmt::format("{} does not allow LOAD DATA LOCAL INFILE (local_infile is OFF): the "
                            "rows go in through ODBC INSERTs, which is slower",
                            database.target.display));
    return nullptr;
  }
  for (const auto& sql : database.dialect->session_setup_sql()) session->execute(sql);
  return session;
}

std::int64_t read_back_copy(pg::Session& session, const schema::Dialect& dialect,
                            const schema::Table& table,
                            const std::function<void(archive::Batch&&)>& on_batch,
                            const data::PieceSink& on_piece, bool long_values) {
  const auto batch_bytes = data::ReadLimits{}.batch_bytes;
  if (!long_values) return pg::read_table(session, dialect, table, on_batch, batch_bytes);
  return pg::read_table(session, dialect, table, on_batch, on_piece, batch_bytes,
                        archive::kPieceBytes);
}

std::int64_t read_back_odbc(odbc::Connection& connection, const schema::Dialect& dialect,
                            const schema::Table& table,
                            const std::function<void(archive::Batch&&)>& on_batch,
                            const data::PieceSink& on_piece) {
  data::ReadLimits limits;
  limits.piece_bytes = archive::kPieceBytes;
  data::TableReader reader(connection, dialect, table, limits);
  return reader.read(on_batch, on_piece);
}

std::int64_t read_back_load_data(mariadb::Session& session, odbc::Connection* connection,
                                 const schema::Dialect& dialect, const schema::Table& table,
                                 const std::function<void(archive::Batch&&)>& on_batch,
                                 const data::PieceSink& on_piece) {
  if (mariadb::streams(dialect, table)) {
    return mariadb::read_table(session, dialect, table, on_batch, data::ReadLimits{}.batch_bytes);
  }
  if (connection == nullptr) {
    throw internal_error("a read-back in pages without an ODBC connection to read them");
  }
  return read_back_odbc(*connection, dialect, table, on_batch, on_piece);
}

void check_read_back(const archive::TableEntry& entry, std::int64_t rows, std::uint64_t checksum,
                     const schema::Dialect& dialect) {
  check_read_back(entry, rows, checksum, entry.checksum, dialect);
}

void check_read_back(const archive::TableEntry& entry, std::int64_t rows, std::uint64_t checksum,
                     std::uint64_t expected, const schema::Dialect& dialect) {
  if (rows == entry.rows && checksum == expected) return;
  throw Error(ErrorKind::kVerify,
              fmt::format("table \"{}\" does not match the archive after restore: {} rows "
                          "(archive {}), checksum {:016x} (archive {:016x})",
                          entry.table.display_name(), rows, entry.rows, checksum, expected))
      .with_hint(fmt::format("nothing was committed; a value changed on its way into {} — "
                             "report this with bru -LIST output",
                             dialect.name()));
}

void ReadBackChecksum::batch(archive::Batch&& batch) {
  if (!batch.has_long()) {
    checksum_ += archive::content_hash(batch);
    return;
  }
  long_batch_ = std::move(batch);
  long_row_.begin(long_batch_);
}

void ReadBackChecksum::piece(std::size_t column_idx, std::string_view piece) {
  if (!long_row_.piece(column_idx, piece)) {
    throw internal_error("verify: a piece of a long value out of place");
  }
  if (!long_row_.pending()) checksum_ += long_row_.hash();
}

RestoreSession::RestoreSession(Database& database, const cli::Options& options, log::Log& log)
    : database_(database), copy_(open_restore_copy_session(database, options)),
      load_data_(open_load_data_session(database, options, log)) {}

RestoreSession::~RestoreSession() = default;

std::string RestoreSession::path() const {
  if (copy_) return "copy (libpq)";
  return load_data_ ? "load data (libmariadb)" : "odbc insert";
}

// With LOAD DATA the ODBC connection stays in autocommit: its DDL commits anyway, and a
// transaction of its own could read the tables back from a snapshot older than their rows.
void RestoreSession::begin() {
  if (copy_) {
    copy_->begin();
  } else if (!load_data_) {
    transaction_.emplace(database_.connection);
  }
}

void RestoreSession::commit() {
  if (copy_) {
    copy_->commit();
  } else if (transaction_) {
    transaction_->commit();
  }
}

void RestoreSession::execute(const std::string& sql) {
  if (copy_) {
    copy_->execute(sql);
  } else {
    database_.connection.execute(sql);
  }
}

std::unique_ptr<data::TableLoader> RestoreSession::loader(const schema::Table& table) {
  if (copy_) return std::make_unique<pg::CopyLoader>(*copy_, *database_.dialect, table);
  if (load_data_) {
    return std::make_unique<mariadb::LoadDataLoader>(*load_data_, *database_.dialect, table);
  }
  return std::make_unique<data::TableWriter>(database_.connection, *database_.dialect, table);
}

std::int64_t RestoreSession::read_back(const schema::Table& table,
                                       const std::function<void(archive::Batch&&)>& on_batch,
                                       const data::PieceSink& on_piece, bool long_values) {
  if (copy_) {
    return read_back_copy(*copy_, *database_.dialect, table, on_batch, on_piece, long_values);
  }
  if (load_data_) {
    return read_back_load_data(*load_data_, &database_.connection, *database_.dialect, table,
                               on_batch, on_piece);
  }
  return read_back_odbc(database_.connection, *database_.dialect, table, on_batch, on_piece);
}

}  // namespace bru::commands

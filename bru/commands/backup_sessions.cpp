#include "bru/commands/backup_sessions.h"

#include <fmt/format.h>

#include "bru/commands/restore_session.h"
#include "bru/mariadb/stream_reader.h"
#include "bru/odbc/connection.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

// The snapshot's name for the other sessions (pg_export_snapshot), "" where the engine has none.
std::string export_snapshot(Database& database) {
  const auto sql = database.dialect->export_snapshot_sql();
  if (sql.empty()) return "";
  odbc::ConnectionRunner runner(database.connection);
  const auto rows = runner.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) {
    throw Error(ErrorKind::kDatabase, "the server exported no snapshot for the backup's sessions")
        .with_hint("back up with -BULK odbc -THREADS 1, which reads through one ODBC connection");
  }
  return *rows[0][0];
}

// The libmariadb session of a MariaDB reader, its snapshot begun now (under the global read lock,
// or each its own where a parallel backup could not take it: warned), or null: not MariaDB,
// -BULK odbc, a DSN, or one session without the lock, whose snapshot could differ from the ODBC
// connection's (the ODBC path reads everything then).
std::unique_ptr<mariadb::Session> open_stream_session(const Database& database,
                                                      const cli::Options& options, int threads,
                                                      bool locked) {
  if (options.bulk != "auto" || database.target.dialect != "mariadb" ||
      (threads == 1 && !locked)) {
    return nullptr;
  }
  const auto params = mariadb::connect_params_of(database.target,
                                                 database.connect_options.login_timeout_seconds);
  if (!params) return nullptr;
  auto session = std::make_unique<mariadb::Session>(*params, database.target.display,
                                                    "backup's reading session",
                                                    /*local_infile=*/false);
  for (const auto& sql : database.dialect->session_setup_sql()) session->execute(sql);
  session->execute(mariadb::reading_session_sql());
  for (const auto& sql : database.dialect->begin_snapshot_sql()) session->execute(sql);
  return session;
}

}  // namespace

void release_lock(Database& database, Snapshot& snapshot) {
  if (!snapshot.locked) return;
  database.connection.execute(database.dialect->snapshot_unlock_sql());
  snapshot.locked = false;
}

Snapshot begin_snapshot(Database& database, const cli::Options& options, log::Log& log,
                        const std::function<void(bool locked)>& join_snapshot) {
  const auto& dialect = *database.dialect;
  database.connection.set_autocommit(false);
  Snapshot snapshot;
  if (const auto lock = dialect.snapshot_lock_sql(options.lock_wait_seconds); !lock.empty()) {
    try {
      for (const auto& sql : lock) database.connection.execute(sql);
      snapshot.locked = true;
    } catch (const Error& error) {
      if (!dialect.lock_denied(error.sqlstate(), error.native_code())) throw;
      log.warning("snapshot-without-lock",
                  fmt::format("the backup's snapshot begins without a global read lock: {} "
                              "(it needs the RELOAD privilege); transactional tables are still "
                              "read in one consistent snapshot, and the binary log position is "
                              "still the snapshot's",
                              error.message()));
    }
  }
  for (const auto& sql : dialect.begin_snapshot_sql()) database.connection.execute(sql);
  join_snapshot(snapshot.locked);
  odbc::ConnectionRunner runner(database.connection);
  if (const auto sql = dialect.snapshot_position_sql(); !sql.empty()) {
    const auto rows = runner.query(sql);
    if (!rows.empty() && rows[0].size() >= 3 && rows[0][0] && rows[0][1]) {
      snapshot.position = fmt::format("{}:{}", *rows[0][0], *rows[0][1]);
      if (rows[0][2] && !rows[0][2]->empty()) snapshot.position += " gtid " + *rows[0][2];
    }
  }
  if (const auto sql = dialect.outside_snapshot_tables_sql(); !sql.empty()) {
    for (const auto& row : runner.query(sql)) {
      if (row.size() >= 2 && row[0]) snapshot.outside[*row[0]] = row[1].value_or("?");
    }
  }
  if (snapshot.outside.empty()) release_lock(database, snapshot);
  return snapshot;
}

int backup_threads(const cli::Options& options, const schema::Dialect& dialect, log::Log& log) {
  const int asked = options.threads == 0 ? kDefaultBackupThreads : options.threads;
  if (asked == 1) return 1;
  if (dialect.export_snapshot_sql().empty() && dialect.snapshot_lock_sql(1).empty()) {
    log.warning("threads-ignored",
                fmt::format("-THREADS {}: a {} backup reads with one session (its sessions could "
                            "not share one snapshot)",
                            asked, dialect.name()));
    return 1;
  }
  return asked;
}

std::vector<Reader> open_readers(Database& database, const cli::Options& options, int threads,
                                 bool locked) {
  const auto& dialect = *database.dialect;
  std::vector<Reader> readers(static_cast<std::size_t>(threads));
  auto first_copy = open_copy_session(database, options);
  readers[0].database = &database;
  readers[0].stream = open_stream_session(database, options, threads, locked);
  if (!first_copy && threads == 1) return readers;
  const auto snapshot_id = export_snapshot(database);
  if (first_copy) {
    for (std::size_t reader_idx = 0; reader_idx < readers.size(); ++reader_idx) {
      auto& reader = readers[reader_idx];
      reader.database = &database;  // unused: the rows come through COPY
      reader.copy = reader_idx == 0 ? std::move(first_copy) : open_copy_session(database, options);
      reader.copy->begin();
      for (const auto& sql : dialect.begin_snapshot_sql()) reader.copy->execute(sql);
      for (const auto& sql : dialect.import_snapshot_sql(snapshot_id)) reader.copy->execute(sql);
    }
    return readers;
  }
  for (std::size_t reader_idx = 1; reader_idx < readers.size(); ++reader_idx) {
    auto& reader = readers[reader_idx];
    reader.owned = std::make_unique<Database>(connect_database(options, false));
    reader.database = reader.owned.get();
    auto& connection = reader.owned->connection;
    connection.set_autocommit(false);
    for (const auto& sql : dialect.begin_snapshot_sql()) connection.execute(sql);
    if (!snapshot_id.empty()) {
      for (const auto& sql : dialect.import_snapshot_sql(snapshot_id)) connection.execute(sql);
    }
    reader.stream = open_stream_session(database, options, threads, locked);
  }
  return readers;
}

void warn_tables_read_whole(Database& database, const schema::Catalog& catalog,
                            const Reader& reader, log::Log& log) {
  const auto& dialect = *database.dialect;
  if (dialect.name() != "mariadb" || reader.stream) return;
  for (const auto& table : catalog.tables) {
    if (!dialect.page_key(table).empty()) continue;
    log.warning("table-read-whole",
                fmt::format("table \"{}\" has no primary key or unique NOT NULL key to read it "
                            "in pages along: through ODBC (-BULK odbc, a DSN connection string, or "
                            "one session without the global read lock) it is read in one result "
                            "set, held whole in bru's memory; back up with -BULK auto through a "
                            "host/port connection, as a user with RELOAD or with -THREADS 2, to "
                            "stream it",
                            table.display_name()));
  }
}

}  // namespace bru::commands

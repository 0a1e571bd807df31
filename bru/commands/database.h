// What every database command does first: parse the connection, connect, pick the dialect, set
// the session up. Shared by backup, restore (and the update commands).
#pragma once

#include <memory>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "bru/options.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::commands {

struct Database {
  odbc::ConnectTarget target;
  odbc::ConnectOptions connect_options;
  odbc::Connection connection;
  std::unique_ptr<schema::Dialect> dialect;
};

// The ODBC options of -DRIVER, -PASSWORD-FILE/-ENV and -TIMEOUT.
odbc::ConnectOptions connect_options(const cli::Options& options);

// Parses options.db. Throws kUsage for a bad string or an odbc; string whose engine cannot be
// told (every command needs to know which dialect to speak).
odbc::ConnectTarget database_target(const cli::Options& options,
                                    const odbc::ConnectOptions& connect_options);

// The display form of options.db (never a password), for the start of the log; "" when there is
// no -DB or it does not parse (the command then reports why). Does not connect; never throws.
std::string target_display(const cli::Options& options);

// Parses options.db for backup or restore, as their first step: throws kUsage for a bad string
// or a dialect backup and restore do not speak yet (mssql, oracle today).
void check_backup_target(const cli::Options& options);

// Connects to options.db and runs the dialect's session setup. create_sqlite_file: whether a
// missing SQLite file is created (a restore target) or refused with kNotFound (a backup source).
// Throws kUsage (bad connection string, unsupported dialect), kConnect (unreachable, bad login).
// The dialect of -DB's engine, without connecting: for checks made before anything changes.
std::unique_ptr<schema::Dialect> target_dialect(const cli::Options& options);
Database connect_database(const cli::Options& options, bool create_sqlite_file);

// A SQLite file that a restore creates (options.db names one that does not exist yet) is removed
// again when the restore does not commit, so that a failed restore leaves no file where there
// was none. Construct it before connecting; call keep() once the restore has committed.
class CreatedSqliteFile {
 public:
  explicit CreatedSqliteFile(const cli::Options& options);
  ~CreatedSqliteFile();
  CreatedSqliteFile(const CreatedSqliteFile&) = delete;
  CreatedSqliteFile& operator=(const CreatedSqliteFile&) = delete;
  void keep() noexcept { path_.clear(); }

 private:
  std::string path_;  // "" when there is nothing to remove
};

// The -SCHEMA / -TABLES / -EXCLUDE filter.
schema::CatalogFilter catalog_filter(const cli::Options& options);

}  // namespace bru::commands

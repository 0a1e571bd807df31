#include "bru/commands/database.h"

#include <filesystem>

#include <fmt/format.h>

#include "schema/dialect_names.h"
#include "schema/engines/registry.h"
#include "schema/error.h"

namespace bru::commands {

odbc::ConnectOptions connect_options(const cli::Options& options) {
  odbc::ConnectOptions connect_options;
  connect_options.driver = options.driver;
  connect_options.password = options.password;
  connect_options.login_timeout_seconds = options.timeout_seconds;
  return connect_options;
}

odbc::ConnectTarget database_target(const cli::Options& options,
                                    const odbc::ConnectOptions& connect_options) {
  auto target = odbc::parse_connection(options.db, connect_options);
  if (target.dialect == "odbc") {
    throw Error(ErrorKind::kUsage,
                fmt::format("cannot tell the database engine of \"{}\"", target.display))
        .with_hint("use the engine's own form (postgres;..., sqlite;..., ...) so bru knows "
                   "which dialect to speak");
  }
  return target;
}

std::string target_display(const cli::Options& options) {
  if (options.db.empty()) return "";
  try {
    return odbc::parse_connection(options.db, connect_options(options)).display;
  } catch (const Error&) {
    return "";
  }
}

namespace {

odbc::ConnectTarget backup_target(const cli::Options& options,
                                  const odbc::ConnectOptions& connect_options) {
  auto target = database_target(options, connect_options);
  if (!schema::backs_up(target.dialect)) {
    throw Error(
        ErrorKind::kUsage,
        fmt::format("backup and restore do not support {} yet; -UPDATE does", target.dialect))
        .with_hint(fmt::format("bru -BACKUP and -RESTORE speak {}; on {}, bru -UPDATE, "
                               "-GETVERSION, -BASELINE and -MIGRATE work",
                               fmt::join(schema::backup_dialect_names(), ", "), target.dialect));
  }
  return target;
}

}  // namespace

void check_backup_target(const cli::Options& options) {
  backup_target(options, connect_options(options));
}

std::unique_ptr<schema::Dialect> target_dialect(const cli::Options& options) {
  return schema::make_dialect(backup_target(options, connect_options(options)).dialect);
}

Database connect_database(const cli::Options& options, bool create_sqlite_file) {
  auto connect_options = commands::connect_options(options);
  connect_options.create_sqlite_file = create_sqlite_file;
  auto target = backup_target(options, connect_options);
  auto dialect = schema::make_dialect(target.dialect);
  auto connection = odbc::Connection::open(target, connect_options);
  for (const auto& sql : dialect->session_setup_sql()) connection.execute(sql);
  return Database{std::move(target), std::move(connect_options), std::move(connection),
                  std::move(dialect)};
}

CreatedSqliteFile::CreatedSqliteFile(const cli::Options& options) {
  const auto target = backup_target(options, connect_options(options));
  const auto* profile = schema::find_driver_profile(target.dialect);
  if (profile == nullptr || profile->locator != schema::Locator::kFile ||
      target.database == ":memory:" || std::filesystem::exists(target.database)) {
    return;
  }
  path_ = target.database;
}

CreatedSqliteFile::~CreatedSqliteFile() {
  if (path_.empty()) return;
  std::error_code ignored;  // the restore's own error is the one to report
  std::filesystem::remove(path_ + "-journal", ignored);
  std::filesystem::remove(path_, ignored);
}

schema::CatalogFilter catalog_filter(const cli::Options& options) {
  schema::CatalogFilter filter;
  filter.schemas = options.schemas;
  filter.include_tables = options.tables;
  filter.exclude_tables = options.exclude;
  return filter;
}

}  // namespace bru::commands

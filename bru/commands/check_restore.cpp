#include "bru/commands/check_restore.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "bru/commands/commands.h"
#include "bru/commands/database.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

// The options of the restore into the scratch database: the backup's connection options, the
// scratch database as -DB, always verified, nothing dropped first.
cli::Options scratch_options(const cli::Options& options) {
  cli::Options scratch = options;
  scratch.command = cli::Command::kRestore;
  scratch.db = options.check_restore;
  scratch.check_restore.clear();
  scratch.schemas.clear();
  scratch.tables.clear();
  scratch.exclude.clear();
  scratch.clean = false;
  scratch.no_verify = false;
  return scratch;
}

std::string utc_today() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

void check_scratch_empty(const cli::Options& options) {
  const auto scratch = scratch_options(options);
  auto database = connect_database(scratch, /*create_sqlite_file=*/true);
  odbc::ConnectionRunner runner(database.connection);
  const auto existing = database.dialect->read_catalog(runner, schema::CatalogFilter{});
  std::string what;
  if (!existing.tables.empty()) {
    what = fmt::format("table \"{}\"{}", existing.tables.front().display_name(),
                       existing.tables.size() > 1
                           ? fmt::format(" and {} more object(s)", existing.tables.size() - 1)
                           : std::string());
  } else {
    for (const auto& object : existing.objects) {
      if (object.kind == "schema" && object.name == "public") continue;
      if (object.kind == "owner" || object.kind == "acl" || object.kind == "comment") continue;
      what = fmt::format("{} \"{}\"", object.kind, object.name);
      break;
    }
  }
  if (what.empty()) return;
  throw Error(ErrorKind::kConflict,
              fmt::format("-CHECK-RESTORE {} is not empty: it holds {}", database.target.display,
                          what))
      .with_hint("nothing was backed up and the scratch database was not touched: give "
                 "-CHECK-RESTORE a new, empty database (bru restores into it and undoes that)");
}

std::string check_restore(const cli::Options& options, const std::filesystem::path& archive,
                          log::Log& log) {
  auto scratch = scratch_options(options);
  scratch.file = archive.string();
  const auto engine = target_dialect(scratch)->name();
  try {
    restore_archive(scratch, log, RestoreEnd::kUndo);
  } catch (const Error& error) {
    Error failed = error;
    failed.with_hint(fmt::format("-CHECK-RESTORE failed, so the archive was not kept: \"{}\" does "
                                 "not exist; back up again once the cause above is fixed (or "
                                 "without -CHECK-RESTORE for an untested archive)",
                                 options.file));
    throw failed;
  }
  return fmt::format("restore tested {} into {}", utc_today(), engine);
}

}  // namespace bru::commands

// bru -MIGRATE (issue 9): an old database into a new one by a migration map, in slices,
// resumable, within a time budget; the map is data (sql/wfm/MAP-FORMAT.md). The steps:
//   load the map -> connect the source, check its version -> bring the target to the latest
//   schema with the map's update script (bru -UPDATE's code) -> progress table -> one source
//   snapshot -> move the step's mappings slice by slice -> the per-mapping table -> exit 0 only
//   when every mapping of the step is complete and its counts match its rule; 14 when the
//   -DURATION budget ended first.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "bru/commands/commands.h"
#include "bru/commands/database.h"
#include "bru/migrate/map.h"
#include "bru/migrate/mover.h"
#include "bru/odbc/connection.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

constexpr const char* kDefaultMap = "wfm/remap-6.5-to-8.5.json";

// The WFM map beside the installed scripts (share/bru/), or in the source tree when bru runs from
// its build folder.
std::filesystem::path default_map() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  std::vector<std::filesystem::path> candidates;
  if (!error) {
    candidates.push_back(exe.parent_path() / "../share/bru" / kDefaultMap);
    candidates.push_back(exe.parent_path() / "../sql" / kDefaultMap);
    candidates.push_back(exe.parent_path() / "../../sql" / kDefaultMap);
  }
  candidates.push_back(std::filesystem::path("sql") / kDefaultMap);
  for (const auto& candidate : candidates) {
    if (std::filesystem::exists(candidate, error)) return candidate.lexically_normal();
  }
  throw Error(ErrorKind::kNotFound, "cannot find the WFM migration map (remap-6.5-to-8.5.json)",
              {"give it with -MAP <file>: it is sql/wfm/remap-6.5-to-8.5.json in bru's sources, "
               "share/bru/wfm/ where bru is installed"});
}

migrate::Step step_of(const std::string& text) {
  if (text == "base") return migrate::Step::kBase;
  if (text == "performance") return migrate::Step::kPerformance;
  return migrate::Step::kAll;
}

odbc::Connection connect(const std::string& conn, const cli::Options& options, bool create) {
  auto connect_opts = connect_options(options);
  connect_opts.create_sqlite_file = create;
  const auto target = odbc::parse_connection(conn, connect_opts);
  return odbc::Connection::open(target, connect_opts);
}

// The target at the latest version of the map's script, through bru -UPDATE itself.
void bring_target_up(const cli::Options& options, const migrate::MigrationMap& map,
                     const std::string& engine, log::Log& log) {
  if (map.target_script.empty()) return;
  const auto script = migrate::target_script_for(map, engine);
  if (!std::filesystem::exists(script)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("the map's target script \"{}\" does not exist", script.string()),
                {"the map names it in \"target\": {\"script\": ...}, relative to the map's folder"});
  }
  cli::Options update_options = options;
  update_options.command = cli::Command::kUpdate;
  update_options.script = script.string();
  update_options.target.clear();
  update_options.dry_run = false;
  update(update_options, log);
}

int status(const cli::Options& options, const migrate::MigrationMap& map) {
  auto target = connect(options.db, options, false);
  std::optional<odbc::Connection> source;
  if (!options.from.empty()) source.emplace(connect(options.from, options, false));
  migrate::Mover mover(source ? *source : target, target, map);
  const auto progress = mover.progress_or_empty();
  if (progress.empty()) {
    std::cout << fmt::format("bru: {} has no migration progress: -MIGRATE has not run into it\n",
                             target.target().display);
    return 0;
  }
  std::vector<migrate::MappingResult> results;
  if (source) {
    mover.begin_snapshot();
    results = mover.results(migrate::Step::kAll);
  }
  migrate::print_progress(std::cout, progress, source ? &results : nullptr);
  if (!source) std::cout << "(rows left: give -FROM <old conn> to count them)\n";
  return 0;
}

// -DURATION in seconds: minutes of 60 seconds, or BRU_MIGRATE_SECONDS_PER_MINUTE (a test knob,
// decimals allowed: the tests run a "minute" of a fraction of a second).
std::chrono::steady_clock::duration budget_of(int minutes) {
  double seconds_per_minute = 60;
  if (const char* knob = std::getenv("BRU_MIGRATE_SECONDS_PER_MINUTE")) {
    seconds_per_minute = std::max(0.001, std::strtod(knob, nullptr));
  }
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(minutes * seconds_per_minute));
}

}  // namespace

int migrate(const cli::Options& options, log::Log& log) {
  const auto map = migrate::load_map(options.map.empty() ? default_map() : std::filesystem::path(options.map));
  if (options.status) return status(options, map);

  auto source = connect(options.from, options, false);
  {
    migrate::Mover version_check(source, source, map);
    version_check.check_source_version();
  }
  const auto target_conn = odbc::parse_connection(options.db, connect_options(options));
  bring_target_up(options, map, target_conn.dialect, log);
  auto target = connect(options.db, options, true);

  migrate::Mover mover(source, target, map);
  mover.prepare_progress();
  mover.begin_snapshot();
  migrate::MoveOptions move_options;
  move_options.step = step_of(options.step);
  move_options.slice_rows = static_cast<std::size_t>(options.slice_rows);
  move_options.quiet = options.quiet || !isatty(STDERR_FILENO);
  if (options.duration_minutes > 0) move_options.budget = budget_of(options.duration_minutes);
  const bool done = mover.move(move_options, std::cerr);

  const auto results = mover.results(move_options.step);
  migrate::print_results(std::cout, results);
  std::int64_t left = 0;
  int mappings_left = 0, mismatched = 0;
  for (const auto& result : results) {
    if (!result.in_step) continue;
    if (result.state != "complete") {
      ++mappings_left;
      left += std::max<std::int64_t>(0, result.expected_rows - result.moved_rows - result.overlap_rows);
    } else if (!result.counts_match) {
      ++mismatched;
    }
  }
  if (!done || mappings_left > 0) {
    throw Error(ErrorKind::kIncomplete,
                fmt::format("migration incomplete: {} rows left in {} mappings after the "
                            "-DURATION budget",
                            left, mappings_left),
                {"run the same bru -MIGRATE again: it resumes after the last slice done"});
  }
  if (mismatched > 0) {
    throw Error(ErrorKind::kVerify,
                fmt::format("{} mappings are complete but their counts do not match their rule",
                            mismatched),
                {"the table above names each one and why; bru -MIGRATE -STATUS shows the progress"});
  }
  std::cout << fmt::format("bru: migration {} into {}: every mapping of the step complete, counts match\n",
                           options.step, target.target().display);
  return 0;
}

}  // namespace bru::commands

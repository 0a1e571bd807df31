// bru -UPDATE, -GETVERSION and -BASELINE (DESIGN §6, issue 3). README.md "Update scripts" has
// the user's view; bru/update/update.h the pieces.
#include "bru/update/update.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bru/commands/commands.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

using update::HistoryRow;
using update::Section;
using update::Version;

std::optional<Version> parse_target(const cli::Options& options) {
  if (options.target.empty()) return std::nullopt;
  const auto target = Version::parse(options.target);
  if (!target) {
    throw Error(ErrorKind::kUsage,
                fmt::format("-TARGET \"{}\" is not a version: {}", options.target,
                            update::version_problem(options.target)))
        .with_hint("versions are dotted numbers, e.g. -TARGET 8.5.200");
  }
  return target;
}

// An applied section whose text changed since is an error unless -REPAIR accepts it.
void check_applied(update::History& history, const std::vector<HistoryRow>& rows,
                   const update::Script& script, bool repair, log::Log& log) {
  for (const auto& row : rows) {
    if (!row.success || row.checksum.empty()) continue;  // failed part way, or a baseline
    const auto version = Version::parse(row.version);
    const Section* section = version ? script.find(*version) : nullptr;
    if (section == nullptr || section->checksum == row.checksum) continue;
    if (repair) {
      history.repair_checksum(row.rank, section->checksum);
      log.checksum_repaired({.version = row.version,
                             .old_checksum = row.checksum,
                             .new_checksum = section->checksum});
      continue;
    }
    throw Error(ErrorKind::kConflict,
                fmt::format("{}:{}: version {} was applied with checksum {} but the script now "
                            "has {}",
                            section->file, section->line, row.version, row.checksum,
                            section->checksum))
        .with_hint("an applied section must not change: put the change in a new section with a "
                   "higher version, or run bru -UPDATE -REPAIR to accept the new text (its "
                   "statements are not run again)");
  }
}

// The failed row of a section an earlier run left part way (engines without transactional DDL).
std::optional<HistoryRow> unfinished_row(const std::vector<HistoryRow>& rows,
                                         const std::vector<const Section*>& pending) {
  if (pending.empty()) return std::nullopt;
  for (const auto& row : rows) {
    const auto version = Version::parse(row.version);
    if (!row.success && version && *version == pending.front()->version) return row;
  }
  return std::nullopt;
}

int next_rank(const std::vector<HistoryRow>& rows) {
  int rank = 0;
  for (const auto& row : rows) rank = std::max(rank, row.rank);
  return rank + 1;
}

int dry_run_offline(const cli::Options& options) {
  const auto script = update::load_script(options.script, options.dialect, options.defines);
  std::vector<const Section*> sections;
  for (const auto& section : script.sections) sections.push_back(&section);
  std::cout << fmt::format("-- offline plan (-DIALECT {}): all {} section{}\n", options.dialect,
                           sections.size(), sections.size() == 1 ? "" : "s");
  update::print_plan(std::cout, options.dialect, sections, 0);
  return 0;
}

int dry_run(const cli::Options& options) {
  auto session = update::open_update_session(options, false);
  const auto script =
      update::load_script(options.script, session.dialect->name(), options.defines);
  update::History history(session);
  const auto rows = history.rows();
  const auto current = update::current_version(rows);
  const auto pending = script.pending(current, parse_target(options));
  const auto resume = unfinished_row(rows, pending);
  std::cout << fmt::format("-- database is at version {}; {} section{} pending\n",
                           update::version_text(current), pending.size(),
                           pending.size() == 1 ? "" : "s");
  update::print_plan(std::cout, session.dialect->name(), pending,
                     resume ? resume->statements_done : 0);
  return 0;
}

}  // namespace

int update(const cli::Options& options, log::Log& log) {
  if (options.dry_run) return options.db.empty() ? dry_run_offline(options) : dry_run(options);
  const auto target = parse_target(options);
  auto session = update::open_update_session(options, true);
  const auto script =
      update::load_script(options.script, session.dialect->name(), options.defines);
  update::UpdateLock lock(session, options.lock_wait_seconds, log);
  update::History history(session);
  history.ensure_exists();

  auto rows = history.rows();
  check_applied(history, rows, script, options.repair, log);
  auto current = update::current_version(rows);
  const auto pending = script.pending(current, target);
  auto resume = unfinished_row(rows, pending);
  int rank = next_rank(rows);
  log.update_plan({.current_version = update::version_text(current), .pending = pending.size()});
  std::size_t applied = 0;
  for (const Section* section : pending) {
    const auto result = update::apply_section(session, history, *section, resume, rank, current);
    if (result.applied) {
      log.section_applied({.version = section->version.text(),
                           .description = section->description,
                           .milliseconds = result.execution_ms});
      ++applied;
    }
    if (!resume) ++rank;
    resume.reset();
    current = section->version;
  }
  // Another run may have gone further (SQLite locks per section): report what the table says.
  log.update_done({.version = update::version_text(update::current_version(history.rows())),
                   .applied = applied});
  return 0;
}

int get_version(const cli::Options& options, log::Log&) {
  auto session = update::open_update_session(options, false);
  update::History history(session);
  const auto version = update::current_version(history.rows());
  if (!options.json) {
    std::cout << update::version_text(version) << '\n';
    return 0;
  }
  nlohmann::ordered_json document;
  document["target"] = session.target.display;
  document["dialect"] = session.dialect->name();
  document["version"] = version ? nlohmann::ordered_json(version->text()) : nullptr;
  log::print_document(document);
  return 0;
}

int baseline(const cli::Options& options, log::Log& log) {
  const auto version = Version::parse(options.baseline);
  if (!version) {
    throw Error(ErrorKind::kUsage,
                fmt::format("-BASELINE \"{}\" is not a version: {}", options.baseline,
                            update::version_problem(options.baseline)))
        .with_hint("versions are dotted numbers, e.g. -BASELINE 8.5.200");
  }
  auto session = update::open_update_session(options, true);
  update::UpdateLock lock(session, options.lock_wait_seconds, log);
  update::History history(session);
  history.ensure_exists();
  const auto rows = history.rows();
  if (!rows.empty()) {
    throw Error(ErrorKind::kConflict,
                fmt::format("cannot baseline {} at version {}: its history already has {} "
                            "row{} (version {})",
                            session.target.display, version->text(), rows.size(),
                            rows.size() == 1 ? "" : "s",
                            update::version_text(update::current_version(rows))))
        .with_hint("-BASELINE is for a database bru has never updated; this one already has a "
                   "version, so run bru -UPDATE to move it forward");
  }
  HistoryRow row;
  row.rank = 1;
  row.version = version->text();
  row.description = "<< baseline >>";
  row.success = true;
  history.insert(row, 0);
  log.update_done({.version = version->text(), .baseline = true});
  return 0;
}

}  // namespace bru::commands

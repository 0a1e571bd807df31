// bru -UPDATE, -GETVERSION and -BASELINE (DESIGN §6, issue 3). README.md "Update scripts" has
// the user's view; bru/update/update.h the pieces.
#include "bru/update/update.h"
#include "bru/update/status.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bru/commands/commands.h"
#include "schema/dialect_names.h"
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

// Accepts the changed checksums of applied sections (-REPAIR): their history rows take the
// script's checksum and the versions count as applied.
void repair_checksums(update::History& history, std::vector<update::VersionStatus>& statuses,
                      log::Log& log) {
  for (auto& status : statuses) {
    if (status.state != update::VersionState::kChecksumChanged) continue;
    history.repair_checksum(status.history->rank, status.section->checksum);
    log.checksum_repaired({.version = status.history->version,
                           .old_checksum = status.history->checksum,
                           .new_checksum = status.section->checksum});
    status.history->checksum = status.section->checksum;
    status.state = update::VersionState::kApplied;
  }
}

// The statuses an -UPDATE or -DRYRUN goes by, validated: throws Error(kConflict) listing every
// disagreement the options do not accept. -REPAIR accepts changed checksums: a real run repairs
// them first, a -DRYRUN only plans as if it had.
std::vector<update::VersionStatus> checked_status(update::UpdateSession& session,
                                                  update::History& history,
                                                  const std::vector<HistoryRow>& rows,
                                                  const update::Script& script,
                                                  const cli::Options& options, log::Log& log) {
  auto statuses = update::version_status(script, rows);
  if (options.repair && !options.dry_run) repair_checksums(history, statuses, log);
  if (options.repair && options.dry_run) {
    for (auto& status : statuses) {
      if (status.state == update::VersionState::kChecksumChanged) {
        status.state = update::VersionState::kApplied;
      }
    }
  }
  update::validate(statuses, script, session.target.display, options.out_of_order);
  return statuses;
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

// The script, refused (exit 9) before anything runs when a section that runs in one transaction
// holds a statement that would end or open one.
update::Script load_checked_script(const cli::Options& options,
                                   const schema::UpdateDialect& dialect) {
  auto script = update::load_script(options.script, dialect.name(), options.defines);
  if (dialect.transactional_ddl()) update::refuse_transaction_control(script);
  return script;
}

int dry_run_offline(const cli::Options& options) {
  const auto dialect = schema::make_dialect(options.dialect);
  const auto script = load_checked_script(options, dialect->update());
  std::vector<const Section*> sections;
  for (const auto& section : script.sections) sections.push_back(&section);
  std::cout << fmt::format("-- offline plan (-DIALECT {}): all {} section{}\n", options.dialect,
                           sections.size(), sections.size() == 1 ? "" : "s");
  update::print_plan(std::cout, dialect->update(), sections, 0);
  return 0;
}

int dry_run(const cli::Options& options, log::Log& log) {
  auto session = update::open_update_session(options, false);
  const auto script = load_checked_script(options, session.dialect->update());
  update::History history(session);
  const auto rows = history.rows();
  const auto current = update::current_version(rows);
  const auto statuses = checked_status(session, history, rows, script, options, log);
  const auto pending = update::sections_to_apply(statuses, parse_target(options),
                                                 options.out_of_order);
  const auto resume = unfinished_row(rows, pending);
  std::cout << fmt::format("-- database is at version {}; {} section{} pending\n",
                           update::version_text(current), pending.size(),
                           pending.size() == 1 ? "" : "s");
  update::print_plan(std::cout, session.dialect->update(), pending,
                     resume ? resume->statements_done : 0);
  return 0;
}

// -INFO as text: a header and one row per version, columns aligned, "-" for what is not known.
void print_info_table(const std::vector<update::VersionStatus>& statuses) {
  std::vector<std::vector<std::string>> table{
      {"version", "description", "state", "installed on", "by", "ms"}};
  for (const auto& status : statuses) {
    const bool installed = status.history.has_value();
    table.push_back({status.version.text(), status.description.empty() ? "-" : status.description,
                     std::string(update::state_name(status.state)),
                     installed ? status.history->installed_on : "-",
                     installed ? status.history->installed_by : "-",
                     installed ? std::to_string(status.history->execution_ms) : "-"});
  }
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& line : table) {
    for (std::size_t column = 0; column < line.size(); ++column) {
      widths[column] = std::max(widths[column], line[column].size());
    }
  }
  for (const auto& line : table) {
    std::string text;
    for (std::size_t column = 0; column < line.size(); ++column) {
      text += column + 1 == line.size() ? line[column]
                                        : fmt::format("{:<{}}  ", line[column], widths[column]);
    }
    std::cout << text << '\n';
  }
}

// -INFO -JSON: README "Output for machines" names the fields.
void print_info_document(const update::UpdateSession& session, const update::Script& script,
                         const std::vector<HistoryRow>& rows,
                         const std::vector<update::VersionStatus>& statuses) {
  nlohmann::ordered_json document;
  document["target"] = session.target.display;
  document["dialect"] = session.dialect->name();
  document["script"] = script.source;
  const auto current = update::current_version(rows);
  document["current_version"] = current ? nlohmann::ordered_json(current->text()) : nullptr;
  auto versions = nlohmann::ordered_json::array();
  for (const auto& status : statuses) {
    nlohmann::ordered_json entry;
    entry["version"] = status.version.text();
    entry["description"] = status.description;
    entry["state"] = update::state_name(status.state);
    const auto* row = status.history ? &*status.history : nullptr;
    entry["installed_on"] = row ? nlohmann::ordered_json(row->installed_on) : nullptr;
    entry["installed_by"] = row ? nlohmann::ordered_json(row->installed_by) : nullptr;
    entry["execution_ms"] = row ? nlohmann::ordered_json(row->execution_ms) : nullptr;
    versions.push_back(std::move(entry));
  }
  document["versions"] = std::move(versions);
  log::print_document(document);
}

}  // namespace

int update(const cli::Options& options, log::Log& log) {
  if (options.dry_run) return options.db.empty() ? dry_run_offline(options) : dry_run(options, log);
  const auto target = parse_target(options);
  auto session = update::open_update_session(options, true);
  const auto script = load_checked_script(options, session.dialect->update());
  update::UpdateLock lock(session, options.lock_wait_seconds, log);
  update::History history(session);
  history.ensure_exists();

  auto rows = history.rows();
  const auto statuses = checked_status(session, history, rows, script, options, log);
  auto current = update::current_version(rows);
  const auto pending = update::sections_to_apply(statuses, target, options.out_of_order);
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
    // An out-of-order section does not lower the version the database is at.
    if (!current || section->version > *current) current = section->version;
  }
  // Another run may have gone further (SQLite locks per section): report what the table says.
  log.update_done({.version = update::version_text(update::current_version(history.rows())),
                   .applied = applied});
  return 0;
}

int info(const cli::Options& options, log::Log&) {
  auto session = update::open_update_session(options, false);
  const auto script =
      update::load_script(options.script, session.dialect->name(), options.defines);
  update::History history(session);
  const auto rows = history.rows();
  const auto statuses = update::version_status(script, rows);
  if (options.json) {
    print_info_document(session, script, rows, statuses);
  } else {
    print_info_table(statuses);
  }
  return 0;
}

int validate(const cli::Options& options, log::Log&) {
  auto session = update::open_update_session(options, false);
  const auto script =
      update::load_script(options.script, session.dialect->name(), options.defines);
  update::History history(session);
  const auto statuses = update::version_status(script, history.rows());
  update::validate(statuses, script, session.target.display, options.out_of_order);
  std::cout << fmt::format("{} agrees with the history of {} ({} version{})\n", script.source,
                           session.target.display, statuses.size(),
                           statuses.size() == 1 ? "" : "s");
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

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
    if (status.changed_statement >= 0) {
      // The resumed run records the script's checksums of the statements done.
      const auto index = static_cast<std::size_t>(status.changed_statement);
      const auto& now = status.unfinished->statement_checksums;
      log.checksum_repaired(
          {.version = fmt::format("{} statement {}", status.history->version, index + 1),
           .old_checksum = status.history->statement_checksums[index],
           .new_checksum = index < now.size() ? now[index] : std::string("(none)")});
      status.changed_statement = -1;
    }
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
      status.changed_statement = -1;
    }
  }
  update::validate(statuses, script, session.target.display, options.out_of_order);
  return statuses;
}

// The failed row of a section an earlier run left part way (engines without transactional DDL).
std::optional<HistoryRow> unfinished_row(const std::vector<HistoryRow>& rows,
                                         const std::vector<const Section*>& pending) {
  if (pending.empty()) return std::nullopt;
  const auto latest = update::latest_by_version(rows);
  const auto found = latest.find(pending.front()->version);
  if (found == latest.end() || !found->second->is_versioned() || found->second->success) {
    return std::nullopt;
  }
  return *found->second;
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
  update::refuse_transaction_control(script, dialect.transactional_ddl());
  return script;
}

int dry_run_offline(const cli::Options& options) {
  const auto dialect = schema::make_dialect(options.dialect);
  const auto script = load_checked_script(options, dialect->update());
  std::vector<const Section*> sections;
  for (const auto& section : script.sections) sections.push_back(&section);
  for (const auto& section : script.repeatables) sections.push_back(&section);
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
  auto pending = update::sections_to_apply(statuses, parse_target(options), options.out_of_order);
  const auto resume = unfinished_row(rows, pending);
  for (const Section* section :
       update::repeatables_to_apply(update::repeatable_status(script, rows))) {
    pending.push_back(section);
  }
  std::cout << fmt::format("-- database is at version {}; {} section{} pending\n",
                           update::version_text(current), pending.size(),
                           pending.size() == 1 ? "" : "s");
  update::print_plan(std::cout, session.dialect->update(), pending,
                     resume ? resume->statements_done : 0);
  return 0;
}

// What -UNDO -TARGET v takes back: the undo section of every version above v that is in the
// database, newest first. Throws before anything runs when one of them is the baseline or has no
// undo section (kScript, naming each).
std::vector<const update::VersionStatus*> undo_plan(
    const std::vector<update::VersionStatus>& statuses, const update::Script& script,
    const Version& target) {
  std::vector<const update::VersionStatus*> plan;
  for (auto status = statuses.rbegin(); status != statuses.rend(); ++status) {
    if (!(status->version > target) || !status->history ||
        !update::counts_as_applied(*status->history)) {
      continue;
    }
    if (status->state == update::VersionState::kBaseline) {
      throw Error(ErrorKind::kConflict,
                  fmt::format("cannot undo version {}: it is the baseline, which bru never "
                              "applied",
                              status->version.text()))
          .with_hint(
              fmt::format("give a -TARGET at or above the baseline {}", status->version.text()));
    }
    plan.push_back(&*status);
  }
  std::vector<std::string> without_undo;
  for (const auto* status : plan) {
    if (script.find_undo(status->version) == nullptr)
      without_undo.push_back(status->version.text());
  }
  if (!without_undo.empty()) {
    std::string list;
    for (const auto& version : without_undo) list += (list.empty() ? "" : ", ") + version;
    throw Error(ErrorKind::kScript,
                fmt::format("cannot undo {} to version {}: {} has no undo section for version{} "
                            "{}; nothing was undone",
                            script.source, target.text(), script.source,
                            without_undo.size() == 1 ? "" : "s", list))
        .with_hint(fmt::format("add a -- bru:undo {} section that takes the version back (in a "
                               "folder: U{}__<description>.sql), or give a -TARGET at or above "
                               "{}",
                               without_undo.front(), without_undo.front(), without_undo.front()));
  }
  return plan;
}

void print_aligned(const std::vector<std::vector<std::string>>& table);

// One -INFO table row: first column, description, state, and the latest history row's when, by
// and ms ("-" for what is not known).
std::vector<std::string> info_line(std::string first, const std::string& description,
                                   update::VersionState state,
                                   const std::optional<HistoryRow>& row) {
  return {std::move(first),
          description.empty() ? "-" : description,
          std::string(update::state_name(state)),
          row ? row->installed_on : "-",
          row ? row->installed_by : "-",
          row ? std::to_string(row->execution_ms) : "-"};
}

// -INFO as text: a header and one row per version, columns aligned; then, when the script or the
// history has repeatable sections, a blank line and a second table of them.
void print_info_table(const std::vector<update::VersionStatus>& statuses,
                      const std::vector<update::RepeatableStatus>& repeatables) {
  std::vector<std::vector<std::string>> table{
      {"version", "description", "state", "installed on", "by", "ms"}};
  for (const auto& status : statuses) {
    table.push_back(
        info_line(status.version.text(), status.description, status.state, status.history));
  }
  print_aligned(table);
  if (repeatables.empty()) return;
  std::vector<std::vector<std::string>> repeatable_table{
      {"repeatable", "description", "state", "installed on", "by", "ms"}};
  for (const auto& status : repeatables) {
    repeatable_table.push_back(
        info_line(status.name, status.description, status.state, status.history));
  }
  std::cout << '\n';
  print_aligned(repeatable_table);
}

// -INFO's tables: columns padded to their widest cell, two blanks apart, the last one not padded.
void print_aligned(const std::vector<std::vector<std::string>>& table) {
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

// One -INFO -JSON entry: its key (version or name), description, state, and the latest history
// row's installed_on, installed_by, execution_ms (null when there is none).
nlohmann::ordered_json info_entry(const char* key, const std::string& value,
                                  const std::string& description, update::VersionState state,
                                  const std::optional<HistoryRow>& row) {
  nlohmann::ordered_json entry;
  entry[key] = value;
  entry["description"] = description;
  entry["state"] = update::state_name(state);
  entry["installed_on"] = row ? nlohmann::ordered_json(row->installed_on) : nullptr;
  entry["installed_by"] = row ? nlohmann::ordered_json(row->installed_by) : nullptr;
  entry["execution_ms"] = row ? nlohmann::ordered_json(row->execution_ms) : nullptr;
  return entry;
}

// -INFO -JSON: README "Output for machines" names the fields.
void print_info_document(const update::UpdateSession& session, const update::Script& script,
                         const std::vector<HistoryRow>& rows,
                         const std::vector<update::VersionStatus>& statuses,
                         const std::vector<update::RepeatableStatus>& repeatables) {
  nlohmann::ordered_json document;
  document["target"] = session.target.display;
  document["dialect"] = session.dialect->name();
  document["script"] = script.source;
  const auto current = update::current_version(rows);
  document["current_version"] = current ? nlohmann::ordered_json(current->text()) : nullptr;
  auto versions = nlohmann::ordered_json::array();
  for (const auto& status : statuses) {
    auto entry = info_entry("version", status.version.text(), status.description, status.state,
                            status.history);
    entry["undo"] = status.has_undo;
    versions.push_back(std::move(entry));
  }
  document["versions"] = std::move(versions);
  auto repeatable_entries = nlohmann::ordered_json::array();
  for (const auto& status : repeatables) {
    repeatable_entries.push_back(
        info_entry("name", status.name, status.description, status.state, status.history));
  }
  document["repeatables"] = std::move(repeatable_entries);
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
  // Repeatable sections come after the versioned ones, each run anew (no resume): they are
  // written to be re-run.
  const auto repeatables = update::repeatables_to_apply(update::repeatable_status(script, rows));
  auto resume = unfinished_row(rows, pending);
  int rank = next_rank(rows);
  log.update_plan({.current_version = update::version_text(current),
                   .pending = pending.size() + repeatables.size()});
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
  for (const Section* section : repeatables) {
    const auto result =
        update::apply_section(session, history, *section, std::nullopt, rank++, current);
    if (result.applied) {
      log.section_applied({.version = section->name,
                           .description = section->description,
                           .milliseconds = result.execution_ms,
                           .kind = "repeatable"});
      ++applied;
    }
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
  const auto repeatables = update::repeatable_status(script, rows);
  if (options.json) {
    print_info_document(session, script, rows, statuses, repeatables);
  } else {
    print_info_table(statuses, repeatables);
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

// -UNDO -DIALECT d -DRYRUN, no database: plans as if every version of the script were applied.
int undo_offline(const cli::Options& options, const Version& target) {
  const auto dialect = schema::make_dialect(options.dialect);
  const auto script = load_checked_script(options, dialect->update());
  std::vector<update::VersionStatus> statuses;
  for (const auto& section : script.sections) {
    update::VersionStatus status{section.version, section.description,
                                 update::VersionState::kApplied, &section};
    status.history.emplace();
    status.history->success = true;
    status.history->checksum = section.checksum;
    statuses.push_back(std::move(status));
  }
  const auto plan = undo_plan(statuses, script, target);
  std::vector<const Section*> sections;
  for (const auto* status : plan) sections.push_back(script.find_undo(status->version));
  std::cout << fmt::format("-- offline undo plan (-DIALECT {}): {} version{} above {}\n",
                           options.dialect, plan.size(), plan.size() == 1 ? "" : "s",
                           target.text());
  update::print_plan(std::cout, dialect->update(), sections, 0);
  return 0;
}

int undo(const cli::Options& options, log::Log& log) {
  const auto target = parse_target(options);
  if (options.dry_run && options.db.empty()) return undo_offline(options, *target);
  auto session = update::open_update_session(options, false);
  const auto script = load_checked_script(options, session.dialect->update());
  std::optional<update::UpdateLock> lock;
  if (!options.dry_run) lock.emplace(session, options.lock_wait_seconds, log);
  update::History history(session);
  // Undo rows need the columns a history of an earlier bru lacks.
  if (!options.dry_run && history.exists()) history.ensure_exists();
  const auto rows = history.rows();
  const auto statuses = checked_status(session, history, rows, script, options, log);
  const auto plan = undo_plan(statuses, script, *target);
  auto current = update::current_version(rows);
  if (options.dry_run) {
    std::vector<const Section*> sections;
    for (const auto* status : plan) sections.push_back(script.find_undo(status->version));
    const bool resumes = !plan.empty() && plan.front()->state == update::VersionState::kUndoFailed;
    std::cout << fmt::format("-- database is at version {}; {} version{} to undo down to {}\n",
                             update::version_text(current), plan.size(),
                             plan.size() == 1 ? "" : "s", target->text());
    update::print_plan(std::cout, session.dialect->update(), sections,
                       resumes ? plan.front()->history->statements_done : 0);
    return 0;
  }
  int rank = next_rank(rows);
  log.update_plan({.current_version = update::version_text(current), .pending = plan.size()});
  std::size_t undone = 0;
  for (const auto* status : plan) {
    std::optional<HistoryRow> resume;
    if (status->state == update::VersionState::kUndoFailed) resume = status->history;
    const auto result = update::apply_section(session, history, *script.find_undo(status->version),
                                              resume, rank, current);
    if (!resume) ++rank;
    if (result.applied) {
      log.section_applied({.version = status->version.text(),
                           .description = status->description,
                           .milliseconds = result.execution_ms,
                           .kind = "undo"});
      ++undone;
    }
    current = update::current_version(history.rows());
  }
  log.update_done({.version = update::version_text(update::current_version(history.rows())),
                   .applied = undone});
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

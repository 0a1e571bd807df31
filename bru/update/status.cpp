// The script against the history: version states, validation, what an -UPDATE applies.
#include "bru/update/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace bru::update {
namespace {

bool is_baseline(const HistoryRow& row) {
  return row.is_versioned() && row.success && row.checksum.empty();
}

VersionState state_of(const VersionStatus& status, const std::optional<Version>& current,
                      const std::optional<Version>& baseline) {
  if (status.history) {
    const HistoryRow& row = *status.history;
    if (row.is_undo()) return row.success ? VersionState::kUndone : VersionState::kUndoFailed;
    if (!row.success) return VersionState::kFailed;
    if (is_baseline(row)) return VersionState::kBaseline;
    if (status.section == nullptr) return VersionState::kMissing;
    if (status.section->checksum != row.checksum) return VersionState::kChecksumChanged;
    return VersionState::kApplied;
  }
  if (baseline && status.version <= *baseline) return VersionState::kBelowBaseline;
  if (current && status.version < *current) return VersionState::kOutOfOrder;
  return VersionState::kPending;
}

// Problems are told by kind; a failed version with a changed statement is its own kind.
enum class Problem { kNone, kChecksumChanged, kMissing, kOutOfOrder, kStatementChanged };

Problem problem_of(const VersionStatus& status, bool out_of_order) {
  if (status.changed_statement >= 0) return Problem::kStatementChanged;
  switch (status.state) {
    case VersionState::kChecksumChanged:
      return Problem::kChecksumChanged;
    case VersionState::kMissing:
      return Problem::kMissing;
    case VersionState::kOutOfOrder:
      return out_of_order ? Problem::kNone : Problem::kOutOfOrder;
    default:
      return Problem::kNone;
  }
}

std::string problem_text(const VersionStatus& status, const Script& script,
                         const std::optional<Version>& current) {
  if (status.changed_statement >= 0) {
    const Section& section = *status.unfinished;
    const auto index = static_cast<std::size_t>(status.changed_statement);
    const bool gone = index >= section.statements.size();
    return fmt::format(
        "{}:{}: statement {} of {} already ran (an earlier run stopped after statement {}) and "
        "{} since",
        section.file, gone ? section.line : section.statements[index].line, index + 1,
        section.label(), status.history->statements_done,
        gone ? "the section no longer has it" : "has changed");
  }
  switch (status.state) {
    case VersionState::kChecksumChanged:
      return fmt::format("{}:{}: version {} was applied with checksum {} but the script now has {}",
                         status.section->file, status.section->line, status.history->version,
                         status.history->checksum, status.section->checksum);
    case VersionState::kMissing:
      return fmt::format("version {} was applied but {} has no section for it",
                         status.history->version, script.source);
    default:
      return fmt::format(
          "{}:{}: version {} is not applied but is older than the current "
          "version {}",
          status.section->file, status.section->line, status.version.text(), version_text(current));
  }
}

std::string problem_hint(Problem problem, const std::optional<Version>& current) {
  switch (problem) {
    case Problem::kStatementChanged:
      return "a statement that ran is not run again: undo the edit (fix only the statements "
             "after it), or run bru -UPDATE -REPAIR to accept the new text as run";
    case Problem::kChecksumChanged:
      return "an applied section must not change: put the change in a new section with a "
             "higher version, or run bru -UPDATE -REPAIR to accept the new text (its "
             "statements are not run again)";
    case Problem::kMissing:
      return "an applied section must stay in the script: put it back (bru does not undo a "
             "version by removing its section)";
    default:
      return fmt::format(
          "give the section a version above {}, or run bru -UPDATE -OUTOFORDER "
          "to apply it below the current version on purpose",
          version_text(current));
  }
}

}  // namespace

std::string_view state_name(VersionState state) {
  switch (state) {
    case VersionState::kApplied:
      return "applied";
    case VersionState::kPending:
      return "pending";
    case VersionState::kFailed:
      return "failed";
    case VersionState::kMissing:
      return "missing";
    case VersionState::kOutOfOrder:
      return "out-of-order";
    case VersionState::kChecksumChanged:
      return "checksum-changed";
    case VersionState::kBaseline:
      return "baseline";
    case VersionState::kBelowBaseline:
      return "below-baseline";
    case VersionState::kUndone:
      return "undone";
    case VersionState::kUndoFailed:
      return "undo-failed";
    case VersionState::kOutdated:
      return "outdated";
  }
  return "unknown";
}

int changed_statement(const HistoryRow& row, const Section& section) {
  const auto recorded = std::min(row.statement_checksums.size(),
                                 static_cast<std::size_t>(std::max(row.statements_done, 0)));
  for (std::size_t index = 0; index < recorded; ++index) {
    if (index >= section.statement_checksums.size() ||
        section.statement_checksums[index] != row.statement_checksums[index]) {
      return static_cast<int>(index);
    }
  }
  return -1;
}

std::vector<VersionStatus> version_status(const Script& script,
                                          const std::vector<HistoryRow>& rows) {
  std::map<Version, VersionStatus> by_version;
  std::optional<Version> baseline;
  for (const auto& [version, row] : latest_by_version(rows)) {
    if (is_baseline(*row) && (!baseline || version > *baseline)) baseline = version;
    VersionStatus& status = by_version.try_emplace(version, VersionStatus{version}).first->second;
    status.description = row->description;
    status.history = *row;
  }
  for (const Section& section : script.sections) {
    VersionStatus& status =
        by_version.try_emplace(section.version, VersionStatus{section.version}).first->second;
    status.section = &section;
    status.description = section.description;
    status.has_undo = script.find_undo(section.version) != nullptr;
  }
  const auto current = current_version(rows);
  std::vector<VersionStatus> statuses;
  for (auto& [version, status] : by_version) {
    status.state = state_of(status, current, baseline);
    if (status.state == VersionState::kFailed) status.unfinished = status.section;
    if (status.state == VersionState::kUndoFailed) status.unfinished = script.find_undo(version);
    if (status.unfinished != nullptr) {
      status.changed_statement = changed_statement(*status.history, *status.unfinished);
    }
    statuses.push_back(std::move(status));
  }
  return statuses;
}

std::vector<const Section*> sections_to_apply(const std::vector<VersionStatus>& statuses,
                                              const std::optional<Version>& target,
                                              bool out_of_order) {
  std::vector<const Section*> sections;
  for (const auto& status : statuses) {
    if (status.section == nullptr || (target && status.version > *target)) continue;
    if (status.state == VersionState::kPending || status.state == VersionState::kFailed ||
        status.state == VersionState::kUndone ||
        (out_of_order && status.state == VersionState::kOutOfOrder)) {
      sections.push_back(status.section);
    }
  }
  return sections;
}

std::vector<RepeatableStatus> repeatable_status(const Script& script,
                                                const std::vector<HistoryRow>& rows) {
  std::map<std::string, const HistoryRow*> latest;
  std::map<std::string, const HistoryRow*> last_applied;
  std::vector<std::string> history_names;
  for (const auto& row : rows) {
    if (!row.is_repeatable()) continue;
    if (latest.find(row.version) == latest.end()) history_names.push_back(row.version);
    latest[row.version] = &row;
    if (row.success) last_applied[row.version] = &row;
  }
  std::vector<RepeatableStatus> statuses;
  const auto add = [&](const std::string& name, const Section* section) {
    RepeatableStatus status{name};
    status.section = section;
    const auto row = latest.find(name);
    if (row != latest.end()) {
      status.history = *row->second;
      status.description = row->second->description;
    }
    if (section != nullptr) status.description = section->description;
    const auto applied = last_applied.find(name);
    if (section == nullptr) {
      status.state = VersionState::kMissing;
    } else if (row != latest.end() && !row->second->success) {
      status.state = VersionState::kFailed;
    } else if (applied == last_applied.end()) {
      status.state = VersionState::kPending;
    } else {
      status.state = applied->second->checksum == section->checksum ? VersionState::kApplied
                                                                    : VersionState::kOutdated;
    }
    statuses.push_back(std::move(status));
  };
  for (const Section& section : script.repeatables) add(section.name, &section);
  for (const auto& name : history_names) {
    const bool in_script =
        std::any_of(script.repeatables.begin(), script.repeatables.end(),
                    [&](const Section& section) { return section.name == name; });
    if (!in_script) add(name, nullptr);
  }
  return statuses;
}

std::vector<const Section*> repeatables_to_apply(const std::vector<RepeatableStatus>& statuses) {
  std::vector<const Section*> sections;
  for (const auto& status : statuses) {
    if (status.section != nullptr &&
        (status.state == VersionState::kPending || status.state == VersionState::kOutdated ||
         status.state == VersionState::kFailed)) {
      sections.push_back(status.section);
    }
  }
  return sections;
}

void validate(const std::vector<VersionStatus>& statuses, const Script& script,
              const std::string& target_display, bool out_of_order) {
  std::optional<Version> current;
  for (const auto& status : statuses) {
    if (status.history && counts_as_applied(*status.history)) current = status.version;
  }
  std::vector<const VersionStatus*> problems;
  for (const auto& status : statuses) {
    if (problem_of(status, out_of_order) != Problem::kNone) problems.push_back(&status);
  }
  if (problems.empty()) return;
  std::string message;
  if (problems.size() == 1) {
    message = problem_text(*problems.front(), script, current);
  } else {
    message =
        fmt::format("the script and the history of {} disagree on {} versions:", target_display,
                    problems.size());
    for (const auto* problem : problems) {
      message += "\n  " + problem_text(*problem, script, current);
    }
  }
  Error error(ErrorKind::kConflict, message);
  for (const Problem kind : {Problem::kChecksumChanged, Problem::kMissing, Problem::kOutOfOrder,
                             Problem::kStatementChanged}) {
    for (const auto* problem : problems) {
      if (problem_of(*problem, out_of_order) == kind) {
        error.with_hint(problem_hint(kind, current));
        break;
      }
    }
  }
  throw error;
}

}  // namespace bru::update

// The script against the history: version states, validation, what an -UPDATE applies.
#include "bru/update/status.h"

#include <fmt/format.h>

#include <map>

namespace bru::update {
namespace {

bool is_baseline(const HistoryRow& row) { return row.success && row.checksum.empty(); }

VersionState state_of(const VersionStatus& status, const std::optional<Version>& current,
                      const std::optional<Version>& baseline) {
  if (status.history) {
    const HistoryRow& row = *status.history;
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

bool is_problem(VersionState state, bool out_of_order) {
  return state == VersionState::kChecksumChanged || state == VersionState::kMissing ||
         (state == VersionState::kOutOfOrder && !out_of_order);
}

std::string problem_text(const VersionStatus& status, const Script& script,
                         const std::optional<Version>& current) {
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

std::string problem_hint(VersionState state, const std::optional<Version>& current) {
  switch (state) {
    case VersionState::kChecksumChanged:
      return "an applied section must not change: put the change in a new section with a "
             "higher version, or run bru -UPDATE -REPAIR to accept the new text (its "
             "statements are not run again)";
    case VersionState::kMissing:
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
  }
  return "unknown";
}

std::vector<VersionStatus> version_status(const Script& script,
                                          const std::vector<HistoryRow>& rows) {
  std::map<Version, VersionStatus> by_version;
  std::optional<Version> baseline;
  for (const auto& row : rows) {
    const auto version = Version::parse(row.version);
    if (!version) continue;
    if (is_baseline(row) && (!baseline || *version > *baseline)) baseline = version;
    VersionStatus& status = by_version.try_emplace(*version, VersionStatus{*version}).first->second;
    status.description = row.description;
    status.history = row;
  }
  for (const Section& section : script.sections) {
    VersionStatus& status =
        by_version.try_emplace(section.version, VersionStatus{section.version}).first->second;
    status.section = &section;
    status.description = section.description;
  }
  const auto current = current_version(rows);
  std::vector<VersionStatus> statuses;
  for (auto& [version, status] : by_version) {
    status.state = state_of(status, current, baseline);
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
        (out_of_order && status.state == VersionState::kOutOfOrder)) {
      sections.push_back(status.section);
    }
  }
  return sections;
}

void validate(const std::vector<VersionStatus>& statuses, const Script& script,
              const std::string& target_display, bool out_of_order) {
  std::optional<Version> current;
  for (const auto& status : statuses) {
    if (status.history && status.history->success) current = status.version;
  }
  std::vector<const VersionStatus*> problems;
  for (const auto& status : statuses) {
    if (is_problem(status.state, out_of_order)) problems.push_back(&status);
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
  for (const VersionState state :
       {VersionState::kChecksumChanged, VersionState::kMissing, VersionState::kOutOfOrder}) {
    for (const auto* problem : problems) {
      if (problem->state == state) {
        error.with_hint(problem_hint(state, current));
        break;
      }
    }
  }
  throw error;
}

}  // namespace bru::update

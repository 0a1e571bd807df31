// Where each version stands, the script against the history (issue 10): the rows of -INFO, the
// problems -VALIDATE (and every -UPDATE, first) refuses, and the sections an -UPDATE applies.
// Pure: reads the script model and history rows already fetched, never a database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/update/update.h"
#include "schema/error.h"
#include "schema/script/script.h"

namespace bru::update {

// The state of one version. The names (state_name) are stable: -INFO -JSON prints them.
enum class VersionState {
  kApplied,          // in the history (success) and in the script with the same checksum
  kPending,          // in the script only, newer than the current version
  kFailed,           // a history row with success 0: a re-run resumes it (MariaDB, Oracle)
  kMissing,          // applied, but the script has no section for it any more
  kOutOfOrder,       // in the script only, older than the current version
  kChecksumChanged,  // applied, and the script's section has changed since
  kBaseline,         // the row -BASELINE wrote
  kBelowBaseline,    // in the script only, at or below a baseline: never run, by design
  kUndone,           // applied, then taken back by -UNDO: an -UPDATE applies it again
  kUndoFailed,       // its undo stopped part way (MariaDB, Oracle, transaction off): -UNDO resumes
  kOutdated,         // repeatable: applied, and the script's section has changed since
};

// "applied", "pending", "failed", "missing", "out-of-order", "checksum-changed", "baseline",
// "below-baseline", "undone", "undo-failed", "outdated".
std::string_view state_name(VersionState state);

// One version of the script or the history (or both).
struct VersionStatus {
  Version version;
  std::string description{};  // the script's, else the history's
  VersionState state = VersionState::kPending;
  const Section* section = nullptr;     // nullptr when the script has no section for it
  std::optional<HistoryRow> history{};  // its latest row; nullopt when the history has none
  // kFailed, kUndoFailed: the first statement an earlier run already ran that has changed in the
  // script since (index into the section's statements), or -1.
  int changed_statement = -1;
  const Section* unfinished = nullptr;  // kFailed: section; kUndoFailed: its undo section
  bool has_undo = false;                // the script has an undo section for it
};

// One repeatable section of the script or the history (or both).
struct RepeatableStatus {
  std::string name;
  std::string description{};
  // kApplied (unchanged since last applied), kPending (never applied), kOutdated (changed since),
  // kFailed (its last run failed part way), kMissing (in the history only).
  VersionState state = VersionState::kPending;
  const Section* section = nullptr;
  std::optional<HistoryRow> history{};  // its latest row
};

// Every repeatable section of the script or the history, in the script's order, then the
// history's names the script no longer has.
std::vector<RepeatableStatus> repeatable_status(const Script& script,
                                                const std::vector<HistoryRow>& rows);

// The repeatable sections an -UPDATE applies after the versioned ones: pending, outdated, failed.
std::vector<const Section*> repeatables_to_apply(const std::vector<RepeatableStatus>& statuses);

// The first statement of section that a row of an earlier, unfinished run already ran and whose
// checksum has changed since (or that the section no longer has), or -1. Rows of an earlier bru
// have no statement checksums: nothing to compare, -1.
int changed_statement(const HistoryRow& row, const Section& section);

// Every version in the script or the history, oldest first. History rows whose version does not
// parse are left out (bru never writes one).
std::vector<VersionStatus> version_status(const Script& script,
                                          const std::vector<HistoryRow>& rows);

// The sections an -UPDATE applies, oldest first: pending ones, failed ones still in the script
// (resumed), and with out_of_order also the out-of-order ones; none above target.
std::vector<const Section*> sections_to_apply(const std::vector<VersionStatus>& statuses,
                                              const std::optional<Version>& target,
                                              bool out_of_order);

// What -VALIDATE checks: versions whose state is kChecksumChanged, kMissing, (unless
// out_of_order) kOutOfOrder, and failed ones (kFailed, kUndoFailed) with a changed_statement
// ("<file>:<line>: statement n of version v already ran (an earlier run stopped after it) and has
// changed since"). Throws Error(kConflict) when there is one: its message is the
// problem ("<file>:<line>: version v was applied with checksum a but the script now has b",
// "version v was applied but <script> has no section for it", "<file>:<line>: version v is
// not applied but is older than the current version c"), or, for several, "the script and the
// history of <target> disagree on n versions:" and one indented line per problem; one hint per
// kind of problem found.
void validate(const std::vector<VersionStatus>& statuses, const Script& script,
              const std::string& target_display, bool out_of_order);

}  // namespace bru::update

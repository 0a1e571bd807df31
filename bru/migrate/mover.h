// Moves the rows of a migration map (map.h) from a source database into a target, in slices:
// every slice is one target transaction holding its rows and the progress row that says how far
// the part has got (bru_migrate_progress in the target), so a run killed at any moment resumes
// after the last committed slice with nothing lost and nothing twice. The source is read in one
// consistent snapshot per run; keys come from the source alone (never from a sequence), so the
// same source gives the same target whatever the slice size or the number of interruptions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bru/migrate/map.h"
#include "bru/migrate/migrate_sql.h"
#include "bru/odbc/connection.h"
#include "schema/dialect.h"

namespace bru::migrate {

enum class Step { kBase, kPerformance, kAll };

// One line of the final table.
struct MappingResult {
  std::string mapping, rule, to;
  bool performance = false;
  bool in_step = false;
  std::int64_t source_rows = 0;     // rows of the source part(s)
  std::int64_t expected_rows = 0;   // what the rule says the target gets from them
  std::int64_t moved_rows = 0;      // written by bru
  std::int64_t overlap_rows = 0;
  std::optional<std::string> overlap_first, overlap_last;
  std::int64_t target_table_rows = 0;
  std::string state;                // complete, running, pending
  bool counts_match = false;
  std::string problem;              // why the counts do not match ("" when they do)
};

struct MoveOptions {
  Step step = Step::kAll;
  std::size_t slice_rows = 50000;
  // The time budget; nullopt: until done. At the end of it the current slice is finished.
  std::optional<std::chrono::steady_clock::duration> budget;
  bool quiet = false;
};

class Mover {
 public:
  // Both connections freshly opened, autocommit on; runs each side's SqlForms::session_setup.
  // Any engine of the registry on either side (SQL Server and Oracle: never run against a server,
  // see the README).
  Mover(odbc::Connection& source, odbc::Connection& target, const MigrationMap& map);

  // Refuses a source below the map's minimum version: Error(kConflict) with the map's hint;
  // Error(kNotFound) when the version table is missing (not a database of this map).
  void check_source_version();
  // Starts the run's one read snapshot on the source (kept until the Mover is destroyed).
  void begin_snapshot();
  // Creates bru_migrate_progress in the target when missing, and a pending row per part.
  void prepare_progress();
  // Moves slices of every part of the step until done or the budget is used; returns true when
  // every part of the step is complete (and then moves the target's identity generators past the
  // keys moved, in every run, so a run killed after its last slice leaves that to the next one). Refuses -STEP performance before the base is complete
  // (Error(kConflict)). Throws Error(kDatabase) from either side, Error(kTypeMapping) for a code
  // value the map does not list, naming mapping, column, value and key.
  bool move(const MoveOptions& options, std::ostream& progress_out);
  // The final table's lines (source counts read in the snapshot).
  std::vector<MappingResult> results(Step step);
  // The progress rows of every part (prepare_progress must have run).
  std::vector<PartProgress> progress();
  // The same, or empty when the target has no progress table (-STATUS before any run).
  std::vector<PartProgress> progress_or_empty();

 private:
  struct Engine;
  bool has_progress_table();
  PartProgress load_progress(const Part& part);
  void save_progress(const PartProgress& progress);
  std::int64_t move_slice(const Mapping& mapping, const Part& part, PartProgress& progress,
                          std::size_t slice_rows);
  void move_identity_past_keys(const Mapping& mapping);
  // The target table's identity columns, as its catalog names them (SqlForms); asked once per
  // table and run.
  const std::vector<std::string>& identity_columns(const std::string& table);
  std::int64_t expected_rows(const Part& part, std::int64_t& source_rows, std::string& problem);
  void insert_rows(const Mapping& mapping, const std::vector<std::string>& columns,
                   const std::vector<const Values*>& rows, const std::vector<bool>& binary);

  odbc::Connection& source_;
  odbc::Connection& target_;
  const MigrationMap& map_;
  std::unique_ptr<schema::Dialect> source_dialect_, target_dialect_;
  MigrateSql source_sql_, target_sql_;
  std::map<std::string, std::vector<std::string>> identity_columns_;
  bool snapshot_open_ = false;
};

// -STATUS's and the final table's text: one line per mapping with its counts and state.
void print_results(std::ostream& out, const std::vector<MappingResult>& results);
void print_progress(std::ostream& out, const std::vector<PartProgress>& progress,
                    const std::vector<MappingResult>* left);

}  // namespace bru::migrate

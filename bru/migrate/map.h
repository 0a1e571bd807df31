// A migration map (sql/wfm/MAP-FORMAT.md): which source tables become which target tables, with
// renamed columns and code values, merges, unions and splits. Pure data: parsing and checking
// it needs no database; bru/migrate/mover.h moves rows by it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bru::migrate {

// Where one target column's value comes from.
struct ColumnRule {
  enum class Kind { kCopy, kValues, kAdd, kConstant, kSplit };
  std::string target;             // the target column
  Kind kind = Kind::kCopy;
  std::string source;             // source column ("col" of the part's table, or "table.col")
  std::map<std::string, std::string> values;              // kValues: old code -> new code
  std::int64_t add = 0;                                   // kAdd: added to an integer key
  std::optional<std::string> constant;                    // kConstant: nullopt is NULL
  std::map<std::string, std::vector<std::string>> split;  // kSplit: old value -> new values
};

// One source table (with an optional joined second one) read in key order into the target.
struct Part {
  std::string id;                  // progress key: the mapping's name, or "<name>/<from>"
  std::string from;
  std::vector<std::string> key;    // unique, ordered columns of `from`: the slices' order
  std::string join_table;          // merge: the second table, "" when none
  std::vector<std::pair<std::string, std::string>> join_on;  // (from column, join column)
  std::vector<ColumnRule> columns;
  const ColumnRule* split_column() const;  // the kSplit rule, nullptr when none
};

struct Mapping {
  std::string name;
  std::string rule;                 // copy, merge, union, split
  std::vector<std::string> terms;   // the source terms this mapping carries
  std::string to;
  bool performance = false;         // moved by -STEP performance, never overwriting
  std::vector<std::string> target_key;  // performance: the target's key columns
  std::string period;                   // performance: the target column reported for overlap
  std::vector<Part> parts;          // one, or several for a union
};

struct Label {
  std::string term;
  std::string new_term;
  std::string why;
};

struct MigrationMap {
  std::filesystem::path path;
  std::string name;
  std::string version_table, version_column, minimum_version, version_hint;
  std::string target_script;  // "wfm7_{ENGINE}.sql": relative to the map's folder
  std::vector<Mapping> mappings;
  std::vector<Label> labels;
};

// Reads and checks a map file. Throws Error(kNotFound) for a missing file, Error(kScript) naming
// the file and the mapping for anything malformed (unknown rule, no key, a union without parts,
// two split columns, an unknown column kind), each with a hint.
MigrationMap load_map(const std::filesystem::path& path);
MigrationMap parse_map(const std::string& text, const std::filesystem::path& path);

// The target script for an engine ("sqlite", "postgres", "mariadb", "mssql", "oracle"): the
// map's target script with {ENGINE} replaced by SQLITE, PG, MARIADB, MSQL or ORA.
std::filesystem::path target_script_for(const MigrationMap& map, const std::string& engine);

}  // namespace bru::migrate

// How an engine scopes and compares the names a restore from another engine creates. Names that
// are distinct in the source can meet in the target: MariaDB names indexes per table and
// PostgreSQL per schema (beside its tables), SQLite folds the case of every name and has no
// schemas. bru/commands/restore_names.h reads these rules to refuse, or rename, before any change.
#pragma once

#include <cstddef>

namespace bru::schema {

struct NameRules {
  // Where an index name (and a unique constraint's, which names its index) must be unique.
  enum class IndexScope {
    kTable,     // MariaDB
    kSchema,    // PostgreSQL: among the schema's tables, views, sequences and indexes
    kDatabase,  // SQLite: among all tables, views and indexes
  };
  bool has_schemas = true;           // false: every table lands in one namespace (SQLite, MariaDB)
  bool table_names_fold_case = false;   // SQLite (ASCII); MariaDB with lower_case_table_names
  // A table (and view) created as `Film` is named `film` (MariaDB with lower_case_table_names 1).
  bool table_names_stored_in_lower_case = false;
  bool column_names_fold_case = false;  // SQLite, MariaDB
  IndexScope index_scope = IndexScope::kSchema;
  // Whether a named unique constraint names an index (PostgreSQL, MariaDB); SQLite keeps a
  // constraint's name to itself.
  bool unique_constraints_name_indexes = true;
  bool index_names_fold_case = false;   // SQLite, MariaDB
  bool foreign_key_names_per_database = false;  // MariaDB (InnoDB)
  std::size_t max_identifier_bytes = 63;        // 0: no limit
};

}  // namespace bru::schema

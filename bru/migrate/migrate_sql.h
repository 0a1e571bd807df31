// The SQL text bru -MIGRATE sends to one side, written with that engine's SqlForms
// (schema/sql_forms.h): a slice of a part in key order, rows as INSERTs, bru's progress table,
// and the identity statements. Text only, no connection: the tests run it on SQLite, PostgreSQL
// and MariaDB, and parse the SQL Server and Oracle forms with sqlglot and sqlfluff
// (tests/unit/testdata/migrate_sql/), engines with no server here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/migrate/map.h"
#include "schema/sql_forms.h"

namespace bru::migrate {

constexpr const char* kProgressTable = "bru_migrate_progress";

using Values = std::vector<std::optional<std::string>>;

// One part's row of bru_migrate_progress.
struct PartProgress {
  std::string part_id;
  std::string mapping;
  std::string state = "pending";  // pending, running, complete
  std::optional<std::string> last_key;  // JSON list of the last key done
  std::int64_t source_rows = 0;   // source rows read and done
  std::int64_t target_rows = 0;   // target rows written
  std::int64_t overlap_rows = 0;  // performance: source rows the target already had
  std::optional<std::string> overlap_first, overlap_last;
  std::optional<std::int64_t> target_before;  // performance: target rows before the first slice
  std::string started_at, finished_at, updated_at;
  int runs = 0;
};

// A map's table or column name, used unquoted: letters, digits and '_'. Throws Error(kScript).
std::string checked(const std::string& name);
// "p.a, p.b" for names a, b and prefix "p.".
std::string join_names(const std::vector<std::string>& names, const std::string& prefix);

class MigrateSql {
 public:
  // backslash_escapes: the session takes a backslash in a literal as an escape (see
  // SqlForms::sql_mode_query).
  MigrateSql(const schema::SqlForms& forms, bool backslash_escapes);

  const schema::SqlForms& forms() const noexcept { return forms_; }

  // Every value as a quoted text literal: the engines convert it to the column's type (integer,
  // numeric, boolean '1'/'0', date, timestamp), so one form serves every column and engine.
  // Throws Error(kTypeMapping) for a value longer than the engine takes in one literal.
  std::string literal(const std::optional<std::string>& value) const;
  // A binary value (its bytes) as the engine's binary literal (SqlForms::binary_literal).
  std::string binary_literal(const std::optional<std::string>& value) const;

  // The next `limit` rows of the part after last_key (a JSON list of the key's values; nullopt:
  // from the first), in key order. columns gets the selected source columns as the map writes
  // them ("col" or "table.col"), the key's first.
  std::string slice_select(const Part& part, const std::optional<std::string>& last_key,
                           std::size_t limit, std::vector<std::string>& columns) const;
  // One INSERT of the rows into table's columns; binary[i] (when given): column i holds bytes.
  std::string insert_rows(const std::string& table, const std::vector<std::string>& columns,
                          const std::vector<const Values*>& rows,
                          const std::vector<bool>& binary = {}) const;

  // bru's progress table: create it, a part's first row, reading a part's row (the columns in
  // PartProgress's order), writing it back at `now`.
  std::string create_progress_table() const;
  std::string insert_progress(const std::string& part_id, const std::string& mapping,
                              const std::string& step, const std::string& now) const;
  std::string select_progress(const std::string& part_id) const;
  std::string update_progress(const PartProgress& progress, const std::string& now) const;
  // A template of SqlForms with {table} and {column} filled in ("" stays "").
  std::string fill(std::string_view form, const std::string& table,
                   const std::string& column = {}) const;

 private:
  const schema::SqlForms& forms_;
  bool backslash_escapes_;
};

}  // namespace bru::migrate

#include "bru/commands/restore_parts.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

// The target's table of the same name as the archive's (a schema-less name matches any schema).
const schema::Table* find_table(const schema::Catalog& existing, const schema::Table& wanted) {
  for (const auto& table : existing.tables) {
    if (table.name == wanted.name &&
        (table.schema.empty() || wanted.schema.empty() || table.schema == wanted.schema)) {
      return &table;
    }
  }
  return nullptr;
}

// The type a difference is judged by: the native type within one engine, else the portable one.
std::string type_of(const schema::Table& table, const schema::Column& column,
                    std::string_view target_dialect) {
  return table.dialect == target_dialect ? column.native_type : schema::to_string(column.type);
}

std::vector<std::string> column_names(const schema::Table& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(column.name);
  return names;
}

// How the target's table differs from the archive's, one phrase each; empty when it does not.
std::vector<std::string> shape_differences(const schema::Table& archived,
                                           const schema::Table& existing,
                                           std::string_view target_dialect) {
  const auto archived_names = column_names(archived);
  const auto existing_names = column_names(existing);
  if (archived_names != existing_names) {
    return {fmt::format("its columns are ({}) in the target, ({}) in the archive",
                        fmt::join(existing_names, ", "), fmt::join(archived_names, ", "))};
  }
  std::vector<std::string> differences;
  for (std::size_t column_idx = 0; column_idx < archived.columns.size(); ++column_idx) {
    const auto& want = archived.columns[column_idx];
    const auto& have = existing.columns[column_idx];
    const auto want_type = type_of(archived, want, target_dialect);
    const auto have_type = type_of(archived, have, target_dialect);
    if (want_type != have_type) {
      differences.push_back(fmt::format("column {} is {} in the target, {} in the archive",
                                        want.name, have_type, want_type));
    }
    // A key column holds no NULL in any engine (SQLite reports INTEGER PRIMARY KEY nullable).
    const bool key = std::find(archived.primary_key.begin(), archived.primary_key.end(),
                               want.name) != archived.primary_key.end();
    if (want.nullable && !have.nullable && !key) {
      differences.push_back(
          fmt::format("column {} is NOT NULL in the target, nullable in the archive", want.name));
    }
  }
  return differences;
}

}  // namespace

bool in_restore_part(const schema::SchemaObject& object, const cli::Options& options) {
  const bool data = object.section == "data" || object.kind == "materialized view data";
  if (options.schema_only) return !data;
  if (options.data_only) return data;
  return true;
}

void check_data_only_engine(const schema::Dialect& target, const cli::Options& options) {
  if (!options.data_only || !target.data_only_restore_sql().empty()) return;
  throw Error(ErrorKind::kUsage,
              fmt::format("-DATA-ONLY is not supported into {}: bru cannot keep the target's "
                          "triggers from firing while the rows load",
                          target.name()))
      .with_hint(fmt::format("nothing was changed: restore into {} without -DATA-ONLY (into a "
                             "database without the tables, or with -CLEAN)",
                             target.name()));
}

void check_data_only_target(Database& database,
                            const std::vector<const archive::TableEntry*>& tables) {
  const auto& dialect = *database.dialect;
  odbc::ConnectionRunner runner(database.connection);
  const auto existing = dialect.read_catalog(runner, schema::CatalogFilter{});
  std::vector<std::string> problems;
  for (const auto* entry : tables) {
    const auto name = schema::escape_for_terminal(entry->table.display_name());
    const auto* found = find_table(existing, entry->table);
    if (found == nullptr) {
      problems.push_back(fmt::format("table \"{}\" does not exist", name));
      continue;
    }
    for (const auto& difference : shape_differences(entry->table, *found, dialect.name())) {
      problems.push_back(
          fmt::format("table \"{}\": {}", name, schema::escape_for_terminal(difference)));
    }
    if (!runner.query(dialect.has_rows_sql(*found)).empty()) {
      problems.push_back(fmt::format("table \"{}\" already holds rows", name));
    }
  }
  if (problems.empty()) return;
  throw Error(ErrorKind::kConflict,
              fmt::format("-DATA-ONLY: {} cannot take the archive's rows: {}",
                          database.target.display, fmt::join(problems, "; ")))
      .with_hint("nothing was changed: -DATA-ONLY loads into empty tables of the archive's shape, "
                 "as bru -RESTORE -SCHEMA-ONLY creates them; empty or alter those tables first, "
                 "or restore in full into an empty database");
}

void plan_load_suspensions(const schema::Dialect& dialect,
                           const std::vector<archive::ObjectEntry>& objects,
                           std::vector<std::string>& before, std::vector<std::string>& after) {
  for (const auto& entry : objects) {
    auto suspend = dialect.suspend_for_load_sql(entry.object);
    if (suspend.empty()) continue;
    before.insert(before.end(), suspend.begin(), suspend.end());
    after.insert(after.end(), entry.object.statements.begin(), entry.object.statements.end());
  }
}

void begin_data_only(RestoreSession& session, const schema::Dialect& dialect) {
  for (const auto& sql : dialect.data_only_restore_sql()) {
    try {
      session.execute(sql);
    } catch (const Error& error) {
      Error refused = error;
      refused.with_hint(fmt::format(
          "nothing was changed: -DATA-ONLY keeps the target's triggers from firing with \"{}\", "
          "which the restoring user may not run here; restore as a superuser, or grant it (on "
          "PostgreSQL: GRANT SET ON PARAMETER session_replication_role TO <user>)",
          sql));
      throw refused;
    }
  }
}

}  // namespace bru::commands

// A readable text form of catalog tables, so tests compare a whole model at once and a failure
// shows the difference line by line. Header-only: the unit and the odbc tests both use it.
#pragma once

#include <string>
#include <vector>

#include "schema/catalog.h"

namespace bru::test {

inline std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// One line per column, key, index and foreign key:
//   column <name> <portable> [<native>] [not null] [default <sql>] [identity <kind>]
//   primary key [<name>] (<columns>) / unique [<name>] (<columns>)
//   index <name> [unique] [not portable] (<columns>)
//   foreign key [<name>] (<columns>) -> <ref> (<columns>) on delete <a> on update <b>
//   constraint <name> <definition>
inline std::string describe(const schema::Table& table) {
  std::string out =
      "table " + table.display_name() + (table.partitioned ? " partitioned" : "") + "\n";
  for (const auto& column : table.columns) {
    out += "  column " + column.name + " " + schema::to_string(column.type) + " [" +
           column.native_type + "]";
    if (!column.nullable) out += " not null";
    if (column.default_sql) out += " default " + *column.default_sql;
    if (column.identity) out += " identity " + column.identity_kind;
    out += "\n";
  }
  if (!table.primary_key.empty()) {
    out += "  primary key " + (table.primary_key_name.empty() ? "" : table.primary_key_name + " ") +
           "(" + join_names(table.primary_key) + ")\n";
  }
  for (const auto& unique : table.uniques) {
    out += "  unique " + (unique.name.empty() ? "" : unique.name + " ") + "(" +
           join_names(unique.columns) + ")\n";
  }
  for (const auto& index : table.indexes) {
    out += "  index " + index.name + (index.unique ? " unique" : "") +
           (index.portable ? "" : " not portable") + " (" + join_names(index.columns) + ")\n";
  }
  for (const auto& fk : table.foreign_keys) {
    out += "  foreign key " + (fk.name.empty() ? "" : fk.name + " ") + "(" +
           join_names(fk.columns) + ") -> " + (fk.ref_schema.empty() ? "" : fk.ref_schema + ".") +
           fk.ref_table + " (" + join_names(fk.ref_columns) + ") on delete " + fk.on_delete +
           " on update " + fk.on_update + "\n";
  }
  for (const auto& constraint : table.native_constraints) {
    out += "  constraint " + constraint.name + " " + constraint.definition_sql + "\n";
  }
  return out;
}

inline std::string describe(const std::vector<schema::Table>& tables) {
  std::string out;
  for (const auto& table : tables) out += describe(table);
  return out;
}

// The codes and the messages of catalog warnings, in order, compared apart so that a failure
// shows which one differs.
inline std::vector<std::string> warning_codes(const std::vector<schema::CatalogWarning>& warnings) {
  std::vector<std::string> codes;
  for (const auto& warning : warnings) codes.push_back(warning.code);
  return codes;
}

inline std::vector<std::string> warning_messages(
    const std::vector<schema::CatalogWarning>& warnings) {
  std::vector<std::string> messages;
  for (const auto& warning : warnings) messages.push_back(warning.message);
  return messages;
}

}  // namespace bru::test

#include "schema/engines/generated_ddl.h"

#include <algorithm>

#include <fmt/format.h>

#include "schema/engines/archive_sql.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

// The action as the engine writes it after ON DELETE / ON UPDATE; "" for NO ACTION.
std::string action_sql(const Dialect& dialect, const Table& table, const ForeignKey& fk,
                       std::string_view clause, const std::string& action,
                       const std::vector<std::string_view>& allowed) {
  if (action.empty() || action == "NO ACTION" || action == "RESTRICT") return {};
  if (std::find(allowed.begin(), allowed.end(), action) != allowed.end()) {
    return fmt::format(" {} {}", clause, action);
  }
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("{} has no {} {}: foreign key \"{}\" of table \"{}\" cannot be written",
                          dialect.name(), clause, action, fk.name, table.display_name()))
      .with_hint("restore this table into PostgreSQL, SQLite or MariaDB, or change the foreign "
                 "key in the source and back it up again");
}

}  // namespace

std::string generated_create_table(const Dialect& dialect, const GeneratedDdl& ddl,
                                   const Table& table) {
  std::vector<std::string> lines;
  for (const auto& column : table.columns) {
    std::string line = dialect.quote_identifier(column.name) + " " + dialect.native_type(column.type);
    const bool identity = column.identity && is_integer_kind(column.type.kind);
    if (identity) line += ddl.identity;
    if (auto value = portable_default_of(table, column, dialect.name()); value && !identity) {
      line += " DEFAULT " + ddl.default_sql(table, column, *value);
    }
    if (!column.nullable && !identity) line += " NOT NULL";
    lines.push_back(line);
  }
  if (!table.primary_key.empty()) {
    std::string line;
    if (!table.primary_key_name.empty()) {
      line = "CONSTRAINT " + dialect.quote_identifier(table.primary_key_name) + " ";
    }
    lines.push_back(line + "PRIMARY KEY (" + quoted_list(dialect, table.primary_key) + ")");
  }
  return fmt::format("CREATE TABLE {} (\n    {}\n)", dialect.qualified_name(table),
                     join(lines, ",\n    "));
}

std::vector<std::string> generated_post_data(const Dialect& dialect, const Table& table) {
  std::vector<std::string> statements;
  for (const auto& unique : table.uniques) {
    std::string constraint;
    if (!unique.name.empty()) constraint = "CONSTRAINT " + dialect.quote_identifier(unique.name) + " ";
    statements.push_back(fmt::format("ALTER TABLE {} ADD {}UNIQUE ({})",
                                     dialect.qualified_name(table), constraint,
                                     quoted_list(dialect, unique.columns)));
  }
  for (const auto& index : table.indexes) {
    statements.push_back(portable_index_sql(dialect, table, index));
  }
  return statements;
}

std::vector<std::string> generated_foreign_keys(const Dialect& dialect, const GeneratedDdl& ddl,
                                                const Table& table) {
  std::vector<std::string> statements;
  for (const auto& fk : table.foreign_keys) {
    check_referential_actions(table, fk);
    Table referenced;
    referenced.schema = fk.ref_schema;
    referenced.name = fk.ref_table;
    std::string constraint =
        fk.name.empty() ? std::string() : "CONSTRAINT " + dialect.quote_identifier(fk.name) + " ";
    statements.push_back(
        fmt::format("ALTER TABLE {} ADD {}FOREIGN KEY ({}) REFERENCES {} ({}){}{}",
                    dialect.qualified_name(table), constraint, quoted_list(dialect, fk.columns),
                    dialect.qualified_name(referenced), quoted_list(dialect, fk.ref_columns),
                    action_sql(dialect, table, fk, "ON DELETE", fk.on_delete, ddl.on_delete),
                    action_sql(dialect, table, fk, "ON UPDATE", fk.on_update, ddl.on_update)));
  }
  return statements;
}

}  // namespace bru::schema::dialects

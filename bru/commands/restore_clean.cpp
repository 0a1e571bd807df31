#include "bru/commands/restore_clean.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

// One thing -CLEAN drops, with its place in the archive's creation order.
struct Droppable {
  std::int64_t object_id = 0;
  schema::SchemaObject object;
};

std::vector<Droppable> droppables(const schema::Dialect& dialect,
                                  const std::vector<archive::ObjectEntry>& objects,
                                  const std::vector<const archive::TableEntry*>& tables) {
  std::vector<Droppable> found;
  for (const auto& entry : objects) {
    if (entry.object.section != "pre-data") continue;
    if (dialect.clean_object_sql(entry.object).empty()) continue;
    found.push_back({entry.object_id, entry.object});
  }
  for (const auto* entry : tables) {
    schema::SchemaObject table;
    table.kind = "table";
    table.name = dialect.qualified_name(entry->table);
    found.push_back({entry->object_id, std::move(table)});
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& left, const auto& right) {
    return left.object_id > right.object_id;
  });
  return found;
}

// What the archive recreates on its tables, in the two forms the dependents query compares
// (Dialect::clean_dependents_sql): entries as "kind name" (their archive names), and the parts
// of table definitions as "kind\x01table\x01part", the table as the restore names it.
struct ArchiveParts {
  std::vector<std::string> named;
  std::vector<std::string> plain;
};

ArchiveParts archive_parts(const schema::Dialect& dialect,
                           const std::vector<archive::ObjectEntry>& objects,
                           const std::vector<const archive::TableEntry*>& tables) {
  ArchiveParts parts;
  for (const auto& entry : objects) {
    const auto& kind = entry.object.kind;
    if (kind == "index" || kind == "trigger" || kind == "rule" || kind == "policy" ||
        kind == "sequence") {
      parts.named.push_back(kind + " " + entry.object.name);
    }
  }
  for (const auto* entry : tables) {
    const auto& table = entry->table;
    const std::string name = dialect.qualified_name(table);
    auto add = [&](const std::string& kind, const std::string& part) {
      parts.plain.push_back(kind + '\x01' + name + '\x01' + part);
    };
    add("table", "");
    std::vector<std::string> constraints;
    if (!table.primary_key_name.empty()) constraints.push_back(table.primary_key_name);
    for (const auto& unique : table.uniques) constraints.push_back(unique.name);
    for (const auto& key : table.foreign_keys) constraints.push_back(key.name);
    for (const auto& check : table.native_constraints) constraints.push_back(check.name);
    for (const auto& constraint : constraints) add("constraint", constraint);
    for (const auto& index : table.indexes) add("index", index.name);
    // Another engine's keys may have no names: the target names them itself.
    bool unnamed = !table.primary_key.empty() && table.primary_key_name.empty();
    for (const auto& unique : table.uniques) unnamed = unnamed || unique.name.empty();
    for (const auto& key : table.foreign_keys) unnamed = unnamed || key.name.empty();
    if (unnamed) add("unnamed keys", "");
    for (const auto& column : table.columns) {
      if (column.identity) add("owned sequence", column.name);
    }
  }
  return parts;
}

}  // namespace

void check_clean_dependents(Database& database, const std::vector<archive::ObjectEntry>& objects,
                            const std::vector<const archive::TableEntry*>& tables) {
  const auto& dialect = *database.dialect;
  const auto sql = dialect.clean_dependents_sql();
  if (sql.empty()) return;
  std::vector<std::string> relations;
  std::vector<std::string> types;
  std::vector<std::string> functions;
  std::vector<std::string> schemas;
  std::vector<std::string> collations;
  for (const auto& item : droppables(dialect, objects, tables)) {
    const auto& kind = item.object.kind;
    if (kind == "table" || kind == "view" || kind == "materialized view" || kind == "sequence") {
      relations.push_back(item.object.name);
    } else if (kind == "type" || kind == "domain") {
      types.push_back(item.object.name);
    } else if (kind == "function" || kind == "procedure" || kind == "aggregate") {
      functions.push_back(item.object.name);
    } else if (kind == "schema") {
      schemas.push_back(item.object.name);
    } else if (kind == "collation") {
      collations.push_back(item.object.name);
    }
  }
  const auto parts = archive_parts(dialect, objects, tables);
  odbc::ConnectionRunner runner(database.connection);
  const auto rows = runner.query(
      sql, {fmt::format("{}", fmt::join(relations, "\n")), fmt::format("{}", fmt::join(types, "\n")),
            fmt::format("{}", fmt::join(functions, "\n")),
            fmt::format("{}", fmt::join(schemas, "\n")),
            fmt::format("{}", fmt::join(collations, "\n")),
            fmt::format("{}", fmt::join(parts.plain, "\n")),
            fmt::format("{}", fmt::join(parts.named, "\n"))});
  if (rows.empty()) return;
  std::vector<std::string> dependents;
  for (const auto& row : rows) {
    dependents.push_back(schema::escape_for_terminal(
        fmt::format("{} (depends on {})", row[0].value_or("?"), row[1].value_or("?"))));
  }
  throw Error(ErrorKind::kConflict,
              fmt::format("-CLEAN would have to drop {} object(s) of {} that are not in the "
                          "archive: {}",
                          dependents.size(), database.target.display,
                          fmt::format("{}", fmt::join(dependents, ", "))))
      .with_hint("nothing was changed: -CLEAN drops only the archive's own objects, never with "
                 "CASCADE; drop or move those objects yourself first, or restore into an empty "
                 "database");
}

std::vector<std::string> clean_sql(const schema::Dialect& dialect,
                                   const std::vector<archive::ObjectEntry>& objects,
                                   const std::vector<const archive::TableEntry*>& tables) {
  return clean_sql(dialect, objects, tables, {});
}

std::vector<std::string> clean_sql(const schema::Dialect& dialect,
                                   const std::vector<archive::ObjectEntry>& objects,
                                   const std::vector<const archive::TableEntry*>& tables,
                                   const std::set<std::string>& left_alone) {
  std::vector<std::string> statements;
  for (const auto* entry : tables) {
    for (const auto& key : entry->table.foreign_keys) {
      auto sql = dialect.drop_foreign_key_sql(entry->table, key);
      if (!sql.empty()) statements.push_back(std::move(sql));
    }
  }
  for (const auto& item : droppables(dialect, objects, tables)) {
    if (left_alone.count(item.object.identity()) > 0) continue;
    statements.push_back(dialect.clean_object_sql(item.object));
  }
  return statements;
}

}  // namespace bru::commands

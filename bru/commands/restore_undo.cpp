#include "bru/commands/restore_undo.h"

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::commands {
namespace {

// What the catalog holds, tables first, each named as messages name it: "table \"t\"",
// "view \"v\"".
std::vector<std::string> contents(const schema::Catalog& catalog) {
  std::vector<std::string> names;
  for (const auto& table : catalog.tables) {
    names.push_back(fmt::format("table \"{}\"", table.display_name()));
  }
  for (const auto& object : catalog.objects) {
    if (object.kind == "table" || object.kind == "sequence value") continue;  // a place; a position
    names.push_back(fmt::format("{} \"{}\"", object.kind, object.name));
  }
  return names;
}

}  // namespace

void require_empty_target(Database& database, bool clean) {
  const auto& dialect = *database.dialect;
  if (clean) {
    throw Error(ErrorKind::kUsage,
                fmt::format("-CLEAN is not supported for {}: its DDL is not transactional, so "
                            "dropped tables could not be brought back if the restore failed",
                            dialect.name()))
        .with_hint(fmt::format("drop and create the database yourself (DROP DATABASE, CREATE "
                               "DATABASE) and restore into it empty, without -CLEAN"));
  }
  odbc::ConnectionRunner runner(database.connection);
  const auto existing = contents(dialect.read_catalog(runner, schema::CatalogFilter{}));
  if (!existing.empty()) {
    throw Error(ErrorKind::kConflict,
                fmt::format("{} is not empty: it holds {}{}", database.target.display,
                            existing.front(),
                            existing.size() > 1
                                ? fmt::format(" and {} more", existing.size() - 1)
                                : std::string()))
        .with_hint(fmt::format("{} cannot undo DDL, so bru restores only into a database without "
                               "tables, views, routines, triggers or events: create a new "
                               "database and restore into it",
                               dialect.name()));
  }
}

std::vector<std::string> restored_drops_sql(const schema::Dialect& dialect,
                                            const std::vector<const archive::TableEntry*>& tables,
                                            const std::vector<schema::SchemaObject>& objects) {
  std::vector<std::string> drops;
  auto drop_objects = [&](bool views) {
    for (auto it = objects.rbegin(); it != objects.rend(); ++it) {
      if ((it->kind == "view") != views) continue;
      auto sql = dialect.clean_object_sql(*it);
      if (!sql.empty()) drops.push_back(std::move(sql));
    }
  };
  drop_objects(/*views=*/true);
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    drops.push_back(dialect.drop_table_sql((*it)->table));
  }
  drop_objects(/*views=*/false);
  return drops;
}

void drop_restored_tables(Database& database,
                          const std::vector<const archive::TableEntry*>& tables,
                          const std::vector<schema::SchemaObject>& objects) {
  const auto& dialect = *database.dialect;
  for (const auto& sql : restored_drops_sql(dialect, tables, objects)) {
    database.connection.execute(sql);
  }
  odbc::ConnectionRunner runner(database.connection);
  const auto left = contents(dialect.read_catalog(runner, schema::CatalogFilter{}));
  if (!left.empty()) {
    throw Error(ErrorKind::kDatabase,
                fmt::format("the failed restore could not remove {} from {}", left.front(),
                            database.target.display))
        .with_hint("drop the database and create it again before the next restore");
  }
}

}  // namespace bru::commands

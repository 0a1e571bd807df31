#include "bru/commands/restore_undo.h"

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::commands {

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
  const auto existing = dialect.read_catalog(runner, schema::CatalogFilter{});
  if (!existing.tables.empty()) {
    throw Error(ErrorKind::kConflict,
                fmt::format("{} is not empty: it holds table \"{}\"{}", database.target.display,
                            existing.tables.front().display_name(),
                            existing.tables.size() > 1
                                ? fmt::format(" and {} more", existing.tables.size() - 1)
                                : std::string()))
        .with_hint(fmt::format("{} cannot undo DDL, so bru restores only into a database without "
                               "tables: create a new database and restore into it",
                               dialect.name()));
  }
}

void drop_restored_tables(Database& database,
                          const std::vector<const archive::TableEntry*>& tables) {
  const auto& dialect = *database.dialect;
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    database.connection.execute(dialect.drop_table_sql((*it)->table));
  }
  odbc::ConnectionRunner runner(database.connection);
  const auto left = dialect.read_catalog(runner, schema::CatalogFilter{});
  if (!left.tables.empty()) {
    throw Error(ErrorKind::kDatabase,
                fmt::format("the failed restore could not remove table \"{}\" from {}",
                            left.tables.front().display_name(), database.target.display))
        .with_hint("drop the database and create it again before the next restore");
  }
}

}  // namespace bru::commands

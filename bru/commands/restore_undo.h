// A restore into an engine whose DDL is not transactional (MariaDB: every CREATE TABLE, VIEW,
// PROCEDURE, ... commits at once) cannot roll back. bru therefore restores there only into a
// database that holds nothing at all (no table, view, routine, trigger or event), and when the
// restore fails (a statement, the verification, SIGINT/SIGTERM) it drops every table and object
// it created and reads the catalog again to prove the database is empty as it was. A kill -9 of
// bru is answered by its guardian process, which runs the same undo (restore_guardian.h).
#pragma once

#include <string>
#include <vector>

#include "bru/commands/database.h"
#include "formats/archive.h"
#include "schema/catalog.h"

namespace bru::commands {

// Throws kConflict naming a table (or, without tables, an object) of the target when it holds
// any, kUsage for -CLEAN (dropping tables first could not be undone).
void require_empty_target(Database& database, bool clean);

// Drops the archive's views, the tables (their triggers go with them), then its procedures,
// functions and events (`objects`: the archive's schema objects this restore runs, empty when it
// runs none), then checks the catalog is empty. Throws kDatabase when a table or object is left,
// naming it: the caller's error then stands with this one's hint. Runs even after SIGINT (it does
// not look at the interrupt flag).
// The drops drop_restored_tables runs, in its order.
std::vector<std::string> restored_drops_sql(const schema::Dialect& dialect,
                                            const std::vector<const archive::TableEntry*>& tables,
                                            const std::vector<schema::SchemaObject>& objects);

void drop_restored_tables(Database& database,
                          const std::vector<const archive::TableEntry*>& tables,
                          const std::vector<schema::SchemaObject>& objects);

}  // namespace bru::commands

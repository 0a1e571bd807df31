// Before any change, in a restore into another engine than the archive's: the names the archive
// keeps apart that the target would not (schema/name_rules.h), settled on the restore's own
// copies of the tables (restore_scope.h).
//   - Two tables that would have one name there (SQLite and MariaDB have no schemas, SQLite folds
//     case), or two columns of a table (SQLite and MariaDB fold the case of column names): refused,
//     Error(kTypeMapping) naming both, nothing changed.
//   - An index or unique constraint whose name is taken in the target's scope for index names (a
//     MariaDB database may give each of its tables an index idx_created; PostgreSQL and SQLite
//     would refuse the second): restored as "<table>_<name>" ("_2", "_3", ... if that is taken
//     too), each named in an "index-renamed" warning. So is a foreign key whose name another
//     table's already has, where the target wants them unique per database (MariaDB):
//     "constraint-renamed".
// A same-engine restore keeps every name: nothing to do.
#pragma once

#include "bru/commands/restore_scope.h"
#include "bru/log.h"
#include "schema/dialect.h"

namespace bru::commands {

void settle_target_names(RestoreScope& scope, const schema::Dialect& target, log::Log& log);

// Once connected, before any change, in every restore (same engine too): two tables that would
// have one name on this server because of its settings (a MariaDB server with
// lower_case_table_names 1 or 2 compares table names without case), refused as above. A single
// `Film` is restored; where the server names it `film` (lower_case_table_names 1), a
// "table-name-folded" warning says so.
void check_server_names(const RestoreScope& scope, const schema::Dialect& target,
                        schema::SqlRunner& server, log::Log& log);

}  // namespace bru::commands

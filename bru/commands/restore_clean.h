// -RESTORE -CLEAN where the dialect can tell dependents (PostgreSQL): the archive's own objects
// (a same-engine archive with schema objects, format 4 and later; none otherwise) and its selected
// tables are dropped, exactly those, in reverse creation order and never with CASCADE, inside the
// restore's transaction. Before any change, an object of the target outside the archive that
// depends on one of them makes the restore refuse, naming each: a view or foreign key of the
// DBA's own, and also an index, trigger, rule, policy, constraint, owned sequence or partition
// of an archive table that the archive does not recreate (DROP TABLE would take it silently).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "bru/commands/database.h"
#include "formats/archive.h"

namespace bru::commands {

// objects: the archive's entries the restore takes (restore_scope.h).
// Throws Error(kConflict) naming every object of the target outside the archive that depends
// on the archive's objects or on the selected tables (what -CLEAN would otherwise have to drop
// along with them). Changes nothing. Does nothing where the dialect has no such query.
void check_clean_dependents(Database& database, const std::vector<archive::ObjectEntry>& objects,
                            const std::vector<const archive::TableEntry*>& tables);

// The drops, in the order to run them: the selected tables' foreign keys, then the archive's
// objects and the selected tables, newest first.
std::vector<std::string> clean_sql(const schema::Dialect& dialect,
                                   const std::vector<archive::ObjectEntry>& objects,
                                   const std::vector<const archive::TableEntry*>& tables);
// The same, leaving out the objects and tables whose identity() is in left_alone (a table's as
// "table <qualified name>"): what undoes a restore, for those that existed before it.
std::vector<std::string> clean_sql(const schema::Dialect& dialect,
                                   const std::vector<archive::ObjectEntry>& objects,
                                   const std::vector<const archive::TableEntry*>& tables,
                                   const std::set<std::string>& left_alone);

}  // namespace bru::commands

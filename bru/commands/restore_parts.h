// -RESTORE -SCHEMA-ONLY and -DATA-ONLY: a restore in two parts, as pg_restore's --schema-only and
// --data-only. -SCHEMA-ONLY creates every object the archive holds and loads no rows: sequences
// stay at their start, materialized views unpopulated. -DATA-ONLY loads the rows into tables the
// target already has, with the same columns and types, each empty; triggers do not fire while
// the rows load (the dialect's data_only_restore_sql); then sequences are set to the archive's
// positions and materialized views refreshed; the tables are verified as in a full restore.
// Together, the two give what one full restore gives.
#pragma once

#include <vector>

#include "bru/commands/database.h"
#include "bru/commands/restore_session.h"
#include "bru/options.h"
#include "formats/archive.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::commands {

// Whether an entry of the archive's table of contents is part of the restore asked for: what is
// data (sequence positions, the contents of materialized views) belongs to -DATA-ONLY only,
// everything else to -SCHEMA-ONLY only; a full restore takes both.
bool in_restore_part(const schema::SchemaObject& object, const cli::Options& options);

// -DATA-ONLY into an engine that cannot keep its triggers from firing during the load: throws
// Error(kUsage) naming the engine. Connects to nothing; does nothing without -DATA-ONLY.
void check_data_only_engine(const schema::Dialect& target, const cli::Options& options);

// -DATA-ONLY: every selected table must exist in the target with the archive's columns, in
// order, of the same types and nullability, and hold no rows. Throws Error(kConflict) naming
// each table and each difference, before any change.
void check_data_only_target(Database& database,
                            const std::vector<const archive::TableEntry*>& tables);

// -DATA-ONLY: what the archive's entries switch on that would refuse or filter the load
// (PostgreSQL: row-level security), switched off before the load (into `before`) and on again
// after it (into `after`).
void plan_load_suspensions(const schema::Dialect& dialect,
                           const std::vector<archive::ObjectEntry>& objects,
                           std::vector<std::string>& before, std::vector<std::string>& after);

// -DATA-ONLY: runs the dialect's data_only_restore_sql at the start of the restore's
// transaction. Throws Error(kDatabase) with a hint when the server does not allow it.
void begin_data_only(RestoreSession& session, const schema::Dialect& dialect);

}  // namespace bru::commands

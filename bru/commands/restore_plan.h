// The parts of -RESTORE that do not touch the target, shared with -RESTORE -SQL
// (restore_sql.h), which writes the same restore as a script: the settled scope, the DDL plan and
// the refusal of objects another engine cannot hold. Defined in restore.cpp.
#pragma once

#include <string>
#include <vector>

#include "bru/commands/restore_scope.h"
#include "bru/log.h"
#include "bru/options.h"
#include "formats/archive.h"
#include "schema/dialect.h"

namespace bru::commands {

// Every DDL statement of the restore, generated before anything runs: a table, index or default
// the target cannot take is refused (kTypeMapping) before any data is loaded, and so is SQL text
// from the archive that is not what its entry says (kArchiveCorrupt,
// schema/engines/archive_sql.h). Each string is one statement and is sent to the server in a call
// of its own. A one-session restore runs them in the order of the fields.
struct RestorePlan {
  std::vector<std::string> pre_data;  // drops (-CLEAN), schema objects, schemas, tables
  std::vector<std::string> data;      // after the rows: sequence positions
  // Per table (scope order): its primary key, unique constraints and indexes; then its foreign
  // keys, which need the other tables' keys.
  std::vector<std::vector<std::string>> table_keys;
  std::vector<std::vector<std::string>> foreign_keys;
  std::vector<std::string> post_data;  // identities, triggers, rules, policies, comments, owners,
                                       // grants
};

// The plan for the scope into `dialect`, as -SCHEMA-ONLY / -DATA-ONLY / -CLEAN / -NO-OWNER /
// -NO-PRIVILEGES say. Throws kTypeMapping and kArchiveCorrupt as above.
RestorePlan plan_ddl(const schema::Dialect& dialect, const archive::ArchiveReader& reader,
                     const RestoreScope& scope, const cli::Options& options);

// Refuses, before any change, a restore into another engine that would leave objects out, unless
// -SKIP-UNPORTABLE; then names each object left out (warning "object-skipped"). -STRICT refuses
// grants too.
void check_portable(const archive::ArchiveReader& reader, const RestoreScope& scope,
                    const schema::Dialect& target, const cli::Options& options, log::Log& log);

// What the restore takes from the archive, settled for `target` before anything runs: the scope
// of -TABLES/-EXCLUDE (restore_scope.h), -REMAP-SCHEMA, -ZERO-DATES null's defaults
// (restore_zero_dates.h), the names the target would make one (restore_names.h), and
// check_portable() with the indexes it names left out. Throws as those do.
RestoreScope settled_scope(const archive::ArchiveReader& reader, const schema::Dialect& target,
                           const cli::Options& options, log::Log& log);

}  // namespace bru::commands

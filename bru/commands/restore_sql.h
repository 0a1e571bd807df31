// -RESTORE -FILE x.DB -SQL out.sql -DIALECT <engine>: the whole restore written as one script for
// the target engine instead of run against a database (pg_restore's -f), connecting to nothing.
//
// The script holds what -RESTORE would run, in its order (restore_plan.h): the session set-up,
// the transaction where the engine's DDL is transactional, the pre-data DDL (schemas, tables,
// same-engine objects) in dependency order, the rows as batched INSERTs of literals
// (Dialect::literal_sql: as many rows per statement as -RESTORE binds, at most 1,000 and the
// dialect's max_parameters() values, and at most kMaxStatementBytes of text; identity columns
// inserted explicitly, with SET IDENTITY_INSERT on SQL Server), then the data and post-data DDL
// (unique constraints, indexes, foreign keys, identity and sequence positions). -TABLES,
// -EXCLUDE, -SCHEMA-ONLY, -DATA-ONLY, -CLEAN, -REMAP-SCHEMA, -SKIP-UNPORTABLE and -STRICT mean
// what they mean for -RESTORE.
//
// The archive is read chunk by chunk (memory bounded by one chunk and one statement), and every
// chunk checksum, row total and table content checksum is checked as a restore checks them: a
// damaged archive is Error(kArchiveCorrupt), exit 5. The script is written to "<out>.partial",
// flock()ed, synced and renamed to <out> only when complete; an existing <out> is refused
// (kConflict) without -FORCE; any failure or SIGINT deletes the partial file, so no script is left.
#pragma once

#include "bru/log.h"
#include "bru/options.h"

namespace bru::commands {

// Text of one INSERT, beyond which the rows go to the next statement.
inline constexpr std::size_t kMaxStatementBytes = std::size_t{1} << 20;

// Declared in commands.h: int restore_sql(const cli::Options& options, log::Log& log);

}  // namespace bru::commands

// -RESTORE -REMAP-SCHEMA old:new (Oracle Data Pump's REMAP_SCHEMA): what the archive holds in
// schema old is restored into schema new. Applied to the restore's own copies of the entries
// (restore_scope.h), before anything is planned: each table's schema, keys and native DDL, and
// every schema object's name, depends and statements, rewritten by the archive's engine
// (Dialect::remap_schema_sql). Names inside function bodies are remapped where the body is SQL
// the lexer reads; anything else in a body (dynamic SQL built from pieces) keeps its text.
#pragma once

#include "bru/commands/restore_scope.h"
#include "bru/options.h"
#include "formats/archive.h"
#include "schema/dialect.h"

namespace bru::commands {

// Does nothing without -REMAP-SCHEMA. Throws Error(kNotFound) for a schema the archive does not
// hold. A new schema the archive has no entry for gets one (target's CREATE SCHEMA) first.
void remap_schemas(RestoreScope& scope, const archive::ArchiveReader& reader,
                   const schema::Dialect& target, const cli::Options& options);

}  // namespace bru::commands

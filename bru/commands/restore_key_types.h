// Before any change, in a restore into another engine than the archive's: the integer columns of
// a foreign key and the key it references made one type where the target wants them equal
// (Dialect::foreign_key_types_must_match: InnoDB refuses a foreign key from INT to BIGINT, error
// 1825). SQLite's INTEGER PRIMARY KEY is 64-bit while a plain INT column beside it is 32-bit, so
// SQLite -> MariaDB met this on the simplest schema.
//   - Both columns become the wider of the two integer types (int16 < int32 < int64), which holds
//     every value of either; each widened column is named in a "foreign-key-type-widened" warning.
//   - Widening a referenced key can unbalance another foreign key that references it, or that it
//     is part of: settled until nothing changes.
//   - Any other pair of different types (a decimal and an integer, two decimals of different
//     scale) is left to the target, which names it.
// A same-engine restore keeps every type: nothing to do.
#pragma once

#include "bru/commands/restore_scope.h"
#include "bru/log.h"
#include "schema/dialect.h"

namespace bru::commands {

void match_foreign_key_types(RestoreScope& scope, const schema::Dialect& target, log::Log& log);

}  // namespace bru::commands

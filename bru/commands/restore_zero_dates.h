// -RESTORE -ZERO-DATES null, into an engine other than MariaDB (MariaDB keeps its zero dates as
// they are): a column default that is a zero date is left out of the restore's own copies of the
// tables, and a NOT NULL column with such a default is made nullable (pgloader's rule), each
// named in a warning; the values themselves are made NULL on their way in
// (bru/data/zero_dates.h). Without the option both are refused, exit 11, before any change.
#pragma once

#include <optional>

#include "bru/commands/restore_scope.h"
#include "bru/data/zero_dates.h"
#include "bru/log.h"
#include "bru/options.h"
#include "schema/dialect.h"

namespace bru::commands {

// Does nothing without -ZERO-DATES null or into MariaDB.
void leave_out_zero_date_defaults(RestoreScope& scope, const schema::Dialect& target,
                                  const cli::Options& options, log::Log& log);

// The conversion for one table's rows: nullopt when the option is not given, the target is
// MariaDB, or the table has no date or timestamp column.
std::optional<data::ZeroDatesToNull> zero_dates_to_null(const archive::TableEntry& entry,
                                                        const schema::Dialect& target,
                                                        const cli::Options& options);

// The "zero-dates-null" warning naming each column of the table whose zero dates became NULL,
// with its count; nothing when none did.
void report_zero_dates(const data::ZeroDatesToNull& zero_dates, const std::string& table_name,
                       log::Log& log);

}  // namespace bru::commands

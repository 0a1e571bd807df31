// -RESTORE -ZERO-DATES null, into an engine other than MariaDB (MariaDB keeps its zero dates as
// they are): a column default that is a zero date is left out of the restore's own copies of the
// tables, and a NOT NULL column with such a default is made nullable (pgloader's rule), each
// named in a warning; the values themselves are made NULL on their way in
// (bru/data/zero_dates.h). Without the option both are refused, exit 11, before any change.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

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

// The other change a value may meet on its way in: the "empty-string-null" warning naming the
// column of the table whose empty values the target (Oracle) stored as NULL, with the count,
// for each column of empty_as_null (column index -> count).
void report_empty_strings(const std::map<std::size_t, std::int64_t>& empty_as_null,
                          const schema::Table& table, std::string_view target, log::Log& log);

}  // namespace bru::commands

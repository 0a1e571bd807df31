#include "bru/commands/restore_zero_dates.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "schema/engines/common.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

bool converts(const schema::Dialect& target, const cli::Options& options) {
  return options.zero_dates_null && target.name() != "mariadb";
}

}  // namespace

void leave_out_zero_date_defaults(RestoreScope& scope, const schema::Dialect& target,
                                  const cli::Options& options, log::Log& log) {
  if (!converts(target, options)) return;
  for (auto& entry : scope.selected) {
    for (auto& column : entry.table.columns) {
      if (!column.default_sql || !schema::is_dated(column.type.kind)) continue;
      const auto value = schema::dialects::parse_default(*column.default_sql);
      if (!value || value->kind != schema::dialects::PortableDefault::Kind::kString ||
          !schema::is_zero_date(value->text)) {
        continue;
      }
      // As pgloader's default cast rule does: a NOT NULL column whose default is a zero date
      // is bound to hold some, which can only become NULL if the column lets them.
      log.warning("zero-date-default",
                  fmt::format("table \"{}\", column \"{}\": the default {} is a zero date; it is "
                              "left out{} (-ZERO-DATES null)",
                              schema::escape_for_terminal(entry.table.display_name()),
                              schema::escape_for_terminal(column.name),
                              schema::escape_for_terminal(*column.default_sql),
                              column.nullable ? "" : " and the column is made nullable"));
      column.default_sql.reset();
      column.nullable = true;
    }
  }
}

std::optional<data::ZeroDatesToNull> zero_dates_to_null(const archive::TableEntry& entry,
                                                        const schema::Dialect& target,
                                                        const cli::Options& options) {
  if (!converts(target, options)) return std::nullopt;
  const auto& columns = entry.table.columns;
  if (std::none_of(columns.begin(), columns.end(),
                   [](const auto& column) { return schema::is_dated(column.type.kind); })) {
    return std::nullopt;
  }
  return std::make_optional<data::ZeroDatesToNull>(entry.table, entry.checksum);
}

void report_zero_dates(const data::ZeroDatesToNull& zero_dates, const std::string& table_name,
                       log::Log& log) {
  const auto columns = zero_dates.replaced_columns();
  if (columns.empty()) return;
  log.warning("zero-dates-null",
              fmt::format("table \"{}\": zero dates restored as NULL (-ZERO-DATES null) in {}",
                          schema::escape_for_terminal(table_name), fmt::join(columns, ", ")));
}

void report_empty_strings(const std::map<std::size_t, std::int64_t>& empty_as_null,
                          const schema::Table& table, std::string_view target, log::Log& log) {
  for (const auto& [column_idx, count] : empty_as_null) {
    log.warning("empty-string-null",
                fmt::format("column \"{}\" of table \"{}\": {} empty value{} become{} NULL in {} "
                            "(it takes '' as NULL)",
                            schema::escape_for_terminal(table.columns[column_idx].name),
                            schema::escape_for_terminal(table.display_name()), count,
                            count == 1 ? "" : "s", count == 1 ? "s" : "", target));
  }
}

}  // namespace bru::commands

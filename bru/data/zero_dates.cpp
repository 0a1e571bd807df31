#include "bru/data/zero_dates.h"

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::data {

ZeroDatesToNull::ZeroDatesToNull(const schema::Table& table, std::uint64_t archive_checksum)
    : table_(table), expected_checksum_(archive_checksum) {
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    if (schema::is_dated(table.columns[column_idx].type.kind)) dated_columns_.push_back(column_idx);
  }
  replaced_.assign(dated_columns_.size(), 0);
}

const archive::Batch& ZeroDatesToNull::apply(const archive::Batch& batch,
                                              std::int64_t first_row_number) {
  std::vector<std::uint8_t> row_changed;
  for (std::size_t dated_idx = 0; dated_idx < dated_columns_.size(); ++dated_idx) {
    const auto column_idx = dated_columns_[dated_idx];
    const auto& column = batch.column(column_idx);
    std::size_t row = 0;
    for (; row < column.size(); ++row) {
      if (!column.is_null(row) && schema::is_zero_date(column.bytes_at(row))) break;
    }
    if (row == column.size()) continue;  // the common case: nothing to copy
    const auto& column_def = table_.columns[column_idx];
    if (row_changed.empty()) {
      changed_ = batch;
      row_changed.assign(batch.row_count(), 0);
    }
    archive::ColumnVector nulled(schema::Storage::kBytes);
    nulled.reserve(column.size(), column.value_bytes());
    for (row = 0; row < column.size(); ++row) {
      if (column.is_null(row)) {
        nulled.append_null();
        continue;
      }
      if (!schema::is_zero_date(column.bytes_at(row))) {
        nulled.append_bytes(column.bytes_at(row));
        continue;
      }
      if (!column_def.nullable) {
        throw Error(ErrorKind::kTypeMapping,
                    fmt::format("table \"{}\", column \"{}\", row {}: the zero date \"{}\" "
                                "cannot become NULL (-ZERO-DATES null): the column is NOT NULL",
                                table_.display_name(), column_def.name,
                                first_row_number + static_cast<std::int64_t>(row),
                                column.bytes_at(row)))
            .with_hint("set a real date in the source (or make the column nullable there) and "
                       "back up again, or restore into mariadb; nothing was restored");
      }
      nulled.append_null();
      row_changed[row] = 1;
      ++replaced_[dated_idx];
    }
    changed_.column(column_idx) = std::move(nulled);
  }
  if (row_changed.empty()) return batch;
  for (std::size_t row = 0; row < row_changed.size(); ++row) {
    if (row_changed[row]) {
      expected_checksum_ += archive::row_hash(changed_, row) - archive::row_hash(batch, row);
    }
  }
  return changed_;
}

std::vector<std::string> ZeroDatesToNull::replaced_columns() const {
  std::vector<std::string> columns;
  for (std::size_t dated_idx = 0; dated_idx < dated_columns_.size(); ++dated_idx) {
    if (replaced_[dated_idx] == 0) continue;
    columns.push_back(fmt::format("{} ({})", table_.columns[dated_columns_[dated_idx]].name,
                                  replaced_[dated_idx]));
  }
  return columns;
}

}  // namespace bru::data

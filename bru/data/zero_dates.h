// -RESTORE -ZERO-DATES null: MariaDB's zero dates ("0000-00-00", "2024-05-00 10:00:00") become
// NULL on their way into an engine that has none. Without the option such a value is refused
// (value_check.h: exit 11 naming table, column and row). The archive's checksum covers the values
// as they were, so the verification expects the table with each replaced row's hash swapped:
// expected_checksum() is what the restored table must read back as.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/batch.h"
#include "schema/catalog.h"

namespace bru::data {

class ZeroDatesToNull {
 public:
  // For a table whose archive checksum is `archive_checksum`.
  ZeroDatesToNull(const schema::Table& table, std::uint64_t archive_checksum);

  // The batch with every zero date of the table's dated columns made NULL: `batch` itself when it
  // holds none. Throws Error(kTypeMapping) naming table, column and row for a zero date in a NOT
  // NULL column (first_row_number: the 1-based number of the batch's first row in the table).
  const archive::Batch& apply(const archive::Batch& batch, std::int64_t first_row_number);

  std::uint64_t expected_checksum() const noexcept { return expected_checksum_; }
  // Per column that had any: "name (n)", for the report.
  std::vector<std::string> replaced_columns() const;

 private:
  const schema::Table& table_;
  std::vector<std::size_t> dated_columns_;
  std::vector<std::int64_t> replaced_;  // per dated column
  std::uint64_t expected_checksum_;
  archive::Batch changed_;
};

}  // namespace bru::data

// A table loader takes a restored table's batches and puts them into the target, by the
// engine's fastest path: TableWriter (bru/data/table_writer.h), multi-row INSERTs through ODBC,
// is the universal one and the fallback; pg::CopyLoader (bru/pg/copy_loader.h) is PostgreSQL's
// COPY through libpq. -BULK odbc forces the ODBC path.
#pragma once

#include <cstdint>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "formats/batch.h"

namespace bru::data {

struct LoadReport {
  std::int64_t rows = 0;  // rows the target took
  std::string path;       // "odbc insert", "copy"
  // Per column index, the empty values a target that takes '' as NULL (Oracle) stored as NULL.
  std::map<std::size_t, std::int64_t> empty_as_null;
  // With them, the wrapping difference between the table's checksum as stored and as archived
  // (bru/data/empty_strings.h): what the read-back must find added to the archive's checksum.
  std::uint64_t checksum_change = 0;
};

class TableLoader {
 public:
  virtual ~TableLoader() = default;
  // Loads every row of the batch (columns in catalog order). Throws bru::Error: kDatabase naming
  // the table, kTypeMapping for a value the target cannot hold, kInterrupted on SIGINT.
  // A batch holding a long value (ColumnVector::is_long) holds that one row; its pieces follow
  // through write_piece() before the next write() or finish().
  virtual void write(const archive::Batch& batch) = 0;
  // The next piece of the long values of the row last written, in column order (formats/batch.h
  // LongRowHasher). Throws as write(); kInternal for a piece that does not belong there.
  virtual void write_piece(std::size_t column_idx, std::string_view piece) = 0;
  // Ends the load of the table (sends what is buffered, closes a COPY) and reports. Errors as
  // write(): a bulk path may only find a bad value here.
  virtual LoadReport finish() = 0;
  virtual std::int64_t rows_written() const noexcept = 0;
};

}  // namespace bru::data

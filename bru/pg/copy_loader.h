// The PostgreSQL loader: COPY <table> (<columns>) FROM STDIN on a libpq session, rows in COPY's
// text format. Text, not FORMAT binary: the archive holds every non-numeric value in its
// canonical text (schema/types.h), which is exactly each type's input form, while the binary
// format would need a sender per native type (numeric, date, timestamp, interval, arrays,
// enums, user types) and fails on any the code does not know; pg_restore loads the same way.
// Values are sent straight from the batch's memory through a 1 MiB buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bru/data/table_loader.h"
#include "bru/pg/session.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::pg {

// The COPY ... FROM STDIN statement of a table, columns in catalog order.
std::string copy_in_sql(const schema::Dialect& dialect, const schema::Table& table);

class CopyLoader final : public data::TableLoader {
 public:
  // Starts the COPY; the session must be inside the restore's transaction.
  CopyLoader(Session& session, const schema::Dialect& dialect, const schema::Table& table);
  ~CopyLoader() override;

  void write(const archive::Batch& batch) override;
  // Sends a long value in pieces of the COPY stream (PQputCopyData takes any split of it).
  void write_piece(std::size_t column_idx, std::string_view piece) override;
  data::LoadReport finish() override;
  std::int64_t rows_written() const noexcept override { return rows_written_; }

 private:
  void flush();
  void append_value(const archive::Batch& batch, std::size_t column_idx, std::size_t row);
  // Appends the columns of the long row from long_column_ on, up to the next long value (whose
  // pieces follow) or the end of the row.
  void continue_long_row();
  [[noreturn]] void fail_copy();
  [[noreturn]] void raise(const pg_result* result);

  Session& session_;
  const schema::Table& table_;
  std::string buffer_;
  std::int64_t rows_written_ = 0;
  bool open_ = false;
  // The row whose long values are being sent: a copy (its long values hold no bytes), the column
  // the pieces are for and the bytes still to come.
  std::optional<archive::Batch> long_row_;
  std::size_t long_column_ = 0;
  std::uint64_t long_remaining_ = 0;
};

}  // namespace bru::pg

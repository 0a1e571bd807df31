// The PostgreSQL loader: COPY <table> (<columns>) FROM STDIN on a libpq session. When every
// column of the target table has a type of copy_binary.h, rows go in COPY's binary format (much
// less work for the server than text: see there); otherwise, and from the first value the binary
// form does not take exactly, in the text format, whose input is each type's own (the archive's
// canonical text is exactly that; pg_restore loads the same way). Values are sent straight from
// the batch's memory through a 1 MiB buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/data/long_row_stream.h"
#include "bru/data/table_loader.h"
#include "bru/pg/copy_binary.h"
#include "bru/pg/session.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::pg {

enum class CopyFormat : std::uint8_t { kText, kBinary };

// The COPY ... FROM STDIN statement of a table, columns in catalog order.
std::string copy_in_sql(const schema::Dialect& dialect, const schema::Table& table,
                        CopyFormat format = CopyFormat::kText);

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
  // The format the rows go in now (text once the binary form did not take a value).
  CopyFormat format() const noexcept { return format_; }

 private:
  // Each column's binary field, or none when a column's type has none (the table goes in text).
  std::vector<binary::Field> binary_fields() const;
  void start(CopyFormat format);
  void end_copy();
  // Ends the binary COPY (the rows so far stay) and starts a text one for the rest of the table,
  // first_row_number (1-based) its first row.
  void switch_to_text(std::int64_t first_row_number);
  void flush();
  void append_value(const archive::Batch& batch, std::size_t column_idx, std::size_t row);
  void append_text_row(const archive::Batch& batch, std::size_t row);
  // Append the binary form, or nothing and return false.
  bool append_binary_value(const archive::Batch& batch, std::size_t column_idx, std::size_t row);
  bool append_binary_row(const archive::Batch& batch, std::size_t row);
  // Starts the long row of long_row_ (in text when a value of it has no binary form).
  void start_long_row();
  // Appends the columns of the long row from long_row_.column() on, up to the next long value (whose
  // pieces follow) or the end of the row.
  void continue_long_row();
  [[noreturn]] void fail_copy();
  [[noreturn]] void raise(const pg_result* result);

  Session& session_;
  const schema::Dialect& dialect_;
  const schema::Table& table_;
  std::vector<binary::Field> fields_;
  CopyFormat format_ = CopyFormat::kText;
  std::int64_t text_from_row_ = 0;  // the first row sent in text after binary ones (1-based)
  std::string buffer_;
  std::int64_t rows_written_ = 0;
  bool open_ = false;
  // The row whose long values are being sent.
  data::LongRowStream long_row_;
};

}  // namespace bru::pg

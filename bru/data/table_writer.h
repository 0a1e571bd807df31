// The ODBC loader (bru/data/table_loader.h), the portable one: inserts batches into one table
// through ODBC: one prepared multi-row INSERT ... VALUES
// (?,..),(?,..) per full group of rows, parameters bound straight onto the batch's memory (no
// copy per value), and a second prepared statement for the tail of each batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <memory>
#include <vector>

#include "bru/data/table_loader.h"
#include "bru/odbc/connection.h"
#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::data {

class TableWriter final : public TableLoader {
 public:
  TableWriter(odbc::Connection& connection, const schema::Dialect& dialect,
              const schema::Table& table);

  // Inserts every row of the batch (columns in catalog order). Throws bru::Error(kDatabase)
  // naming the table and the rows of the failing statement, or kTypeMapping when the driver
  // reports a value the target cannot hold (numeric overflow, string too long, bad date).
  void write(const archive::Batch& batch) override;
  // A long value is a data-at-execution parameter (SQL_LEN_DATA_AT_EXEC): the INSERT of its row
  // waits in SQL_NEED_DATA while its pieces go through SQLPutData.
  void write_piece(std::size_t column_idx, std::string_view piece) override;
  // Each statement ran in write(): nothing is buffered.
  LoadReport finish() override;
  std::int64_t rows_written() const noexcept override { return rows_written_; }

 private:
  odbc::Statement& prepared_for(std::size_t row_count);
  void bind_and_execute(odbc::Statement& statement, const archive::Batch& batch,
                        std::size_t first_row, std::size_t row_count);

  // Asks the driver which data-at-execution parameter it wants next; ends the long row when it
  // wants none.
  void next_long_value();
  // Whether the row has a long text value to bind whole: one that may hold NUL bytes
  // (reads_text_as_bytes(): SQLite), which the driver cannot take in pieces.
  bool binds_long_text_whole(const archive::Batch& batch) const;
  [[noreturn]] void fail_insert(Error& error, std::size_t row_count);

  odbc::Connection& connection_;
  const schema::Dialect& dialect_;
  const schema::Table& table_;
  std::size_t rows_per_statement_;
  std::map<std::size_t, std::unique_ptr<odbc::Statement>> statements_;  // by row count
  std::vector<SQLLEN> indicators_;
  std::int64_t rows_written_ = 0;
  // LoadReport::empty_as_null, counted where the dialect's SqlForms::empty_string_is_null.
  std::map<std::size_t, std::int64_t> empty_as_null_;
  // The INSERT of a row with long values, waiting for their pieces; the column it waits for and
  // the bytes still to come.
  odbc::Statement* long_statement_ = nullptr;
  std::optional<archive::Batch> long_row_;
  std::size_t long_column_ = 0;
  std::uint64_t long_remaining_ = 0;
  // A row whose long text must be bound whole (see write()): assembled here from its pieces.
  std::optional<archive::Batch> assembling_;
  std::uint64_t assembling_remaining_ = 0;
};

}  // namespace bru::data

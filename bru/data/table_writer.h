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

#include "bru/data/empty_strings.h"
#include "bru/data/table_loader.h"
#include "bru/odbc/connection.h"
#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::data {

// How TableWriter::write() cuts a batch without long values into INSERTs: runs of consecutive
// rows, each of at most rows_per_statement rows, where a row holding a value longer than a
// multi-row INSERT of the dialect binds (SqlForms::max_batched_text_bind_bytes,
// max_batched_binary_bind_bytes: Oracle) is a run of its own, a one-row INSERT ... VALUES.
struct InsertRun {
  std::size_t first_row = 0;
  std::size_t row_count = 0;
  bool operator==(const InsertRun&) const = default;
};
std::vector<InsertRun> insert_runs(const archive::Batch& batch, const schema::Table& table,
                                   const schema::SqlForms& forms, std::size_t rows_per_statement);

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
  // write() past its checks: the batch into the target, by the path its values need.
  void write_rows(const archive::Batch& batch);
  odbc::Statement& prepared_for(std::size_t row_count);
  std::uint64_t max_value_bytes_ = 0;  // the target's dialect.value_limit_sql(); 0: none
  // Binds one value of the batch as parameter param_number (a long value as data-at-execution).
  void bind_value(SQLHSTMT handle, SQLUSMALLINT param_number, const archive::Batch& batch,
                  std::size_t column_idx, std::size_t row, SQLLEN& indicator);
  void bind_and_execute(odbc::Statement& statement, const archive::Batch& batch,
                        std::size_t first_row, std::size_t row_count);

  // Starts the insert of a row with long values (a batch of that row alone); its pieces follow
  // through write_piece().
  void begin_long_row(const archive::Batch& batch);
  // Asks the driver which data-at-execution parameter it wants next; ends the long row when it
  // wants none.
  void next_long_value();
  // Whether the row has a long text value to bind whole: one that may hold NUL bytes
  // (reads_text_as_bytes(): SQLite), which the driver cannot take in pieces.
  bool binds_long_text_whole(const archive::Batch& batch) const;
  // With the dialect's long_value_sql(): a long row waits in long_row_ while store_piece() sends
  // its pieces to the session's piece table; the last piece inserts the row, assembled there.
  void begin_assembled_row(const archive::Batch& batch);
  void store_piece(std::size_t column_idx, std::string_view piece);
  // With the dialect's in_place_sql(): inserts a row whose long values are BLOBs with zeros in
  // their place, then write_piece() writes each piece in place (write_in_place()). False, having
  // done nothing, where the row or the table cannot be written so.
  bool begin_in_place_row(const archive::Batch& batch);
  void write_in_place(std::size_t column_idx, std::int64_t offset, std::string_view piece);
  [[noreturn]] void fail_insert(Error& error, std::size_t row_count);

  odbc::Connection& connection_;
  const schema::Dialect& dialect_;
  const schema::Table& table_;
  std::size_t rows_per_statement_;
  std::map<std::size_t, std::unique_ptr<odbc::Statement>> statements_;  // by row count
  std::vector<SQLLEN> indicators_;
  std::int64_t rows_written_ = 0;
  // Where the dialect's SqlForms::empty_string_is_null: LoadReport::empty_as_null and
  // checksum_change, from the rows as they are sent.
  std::optional<EmptyStringsAsNull> empty_strings_;
  // The INSERT of a row with long values, waiting for their pieces; the column it waits for and
  // the bytes still to come.
  odbc::Statement* long_statement_ = nullptr;
  std::optional<archive::Batch> long_row_;
  std::size_t long_column_ = 0;
  std::uint64_t long_remaining_ = 0;
  // A row whose long text must be bound whole (see write()): assembled here from its pieces.
  std::optional<archive::Batch> assembling_;
  std::uint64_t assembling_remaining_ = 0;
  // The dialect's piece table (see store_piece()), the bytes of the long row still to come and
  // the number of its last piece.
  std::optional<schema::Dialect::LongValueSql> long_sql_;
  std::unique_ptr<odbc::Statement> pieces_statement_;
  std::uint64_t assembled_remaining_ = 0;
  std::int64_t piece_number_ = 0;
  // The long row written in place (see begin_in_place_row()): a statement per column it writes,
  // the bytes still to come, the column and offset of the next piece; in_place_refused_ once the
  // table's values cannot be written in place.
  std::vector<std::unique_ptr<odbc::Statement>> in_place_statements_;
  std::uint64_t in_place_remaining_ = 0;
  std::size_t in_place_column_ = 0;
  std::int64_t in_place_offset_ = 0;
  bool in_place_refused_ = false;
  bool in_place_probed_ = false;  // InPlaceSql::probe has run
};

}  // namespace bru::data

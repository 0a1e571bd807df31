// Reads one table through ODBC into columnar batches (DESIGN §3): column-wise bound arrays,
// thousands of rows per SQLFetch, for fixed-width and bounded values; unbounded values (text,
// LOBs) fetched in pieces with SQLGetData so no value is ever truncated. Memory is bounded by
// the bound buffers plus one batch, whatever the table size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "bru/data/long_values.h"
#include "bru/odbc/connection.h"
#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::data {

struct ReadLimits {
  std::size_t batch_bytes = 4u << 20;         // hand a batch over once its values reach this
  std::size_t max_rows_per_fetch = 8192;      // rows per SQLFetch
  std::size_t bound_buffer_bytes = 24u << 20; // all bound column arrays together
  // Value bytes one round trip should bring, where bru runs its own cursor (Dialect::
  // declare_cursor_sql): the driver holds a round's rows whole, bytea as hex text (x2) and
  // briefly twice, so 8 MiB of values is about 32 MiB inside psqlODBC.
  std::size_t round_bytes = 8u << 20;
  // Values longer than this are read in slices and handed over as pieces (bru/data/
  // long_values.h), where read() is given a PieceSink; 0 reads every value whole.
  std::uint64_t piece_bytes = 0;
};

// Storage classes of the table's columns, in catalog order (the batch layout).
std::vector<schema::Storage> storages_of(const schema::Table& table);

class TableReader {
 public:
  // The connection must already be inside the snapshot the caller wants (see Dialect).
  TableReader(odbc::Connection& connection, const schema::Dialect& dialect,
              const schema::Table& table, const ReadLimits& limits);

  // Runs the table's SELECT and calls on_batch with each batch of rows (columns in catalog
  // order). on_batch may keep the batch (it is moved). Returns the number of rows read.
  // Throws bru::Error: kDatabase from the driver, kTypeMapping for a value that does not fit its
  // declared type (naming table, column and row), kInterrupted on SIGINT.
  std::int64_t read(const std::function<void(archive::Batch&&)>& on_batch);
  // Same, values longer than limits.piece_bytes read in slices: a row with one comes as a batch
  // of that row alone, the long values as their lengths (ColumnVector::is_long), then on_piece
  // has their pieces (formats/batch.h LongRowHasher). Also throws kDatabase when the slices do
  // not add up to the lengths.
  std::int64_t read(const std::function<void(archive::Batch&&)>& on_batch,
                    const PieceSink& on_piece);

 private:
  // Runs `sql`, whose result has the columns of `table`, into batches; where `keyed` is given,
  // the pages are those of Dialect::long_cut_page_sql (`table` is keyed->table).
  std::int64_t read_rows(const schema::Table& table, const std::string& select_sql,
                         const std::function<void(archive::Batch&&)>& on_batch,
                         const KeyedSplit* keyed = nullptr);
  // Hands the pieces of a long value of a keyed split read to on_piece: the server holds it
  // (Dialect::hold_value_sql) and sends it one slice per round trip. Throws Error(kDatabase) when
  // a slice is not as long as the value's length says.
  void read_held_value(std::int64_t row_number, std::size_t column_idx,
                       const std::vector<std::string>& key, std::uint64_t length,
                       const PieceSink& on_piece);

  odbc::Connection& connection_;
  const schema::Dialect& dialect_;
  const schema::Table& table_;
  ReadLimits limits_;
};

}  // namespace bru::data

// Values longer than a piece, read in slices of the source (issue 11 item 7; formats/FORMAT.md
// "Long values"). A driver holds a row whole (psqlODBC and libpq a whole message, sqliteodbc the
// value SQLite loaded), so SQLGetData in pieces does not bound memory: the server must send a
// long value in slices. A split read asks first for the longest value of each column that may be
// long; where one is longer than the piece size, the table is read with a query that yields, per
// source row, one row with every value but the long ones (their lengths instead), then one row per
// slice of each long value. The Unsplitter turns those rows back into the table's batches, a row
// with long values as a batch of that row alone followed by its pieces (the stream
// archive::LongRowHasher reads). PostgreSQL slices with substring() over generate_series() and
// SQLite with substr() over a recursive counter.
//
// Where pages along a key read a table (Dialect::page_key: MariaDB, whose Connector/ODBC holds a
// whole result), a split read is keyed instead: the page queries cut the long values out, giving
// their lengths (Dialect::long_cut_page_sql), and each long value is read after its row, in
// slices of a copy the server holds of it (Dialect::hold_value_sql), one slice per round trip.
// Other engines, and tables without such a key, read values whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::data {

// Called with each piece of a long value, in the order of the stream above.
using PieceSink = std::function<void(std::size_t column_idx, std::string_view piece)>;

struct SplitRead {
  // The split query's result as a table: the table's columns, then per long column its length
  // (bigint, NULL where the value is not long), the slice number (bigint, 0 on a row's first
  // row), then per long column its slice (NULL elsewhere).
  schema::Table table;
  std::string sql;
  std::vector<std::size_t> long_columns;  // catalog positions, ascending
};

// Plans a split read of `table` (whose rows dialect.select_sql() yields): runs one query through
// `query_value` (returns the first value of the first row as text, "" for NULL or no row) for the
// longest value of each column that may hold a long one. Returns std::nullopt when no value is
// longer than piece_bytes, or the engine has no slicing SQL here: read the table as usual then.
// A `filter` (an SQL condition, "" for none) reads only the rows it holds for (a slice of the
// table, PostgreSQL: bru/pg/copy_reader.h), for the plan and the read alike.
std::optional<SplitRead> plan_split_read(
    const schema::Dialect& dialect, const schema::Table& table, std::uint64_t piece_bytes,
    const std::function<std::string(const std::string& sql)>& query_value,
    const std::string& filter = "");

struct KeyedSplit {
  // What the page queries yield: the table's columns, then per long column the length of its
  // value where it is long (bigint, NULL elsewhere; the value itself is NULL then).
  schema::Table table;
  std::vector<std::size_t> long_columns;  // catalog positions, ascending
  std::vector<std::size_t> key;           // the page key (Dialect::page_key)
};

// The canonical text of the values of `key` (catalog positions) in a row of the batch, as
// Dialect::page_sql and hold_value_sql take them.
std::vector<std::string> key_values(const archive::Batch& batch, std::size_t row,
                                    const std::vector<std::size_t>& key);

// Plans a keyed split read of `table`: std::nullopt when the dialect has no page key for it or
// no column that may hold a long value (Dialect::sliceable_columns).
std::optional<KeyedSplit> plan_keyed_split(const schema::Dialect& dialect,
                                           const schema::Table& table);

// Turns batches of a keyed split read's rows (KeyedSplit::table's columns) into the table's
// batches (handed to on_batch at about batch_bytes of values): a row with long values goes as a
// batch of that row alone, then read_value(row_number, column_idx, key, length) is called for
// each of them, in column order, with the row's page key values (key_values()); it hands the
// value's pieces over itself.
class KeyedUnsplitter {
 public:
  using ValueReader = std::function<void(std::int64_t row_number, std::size_t column_idx,
                                         const std::vector<std::string>& key,
                                         std::uint64_t length)>;
  KeyedUnsplitter(const schema::Table& table, const KeyedSplit& split, std::size_t batch_bytes,
                  const std::function<void(archive::Batch&&)>& on_batch,
                  const ValueReader& read_value);
  void take(const archive::Batch& split_rows);
  // Hands over the last batch.
  void finish();
  std::int64_t rows() const noexcept { return rows_; }

 private:
  void flush();

  const schema::Table& table_;
  const KeyedSplit& split_;
  std::size_t batch_bytes_;
  std::function<void(archive::Batch&&)> on_batch_;
  ValueReader read_value_;
  std::vector<schema::Storage> storages_;
  archive::Batch batch_;
  std::int64_t rows_ = 0;
};

// Turns batches of a split read's rows (SplitRead::table's columns) into the table's batches
// (handed to on_batch at about batch_bytes of values) and pieces (to on_piece).
class Unsplitter {
 public:
  Unsplitter(const schema::Table& table, const SplitRead& split, std::size_t batch_bytes,
             const std::function<void(archive::Batch&&)>& on_batch, const PieceSink& on_piece);
  // Throws Error(kDatabase) when the rows do not make up whole values (the source changed while
  // it was read, or sent other lengths than it said).
  void take(const archive::Batch& split_rows);
  // Hands over the last batch; throws as take() when a long value was left unfinished.
  void finish();
  std::int64_t rows() const noexcept { return rows_; }

 private:
  void flush();
  [[noreturn]] void short_value() const;

  const schema::Table& table_;
  const SplitRead& split_;
  std::size_t batch_bytes_;
  std::function<void(archive::Batch&&)> on_batch_;
  PieceSink on_piece_;
  std::vector<schema::Storage> storages_;
  archive::Batch batch_;
  std::int64_t rows_ = 0;
  // The long values of the current row still to come: (catalog position, bytes left).
  std::vector<std::pair<std::size_t, std::uint64_t>> pending_;
  std::size_t pending_at_ = 0;
};

}  // namespace bru::data

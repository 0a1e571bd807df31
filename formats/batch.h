// A columnar batch of rows: the unit that flows from a backup reader through the chunk encoder
// into the archive, and from the archive into a restore writer. Values are held per column in
// the column's storage class (schema/types.h); bytes-stored values are in canonical text or raw
// bytes. A batch owns its memory and is bounded by its producer (rows or bytes), never by the
// table size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema/types.h"

namespace bru::archive {

class ColumnVector {
 public:
  explicit ColumnVector(schema::Storage storage) : storage_(storage) { offsets_.push_back(0); }

  schema::Storage storage() const noexcept { return storage_; }
  std::size_t size() const noexcept { return nulls_.size(); }

  void append_null();
  void append_int(std::int64_t value);                    // storage kInt64 only
  void append_double(double value);                       // storage kFloat64 only
  void append_bytes(std::string_view value);              // storage kBytes only
  // For streamed values: start an empty value, append pieces, no copy of the whole value.
  void begin_bytes();
  void append_piece(std::string_view piece);
  // A long value (FORMAT.md "Long values"): longer than a piece, so the batch holds only its
  // length; its bytes travel as pieces after the batch (see LongRowHasher). length > 0.
  void append_long(std::uint64_t length);
  // Appends row `row` of `other` (same storage) as it is: NULL, value or long value.
  void append_from(const ColumnVector& other, std::size_t row);
  // Reserves capacity for `rows` values in total (and, for kBytes, `bytes` value bytes), so a
  // producer that knows its batch size does not regrow the vectors.
  void reserve(std::size_t rows, std::size_t bytes = 0);

  bool is_null(std::size_t row) const noexcept { return nulls_[row] != 0; }
  bool is_long(std::size_t row) const noexcept {
    return row < long_lengths_.size() && long_lengths_[row] != 0;
  }
  // The length of a long value; 0 for any other row.
  std::uint64_t long_length(std::size_t row) const noexcept {
    return row < long_lengths_.size() ? long_lengths_[row] : 0;
  }
  bool has_long() const noexcept { return !long_lengths_.empty(); }
  std::int64_t int_at(std::size_t row) const noexcept { return ints_[row]; }
  double double_at(std::size_t row) const noexcept { return doubles_[row]; }
  std::string_view bytes_at(std::size_t row) const noexcept {
    return std::string_view(bytes_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }

  // Bytes held by the values (not counting vector slack); what the batch size limit counts.
  std::size_t value_bytes() const noexcept;
  void clear();

  // Raw access for the chunk codec.
  const std::vector<std::uint8_t>& nulls() const noexcept { return nulls_; }
  const std::vector<std::int64_t>& ints() const noexcept { return ints_; }
  const std::vector<double>& doubles() const noexcept { return doubles_; }
  const std::vector<std::uint64_t>& offsets() const noexcept { return offsets_; }
  const std::string& bytes() const noexcept { return bytes_; }

 private:
  schema::Storage storage_;
  std::vector<std::uint8_t> nulls_;    // one byte per row, 1 = NULL
  std::vector<std::int64_t> ints_;     // kInt64: one per row (0 for NULL)
  std::vector<double> doubles_;        // kFloat64: one per row (0 for NULL)
  std::vector<std::uint64_t> offsets_; // kBytes: size()+1 offsets into bytes_
  std::string bytes_;                  // kBytes: all values back to back
  // kBytes: per row the length of a long value (0: not long); empty while the column has none.
  std::vector<std::uint64_t> long_lengths_;
};

class Batch {
 public:
  Batch() = default;
  explicit Batch(const std::vector<schema::Storage>& storages);

  std::size_t column_count() const noexcept { return columns_.size(); }
  std::size_t row_count() const noexcept { return columns_.empty() ? 0 : columns_[0].size(); }
  ColumnVector& column(std::size_t column_idx) { return columns_[column_idx]; }
  const ColumnVector& column(std::size_t column_idx) const { return columns_[column_idx]; }
  std::size_t value_bytes() const noexcept;
  void clear();
  // Whether any cell is a long value (ColumnVector::append_long).
  bool has_long() const noexcept;

 private:
  std::vector<ColumnVector> columns_;
};

// Content hash of one row: xxh64 over the row's values in a canonical encoding (NULL distinct
// from empty, storage class included). The table checksum in the archive is the wrapping sum of
// its row hashes, so it does not depend on row order and can be recomputed from a restored table.
std::uint64_t row_hash(const Batch& batch, std::size_t row);
// Wrapping sum of row_hash() over all rows of the batch. The batch holds no long value (a row
// with one is hashed by LongRowHasher); throws kInternal otherwise.
std::uint64_t content_hash(const Batch& batch);

// How a row holding long values travels (FORMAT.md "Long values"): a batch of that one row, in
// which each long value is only its length, then the pieces of its long values in column order,
// each column's pieces in order, adding up to its length. LongRowHasher follows that stream and
// yields row_hash() of the whole row, never holding more than one piece.
class LongRowHasher {
 public:
  LongRowHasher();
  ~LongRowHasher();
  LongRowHasher(const LongRowHasher&) = delete;
  LongRowHasher& operator=(const LongRowHasher&) = delete;

  // Starts the row (row 0 of a one-row batch with long values). The batch must stay alive and
  // unchanged until the row is done.
  void begin(const Batch& batch);
  // The next piece. Returns false (and takes nothing) when it does not belong there: no row
  // started, a column other than the long value the row is at, or more bytes than it has left.
  bool piece(std::size_t column_idx, std::string_view bytes);
  // Whether a row is started and waits for pieces.
  bool pending() const noexcept { return batch_ != nullptr; }
  // The long value the row waits for (column, bytes still to come); only while pending().
  std::size_t column() const noexcept { return column_; }
  std::uint64_t remaining() const noexcept { return remaining_; }
  // The finished row's hash; valid once pending() turned false after begin().
  std::uint64_t hash() const noexcept { return hash_; }

 private:
  void advance();  // hashes the columns up to the next long value, or ends the row

  struct State;
  State* state_;
  const Batch* batch_ = nullptr;
  std::size_t column_ = 0;
  std::uint64_t remaining_ = 0;
  std::uint64_t hash_ = 0;
};

}  // namespace bru::archive

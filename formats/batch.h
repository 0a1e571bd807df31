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
  // Reserves capacity for `rows` values in total (and, for kBytes, `bytes` value bytes), so a
  // producer that knows its batch size does not regrow the vectors.
  void reserve(std::size_t rows, std::size_t bytes = 0);

  bool is_null(std::size_t row) const noexcept { return nulls_[row] != 0; }
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

 private:
  std::vector<ColumnVector> columns_;
};

// Content hash of one row: xxh64 over the row's values in a canonical encoding (NULL distinct
// from empty, storage class included). The table checksum in the archive is the wrapping sum of
// its row hashes, so it does not depend on row order and can be recomputed from a restored table.
std::uint64_t row_hash(const Batch& batch, std::size_t row);
// Wrapping sum of row_hash() over all rows of the batch.
std::uint64_t content_hash(const Batch& batch);

}  // namespace bru::archive

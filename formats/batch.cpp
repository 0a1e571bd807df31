#include "formats/batch.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

#include "schema/error.h"

namespace bru::archive {

void ColumnVector::append_null() {
  nulls_.push_back(1);
  switch (storage_) {
    case schema::Storage::kInt64:
      ints_.push_back(0);
      break;
    case schema::Storage::kFloat64:
      doubles_.push_back(0);
      break;
    case schema::Storage::kBytes:
      offsets_.push_back(bytes_.size());
      break;
  }
}

void ColumnVector::append_int(std::int64_t value) {
  assert(storage_ == schema::Storage::kInt64);
  nulls_.push_back(0);
  ints_.push_back(value);
}

void ColumnVector::append_double(double value) {
  assert(storage_ == schema::Storage::kFloat64);
  nulls_.push_back(0);
  doubles_.push_back(value);
}

void ColumnVector::append_bytes(std::string_view value) {
  assert(storage_ == schema::Storage::kBytes);
  nulls_.push_back(0);
  bytes_.append(value);
  offsets_.push_back(bytes_.size());
}

void ColumnVector::begin_bytes() {
  assert(storage_ == schema::Storage::kBytes);
  nulls_.push_back(0);
  offsets_.push_back(bytes_.size());
}

void ColumnVector::append_piece(std::string_view piece) {
  assert(storage_ == schema::Storage::kBytes && !nulls_.empty() && nulls_.back() == 0);
  bytes_.append(piece);
  offsets_.back() = bytes_.size();
}

void ColumnVector::append_long(std::uint64_t length) {
  assert(storage_ == schema::Storage::kBytes && length > 0);
  nulls_.push_back(0);
  offsets_.push_back(bytes_.size());
  long_lengths_.resize(nulls_.size());
  long_lengths_.back() = length;
}

void ColumnVector::append_from(const ColumnVector& other, std::size_t row) {
  assert(storage_ == other.storage_);
  if (other.is_null(row)) {
    append_null();
  } else if (other.is_long(row)) {
    append_long(other.long_length(row));
  } else {
    switch (storage_) {
      case schema::Storage::kInt64:
        append_int(other.int_at(row));
        break;
      case schema::Storage::kFloat64:
        append_double(other.double_at(row));
        break;
      case schema::Storage::kBytes:
        append_bytes(other.bytes_at(row));
        break;
    }
  }
}

void ColumnVector::reserve(std::size_t rows, std::size_t bytes) {
  nulls_.reserve(rows);
  switch (storage_) {
    case schema::Storage::kInt64:
      ints_.reserve(rows);
      break;
    case schema::Storage::kFloat64:
      doubles_.reserve(rows);
      break;
    case schema::Storage::kBytes:
      offsets_.reserve(rows + 1);
      bytes_.reserve(bytes);
      break;
  }
}

std::size_t ColumnVector::value_bytes() const noexcept {
  // Offsets count too for bytes columns: a batch of a million empty strings is not free.
  switch (storage_) {
    case schema::Storage::kInt64:
    case schema::Storage::kFloat64:
      return size() * sizeof(std::int64_t);
    case schema::Storage::kBytes:
      return bytes_.size() + size() * sizeof(std::uint64_t);
  }
  return 0;
}

void ColumnVector::clear() {
  nulls_.clear();
  ints_.clear();
  doubles_.clear();
  offsets_.assign(1, 0);
  bytes_.clear();
  long_lengths_.clear();
}

Batch::Batch(const std::vector<schema::Storage>& storages) {
  columns_.reserve(storages.size());
  for (schema::Storage storage : storages) columns_.emplace_back(storage);
}

std::size_t Batch::value_bytes() const noexcept {
  std::size_t total = 0;
  for (const ColumnVector& column : columns_) total += column.value_bytes();
  return total;
}

void Batch::clear() {
  for (ColumnVector& column : columns_) column.clear();
}

bool Batch::has_long() const noexcept {
  return std::any_of(columns_.begin(), columns_.end(),
                     [](const ColumnVector& column) { return column.has_long(); });
}

namespace {

// Canonical row encoding for hashing (FORMAT.md, "Content checksums"): per column one tag byte
// (0 NULL, 1 int64, 2 float64, 3 bytes) then the value as 8 bytes little-endian, or for bytes an
// 8-byte little-endian length and the bytes. All NaNs hash alike: engines do not agree on NaN
// payloads, and the hash must be recomputable from a restored table.
constexpr std::uint64_t kCanonicalNanBits = 0x7ff8000000000000ULL;

// Lays out one row's canonical encoding in a reused buffer: sized once per row, then plain
// stores, since this runs for every row of every backup and restore.
class RowEncoder {
 public:
  std::uint64_t hash(const Batch& batch, std::size_t row) {
    std::size_t size = 0;
    for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
      const ColumnVector& column = batch.column(column_idx);
      size += 1;
      if (column.is_null(row)) continue;
      size += 8;
      if (column.storage() == schema::Storage::kBytes) size += column.bytes_at(row).size();
    }
    if (buffer_.size() < size) buffer_.resize(std::max(size, 2 * buffer_.size()));
    pos_ = buffer_.data();
    for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
      put_value(batch.column(column_idx), row);
    }
    return XXH3_64bits(buffer_.data(), size);
  }

 private:
  void put_u64(std::uint64_t value) {
    if constexpr (std::endian::native == std::endian::big) value = __builtin_bswap64(value);
    std::memcpy(pos_, &value, 8);
    pos_ += 8;
  }

  void put_value(const ColumnVector& column, std::size_t row) {
    if (column.is_null(row)) {
      *pos_++ = '\0';
      return;
    }
    switch (column.storage()) {
      case schema::Storage::kInt64:
        *pos_++ = '\1';
        put_u64(static_cast<std::uint64_t>(column.int_at(row)));
        break;
      case schema::Storage::kFloat64: {
        const double value = column.double_at(row);
        *pos_++ = '\2';
        put_u64(std::isnan(value) ? kCanonicalNanBits : std::bit_cast<std::uint64_t>(value));
        break;
      }
      case schema::Storage::kBytes: {
        const std::string_view bytes = column.bytes_at(row);
        *pos_++ = '\3';
        put_u64(bytes.size());
        if (!bytes.empty()) std::memcpy(pos_, bytes.data(), bytes.size());
        pos_ += bytes.size();
        break;
      }
    }
  }

  std::vector<char> buffer_;
  char* pos_ = nullptr;
};

}  // namespace

std::uint64_t row_hash(const Batch& batch, std::size_t row) {
  RowEncoder encoder;
  return encoder.hash(batch, row);
}

std::uint64_t content_hash(const Batch& batch) {
  if (batch.has_long()) {
    throw internal_error("content_hash() of a batch with long values (use LongRowHasher)");
  }
  RowEncoder encoder;
  std::uint64_t sum = 0;
  for (std::size_t row = 0; row < batch.row_count(); ++row) sum += encoder.hash(batch, row);
  return sum;
}

}  // namespace bru::archive

namespace bru::archive {

struct LongRowHasher::State {
  XXH3_state_t* xxh = XXH3_createState();
  std::string cell;  // one short cell's canonical encoding
  ~State() { XXH3_freeState(xxh); }
};

LongRowHasher::LongRowHasher() : state_(new State) {
  if (state_->xxh == nullptr) throw std::bad_alloc();
}
LongRowHasher::~LongRowHasher() { delete state_; }

void LongRowHasher::begin(const Batch& batch) {
  XXH3_64bits_reset(state_->xxh);
  batch_ = &batch;
  column_ = 0;
  remaining_ = 0;
  advance();
}

bool LongRowHasher::piece(std::size_t column_idx, std::string_view bytes) {
  if (batch_ == nullptr || column_idx != column_ || bytes.size() > remaining_) return false;
  XXH3_64bits_update(state_->xxh, bytes.data(), bytes.size());
  remaining_ -= bytes.size();
  if (remaining_ == 0) {
    ++column_;
    advance();
  }
  return true;
}

void LongRowHasher::advance() {
  // The same encoding as RowEncoder, fed to XXH3's streaming state: the hash of the whole row.
  auto put_u64 = [&](std::uint64_t value) {
    if constexpr (std::endian::native == std::endian::big) value = __builtin_bswap64(value);
    state_->cell.append(reinterpret_cast<const char*>(&value), 8);
  };
  for (; column_ < batch_->column_count(); ++column_) {
    const ColumnVector& column = batch_->column(column_);
    std::string& cell = state_->cell;
    cell.clear();
    if (column.is_null(0)) {
      cell.push_back('\0');
    } else if (column.is_long(0)) {
      cell.push_back('\3');
      put_u64(column.long_length(0));
      XXH3_64bits_update(state_->xxh, cell.data(), cell.size());
      remaining_ = column.long_length(0);
      return;
    } else {
      switch (column.storage()) {
        case schema::Storage::kInt64:
          cell.push_back('\1');
          put_u64(static_cast<std::uint64_t>(column.int_at(0)));
          break;
        case schema::Storage::kFloat64: {
          const double value = column.double_at(0);
          cell.push_back('\2');
          put_u64(std::isnan(value) ? kCanonicalNanBits : std::bit_cast<std::uint64_t>(value));
          break;
        }
        case schema::Storage::kBytes:
          cell.push_back('\3');
          put_u64(column.bytes_at(0).size());
          cell.append(column.bytes_at(0));
          break;
      }
    }
    XXH3_64bits_update(state_->xxh, cell.data(), cell.size());
  }
  hash_ = XXH3_64bits_digest(state_->xxh);
  batch_ = nullptr;
}

}  // namespace bru::archive

#include "bru/data/empty_strings.h"

#include <utility>
#include <vector>

namespace bru::data {
namespace {

bool empty_value(const archive::ColumnVector& column, std::size_t row) {
  return column.storage() == schema::Storage::kBytes && !column.is_null(row) &&
         !column.is_long(row) && column.bytes_at(row).empty();
}

// Row `row` of `batch` into `stored` (one row), each empty value made NULL and counted in
// `counts`. False, leaving both alone, when the row has no empty value.
bool store_row(const archive::Batch& batch, std::size_t row, archive::Batch& stored,
               std::map<std::size_t, std::int64_t>& counts) {
  bool any = false;
  for (std::size_t column_idx = 0; column_idx < batch.column_count() && !any; ++column_idx) {
    any = empty_value(batch.column(column_idx), row);
  }
  if (!any) return false;
  std::vector<schema::Storage> storages;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    storages.push_back(batch.column(column_idx).storage());
  }
  stored = archive::Batch(storages);
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto& column = batch.column(column_idx);
    if (empty_value(column, row)) {
      stored.column(column_idx).append_null();
      ++counts[column_idx];
    } else {
      stored.column(column_idx).append_from(column, row);
    }
  }
  return true;
}

}  // namespace

void EmptyStringsAsNull::batch(const archive::Batch& batch) {
  for (std::size_t row = 0; row < batch.row_count(); ++row) {
    if (!store_row(batch, row, stored_, counts_)) continue;
    if (!batch.has_long()) {
      checksum_change_ += archive::row_hash(stored_, 0) - archive::row_hash(batch, row);
      continue;
    }
    // Its one row's long values come as pieces: both hashes follow them.
    long_archived_ = batch;
    long_stored_ = std::move(stored_);
    archived_hash_.begin(long_archived_);
    stored_hash_.begin(long_stored_);
  }
}

void EmptyStringsAsNull::piece(std::size_t column_idx, std::string_view piece) {
  if (!archived_hash_.pending()) return;  // a long row without empty values
  // The loader checks the pieces' order; the two rows differ only in values that are no pieces.
  (void)archived_hash_.piece(column_idx, piece);
  (void)stored_hash_.piece(column_idx, piece);
  if (!archived_hash_.pending()) checksum_change_ += stored_hash_.hash() - archived_hash_.hash();
}

}  // namespace bru::data

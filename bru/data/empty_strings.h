// Oracle takes '' (and an empty RAW) as NULL (SqlForms::empty_string_is_null): a restore into it
// stores each empty value of the archive as NULL, and the archive's checksum, which covers the
// values as they were, no longer matches the read-back. EmptyStringsAsNull follows the rows a
// loader sends (batches, and the pieces of a row with long values) and keeps what the target
// then holds: per column the empty values stored as NULL (LoadReport::empty_as_null, warned as
// empty-string-null), and checksum_change(), the wrapping difference of each such row's hash as
// stored and as archived. The read-back must find the archive's checksum plus that change: NULL
// exactly where the archive has an empty value, and every other value as it was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>

#include "formats/batch.h"

namespace bru::data {

class EmptyStringsAsNull {
 public:
  // A batch as the loader sends it. A batch holding a long value (its one row) is followed by
  // the pieces of its long values (piece()) before the next batch.
  void batch(const archive::Batch& batch);
  void piece(std::size_t column_idx, std::string_view piece);

  // Per column index, the empty values stored as NULL.
  const std::map<std::size_t, std::int64_t>& counts() const noexcept { return counts_; }
  std::uint64_t checksum_change() const noexcept { return checksum_change_; }

 private:
  std::map<std::size_t, std::int64_t> counts_;
  std::uint64_t checksum_change_ = 0;
  archive::Batch stored_;  // one row as the target stores it
  // A row with long values and empty ones: hashed as archived and as stored, piece by piece.
  archive::Batch long_archived_;
  archive::Batch long_stored_;
  archive::LongRowHasher archived_hash_;
  archive::LongRowHasher stored_hash_;
};

}  // namespace bru::data

// The row with long values that a streaming loader (PostgreSQL's COPY, MariaDB's LOAD DATA) is
// sending: a batch of that one row, whose long values hold only their lengths, then their pieces
// in column order (table_loader.h). The loader writes the row's columns up to its next long
// value, takes that value's pieces, and goes on from the column after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "formats/batch.h"
#include "schema/error.h"

namespace bru::data {

class LongRowStream {
 public:
  bool active() const noexcept { return row_.has_value(); }
  const archive::Batch& row() const { return *row_; }
  // The column the loader is at: the next to write, or the long value whose pieces come.
  std::size_t column() const noexcept { return column_; }
  bool at_end() const noexcept { return column_ >= row_->column_count(); }
  bool at_long_value() const { return row_->column(column_).is_long(0); }

  // Throws internal_error (`loader`: "COPY") when a row comes before the last one's pieces.
  void check_no_row_pending(std::string_view loader) const {
    if (active()) {
      throw internal_error(fmt::format("{}: a row before the pieces of the long row before it",
                                       loader));
    }
  }
  void begin(const archive::Batch& batch) {
    row_ = batch;
    column_ = 0;
    remaining_ = 0;
  }
  // Past a column the loader wrote whole.
  void next_column() noexcept { ++column_; }
  // At the long value of column(): its bytes come as pieces. Returns its length.
  std::uint64_t expect_pieces() {
    remaining_ = row_->column(column_).long_length(0);
    return remaining_;
  }
  // Throws internal_error (naming `loader` and the table) when the piece is not the next of the
  // value being sent.
  void check_piece(std::size_t column_idx, std::size_t size, std::string_view loader,
                   std::string_view table) const {
    if (!active() || column_idx != column_ || size > remaining_) {
      throw internal_error(fmt::format("{} into \"{}\": a piece of column {} out of place", loader,
                                       table, column_idx + 1));
    }
  }
  // Counts a piece; true when it ended its value (column() is then the one after it).
  bool took(std::size_t size) noexcept {
    remaining_ -= size;
    if (remaining_ > 0) return false;
    ++column_;
    return true;
  }
  void end() { row_.reset(); }

 private:
  std::optional<archive::Batch> row_;
  std::size_t column_ = 0;
  std::uint64_t remaining_ = 0;
};

}  // namespace bru::data

// Checks, before a batch is sent to a target, that every value fits the portable type of its
// column: character lengths, decimal precision and scale, integer ranges. A cross-engine restore
// (SQLite stores any value in any column) then fails with table, column and row named, instead of
// a driver message about "value too long" somewhere in a thousand-row statement, and never with
// a silent change.
#pragma once

#include <cstdint>

#include "formats/batch.h"
#include "schema/catalog.h"

namespace bru::data {

// Throws bru::Error(kTypeMapping) naming table, column and row (first_row_number is the 1-based
// number of the batch's first row in the table) for the first value that does not fit.
void check_values_fit(const schema::Table& table, const archive::Batch& batch,
                      std::int64_t first_row_number, std::string_view target_dialect);

// Throws as check_values_fit() for the first value (a long value by its length) longer than
// max_bytes, the limit the target names `limit_name` (MariaDB's max_allowed_packet: a longer
// field in a LOAD DATA is stored changed, not refused). max_bytes 0: no limit known.
void check_value_lengths(const schema::Table& table, const archive::Batch& batch,
                         std::int64_t first_row_number, std::uint64_t max_bytes,
                         std::string_view limit_name);

}  // namespace bru::data

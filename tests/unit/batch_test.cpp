// ColumnVector/Batch bookkeeping and the row/content hashes that back the table checksums.
#include "formats/batch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

using schema::Storage;

TEST(ColumnVector, HoldsValuesAndNullsPerStorage) {
  ColumnVector ints(Storage::kInt64);
  ints.append_int(-5);
  ints.append_null();
  ints.append_int(std::numeric_limits<std::int64_t>::max());
  ASSERT_EQ(ints.size(), 3u);
  EXPECT_EQ(ints.int_at(0), -5);
  EXPECT_TRUE(ints.is_null(1));
  EXPECT_EQ(ints.int_at(1), 0);
  EXPECT_EQ(ints.int_at(2), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(ints.value_bytes(), 24u);

  ColumnVector doubles(Storage::kFloat64);
  doubles.append_double(1.5);
  doubles.append_null();
  ASSERT_EQ(doubles.size(), 2u);
  EXPECT_EQ(doubles.double_at(0), 1.5);
  EXPECT_TRUE(doubles.is_null(1));

  ColumnVector bytes(Storage::kBytes);
  bytes.append_bytes("abc");
  bytes.append_null();
  bytes.append_bytes("");
  ASSERT_EQ(bytes.size(), 3u);
  EXPECT_EQ(bytes.bytes_at(0), "abc");
  EXPECT_TRUE(bytes.is_null(1));
  EXPECT_EQ(bytes.bytes_at(1), "");
  EXPECT_FALSE(bytes.is_null(2));
  EXPECT_EQ(bytes.bytes_at(2), "");
  EXPECT_EQ(bytes.offsets(), (std::vector<std::uint64_t>{0, 3, 3, 3}));
  EXPECT_EQ(bytes.value_bytes(), 3u + 3 * 8);
}

TEST(ColumnVector, StreamsPiecesIntoOneValue) {
  ColumnVector bytes(Storage::kBytes);
  bytes.append_bytes("first");
  bytes.begin_bytes();
  bytes.append_piece("he");
  bytes.append_piece("");
  bytes.append_piece("llo");
  bytes.begin_bytes();  // a streamed value with no pieces is empty, not NULL
  bytes.append_bytes("last");
  ASSERT_EQ(bytes.size(), 4u);
  EXPECT_EQ(bytes.bytes_at(0), "first");
  EXPECT_EQ(bytes.bytes_at(1), "hello");
  EXPECT_FALSE(bytes.is_null(2));
  EXPECT_EQ(bytes.bytes_at(2), "");
  EXPECT_EQ(bytes.bytes_at(3), "last");
}

TEST(ColumnVector, ClearEmptiesAndStaysUsable) {
  ColumnVector bytes(Storage::kBytes);
  bytes.reserve(10, 100);
  bytes.append_bytes("abc");
  bytes.append_null();
  bytes.clear();
  EXPECT_EQ(bytes.size(), 0u);
  EXPECT_EQ(bytes.value_bytes(), 0u);
  bytes.append_bytes("xy");
  ASSERT_EQ(bytes.size(), 1u);
  EXPECT_EQ(bytes.bytes_at(0), "xy");
}

TEST(Batch, CountsRowsColumnsAndBytes) {
  Batch empty;
  EXPECT_EQ(empty.column_count(), 0u);
  EXPECT_EQ(empty.row_count(), 0u);

  Batch batch = test::sample_batch(1, 10);
  EXPECT_EQ(batch.column_count(), 3u);
  EXPECT_EQ(batch.row_count(), 10u);
  std::size_t expected = 0;
  for (std::size_t column_idx = 0; column_idx < 3; ++column_idx) {
    expected += batch.column(column_idx).value_bytes();
  }
  EXPECT_EQ(batch.value_bytes(), expected);
  batch.clear();
  EXPECT_EQ(batch.column_count(), 3u);
  EXPECT_EQ(batch.row_count(), 0u);
}

// One-column batch with one value, for comparing hashes of single values.
template <typename Append>
std::uint64_t hash_of(Storage storage, Append append) {
  Batch batch({storage});
  append(batch.column(0));
  return row_hash(batch, 0);
}

TEST(RowHash, TellsNullFromEmptyAndZero) {
  const std::uint64_t null_bytes =
      hash_of(Storage::kBytes, [](ColumnVector& c) { c.append_null(); });
  const std::uint64_t empty = hash_of(Storage::kBytes, [](ColumnVector& c) { c.append_bytes(""); });
  const std::uint64_t null_int = hash_of(Storage::kInt64, [](ColumnVector& c) { c.append_null(); });
  const std::uint64_t zero = hash_of(Storage::kInt64, [](ColumnVector& c) { c.append_int(0); });
  const std::uint64_t zero_double =
      hash_of(Storage::kFloat64, [](ColumnVector& c) { c.append_double(0.0); });
  EXPECT_NE(null_bytes, empty);
  EXPECT_NE(null_int, zero);
  EXPECT_NE(zero, zero_double);     // the storage class is part of the hash
  EXPECT_EQ(null_bytes, null_int);  // NULL is NULL whatever the column holds
}

TEST(RowHash, KeepsValueBoundariesApart) {
  Batch split({Storage::kBytes, Storage::kBytes});
  split.column(0).append_bytes("ab");
  split.column(1).append_bytes("c");
  Batch other({Storage::kBytes, Storage::kBytes});
  other.column(0).append_bytes("a");
  other.column(1).append_bytes("bc");
  EXPECT_NE(row_hash(split, 0), row_hash(other, 0));
}

TEST(RowHash, AllNansAreOneValueButNegativeZeroIsNot) {
  auto hash_double = [](double value) {
    return hash_of(Storage::kFloat64, [value](ColumnVector& c) { c.append_double(value); });
  };
  const double quiet_nan = std::numeric_limits<double>::quiet_NaN();
  const double payload_nan = std::bit_cast<double>(std::uint64_t{0xfff0000000000123});
  ASSERT_TRUE(std::isnan(payload_nan));
  EXPECT_EQ(hash_double(quiet_nan), hash_double(payload_nan));
  EXPECT_NE(hash_double(0.0), hash_double(-0.0));
  EXPECT_NE(hash_double(std::numeric_limits<double>::infinity()),
            hash_double(-std::numeric_limits<double>::infinity()));
}

TEST(ContentHash, IsTheWrappingSumOfRowHashesAndIgnoresOrder) {
  Batch batch = test::sample_batch(1, 50);
  std::uint64_t sum = 0;
  for (std::size_t row = 0; row < batch.row_count(); ++row) sum += row_hash(batch, row);
  EXPECT_EQ(content_hash(batch), sum);

  Batch reversed(test::storages_of(test::sample_table()));
  for (std::size_t row = batch.row_count(); row-- > 0;) {
    const ColumnVector& id = batch.column(0);
    const ColumnVector& score = batch.column(1);
    const ColumnVector& name = batch.column(2);
    reversed.column(0).append_int(id.int_at(row));
    if (score.is_null(row)) {
      reversed.column(1).append_null();
    } else {
      reversed.column(1).append_double(score.double_at(row));
    }
    if (name.is_null(row)) {
      reversed.column(2).append_null();
    } else {
      reversed.column(2).append_bytes(name.bytes_at(row));
    }
  }
  EXPECT_EQ(content_hash(reversed), content_hash(batch));

  // Split into two batches, the sums add up: how table checksums are built from chunks.
  EXPECT_EQ(content_hash(test::sample_batch(1, 20)) + content_hash(test::sample_batch(21, 30)),
            content_hash(batch));
  EXPECT_NE(content_hash(test::sample_batch(2, 50)), content_hash(batch));
}

}  // namespace
}  // namespace bru::archive

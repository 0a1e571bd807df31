#include "bru/data/zero_dates.h"

#include <gtest/gtest.h>

#include "schema/error.h"

namespace bru::data {
namespace {

using schema::TypeKind;

TEST(ZeroDates, AZeroMonthOrDayIsAZeroDateAYearZeroAloneIsNot) {
  for (const char* zero : {"0000-00-00", "2024-00-00 10:00:00", "2024-05-00", "0000-00-00 00:00:00+00"}) {
    EXPECT_TRUE(schema::is_zero_date(zero)) << zero;
  }
  for (const char* date : {"2024-05-01", "0000-01-01", "infinity", "0044-03-15 BC", "", "10:00:00",
                           "2024-5-0"}) {
    EXPECT_FALSE(schema::is_zero_date(date)) << date;
  }
}

schema::Table dated_table(bool nullable) {
  schema::Table table;
  table.name = "t";
  table.columns.push_back({.name = "id", .type = {TypeKind::kInt32}});
  table.columns.push_back({.name = "d", .type = {TypeKind::kDate}, .nullable = nullable});
  return table;
}

archive::Batch batch_of(std::initializer_list<const char*> dates) {
  archive::Batch batch({schema::Storage::kInt64, schema::Storage::kBytes});
  std::int64_t id = 0;
  for (const char* date : dates) {
    batch.column(0).append_int(++id);
    batch.column(1).append_bytes(date);
  }
  return batch;
}

// The expected checksum is the one of the table as it is loaded: what the read-back must give.
TEST(ZeroDates, MadeNullAndTheChecksumFollows) {
  const auto table = dated_table(/*nullable=*/true);
  const auto first = batch_of({"2024-01-01", "0000-00-00"});
  const auto second = batch_of({"2024-01-02"});
  ZeroDatesToNull zero_dates(table, archive::content_hash(first) + archive::content_hash(second));
  const auto& loaded_first = zero_dates.apply(first, 1);
  ASSERT_TRUE(loaded_first.column(1).is_null(1));
  EXPECT_EQ(loaded_first.column(1).bytes_at(0), "2024-01-01");
  EXPECT_EQ(&zero_dates.apply(second, 3), &second) << "a batch without zero dates is not copied";
  std::uint64_t loaded = archive::content_hash(loaded_first);
  loaded += archive::content_hash(second);
  EXPECT_EQ(zero_dates.expected_checksum(), loaded);
  EXPECT_EQ(zero_dates.replaced_columns(), std::vector<std::string>{"d (1)"});
}

TEST(ZeroDates, ANotNullColumnIsNamedWithTheRow) {
  const auto table = dated_table(/*nullable=*/false);
  ZeroDatesToNull zero_dates(table, 0);
  try {
    zero_dates.apply(batch_of({"2024-01-01", "2024-05-00"}), 41);
    FAIL() << "a NOT NULL column took a NULL";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "table \"t\", column \"d\", row 42: the zero date \"2024-05-00\" cannot become NULL "
              "(-ZERO-DATES null): the column is NOT NULL");
  }
}

}  // namespace
}  // namespace bru::data

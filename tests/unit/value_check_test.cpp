#include "bru/data/value_check.h"

#include <gtest/gtest.h>

#include <limits>

#include "schema/error.h"

namespace bru::data {
namespace {

using schema::TypeKind;

schema::Table one_column_table(schema::PortableType type, bool nullable = true) {
  schema::Table table;
  table.name = "t";
  schema::Column column;
  column.name = "c";
  column.type = type;
  column.native_type = "native";
  column.nullable = nullable;
  table.columns.push_back(column);
  return table;
}

std::string failure(const schema::Table& table, const archive::Batch& batch) {
  try {
    check_values_fit(table, batch, 101, "postgres");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    return error.message();
  }
  return "fits";
}

archive::Batch text_batch(std::initializer_list<const char*> values) {
  archive::Batch batch({schema::Storage::kBytes});
  for (const char* value : values) batch.column(0).append_bytes(value);
  return batch;
}

TEST(CheckValuesFit, CountsCharactersNotBytes) {
  const auto table = one_column_table({TypeKind::kVarchar, 3});
  EXPECT_EQ(failure(table, text_batch({"abc", "\xF0\x9F\x98\x80\xC3\xA9x"})), "fits");
  EXPECT_EQ(failure(table, text_batch({"abc", "abcd"})),
            "table \"t\", column \"c\", row 102: 4 characters do not fit varchar(3)");
}

TEST(CheckValuesFit, NanDoesNotFitSqlite) {
  const auto table = one_column_table({TypeKind::kFloat64});
  archive::Batch batch({schema::Storage::kFloat64});
  batch.column(0).append_double(1.5);
  batch.column(0).append_double(std::numeric_limits<double>::infinity());
  batch.column(0).append_double(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(failure(table, batch), "fits") << "PostgreSQL holds NaN";
  try {
    check_values_fit(table, batch, 101, "sqlite");
    FAIL() << "NaN fit SQLite";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "table \"t\", column \"c\", row 103: NaN (SQLite stores NaN as NULL)");
    EXPECT_EQ(error.hints(),
              std::vector<std::string>{
                  "the sqlite target cannot hold this value in a column of type float64; fix the "
                  "value in the source (or exclude the table with -EXCLUDE) and back up again; "
                  "nothing was restored"});
  }
}

TEST(CheckValuesFit, NulBytesDoNotFitPostgresText) {
  const auto table = one_column_table({TypeKind::kText});
  archive::Batch batch({schema::Storage::kBytes});
  batch.column(0).append_bytes("plain");
  batch.column(0).append_bytes(std::string("a\0b", 3));
  EXPECT_EQ(failure(table, batch),
            "table \"t\", column \"c\", row 102: a NUL byte (PostgreSQL character data cannot "
            "hold one)");
  EXPECT_NO_THROW(check_values_fit(table, batch, 101, "sqlite"));
}

TEST(CheckValuesFit, DecimalsMustFitWithoutRounding) {
  const auto table = one_column_table({TypeKind::kDecimal, 0, 5, 2});
  EXPECT_EQ(failure(table, text_batch({"-123.45", "0.10", "1.500"})), "fits");
  EXPECT_EQ(failure(table, text_batch({"0.995"})),
            "table \"t\", column \"c\", row 101: 0.995 does not fit decimal(5,2) without rounding");
  EXPECT_EQ(
      failure(table, text_batch({"1234.5"})),
      "table \"t\", column \"c\", row 101: 1234.5 does not fit decimal(5,2) without rounding");
  EXPECT_EQ(failure(table, text_batch({"1e5"})),
            "table \"t\", column \"c\", row 101: \"1e5\" is not a decimal number");
}

TEST(CheckValuesFit, IntegerRangesAndNotNull) {
  archive::Batch batch({schema::Storage::kInt64});
  batch.column(0).append_int(32767);
  batch.column(0).append_int(32768);
  EXPECT_EQ(failure(one_column_table({TypeKind::kInt16}), batch),
            "table \"t\", column \"c\", row 102: 32768 is out of range for int16");
  archive::Batch nulls({schema::Storage::kInt64});
  nulls.column(0).append_null();
  EXPECT_EQ(failure(one_column_table({TypeKind::kInt64}, false), nulls),
            "table \"t\", column \"c\", row 101: NULL in a NOT NULL column");
}

}  // namespace
}  // namespace bru::data

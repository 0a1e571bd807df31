#include "bru/data/value_check.h"

#include <gtest/gtest.h>

#include <limits>

#include <fmt/format.h>

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

// Text is checked 8 bytes at a time while it is plain ASCII: a NUL or a byte that is not UTF-8 is
// found wherever it stands, inside a word or in the bytes after the last whole word.
TEST(CheckValuesFit, ABadByteIsFoundAtEveryPosition) {
  const auto table = one_column_table({TypeKind::kText});
  for (std::size_t size = 1; size <= 20; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      for (const char bad : {'\0', '\xFF'}) {
        std::string value(size, 'a');
        value[at] = bad;
        archive::Batch batch({schema::Storage::kBytes});
        batch.column(0).append_bytes(std::string(size, 'b'));
        batch.column(0).append_bytes(value);
        EXPECT_EQ(failure(table, batch),
                  bad == '\0' ? std::string("table \"t\", column \"c\", row 102: a NUL byte "
                                            "(PostgreSQL character data cannot hold one)")
                              : fmt::format("table \"t\", column \"c\", row 102: byte {} (0xff) "
                                            "is not valid UTF-8 (PostgreSQL character data must "
                                            "be)",
                                            at + 1))
            << "size " << size << ", at " << at;
      }
    }
  }
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

// PostgreSQL's numeric(p,s) holds NaN and refuses its infinities; MariaDB's decimal holds neither.
TEST(CheckValuesFit, OnlyPostgresHoldsADecimalNan) {
  const auto table = one_column_table({TypeKind::kDecimal, 0, 5, 2});
  EXPECT_EQ(failure(table, text_batch({"1.50", "NaN"})), "fits");
  EXPECT_EQ(failure(table, text_batch({"Infinity"})),
            "table \"t\", column \"c\", row 101: \"Infinity\" is not a decimal number");
  EXPECT_THROW(check_values_fit(table, text_batch({"NaN"}), 1, "mariadb"), Error);
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


// Issue 11 item 6, "every other such case": what each target cannot hold is refused before the
// load, naming the row. PostgreSQL: NUL bytes (above), bytes that are not UTF-8, a date that is
// not in the calendar or outside PostgreSQL's years, a time past 24:00:00, a float32 a real
// cannot hold; SQLite: NaN (above). SQLite holds NUL bytes, invalid UTF-8 and infinities.
TEST(CheckValuesFit, InvalidUtf8DoesNotFitPostgresCharacterData) {
  for (const auto kind : {TypeKind::kText, TypeKind::kVarchar, TypeKind::kChar, TypeKind::kJson,
                          TypeKind::kXml}) {
    const auto table = one_column_table({kind, 10});
    EXPECT_EQ(failure(table, text_batch({"\xC3\xA9t\xC3\xA9", "\xF0\x9F\x98\x80"})), "fits");
    EXPECT_EQ(failure(table, text_batch({"ok", "a\xFF"})),
              "table \"t\", column \"c\", row 102: byte 2 (0xff) is not valid UTF-8 (PostgreSQL "
              "character data must be)");
    EXPECT_EQ(failure(table, text_batch({"\xC0\xAF"})),  // an overlong "/"
              "table \"t\", column \"c\", row 101: byte 1 (0xc0) is not valid UTF-8 (PostgreSQL "
              "character data must be)");
    EXPECT_EQ(failure(table, text_batch({"x\xED\xA0\x80"})),  // a UTF-16 surrogate
              "table \"t\", column \"c\", row 101: byte 2 (0xed) is not valid UTF-8 (PostgreSQL "
              "character data must be)");
    EXPECT_EQ(failure(table, text_batch({"\xE2\x82"})),  // cut short
              "table \"t\", column \"c\", row 101: byte 1 (0xe2) is not valid UTF-8 (PostgreSQL "
              "character data must be)");
    EXPECT_NO_THROW(check_values_fit(table, text_batch({"a\xFF"}), 101, "sqlite"));
  }
}

TEST(CheckValuesFit, DatesMustBeInTheCalendarAndInPostgresRange) {
  const auto date = one_column_table({TypeKind::kDate});
  EXPECT_EQ(failure(date, text_batch({"2024-02-29", "0044-03-15 BC", "4713-01-01 BC",
                                      "5874897-12-31", "infinity", "-infinity"})),
            "fits");
  EXPECT_EQ(failure(date, text_batch({"2023-02-29"})),
            "table \"t\", column \"c\", row 101: \"2023-02-29\" is not a date of the calendar");
  EXPECT_EQ(failure(date, text_batch({"2024-13-01"})),
            "table \"t\", column \"c\", row 101: \"2024-13-01\" is not a date of the calendar");
  EXPECT_EQ(failure(date, text_batch({"0000-01-01"})),
            "table \"t\", column \"c\", row 101: \"0000-01-01\" is not a date of the calendar");
  EXPECT_EQ(failure(date, text_batch({"5874898-01-01"})),
            "table \"t\", column \"c\", row 101: \"5874898-01-01\" is outside PostgreSQL's "
            "range for a date (4713 BC to 5874897 AD)");
  EXPECT_EQ(failure(date, text_batch({"4714-01-01 BC"})),
            "table \"t\", column \"c\", row 101: \"4714-01-01 BC\" is outside PostgreSQL's "
            "range for a date (4713 BC to 5874897 AD)");
  for (const auto kind : {TypeKind::kTimestamp, TypeKind::kTimestampTz}) {
    const auto timestamp = one_column_table({kind});
    EXPECT_EQ(failure(timestamp, text_batch({"2024-01-31 10:00:00.5", "2024-01-31T23:59:60Z",
                                             "2024-01-31 24:00:00+02", "294276-01-01 00:00:00"})),
              "fits");
    EXPECT_EQ(failure(timestamp, text_batch({"294277-01-01 00:00:00"})),
              "table \"t\", column \"c\", row 101: \"294277-01-01 00:00:00\" is outside "
              "PostgreSQL's range for a timestamp (4713 BC to 294276 AD)");
    EXPECT_EQ(failure(timestamp, text_batch({"2024-04-31 10:00:00"})),
              "table \"t\", column \"c\", row 101: \"2024-04-31 10:00:00\" is not a date of "
              "the calendar");
    EXPECT_EQ(failure(timestamp, text_batch({"2024-01-31 10:60:00"})),
              "table \"t\", column \"c\", row 101: \"2024-01-31 10:60:00\" is not a time of day");
  }
  const auto time = one_column_table({TypeKind::kTime});
  EXPECT_EQ(failure(time, text_batch({"00:00:00", "23:59:59.999", "24:00:00"})), "fits");
  EXPECT_EQ(failure(time, text_batch({"24:00:01"})),
            "table \"t\", column \"c\", row 101: \"24:00:01\" is not a time of day");
  // MariaDB's TIME is a duration, up to 838 hours either way.
  for (const char* duration : {"838:59:59", "-00:00:01", "-838:59:59.000000", "100:00:00"}) {
    EXPECT_EQ(failure(time, text_batch({duration})),
              fmt::format("table \"t\", column \"c\", row 101: \"{}\" is not a time of day",
                          duration));
  }
  EXPECT_NO_THROW(check_values_fit(date, text_batch({"2023-02-29"}), 101, "sqlite"));
}

TEST(CheckValuesFit, Float32MustFitAPostgresReal) {
  const auto table = one_column_table({TypeKind::kFloat32});
  archive::Batch fits({schema::Storage::kFloat64});
  // 3.4028235e+38 is how PostgreSQL writes the largest real: it rounds to it, not past it.
  for (const double value : {0.0, -1.5, 3.4e38, 3.4028235e38, -3.4028235e38, 1.2e-38,
                             std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()}) {
    fits.column(0).append_double(value);
  }
  EXPECT_EQ(failure(table, fits), "fits");
  for (const double value : {1e39, 3.4028236e38, -1e300, 1e-46}) {
    archive::Batch batch({schema::Storage::kFloat64});
    batch.column(0).append_double(value);
    EXPECT_EQ(failure(table, batch),
              fmt::format("table \"t\", column \"c\", row 101: {} is out of range for float32 "
                          "(PostgreSQL real)",
                          value));
    EXPECT_NO_THROW(check_values_fit(table, batch, 101, "sqlite"));
  }
  // float64 values are a PostgreSQL double precision: anything goes.
  archive::Batch wide({schema::Storage::kFloat64});
  wide.column(0).append_double(1e300);
  EXPECT_EQ(failure(one_column_table({TypeKind::kFloat64}), wide), "fits");
}

// MariaDB's LOAD DATA stores a field longer than max_allowed_packet changed rather than refuse
// it: such a value, a long one by its length, is refused before the load, by table, column, row.
TEST(ValueLengths, AValueLongerThanTheTargetsLimitIsRefusedByItsRow) {
  const auto table = one_column_table({TypeKind::kBlob});
  archive::Batch batch({schema::Storage::kBytes});
  batch.column(0).append_bytes("12345678");
  batch.column(0).append_null();
  EXPECT_NO_THROW(check_value_lengths(table, batch, 1, 8, "max_allowed_packet"));
  EXPECT_NO_THROW(check_value_lengths(table, batch, 1, 0, "max_allowed_packet"));
  batch.column(0).append_bytes("123456789");
  try {
    check_value_lengths(table, batch, 41, 8, "max_allowed_packet");
    FAIL() << "a value longer than the limit passed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "table \"t\", column \"c\", row 43: a value of 9 bytes, longer than the "
              "target's max_allowed_packet (8 bytes)");
    EXPECT_EQ(error.hints().back(),
              "raise max_allowed_packet on the target server (SET GLOBAL max_allowed_packet = "
              "1048585; MariaDB takes at most 1073741824), then restore again");
  }
  archive::Batch long_row({schema::Storage::kBytes});
  long_row.column(0).append_long(std::uint64_t{200} << 20);
  EXPECT_THROW(check_value_lengths(table, long_row, 7, 16u << 20, "max_allowed_packet"), Error);
  EXPECT_NO_THROW(check_value_lengths(table, long_row, 7, 1u << 30, "max_allowed_packet"));
}

}  // namespace
}  // namespace bru::data

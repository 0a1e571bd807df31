// COPY's binary fields for the archive's canonical values, byte for byte against the layouts of
// PostgreSQL's manual and its receive functions (date_recv, time_recv, timestamp_recv,
// numeric_recv, uuid_recv); the server reading them is tests/odbc/pg_copy_loader_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "bru/pg/copy_binary.h"

namespace bru::pg::binary {
namespace {

using schema::TypeKind;

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 15];
  }
  return out;
}

// The field as hex (length word included), "" when the encoder refused the value.
std::string field_of(Field field, std::string_view text) {
  std::string out;
  return append_bytes(out, field, text) ? hex(out) : "";
}

std::string field_of_int(Field field, std::int64_t value) {
  std::string out;
  return append_int(out, field, value) ? hex(out) : "";
}

TEST(PgCopyBinary, DatesCountDaysFrom2000) {
  EXPECT_EQ(field_of(Field::kDate, "2000-01-01"), "0000000400000000");
  EXPECT_EQ(field_of(Field::kDate, "2000-01-02"), "0000000400000001");
  EXPECT_EQ(field_of(Field::kDate, "1999-12-31"), "00000004ffffffff");
  EXPECT_EQ(field_of(Field::kDate, "2024-02-29"), "0000000400002279");  // 8825 days
  // 0001-01-01 is 730,119 days before 2000-01-01; the day before it is 1 BC's last.
  EXPECT_EQ(field_of(Field::kDate, "0001-01-01"), "00000004fff4dbf9");
  EXPECT_EQ(field_of(Field::kDate, "0001-12-31 BC"), "00000004fff4dbf8");
  EXPECT_EQ(field_of(Field::kDate, "10000-01-01"), "00000004002c95d4");  // 20 * 146097 days
  EXPECT_EQ(field_of(Field::kDate, "infinity"), "000000047fffffff");
  EXPECT_EQ(field_of(Field::kDate, "-infinity"), "0000000480000000");
}

TEST(PgCopyBinary, DatesTheCalendarLacksOrOtherSpellingsAreLeftToTheServer) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-04-31", "0000-01-01", "2024-1-31",
                           "2024-01-31T00:00:00", "24-01-31", "", "2024-01-31 "}) {
    EXPECT_EQ(field_of(Field::kDate, text), "") << text;
  }
}

TEST(PgCopyBinary, TimestampsCountMicrosecondsFrom2000InUtc) {
  EXPECT_EQ(field_of(Field::kTimestamp, "2000-01-01 00:00:00"), "000000080000000000000000");
  EXPECT_EQ(field_of(Field::kTimestamp, "2000-01-01 00:00:01.5"), "00000008000000000016e360");
  // 1970-01-01 is 946,684,800 s before 2000-01-01.
  EXPECT_EQ(field_of(Field::kTimestamp, "1970-01-01 00:00:00"), "00000008fffca2fec4c82000");
  EXPECT_EQ(field_of(Field::kTimestamp, "2000-01-01 00:00:00.000001"), "000000080000000000000001");
  EXPECT_EQ(field_of(Field::kTimestampTz, "2000-01-01 00:00:00+00"), "000000080000000000000000");
  EXPECT_EQ(field_of(Field::kTimestampTz, "2000-01-01 00:00:00"), "000000080000000000000000");
  EXPECT_EQ(field_of(Field::kTimestamp, "infinity"), "000000087fffffffffffffff");
  EXPECT_EQ(field_of(Field::kTimestampTz, "-infinity"), "000000088000000000000000");
  // A zone other than UTC, a zone on a timestamp without one (whose text input ignores it), a
  // seventh fractional digit, a leap second, 24:00:00: the server's own input rules decide.
  for (const char* text : {"2000-01-01 00:00:00+02", "2000-01-01 00:00:00.1234567",
                           "2000-01-01 23:59:60", "2000-01-01 24:00:00", "2000-01-01T00:00:00",
                           "2000-01-01 00:00", "2000-01-01 00:00:00."}) {
    EXPECT_EQ(field_of(Field::kTimestampTz, text), "") << text;
  }
  EXPECT_EQ(field_of(Field::kTimestamp, "2000-01-01 00:00:00+00"), "");
}

TEST(PgCopyBinary, TimesCountMicrosecondsFromMidnight) {
  EXPECT_EQ(field_of(Field::kTime, "00:00:00"), "000000080000000000000000");
  EXPECT_EQ(field_of(Field::kTime, "10:00:00.5"), "000000080000000861cc0920");
  EXPECT_EQ(field_of(Field::kTime, "24:00:00"), "00000008000000141dd76000");
  EXPECT_EQ(field_of(Field::kTime, "24:00:00.1"), "");
  EXPECT_EQ(field_of(Field::kTime, "12:60:00"), "");
}

TEST(PgCopyBinary, DecimalsGoInBaseTenThousandDigits) {
  // ndigits, weight, sign, dscale, digits: 1 2345 . 6700
  EXPECT_EQ(field_of(Field::kNumeric, "-12345.6700"), "0000000e000300014000000400010929" "1a2c");
  // 0.0001: leading zero groups dropped, the weight says where the point is.
  EXPECT_EQ(field_of(Field::kNumeric, "0.0001"), "0000000a0001ffff000000040001");
  // trailing zero groups dropped; the display scale keeps the text's digits.
  EXPECT_EQ(field_of(Field::kNumeric, "100000000.00"), "0000000a000100020000000200" "01");
  EXPECT_EQ(field_of(Field::kNumeric, "0"), "000000080000000000000000");
  EXPECT_EQ(field_of(Field::kNumeric, "-0.00"), "000000080000000000000002");
  EXPECT_EQ(field_of(Field::kNumeric, "NaN"), "0000000800000000c0000000");
  EXPECT_EQ(field_of(Field::kNumeric, "Infinity"), "0000000800000000d0000000");
  EXPECT_EQ(field_of(Field::kNumeric, "-Infinity"), "0000000800000000f0000000");
  for (const char* text : {"1e5", "1.", ".5", "+1", "1,5", "", "-", "0x10", "1.2.3"}) {
    EXPECT_EQ(field_of(Field::kNumeric, text), "") << text;
  }
}

TEST(PgCopyBinary, UuidsAreTheirSixteenBytes) {
  EXPECT_EQ(field_of(Field::kUuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11");
  EXPECT_EQ(field_of(Field::kUuid, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11");
  EXPECT_EQ(field_of(Field::kUuid, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"), "");
  EXPECT_EQ(field_of(Field::kUuid, "a0eebc999c0b4ef8bb6d6bb9bd380a11"), "");
  EXPECT_EQ(field_of(Field::kUuid, "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "");
}

TEST(PgCopyBinary, IntegersFitTheColumnsWidthOrGoAsText) {
  EXPECT_EQ(field_of_int(Field::kInt2, -32768), "000000028000");
  EXPECT_EQ(field_of_int(Field::kInt2, 32768), "");
  EXPECT_EQ(field_of_int(Field::kInt4, 2147483647), "000000047fffffff");
  EXPECT_EQ(field_of_int(Field::kInt4, -2147483649LL), "");
  EXPECT_EQ(field_of_int(Field::kInt8, -1), "00000008ffffffffffffffff");
  EXPECT_EQ(field_of_int(Field::kBool, 1), "0000000101");
  EXPECT_EQ(field_of_int(Field::kBool, 0), "0000000100");
}

TEST(PgCopyBinary, RealsBeyondTheirRangeGoAsText) {
  std::string out;
  EXPECT_TRUE(append_double(out, Field::kFloat4, 1.5));
  EXPECT_EQ(hex(out), "000000043fc00000");
  out.clear();
  EXPECT_TRUE(append_double(out, Field::kFloat8, -2.0));
  EXPECT_EQ(hex(out), "00000008c000000000000000");
  out.clear();
  EXPECT_FALSE(append_double(out, Field::kFloat4, 1e300));
  EXPECT_FALSE(append_double(out, Field::kFloat4, 1e-300));
  EXPECT_EQ(out, "");
}

TEST(PgCopyBinary, TextAndJsonbAreTheirBytes) {
  EXPECT_EQ(field_of(Field::kRaw, std::string_view("a\0\t\\", 4)), "0000000461" "00" "095c");
  EXPECT_EQ(field_of(Field::kJsonb, "{}"), "00000003017b7d");
  std::string out;
  append_long_start(out, Field::kJsonb, 5);
  EXPECT_EQ(hex(out), "0000000601");
}

TEST(PgCopyBinary, FieldsComeFromTheTargetTypeAndTheArchiveKindTogether) {
  EXPECT_EQ(field_for(23, TypeKind::kInt32), Field::kInt4);
  EXPECT_EQ(field_for(20, TypeKind::kInt16), Field::kInt8);
  EXPECT_EQ(field_for(16, TypeKind::kBool), Field::kBool);
  EXPECT_EQ(field_for(1184, TypeKind::kTimestampTz), Field::kTimestampTz);
  EXPECT_EQ(field_for(17, TypeKind::kBlob), Field::kRaw);
  EXPECT_EQ(field_for(3802, TypeKind::kJson), Field::kJsonb);
  // A bool into an integer column, an integer into bool, text into bytea, bytes into text, a
  // number into numeric: their text forms are what the server reads today.
  EXPECT_EQ(field_for(23, TypeKind::kBool), std::nullopt);
  EXPECT_EQ(field_for(16, TypeKind::kInt32), std::nullopt);
  EXPECT_EQ(field_for(17, TypeKind::kText), std::nullopt);
  EXPECT_EQ(field_for(25, TypeKind::kBlob), std::nullopt);
  EXPECT_EQ(field_for(1700, TypeKind::kInt64), std::nullopt);
  // interval, money, xml, an enum's or an extension's OID: no binary field.
  for (const std::uint32_t oid : {1186u, 790u, 142u, 16385u}) {
    EXPECT_EQ(field_for(oid, TypeKind::kText), std::nullopt) << oid;
  }
}

// What the server sends back in binary reads as the canonical text it came from (the server's own
// text output in UTC and ISO: PgCopyLoader and the PostgreSQL cli tests compare it with that).
TEST(PgCopyBinary, EveryCanonicalValueReadsBackAsItsTextFromItsBinaryForm) {
  const std::vector<std::pair<Field, std::vector<std::string>>> cases = {
      {Field::kNumeric,
       {"0", "0.00", "1", "-1", "10000", "9999", "12345.6700", "-0.000000000000000001",
        "0.0001", "100000000.00", "12345678901234567890.123456789012345678", "NaN", "Infinity",
        "-Infinity", "0.000000001", "1e-30" /* refused: not canonical */}},
      {Field::kDate,
       {"2024-02-29", "2000-01-01", "1999-12-31", "0001-01-01", "0044-03-15 BC", "4713-01-01 BC",
        "10000-01-01", "5874897-12-31", "infinity", "-infinity"}},
      {Field::kTime, {"00:00:00", "23:59:59.999999", "10:00:00.5", "24:00:00", "12:00:00.01"}},
      {Field::kTimestamp,
       {"2024-02-29 23:59:59.123456", "1970-01-01 00:00:00", "0044-03-15 10:00:00 BC",
        "10000-01-01 10:00:00.5", "1999-12-31 23:59:59.9", "infinity", "-infinity"}},
      {Field::kTimestampTz,
       {"2024-02-29 18:29:59.123456+00", "0044-03-15 10:00:00+00 BC", "1900-01-01 00:00:00+00"}},
      {Field::kUuid, {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000"}},
      {Field::kJsonb, {"{\"a\": 1}", ""}},
  };
  for (const auto& [field, texts] : cases) {
    for (const auto& text : texts) {
      std::string sent;
      if (!append_bytes(sent, field, text)) {
        EXPECT_EQ(text, "1e-30") << "no binary form for " << text;
        continue;
      }
      std::string read;
      ASSERT_TRUE(append_text_of(read, field, std::string_view(sent).substr(4))) << text;
      EXPECT_EQ(read, text);
    }
  }
}

TEST(PgCopyBinary, BytesThatAreNoFieldsBinaryFormAreRefused) {
  std::string out;
  EXPECT_FALSE(append_text_of(out, Field::kDate, "abc"));
  EXPECT_FALSE(append_text_of(out, Field::kUuid, std::string(15, 'x')));
  EXPECT_FALSE(append_text_of(out, Field::kTimestamp, std::string(4, '\0')));
  EXPECT_FALSE(append_text_of(out, Field::kJsonb, "{}"));  // no version byte
  // numeric: a digit count the bytes do not hold, a sign that is none, a digit over 9999
  EXPECT_FALSE(append_text_of(out, Field::kNumeric, std::string("\0\2\0\0\0\0\0\0", 8)));
  EXPECT_FALSE(append_text_of(out, Field::kNumeric, std::string("\0\0\0\0\x12\x34\0\0", 8)));
  EXPECT_FALSE(append_text_of(out, Field::kNumeric, std::string("\0\1\0\0\0\0\0\0\x27\x10", 10)));
  EXPECT_EQ(out, "");
}

TEST(PgCopyBinary, ReadsUseTheBinaryFormOnlyForTheColumnsOwnKind) {
  EXPECT_EQ(read_field_for(1082, TypeKind::kDate), Field::kDate);
  EXPECT_EQ(read_field_for(1700, TypeKind::kDecimal), Field::kNumeric);
  EXPECT_EQ(read_field_for(25, TypeKind::kVarchar), Field::kRaw);
  EXPECT_EQ(read_field_for(1082, TypeKind::kText), std::nullopt);
  EXPECT_EQ(read_field_for(3802, TypeKind::kText), std::nullopt);
  EXPECT_EQ(read_field_for(700, TypeKind::kFloat32), std::nullopt);  // a real: its shortest text
}

TEST(PgCopyBinary, TheStreamHasItsSignatureAndTrailer) {
  std::string out;
  append_header(out);
  EXPECT_EQ(hex(out), "5047434f50590aff0d0a000000000000000000");
  out.clear();
  append_field_count(out, 3);
  append_null(out);
  append_trailer(out);
  EXPECT_EQ(hex(out), "0003ffffffffffff");
}

}  // namespace
}  // namespace bru::pg::binary

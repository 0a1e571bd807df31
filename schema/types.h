// The portable type system (DESIGN §5). Every column of every engine maps to one PortableType;
// cross-engine restores go source native type -> PortableType -> target native type.
//
// Values travel between layers in one of three storage classes (see Storage), and the portable
// kind fixes the *canonical text* of the byte-stored kinds, so an archive written from one engine
// reads the same on any other, and a table's checksum can be recomputed from any target:
//   kDecimal      plain decimal text, no exponent, no leading zeros: "-12345.6700"; a type with a
//                 scale has exactly that many digits after the point (none and no point for
//                 scale 0); an unconstrained decimal keeps the digits the engine keeps
//                 (PostgreSQL: its display scale). PostgreSQL may also give "NaN"/"Infinity".
//   kDate         "YYYY-MM-DD"
//   kTime         "HH:MM:SS[.f]"
//   kTimestamp    "YYYY-MM-DD HH:MM:SS[.f]"
//   kTimestampTz  "YYYY-MM-DD HH:MM:SS[.f]+00" (always normalised to UTC)
//                 where [.f] is 1 to 6 fractional digits without trailing zeros, left out when the
//                 fraction is zero: PostgreSQL's own ISO output ("10:00:00.5", "10:00:00"). Years
//                 outside 0001-9999, BC dates and PostgreSQL's "infinity" keep PostgreSQL's text.
//   kUuid         lower-case "8-4-4-4-12" hex
//   kChar/kVarchar/kText/kJson/kXml  UTF-8 text (char(n) with its padding)
//   kBinary/kBlob raw bytes
//   kBool         int64 0/1;  kInt16/32/64  int64;  kFloat32/64  double (NaN, ±Inf kept)
// Each dialect's select_sql() produces exactly these forms (schema/engines/*/ say how).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bru::schema {

enum class TypeKind : std::uint8_t {
  kBool = 1,
  kInt16 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kFloat32 = 5,
  kFloat64 = 6,
  kDecimal = 7,      // precision/scale; precision 0 = unconstrained numeric
  kChar = 8,         // fixed length, length in characters
  kVarchar = 9,      // length in characters, 0 = unbounded
  kText = 10,        // unbounded character data (CLOB, TEXT)
  kBinary = 11,      // bounded binary (VARBINARY(n)); length 0 = unbounded
  kBlob = 12,        // unbounded binary (BLOB, BYTEA, VARBINARY(MAX))
  kDate = 13,
  kTime = 14,        // scale = fractional second digits
  kTimestamp = 15,   // scale = fractional second digits
  kTimestampTz = 16,
  kUuid = 17,
  kJson = 18,
  kXml = 19,
};

// How a value of a kind is held in memory and in archive chunks.
enum class Storage : std::uint8_t { kInt64 = 1, kFloat64 = 2, kBytes = 3 };

struct PortableType {
  TypeKind kind = TypeKind::kText;
  std::int32_t length = 0;     // characters or bytes for char/varchar/binary; 0 = unbounded
  std::int16_t precision = 0;  // decimal precision (0 = unconstrained)
  std::int16_t scale = 0;      // decimal scale; fractional-second digits for time kinds

  bool operator==(const PortableType&) const = default;
};

Storage storage_of(TypeKind kind);

// True for kinds whose values may be arbitrarily long (text, blob, unbounded varchar/binary,
// json, xml): the data path streams these instead of binding them in fixed-width arrays.
bool is_unbounded(const PortableType& type);

// Stable names used in the archive and in messages: "int32", "decimal(10,2)", "varchar(40)".
std::string to_string(const PortableType& type);
std::string_view kind_name(TypeKind kind);
// Parses what to_string() wrote; nullopt when the text is not a portable type.
std::optional<PortableType> parse_portable_type(std::string_view text);

// True for the kinds whose canonical text starts with a date: kDate, kTimestamp, kTimestampTz.
bool is_dated(TypeKind kind);
// True when the text of a dated value is one of MariaDB's (and MySQL's) zero dates: month or day
// 0 ("0000-00-00", "2024-00-00 10:00:00", "2024-05-00"). MariaDB stores them where its
// sql_mode allows; no other engine has them, and none reads them as a date.
bool is_zero_date(std::string_view text);

}  // namespace bru::schema

#include "bru/pg/copy_binary.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "schema/engines/common.h"

namespace bru::pg::binary {
namespace {

using schema::TypeKind;

// Type OIDs of the built-in types (src/include/catalog/pg_type.dat; fixed since their release).
constexpr std::uint32_t kBoolOid = 16;
constexpr std::uint32_t kByteaOid = 17;
constexpr std::uint32_t kInt8Oid = 20;
constexpr std::uint32_t kInt2Oid = 21;
constexpr std::uint32_t kInt4Oid = 23;
constexpr std::uint32_t kTextOid = 25;
constexpr std::uint32_t kJsonOid = 114;
constexpr std::uint32_t kFloat4Oid = 700;
constexpr std::uint32_t kFloat8Oid = 701;
constexpr std::uint32_t kBpcharOid = 1042;
constexpr std::uint32_t kVarcharOid = 1043;
constexpr std::uint32_t kDateOid = 1082;
constexpr std::uint32_t kTimeOid = 1083;
constexpr std::uint32_t kTimestampOid = 1114;
constexpr std::uint32_t kTimestampTzOid = 1184;
constexpr std::uint32_t kNumericOid = 1700;
constexpr std::uint32_t kUuidOid = 2950;
constexpr std::uint32_t kJsonbOid = 3802;

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

template <typename T>
void put(std::string& out, T value) {
  static_assert(std::is_integral_v<T>);
  using Unsigned = std::make_unsigned_t<T>;
  auto word = static_cast<Unsigned>(value);
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) {
    if constexpr (sizeof(T) == 2) word = __builtin_bswap16(word);
    if constexpr (sizeof(T) == 4) word = __builtin_bswap32(word);
    if constexpr (sizeof(T) == 8) word = __builtin_bswap64(word);
  }
  char bytes[sizeof(T)];
  std::memcpy(bytes, &word, sizeof word);
  out.append(bytes, sizeof bytes);
}

void put_length(std::string& out, std::size_t length) { put(out, static_cast<std::int32_t>(length)); }

bool is_binary_kind(TypeKind kind) { return kind == TypeKind::kBinary || kind == TypeKind::kBlob; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at pos (advancing it); nullopt unless all are digits.
std::optional<int> fixed_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t idx = 0; idx < count; ++idx) {
    const char c = text[pos + idx];
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

// Days from 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC), as in "chrono-compatible
// low-level date algorithms" (H. Hinnant); exact for every year PostgreSQL holds.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

const std::int64_t kPostgresEpochDays = days_from_civil(2000, 1, 1);

bool leap_year(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// "YYYY-MM-DD" (four or more year digits) at the start of text: days since 2000-01-01, the
// " BC" suffix left to the caller (bc tells). nullopt for anything else or a date the calendar
// does not have.
std::optional<std::int64_t> read_date(std::string_view text, std::size_t& pos, bool bc) {
  std::int64_t year = 0;
  std::size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos]) && digits < 8) {
    year = year * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits < 4 || pos >= text.size() || text[pos] != '-' || year == 0) return std::nullopt;
  ++pos;
  const auto month = fixed_digits(text, pos, 2);
  if (!month || pos >= text.size() || text[pos] != '-') return std::nullopt;
  ++pos;
  const auto day = fixed_digits(text, pos, 2);
  if (!day) return std::nullopt;
  if (bc) year = 1 - year;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12 || *day < 1 ||
      *day > kDaysInMonth[*month - 1] + (*month == 2 && leap_year(year) ? 1 : 0)) {
    return std::nullopt;
  }
  return days_from_civil(year, *month, *day) - kPostgresEpochDays;
}

// "HH:MM:SS[.f]" (f: 1 to 6 digits): microseconds since midnight; 24:00:00 only when allowed
// (a time of day may be it; a timestamp's time is never written so).
std::optional<std::int64_t> read_time(std::string_view text, std::size_t& pos, bool allow_24) {
  const auto hours = fixed_digits(text, pos, 2);
  if (!hours || pos >= text.size() || text[pos] != ':') return std::nullopt;
  ++pos;
  const auto minutes = fixed_digits(text, pos, 2);
  if (!minutes || pos >= text.size() || text[pos] != ':') return std::nullopt;
  ++pos;
  const auto seconds = fixed_digits(text, pos, 2);
  if (!seconds) return std::nullopt;
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (++digits > 6) return std::nullopt;
      fraction = fraction * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) fraction *= 10;
  }
  const std::int64_t micros =
      ((*hours * 60 + *minutes) * 60 + *seconds) * kMicrosPerSecond + fraction;
  if (*minutes > 59 || *seconds > 59) return std::nullopt;
  if (*hours > 23 && !(allow_24 && micros == kMicrosPerDay)) return std::nullopt;
  return micros;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool append_date(std::string& out, std::string_view text) {
  std::int32_t days = 0;
  if (text == "infinity") {
    days = std::numeric_limits<std::int32_t>::max();
  } else if (text == "-infinity") {
    days = std::numeric_limits<std::int32_t>::min();
  } else {
    const bool bc = ends_with(text, " BC");
    if (bc) text.remove_suffix(3);
    std::size_t pos = 0;
    const auto read = read_date(text, pos, bc);
    // The server checks the range (4713 BC to 5874897 AD) as it does for text.
    if (!read || pos != text.size() || *read <= std::numeric_limits<std::int32_t>::min() ||
        *read >= std::numeric_limits<std::int32_t>::max()) {
      return false;
    }
    days = static_cast<std::int32_t>(*read);
  }
  put_length(out, 4);
  put(out, days);
  return true;
}

bool append_time(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  const auto micros = read_time(text, pos, true);
  if (!micros || pos != text.size()) return false;
  put_length(out, 8);
  put(out, *micros);
  return true;
}

// timestamp: "YYYY-MM-DD HH:MM:SS[.f][ BC]"; timestamptz also with "+00" before " BC" (bru's
// sessions read in UTC; text without an offset is read in the session's zone, UTC, as well).
bool append_timestamp(std::string& out, std::string_view text, bool with_zone) {
  std::int64_t micros = 0;
  if (text == "infinity") {
    micros = std::numeric_limits<std::int64_t>::max();
  } else if (text == "-infinity") {
    micros = std::numeric_limits<std::int64_t>::min();
  } else {
    const bool bc = ends_with(text, " BC");
    if (bc) text.remove_suffix(3);
    if (with_zone && ends_with(text, "+00")) text.remove_suffix(3);
    std::size_t pos = 0;
    const auto days = read_date(text, pos, bc);
    if (!days || pos >= text.size() || text[pos] != ' ') return false;
    ++pos;
    const auto time = read_time(text, pos, false);
    // 294277 AD is past int64 microseconds; the server checks the range below it.
    if (!time || pos != text.size() || *days > 106'000'000 || *days < -3'000'000) return false;
    micros = *days * kMicrosPerDay + *time;
  }
  put_length(out, 8);
  put(out, micros);
  return true;
}

// numeric's binary form: digit count, weight of the first digit, sign, display scale, then the
// digits in base 10,000 (PostgreSQL's NumericVar). Plain decimal text only ("-12.50", "NaN",
// "Infinity"); an exponent or anything else is left to the server's text input.
bool append_numeric(std::string& out, std::string_view text) {
  constexpr std::int16_t kPositive = 0x0000;
  constexpr std::int16_t kNegative = 0x4000;
  constexpr auto kNaN = static_cast<std::int16_t>(0xC000);
  constexpr auto kPlusInfinity = static_cast<std::int16_t>(0xD000);
  constexpr auto kMinusInfinity = static_cast<std::int16_t>(0xF000);
  auto special = [&](std::int16_t sign) {
    put_length(out, 8);
    put<std::int16_t>(out, 0);
    put<std::int16_t>(out, 0);
    put(out, sign);
    put<std::int16_t>(out, 0);
    return true;
  };
  if (text == "NaN") return special(kNaN);
  if (text == "Infinity") return special(kPlusInfinity);
  if (text == "-Infinity") return special(kMinusInfinity);

  std::int16_t sign = kPositive;
  if (!text.empty() && text.front() == '-') {
    sign = kNegative;
    text.remove_prefix(1);
  }
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.empty() || (point != std::string_view::npos && fraction.empty()) ||
      whole.size() + fraction.size() > 4000) {
    return false;
  }
  for (const char c : whole) {
    if (!is_digit(c)) return false;
  }
  for (const char c : fraction) {
    if (!is_digit(c)) return false;
  }
  // Groups of four digits around the point: the whole part padded on the left, the fraction
  // on the right.
  std::vector<std::int16_t> groups;
  groups.reserve((whole.size() + fraction.size()) / 4 + 2);
  const std::size_t lead = (4 - whole.size() % 4) % 4;
  int group = 0;
  std::size_t filled = lead;
  for (const char c : whole) {
    group = group * 10 + (c - '0');
    if (++filled == 4) {
      groups.push_back(static_cast<std::int16_t>(group));
      group = 0;
      filled = 0;
    }
  }
  const auto whole_groups = static_cast<std::int32_t>(groups.size());
  for (const char c : fraction) {
    group = group * 10 + (c - '0');
    if (++filled == 4) {
      groups.push_back(static_cast<std::int16_t>(group));
      group = 0;
      filled = 0;
    }
  }
  if (filled > 0) {
    for (; filled < 4; ++filled) group *= 10;
    groups.push_back(static_cast<std::int16_t>(group));
  }
  std::int32_t weight = whole_groups - 1;
  std::size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  std::size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) {  // zero
    weight = 0;
    sign = kPositive;
  }
  const std::size_t count = last - first;
  put_length(out, 8 + 2 * count);
  put(out, static_cast<std::int16_t>(count));
  put(out, static_cast<std::int16_t>(weight));
  put(out, sign);
  put(out, static_cast<std::int16_t>(fraction.size()));
  for (std::size_t idx = first; idx < last; ++idx) put(out, groups[idx]);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "8-4-4-4-12" hex digits; PostgreSQL's other spellings (braces, no hyphens) go as text.
bool append_uuid(std::string& out, std::string_view text) {
  if (text.size() != 36) return false;
  char bytes[16];
  std::size_t byte = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
      if (text[pos] != '-') return false;
      ++pos;
      continue;
    }
    const int high = hex_value(text[pos]);
    const int low = hex_value(text[pos + 1]);
    if (high < 0 || low < 0) return false;
    bytes[byte++] = static_cast<char>(high * 16 + low);
    pos += 2;
  }
  put_length(out, 16);
  out.append(bytes, sizeof bytes);
  return true;
}

template <typename T>
T get(std::string_view bytes, std::size_t at) {
  using Unsigned = std::make_unsigned_t<T>;
  Unsigned word = 0;
  for (std::size_t idx = 0; idx < sizeof(T); ++idx) {
    word = static_cast<Unsigned>((word << 8) | static_cast<unsigned char>(bytes[at + idx]));
  }
  return static_cast<T>(word);
}

// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's civil_from_days).
struct Civil {
  std::int64_t year;
  int month;
  int day;
};

Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void append_padded(std::string& out, std::int64_t value, int width) {
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int pad = count; pad < width; ++pad) out += '0';
  while (count > 0) out += digits[--count];
}

// "YYYY-MM-DD" of a day count from 2000-01-01; whether it is BC (its " BC" goes at the end).
bool append_date_of(std::string& out, std::int64_t days) {
  const auto civil = civil_from_days(days + kPostgresEpochDays);
  const bool bc = civil.year <= 0;
  append_padded(out, bc ? 1 - civil.year : civil.year, 4);
  out += '-';
  append_padded(out, civil.month, 2);
  out += '-';
  append_padded(out, civil.day, 2);
  return bc;
}

// "HH:MM:SS[.f]": the fraction without its trailing zeros, none when it is zero.
void append_time_of(std::string& out, std::int64_t micros) {
  const std::int64_t seconds = micros / kMicrosPerSecond;
  std::int64_t fraction = micros % kMicrosPerSecond;
  append_padded(out, seconds / 3600, 2);
  out += ':';
  append_padded(out, seconds / 60 % 60, 2);
  out += ':';
  append_padded(out, seconds % 60, 2);
  if (fraction == 0) return;
  int digits = 6;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  out += '.';
  append_padded(out, fraction, digits);
}

bool text_of_timestamp(std::string& out, std::string_view binary, bool with_zone) {
  if (binary.size() != 8) return false;
  const auto micros = get<std::int64_t>(binary, 0);
  if (micros == std::numeric_limits<std::int64_t>::max()) {
    out += "infinity";
    return true;
  }
  if (micros == std::numeric_limits<std::int64_t>::min()) {
    out += "-infinity";
    return true;
  }
  std::int64_t days = micros / kMicrosPerDay;
  std::int64_t time = micros % kMicrosPerDay;
  if (time < 0) {
    time += kMicrosPerDay;
    --days;
  }
  const bool bc = append_date_of(out, days);
  out += ' ';
  append_time_of(out, time);
  if (with_zone) out += "+00";
  if (bc) out += " BC";
  return true;
}

// numeric_out's text: the whole part (at least "0"), then the display scale's digits.
bool text_of_numeric(std::string& out, std::string_view binary) {
  if (binary.size() < 8) return false;
  const auto count = get<std::int16_t>(binary, 0);
  const auto weight = get<std::int16_t>(binary, 2);
  const auto sign = get<std::uint16_t>(binary, 4);
  const auto scale = get<std::int16_t>(binary, 6);
  if (count < 0 || scale < 0 || binary.size() != 8 + 2 * static_cast<std::size_t>(count)) {
    return false;
  }
  switch (sign) {
    case 0xC000: out += "NaN"; return true;
    case 0xD000: out += "Infinity"; return true;
    case 0xF000: out += "-Infinity"; return true;
    case 0x0000: break;
    case 0x4000: out += '-'; break;
    default: return false;
  }
  auto group = [&](std::int32_t position) -> int {  // position 0: the first digit's group
    if (position < 0 || position >= count) return 0;
    return get<std::int16_t>(binary, 8 + 2 * static_cast<std::size_t>(position));
  };
  if (weight < 0) {
    out += '0';
  } else {
    for (std::int32_t position = 0; position <= weight; ++position) {
      const int value = group(position);
      if (value < 0 || value > 9999) return false;
      append_padded(out, value, position == 0 ? 1 : 4);
    }
  }
  if (scale == 0) return true;
  out += '.';
  std::int32_t written = 0;
  for (std::int32_t position = weight + 1; written < scale; ++position) {
    const int value = group(position);
    if (value < 0 || value > 9999) return false;
    char digits[4];
    for (int idx = 3, rest = value; idx >= 0; --idx, rest /= 10) {
      digits[idx] = static_cast<char>('0' + rest % 10);
    }
    const int take = std::min<std::int32_t>(4, scale - written);
    out.append(digits, static_cast<std::size_t>(take));
    written += take;
  }
  return true;
}

bool text_of_uuid(std::string& out, std::string_view binary) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (binary.size() != 16) return false;
  for (std::size_t idx = 0; idx < 16; ++idx) {
    if (idx == 4 || idx == 6 || idx == 8 || idx == 10) out += '-';
    const auto byte = static_cast<unsigned char>(binary[idx]);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 15];
  }
  return true;
}

}  // namespace

std::optional<Field> read_field_for(std::uint32_t type_oid, TypeKind kind) {
  const auto field = field_for(type_oid, kind);
  if (!field) return std::nullopt;
  auto only = [&](TypeKind own) { return kind == own ? field : std::nullopt; };
  switch (*field) {
    case Field::kFloat4: return std::nullopt;
    case Field::kNumeric: return only(TypeKind::kDecimal);
    case Field::kUuid: return only(TypeKind::kUuid);
    case Field::kDate: return only(TypeKind::kDate);
    case Field::kTime: return only(TypeKind::kTime);
    case Field::kTimestamp: return only(TypeKind::kTimestamp);
    case Field::kTimestampTz: return only(TypeKind::kTimestampTz);
    case Field::kJsonb: return only(TypeKind::kJson);
    default: return field;
  }
}

std::optional<Field> field_for(std::uint32_t type_oid, TypeKind kind) {
  const auto storage = schema::storage_of(kind);
  const bool ints = storage == schema::Storage::kInt64 && kind != TypeKind::kBool;
  const bool doubles = storage == schema::Storage::kFloat64;
  const bool text = storage == schema::Storage::kBytes && !is_binary_kind(kind);
  switch (type_oid) {
    case kBoolOid: if (kind == TypeKind::kBool) return Field::kBool; break;
    case kInt2Oid: if (ints) return Field::kInt2; break;
    case kInt4Oid: if (ints) return Field::kInt4; break;
    case kInt8Oid: if (ints) return Field::kInt8; break;
    case kFloat4Oid: if (doubles) return Field::kFloat4; break;
    case kFloat8Oid: if (doubles) return Field::kFloat8; break;
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kJsonOid: if (text) return Field::kRaw; break;
    case kByteaOid: if (is_binary_kind(kind)) return Field::kRaw; break;
    case kJsonbOid: if (text) return Field::kJsonb; break;
    case kNumericOid: if (kind == TypeKind::kDecimal) return Field::kNumeric; break;
    case kUuidOid: if (text) return Field::kUuid; break;
    case kDateOid: if (text) return Field::kDate; break;
    case kTimeOid: if (text) return Field::kTime; break;
    case kTimestampOid: if (text) return Field::kTimestamp; break;
    case kTimestampTzOid: if (text) return Field::kTimestampTz; break;
    default: break;
  }
  return std::nullopt;
}

std::string column_types_sql(const schema::Dialect& dialect, const schema::Table& table) {
  std::string names;
  for (const auto& column : table.columns) {
    if (!names.empty()) names += ", ";
    names += schema::dialects::string_literal(column.name);
  }
  // A domain by its base type (a domain over a domain stays a domain: text for it).
  return fmt::format(
      "SELECT string_agg(CAST(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS "
      "text), ',' ORDER BY c.n) FROM unnest(CAST(ARRAY[{}] AS text[])) WITH ORDINALITY AS c(name, "
      "n) JOIN pg_attribute a ON a.attrelid = CAST({} AS regclass) AND a.attname = c.name AND "
      "a.attnum > 0 AND NOT a.attisdropped JOIN pg_type t ON t.oid = a.atttypid",
      names, schema::dialects::string_literal(dialect.qualified_name(table)));
}

std::vector<std::uint32_t> column_type_oids(Session& session, const schema::Dialect& dialect,
                                           const schema::Table& table) {
  const auto listed = session.query_value(column_types_sql(dialect, table));
  std::vector<std::uint32_t> oids;
  for (std::size_t pos = 0; !listed.empty() && pos <= listed.size();) {
    const auto comma = std::min(listed.find(',', pos), listed.size());
    std::uint32_t oid = 0;
    const auto parsed = std::from_chars(listed.data() + pos, listed.data() + comma, oid);
    if (parsed.ec != std::errc{} || parsed.ptr != listed.data() + comma) return {};
    oids.push_back(oid);
    pos = comma + 1;
  }
  if (oids.size() != table.columns.size()) return {};
  return oids;
}

bool takes_pieces(Field field) { return field == Field::kRaw || field == Field::kJsonb; }

void append_header(std::string& out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and its NUL: 11 bytes
  out.append(kSignature, sizeof kSignature);
  put<std::int32_t>(out, 0);  // flags: no OIDs
  put<std::int32_t>(out, 0);  // header extension length
}

void append_trailer(std::string& out) { put<std::int16_t>(out, -1); }

void append_field_count(std::string& out, std::size_t fields) {
  put(out, static_cast<std::int16_t>(fields));
}

void append_null(std::string& out) { put<std::int32_t>(out, -1); }

void append_long_start(std::string& out, Field field, std::uint64_t length) {
  if (field == Field::kJsonb) {
    put_length(out, length + 1);
    out += '\1';
    return;
  }
  put_length(out, length);
}

bool append_int(std::string& out, Field field, std::int64_t value) {
  switch (field) {
    case Field::kBool:
      put_length(out, 1);
      out += value != 0 ? '\1' : '\0';
      return true;
    case Field::kInt2:
      if (value < std::numeric_limits<std::int16_t>::min() ||
          value > std::numeric_limits<std::int16_t>::max()) {
        return false;
      }
      put_length(out, 2);
      put(out, static_cast<std::int16_t>(value));
      return true;
    case Field::kInt4:
      if (value < std::numeric_limits<std::int32_t>::min() ||
          value > std::numeric_limits<std::int32_t>::max()) {
        return false;
      }
      put_length(out, 4);
      put(out, static_cast<std::int32_t>(value));
      return true;
    case Field::kInt8:
      put_length(out, 8);
      put(out, value);
      return true;
    default:
      return false;
  }
}

bool append_double(std::string& out, Field field, double value) {
  if (field == Field::kFloat8) {
    put_length(out, 8);
    put(out, std::bit_cast<std::int64_t>(value));
    return true;
  }
  if (field == Field::kFloat4) {
    // Beyond real's range, or a value it would round to zero: the server refuses the text.
    const auto narrowed = static_cast<float>(value);
    if ((std::isinf(narrowed) && !std::isinf(value)) || (narrowed == 0 && value != 0)) return false;
    put_length(out, 4);
    put(out, std::bit_cast<std::int32_t>(narrowed));
    return true;
  }
  return false;
}

bool append_text_of(std::string& out, Field field, std::string_view binary) {
  switch (field) {
    case Field::kRaw:
      out.append(binary);
      return true;
    case Field::kJsonb:
      if (binary.empty() || binary.front() != '\1') return false;
      out.append(binary.substr(1));
      return true;
    case Field::kNumeric: return text_of_numeric(out, binary);
    case Field::kUuid: return text_of_uuid(out, binary);
    case Field::kDate: {
      if (binary.size() != 4) return false;
      const auto days = get<std::int32_t>(binary, 0);
      if (days == std::numeric_limits<std::int32_t>::max()) {
        out += "infinity";
      } else if (days == std::numeric_limits<std::int32_t>::min()) {
        out += "-infinity";
      } else if (append_date_of(out, days)) {
        out += " BC";
      }
      return true;
    }
    case Field::kTime: {
      if (binary.size() != 8) return false;
      const auto micros = get<std::int64_t>(binary, 0);
      if (micros < 0 || micros > kMicrosPerDay) return false;
      append_time_of(out, micros);
      return true;
    }
    case Field::kTimestamp: return text_of_timestamp(out, binary, false);
    case Field::kTimestampTz: return text_of_timestamp(out, binary, true);
    default: return false;
  }
}

bool append_bytes(std::string& out, Field field, std::string_view value) {
  switch (field) {
    case Field::kRaw:
      put_length(out, value.size());
      out.append(value);
      return true;
    case Field::kJsonb:
      put_length(out, value.size() + 1);
      out += '\1';
      out.append(value);
      return true;
    case Field::kNumeric: return append_numeric(out, value);
    case Field::kUuid: return append_uuid(out, value);
    case Field::kDate: return append_date(out, value);
    case Field::kTime: return append_time(out, value);
    case Field::kTimestamp: return append_timestamp(out, value, false);
    case Field::kTimestampTz: return append_timestamp(out, value, true);
    default: return false;
  }
}

}  // namespace bru::pg::binary

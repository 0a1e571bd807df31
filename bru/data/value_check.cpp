#include "bru/data/value_check.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "schema/error.h"

namespace bru::data {
namespace {

using schema::TypeKind;

// The least double that rounds to infinity as a float: (2 - 2^-24) * 2^127.
constexpr double kFloatOverflow = 0x1.ffffffp+127;

// Whether text is ASCII without a NUL byte, read 8 bytes at a time: then it is valid UTF-8 and
// holds as many characters as bytes, and the byte-wise checks below can be skipped (most text is).
bool plain_ascii(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighBits = 0x8080808080808080u;
  std::size_t pos = 0;
  for (; pos + sizeof(std::uint64_t) <= text.size(); pos += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + pos, sizeof word);
    // A byte with its high bit set, or a zero byte (the classic has-zero-byte test).
    if ((word & kHighBits) != 0 || ((word - kOnes) & ~word & kHighBits) != 0) return false;
  }
  for (; pos < text.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte == 0 || byte >= 0x80) return false;
  }
  return true;
}

std::size_t utf8_characters(std::string_view text) {
  std::size_t characters = 0;
  for (const unsigned char byte : text) characters += (byte & 0xC0) != 0x80;
  return characters;
}

// Digits before and after the point of a canonical decimal ("-123.4500"); nullopt if the text
// is not a plain decimal.
struct DecimalDigits {
  int integer = 0;
  int fraction = 0;
};
std::optional<DecimalDigits> decimal_digits(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  DecimalDigits digits;
  bool seen_point = false;
  bool leading = true;
  if (text.empty()) return std::nullopt;
  for (const char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    if (seen_point) {
      ++digits.fraction;
    } else if (!(leading && c == '0')) {
      leading = false;
      ++digits.integer;
    }
  }
  // Trailing zeros of the fraction do not need scale.
  for (auto it = text.rbegin(); seen_point && digits.fraction > 0 && *it == '0'; ++it) {
    --digits.fraction;
  }
  return digits;
}

// The byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points past U+10FFFF included, as PostgreSQL refuses them), or npos.
std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07, minimum = 0x10000;
    } else {
      return pos;
    }
    if (pos + length > text.size()) return pos;
    for (std::size_t idx = 1; idx < length; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + idx]);
      if ((next & 0xC0) != 0x80) return pos;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

// Reads an unsigned decimal number of at least min_digits digits at text[pos]; advances pos.
std::optional<long long> read_number(std::string_view text, std::size_t& pos,
                                     std::size_t min_digits, std::size_t max_digits) {
  std::size_t digits = 0;
  long long value = 0;
  while (pos < text.size() && digits < max_digits &&
         std::isdigit(static_cast<unsigned char>(text[pos]))) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits < min_digits) return std::nullopt;
  return value;
}

bool leap_year(long long year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Why PostgreSQL would refuse this date, time or timestamp text as a value of `kind`, or ""
// when it reads it. Checks the forms bru's readers produce ("2024-01-31", "10000-01-01",
// "0044-03-15 BC", "2024-01-31 10:00:00.5+02", "...T...Z", "10:00:00"): a calendar date that does
// not exist, a time past 24:00:00, a year outside PostgreSQL's range (4713 BC to 5874897 AD for
// a date, to 294276 AD for a timestamp). Text bru does not recognise is left to the server.
std::string postgres_datetime_problem(TypeKind kind, std::string_view text) {
  if (text == "infinity" || text == "-infinity") return {};
  std::size_t pos = 0;
  auto check_time = [&]() -> std::string {
    // MariaDB's TIME is a duration: -838:59:59 to 838:59:59.
    if (!text.empty() && text.front() == '-') return fmt::format("\"{}\" is not a time of day", text);
    const auto hours = read_number(text, pos, 2, 3);
    if (!hours || pos >= text.size() || text[pos] != ':') return {};
    ++pos;
    const auto minutes = read_number(text, pos, 2, 2);
    if (!minutes) return {};
    long long seconds = 0;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      const auto read = read_number(text, pos, 2, 2);
      if (!read) return {};
      seconds = *read;
    }
    bool fraction = false;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        fraction = fraction || text[pos] != '0';
        ++pos;
      }
    }
    const bool midnight = *hours == 24 && *minutes == 0 && seconds == 0 && !fraction;
    if ((*hours > 23 && !midnight) || *minutes > 59 || seconds > 60) {
      return fmt::format("\"{}\" is not a time of day", text);
    }
    return {};
  };
  if (kind == TypeKind::kTime) return check_time();

  const auto year = read_number(text, pos, 4, 8);
  if (!year || pos >= text.size() || text[pos] != '-') return {};
  ++pos;
  const auto month = read_number(text, pos, 2, 2);
  if (!month || pos >= text.size() || text[pos] != '-') return {};
  ++pos;
  const auto day = read_number(text, pos, 2, 2);
  if (!day) return {};
  const bool before_christ = text.size() >= 3 && text.substr(text.size() - 3) == " BC";
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  // Year 1 BC is a leap year in the proleptic Gregorian calendar PostgreSQL uses.
  const long long calendar_year = before_christ ? 1 - *year : *year;
  const bool leap = leap_year(calendar_year < 0 ? -calendar_year : calendar_year);
  if (*year == 0 || *month < 1 || *month > 12 || *day < 1 ||
      *day > kDaysInMonth[*month - 1] + (*month == 2 && leap ? 1 : 0)) {
    return fmt::format("\"{}\" is not a date of the calendar", text);
  }
  const long long last_year = kind == TypeKind::kDate ? 5874897 : 294276;
  if ((before_christ && *year > 4713) || (!before_christ && *year > last_year)) {
    return fmt::format("\"{}\" is outside PostgreSQL's range for {} (4713 BC to {} AD)", text,
                       kind == TypeKind::kDate ? "a date" : "a timestamp", last_year);
  }
  if (kind != TypeKind::kDate && pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    ++pos;
    return check_time();
  }
  return {};
}

}  // namespace

void check_values_fit(const schema::Table& table, const archive::Batch& batch,
                      std::int64_t first_row_number, std::string_view target_dialect) {
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column_def = table.columns[column_idx];
    const auto& type = column_def.type;
    const auto& column = batch.column(column_idx);
    auto fail = [&](std::size_t row, const std::string& why, std::string hint = {}) {
      if (hint.empty()) {
        hint = fmt::format("the {} target cannot hold this value in a column of type {}; fix the "
                           "value in the source (or exclude the table with -EXCLUDE) and back up "
                           "again; nothing was restored",
                           target_dialect, schema::to_string(type));
      }
      throw Error(
          ErrorKind::kTypeMapping,
          fmt::format("table \"{}\", column \"{}\", row {}: {}", table.display_name(),
                      column_def.name, first_row_number + static_cast<std::int64_t>(row), why))
          .with_hint(std::move(hint));
    };
    // SQLite TEXT may hold NUL bytes; PostgreSQL text cannot (its drivers would cut the value).
    // Nor bytes that are not UTF-8: bru's PostgreSQL databases are UTF8, and the server would
    // refuse the whole batch (22021) without saying which row.
    auto check_no_nul = [&](std::size_t row) {
      if (target_dialect != "postgres") return;
      const auto bytes = column.bytes_at(row);
      if (plain_ascii(bytes)) return;
      if (bytes.find('\0') != std::string_view::npos) {
        fail(row, "a NUL byte (PostgreSQL character data cannot hold one)");
      }
      if (const auto at = invalid_utf8_at(bytes); at != std::string_view::npos) {
        fail(row, fmt::format("byte {} (0x{:02x}) is not valid UTF-8 (PostgreSQL character data "
                              "must be)",
                              at + 1, static_cast<unsigned char>(bytes[at])));
      }
    };
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (column.is_null(row)) {
        if (!column_def.nullable) fail(row, "NULL in a NOT NULL column");
        continue;
      }
      // A long value's bytes come later, in pieces: the target's own checks see them (a refused
      // value is still exit 11, from the driver's SQLSTATE, without the row).
      if (column.is_long(row)) continue;
      switch (type.kind) {
        case TypeKind::kInt16:
        case TypeKind::kInt32: {
          const auto value = column.int_at(row);
          const std::int64_t limit = type.kind == TypeKind::kInt16
                                         ? std::numeric_limits<std::int16_t>::max()
                                         : std::numeric_limits<std::int32_t>::max();
          if (value > limit || value < -limit - 1) {
            fail(row, fmt::format("{} is out of range for {}", value, schema::to_string(type)));
          }
          break;
        }
        case TypeKind::kBool: {
          const auto value = column.int_at(row);
          if (value != 0 && value != 1)
            fail(row, fmt::format("{} is not a boolean (0 or 1)", value));
          break;
        }
        case TypeKind::kText:
        case TypeKind::kJson:
        case TypeKind::kXml:
          check_no_nul(row);
          break;
        case TypeKind::kChar:
        case TypeKind::kVarchar: {
          check_no_nul(row);
          if (type.length <= 0) break;
          const auto bytes = column.bytes_at(row);
          if (bytes.size() <= static_cast<std::size_t>(type.length)) break;  // characters <= bytes
          const auto characters = utf8_characters(bytes);
          if (characters > static_cast<std::size_t>(type.length)) {
            fail(row,
                 fmt::format("{} characters do not fit {}", characters, schema::to_string(type)));
          }
          break;
        }
        case TypeKind::kBinary: {
          if (type.length <= 0) break;
          const auto bytes = column.bytes_at(row).size();
          if (bytes > static_cast<std::size_t>(type.length)) {
            fail(row, fmt::format("{} bytes do not fit {}", bytes, schema::to_string(type)));
          }
          break;
        }
        case TypeKind::kDecimal: {
          if (type.precision <= 0) break;
          const auto text = column.bytes_at(row);
          // PostgreSQL's numeric(p,s) holds NaN (its infinities only without a typmod).
          if (target_dialect == "postgres" && text == "NaN") break;
          const auto digits = decimal_digits(text);
          if (!digits) {
            fail(row, fmt::format("\"{}\" is not a decimal number", text));
          } else if (digits->fraction > type.scale ||
                     digits->integer > type.precision - type.scale) {
            fail(row,
                 fmt::format("{} does not fit {} without rounding", text, schema::to_string(type)));
          }
          break;
        }
        case TypeKind::kFloat32:
        case TypeKind::kFloat64: {
          const double value = column.double_at(row);
          // SQLite stores a NaN as NULL: caught here, not as a checksum mismatch after the load.
          if (target_dialect == "sqlite" && std::isnan(value)) {
            fail(row, "NaN (SQLite stores NaN as NULL)");
          }
          // PostgreSQL's real refuses what a 4-byte float cannot hold (22003), over- and
          // underflow alike; infinities and NaN it holds.
          if (target_dialect == "postgres" && type.kind == TypeKind::kFloat32 &&
              std::isfinite(value)) {
            // Compared, not converted: a double past float's range converted to float is
            // undefined behaviour. From halfway between the largest float and 2^128 a value
            // rounds to infinity (3.4028235e+38, the largest float's shortest text, does not);
            // below half the smallest subnormal it rounds to zero.
            const double magnitude = std::fabs(value);
            if (magnitude >= kFloatOverflow ||
                (value != 0.0 &&
                 magnitude <= std::numeric_limits<float>::denorm_min() / 2.0)) {
              fail(row, fmt::format("{} is out of range for float32 (PostgreSQL real)", value));
            }
          }
          break;
        }
        case TypeKind::kDate:
        case TypeKind::kTime:
        case TypeKind::kTimestamp:
        case TypeKind::kTimestampTz: {
          // MariaDB's zero dates: no other engine holds one (SQLite would keep the text, which
          // no date function reads), and -ZERO-DATES null has already made them NULL.
          if (target_dialect != "mariadb" && schema::is_dated(type.kind) &&
              schema::is_zero_date(column.bytes_at(row))) {
            fail(row,
                 fmt::format("the zero date \"{}\", which {} cannot hold",
                             column.bytes_at(row), target_dialect),
                 "give -ZERO-DATES null to restore zero dates as NULL (each column is named in "
                 "the report), or restore into mariadb; nothing was restored");
          }
          if (target_dialect != "postgres") break;
          const auto problem = postgres_datetime_problem(type.kind, column.bytes_at(row));
          if (!problem.empty()) fail(row, problem);
          break;
        }
        default:
          break;
      }
    }
  }
}

void check_value_lengths(const schema::Table& table, const archive::Batch& batch,
                         std::int64_t first_row_number, std::uint64_t max_bytes,
                         std::string_view limit_name) {
  // Most batches hold fewer bytes in all than the limit: no value of theirs can be over it, and
  // the rows need not be looked at (this runs for every batch of a restore into MariaDB).
  if (max_bytes == 0 || (!batch.has_long() && batch.value_bytes() <= max_bytes)) return;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto& column = batch.column(column_idx);
    if (column.storage() != schema::Storage::kBytes) continue;
    for (std::size_t row = 0; row < batch.row_count(); ++row) {
      const std::uint64_t length =
          column.is_long(row) ? column.long_length(row)
                              : (column.is_null(row) ? 0 : column.bytes_at(row).size());
      if (length <= max_bytes) continue;
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("table \"{}\", column \"{}\", row {}: a value of {} bytes, longer "
                              "than the target's {} ({} bytes)",
                              table.display_name(), table.columns[column_idx].name,
                              first_row_number + static_cast<std::int64_t>(row), length,
                              limit_name, max_bytes))
          .with_hint(fmt::format("raise {0} on the target server (SET GLOBAL {0} = {1}; MariaDB "
                                 "takes at most 1073741824), then restore again",
                                 limit_name,
                                 std::min<std::uint64_t>(length + (1u << 20), 1u << 30)));
    }
  }
}

}  // namespace bru::data

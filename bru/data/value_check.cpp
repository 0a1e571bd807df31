#include "bru/data/value_check.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <limits>

#include "schema/error.h"

namespace bru::data {
namespace {

using schema::TypeKind;

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

}  // namespace

void check_values_fit(const schema::Table& table, const archive::Batch& batch,
                      std::int64_t first_row_number, std::string_view target_dialect) {
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column_def = table.columns[column_idx];
    const auto& type = column_def.type;
    const auto& column = batch.column(column_idx);
    auto fail = [&](std::size_t row, const std::string& why) {
      throw Error(
          ErrorKind::kTypeMapping,
          fmt::format("table \"{}\", column \"{}\", row {}: {}", table.display_name(),
                      column_def.name, first_row_number + static_cast<std::int64_t>(row), why))
          .with_hint(fmt::format("the {} target cannot hold this value in a column of type {}; "
                                 "fix the value in the source (or exclude the table with "
                                 "-EXCLUDE) and back up again; nothing was restored",
                                 target_dialect, schema::to_string(type)));
    };
    // SQLite TEXT may hold NUL bytes; PostgreSQL text cannot (its drivers would cut the value).
    auto check_no_nul = [&](std::size_t row) {
      if (target_dialect == "postgres" &&
          column.bytes_at(row).find('\0') != std::string_view::npos) {
        fail(row, "a NUL byte (PostgreSQL character data cannot hold one)");
      }
    };
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (column.is_null(row)) {
        if (!column_def.nullable) fail(row, "NULL in a NOT NULL column");
        continue;
      }
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
          const auto characters = utf8_characters(column.bytes_at(row));
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
        case TypeKind::kFloat64:
          // SQLite stores a NaN as NULL: caught here, not as a checksum mismatch after the load.
          if (target_dialect == "sqlite" && std::isnan(column.double_at(row))) {
            fail(row, "NaN (SQLite stores NaN as NULL)");
          }
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace bru::data

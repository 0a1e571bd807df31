#include "schema/engines/sqlite/sqlite_sql.h"

#include <fmt/format.h>

namespace bru::schema::dialects::sqlite_sql {
namespace {

std::string zeros(int count) { return std::string(static_cast<std::size_t>(count), '0'); }

// x without one leading minus sign.
std::string unsigned_part(const std::string& x) {
  return fmt::format("(CASE WHEN {0} GLOB '-*' THEN substr({0}, 2) ELSE {0} END)", x);
}

// Plain decimal text: digits, at most one '.', no exponent, no leading zeros; with scale >= 0
// exactly that many digits after the point (none and no point for 0), with scale < 0 any.
std::string decimal_text_ok(const std::string& x, int scale) {
  const std::string body = unsigned_part(x);
  std::string digits_only = fmt::format("replace({}, '.', '') NOT GLOB '*[^0-9]*'", body);
  std::string no_leading_zero = fmt::format("{} NOT GLOB '0[0-9]*'", body);
  std::string starts_with_digit = fmt::format("{} GLOB '[0-9]*'", body);
  std::string dots = fmt::format("length({0}) - length(replace({0}, '.', ''))", body);
  if (scale == 0) {
    return fmt::format("({} AND {} NOT GLOB '*[^0-9]*' AND {})", starts_with_digit, body,
                       no_leading_zero);
  }
  if (scale > 0) {
    return fmt::format("({} AND instr({}, '.') = length({}) - {} AND {} AND {} = 1 AND {})",
                       starts_with_digit, body, body, scale, digits_only, dots, no_leading_zero);
  }
  return fmt::format("({} AND {} NOT GLOB '*.' AND {} AND {} <= 1 AND {})", starts_with_digit, body,
                     digits_only, dots, no_leading_zero);
}

std::string date_ok(const std::string& d) {
  return fmt::format("({0} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date({0}) = {0})",
                     d);
}

// HH:MM:SS with 1 to 6 fractional digits, no trailing zero (PostgreSQL's own output form).
std::string time_ok(const std::string& t) {
  return fmt::format(
      "(({0} GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' OR ({0} GLOB "
      "'[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9]*' AND length({0}) <= 15 AND substr({0}, 10) NOT "
      "GLOB '*[^0-9]*' AND {0} NOT GLOB '*0')) AND time(substr({0}, 1, 8)) = substr({0}, 1, 8))",
      t);
}

std::string timestamp_ok(const std::string& ts) {
  return fmt::format("(length({0}) >= 19 AND substr({0}, 11, 1) = ' ' AND {1} AND {2})", ts,
                     date_ok(fmt::format("substr({}, 1, 10)", ts)),
                     time_ok(fmt::format("substr({}, 12)", ts)));
}

std::string uuid_ok(const std::string& x) {
  const std::string hex = "[0-9a-f]";
  auto run = [&](int count) {
    std::string out;
    for (int idx = 0; idx < count; ++idx) out += hex;
    return out;
  };
  return fmt::format("{} GLOB '{}-{}-{}-{}-{}'", x, run(8), run(4), run(4), run(4), run(12));
}

bool holds_numbers(SqliteAffinity affinity) {
  return affinity != SqliteAffinity::kText && affinity != SqliteAffinity::kBlob;
}

}  // namespace

std::string shortest_real(const std::string& x) {
  return fmt::format(
      "CASE WHEN CAST(printf('%!.15g', {0}) AS REAL) = {0} THEN printf('%!.15g', {0}) "
      "WHEN CAST(printf('%!.16g', {0}) AS REAL) = {0} THEN printf('%!.16g', {0}) "
      "ELSE printf('%!.17g', {0}) END",
      x);
}

std::string exact_real(const std::string& x) {
  // x = m * 2^k with k two below the exponent floor(log2|x|) - 52 would give: then m is an
  // integer below 2^55 even when log2() rounds across a power of two. Subnormals use k = -1074.
  const std::string k = fmt::format("max(CAST(floor(log2(abs({}))) AS INTEGER) - 54, -1074)", x);
  return fmt::format(
      "CASE WHEN typeof({0}) <> 'real' THEN {0} WHEN {0} = 0 OR abs({0}) = 9e999 THEN "
      "printf('%!.17g', {0}) ELSE printf('%s0x%xp%d', CASE WHEN {0} < 0 THEN '-' ELSE '' END, "
      "CAST(abs({0}) / pow(2, {1}) AS INTEGER), {1}) END",
      x, k);
}

std::string canonical_value(const std::string& x, const PortableType& type,
                            SqliteAffinity affinity) {
  switch (type.kind) {
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return exact_real(x);
    case TypeKind::kDecimal:
      if (type.precision == 0) {
        return fmt::format(
            "CASE typeof({0}) WHEN 'real' THEN printf('%!.15g', {0}) ELSE CAST({0} AS TEXT) END",
            x);
      }
      if (type.scale == 0) {
        return fmt::format(
            "CASE typeof({0}) WHEN 'real' THEN printf('%.0f', {0}) ELSE CAST({0} AS TEXT) END", x);
      }
      return fmt::format(
          "CASE typeof({0}) WHEN 'integer' THEN {0} || '.{1}' WHEN 'real' THEN printf('%.{2}f', "
          "{0}) ELSE {0} END",
          x, zeros(type.scale), type.scale);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
    case TypeKind::kJson:
    case TypeKind::kXml:
      // As bytes: TEXT may hold NUL bytes, which a read as a C string would cut off
      // (SqliteDialect::reads_text_as_bytes).
      if (!holds_numbers(affinity)) return fmt::format("CAST({} AS BLOB)", x);
      return fmt::format("CAST(CASE typeof({0}) WHEN 'real' THEN {1} ELSE CAST({0} AS TEXT) END "
                         "AS BLOB)",
                         x, shortest_real(x));
    default:
      return x;
  }
}

std::string fits(const std::string& x, const PortableType& type, SqliteAffinity affinity) {
  std::string condition;
  switch (type.kind) {
    case TypeKind::kBool:
      condition = fmt::format("typeof({0}) = 'integer' AND {0} IN (0, 1)", x);
      break;
    case TypeKind::kInt16:
      condition = fmt::format("typeof({0}) = 'integer' AND {0} BETWEEN -32768 AND 32767", x);
      break;
    case TypeKind::kInt32:
      condition =
          fmt::format("typeof({0}) = 'integer' AND {0} BETWEEN -2147483648 AND 2147483647", x);
      break;
    case TypeKind::kInt64:
      condition = fmt::format("typeof({}) = 'integer'", x);
      break;
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      condition = fmt::format("typeof({}) IN ('integer', 'real')", x);
      break;
    case TypeKind::kDecimal:
      if (type.precision == 0) {
        condition = fmt::format(
            "typeof({0}) = 'integer' OR (typeof({0}) = 'real' AND CAST(printf('%!.15g', {0}) AS "
            "REAL) = {0} AND instr(printf('%!.15g', {0}), 'e') = 0) OR (typeof({0}) = 'text' AND "
            "{1})",
            x, decimal_text_ok(x, -1));
      } else {
        condition = fmt::format(
            "typeof({0}) = 'integer' OR (typeof({0}) = 'real' AND CAST(printf('%.{1}f', {0}) AS "
            "REAL) = {0}) OR (typeof({0}) = 'text' AND {2})",
            x, type.scale, decimal_text_ok(x, type.scale));
      }
      break;
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
    case TypeKind::kXml:
      condition = holds_numbers(affinity)
                      ? fmt::format("typeof({}) IN ('text', 'integer', 'real')", x)
                      : fmt::format("typeof({}) = 'text'", x);
      break;
    case TypeKind::kJson:
      condition = holds_numbers(affinity)
                      ? fmt::format("typeof({0}) <> 'blob' AND json_valid({0})", x)
                      : fmt::format("typeof({0}) = 'text' AND json_valid({0})", x);
      break;
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      condition = fmt::format("typeof({}) = 'blob'", x);
      break;
    case TypeKind::kDate:
      condition = fmt::format("typeof({}) = 'text' AND {}", x, date_ok(x));
      break;
    case TypeKind::kTime:
      condition = fmt::format("typeof({}) = 'text' AND {}", x, time_ok(x));
      break;
    case TypeKind::kTimestamp:
      condition = fmt::format("typeof({}) = 'text' AND {}", x, timestamp_ok(x));
      break;
    case TypeKind::kTimestampTz:
      condition = fmt::format("typeof({0}) = 'text' AND {0} GLOB '*+00' AND {1}", x,
                              timestamp_ok(fmt::format("substr({0}, 1, length({0}) - 3)", x)));
      break;
    case TypeKind::kUuid:
      condition = fmt::format("typeof({}) = 'text' AND {}", x, uuid_ok(x));
      break;
  }
  return fmt::format("({} IS NULL OR ({}))", x, condition);
}

}  // namespace bru::schema::dialects::sqlite_sql

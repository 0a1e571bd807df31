#include "schema/types.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace bru::schema {
namespace {

struct KindName {
  TypeKind kind;
  std::string_view name;
};

constexpr std::array<KindName, 19> kKindNames = {{
    {TypeKind::kBool, "bool"},         {TypeKind::kInt16, "int16"},
    {TypeKind::kInt32, "int32"},       {TypeKind::kInt64, "int64"},
    {TypeKind::kFloat32, "float32"},   {TypeKind::kFloat64, "float64"},
    {TypeKind::kDecimal, "decimal"},   {TypeKind::kChar, "char"},
    {TypeKind::kVarchar, "varchar"},   {TypeKind::kText, "text"},
    {TypeKind::kBinary, "binary"},     {TypeKind::kBlob, "blob"},
    {TypeKind::kDate, "date"},         {TypeKind::kTime, "time"},
    {TypeKind::kTimestamp, "timestamp"}, {TypeKind::kTimestampTz, "timestamptz"},
    {TypeKind::kUuid, "uuid"},         {TypeKind::kJson, "json"},
    {TypeKind::kXml, "xml"},
}};

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Storage storage_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
      return Storage::kInt64;
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return Storage::kFloat64;
    default:
      return Storage::kBytes;
  }
}

bool is_dated(TypeKind kind) {
  return kind == TypeKind::kDate || kind == TypeKind::kTimestamp || kind == TypeKind::kTimestampTz;
}

bool is_zero_date(std::string_view text) {
  // "YYYY-MM-DD" first: any other form (PostgreSQL's "infinity", a BC date) is no zero date.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  // Year 0 with a month and a day is a date (of no calendar), not a zero date.
  const auto year = parse_int(text.substr(0, 4));
  const auto month = parse_int(text.substr(5, 2));
  const auto day = parse_int(text.substr(8, 2));
  if (!year || !month || !day) return false;
  return *month == 0 || *day == 0;
}

bool is_unbounded(const PortableType& type) {
  switch (type.kind) {
    case TypeKind::kText:
    case TypeKind::kBlob:
    case TypeKind::kJson:
    case TypeKind::kXml:
      return true;
    case TypeKind::kVarchar:
    case TypeKind::kBinary:
    case TypeKind::kChar:
      return type.length <= 0;
    case TypeKind::kDecimal:
      return false;
    default:
      return false;
  }
}

std::string_view kind_name(TypeKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::string to_string(const PortableType& type) {
  const auto name = kind_name(type.kind);
  switch (type.kind) {
    case TypeKind::kDecimal:
      if (type.precision == 0) return std::string(name);
      return fmt::format("{}({},{})", name, type.precision, type.scale);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kBinary:
      if (type.length == 0) return std::string(name);
      return fmt::format("{}({})", name, type.length);
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz:
      return fmt::format("{}({})", name, type.scale);
    default:
      return std::string(name);
  }
}

std::optional<PortableType> parse_portable_type(std::string_view text) {
  std::string_view name = text;
  std::string_view args;
  if (const auto open = text.find('('); open != std::string_view::npos) {
    if (text.back() != ')') return std::nullopt;
    name = text.substr(0, open);
    args = text.substr(open + 1, text.size() - open - 2);
  }
  PortableType type;
  bool found = false;
  for (const auto& entry : kKindNames) {
    if (entry.name == name) {
      type.kind = entry.kind;
      found = true;
    }
  }
  if (!found) return std::nullopt;
  if (args.empty()) return type;
  switch (type.kind) {
    case TypeKind::kDecimal: {
      const auto comma = args.find(',');
      if (comma == std::string_view::npos) return std::nullopt;
      auto precision = parse_int(args.substr(0, comma));
      auto scale = parse_int(args.substr(comma + 1));
      if (!precision || !scale) return std::nullopt;
      type.precision = static_cast<std::int16_t>(*precision);
      type.scale = static_cast<std::int16_t>(*scale);
      return type;
    }
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kBinary: {
      auto length = parse_int(args);
      if (!length) return std::nullopt;
      type.length = *length;
      return type;
    }
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: {
      auto scale = parse_int(args);
      if (!scale) return std::nullopt;
      type.scale = static_cast<std::int16_t>(*scale);
      return type;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace bru::schema

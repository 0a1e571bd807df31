#include "schema/engines/sqlite/sqlite.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <regex>

#include "schema/engines/archive_sql.h"
#include "schema/engines/common.h"
#include "schema/engines/sqlite/sqlite_sql.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// "NUMERIC(10, 2)" -> name "NUMERIC", args {10, 2}; upper-cased, blanks collapsed.
struct DeclaredType {
  std::string name;
  std::vector<int> args;
};

DeclaredType parse_declared(std::string_view declared) {
  DeclaredType out;
  std::string upper = to_upper(declared);
  std::string_view args;
  if (auto open = upper.find('('); open != std::string::npos) {
    auto close = upper.find(')', open);
    args = std::string_view(upper).substr(
        open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    std::string_view rest = std::string_view(upper).substr(0, open);
    if (close != std::string::npos)
      out.name = std::string(rest) + " " + upper.substr(close + 1);
    else
      out.name = std::string(rest);
  } else {
    out.name = upper;
  }
  // Collapse white space runs, trim.
  std::string collapsed;
  for (char ch : out.name) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
    } else {
      collapsed += ch;
    }
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  out.name = collapsed;
  std::size_t pos = 0;
  while (pos < args.size()) {
    while (pos < args.size() && (args[pos] == ' ' || args[pos] == ',')) ++pos;
    int value = 0;
    auto [end, ec] = std::from_chars(args.data() + pos, args.data() + args.size(), value);
    if (ec != std::errc()) break;
    out.args.push_back(value);
    pos = static_cast<std::size_t>(end - args.data());
  }
  return out;
}

PortableType with_length(TypeKind kind, const DeclaredType& declared) {
  PortableType type = type_of_kind(kind);
  if (!declared.args.empty() && declared.args[0] > 0) type.length = declared.args[0];
  return type;
}

PortableType with_scale(TypeKind kind, const DeclaredType& declared) {
  PortableType type = type_of_kind(kind);
  type.scale = 6;
  if (!declared.args.empty() && declared.args[0] >= 0 && declared.args[0] <= 9) {
    type.scale = static_cast<std::int16_t>(declared.args[0]);
  }
  return type;
}

PortableType decimal_of(const DeclaredType& declared) {
  PortableType type = type_of_kind(TypeKind::kDecimal);
  if (declared.args.empty()) return type;
  const int precision = declared.args[0];
  const int scale = declared.args.size() > 1 ? declared.args[1] : 0;
  if (precision < 1 || precision > 1000 || scale < 0 || scale > precision) return type;
  type.precision = static_cast<std::int16_t>(precision);
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

// The column that SQLite should make a rowid alias: the single-column primary key of an identity
// column with an integer kind.
const Column* rowid_column(const Table& table) {
  if (table.primary_key.size() != 1) return nullptr;
  const Column* column = table.find_column(table.primary_key[0]);
  if (!column || !column->identity || !is_integer_kind(column->type.kind)) return nullptr;
  return column;
}

}  // namespace

SqliteAffinity sqlite_affinity(std::string_view declared_type) {
  const std::string upper = to_upper(declared_type);
  if (contains(upper, "INT")) return SqliteAffinity::kInteger;
  if (contains(upper, "CHAR") || contains(upper, "CLOB") || contains(upper, "TEXT")) {
    return SqliteAffinity::kText;
  }
  if (contains(upper, "BLOB") || upper.find_first_not_of(" \t\r\n") == std::string::npos) {
    return SqliteAffinity::kBlob;
  }
  if (contains(upper, "REAL") || contains(upper, "FLOA") || contains(upper, "DOUB")) {
    return SqliteAffinity::kReal;
  }
  return SqliteAffinity::kNumeric;
}

PortableType sqlite_portable_type(std::string_view declared_type) {
  const DeclaredType declared = parse_declared(declared_type);
  const std::string& name = declared.name;
  if (name.empty()) return type_of_kind(TypeKind::kText);
  if (name == "INT" || name == "INT4" || name == "MEDIUMINT") return type_of_kind(TypeKind::kInt32);
  if (name == "SMALLINT" || name == "INT2" || name == "TINYINT")
    return type_of_kind(TypeKind::kInt16);
  if (name == "BOOLEAN" || name == "BOOL") return type_of_kind(TypeKind::kBool);
  if (name == "FLOAT4") return type_of_kind(TypeKind::kFloat32);
  if (name == "NUMERIC" || name == "DECIMAL" || name == "DECIMAL_TEXT") return decimal_of(declared);
  if (name == "CHAR" || name == "CHARACTER" || name == "NCHAR" || name == "NATIVE CHARACTER") {
    if (declared.args.empty()) return type_of_kind(TypeKind::kText);
    return with_length(TypeKind::kChar, declared);
  }
  if (name == "VARCHAR" || name == "NVARCHAR" || name == "CHARACTER VARYING" ||
      name == "VARYING CHARACTER" || name == "NATIONAL VARYING CHARACTER") {
    return with_length(TypeKind::kVarchar, declared);
  }
  if (name == "BLOB" || name == "BYTEA") {
    return declared.args.empty() ? type_of_kind(TypeKind::kBlob)
                                 : with_length(TypeKind::kBinary, declared);
  }
  if (name == "BINARY" || name == "VARBINARY") return with_length(TypeKind::kBinary, declared);
  if (name == "DATE") return type_of_kind(TypeKind::kDate);
  if (name == "TIME") return with_scale(TypeKind::kTime, declared);
  if (name == "DATETIME" || name == "TIMESTAMP") return with_scale(TypeKind::kTimestamp, declared);
  if (name == "TIMESTAMPTZ" || name == "TIMESTAMP WITH TIME ZONE") {
    return with_scale(TypeKind::kTimestampTz, declared);
  }
  if (name == "UUID" || name == "GUID" || name == "UNIQUEIDENTIFIER")
    return type_of_kind(TypeKind::kUuid);
  if (name == "JSON" || name == "JSONB" || name == "JSON_TEXT")
    return type_of_kind(TypeKind::kJson);
  if (name == "XML" || name == "XML_TEXT") return type_of_kind(TypeKind::kXml);
  switch (sqlite_affinity(declared_type)) {
    case SqliteAffinity::kInteger:
      return type_of_kind(TypeKind::kInt64);
    case SqliteAffinity::kText:
      return type_of_kind(TypeKind::kText);
    case SqliteAffinity::kBlob:
      return type_of_kind(TypeKind::kBlob);
    case SqliteAffinity::kReal:
      return type_of_kind(TypeKind::kFloat64);
    case SqliteAffinity::kNumeric:
      return type_of_kind(TypeKind::kDecimal);
  }
  return type_of_kind(TypeKind::kText);
}

std::string SqliteDialect::quote_identifier(std::string_view identifier) const {
  return double_quote(identifier);
}

std::string SqliteDialect::qualified_name(const Table& table) const {
  return quote_identifier(table.name);
}

std::string SqliteDialect::native_type(const PortableType& type) const {
  auto with_scale_suffix = [&](std::string_view base) {
    if (type.scale == 6) return std::string(base);
    return fmt::format("{}({})", base, type.scale);
  };
  switch (type.kind) {
    case TypeKind::kBool:
      return "BOOLEAN";
    case TypeKind::kInt16:
      return "SMALLINT";
    case TypeKind::kInt32:
      return "INT";
    case TypeKind::kInt64:
      return "BIGINT";
    case TypeKind::kFloat32:
      return "FLOAT4";
    case TypeKind::kFloat64:
      return "REAL";
    case TypeKind::kDecimal:
      if (type.precision >= 1 && type.precision <= 15) {
        return fmt::format("NUMERIC({},{})", type.precision, type.scale);
      }
      if (type.precision == 0) return "DECIMAL_TEXT";
      return fmt::format("DECIMAL_TEXT({},{})", type.precision, type.scale);
    case TypeKind::kChar:
      if (type.length <= 0) return "TEXT";
      return fmt::format("CHAR({})", type.length);
    case TypeKind::kVarchar:
      if (type.length <= 0) return "VARCHAR";
      return fmt::format("VARCHAR({})", type.length);
    case TypeKind::kText:
      return "TEXT";
    case TypeKind::kBinary:
      if (type.length <= 0) return "BLOB";
      return fmt::format("VARBINARY({})", type.length);
    case TypeKind::kBlob:
      return "BLOB";
    case TypeKind::kDate:
      return "DATE";
    case TypeKind::kTime:
      return with_scale_suffix("TIME");
    case TypeKind::kTimestamp:
      return with_scale_suffix("TIMESTAMP");
    case TypeKind::kTimestampTz:
      return with_scale_suffix("TIMESTAMPTZ");
    case TypeKind::kUuid:
      return "UUID";
    case TypeKind::kJson:
      return "JSON_TEXT";
    case TypeKind::kXml:
      return "XML_TEXT";
  }
  refuse_unknown_kind("SQLite", type);
}

std::vector<std::string> SqliteDialect::session_setup_sql() const {
  return {"PRAGMA foreign_keys = OFF"};
}

const SqlForms& SqliteDialect::sql_forms() const {
  static const SqlForms forms = [] {
    SqlForms forms;
    forms.table_exists_query =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
    // INTEGER PRIMARY KEY and AUTOINCREMENT move past explicit keys by themselves.
    return forms;
  }();
  return forms;
}

std::vector<std::string> SqliteDialect::begin_snapshot_sql() const {
  return {"SELECT count(*) FROM sqlite_master"};
}

std::string SqliteDialect::column_type(const Table& table, const Column& column) const {
  if (same_dialect(table)) {
    check_native_type(name(), table, column);
    return column.native_type;
  }
  return native_type(column.type);
}

std::string SqliteDialect::select_sql(const Table& table) const {
  std::vector<std::string> expressions;
  for (const auto& column : table.columns) {
    const std::string quoted = quote_identifier(column.name);
    const std::string expression =
        sqlite_sql::canonical_value(quoted, column.type, sqlite_affinity(column.native_type));
    expressions.push_back(expression == quoted ? quoted
                                               : fmt::format("{} AS {}", expression, quoted));
  }
  return fmt::format("SELECT {} FROM {}", join(expressions, ", "), qualified_name(table));
}

std::string SqliteDialect::create_table_sql(const Table& table) const {
  if (same_dialect(table) && !table.native_sql.empty()) {
    check_create_table(name(), table, table.native_sql);
    return table.native_sql;
  }
  const bool same = same_dialect(table);
  const Column* rowid = rowid_column(table);
  std::vector<std::string> lines;
  for (const auto& column : table.columns) {
    std::string line = quote_identifier(column.name) + " ";
    if (&column == rowid) {
      // Only the exact type name INTEGER makes the column an alias of the rowid.
      line += "INTEGER";
      if (!table.primary_key_name.empty()) {
        line += " CONSTRAINT " + quote_identifier(table.primary_key_name);
      }
      line += " PRIMARY KEY";
      if (same && column.identity_kind == "autoincrement") line += " AUTOINCREMENT";
    } else {
      line += column_type(table, column);
    }
    if (!column.nullable) line += " NOT NULL";
    if (same && column.default_sql) {
      check_default(name(), table, column);
      line += " DEFAULT " + *column.default_sql;
    } else if (!same) {
      if (auto value = portable_default_of(table, column, name())) {
        line += " DEFAULT " + render_default(*value, "1", "0");
      }
    }
    lines.push_back(line);
  }
  if (!table.primary_key.empty() && !rowid) {
    std::string line;
    if (!table.primary_key_name.empty()) {
      line = "CONSTRAINT " + quote_identifier(table.primary_key_name) + " ";
    }
    lines.push_back(line + "PRIMARY KEY (" + quoted_list(*this, table.primary_key) + ")");
  }
  for (const auto& unique : table.uniques) {
    std::string line;
    if (!unique.name.empty()) line = "CONSTRAINT " + quote_identifier(unique.name) + " ";
    lines.push_back(line + "UNIQUE (" + quoted_list(*this, unique.columns) + ")");
  }
  for (const auto& fk : table.foreign_keys) {
    std::string line;
    if (!fk.name.empty()) line = "CONSTRAINT " + quote_identifier(fk.name) + " ";
    lines.push_back(line + foreign_key_clause(*this, table, fk));
  }
  return fmt::format("CREATE TABLE {} (\n    {}\n)", qualified_name(table), join(lines, ",\n    "));
}

std::vector<std::string> SqliteDialect::post_data_sql(const Table& table) const {
  std::vector<std::string> statements;
  for (const auto& index : table.indexes) {
    if (same_dialect(table) && !index.definition_sql.empty()) {
      check_create_index(name(), table, index);
      statements.push_back(index.definition_sql);
      continue;
    }
    // SQLite needs a name; index names are unique per database.
    statements.push_back(portable_index_sql(*this, table, index));
  }
  return statements;
}

std::vector<std::string> SqliteDialect::foreign_key_sql(const Table& table) const {
  (void)table;
  return {};
}

std::vector<std::string> SqliteDialect::reset_identity_sql(const Table& table) const {
  (void)table;
  return {};
}

std::string SqliteDialect::drop_table_sql(const Table& table) const {
  return fmt::format("DROP TABLE IF EXISTS {}", qualified_name(table));
}

std::string SqliteDialect::insert_sql(const Table& table, std::size_t row_count) const {
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(quote_identifier(column.name));
  std::string row = "(";
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    row += column_idx == 0 ? "?" : ", ?";
  }
  row += ")";
  std::string sql =
      fmt::format("INSERT INTO {} ({}) VALUES ", qualified_name(table), join(names, ", "));
  return with_value_rows(std::move(sql), row, row_count);
}

std::optional<std::string> SqliteDialect::rowid_name(const Table& table) const {
  if (!table.schema.empty() && table.schema != "main") return std::nullopt;
  static const std::regex without_rowid(R"(WITHOUT\s+ROWID)", std::regex::icase);
  if (std::regex_search(table.native_sql, without_rowid)) return std::nullopt;
  for (const std::string name : {"rowid", "_rowid_", "oid"}) {
    const bool shadowed = std::any_of(table.columns.begin(), table.columns.end(),
                                      [&](const Column& column) {
                                        return to_upper(column.name) == to_upper(name);
                                      });
    if (!shadowed) return name;
  }
  return std::nullopt;
}

namespace {

// Whether the column is part of the table's primary key or of a UNIQUE constraint: indexed while
// the rows go in (secondary indexes are made after them).
bool in_key(const Table& table, const std::string& column) {
  auto has_column = [&](const std::vector<std::string>& columns) {
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& name) {
      return to_upper(name) == to_upper(column);
    });
  };
  return has_column(table.primary_key) ||
         std::any_of(table.uniques.begin(), table.uniques.end(),
                     [&](const UniqueConstraint& unique) { return has_column(unique.columns); });
}

}  // namespace

std::optional<Dialect::InPlaceSql> SqliteDialect::in_place_sql(
    const Table& table, const std::vector<std::size_t>& in_place, std::size_t at_end) const {
  const auto rowid = rowid_name(table);
  if (!rowid || in_place.empty()) return std::nullopt;
  // SQLite writes no key's value in place (its index holds the value too): the row goes whole,
  // without zeros inserted first to find that out.
  if (std::any_of(in_place.begin(), in_place.end(), [&](std::size_t column_idx) {
        return in_key(table, table.columns[column_idx].name);
      })) {
    return std::nullopt;
  }
  InPlaceSql sql;
  sql.write_piece.resize(table.columns.size());
  std::vector<std::string> names;
  std::vector<std::string> markers;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column = table.columns[column_idx];
    names.push_back(quote_identifier(column.name));
    const auto placed = std::find(in_place.begin(), in_place.end(), column_idx);
    if (placed == in_place.end()) {
      markers.push_back("?");
      continue;
    }
    // bru_zeros() where zeroblob()'s zeros would not be left out of the row (bru_zeros() costs
    // the length once, there zeroblob() twice), bru_zero_text() for a TEXT.
    const bool binary =
        column.type.kind == TypeKind::kBinary || column.type.kind == TypeKind::kBlob;
    const bool row_end = static_cast<std::size_t>(placed - in_place.begin()) >= at_end;
    markers.push_back(row_end ? "zeroblob(?)" : binary ? "bru_zeros(?)" : "bru_zero_text(?)");
    sql.write_piece[column_idx] =
        fmt::format("SELECT bru_write_piece({}, {}, last_insert_rowid(), ?, ?)",
                    string_literal(table.name), string_literal(column.name));
  }
  sql.insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", qualified_name(table),
                           join(names, ", "), join(markers, ", "));
  sql.remove_row = fmt::format("DELETE FROM {} WHERE {} = last_insert_rowid()",
                               qualified_name(table), *rowid);
  sql.probe = "SELECT bru_zero_text(0)";
  return sql;
}

// Text holding NUL bytes (which a quoted literal cannot) as a blob cast to text, infinities as
// the overflowing literals SQLite reads as them, decimals quoted.
std::string SqliteDialect::literal_sql(const Table& table, const Column& column,
                                       const LiteralValue& value) const {
  if (const auto* real = std::get_if<double>(&value); real != nullptr && std::isinf(*real)) {
    return *real > 0 ? "9e999" : "-9e999";
  }
  const auto* text = std::get_if<std::string_view>(&value);
  const auto kind = column.type.kind;
  if (text != nullptr && text->find('\0') != std::string_view::npos &&
      kind != TypeKind::kBinary && kind != TypeKind::kBlob) {
    std::string hex = "CAST(X'";
    for (const unsigned char byte : *text) hex += fmt::format("{:02X}", byte);
    return hex + "' AS TEXT)";
  }
  // Quoted, as a bound decimal is text: a number literal would lose a trailing zero in a TEXT
  // affinity column (DECIMAL_TEXT).
  if (text != nullptr && kind == TypeKind::kDecimal) return string_literal(*text);
  return Dialect::literal_sql(table, column, value);
}

}  // namespace bru::schema::dialects

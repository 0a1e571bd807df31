#include "schema/dialect.h"

#include <cmath>

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::schema {

std::string Dialect::has_rows_sql(const Table& table) const {
  return "SELECT 1 FROM " + qualified_name(table) + " LIMIT 1";
}

std::string Dialect::qualified_name(const Table& table) const {
  if (table.schema.empty()) return quote_identifier(table.name);
  return quote_identifier(table.schema) + "." + quote_identifier(table.name);
}

const SqlForms& Dialect::sql_forms() const {
  static const SqlForms forms;
  return forms;
}

std::string Dialect::literal_sql(const Table& table, const Column& column,
                                 const LiteralValue& value) const {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&value)) {
    if (!std::isfinite(*real)) {
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("{} cannot hold the value {} of column \"{}\" of table \"{}\"",
                              name(), *real, column.name, table.display_name()))
          .with_hint("its floating-point types have no NaN or infinity; restore this table into "
                     "PostgreSQL, or change the value in the source and back it up again");
    }
    return fmt::format("{:.17g}", *real);
  }
  const auto text = std::get<std::string_view>(value);
  const auto& forms = sql_forms();
  if (column.type.kind == TypeKind::kBinary || column.type.kind == TypeKind::kBlob) {
    std::string hex;
    hex.reserve(text.size() * 2);
    for (const unsigned char byte : text) hex += fmt::format("{:02X}", byte);
    return fmt::format(fmt::runtime(forms.binary_literal), fmt::arg("hex", hex));
  }
  if (column.type.kind == TypeKind::kDecimal) {
    // Canonical decimal text is a number literal of every engine; "NaN" and "Infinity" are not.
    const bool digits = !text.empty() && text.find_first_not_of("+-.0123456789") == text.npos;
    if (digits) return std::string(text);
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("{} cannot hold the value {} of column \"{}\" of table \"{}\"",
                            name(), text, column.name, table.display_name()))
        .with_hint("its decimal types have no NaN or infinity; restore this table into "
                   "PostgreSQL, or change the value in the source and back it up again");
  }
  const bool character = column.type.kind == TypeKind::kChar ||
                         column.type.kind == TypeKind::kVarchar ||
                         column.type.kind == TypeKind::kText || column.type.kind == TypeKind::kJson ||
                         column.type.kind == TypeKind::kXml;
  std::string literal(character ? forms.text_literal_prefix : std::string_view());
  literal.reserve(literal.size() + text.size() + 2);
  literal += '\'';
  for (const char c : text) {
    if (c == '\'') literal += '\'';
    literal += c;
  }
  return literal + '\'';
}

std::string Dialect::insert_literals_sql(const Table& table,
                                         const std::vector<std::string>& rows) const {
  std::string sql = "INSERT INTO " + qualified_name(table) + " (";
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    if (column_idx > 0) sql += ", ";
    sql += quote_identifier(table.columns[column_idx].name);
  }
  sql += ")";
  const bool values_form = sql_forms().rows_insert == RowsInsert::kValues;
  sql += values_form ? " VALUES" : "";
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (values_form) {
      sql += (row_idx == 0 ? "\n  (" : ",\n  (") + rows[row_idx] + ")";
    } else {
      sql += (row_idx == 0 ? "\n  SELECT " : "\n  UNION ALL SELECT ") + rows[row_idx] + " FROM dual";
    }
  }
  return sql;
}

}  // namespace bru::schema

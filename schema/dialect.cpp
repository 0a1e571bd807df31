#include "schema/dialect.h"

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

}  // namespace bru::schema

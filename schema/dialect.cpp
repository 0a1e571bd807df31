#include "schema/dialect.h"

#include <fmt/format.h>

#include "schema/dialect_names.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/sqlite/sqlite.h"
#include "schema/error.h"

namespace bru::schema {

std::string Dialect::qualified_name(const Table& table) const {
  if (table.schema.empty()) return quote_identifier(table.name);
  return quote_identifier(table.schema) + "." + quote_identifier(table.name);
}

std::unique_ptr<Dialect> make_dialect(std::string_view name) {
  if (name == "postgres") return std::make_unique<dialects::PostgresDialect>();
  if (name == "sqlite") return std::make_unique<dialects::SqliteDialect>();
  throw unknown_dialect(name, backup_dialect_names());
}

}  // namespace bru::schema

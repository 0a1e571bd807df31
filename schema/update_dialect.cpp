// The history statements all engines share: the defaults of schema/update_dialect.h. Each
// engine's own facet lives in schema/engines/<engine>/<engine>_update.h.
#include "schema/update_dialect.h"

#include <fmt/format.h>

namespace bru::schema {

std::string UpdateDialect::select_history_sql(bool migrated) const {
  return fmt::format(
      "SELECT installed_rank, version, description, script, checksum, success, "
      "statement_count, statements_done, installed_by, {}, execution_ms{} FROM bru_schema_history "
      "ORDER BY installed_rank",
      installed_on_text(), migrated ? ", kind, statement_checksums" : "");
}

std::string UpdateDialect::insert_history_sql() const {
  return "INSERT INTO bru_schema_history (installed_rank, version, description, script, "
         "checksum, installed_by, execution_ms, success, statement_count, statements_done, kind, "
         "statement_checksums) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

std::string UpdateDialect::update_history_sql() const {
  return "UPDATE bru_schema_history SET checksum = ?, execution_ms = ?, success = ?, "
         "statement_count = ?, statements_done = ?, statement_checksums = ? WHERE "
         "installed_rank = ?";
}

std::string UpdateDialect::repair_checksum_sql() const {
  return "UPDATE bru_schema_history SET checksum = ? WHERE installed_rank = ?";
}

}  // namespace bru::schema

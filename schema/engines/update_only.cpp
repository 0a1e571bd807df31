#include "schema/engines/update_only.h"

#include <fmt/format.h>

namespace bru::schema::dialects {

Error backup_not_supported(std::string_view dialect) {
  return Error(ErrorKind::kUsage,
               fmt::format("backup and restore do not support {} yet; -UPDATE does", dialect))
      .with_hint(fmt::format("on {}, bru -UPDATE, -GETVERSION, -BASELINE and -MIGRATE work", dialect));
}

Catalog UpdateOnlyDialect::read_catalog(SqlRunner&, const CatalogFilter&) const {
  throw backup_not_supported(name());
}
std::string UpdateOnlyDialect::native_type(const PortableType&) const {
  throw backup_not_supported(name());
}
std::vector<std::string> UpdateOnlyDialect::session_setup_sql() const {
  throw backup_not_supported(name());
}
std::vector<std::string> UpdateOnlyDialect::begin_snapshot_sql() const {
  throw backup_not_supported(name());
}
std::string UpdateOnlyDialect::snapshot_kind() const { throw backup_not_supported(name()); }
std::string UpdateOnlyDialect::select_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::string UpdateOnlyDialect::create_table_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::vector<std::string> UpdateOnlyDialect::post_data_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::vector<std::string> UpdateOnlyDialect::foreign_key_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::vector<std::string> UpdateOnlyDialect::reset_identity_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::string UpdateOnlyDialect::drop_table_sql(const Table&) const {
  throw backup_not_supported(name());
}
std::string UpdateOnlyDialect::insert_sql(const Table&, std::size_t) const {
  throw backup_not_supported(name());
}
std::size_t UpdateOnlyDialect::max_parameters() const { throw backup_not_supported(name()); }

}  // namespace bru::schema::dialects

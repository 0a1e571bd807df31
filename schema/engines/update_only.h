// The base of an engine bru updates but does not back up or restore yet (mssql
// today): every backup/restore member throws bru::Error(kUsage) saying so, with a hint naming
// what works there, instead of crashing or pretending. An engine's own class gives its name,
// quoting, update facet and splitter; backup and restore come by deriving from Dialect instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/error.h"

namespace bru::schema::dialects {

// Error(kUsage) "backup and restore do not support <dialect> yet; -UPDATE does", with a hint.
Error backup_not_supported(std::string_view dialect);

class UpdateOnlyDialect : public Dialect {
 public:
  bool backs_up() const override { return false; }
  bool transactional_ddl() const override { return update().transactional_ddl(); }

  // Each throws backup_not_supported(name()).
  Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const override;
  std::string native_type(const PortableType& type) const override;
  std::vector<std::string> session_setup_sql() const override;
  std::vector<std::string> begin_snapshot_sql() const override;
  std::string snapshot_kind() const override;
  std::string select_sql(const Table& table) const override;
  std::string create_table_sql(const Table& table) const override;
  std::vector<std::string> post_data_sql(const Table& table) const override;
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  std::string insert_sql(const Table& table, std::size_t row_count) const override;
  std::size_t max_parameters() const override;
};

}  // namespace bru::schema::dialects

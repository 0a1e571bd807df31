// SQL Server: bru runs update scripts on it (its facet: mssql_update.h; its splitter:
// split_mssql.cpp); backup and restore are not supported yet (UpdateOnlyDialect says so).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/mssql/mssql_update.h"
#include "schema/engines/update_only.h"

namespace bru::schema::dialects {

class MssqlDialect final : public UpdateOnlyDialect {
 public:
  std::string_view name() const override { return "mssql"; }
  std::vector<std::string_view> aliases() const override { return {"sqlserver"}; }
  const UpdateDialect& update() const override { return update_; }
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  // brackets, an embedded ] doubled.
  std::string quote_identifier(std::string_view identifier) const override;
  // Read snapshots for -MIGRATE, which reads and writes this engine (backup does not yet).
  std::vector<std::string> begin_snapshot_sql() const override;
  const SqlForms& sql_forms() const override;

 private:
  MssqlUpdate update_;
};

}  // namespace bru::schema::dialects

// MariaDB: bru runs update scripts on it (its facet: mariadb_update.h; its splitter:
// split_mariadb.cpp); backup and restore are not supported yet (UpdateOnlyDialect says so).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/mariadb/mariadb_update.h"
#include "schema/engines/update_only.h"

namespace bru::schema::dialects {

class MariadbDialect final : public UpdateOnlyDialect {
 public:
  std::string_view name() const override { return "mariadb"; }
  std::vector<std::string_view> aliases() const override { return {"mysql"}; }
  const UpdateDialect& update() const override { return update_; }
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  // backticks, embedded backticks doubled.
  std::string quote_identifier(std::string_view identifier) const override;

 private:
  MariadbUpdate update_;
};

}  // namespace bru::schema::dialects

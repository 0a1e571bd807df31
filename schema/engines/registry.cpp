#include "schema/engines/registry.h"

#include <algorithm>

#include "schema/engines/mariadb/mariadb.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/engines/oracle/oracle.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/sqlite/sqlite.h"

namespace bru::schema {
namespace {

template <typename EngineDialect>
std::unique_ptr<Dialect> make() {
  return std::make_unique<EngineDialect>();
}

}  // namespace

const std::vector<Engine>& engines() {
  static const std::vector<Engine> kEngines = {
      {"postgres", make<dialects::PostgresDialect>},
      {"mssql", make<dialects::MssqlDialect>},
      {"oracle", make<dialects::OracleDialect>},
      {"sqlite", make<dialects::SqliteDialect>},
      {"mariadb", make<dialects::MariadbDialect>},
  };
  return kEngines;
}

const Engine* find_engine(std::string_view name) {
  const auto& all = engines();
  const auto found =
      std::find_if(all.begin(), all.end(), [&](const Engine& engine) { return engine.name == name; });
  return found == all.end() ? nullptr : &*found;
}

}  // namespace bru::schema

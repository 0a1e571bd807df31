#include "schema/engines/registry.h"

#include <algorithm>

#include "schema/engines/mariadb/mariadb.h"
#include "schema/engines/mariadb/mariadb_profile.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/engines/mssql/mssql_profile.h"
#include "schema/engines/oracle/oracle.h"
#include "schema/engines/oracle/oracle_profile.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/postgres/postgres_profile.h"
#include "schema/engines/sqlite/sqlite.h"
#include "schema/engines/sqlite/sqlite_profile.h"

namespace bru::schema {
namespace {

template <typename EngineDialect>
std::unique_ptr<Dialect> make() {
  return std::make_unique<EngineDialect>();
}

}  // namespace

const std::vector<Engine>& engines() {
  static const std::vector<Engine> kEngines = {
      {"postgres", make<dialects::PostgresDialect>, dialects::postgres_driver_profile},
      {"mssql", make<dialects::MssqlDialect>, dialects::mssql_driver_profile},
      {"oracle", make<dialects::OracleDialect>, dialects::oracle_driver_profile},
      {"sqlite", make<dialects::SqliteDialect>, dialects::sqlite_driver_profile},
      {"mariadb", make<dialects::MariadbDialect>, dialects::mariadb_driver_profile},
  };
  return kEngines;
}

const Engine* find_engine(std::string_view name) {
  const auto& all = engines();
  const auto found =
      std::find_if(all.begin(), all.end(), [&](const Engine& engine) { return engine.name == name; });
  return found == all.end() ? nullptr : &*found;
}

const DriverProfile* find_driver_profile(std::string_view name) {
  const Engine* engine = find_engine(name);
  return engine == nullptr ? nullptr : &engine->driver_profile();
}

}  // namespace bru::schema

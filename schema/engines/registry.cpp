#include "schema/engines/registry.h"

#include <algorithm>

#include "schema/dialect_names.h"
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

std::unique_ptr<Dialect> make_dialect(std::string_view name) {
  if (const Engine* engine = find_engine(name)) return engine->make();
  throw unknown_dialect(name, dialect_names());
}

}  // namespace bru::schema

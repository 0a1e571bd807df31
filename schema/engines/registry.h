// The engines bru knows: one line each. Everything else about an engine — its Dialect (catalog,
// types, DDL, SELECT/INSERT, snapshot), its update facet and splitter (reached through the
// Dialect), its driver profile — lives in its folder schema/engines/<engine>/. The lists
// of known dialects and make_dialect (schema/dialect_names.h) and split_statements read this one.
// schema/engines/README.md says how to add an engine.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/driver_profile.h"

namespace bru::schema {

struct Engine {
  std::string_view name;                  // the dialect's name(), as commands and archives say it
  std::unique_ptr<Dialect> (*make)();     // a new Dialect of the engine; never throws
  const DriverProfile& (*driver_profile)();  // its ODBC drivers and connection strings
};

// Every engine, in the order messages list them: postgres, mssql, oracle, sqlite, mariadb.
const std::vector<Engine>& engines();

// The engine of that exact name, or nullptr.
const Engine* find_engine(std::string_view name);
// Its driver profile, or nullptr for a name that is no engine ("odbc").
const DriverProfile* find_driver_profile(std::string_view name);

}  // namespace bru::schema

// PostgreSQL objects beyond the portable table model (issue 7): everything pg_dump --schema-only
// reproduces, read from pg_catalog with the server's own pg_get_*def functions, and the exact
// CREATE TABLE of each table (UNLOGGED, collations, generated columns, identity options,
// partitioning, storage parameters).
#pragma once

#include <string>
#include <vector>

#include "schema/catalog.h"
#include "schema/sql_runner.h"

namespace bru::schema::dialects {

// Reads the objects of the schemas `schema_where` selects (a condition on pg_namespace alias n,
// with `schema_params` bound to its markers) into catalog.objects, in creation order from
// pg_depend (tables placed by "table" entries), sets each table's native_sql and depends, and
// adds a warning naming each object bru cannot carry (publications, event triggers, foreign
// tables, large objects, ...). Objects that belong to an extension come with the extension.
// Objects that depend on a table the catalog does not hold are left out, each named in a
// warning. Names in the DDL are schema-qualified (read with search_path = pg_catalog). Throws
// bru::Error(kDatabase) when a query fails.
void read_postgres_objects(SqlRunner& runner, const std::string& schema_where,
                           const std::vector<std::string>& schema_params, Catalog& catalog);

}  // namespace bru::schema::dialects

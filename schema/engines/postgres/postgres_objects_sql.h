// Pieces of the PostgreSQL object reader (postgres_objects.cpp) shared with the check of what it
// cannot carry (postgres_objects_not_carried.cpp): conditions on catalog rows, and the warnings
// that name each object left out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/catalog.h"
#include "schema/sql_runner.h"

namespace bru::schema::dialects {

// "NOT EXISTS (...)": the object `alias`.oid of catalog `catalog` is no extension's member.
std::string not_member(std::string_view catalog, std::string_view alias);
// ... nor made by the server for another object (a range type's constructors, casts).
std::string not_internal(std::string_view catalog, std::string_view alias);

// The warning object-not-carried for one object: "<kind> "<name>" is not backed up: ...".
CatalogWarning not_carried_warning(const std::string& kind, const std::string& name);
// One such warning for each object pg_dump would carry and bru does not yet (publications,
// subscriptions, event triggers, foreign tables and servers, large objects, operators, casts,
// text search configurations, default and column privileges), in the schemas `where` selects
// (a condition on pg_namespace alias n, `params` bound to its markers) where the kind lives in
// one.
std::vector<CatalogWarning> not_carried_warnings(SqlRunner& runner, const std::string& where,
                                                 const std::vector<std::string>& params);

}  // namespace bru::schema::dialects

// Oracle objects beyond the table model, each a table-of-contents entry (SchemaObject) that an
// Oracle restore runs as it is, into the connecting user's schema (names unqualified):
//   sequence   CREATE SEQUENCE with its increment, bounds, cycle and cache, starting at its
//              LAST_NUMBER: at or past the next value, so no number is given twice (pre-data);
//              identity columns' own sequences are not entries (the column makes its own).
//   view       CREATE OR REPLACE FORCE VIEW name (columns) AS <ALL_VIEWS.TEXT>: FORCE creates it
//              whatever it reads, so views come in name order (pre-data, after the tables).
//   type, type body
//              CREATE OR REPLACE <ALL_SOURCE text> of an object type (its specification) and its
//              body, before the tables (pre-data): each type after the types it names
//              (ALL_DEPENDENCIES; "depends" lists them), a body after its type. Types Oracle
//              generates for PL/SQL (SYS_PLSQL_...) are left out: it makes them again.
//   procedure, function, package, package body
//              CREATE OR REPLACE <ALL_SOURCE text>: Oracle creates a unit that does not compile
//              yet as invalid and compiles it on first use (pre-data, after the tables and views,
//              in name order; a package body right after its specification, depending on it).
//   trigger    CREATE OR REPLACE <ALL_SOURCE text>, after the rows (post-data), so it does not
//              fire during the load.
// Another engine cannot hold any of them: a restore there refuses the archive naming each one
// unless -SKIP-UNPORTABLE. Materialized views, synonyms, database links, Java classes and grants
// are not carried: each kind found is named in an "object-not-carried" warning.
#pragma once

#include <string>

#include "schema/catalog.h"
#include "schema/sql_runner.h"

namespace bru::schema::dialects {

// Reads owner's objects into catalog.objects (in creation order, with a "table" entry per table
// of catalog.tables first). A trigger on a table the catalog does not hold (-TABLES, -EXCLUDE) is
// left out with an "object-left-out" warning.
void read_oracle_objects(SqlRunner& runner, const std::string& owner, Catalog& catalog);

}  // namespace bru::schema::dialects

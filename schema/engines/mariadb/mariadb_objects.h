// MariaDB objects beyond the table model: sequences (and their positions), views, procedures,
// functions, triggers and events, each read with the server's own SHOW CREATE … and carried as a
// table-of-contents entry (SchemaObject) that a MariaDB restore runs as it is. System-versioned
// tables are not carried: each is named in an "object-not-carried" warning.
//
// The DEFINER clause is taken out of every statement: a restore creates each object as the
// connecting user (who may not be allowed to name another definer, and whose server may not have
// the source's users). SQL SECURITY DEFINER | INVOKER is kept. A stored program (procedure,
// function, trigger, event) keeps the sql_mode it was created with (an event also its time zone)
// as `SET STATEMENT sql_mode = '…' FOR EXECUTE IMMEDIATE '<CREATE …>'`: the server parses the
// CREATE under them (SHOW CREATE writes it by them: ANSI_QUOTES makes names "name"), stores them
// with the program and runs it under them. A view has no sql_mode of its own.
//
// Creation order: procedures and functions first (MariaDB checks neither the tables nor the
// routines a body uses when it is created, and views may call functions), then sequences (a
// column's DEFAULT may call NEXTVAL), then the tables
// ("table" entries), then the views, each after the views it selects from; triggers and events
// come in post-data, after the rows are loaded, so no trigger fires during the load and no event
// runs against half-loaded tables. A sequence's position ("sequence value": SELECT SETVAL) is set
// after the rows.
#pragma once

#include <string>

#include "schema/catalog.h"
#include "schema/sql_runner.h"

namespace bru::schema::dialects {

// Reads the objects of the connection's database into catalog.objects (in creation order, with
// a "table" entry per table of catalog.tables). A trigger on a table the catalog does not hold
// (-TABLES, -EXCLUDE), and a view that selects from such a table or from a view left out, is
// left out, each named in an "object-left-out" warning; a privilege the user lacks to see
// triggers, events or other users' routines is named in an "objects-not-visible" warning (the
// server hides them without an error). Throws bru::Error(kDatabase) when the
// server returns no definition (the user may not see it).
void read_mariadb_objects(SqlRunner& runner, Catalog& catalog);

// The statement without its DEFINER = user[@host] clause, as SHOW CREATE writes it
// ("CREATE [ALGORITHM=…] DEFINER=`u`@`h` …"); unchanged when it has none.
std::string without_definer(const std::string& create_sql);

}  // namespace bru::schema::dialects

// The creation order of the PostgreSQL objects postgres_objects.cpp reads: pre-data in
// dependency order (pg_depend edges, a topological sort with pg_dump's kind order as tie-break),
// data and post-data entries after the object they are about, by kind.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "schema/catalog.h"

namespace bru::schema::dialects {

// One object as read, before it takes its place in Catalog::objects.
struct Item {
  SchemaObject object;
  std::string key;                  // "pg_class:16400": the catalog row it was read from
  std::string owner_key;            // post-data and data entries: the object they are about
  std::vector<std::string> needs;   // keys of objects it depends on (pg_depend)
};

// Puts `items` into catalog.objects (and catalog.tables) in creation order. An item that needs a
// table in `missing_tables` (left out by the filter) is left out too, with a warning.
// `table_items` maps an item's key to its table of catalog.tables; it is emptied.
void order_objects(std::vector<Item>& items, const std::set<std::string>& missing_tables,
                   std::map<std::string, Table*>& table_items, Catalog& catalog);

}  // namespace bru::schema::dialects

// Oracle sequences, object types, views, PL/SQL units, packages and triggers as table-of-contents
// entries
// (oracle_objects.h).
#include "schema/engines/oracle/oracle_objects.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "schema/engines/common.h"
#include "schema/engines/lexer.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

SchemaObject make_object(std::string kind, const std::string& name, std::string section) {
  SchemaObject object;
  object.kind = std::move(kind);
  object.name = name;
  object.section = std::move(section);
  return object;
}

void read_sequences(SqlRunner& runner, const std::string& owner, std::vector<SchemaObject>& objects) {
  const auto rows = runner.query(
      "SELECT s.SEQUENCE_NAME, s.MIN_VALUE, s.MAX_VALUE, s.INCREMENT_BY, s.CYCLE_FLAG, "
      "s.CACHE_SIZE, s.LAST_NUMBER FROM ALL_SEQUENCES s WHERE s.SEQUENCE_OWNER = ? AND NOT "
      "EXISTS (SELECT 1 FROM ALL_TAB_IDENTITY_COLS i WHERE i.OWNER = s.SEQUENCE_OWNER AND "
      "i.SEQUENCE_NAME = s.SEQUENCE_NAME) ORDER BY s.SEQUENCE_NAME",
      {owner});
  for (const auto& row : rows) {
    auto object = make_object("sequence", text_at(row, 0), "pre-data");
    const auto cache = integer_at(row, 5);
    object.statements.push_back(fmt::format(
        "CREATE SEQUENCE {} START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} {} {}",
        double_quote(object.name), text_at(row, 6), text_at(row, 3), text_at(row, 1),
        text_at(row, 2), text_at(row, 4) == "Y" ? "CYCLE" : "NOCYCLE",
        cache > 1 ? fmt::format("CACHE {}", cache) : std::string("NOCACHE")));
    objects.push_back(std::move(object));
  }
}

void read_views(SqlRunner& runner, const std::string& owner, std::vector<SchemaObject>& objects) {
  for (const auto& row : runner.query("SELECT VIEW_NAME, TEXT FROM ALL_VIEWS WHERE OWNER = ? "
                                      "ORDER BY VIEW_NAME",
                                      {owner})) {
    auto object = make_object("view", text_at(row, 0), "pre-data");
    object.statements.push_back(fmt::format("CREATE OR REPLACE FORCE VIEW {} AS {}",
                                            double_quote(object.name),
                                            split_detail::trim(text_at(row, 1))));
    objects.push_back(std::move(object));
  }
}

// Object types in an order that creates each after the types it names (ALL_DEPENDENCIES), else
// by name; a type body once its type is in. A type naming a missing one would be created with
// compilation errors.
std::vector<SchemaObject> in_type_order(SqlRunner& runner, const std::string& owner,
                                        std::vector<SchemaObject> types) {
  std::map<std::string, std::set<std::string>> needs;
  for (const auto& row : runner.query(
           "SELECT NAME, REFERENCED_NAME FROM ALL_DEPENDENCIES WHERE OWNER = ? AND TYPE = 'TYPE' "
           "AND REFERENCED_OWNER = OWNER AND REFERENCED_TYPE = 'TYPE' AND REFERENCED_NAME <> NAME "
           "ORDER BY NAME, REFERENCED_NAME",
           {owner})) {
    needs[text_at(row, 0)].insert(text_at(row, 1));
  }
  std::vector<SchemaObject> ordered;
  std::set<std::string> placed;
  while (!types.empty()) {
    // The first type (by name) whose types are all placed; in a cycle, which Oracle allows only
    // through REF attributes that compile either way, the first one left.
    auto next = std::find_if(types.begin(), types.end(), [&](const SchemaObject& type) {
      if (type.kind == "type body") return placed.count(type.name) > 0;
      const auto& wanted = needs[type.name];
      return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& name) {
        return placed.count(name) > 0 ||
               std::none_of(types.begin(), types.end(),
                            [&](const SchemaObject& other) { return other.name == name; });
      });
    });
    if (next == types.end()) next = types.begin();
    if (next->kind == "type") {
      for (const auto& name : needs[next->name]) next->depends.push_back("type " + name);
      placed.insert(next->name);
    } else {
      next->depends.push_back("type " + next->name);
    }
    ordered.push_back(std::move(*next));
    types.erase(next);
  }
  return ordered;
}

// Procedures, functions, packages, object types and triggers from ALL_SOURCE, one line per
// row; a trigger only when its table is in the catalog. Types go before the tables (in `types`),
// packages after the views with the procedures and functions, a body after its specification,
// triggers last.
void read_units(SqlRunner& runner, const std::string& owner, const std::set<std::string>& tables,
                Catalog& catalog, std::vector<SchemaObject>& objects,
                std::vector<SchemaObject>& types) {
  std::map<std::string, std::string> trigger_tables;
  for (const auto& row : runner.query("SELECT TRIGGER_NAME, TABLE_NAME FROM ALL_TRIGGERS WHERE "
                                      "OWNER = ? ORDER BY TRIGGER_NAME",
                                      {owner})) {
    trigger_tables[text_at(row, 0)] = text_at(row, 1);
  }
  const auto rows = runner.query(
      "SELECT TYPE, NAME, TEXT FROM ALL_SOURCE WHERE OWNER = ? AND TYPE IN ('PROCEDURE', "
      "'FUNCTION', 'TRIGGER', 'PACKAGE', 'PACKAGE BODY', 'TYPE', 'TYPE BODY') AND NAME NOT LIKE "
      "'SYS!_PLSQL!_%' ESCAPE '!' ORDER BY NAME, TYPE, LINE",
      {owner});
  std::vector<SchemaObject> triggers;
  std::string unit_type;  // of the statement being read
  std::string unit_name;
  std::string text;
  auto finish = [&] {
    if (unit_name.empty()) return;
    const std::string statement = "CREATE OR REPLACE " + std::string(split_detail::trim(text));
    if (unit_type == "TRIGGER") {
      const auto table = trigger_tables.find(unit_name);
      if (table == trigger_tables.end() || tables.count(table->second) == 0) {
        catalog.warnings.push_back(
            {"object-left-out",
             fmt::format("trigger \"{}\" is not backed up: it belongs to table \"{}\", which is "
                         "not",
                         unit_name, table == trigger_tables.end() ? "?" : table->second)});
        return;
      }
      auto object = make_object("trigger", unit_name, "post-data");
      object.statements.push_back(statement);
      object.depends.push_back("table " + table->second);
      triggers.push_back(std::move(object));
    } else {
      auto object = make_object(to_lower(unit_type), unit_name, "pre-data");
      object.statements.push_back(statement);
      if (object.kind == "package body") object.depends.push_back("package " + unit_name);
      const bool type = object.kind == "type" || object.kind == "type body";
      (type ? types : objects).push_back(std::move(object));
    }
  };
  for (const auto& row : rows) {
    if (text_at(row, 0) != unit_type || text_at(row, 1) != unit_name) {
      finish();
      unit_type = text_at(row, 0);
      unit_name = text_at(row, 1);
      text.clear();
    }
    text += text_at(row, 2);
  }
  finish();
  for (auto& trigger : triggers) objects.push_back(std::move(trigger));
}

}  // namespace

void read_oracle_objects(SqlRunner& runner, const std::string& owner, Catalog& catalog) {
  auto& objects = catalog.objects;
  read_sequences(runner, owner, objects);
  std::set<std::string> tables;
  for (const auto& table : catalog.tables) tables.insert(table.name);
  std::vector<SchemaObject> views;
  read_views(runner, owner, views);
  std::vector<SchemaObject> units;
  std::vector<SchemaObject> types;
  read_units(runner, owner, tables, catalog, units, types);
  for (auto& type : in_type_order(runner, owner, std::move(types))) {
    objects.push_back(std::move(type));
  }
  for (const auto& table : catalog.tables) objects.push_back(make_object("table", table.name, "pre-data"));
  for (auto* list : {&views, &units}) {
    for (auto& object : *list) objects.push_back(std::move(object));
  }
  for (const auto& row : runner.query(
           "SELECT OBJECT_TYPE, COUNT(*) FROM ALL_OBJECTS WHERE OWNER = ? AND OBJECT_TYPE IN "
           "('MATERIALIZED VIEW', 'SYNONYM', 'DATABASE LINK', 'JAVA CLASS') GROUP BY "
           "OBJECT_TYPE ORDER BY OBJECT_TYPE",
           {owner})) {
    catalog.warnings.push_back(
        {"object-not-carried",
         fmt::format("{} {} object(s) of schema \"{}\" are not backed up: bru does not carry "
                     "them yet",
                     text_at(row, 1), text_at(row, 0), owner)});
  }
}

}  // namespace bru::schema::dialects

#include "schema/catalog.h"
#include "schema/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "schema/error.h"

namespace bru::schema {

bool Table::matches_name(std::string_view table_name) const {
  return equals_ignoring_case(table_name, display_name()) || equals_ignoring_case(table_name, name);
}

std::string Table::display_name() const {
  if (schema.empty()) return name;
  return schema + "." + name;
}

const Column* Table::find_column(std::string_view column_name) const {
  for (const auto& column : columns) {
    if (column.name == column_name) return &column;
  }
  return nullptr;
}

Column* Table::find_column(std::string_view column_name) {
  return const_cast<Column*>(std::as_const(*this).find_column(column_name));
}

namespace {

using nlohmann::json;

json string_array(const std::vector<std::string>& values) {
  json array = json::array();
  for (const auto& value : values) array.push_back(value);
  return array;
}

json column_to_json(const Column& column) {
  json out = {
      {"name", column.name},
      {"type", to_string(column.type)},
      {"native_type", column.native_type},
      {"nullable", column.nullable},
      {"identity", column.identity},
  };
  // The portable type string drops the length of text kinds only when it is 0, so it is the
  // whole PortableType; no separate fields are needed.
  out["default"] = column.default_sql ? json(*column.default_sql) : json(nullptr);
  if (!column.identity_kind.empty()) out["identity_kind"] = column.identity_kind;
  if (!column.identity_sequence.empty()) out["identity_sequence"] = column.identity_sequence;
  return out;
}

// Reads the fields of one JSON object, naming the offending path in every error so a corrupt
// table of contents says where it is broken.
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail("is not an object");
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kArchiveCorrupt,
                fmt::format("invalid table definition in the archive: {} {}", path_, what))
        .with_hint(
            "the archive's table of contents is damaged; run bru -VERIFY on it, or use "
            "another backup");
  }

  const json& field(const char* key) const {
    auto found = object_.find(key);
    if (found == object_.end()) fail(fmt::format("has no \"{}\"", key));
    return *found;
  }
  bool has(const char* key) const { return object_.contains(key); }
  std::string sub(const char* key) const { return path_ + "." + key; }

  std::string string(const char* key) const {
    const auto& value = field(key);
    if (!value.is_string()) fail(fmt::format("\"{}\" is not a string", key));
    return value.get<std::string>();
  }
  std::string optional_string(const char* key) const {
    return has(key) ? string(key) : std::string();
  }
  bool boolean(const char* key) const {
    const auto& value = field(key);
    if (!value.is_boolean()) fail(fmt::format("\"{}\" is not a boolean", key));
    return value.get<bool>();
  }
  bool optional_boolean(const char* key, bool fallback) const {
    return has(key) ? boolean(key) : fallback;
  }
  const json& array(const char* key) const {
    const auto& value = field(key);
    if (!value.is_array()) fail(fmt::format("\"{}\" is not an array", key));
    return value;
  }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    for (const auto& item : array(key)) {
      if (!item.is_string()) fail(fmt::format("\"{}\" holds a value that is not a string", key));
      out.push_back(item.get<std::string>());
    }
    return out;
  }

 private:
  const json& object_;
  std::string path_;
};

Column column_from_json(const json& object, const std::string& path) {
  Reader reader(object, path);
  Column column;
  column.name = reader.string("name");
  const auto type_text = reader.string("type");
  const auto type = parse_portable_type(type_text);
  if (!type) reader.fail(fmt::format("has an unknown portable type \"{}\"", type_text));
  column.type = *type;
  column.native_type = reader.string("native_type");
  column.nullable = reader.boolean("nullable");
  column.identity = reader.boolean("identity");
  if (reader.has("default") && !reader.field("default").is_null()) {
    column.default_sql = reader.string("default");
  }
  column.identity_kind = reader.optional_string("identity_kind");
  column.identity_sequence = reader.optional_string("identity_sequence");
  return column;
}

void check_columns_exist(const Table& table, const Reader& reader, const std::string& what,
                         const std::vector<std::string>& names) {
  if (names.empty()) reader.fail(fmt::format("{} has no columns", what));
  for (const auto& name : names) {
    if (!table.find_column(name)) {
      reader.fail(fmt::format("{} names column \"{}\", which the table does not have", what, name));
    }
  }
}

}  // namespace

nlohmann::json to_json(const Table& table) {
  json out = {
      {"schema", table.schema},
      {"name", table.name},
      {"dialect", table.dialect},
  };
  out["columns"] = json::array();
  for (const auto& column : table.columns) out["columns"].push_back(column_to_json(column));
  out["primary_key_name"] = table.primary_key_name;
  out["primary_key"] = string_array(table.primary_key);
  out["uniques"] = json::array();
  for (const auto& unique : table.uniques) {
    json entry{{"name", unique.name}, {"columns", string_array(unique.columns)}};
    if (unique.nulls_not_distinct) entry["nulls_not_distinct"] = true;
    out["uniques"].push_back(std::move(entry));
  }
  out["indexes"] = json::array();
  for (const auto& index : table.indexes) {
    out["indexes"].push_back({{"name", index.name},
                              {"columns", string_array(index.columns)},
                              {"unique", index.unique},
                              {"definition_sql", index.definition_sql},
                              {"portable", index.portable}});
  }
  out["foreign_keys"] = json::array();
  for (const auto& fk : table.foreign_keys) {
    out["foreign_keys"].push_back({{"name", fk.name},
                                   {"columns", string_array(fk.columns)},
                                   {"ref_schema", fk.ref_schema},
                                   {"ref_table", fk.ref_table},
                                   {"ref_columns", string_array(fk.ref_columns)},
                                   {"on_delete", fk.on_delete},
                                   {"on_update", fk.on_update},
                                   {"definition_sql", fk.definition_sql}});
  }
  if (!table.native_constraints.empty()) {
    out["native_constraints"] = json::array();
    for (const auto& constraint : table.native_constraints) {
      out["native_constraints"].push_back(
          {{"name", constraint.name}, {"definition_sql", constraint.definition_sql}});
    }
  }
  if (!table.native_sql.empty()) out["native_sql"] = table.native_sql;
  if (table.partitioned) out["partitioned"] = true;
  if (!table.depends.empty()) out["depends"] = string_array(table.depends);
  return out;
}

bool is_object_kind(std::string_view kind) {
  static constexpr std::string_view kKinds[] = {
      "schema", "extension", "collation", "type", "domain", "sequence", "sequence owner",
      "sequence value", "function", "procedure", "aggregate", "view", "materialized view",
      "materialized view data", "column options", "index", "statistics", "trigger", "rule",
      "policy", "row security", "comment", "owner", "acl", "event", "package", "package body",
      "type body"};
  for (std::string_view known : kKinds) {
    if (kind == known) return true;
  }
  return false;
}

bool is_oracle_unit_kind(std::string_view kind) {
  return kind == "package" || kind == "package body" || kind == "type body";
}

nlohmann::json to_json(const SchemaObject& object) {
  return json{{"kind", object.kind},
              {"schema", object.schema},
              {"name", object.name},
              {"section", object.section},
              {"depends", string_array(object.depends)},
              {"statements", string_array(object.statements)},
              {"roles", string_array(object.roles)}};
}

SchemaObject object_from_json(const nlohmann::json& json_object) {
  Reader reader(json_object, "object");
  SchemaObject object;
  object.kind = reader.string("kind");
  object.schema = reader.string("schema");
  object.name = reader.string("name");
  Reader named(json_object, "object \"" + object.identity() + "\"");
  object.section = named.string("section");
  if (!is_object_kind(object.kind) || object.name.empty()) {
    named.fail("has an unknown kind or no name");
  }
  if (object.section != "pre-data" && object.section != "data" && object.section != "post-data") {
    named.fail("has the unknown section \"" + object.section + "\"");
  }
  object.depends = named.strings("depends");
  object.statements = named.strings("statements");
  object.roles = named.strings("roles");
  return object;
}

Table table_from_json(const nlohmann::json& object) {
  Reader reader(object, "table");
  Table table;
  table.schema = reader.string("schema");
  table.name = reader.string("name");
  if (table.name.empty()) reader.fail("has an empty name");
  const std::string path = "table \"" + table.display_name() + "\"";
  Reader table_reader(object, path);
  table.dialect = table_reader.string("dialect");

  const auto& columns = table_reader.array("columns");
  if (columns.empty()) table_reader.fail("has no columns");
  std::set<std::string> seen;
  for (std::size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
    auto column =
        column_from_json(columns[column_idx], fmt::format("{} column {}", path, column_idx + 1));
    if (!seen.insert(column.name).second) {
      table_reader.fail(fmt::format("has column \"{}\" twice", column.name));
    }
    table.columns.push_back(std::move(column));
  }

  table.primary_key_name = table_reader.string("primary_key_name");
  table.primary_key = table_reader.strings("primary_key");
  if (!table.primary_key.empty()) {
    check_columns_exist(table, table_reader, "the primary key", table.primary_key);
  }

  for (const auto& item : table_reader.array("uniques")) {
    Reader unique_reader(item, path + " unique constraint");
    UniqueConstraint unique;
    unique.name = unique_reader.string("name");
    unique.columns = unique_reader.strings("columns");
    unique.nulls_not_distinct = unique_reader.optional_boolean("nulls_not_distinct", false);
    check_columns_exist(table, table_reader, "unique constraint \"" + unique.name + "\"",
                        unique.columns);
    table.uniques.push_back(std::move(unique));
  }

  for (const auto& item : table_reader.array("indexes")) {
    Reader index_reader(item, path + " index");
    Index index;
    index.name = index_reader.string("name");
    index.columns = index_reader.strings("columns");
    index.unique = index_reader.boolean("unique");
    index.definition_sql = index_reader.optional_string("definition_sql");
    index.portable = index_reader.optional_boolean("portable", true);
    // An expression index may have no plain key column at all; a portable one must have some.
    if (index.portable) {
      check_columns_exist(table, table_reader, "index \"" + index.name + "\"", index.columns);
    }
    table.indexes.push_back(std::move(index));
  }

  for (const auto& item : table_reader.array("foreign_keys")) {
    Reader fk_reader(item, path + " foreign key");
    ForeignKey fk;
    fk.name = fk_reader.string("name");
    fk.columns = fk_reader.strings("columns");
    fk.ref_schema = fk_reader.string("ref_schema");
    fk.ref_table = fk_reader.string("ref_table");
    fk.ref_columns = fk_reader.strings("ref_columns");
    fk.on_delete = fk_reader.string("on_delete");
    fk.on_update = fk_reader.string("on_update");
    fk.definition_sql = fk_reader.optional_string("definition_sql");
    const std::string what = "foreign key \"" + fk.name + "\"";
    check_columns_exist(table, table_reader, what, fk.columns);
    if (fk.ref_table.empty()) table_reader.fail(what + " references no table");
    if (fk.ref_columns.size() != fk.columns.size()) {
      table_reader.fail(what + " has a different number of columns and referenced columns");
    }
    table.foreign_keys.push_back(std::move(fk));
  }

  if (table_reader.has("native_constraints")) {
    for (const auto& item : table_reader.array("native_constraints")) {
      Reader constraint_reader(item, path + " constraint");
      table.native_constraints.push_back(
          {constraint_reader.string("name"), constraint_reader.string("definition_sql")});
    }
  }
  table.native_sql = table_reader.optional_string("native_sql");
  table.partitioned = table_reader.optional_boolean("partitioned", false);
  if (table_reader.has("depends")) table.depends = table_reader.strings("depends");
  return table;
}

std::vector<Table> order_by_dependencies(std::vector<Table> tables) {
  const std::size_t count = tables.size();
  std::map<std::pair<std::string, std::string>, std::size_t> index_of;
  for (std::size_t table_idx = 0; table_idx < count; ++table_idx) {
    index_of.emplace(std::make_pair(tables[table_idx].schema, tables[table_idx].name), table_idx);
  }
  // targets[t]: the tables t's foreign keys reference (not itself, not outside the set).
  std::vector<std::set<std::size_t>> targets(count);
  for (std::size_t table_idx = 0; table_idx < count; ++table_idx) {
    for (const auto& fk : tables[table_idx].foreign_keys) {
      auto found = index_of.find({fk.ref_schema, fk.ref_table});
      if (found != index_of.end() && found->second != table_idx) {
        targets[table_idx].insert(found->second);
      }
    }
  }

  // Tables on a cycle form one strongly connected component (Tarjan's algorithm, iterative so a
  // long chain of references cannot exhaust the stack).
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> visit_order(count, kUnvisited);
  std::vector<std::size_t> low(count, 0);
  std::vector<std::size_t> component(count, kUnvisited);
  std::vector<bool> on_stack(count, false);
  std::vector<std::size_t> stack;
  std::size_t next_visit = 0;
  std::size_t component_count = 0;
  for (std::size_t root = 0; root < count; ++root) {
    if (visit_order[root] != kUnvisited) continue;
    // Each frame: a table and the iterator to its next target.
    std::vector<std::pair<std::size_t, std::set<std::size_t>::const_iterator>> frames;
    auto enter = [&](std::size_t table_idx) {
      visit_order[table_idx] = low[table_idx] = next_visit++;
      stack.push_back(table_idx);
      on_stack[table_idx] = true;
      frames.emplace_back(table_idx, targets[table_idx].begin());
    };
    enter(root);
    while (!frames.empty()) {
      auto& [table_idx, next] = frames.back();
      if (next != targets[table_idx].end()) {
        const std::size_t target = *next++;
        if (visit_order[target] == kUnvisited) {
          enter(target);
        } else if (on_stack[target]) {
          low[table_idx] = std::min(low[table_idx], visit_order[target]);
        }
        continue;
      }
      const std::size_t done = table_idx;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] == visit_order[done]) {
        std::size_t member = kUnvisited;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component[member] = component_count;
        } while (member != done);
        ++component_count;
      }
    }
  }

  // Components in dependency order; among the ready ones, always the one whose first table comes
  // first in the input, so the order is stable. Members of a component keep input order.
  std::vector<std::vector<std::size_t>> members(component_count);
  for (std::size_t table_idx = 0; table_idx < count; ++table_idx) {
    members[component[table_idx]].push_back(table_idx);
  }
  std::vector<std::set<std::size_t>> component_targets(component_count);
  std::vector<std::vector<std::size_t>> referrers(component_count);
  for (std::size_t table_idx = 0; table_idx < count; ++table_idx) {
    for (auto target : targets[table_idx]) {
      if (component[target] != component[table_idx] &&
          component_targets[component[table_idx]].insert(component[target]).second) {
        referrers[component[target]].push_back(component[table_idx]);
      }
    }
  }
  std::vector<std::size_t> pending(component_count);
  std::set<std::pair<std::size_t, std::size_t>> ready;  // (first member, component)
  for (std::size_t comp = 0; comp < component_count; ++comp) {
    pending[comp] = component_targets[comp].size();
    if (pending[comp] == 0) ready.emplace(members[comp].front(), comp);
  }
  std::vector<Table> ordered;
  ordered.reserve(count);
  while (!ready.empty()) {
    const std::size_t comp = ready.begin()->second;
    ready.erase(ready.begin());
    for (auto member : members[comp]) ordered.push_back(std::move(tables[member]));
    for (auto referrer : referrers[comp]) {
      if (--pending[referrer] == 0) ready.emplace(members[referrer].front(), referrer);
    }
  }
  return ordered;
}

}  // namespace bru::schema

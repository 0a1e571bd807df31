#include "bru/migrate/map.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "schema/error.h"

namespace bru::migrate {
namespace {

using nlohmann::json;

constexpr const char* kFormatHint = "sql/wfm/MAP-FORMAT.md describes every field of a map";

Error map_error(const std::filesystem::path& path, const std::string& where,
                const std::string& what) {
  return Error(ErrorKind::kScript,
               fmt::format("migration map \"{}\": {}: {}", path.string(), where, what))
      .with_hint(kFormatHint);
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  return value.dump();
}

std::string required_string(const json& object, const char* field, const std::filesystem::path& path,
                            const std::string& where) {
  if (!object.contains(field) || !object[field].is_string() ||
      object[field].get<std::string>().empty()) {
    throw map_error(path, where, fmt::format("\"{}\" is missing or not a text", field));
  }
  return object[field].get<std::string>();
}

std::vector<std::string> string_list(const json& object, const char* field,
                                     const std::filesystem::path& path, const std::string& where,
                                     bool required) {
  std::vector<std::string> list;
  if (!object.contains(field)) {
    if (required) throw map_error(path, where, fmt::format("\"{}\" is missing", field));
    return list;
  }
  if (!object[field].is_array()) {
    throw map_error(path, where, fmt::format("\"{}\" must be a list", field));
  }
  for (const auto& item : object[field]) list.push_back(value_text(item));
  if (required && list.empty()) {
    throw map_error(path, where, fmt::format("\"{}\" is empty", field));
  }
  return list;
}

ColumnRule column_rule(const std::string& target, const json& spec,
                       const std::filesystem::path& path, const std::string& where) {
  ColumnRule rule;
  rule.target = target;
  const std::string at = fmt::format("{}, column \"{}\"", where, target);
  if (spec.is_string()) {
    rule.source = spec.get<std::string>();
    return rule;
  }
  if (!spec.is_object()) throw map_error(path, at, "a column is a source column or an object");
  if (spec.contains("value")) {
    rule.kind = ColumnRule::Kind::kConstant;
    if (!spec["value"].is_null()) rule.constant = value_text(spec["value"]);
    return rule;
  }
  rule.source = required_string(spec, "from", path, at);
  if (spec.contains("values")) {
    rule.kind = ColumnRule::Kind::kValues;
    for (const auto& [old_value, new_value] : spec["values"].items()) {
      rule.values[old_value] = value_text(new_value);
    }
  } else if (spec.contains("add")) {
    if (!spec["add"].is_number_integer()) throw map_error(path, at, "\"add\" must be an integer");
    rule.kind = ColumnRule::Kind::kAdd;
    rule.add = spec["add"].get<std::int64_t>();
  } else if (spec.contains("split")) {
    rule.kind = ColumnRule::Kind::kSplit;
    for (const auto& [old_value, new_values] : spec["split"].items()) {
      if (!new_values.is_array() || new_values.empty()) {
        throw map_error(path, at, fmt::format("split of \"{}\" must be a non-empty list", old_value));
      }
      for (const auto& item : new_values) rule.split[old_value].push_back(value_text(item));
    }
  } else {
    throw map_error(path, at, "an object column needs \"values\", \"add\", \"split\" or \"value\"");
  }
  return rule;
}

Part parse_part(const json& spec, const std::string& id, const std::filesystem::path& path,
                const std::string& where) {
  Part part;
  part.id = id;
  part.from = required_string(spec, "from", path, where);
  part.key = string_list(spec, "key", path, where, true);
  if (spec.contains("join")) {
    const auto& join = spec["join"];
    part.join_table = required_string(join, "table", path, where + ", join");
    if (!join.contains("on") || !join["on"].is_object() || join["on"].empty()) {
      throw map_error(path, where + ", join", "\"on\" must name the columns to join on");
    }
    for (const auto& [left, right] : join["on"].items()) {
      part.join_on.emplace_back(left, value_text(right));
    }
  }
  if (!spec.contains("columns") || !spec["columns"].is_object() || spec["columns"].empty()) {
    throw map_error(path, where, "\"columns\" is missing or empty");
  }
  int splits = 0;
  for (const auto& [target, column_spec] : spec["columns"].items()) {
    part.columns.push_back(column_rule(target, column_spec, path, where));
    if (part.columns.back().kind == ColumnRule::Kind::kSplit) ++splits;
  }
  if (splits > 1) throw map_error(path, where, "at most one column may split a row");
  return part;
}

}  // namespace

const ColumnRule* Part::split_column() const {
  for (const auto& column : columns) {
    if (column.kind == ColumnRule::Kind::kSplit) return &column;
  }
  return nullptr;
}

MigrationMap parse_map(const std::string& text, const std::filesystem::path& path) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& parse_error) {
    throw Error(ErrorKind::kScript,
                fmt::format("migration map \"{}\" is not JSON: {}", path.string(), parse_error.what()))
        .with_hint(kFormatHint);
  }
  if (!document.is_object() || !document.contains("bru_map") || document["bru_map"] != 1) {
    throw map_error(path, "top", "\"bru_map\": 1 is missing (this bru reads map format 1)");
  }
  MigrationMap map;
  map.path = path;
  map.name = document.value("name", path.filename().string());
  if (document.contains("source") && document["source"].contains("version")) {
    const auto& version = document["source"]["version"];
    map.version_table = required_string(version, "table", path, "source.version");
    map.version_column = required_string(version, "column", path, "source.version");
    map.minimum_version = required_string(version, "minimum", path, "source.version");
    map.version_hint = required_string(version, "hint", path, "source.version");
  }
  if (document.contains("target") && document["target"].contains("script")) {
    map.target_script = document["target"]["script"].get<std::string>();
  }
  if (!document.contains("mappings") || !document["mappings"].is_array() ||
      document["mappings"].empty()) {
    throw map_error(path, "top", "\"mappings\" is missing or empty");
  }
  for (const auto& spec : document["mappings"]) {
    Mapping mapping;
    mapping.name = required_string(spec, "name", path, "a mapping");
    const std::string where = fmt::format("mapping \"{}\"", mapping.name);
    for (const auto& other : map.mappings) {
      if (other.name == mapping.name) throw map_error(path, where, "the name is used twice");
    }
    mapping.rule = required_string(spec, "rule", path, where);
    mapping.to = required_string(spec, "to", path, where);
    mapping.terms = string_list(spec, "terms", path, where, false);
    mapping.performance = spec.value("performance", false);
    if (mapping.rule == "union") {
      if (!spec.contains("parts") || !spec["parts"].is_array() || spec["parts"].size() < 2) {
        throw map_error(path, where, "a union needs \"parts\": two or more source tables");
      }
      for (const auto& part_spec : spec["parts"]) {
        const std::string from = required_string(part_spec, "from", path, where);
        mapping.parts.push_back(
            parse_part(part_spec, mapping.name + "/" + from, path, where + ", part " + from));
      }
    } else if (mapping.rule == "copy" || mapping.rule == "merge" || mapping.rule == "split") {
      mapping.parts.push_back(parse_part(spec, mapping.name, path, where));
      const Part& part = mapping.parts.front();
      if ((mapping.rule == "merge") != !part.join_table.empty()) {
        throw map_error(path, where, "a merge (and only a merge) has a \"join\"");
      }
      if ((mapping.rule == "split") != (part.split_column() != nullptr)) {
        throw map_error(path, where, "a split (and only a split) has a column with \"split\"");
      }
    } else {
      throw map_error(path, where,
                      fmt::format("unknown rule \"{}\" (copy, merge, union, split)", mapping.rule));
    }
    if (mapping.performance) {
      mapping.target_key = string_list(spec, "target_key", path, where, true);
      mapping.period = required_string(spec, "period", path, where);
    }
    map.mappings.push_back(std::move(mapping));
  }
  if (document.contains("labels")) {
    for (const auto& spec : document["labels"]) {
      map.labels.push_back({required_string(spec, "term", path, "a label"),
                            required_string(spec, "new", path, "a label"),
                            required_string(spec, "why", path, "a label")});
    }
  }
  return map;
}

MigrationMap load_map(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kNotFound, fmt::format("cannot read migration map \"{}\"", path.string()),
                {"give the map with -MAP <file>, e.g. -MAP sql/wfm/remap-6.5-to-8.5.json"});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_map(text.str(), path);
}

std::filesystem::path target_script_for(const MigrationMap& map, const std::string& engine) {
  static const std::map<std::string, std::string> kSuffix = {
      {"sqlite", "SQLITE"}, {"postgres", "PG"}, {"mariadb", "MARIADB"}, {"mssql", "MSQL"},
      {"oracle", "ORA"}};
  std::string name = map.target_script;
  const auto at = name.find("{ENGINE}");
  if (at != std::string::npos) {
    const auto suffix = kSuffix.find(engine);
    name.replace(at, 8, suffix == kSuffix.end() ? engine : suffix->second);
  }
  return map.path.parent_path() / name;
}

}  // namespace bru::migrate

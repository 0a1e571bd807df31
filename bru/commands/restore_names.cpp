#include "bru/commands/restore_names.h"

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

using schema::NameRules;

// SQLite and MariaDB compare names without ASCII case.
std::string folded(std::string_view name, bool fold_case) {
  return fold_case ? schema::to_lower(name) : std::string(name);
}

// At most max_bytes bytes of name, cut at a character boundary (0: all of it).
std::string fitted(std::string name, std::size_t max_bytes) {
  if (max_bytes == 0 || name.size() <= max_bytes) return name;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  name.resize(cut);
  return name;
}

std::string in_quotes(std::string_view name) {
  return "\"" + schema::escape_for_terminal(name) + "\"";
}

// why: the target's rule that makes them meet, for the hint.
void refuse_tables_that_meet(const RestoreScope& scope, const schema::Dialect& target,
                             const NameRules& rules, const std::string& why) {
  std::map<std::string, const schema::Table*> seen;
  for (const auto* entry : scope.tables) {
    const auto& table = entry->table;
    const auto key = (rules.has_schemas ? table.schema + "." : std::string()) +
                     folded(table.name, rules.table_names_fold_case);
    const auto [at, fresh] = seen.emplace(key, &table);
    if (fresh) continue;
    auto one_name = table;  // as the target would compare both
    one_name.name = folded(table.name, rules.table_names_fold_case);
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("tables {} and {} would both be {} in {}",
                            in_quotes(at->second->display_name()), in_quotes(table.display_name()),
                            target.qualified_name(one_name), target.name()))
        .with_hint(fmt::format("{}; restore them one at a time (-TABLES, or -EXCLUDE the other) "
                               "into different databases; nothing was changed",
                               why));
  }
}

void refuse_columns_that_meet(const RestoreScope& scope, const schema::Dialect& target,
                              const NameRules& rules) {
  if (!rules.column_names_fold_case) return;
  for (const auto* entry : scope.tables) {
    std::map<std::string, const std::string*> seen;
    for (const auto& column : entry->table.columns) {
      const auto [at, fresh] = seen.emplace(folded(column.name, true), &column.name);
      if (fresh) continue;
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("table {}: columns {} and {} would have one name in {}, which "
                              "ignores the case of column names",
                              in_quotes(entry->table.display_name()), in_quotes(*at->second),
                              in_quotes(column.name), target.name()))
          .with_hint("rename one of them in the source and back up again, or restore into an "
                     "engine that keeps them apart; nothing was changed");
    }
  }
}

// The names taken in each scope, and a free one for a name that is taken.
class Names {
 public:
  Names(bool fold_case, std::size_t max_bytes) : fold_case_(fold_case), max_bytes_(max_bytes) {}

  void take(const std::string& scope, std::string_view name) {
    taken_[scope].insert(folded(name, fold_case_));
  }
  // `name` itself when it is free in `scope`, else "<table>_<name>", then with "_2", "_3", ...;
  // the name returned is taken.
  std::string claim(const std::string& scope, const std::string& name, const std::string& table) {
    auto& names = taken_[scope];
    auto candidate = name;
    for (int suffix = 1; !names.insert(folded(candidate, fold_case_)).second; ++suffix) {
      const auto tail = suffix == 1 ? std::string() : "_" + std::to_string(suffix);
      candidate = fitted(table + "_" + name, max_bytes_ - (max_bytes_ ? tail.size() : 0)) + tail;
    }
    return candidate;
  }

 private:
  bool fold_case_;
  std::size_t max_bytes_;
  std::map<std::string, std::set<std::string>> taken_;
};

void rename_indexes_that_meet(RestoreScope& scope, const schema::Dialect& target,
                              const NameRules& rules, log::Log& log) {
  using Scope = NameRules::IndexScope;
  Names names(rules.index_names_fold_case, rules.max_identifier_bytes);
  auto scope_of = [&](const schema::Table& table) {
    switch (rules.index_scope) {
      case Scope::kTable:
        return "table " + table.display_name();
      case Scope::kSchema:
        return "schema " + (rules.has_schemas ? table.schema : std::string());
      case Scope::kDatabase:
        break;
    }
    return std::string("database");
  };
  // Tables share the namespace of index names where that is wider than the table.
  if (rules.index_scope != Scope::kTable) {
    for (const auto* entry : scope.tables) names.take(scope_of(entry->table), entry->table.name);
  }
  auto settle = [&](const schema::Table& table, std::string& name, std::string_view what) {
    if (name.empty()) return;  // the target names it
    const auto settled = names.claim(scope_of(table), name, table.name);
    if (settled == name) return;
    log.warning("index-renamed",
                fmt::format("{} {} of table {} is restored as {}: {} names indexes per {}, and "
                            "that name is taken there",
                            what, in_quotes(name), in_quotes(table.display_name()), in_quotes(settled),
                            target.name(),
                            rules.index_scope == Scope::kSchema ? "schema" : "database"));
    name = settled;
  };
  for (auto& entry : scope.selected) {
    auto& table = entry.table;
    // A PostgreSQL primary key constraint names its index.
    if (rules.index_scope == Scope::kSchema) settle(table, table.primary_key_name, "primary key");
    if (rules.unique_constraints_name_indexes) {
      for (auto& unique : table.uniques) settle(table, unique.name, "unique constraint");
    }
    for (auto& index : table.indexes) settle(table, index.name, "index");
  }
}

void rename_foreign_keys_that_meet(RestoreScope& scope, const schema::Dialect& target,
                                   const NameRules& rules, log::Log& log) {
  if (!rules.foreign_key_names_per_database) return;
  Names names(/*fold_case=*/true, rules.max_identifier_bytes);
  for (auto& entry : scope.selected) {
    for (auto& key : entry.table.foreign_keys) {
      if (key.name.empty()) continue;
      const auto settled = names.claim("database", key.name, entry.table.name);
      if (settled == key.name) continue;
      log.warning("constraint-renamed",
                  fmt::format("foreign key {} of table {} is restored as {}: {} names foreign "
                              "keys per database, and another table's has that name",
                              in_quotes(key.name), in_quotes(entry.table.display_name()),
                              in_quotes(settled), target.name()));
      key.name = settled;
    }
  }
}

}  // namespace

void settle_target_names(RestoreScope& scope, const schema::Dialect& target, log::Log& log) {
  if (scope.tables.empty() || scope.tables.front()->table.dialect == target.name()) return;
  const auto rules = target.name_rules();
  const auto fold = rules.table_names_fold_case ? " and ignores the case of names" : "";
  refuse_tables_that_meet(scope, target, rules,
                          rules.has_schemas ? std::string("it compares names with their case")
                                            : fmt::format("{} has no schemas{}", target.name(), fold));
  refuse_columns_that_meet(scope, target, rules);
  rename_indexes_that_meet(scope, target, rules, log);
  rename_foreign_keys_that_meet(scope, target, rules, log);
}

void check_server_names(const RestoreScope& scope, const schema::Dialect& target,
                        schema::SqlRunner& server, log::Log& log) {
  const auto server_rules = target.server_name_rules(server);
  if (target.name_rules().table_names_fold_case || !server_rules.table_names_fold_case) return;
  refuse_tables_that_meet(scope, target, server_rules,
                          "this server ignores the case of table names (its "
                          "lower_case_table_names is not 0)");
  if (!server_rules.table_names_stored_in_lower_case) return;
  for (const auto* entry : scope.tables) {
    const auto& name = entry->table.name;
    if (schema::to_lower(name) == name) continue;
    log.warning("table-name-folded",
                fmt::format("table {} is restored as {}: this server stores table names in lower "
                            "case (lower_case_table_names = 1)",
                            in_quotes(entry->table.display_name()),
                            in_quotes(schema::to_lower(name))));
  }
}

}  // namespace bru::commands

#include "schema/engines/postgres/postgres_objects_order.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace bru::schema::dialects {
namespace {

// Kinds in the order pg_dump would create them when nothing else decides.
int kind_rank(std::string_view kind) {
  static const std::vector<std::string_view> order = {
      "schema", "extension", "collation", "type", "domain", "function", "aggregate", "procedure", "sequence",
      "table", "view", "materialized view"};
  const auto found = std::find(order.begin(), order.end(), kind);
  return static_cast<int>(found - order.begin());
}
// Schemas' grants come before the owners: a new owner needs CREATE on the object's schema.
int post_rank(const SchemaObject& object) {
  static const std::vector<std::string_view> order = {
      "sequence owner", "index", "statistics", "materialized view data", "trigger", "rule", "row security",
      "policy", "comment", "schema acl", "owner", "acl"};
  const std::string kind =
      object.kind == "acl" && object.name.rfind("SCHEMA ", 0) == 0 ? "schema acl" : object.kind;
  const auto found = std::find(order.begin(), order.end(), kind);
  return static_cast<int>(found - order.begin());
}

}  // namespace

void order_objects(std::vector<Item>& items, const std::set<std::string>& missing_tables,
                   std::map<std::string, Table*>& table_items, Catalog& catalog) {
  std::map<std::string, std::size_t> item_of;
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (!items[item_idx].key.empty()) item_of.emplace(items[item_idx].key, item_idx);
  }
  // Entries that need a relation the catalog does not hold are left out, and what needs them.
  std::set<std::size_t> dropped;
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      if (dropped.count(item_idx) != 0) continue;
      const Item& item = items[item_idx];
      std::vector<std::string> needs = item.needs;
      if (!item.owner_key.empty()) needs.push_back(item.owner_key);
      for (const auto& need : needs) {
        auto found = item_of.find(need);
        const bool gone = (found == item_of.end() && missing_tables.count(need) != 0) ||
                          (found != item_of.end() && dropped.count(found->second) != 0);
        if (!gone) continue;
        dropped.insert(item_idx);
        changed = true;
        if (item.object.section == "pre-data" && item.object.kind != "table") {
          catalog.warnings.push_back(
              {"object-left-out",
               fmt::format("{} \"{}\" is not backed up: it depends on a table that is not",
                           item.object.kind, item.object.name)});
        }
        break;
      }
    }
  }

  std::vector<std::size_t> pre;
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (dropped.count(item_idx) == 0 && items[item_idx].object.section == "pre-data") {
      pre.push_back(item_idx);
    }
  }
  std::stable_sort(pre.begin(), pre.end(), [&](std::size_t left, std::size_t right) {
    return kind_rank(items[left].object.kind) < kind_rank(items[right].object.kind);
  });
  // Kahn's algorithm, always taking the first ready entry in kind order.
  std::map<std::size_t, std::size_t> rank_of;  // item -> position in `pre`
  for (std::size_t rank = 0; rank < pre.size(); ++rank) rank_of[pre[rank]] = rank;
  std::vector<std::vector<std::size_t>> dependents(pre.size());
  std::vector<std::size_t> waiting(pre.size(), 0);
  for (std::size_t rank = 0; rank < pre.size(); ++rank) {
    for (const auto& need : items[pre[rank]].needs) {
      auto found = item_of.find(need);
      if (found == item_of.end()) continue;
      auto need_rank = rank_of.find(found->second);
      if (need_rank == rank_of.end() || need_rank->second == rank) continue;
      dependents[need_rank->second].push_back(rank);
      ++waiting[rank];
    }
  }
  std::set<std::size_t> ready;
  for (std::size_t rank = 0; rank < pre.size(); ++rank) {
    if (waiting[rank] == 0) ready.insert(rank);
  }
  std::vector<std::size_t> sorted;
  std::vector<bool> placed(pre.size(), false);
  while (sorted.size() < pre.size()) {
    std::size_t next = 0;
    if (!ready.empty()) {
      next = *ready.begin();
      ready.erase(ready.begin());
    } else {
      // A cycle pg_depend should not have: keep kind order for the rest.
      while (placed[next]) ++next;
    }
    if (placed[next]) continue;
    placed[next] = true;
    sorted.push_back(next);
    for (std::size_t dependent : dependents[next]) {
      if (--waiting[dependent] == 0 && !placed[dependent]) ready.insert(dependent);
    }
  }

  std::map<std::string, std::size_t> position;  // key -> creation position
  std::vector<Table*> table_order;
  auto identity_of = [&](const std::string& key) -> std::string {
    auto found = item_of.find(key);
    return found == item_of.end() || dropped.count(found->second) != 0
               ? std::string()
               : items[found->second].object.identity();
  };
  for (std::size_t rank : sorted) {
    Item& item = items[pre[rank]];
    position[item.key] = catalog.objects.size();
    for (const auto& need : item.needs) {
      const std::string identity = identity_of(need);
      if (!identity.empty() && identity != item.object.identity()) {
        item.object.depends.push_back(identity);
      }
    }
    if (item.object.kind == "table") {
      if (Table* table = table_items[item.key]) {
        table->depends = item.object.depends;
        table_order.push_back(table);
      }
    }
    catalog.objects.push_back(item.object);
  }
  // catalog.tables in the order the "table" entries place them (the backup matches them up).
  std::vector<Table> ordered;
  std::set<const Table*> taken(table_order.begin(), table_order.end());
  for (Table* table : table_order) ordered.push_back(std::move(*table));
  for (auto& table : catalog.tables) {
    if (taken.count(&table) == 0) ordered.push_back(std::move(table));
  }
  catalog.tables = std::move(ordered);
  table_items.clear();

  std::vector<std::size_t> rest;
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (dropped.count(item_idx) == 0 && items[item_idx].object.section != "pre-data") {
      rest.push_back(item_idx);
    }
  }
  auto place = [&](std::size_t item_idx) {
    auto found = position.find(items[item_idx].owner_key);
    return found == position.end() ? catalog.objects.size() : found->second;
  };
  std::stable_sort(rest.begin(), rest.end(), [&](std::size_t left, std::size_t right) {
    const auto& a = items[left].object;
    const auto& b = items[right].object;
    if (a.section != b.section) return a.section == "data";
    if (post_rank(a) != post_rank(b)) return post_rank(a) < post_rank(b);
    return place(left) < place(right);
  });
  for (std::size_t item_idx : rest) {
    Item& item = items[item_idx];
    const std::string owner = identity_of(item.owner_key);
    if (!owner.empty()) item.object.depends.push_back(owner);
    for (const auto& need : item.needs) {
      const std::string identity = identity_of(need);
      if (!identity.empty() && identity != owner) item.object.depends.push_back(identity);
    }
    catalog.objects.push_back(item.object);
  }
}

}  // namespace bru::schema::dialects

#include "bru/commands/restore_key_types.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace bru::commands {
namespace {

using schema::Column;
using schema::TypeKind;

bool is_integer(TypeKind kind) {
  return kind == TypeKind::kInt16 || kind == TypeKind::kInt32 || kind == TypeKind::kInt64;
}

// The restore's own copy of the table a foreign key references, or nullptr (left out).
schema::Table* referenced_table(RestoreScope& scope, const schema::ForeignKey& key,
                                const schema::Table& from) {
  const auto& schema_name = key.ref_schema.empty() ? from.schema : key.ref_schema;
  for (auto& entry : scope.selected) {
    if (entry.table.name == key.ref_table && entry.table.schema == schema_name) return &entry.table;
  }
  return nullptr;
}

// Widens column to kind; returns whether it changed.
bool widen(schema::Table& table, Column& column, TypeKind kind, const schema::Table& other,
           const std::string& other_column, log::Log& log) {
  if (column.type.kind >= kind) return false;
  const auto before = schema::to_string(column.type);
  column.type = schema::PortableType{.kind = kind};
  log.warning("foreign-key-type-widened",
              fmt::format("{}.{} is restored as {} instead of {}: the foreign key between it and "
                          "{}.{} needs one integer type in the target",
                          table.display_name(), column.name, schema::to_string(column.type),
                          before, other.display_name(), other_column));
  return true;
}

}  // namespace

void match_foreign_key_types(RestoreScope& scope, const schema::Dialect& target, log::Log& log) {
  if (scope.tables.empty() || scope.tables.front()->table.dialect == target.name() ||
      !target.foreign_key_types_must_match()) {
    return;
  }
  static_assert(TypeKind::kInt16 < TypeKind::kInt32 && TypeKind::kInt32 < TypeKind::kInt64);
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& entry : scope.selected) {
      auto& table = entry.table;
      for (const auto& key : table.foreign_keys) {
        auto* referenced = referenced_table(scope, key, table);
        if (referenced == nullptr) continue;
        for (std::size_t i = 0; i < key.columns.size() && i < key.ref_columns.size(); ++i) {
          auto* local = table.find_column(key.columns[i]);
          auto* remote = referenced->find_column(key.ref_columns[i]);
          if (local == nullptr || remote == nullptr || local->type.kind == remote->type.kind ||
              !is_integer(local->type.kind) || !is_integer(remote->type.kind)) {
            continue;
          }
          const auto wider = std::max(local->type.kind, remote->type.kind);
          changed |= widen(table, *local, wider, *referenced, remote->name, log);
          changed |= widen(*referenced, *remote, wider, table, local->name, log);
        }
      }
    }
  }
}

}  // namespace bru::commands

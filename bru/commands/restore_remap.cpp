#include "bru/commands/restore_remap.h"

#include <fmt/format.h>

#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

class SchemaRemap {
 public:
  SchemaRemap(const schema::Dialect& source, std::string from, std::string to)
      : source_(source), from_(std::move(from)), to_(std::move(to)) {}

  void table(archive::TableEntry& entry) const {
    auto& table = entry.table;
    if (table.schema == from_) table.schema = to_;
    sql(entry.native_ddl);
    sql(table.native_sql);
    for (auto& column : table.columns) {
      sql(column.native_type);
      if (column.default_sql) sql(*column.default_sql);
      sql(column.identity_sequence);
    }
    for (auto& index : table.indexes) sql(index.definition_sql);
    for (auto& key : table.foreign_keys) {
      if (key.ref_schema == from_) key.ref_schema = to_;
      sql(key.definition_sql);
    }
    for (auto& constraint : table.native_constraints) sql(constraint.definition_sql);
    for (auto& need : table.depends) sql(need);
  }

  void object(schema::SchemaObject& object) const {
    if (object.schema == from_) object.schema = to_;
    if (object.kind == "schema") {
      // The entry names the schema itself, as it is quoted in its statement.
      auto renamed = source_.remap_schema_sql("SCHEMA " + object.name, from_, to_);
      object.name = renamed.substr(7);
    } else {
      sql(object.name);
    }
    for (auto& need : object.depends) sql(need);
    for (auto& statement : object.statements) sql(statement);
  }

 private:
  void sql(std::string& text) const {
    if (!text.empty()) text = source_.remap_schema_sql(text, from_, to_);
  }

  const schema::Dialect& source_;
  std::string from_;
  std::string to_;
};

bool holds_schema(const RestoreScope& scope, const std::string& name) {
  for (const auto& entry : scope.selected) {
    if (entry.table.schema == name) return true;
  }
  for (const auto& entry : scope.objects) {
    if (entry.object.schema == name) return true;
  }
  return false;
}

}  // namespace

void remap_schemas(RestoreScope& scope, const archive::ArchiveReader& reader,
                   const schema::Dialect& target, const cli::Options& options) {
  if (options.remap_schemas.empty()) return;
  const auto source_name = reader.meta().find("source_dialect");
  const auto source = schema::make_dialect(
      source_name == reader.meta().end() ? target.name() : source_name->second);
  for (const auto& [from, to] : options.remap_schemas) {
    if (!holds_schema(scope, from)) {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("schema \"{}\" (-REMAP-SCHEMA) is not in what this restore takes "
                              "from archive \"{}\"",
                              schema::escape_for_terminal(from), options.file))
          .with_hint(fmt::format("nothing was changed: bru -LIST -FILE {} lists the archive's "
                                 "tables and objects with their schemas",
                                 options.file));
    }
  }
  for (const auto& [from, to] : options.remap_schemas) {
    const SchemaRemap remap(*source, from, to);
    bool has_entry = false;  // the schema's own entry, renamed
    for (auto& entry : scope.objects) {
      const auto name = entry.object.name;
      remap.object(entry.object);
      has_entry = has_entry || (entry.object.kind == "schema" && entry.object.name != name);
    }
    for (auto& entry : scope.selected) remap.table(entry);
    if (has_entry || scope.objects.empty()) continue;
    // A schema without an entry of its own (PostgreSQL's public): created first, before the
    // objects that now live in it.
    archive::ObjectEntry created;
    created.object.kind = "schema";
    created.object.name = to;
    created.object.section = "pre-data";
    created.object.statements = target.create_schema_sql(to);
    scope.objects.insert(scope.objects.begin(), std::move(created));
  }
}

}  // namespace bru::commands

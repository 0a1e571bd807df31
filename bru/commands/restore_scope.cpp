#include "bru/commands/restore_scope.h"

#include <map>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {

std::vector<std::string> name_parts(std::string_view qualified) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (std::size_t char_idx = 0; char_idx < qualified.size(); ++char_idx) {
    const char c = qualified[char_idx];
    if (quoted && c == '"' && char_idx + 1 < qualified.size() && qualified[char_idx + 1] == '"') {
      parts.back() += '"';
      ++char_idx;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

namespace {

constexpr std::string_view kTablePrefix = "table ";

bool named_in(const schema::Table& table, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (table.matches_name(name)) return true;
  }
  return false;
}


// The archive's table of schema and name (an empty schema on either side matches any).
std::optional<std::size_t> find_table(const std::vector<archive::TableEntry>& tables,
                                      std::string_view schema_name, std::string_view name) {
  for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const auto& table = tables[table_idx].table;
    if (table.name == name &&
        (table.schema.empty() || schema_name.empty() || table.schema == schema_name)) {
      return table_idx;
    }
  }
  return std::nullopt;
}

class ScopeBuilder {
 public:
  ScopeBuilder(const archive::ArchiveReader& reader, const cli::Options& options, log::Log& log)
      : tables_(reader.tables()), objects_(reader.objects()), options_(options), log_(log) {}

  RestoreScope build() {
    check_named_tables();
    const bool selecting = !options_.tables.empty() || !options_.exclude.empty();
    index_identities();
    choose_tables(selecting);
    if (selecting) {
      close_over_needs();
      leave_out_owned_sequences();
      take_the_rest();
    }
    RestoreScope scope;
    for (std::size_t table_idx = 0; table_idx < tables_.size(); ++table_idx) {
      if (!chosen_[table_idx]) continue;
      scope.selected.push_back(tables_[table_idx]);
      if (selecting) leave_out_foreign_keys(scope.selected.back());
      scope.tables.push_back(&scope.selected.back());
    }
    for (const auto& entry : objects_) {
      if (!selecting || (restored_.count(entry.object.identity()) != 0 && sets_position(entry))) {
        scope.objects.push_back(entry);
      }
    }
    if (selecting) warn_left_out();
    report_left_out();
    return scope;
  }

 private:
  void check_named_tables() const {
    for (const auto& wanted : options_.tables) {
      bool found = false;
      for (const auto& entry : tables_) found = found || entry.table.matches_name(wanted);
      if (!found) {
        throw Error(ErrorKind::kNotFound,
                    fmt::format("table \"{}\" (-TABLES) is not in archive \"{}\"", wanted,
                                options_.file))
            .with_hint(fmt::format("bru -LIST -FILE {} lists the tables it holds", options_.file));
      }
    }
  }

  // Which depends entries name a table of the archive, and which name an object.
  void index_identities() {
    for (std::size_t object_idx = 0; object_idx < objects_.size(); ++object_idx) {
      object_of_.emplace(objects_[object_idx].object.identity(), object_idx);
    }
    auto note = [&](const std::string& identity) {
      if (identity.rfind(kTablePrefix, 0) != 0 || table_of_.count(identity) != 0) return;
      const auto parts = name_parts(std::string_view(identity).substr(kTablePrefix.size()));
      const auto found = parts.size() == 2 ? find_table(tables_, parts[0], parts[1])
                                           : find_table(tables_, "", parts.back());
      if (found) {
        table_of_.emplace(identity, *found);
        identity_of_.emplace(*found, identity);
      }
    };
    for (const auto& entry : objects_) {
      for (const auto& need : entry.object.depends) note(need);
    }
    for (const auto& entry : tables_) {
      for (const auto& need : entry.table.depends) note(need);
    }
  }

  // The partitioned table a table is a partition of, if any.
  std::optional<std::size_t> parent_of(const archive::TableEntry& entry) const {
    for (const auto& need : entry.table.depends) {
      auto found = table_of_.find(need);
      if (found != table_of_.end() && tables_[found->second].table.partitioned) {
        return found->second;
      }
    }
    return std::nullopt;
  }

  // -TABLES and -EXCLUDE by name; a partition not named itself follows its partitioned table.
  void choose_tables(bool selecting) {
    chosen_.assign(tables_.size(), true);
    if (!selecting) return;
    for (std::size_t table_idx = 0; table_idx < tables_.size(); ++table_idx) {
      const auto& table = tables_[table_idx].table;
      const auto parent = parent_of(tables_[table_idx]);
      bool chosen = options_.tables.empty() || named_in(table, options_.tables);
      if (parent && !named_in(table, options_.tables)) chosen = chosen_[*parent];
      if (named_in(table, options_.exclude)) chosen = false;
      chosen_[table_idx] = chosen;
      if (!chosen) continue;
      auto identity = identity_of_.find(table_idx);
      if (identity != identity_of_.end()) restored_.insert(identity->second);
    }
  }

  std::string display(const std::string& identity) const {
    auto table = table_of_.find(identity);
    if (table != table_of_.end()) {
      return fmt::format("table \"{}\"", tables_[table->second].table.display_name());
    }
    return identity;
  }

  // Everything the chosen tables depend on, and what that depends on.
  void close_over_needs() {
    std::vector<std::pair<std::string, std::string>> pending;  // (identity, who needs it)
    for (std::size_t table_idx = 0; table_idx < tables_.size(); ++table_idx) {
      if (!chosen_[table_idx]) continue;
      const auto who = fmt::format("table \"{}\"", tables_[table_idx].table.display_name());
      for (const auto& need : tables_[table_idx].table.depends) pending.emplace_back(need, who);
    }
    while (!pending.empty()) {
      auto [identity, who] = pending.back();
      pending.pop_back();
      auto table = table_of_.find(identity);
      if (table != table_of_.end()) {
        if (chosen_[table->second]) continue;
        const auto name = tables_[table->second].table.display_name();
        throw Error(ErrorKind::kUsage,
                    schema::escape_for_terminal(fmt::format(
                        "{} needs table \"{}\", which -TABLES/-EXCLUDE leave out", who, name)))
            .with_hint(schema::escape_for_terminal(fmt::format(
                "nothing was changed: add {} to -TABLES (or take it out of -EXCLUDE)", name)));
      }
      auto object = object_of_.find(identity);
      if (object == object_of_.end() || !restored_.insert(identity).second) continue;
      needed_.insert(identity);
      const auto by = fmt::format("{}, which {} needs,", identity, who);
      for (const auto& need : objects_[object->second].object.depends) {
        pending.emplace_back(need, by);
      }
    }
  }

  // A sequence a column of a table not restored owns (serial) goes with that table, unless a
  // restored table needs it.
  void leave_out_owned_sequences() {
    for (const auto& entry : objects_) {
      const auto& object = entry.object;
      if (object.kind != "sequence owner" || object.depends.empty()) continue;
      const auto& sequence = object.depends.front();
      if (restored_.count(sequence) != 0) continue;
      for (const auto& need : object.depends) {
        auto table = table_of_.find(need);
        if (table != table_of_.end() && !chosen_[table->second]) {
          owned_by_left_out_.insert(sequence);
        }
      }
    }
  }

  // -DATA-ONLY into a database that may be in use: of the sequences, only those the selected
  // tables own or use are set to the archive's position, not every standalone one.
  bool sets_position(const archive::ObjectEntry& entry) const {
    const auto& object = entry.object;
    if (!options_.data_only || object.kind != "sequence value" || object.depends.empty()) {
      return true;
    }
    const auto& sequence = object.depends.front();
    if (table_of_.count(sequence) != 0 || needed_.count(sequence) != 0) return true;  // identity
    for (const auto& owner : objects_) {
      if (owner.object.kind != "sequence owner" || owner.object.depends.empty() ||
          owner.object.depends.front() != sequence) {
        continue;
      }
      for (const auto& need : owner.object.depends) {
        auto table = table_of_.find(need);
        if (table != table_of_.end() && chosen_[table->second]) return true;
      }
    }
    return false;
  }

  // A depends entry is met when it is restored or names nothing the archive holds.
  bool met(const std::string& identity) const {
    return restored_.count(identity) != 0 ||
           (table_of_.count(identity) == 0 && object_of_.count(identity) == 0);
  }

  // Every other entry whose depends are all met, until no more are.
  void take_the_rest() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (const auto& entry : objects_) {
        const auto identity = entry.object.identity();
        if (restored_.count(identity) != 0 || owned_by_left_out_.count(identity) != 0) continue;
        bool all_met = true;
        for (const auto& need : entry.object.depends) all_met = all_met && met(need);
        if (all_met) changed = restored_.insert(identity).second || changed;
      }
    }
  }

  // A selected table's foreign keys to tables of the archive not restored.
  void leave_out_foreign_keys(archive::TableEntry& entry) {
    auto& keys = entry.table.foreign_keys;
    for (auto key = keys.begin(); key != keys.end();) {
      const auto target = find_table(tables_, key->ref_schema, key->ref_table);
      if (!target || chosen_[*target]) {
        ++key;
        continue;
      }
      warn("foreign-key-left-out",
                   schema::escape_for_terminal(fmt::format(
                       "foreign key \"{}\" of table \"{}\" is not restored: the table it "
                       "references, \"{}\", is not restored (-TABLES/-EXCLUDE)",
                       key->name, entry.table.display_name(),
                       tables_[*target].table.display_name())));
      key = keys.erase(key);
    }
  }

  // Each entry left out that is an object of its own (created before the data), or a part of
  // something restored (a trigger of a restored table whose function is left out); the parts of
  // what is not restored (its triggers, comments, grants, position) go with it unnamed, and so
  // does a table's own sequence.
  void warn_left_out() {
    for (const auto& entry : objects_) {
      const auto& object = entry.object;
      const auto identity = object.identity();
      if (restored_.count(identity) != 0 || owned_by_left_out_.count(identity) != 0) continue;
      // A part's first depends entry is what it belongs to (postgres_objects_order.cpp); a
      // table's column options are a part created before the data.
      const bool part = object.section != "pre-data" || object.kind == "column options";
      if (part &&
          (object.depends.empty() || restored_.count(object.depends.front()) == 0)) {
        continue;
      }
      std::string missing;
      for (const auto& need : object.depends) {
        if (!met(need) && missing.empty()) missing = display(need);
      }
      warn("object-left-out",
                   schema::escape_for_terminal(fmt::format(
                       "{} {} is not restored: it needs {}, which is not restored "
                       "(-TABLES/-EXCLUDE)",
                       object.kind, object.name, missing)));
    }
  }

  void warn(std::string code, std::string message) {
    warnings_.emplace_back(std::move(code), std::move(message));
  }

  // Each warning, or with -STRICT all of them as one error before anything changes.
  void report_left_out() const {
    if (warnings_.empty()) return;
    if (options_.strict) {
      std::vector<std::string> messages;
      for (const auto& warning : warnings_) messages.push_back(warning.second);
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("-STRICT: this restore leaves out {} entr{} of the archive: {}",
                              messages.size(), messages.size() == 1 ? "y" : "ies",
                              fmt::join(messages, "; ")))
          .with_hint("nothing was changed: add the tables they need to -TABLES (or take them out "
                     "of -EXCLUDE), or restore without -STRICT");
    }
    for (const auto& [code, message] : warnings_) log_.warning(code, message);
  }

  const std::vector<archive::TableEntry>& tables_;
  const std::vector<archive::ObjectEntry>& objects_;
  const cli::Options& options_;
  log::Log& log_;
  std::map<std::string, std::size_t> object_of_;  // identity -> index in objects_
  std::map<std::string, std::size_t> table_of_;   // "table ..." identity -> index in tables_
  std::map<std::size_t, std::string> identity_of_;
  std::vector<bool> chosen_;
  std::set<std::string> restored_;  // identities of the tables and objects restored
  std::set<std::string> needed_;    // the objects the selected tables need (the closure)
  std::set<std::string> owned_by_left_out_;  // sequences that go with a table not restored
  std::vector<std::pair<std::string, std::string>> warnings_;  // (code, message)
};

}  // namespace

RestoreScope restore_scope(const archive::ArchiveReader& reader, const cli::Options& options,
                           log::Log& log) {
  return ScopeBuilder(reader, options, log).build();
}

}  // namespace bru::commands

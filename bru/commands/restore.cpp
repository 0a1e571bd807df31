// -RESTORE: an archive into a database, then proof that the database holds what the archive
// holds.
//
//   open archive -> what it takes (restore_scope.h: -TABLES/-EXCLUDE and what they need;
//   restore_remap.h: -REMAP-SCHEMA) -> connect -> generate all DDL (refusals come before any
//   load) -> check the target (empty, or -CLEAN; -DATA-ONLY: tables of the archive's shape,
//   restore_parts.h) -> one transaction: pre-data (schemas, tables) -> data -> post-data
//      (primary keys where the engine adds them after the rows, unique constraints, indexes,
//      foreign keys, identity positions) -> verify (row counts and content checksums read back
//      from the target) -> commit
//
// Everything runs in ONE transaction on engines with transactional DDL (PostgreSQL, SQLite): a
// failure, a verification mismatch or SIGINT rolls back, and a killed bru leaves an open
// transaction the server rolls back. The target is either fully restored and verified, or as it
// was. On PostgreSQL the transaction runs on a libpq session that loads with COPY
// (restore_session.h; -BULK odbc keeps it on the ODBC connection).
//
// Engines without transactional DDL (MariaDB) restore only into an empty database; on a
// failure or SIGINT bru drops every table and object it created and checks the database is empty
// again (restore_undo.h); a guardian process does the same if bru is killed
// (restore_guardian.h). The data loads with LOAD DATA LOCAL INFILE on a libmariadb session there,
// one transaction per table (restore_session.h; -BULK odbc: INSERTs in one ODBC transaction).
//
// Into PostgreSQL through libpq and MariaDB through libmariadb with -THREADS n > 1 (the default is
// 2) the steps after the checks run on n sessions instead, each step in transactions of its own (restore_parallel.h); a
// failure is undone by dropping what the restore created, and the catalog is compared with the
// one read before.
#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bru/commands/commands.h"
#include "bru/commands/database.h"
#include "bru/commands/restore_clean.h"
#include "bru/commands/restore_guardian.h"
#include "bru/commands/restore_key_types.h"
#include "bru/commands/restore_names.h"
#include "bru/commands/restore_parallel.h"
#include "bru/commands/restore_parts.h"
#include "bru/commands/restore_plan.h"
#include "bru/commands/restore_remap.h"
#include "bru/commands/restore_scope.h"
#include "bru/commands/restore_session.h"
#include "bru/commands/restore_undo.h"
#include "bru/commands/restore_zero_dates.h"
#include "bru/progress.h"
#include "formats/archive.h"
#include "schema/engines/archive_sql.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

bool restores_objects(const archive::ArchiveReader& reader, const schema::Dialect& dialect);

void check_target(Database& database, const archive::ArchiveReader& reader,
                  const RestoreScope& scope, const cli::Options& options) {
  const auto& tables = scope.tables;
  if (!database.dialect->transactional_ddl()) {
    require_empty_target(database, options.clean);
    return;
  }
  if (options.clean) {
    const std::vector<archive::ObjectEntry> none;
    const bool with_objects = restores_objects(reader, *database.dialect);
    check_clean_dependents(database, with_objects ? scope.objects : none, tables);
    return;
  }
  odbc::ConnectionRunner runner(database.connection);
  const auto existing = database.dialect->read_catalog(runner, schema::CatalogFilter{});
  for (const auto* entry : tables) {
    for (const auto& table : existing.tables) {
      if (table.name == entry->table.name &&
          (table.schema.empty() || entry->table.schema.empty() ||
           table.schema == entry->table.schema)) {
        throw Error(ErrorKind::kConflict,
                    fmt::format("table \"{}\" already exists in {}", table.display_name(),
                                database.target.display))
            .with_hint("restore into an empty database, or add -CLEAN to drop the tables the "
                       "archive holds before restoring them");
      }
    }
  }
}

// Those of `names` that the target's list query does not return, for messages.
std::vector<std::string> not_in_target(Database& database, const std::string& list_sql,
                                       const std::set<std::string>& names) {
  odbc::ConnectionRunner runner(database.connection);
  std::set<std::string> listed;
  for (const auto& row : runner.query(list_sql)) {
    if (!row.empty() && row[0]) listed.insert(*row[0]);
  }
  std::vector<std::string> missing;
  for (const auto& name : names) {
    if (listed.count(name) == 0) missing.push_back(schema::escape_for_terminal(name));
  }
  return missing;
}

// The roles the archive's owners, grants and policies name must exist in the target: refused
// before any change, naming each missing role (-NO-OWNER and -NO-PRIVILEGES leave out owners and
// grants, as with pg_restore).
void check_roles(Database& database, const archive::ArchiveReader& reader,
                 const std::vector<archive::ObjectEntry>& objects, const cli::Options& options) {
  if (objects.empty() || !restores_objects(reader, *database.dialect) ||
      database.dialect->roles_sql().empty()) {
    return;
  }
  std::set<std::string> named;
  for (const auto& entry : objects) {
    if (entry.object.kind == "owner" && options.no_owner) continue;
    if (entry.object.kind == "acl" && options.no_privileges) continue;
    named.insert(entry.object.roles.begin(), entry.object.roles.end());
  }
  if (named.empty()) return;
  std::vector<std::string> missing;
  for (const auto& role : not_in_target(database, database.dialect->roles_sql(), named)) {
    missing.push_back("\"" + role + "\"");
  }
  if (missing.empty()) return;
  throw Error(ErrorKind::kNotFound,
              fmt::format("the archive names roles that do not exist in {}: {}",
                          database.target.display, fmt::format("{}", fmt::join(missing, ", "))))
      .with_hint("nothing was changed: create those roles first, or restore with -NO-OWNER "
                 "and -NO-PRIVILEGES (policies still name their roles)");
}

// The extensions the archive creates must be installable in the target (their files on the
// server): refused before any change, naming each, instead of failing part way through with the
// server's "could not open extension control file".
void check_extensions(Database& database, const archive::ArchiveReader& reader,
                      const std::vector<archive::ObjectEntry>& objects) {
  if (!restores_objects(reader, *database.dialect) ||
      database.dialect->available_extensions_sql().empty()) {
    return;
  }
  std::set<std::string> wanted;
  for (const auto& entry : objects) {
    if (entry.object.kind == "extension") wanted.insert(entry.object.name);
  }
  if (wanted.empty()) return;
  const auto missing =
      not_in_target(database, database.dialect->available_extensions_sql(), wanted);
  if (missing.empty()) return;
  throw Error(ErrorKind::kNotFound,
              fmt::format("the archive needs extensions that the server of {} does not have: {}",
                          database.target.display, fmt::format("{}", fmt::join(missing, ", "))))
      .with_hint("nothing was changed: install the packages that provide them on the database "
                 "server (Debian: postgresql-contrib, or postgresql-<major>-<extension>), then "
                 "restore again; pg_available_extensions lists what it has");
}

// Whether the archive's schema objects (format 4) restore into this target: only into the
// engine that wrote them.
bool restores_objects(const archive::ArchiveReader& reader, const schema::Dialect& dialect) {
  const auto source = reader.meta().find("source_dialect");
  return !reader.objects().empty() && source != reader.meta().end() &&
         source->second == dialect.name();
}

// The schema objects a restore into this target runs (none unless restores_objects).
std::vector<schema::SchemaObject> restored_objects(const archive::ArchiveReader& reader,
                                                   const RestoreScope& scope,
                                                   const schema::Dialect& dialect) {
  std::vector<schema::SchemaObject> objects;
  if (!restores_objects(reader, dialect)) return objects;
  for (const auto& entry : scope.objects) objects.push_back(entry.object);
  return objects;
}

// The tables whose primary key a schema object of pre-data may need when it is created: a view or
// function that groups by a table's key (the columns the key determines are then selectable
// without being grouped) or names it in ON CONFLICT.
std::set<const archive::TableEntry*> keys_needed_by_objects(
    const std::vector<archive::ObjectEntry>& objects,
    const std::vector<const archive::TableEntry*>& tables) {
  static const std::regex kNeedsKey(R"(\b(group\s+by|on\s+conflict)\b)", std::regex::icase);
  constexpr std::string_view kTablePrefix = "table ";
  std::set<const archive::TableEntry*> needed;
  for (const auto& entry : objects) {
    const auto& object = entry.object;
    if (object.section != "pre-data" ||
        std::none_of(object.statements.begin(), object.statements.end(),
                     [](const std::string& sql) { return std::regex_search(sql, kNeedsKey); })) {
      continue;
    }
    for (const auto& need : object.depends) {
      if (need.rfind(kTablePrefix, 0) != 0) continue;
      const auto parts = name_parts(std::string_view(need).substr(kTablePrefix.size()));
      for (const auto* table : tables) {
        if (table->table.name == parts.back() &&
            (parts.size() == 1 || table->table.schema == parts.front())) {
          needed.insert(table);
        }
      }
    }
  }
  return needed;
}

// Whose primary key is added after the rows are loaded (Dialect::late_primary_key_sql), and how.
using LateKeys = std::map<const archive::TableEntry*, schema::Dialect::LateKeySql>;

LateKeys late_keys(const schema::Dialect& dialect, const std::vector<archive::ObjectEntry>& objects,
                   const std::vector<const archive::TableEntry*>& tables, bool with_objects) {
  const auto needed = with_objects ? keys_needed_by_objects(objects, tables)
                                   : std::set<const archive::TableEntry*>{};
  LateKeys late;
  for (const auto* entry : tables) {
    if (needed.count(entry) > 0) continue;
    if (auto sql = dialect.late_primary_key_sql(entry->table)) late.emplace(entry, std::move(*sql));
  }
  return late;
}

// The archive's entries in creation order (object id): each schema object's statements, and
// each selected table's CREATE TABLE where it comes.
void plan_pre_data(const schema::Dialect& dialect, const std::vector<archive::ObjectEntry>& objects,
                   const std::vector<const archive::TableEntry*>& tables, bool with_objects,
                   const LateKeys& late, const cli::Options& options, RestorePlan& plan) {
  std::vector<std::string> schemas_made;
  auto make_schema = [&](const std::string& schema_name) {
    if (!schema_name.empty() &&
        std::find(schemas_made.begin(), schemas_made.end(), schema_name) == schemas_made.end()) {
      for (auto& sql : dialect.create_schema_sql(schema_name)) plan.pre_data.push_back(std::move(sql));
      schemas_made.push_back(schema_name);
    }
  };
  auto create_table = [&](const archive::TableEntry& entry) {
    make_schema(entry.table.schema);
    const auto found = late.find(&entry);
    plan.pre_data.push_back(found == late.end() ? dialect.create_table_sql(entry.table)
                                                : found->second.create_table);
  };
  if (!with_objects) {
    for (const auto* entry : tables) create_table(*entry);
    return;
  }
  for (auto& sql : dialect.begin_restore_sql()) plan.pre_data.push_back(std::move(sql));
  std::size_t table_idx = 0;
  auto tables_before = [&](std::int64_t object_id) {
    while (table_idx < tables.size() && tables[table_idx]->object_id < object_id) {
      create_table(*tables[table_idx++]);
    }
  };
  for (const auto& entry : objects) {
    schema::dialects::check_object(dialect.name(), entry.object);
    if (entry.object.section != "pre-data" || !in_restore_part(entry.object, options)) continue;
    tables_before(entry.object_id);
    // A module before the first table of its schema (a function the table uses) needs the
    // schema too, where the archive has no entry that makes it (SQL Server's).
    if (entry.object.kind != "schema") make_schema(entry.object.schema);
    for (const auto& sql : entry.object.statements) plan.pre_data.push_back(sql);
  }
  tables_before(std::numeric_limits<std::int64_t>::max());
}

void plan_post_data_objects(const std::vector<archive::ObjectEntry>& objects,
                            const cli::Options& options, RestorePlan& plan) {
  for (const auto& entry : objects) {
    const auto& object = entry.object;
    if (object.section == "pre-data" || !in_restore_part(object, options)) continue;
    if (object.kind == "owner" && options.no_owner) continue;
    if (object.kind == "acl" && options.no_privileges) continue;
    auto& into = object.section == "data" ? plan.data : plan.post_data;
    for (const auto& sql : object.statements) into.push_back(sql);
  }
}

}  // namespace

RestorePlan plan_ddl(const schema::Dialect& dialect, const archive::ArchiveReader& reader,
                     const RestoreScope& scope, const cli::Options& options) {
  const auto& tables = scope.tables;
  RestorePlan plan;
  const bool with_objects = restores_objects(reader, dialect);
  if (options.data_only) {
    // The tables and every object exist: only the sequences' positions and the materialized
    // views' contents follow the rows (restore_parts.h).
    if (with_objects) {
      for (const auto& entry : scope.objects) {
        schema::dialects::check_object(dialect.name(), entry.object);
      }
      plan_load_suspensions(dialect, scope.objects, plan.pre_data, plan.post_data);
      plan_post_data_objects(scope.objects, options, plan);
      return plan;
    }
    for (const auto* entry : tables) {
      for (auto& sql : dialect.reset_identity_sql(entry->table)) {
        plan.data.push_back(std::move(sql));
      }
    }
    return plan;
  }
  if (options.clean && dialect.cleans_objects()) {
    const std::vector<archive::ObjectEntry> none;
    // restore_clean.h: never CASCADE
    plan.pre_data = clean_sql(dialect, with_objects ? scope.objects : none, tables);
  } else if (options.clean) {
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
      plan.pre_data.push_back(dialect.drop_table_sql((*it)->table));
    }
  }
  // Tables in object id order: the order the archive creates them in.
  auto ordered = tables;
  if (with_objects) {
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* left, const auto* right) {
      return left->object_id < right->object_id;
    });
  }
  const auto late = options.schema_only ? LateKeys{}
                                         : late_keys(dialect, scope.objects, tables, with_objects);
  plan_pre_data(dialect, scope.objects, ordered, with_objects, late, options, plan);
  for (const auto* entry : tables) {
    std::vector<std::string> keys;
    if (const auto found = late.find(entry); found != late.end()) {
      keys.push_back(found->second.add_primary_key);
    }
    for (auto& sql : dialect.post_data_sql(entry->table)) keys.push_back(std::move(sql));
    plan.table_keys.push_back(std::move(keys));
    plan.foreign_keys.push_back(dialect.foreign_key_sql(entry->table));
  }
  if (with_objects) {
    // The archive holds every sequence's exact position (its "sequence value" entries).
    plan_post_data_objects(scope.objects, options, plan);
    return plan;
  }
  if (options.schema_only) return plan;  // identities stay at their start, as the sequences
  for (const auto* entry : tables) {
    for (auto& sql : dialect.reset_identity_sql(entry->table)) plan.post_data.push_back(std::move(sql));
  }
  return plan;
}

namespace {

// What a restore into another engine than the archive's cannot carry: the source engine's own
// objects (views, functions, triggers, policies, comments, standalone sequences, ...) and the
// partitioning of its partitioned tables, whose partitions arrive as tables of their own. A
// sequence a column owns (serial, identity), or that only a primary key's default uses, moves
// with its column. Grants are not counted: they
// name the source's roles, which another engine does not have; they are named in a warning
// instead. Owners are not either: there every object belongs to whoever created it, the restoring
// user. Each entry names the object as -LIST does.
struct Unportable {
  std::vector<std::string> objects;  // refused unless -SKIP-UNPORTABLE
  std::vector<std::string> grants;   // named in a warning
};

Unportable find_unportable(const archive::ArchiveReader& reader, const RestoreScope& scope,
                           const schema::Dialect& dialect) {
  const auto& tables = scope.tables;
  Unportable found;
  const auto source = reader.meta().find("source_dialect");
  if (source == reader.meta().end() || source->second == dialect.name()) return found;
  // Standalone sequences: created by a "sequence" entry that no "sequence owner" ties to a
  // column. An identity column's sequence has neither entry, only its "sequence value".
  std::set<std::string> standalone;
  for (const auto& entry : scope.objects) {
    if (entry.object.kind == "sequence") standalone.insert(entry.object.name);
  }
  for (const auto& entry : scope.objects) {
    if (entry.object.kind == "sequence owner") standalone.erase(entry.object.name);
  }
  // A sequence that only a primary key's default uses becomes that key's identity.
  for (const auto* entry : tables) {
    for (const auto& column : entry->table.columns) {
      if (!column.identity_sequence.empty()) standalone.erase(column.identity_sequence);
    }
  }
  for (const auto& entry : scope.objects) {
    const auto& object = entry.object;
    const bool sequence_part = object.kind == "sequence" || object.kind == "sequence owner" ||
                               object.kind == "sequence value";
    if (object.kind == "schema" || object.kind == "owner") continue;
    if (sequence_part && (standalone.count(object.name) == 0 || object.kind != "sequence")) {
      continue;  // a column's sequence, or a standalone one's position (named once, as itself)
    }
    auto name = schema::escape_for_terminal(object.kind + " " + object.name);
    (object.kind == "acl" ? found.grants : found.objects).push_back(std::move(name));
  }
  for (const auto* entry : tables) {
    if (entry->table.partitioned) {
      found.objects.push_back("partitioning of table " +
                              schema::escape_for_terminal(entry->table.display_name()));
    }
    // An index the portable model cannot say (MariaDB FULLTEXT, SPATIAL, HASH or a key prefix;
    // an expression, partial or INCLUDE index of PostgreSQL; SQLite's expression keys).
    for (const auto& index : entry->table.indexes) {
      if (index.portable) continue;
      found.objects.push_back(fmt::format("index {} of table {}",
                                          schema::escape_for_terminal(index.name),
                                          schema::escape_for_terminal(entry->table.display_name())));
    }
  }
  return found;
}

// -SKIP-UNPORTABLE: the indexes check_portable named as left out go from the restore's copies.
void leave_out_unportable_indexes(RestoreScope& scope, const archive::ArchiveReader& reader,
                                  const schema::Dialect& target, const cli::Options& options) {
  const auto source = reader.meta().find("source_dialect");
  if (!options.skip_unportable || source == reader.meta().end() ||
      source->second == target.name()) {
    return;
  }
  for (auto& entry : scope.selected) {
    std::erase_if(entry.table.indexes, [](const schema::Index& index) { return !index.portable; });
  }
}

}  // namespace

void check_portable(const archive::ArchiveReader& reader, const RestoreScope& scope,
                    const schema::Dialect& target, const cli::Options& options, log::Log& log) {
  const auto found = find_unportable(reader, scope, target);
  const auto source = reader.meta().find("source_dialect");
  if (options.strict && (!found.grants.empty() || !found.objects.empty())) {
    auto all = found.objects;
    all.insert(all.end(), found.grants.begin(), found.grants.end());
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("-STRICT: {} cannot hold {} entr{} of this {} archive: {}",
                            target.name(), all.size(), all.size() == 1 ? "y" : "ies",
                            source->second, fmt::join(all, ", ")))
        .with_hint("nothing was changed: restore into " + source->second +
                   ", or without -STRICT (with -SKIP-UNPORTABLE where objects are named)");
  }
  if (!found.grants.empty()) {
    log.warning("grants-skipped",
                fmt::format("the archive's grants name {} roles: they are not restored into {} "
                            "({})",
                            source->second, target.name(), fmt::join(found.grants, ", ")));
  }
  if (found.objects.empty()) return;
  if (!options.skip_unportable) {
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("{} cannot hold {} object(s) of this {} archive: {}",
                            target.name(), found.objects.size(), source->second,
                            fmt::join(found.objects, ", ")))
        .with_hint("nothing was changed: restore into " + source->second +
                   " to keep them, or give -SKIP-UNPORTABLE to restore the tables, keys, indexes "
                   "and rows without them (each one is named in the report)");
  }
  for (const auto& object : found.objects) {
    log.warning("object-skipped",
                fmt::format("{} is not restored: {} cannot hold it (-SKIP-UNPORTABLE)", object,
                            target.name()));
  }
}

RestoreScope settled_scope(const archive::ArchiveReader& reader, const schema::Dialect& target,
                           const cli::Options& options, log::Log& log) {
  auto scope = restore_scope(reader, options, log);
  remap_schemas(scope, reader, target, options);
  leave_out_zero_date_defaults(scope, target, options, log);
  settle_target_names(scope, target, log);
  match_foreign_key_types(scope, target, log);
  check_portable(reader, scope, target, options, log);
  leave_out_unportable_indexes(scope, reader, target, options);
  return scope;
}

namespace {

void execute_all(RestoreSession& session, const std::vector<std::string>& statements) {
  for (const auto& sql : statements) session.execute(sql);
}

void execute_all(RestoreSession& session, const std::vector<std::vector<std::string>>& lists) {
  for (const auto& statements : lists) execute_all(session, statements);
}

void load_data(RestoreSession& session, const archive::ArchiveReader& reader,
               const std::vector<const archive::TableEntry*>& tables,
               const schema::Dialect& target, const cli::Options& options, log::Log& log,
               std::vector<RestoredTable>& results) {
  Progress progress(log, "restore");
  std::int64_t total_rows = 0;
  for (const auto* entry : tables) total_rows += entry->rows;
  progress.set_total(total_rows);
  for (const auto* entry : tables) {
    const auto started = std::chrono::steady_clock::now();
    const auto loader = session.loader(entry->table);
    const auto name = entry->table.display_name();
    auto zero_dates = zero_dates_to_null(*entry, target, options);
    bool long_values = false;
    reader.read_table(
        *entry,
        [&](const archive::Batch& batch) {
          // A row with a long value keeps its cells as they come (its zero dates, if any, are
          // refused by the target, not made NULL).
          const bool convert = zero_dates && !batch.has_long();
          loader->write(convert ? zero_dates->apply(batch, loader->rows_written() + 1) : batch);
          progress.advance(name, static_cast<std::int64_t>(batch.row_count()),
                           static_cast<std::int64_t>(batch.value_bytes()));
        },
        [&](std::size_t column_idx, std::string_view piece) {
          long_values = true;
          loader->write_piece(column_idx, piece);
          progress.advance(name, 0, static_cast<std::int64_t>(piece.size()));
        });
    const auto loaded = loader->finish();
    results.push_back(
        {name, loaded.rows, entry->raw_bytes, false,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
         (zero_dates ? zero_dates->expected_checksum() : entry->checksum) +
             loaded.checksum_change,
         long_values});
    if (zero_dates) report_zero_dates(*zero_dates, name, log);
    report_empty_strings(loaded.empty_as_null, entry->table, target.name(), log);
  }
  progress.finish();
}

// Reads every restored table back and compares row count and content checksum with the archive.
void verify_restored(RestoreSession& session, Database& database,
                     const std::vector<const archive::TableEntry*>& tables,
                     std::vector<RestoredTable>& results) {
  for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const auto& entry = *tables[table_idx];
    ReadBackChecksum checksum;
    const auto rows = session.read_back(
        entry.table, [&](archive::Batch&& batch) { checksum.batch(std::move(batch)); },
        [&](std::size_t column_idx, std::string_view piece) { checksum.piece(column_idx, piece); },
        results[table_idx].long_values);
    check_read_back(entry, rows, checksum.value(), results[table_idx].checksum,
                    *database.dialect);
    results[table_idx].verified = true;
  }
}

// A full disk (or a file size limit) under the target is a file system problem, exit 7 as for
// archives, whatever the driver calls it.
Error storage_full_error(const Error& error, const Database& database) {
  Error io(ErrorKind::kIo, error.message(), error.hints());
  io.with_sqlstate(error.sqlstate(), error.native_code());
  io.with_hint(fmt::format("the storage under {} is full (or a file size limit, ulimit -f, was "
                           "reached); nothing was committed: free space and restore again",
                           database.target.display));
  return io;
}

void report(const cli::Options& options, const std::vector<RestoredTable>& results, double seconds,
            log::Log& log) {
  log::RestoreSummary summary{.tables = results.size(),
                              .verified = !options.no_verify && !options.schema_only,
                              .seconds = seconds};
  for (const auto& result : results) {
    log.table_done({.command = "restore",
                    .table = result.name,
                    .rows = result.rows,
                    .bytes = result.raw_bytes,
                    .seconds = result.seconds,
                    .verified = result.verified});
    summary.rows += result.rows;
  }
  log.restore_done(summary);
}

}  // namespace

int restore(const cli::Options& options, log::Log& log) {
  return restore_archive(options, log, RestoreEnd::kCommit);
}

int restore_archive(const cli::Options& options, log::Log& log, RestoreEnd end) {
  const auto started = std::chrono::steady_clock::now();
  check_backup_target(options);
  check_data_only_engine(*target_dialect(options), options);
  const auto reader = archive::ArchiveReader::open(options.file, {.passphrase = options.key});
  auto scope = settled_scope(*reader, *target_dialect(options), options, log);
  const auto& tables = scope.tables;
  CreatedSqliteFile created_file(options);
  auto database = connect_database(options, /*create_sqlite_file=*/true);
  {
    odbc::ConnectionRunner server(database.connection);
    check_server_names(scope, *database.dialect, server, log);
  }
  const int threads = restore_threads(options, database, end, log);
  const auto plan = plan_ddl(*database.dialect, *reader, scope, options);
  if (options.data_only) {
    check_data_only_target(database, tables);
  } else {
    check_roles(database, *reader, scope.objects, options);
    check_extensions(database, *reader, scope.objects);
    check_target(database, *reader, scope, options);
  }

  if (threads > 1) {
    std::vector<RestoredTable> results;
    try {
      const std::vector<archive::ObjectEntry> none;
      results = restore_parallel(database, options, tables,
                                 restores_objects(*reader, *database.dialect) ? scope.objects : none,
                                 plan, threads, log);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::kDatabase &&
          database.dialect->storage_full(error.sqlstate(), error.native_code())) {
        throw storage_full_error(error, database);
      }
      throw;
    }
    report(options, results,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), log);
    return 0;
  }
  std::vector<RestoredTable> results;
  // A staged restore is undone by bru on a failure, and by its guardian if bru is killed.
  const auto objects = restored_objects(*reader, scope, *database.dialect);
  std::optional<RestoreGuardian> guardian;
  if (!database.dialect->transactional_ddl()) {
    guardian.emplace(options, [&tables, &objects](Database& own) {
      drop_restored_tables(own, tables, objects);
      return fmt::format("dropped every table and object it had created in {}: the database is "
                         "empty, as before",
                         own.target.display);
    });
  }
  try {
    RestoreSession session(database, options, log);
    session.begin();
    if (options.data_only) begin_data_only(session, *database.dialect);
    execute_all(session, plan.pre_data);
    if (options.schema_only) {
      for (const auto* entry : tables) results.push_back({entry->table.display_name()});
    } else {
      load_data(session, *reader, tables, *database.dialect, options, log, results);
    }
    execute_all(session, plan.data);
    execute_all(session, plan.table_keys);
    execute_all(session, plan.foreign_keys);
    execute_all(session, plan.post_data);
    if (!options.no_verify && !options.schema_only) {
      verify_restored(session, database, tables, results);
    }
    if (end == RestoreEnd::kCommit) {
      session.commit();
      created_file.keep();
      if (guardian) guardian->release();
    }  // else the session rolls back
  } catch (const Error& error) {
    if (database.dialect->transactional_ddl()) {
      if (error.kind() == ErrorKind::kDatabase &&
          database.dialect->storage_full(error.sqlstate(), error.native_code())) {
        throw storage_full_error(error, database);
      }
      throw;
    }
    // DDL committed as it ran: undo it, and say whether that worked.
    Error failed = error;
    try {
      drop_restored_tables(database, tables, objects);
      failed.with_hint(fmt::format("every table and object this restore created in {} was "
                                   "dropped again: the database is empty, as before",
                                   database.target.display));
    } catch (const Error& undo) {
      failed.with_hint(undo.message() + "; " + undo.hints().back());
    }
    if (guardian) guardian->release();
    if (failed.kind() == ErrorKind::kDatabase &&
        database.dialect->storage_full(failed.sqlstate(), failed.native_code())) {
      throw storage_full_error(failed, database);
    }
    throw failed;
  }
  if (end == RestoreEnd::kUndo) {
    // -CHECK-RESTORE: rolled back above where DDL is transactional; dropped here where not.
    if (!database.dialect->transactional_ddl()) drop_restored_tables(database, tables, objects);
    if (guardian) guardian->release();
    return 0;
  }
  report(options, results,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), log);
  return 0;
}

}  // namespace bru::commands

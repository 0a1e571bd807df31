// SQL Server's catalog: the sys.* views of the connection's database, each read once for all
// tables (not one query per table), assembled into the portable model (mssql.h says what is read
// and how types map). Never run against a server: tests/unit/dialect_mssql_test.cpp feeds it the
// rows a server would return.
#include <fmt/format.h>

#include <map>
#include <set>

#include "schema/engines/common.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

PortableType decimal(long long precision, long long scale) {
  PortableType type = type_of_kind(TypeKind::kDecimal);
  type.precision = static_cast<std::int16_t>(precision);
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

Error unsupported_type(const Table& table, const std::string& column, const std::string& type,
                       std::string_view why) {
  return Error(ErrorKind::kTypeMapping,
               fmt::format("column \"{}\" of table \"{}\" has type {}, which bru cannot back up "
                           "from SQL Server{}",
                           column, table.display_name(), type, why))
      .with_hint(fmt::format("leave the table out with -EXCLUDE {} (or back up a view that casts "
                             "the column to a plain type)",
                             table.display_name()));
}

}  // namespace

// The portable kind of a column from its system type name, max_length (bytes; -1 for max),
// precision and scale as sys.columns gives them.
PortableType mssql_portable_type(const Table& table, const std::string& column,
                                 const std::string& system_type, long long max_length,
                                 long long precision, long long scale) {
  const std::string data = to_lower(system_type);
  if (data == "bit") return type_of_kind(TypeKind::kBool);
  if (data == "tinyint" || data == "smallint") return type_of_kind(TypeKind::kInt16);
  if (data == "int") return type_of_kind(TypeKind::kInt32);
  if (data == "bigint") return type_of_kind(TypeKind::kInt64);
  if (data == "real") return type_of_kind(TypeKind::kFloat32);
  if (data == "float") return type_of_kind(TypeKind::kFloat64);
  if (data == "decimal" || data == "numeric") return decimal(precision, scale);
  if (data == "money") return decimal(19, 4);
  if (data == "smallmoney") return decimal(10, 4);
  const bool max = max_length == -1;
  if (data == "char") return sized_type(TypeKind::kChar, max_length);
  if (data == "nchar") return sized_type(TypeKind::kChar, max_length / 2);
  if (data == "varchar") return max ? type_of_kind(TypeKind::kText) : sized_type(TypeKind::kVarchar, max_length);
  if (data == "nvarchar") {
    return max ? type_of_kind(TypeKind::kText) : sized_type(TypeKind::kVarchar, max_length / 2);
  }
  if (data == "text" || data == "ntext") return type_of_kind(TypeKind::kText);
  if (data == "binary" || data == "varbinary") {
    return max ? type_of_kind(TypeKind::kBlob) : sized_type(TypeKind::kBinary, max_length);
  }
  if (data == "image") return type_of_kind(TypeKind::kBlob);
  if (data == "date") return type_of_kind(TypeKind::kDate);
  if (data == "time") return scaled_type(TypeKind::kTime, scale);
  if (data == "datetime2") return scaled_type(TypeKind::kTimestamp, scale);
  if (data == "datetime") return scaled_type(TypeKind::kTimestamp, 3);  // 1/300 s, read as .mmm
  if (data == "smalldatetime") return scaled_type(TypeKind::kTimestamp, 0);  // whole minutes
  if (data == "datetimeoffset") return scaled_type(TypeKind::kTimestampTz, scale);  // read as UTC
  if (data == "uniqueidentifier") return type_of_kind(TypeKind::kUuid);
  if (data == "xml") return type_of_kind(TypeKind::kXml);
  if (data == "json") return type_of_kind(TypeKind::kJson);  // SQL Server 2025
  if (data == "sql_variant") {
    throw unsupported_type(table, column, system_type,
                           ": each of its values has a type of its own, which no portable kind "
                           "keeps");
  }
  throw unsupported_type(table, column, system_type, " yet");
}

namespace {

// The type as SQL Server spells it in a CREATE TABLE: "nvarchar(max)", "decimal(10,2)",
// "datetime2(3)", "money"; user-defined alias types by their own name.
std::string native_spelling(const std::string& type, long long max_length, long long precision,
                            long long scale) {
  const std::string data = to_lower(type);
  const auto length = [&](long long bytes_per_char) {
    return max_length == -1 ? std::string("max") : std::to_string(max_length / bytes_per_char);
  };
  if (data == "char" || data == "varchar" || data == "binary" || data == "varbinary") {
    return fmt::format("{}({})", data, length(1));
  }
  if (data == "nchar" || data == "nvarchar") return fmt::format("{}({})", data, length(2));
  if (data == "decimal" || data == "numeric") return fmt::format("{}({},{})", data, precision, scale);
  if (data == "time" || data == "datetime2" || data == "datetimeoffset") {
    return fmt::format("{}({})", data, scale);
  }
  return type;
}

// The tables by object_id, in the order read.
struct ReadState {
  std::vector<Table> tables;
  std::map<std::string, std::size_t> by_id;
  // Per table: the column lines of its native CREATE TABLE (computed columns included, which
  // Table::columns leaves out) and its primary key's line.
  std::map<std::string, std::vector<std::string>> create_lines;
  std::vector<std::pair<std::string, CatalogWarning>> warnings;  // by table display name
  std::map<std::string, std::string> identity_positions;         // display name -> last value
  // The first column of each table whose type bru cannot carry: thrown only for a table the
  // filter keeps, so that -EXCLUDE can leave it out.
  std::map<std::string, Error> type_errors;  // by table display name
  Table* find(const Row& row) {
    auto it = by_id.find(text_at(row, 0));
    return it == by_id.end() ? nullptr : &tables[it->second];
  }
  void warn(const Table& table, std::string code, std::string message) {
    warnings.emplace_back(table.display_name(), CatalogWarning{std::move(code), std::move(message)});
  }
};

std::string bracketed(std::string_view name) { return enclose_identifier(name, '[', ']'); }

std::string bracketed(const Table& table) { return bracketed(table.schema) + "." + bracketed(table.name); }

void read_tables(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT t.object_id, s.name, t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = "
      "t.schema_id WHERE t.is_ms_shipped = 0 ORDER BY s.name, t.name");
  for (const auto& row : rows) {
    Table table;
    table.schema = text_at(row, 1);
    table.name = text_at(row, 2);
    table.dialect = "mssql";
    state.by_id[text_at(row, 0)] = state.tables.size();
    state.tables.push_back(std::move(table));
  }
}

void read_columns(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT c.object_id, c.name, TYPE_NAME(c.system_type_id), TYPE_NAME(c.user_type_id), "
      "c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, c.is_computed, "
      "d.definition, cc.definition, cc.is_persisted, CAST(ic.seed_value AS NVARCHAR(40)), "
      "CAST(ic.increment_value AS NVARCHAR(40)), CAST(ic.last_value AS NVARCHAR(40)), "
      "d.name FROM sys.columns c JOIN sys.tables t ON t.object_id = c.object_id "
      "LEFT JOIN sys.default_constraints d ON d.object_id = c.default_object_id "
      "LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = "
      "c.column_id LEFT JOIN sys.identity_columns ic ON ic.object_id = c.object_id AND "
      "ic.column_id = c.column_id WHERE t.is_ms_shipped = 0 ORDER BY c.object_id, c.column_id");
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    Column column;
    column.name = text_at(row, 1);
    const std::string& system_type = text_at(row, 2);
    auto& lines = state.create_lines[table->display_name()];
    if (text_at(row, 9) == "1") {
      lines.push_back(fmt::format("{} AS {}{}", bracketed(column.name), text_at(row, 11),
                                  text_at(row, 12) == "1" ? " PERSISTED" : ""));
      state.warn(*table, "generated-column-skipped",
                 fmt::format("computed column \"{}\" of table \"{}\" is not backed up: a SQL "
                             "Server restore recomputes it, other engines do not get it",
                             column.name, table->display_name()));
      continue;
    }
    if (to_lower(system_type) == "timestamp") {  // rowversion: the server writes every value
      lines.push_back(bracketed(column.name) + " rowversion");
      state.warn(*table, "generated-column-skipped",
                 fmt::format("rowversion column \"{}\" of table \"{}\" is not backed up: a SQL "
                             "Server restore gets new values, other engines do not get it",
                             column.name, table->display_name()));
      continue;
    }
    const long long max_length = integer_at(row, 4);
    const long long precision = integer_at(row, 5);
    const long long scale = integer_at(row, 6);
    try {
      column.type =
          mssql_portable_type(*table, column.name, system_type, max_length, precision, scale);
    } catch (const Error& error) {
      state.type_errors.emplace(table->display_name(), error);
      continue;
    }
    const std::string& user_type = text_at(row, 3);
    column.native_type = user_type == system_type
                             ? native_spelling(system_type, max_length, precision, scale)
                             : user_type;
    column.nullable = text_at(row, 7) == "1";
    if (row.size() > 10 && row[10]) column.default_sql = *row[10];
    std::string line = bracketed(column.name) + " " + column.native_type;
    if (text_at(row, 8) == "1") {
      column.identity = true;
      column.identity_kind = fmt::format("IDENTITY({},{})", text_at(row, 13), text_at(row, 14));
      line += " " + column.identity_kind;
      // NULL until the first row: nothing to move then.
      if (row.size() > 15 && row[15]) state.identity_positions[table->display_name()] = *row[15];
    }
    line += column.nullable ? " NULL" : " NOT NULL";
    if (column.default_sql) {
      line += fmt::format(" CONSTRAINT {} DEFAULT {}", bracketed(text_at(row, 16)), *column.default_sql);
    }
    lines.push_back(std::move(line));
    table->columns.push_back(std::move(column));
  }
}

// Primary keys and unique constraints, with the clustered or nonclustered index behind each.
void read_keys(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT k.parent_object_id, k.name, k.type, c.name, ic.is_descending_key, i.type_desc "
      "FROM sys.key_constraints k JOIN sys.indexes i ON i.object_id = k.parent_object_id AND "
      "i.index_id = k.unique_index_id JOIN sys.index_columns ic ON ic.object_id = i.object_id "
      "AND ic.index_id = i.index_id JOIN sys.columns c ON c.object_id = ic.object_id AND "
      "c.column_id = ic.column_id ORDER BY k.parent_object_id, k.type, k.name, ic.key_ordinal");
  std::map<std::string, std::vector<std::string>> primary_lines;  // display name -> columns
  std::map<std::string, std::string> primary_kind;
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    const std::string& name = text_at(row, 1);
    const std::string& column = text_at(row, 3);
    const std::string order = text_at(row, 4) == "1" ? " DESC" : "";
    if (text_at(row, 2) == "PK") {
      table->primary_key_name = name;
      table->primary_key.push_back(column);
      primary_lines[table->display_name()].push_back(bracketed(column) + order);
      primary_kind[table->display_name()] = text_at(row, 5);
    } else {
      if (table->uniques.empty() || table->uniques.back().name != name) {
        table->uniques.push_back({name, {}});
      }
      table->uniques.back().columns.push_back(column);
    }
  }
  for (auto& table : state.tables) {
    auto found = primary_lines.find(table.display_name());
    if (found == primary_lines.end()) continue;
    state.create_lines[table.display_name()].push_back(
        fmt::format("CONSTRAINT {} PRIMARY KEY {} ({})", bracketed(table.primary_key_name),
                    primary_kind[table.display_name()], join(found->second, ", ")));
  }
}

std::string referential_action(const std::string& description) {
  std::string action = description;  // NO_ACTION, CASCADE, SET_NULL, SET_DEFAULT
  for (auto& ch : action) {
    if (ch == '_') ch = ' ';
  }
  return action;
}

void read_foreign_keys(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT f.parent_object_id, f.name, rs.name, rt.name, pc.name, rc.name, "
      "f.delete_referential_action_desc, f.update_referential_action_desc FROM sys.foreign_keys f "
      "JOIN sys.foreign_key_columns fc ON fc.constraint_object_id = f.object_id "
      "JOIN sys.columns pc ON pc.object_id = fc.parent_object_id AND pc.column_id = "
      "fc.parent_column_id JOIN sys.columns rc ON rc.object_id = fc.referenced_object_id AND "
      "rc.column_id = fc.referenced_column_id JOIN sys.tables rt ON rt.object_id = "
      "f.referenced_object_id JOIN sys.schemas rs ON rs.schema_id = rt.schema_id "
      "ORDER BY f.parent_object_id, f.name, fc.constraint_column_id");
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    const std::string& name = text_at(row, 1);
    if (table->foreign_keys.empty() || table->foreign_keys.back().name != name) {
      ForeignKey fk;
      fk.name = name;
      fk.ref_schema = text_at(row, 2);
      fk.ref_table = text_at(row, 3);
      fk.on_delete = referential_action(text_at(row, 6));
      fk.on_update = referential_action(text_at(row, 7));
      table->foreign_keys.push_back(std::move(fk));
    }
    table->foreign_keys.back().columns.push_back(text_at(row, 4));
    table->foreign_keys.back().ref_columns.push_back(text_at(row, 5));
  }
}

// Secondary indexes (not those behind a primary key or unique constraint). Each keeps its own
// CREATE INDEX (CLUSTERED, DESC keys, INCLUDE columns, a filter) for SQL Server restores; one
// with more than key columns and uniqueness is not portable: another engine refuses it, or
// -SKIP-UNPORTABLE names it. Columnstore, XML, spatial and full-text indexes are not carried:
// each is named in a warning.
void read_indexes(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT i.object_id, i.name, i.is_unique, c.name, ic.is_included_column, "
      "ic.is_descending_key, i.filter_definition, i.type_desc FROM sys.indexes i "
      "JOIN sys.tables t ON t.object_id = i.object_id LEFT JOIN sys.index_columns ic ON "
      "ic.object_id = i.object_id AND ic.index_id = i.index_id LEFT JOIN sys.columns c ON "
      "c.object_id = ic.object_id AND c.column_id = ic.column_id WHERE t.is_ms_shipped = 0 AND "
      "i.type > 0 AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 AND "
      "i.is_hypothetical = 0 ORDER BY i.object_id, i.name, ic.is_included_column, "
      "ic.key_ordinal, ic.index_column_id");
  struct Parts {
    std::vector<std::string> keys, included;
    std::string filter, kind;
  };
  std::map<std::pair<std::size_t, std::size_t>, Parts> parts;  // (table, index) -> its parts
  std::set<std::pair<std::string, std::string>> not_carried;    // (object_id, index name)
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    const std::string& name = text_at(row, 1);
    const std::string& kind = text_at(row, 7);
    if (kind != "CLUSTERED" && kind != "NONCLUSTERED") {
      if (!not_carried.insert({text_at(row, 0), name}).second) continue;
      state.warn(*table, "object-not-carried",
                 fmt::format("index \"{}\" of table \"{}\" is not backed up: bru does not carry "
                             "SQL Server's {} indexes",
                             name, table->display_name(), to_lower(kind)));
      continue;
    }
    if (table->indexes.empty() || table->indexes.back().name != name) {
      Index index;
      index.name = name;
      index.unique = text_at(row, 2) == "1";
      index.portable = kind == "NONCLUSTERED";
      table->indexes.push_back(std::move(index));
    }
    auto& index = table->indexes.back();
    auto& part = parts[{static_cast<std::size_t>(table - state.tables.data()), table->indexes.size() - 1}];
    part.kind = kind;
    part.filter = text_at(row, 6);
    const std::string& column = text_at(row, 3);
    if (text_at(row, 4) == "1") {
      part.included.push_back(bracketed(column));
      index.portable = false;
    } else {
      const bool descending = text_at(row, 5) == "1";
      part.keys.push_back(bracketed(column) + (descending ? " DESC" : ""));
      index.columns.push_back(column);
      if (descending) index.portable = false;
    }
    if (!part.filter.empty()) index.portable = false;
  }
  for (const auto& [key, part] : parts) {
    auto& table = state.tables[key.first];
    auto& index = table.indexes[key.second];
    index.definition_sql =
        fmt::format("CREATE {}{} INDEX {} ON {} ({})", index.unique ? "UNIQUE " : "", part.kind,
                    bracketed(index.name), bracketed(table), join(part.keys, ", "));
    if (!part.included.empty()) index.definition_sql += " INCLUDE (" + join(part.included, ", ") + ")";
    if (!part.filter.empty()) index.definition_sql += " WHERE " + part.filter;
  }
}

void read_checks(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT k.parent_object_id, k.name, k.definition FROM sys.check_constraints k "
      "JOIN sys.tables t ON t.object_id = k.parent_object_id WHERE t.is_ms_shipped = 0 "
      "ORDER BY k.parent_object_id, k.name");
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    table->native_constraints.push_back({text_at(row, 1), "CHECK " + text_at(row, 2)});
  }
  for (const auto& table : state.tables) {
    if (table.native_constraints.empty()) continue;
    std::vector<std::string> names;
    for (const auto& constraint : table.native_constraints) names.push_back(constraint.name);
    state.warn(table, "constraint-same-engine-only",
               fmt::format("table \"{}\" has constraints that are restored only into mssql: {}",
                           table.display_name(), join(names, ", ")));
  }
}

// The schemas the catalog reads: all of the database's own (not sys, INFORMATION_SCHEMA, guest
// or the fixed db_* role schemas), or those of the filter, which must exist.
std::set<std::string> selected_schemas(SqlRunner& runner, const CatalogFilter& filter,
                                       const std::string& database) {
  std::vector<std::string> existing;
  for (const auto& row : runner.query(
           "SELECT name FROM sys.schemas WHERE schema_id < 16384 AND name NOT IN (N'sys', "
           "N'INFORMATION_SCHEMA', N'guest') ORDER BY name")) {
    existing.push_back(text_at(row, 0));
  }
  if (filter.schemas.empty()) return {existing.begin(), existing.end()};
  require_schemas_exist(filter.schemas, existing, database);
  std::set<std::string> selected;
  for (const auto& wanted : filter.schemas) {
    for (const auto& name : existing) {
      if (equals_ignoring_case(name, wanted)) selected.insert(name);
    }
  }
  return selected;
}

// Views, procedures, functions and triggers (sys.sql_modules: the text as created), in the
// schemas read: functions first (a view or a computed column may call one; SQL Server resolves
// the tables a procedure names when it runs), then the tables, then views in creation order
// (object_id: a view is created after those it selects from), procedures, and in post-data,
// after the rows, the triggers of the tables read. An object whose text SQL Server does not keep
// (WITH ENCRYPTION: definition NULL) fails the read; a trigger on a table left out is named in
// an "object-left-out" warning. The identity position of each table ("sequence value": DBCC
// CHECKIDENT ... RESEED) is set after its rows.
void read_modules(SqlRunner& runner, const std::set<std::string>& schemas,
                  const std::map<std::string, std::string>& identity_positions, Catalog& catalog) {
  const auto rows = runner.query(
      "SELECT RTRIM(o.type), s.name, o.name, m.definition, OBJECT_SCHEMA_NAME(o.parent_object_id), "
      "OBJECT_NAME(o.parent_object_id) FROM sys.sql_modules m JOIN sys.objects o ON o.object_id "
      "= m.object_id JOIN sys.schemas s ON s.schema_id = o.schema_id WHERE o.is_ms_shipped = 0 "
      "AND o.type IN ('V', 'P', 'FN', 'IF', 'TF', 'TR') ORDER BY o.object_id");
  std::set<std::string> kept_tables;
  for (const auto& table : catalog.tables) kept_tables.insert(table.display_name());
  std::vector<SchemaObject> functions, views, procedures, triggers;
  for (const auto& row : rows) {
    const std::string& type = text_at(row, 0);
    const std::string& schema = text_at(row, 1);
    const std::string name = schema + "." + text_at(row, 2);
    if (schemas.count(schema) == 0) continue;
    if (!row[3]) {
      throw Error(ErrorKind::kDatabase,
                  fmt::format("SQL Server returned no definition of \"{}\"", name))
          .with_hint("an object created WITH ENCRYPTION keeps no text, and a user without VIEW "
                     "DEFINITION sees none: grant it, or leave the schema out with -SCHEMA");
    }
    SchemaObject object;
    object.schema = schema;
    object.name = name;
    object.section = "pre-data";
    object.statements.push_back(*row[3]);
    if (type == "V") {
      object.kind = "view";
      views.push_back(std::move(object));
    } else if (type == "P") {
      object.kind = "procedure";
      procedures.push_back(std::move(object));
    } else if (type == "TR") {
      const std::string table = text_at(row, 4) + "." + text_at(row, 5);
      if (kept_tables.count(table) == 0) {
        catalog.warnings.push_back(
            {"object-left-out",
             fmt::format("trigger \"{}\" is not backed up: it belongs to table \"{}\", which is "
                         "not",
                         name, table)});
        continue;
      }
      object.kind = "trigger";
      object.section = "post-data";
      object.depends.push_back("table " + table);
      triggers.push_back(std::move(object));
    } else {
      object.kind = "function";
      functions.push_back(std::move(object));
    }
  }
  auto& objects = catalog.objects;
  objects.insert(objects.end(), functions.begin(), functions.end());
  for (const auto& table : catalog.tables) {
    SchemaObject place;
    place.kind = "table";
    place.schema = table.schema;
    place.name = table.display_name();
    place.section = "pre-data";
    objects.push_back(std::move(place));
  }
  objects.insert(objects.end(), views.begin(), views.end());
  objects.insert(objects.end(), procedures.begin(), procedures.end());
  for (const auto& table : catalog.tables) {
    auto found = identity_positions.find(table.display_name());
    if (found == identity_positions.end()) continue;
    SchemaObject value;
    value.kind = "sequence value";
    value.schema = table.schema;
    value.name = table.display_name();
    value.section = "data";
    value.depends.push_back("table " + table.display_name());
    value.statements.push_back(fmt::format("DBCC CHECKIDENT ({}, RESEED, {})",
                                           "N" + string_literal(bracketed(table)), found->second));
    objects.push_back(std::move(value));
  }
  objects.insert(objects.end(), triggers.begin(), triggers.end());
}

}  // namespace

Catalog MssqlDialect::read_catalog(SqlRunner& runner, const CatalogFilter& filter) const {
  Catalog catalog;
  catalog.dialect = std::string(name());
  const auto info = runner.query(
      "SELECT DB_NAME(), CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)), "
      "snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()");
  if (info.empty() || text_at(info[0], 0).empty()) {
    throw Error(ErrorKind::kDatabase, "SQL Server names no current database")
        .with_hint("name the database in the connection string: mssql;host;<database>;user");
  }
  catalog.database = text_at(info[0], 0);
  catalog.server_version = text_at(info[0], 1);
  if (text_at(info[0], 2) != "1") {  // begin_snapshot_sql() then chooses SERIALIZABLE
    catalog.warnings.push_back(
        {"snapshot-not-allowed",
         fmt::format("database \"{}\" does not allow snapshot isolation: the backup reads under "
                     "SERIALIZABLE instead, which is as consistent but makes writers to the tables "
                     "read wait until the backup ends (ALTER DATABASE [{}] SET "
                     "ALLOW_SNAPSHOT_ISOLATION ON avoids it)",
                     catalog.database, catalog.database)});
  }
  const auto schemas = selected_schemas(runner, filter, catalog.database);

  ReadState state;
  read_tables(runner, state);
  read_columns(runner, state);
  read_keys(runner, state);
  read_foreign_keys(runner, state);
  read_indexes(runner, state);
  read_checks(runner, state);
  for (auto& table : state.tables) {
    table.native_sql = fmt::format("CREATE TABLE {} (\n    {}\n)", bracketed(table),
                                   join(state.create_lines[table.display_name()], ",\n    "));
  }

  std::vector<Table> in_schemas;
  for (auto& table : state.tables) {
    if (schemas.count(table.schema) != 0) in_schemas.push_back(std::move(table));
  }
  auto tables = apply_table_filter(std::move(in_schemas), filter, catalog.database);
  for (const auto& table : tables) {
    if (auto found = state.type_errors.find(table.display_name()); found != state.type_errors.end()) {
      throw found->second;
    }
  }
  for (auto& [table_name, warning] : state.warnings) {
    for (const auto& table : tables) {
      if (table.display_name() == table_name) {
        catalog.warnings.push_back(std::move(warning));
        break;
      }
    }
  }
  drop_foreign_keys_outside(tables, catalog.warnings);
  catalog.tables = order_by_dependencies(std::move(tables));
  read_modules(runner, schemas, state.identity_positions, catalog);
  return catalog;
}

}  // namespace bru::schema::dialects

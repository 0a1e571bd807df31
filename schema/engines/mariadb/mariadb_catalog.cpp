// MariaDB's catalog: information_schema of the connection's database, and SHOW CREATE TABLE of
// each base table (mariadb.h says what is read and how types map); views, routines, triggers and
// events: mariadb_objects.cpp.
#include <fmt/format.h>

#include <map>

#include "schema/engines/common.h"
#include "schema/engines/mariadb/mariadb.h"
#include "schema/engines/mariadb/mariadb_objects.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool is_spatial(const std::string& data) {
  static constexpr std::string_view kSpatial[] = {
      "geometry",   "point",           "linestring",   "polygon",
      "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
  for (std::string_view kind : kSpatial) {
    if (data == kind) return true;
  }
  return false;
}

// The portable kind of a column: DATA_TYPE, COLUMN_TYPE (for unsigned), lengths and scales.
// An AUTO_INCREMENT bigint unsigned is an int64 key (every engine's identity kind): a key past
// 2^63 - 1 fails the read (never silently).
PortableType portable_type(const Table& table, const std::string& column, const std::string& data,
                           const std::string& column_type, long long char_length,
                           long long precision, long long scale, long long time_scale,
                           bool auto_increment) {
  const bool is_unsigned = has(column_type, "unsigned");
  if (data == "tinyint" || data == "year") return type_of_kind(TypeKind::kInt16);
  if (data == "smallint") return type_of_kind(is_unsigned ? TypeKind::kInt32 : TypeKind::kInt16);
  if (data == "mediumint") return type_of_kind(TypeKind::kInt32);
  if (data == "int") return type_of_kind(is_unsigned ? TypeKind::kInt64 : TypeKind::kInt32);
  if (data == "bigint") {
    if (!is_unsigned || auto_increment) return type_of_kind(TypeKind::kInt64);
    PortableType type = type_of_kind(TypeKind::kDecimal);
    type.precision = 20;
    return type;
  }
  if (data == "bit") return type_of_kind(TypeKind::kInt64);
  if (data == "float") return type_of_kind(TypeKind::kFloat32);
  if (data == "double") return type_of_kind(TypeKind::kFloat64);
  if (data == "decimal") {
    PortableType type = type_of_kind(TypeKind::kDecimal);
    type.precision = static_cast<std::int16_t>(precision);
    type.scale = static_cast<std::int16_t>(scale);
    return type;
  }
  if (data == "char") return sized_type(TypeKind::kChar, char_length);
  if (data == "varchar" || data == "enum" || data == "set") {
    return sized_type(TypeKind::kVarchar, char_length);
  }
  if (data == "tinytext" || data == "text" || data == "mediumtext" || data == "longtext") {
    return type_of_kind(TypeKind::kText);
  }
  if (data == "binary" || data == "varbinary") return sized_type(TypeKind::kBinary, char_length);
  if (data == "tinyblob" || data == "blob" || data == "mediumblob" || data == "longblob") {
    return type_of_kind(TypeKind::kBlob);
  }
  if (data == "date") return type_of_kind(TypeKind::kDate);
  if (data == "time") return scaled_type(TypeKind::kTime, time_scale);
  if (data == "datetime") return scaled_type(TypeKind::kTimestamp, time_scale);
  if (data == "timestamp") return scaled_type(TypeKind::kTimestampTz, time_scale);
  if (data == "uuid") return type_of_kind(TypeKind::kUuid);
  // Addresses in their text form, which the server reads back as it prints it.
  if (data == "inet6") return sized_type(TypeKind::kVarchar, 39);
  if (data == "inet4") return sized_type(TypeKind::kVarchar, 15);
  // Spatial values travel as the server stores them (a 4-byte SRID, then WKB), the form
  // mariadb-dump --hex-blob writes and the server takes back into a spatial column.
  if (is_spatial(data)) return type_of_kind(TypeKind::kBlob);
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("column \"{}\" of table \"{}\" has type {}, which bru cannot back up "
                          "from MariaDB yet",
                          column, table.display_name(), column_type))
      .with_hint(fmt::format("leave the table out with -EXCLUDE {} (or back up a view that casts "
                             "the column to text)",
                             table.name));
}

// The tables by name, in the order read.
struct ReadState {
  std::vector<Table> tables;
  std::map<std::string, std::size_t> by_name;
  std::vector<std::pair<std::string, CatalogWarning>> warnings;  // by table name
  Table* find(const std::string& name) {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &tables[it->second];
  }
};

void read_tables(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
      "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME, BINARY TABLE_NAME");
  for (const auto& row : rows) {
    Table table;
    table.name = text_at(row, 0);
    table.dialect = "mariadb";
    state.by_name[table.name] = state.tables.size();
    state.tables.push_back(std::move(table));
  }
}

void read_columns(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
      "EXTRA, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, "
      "IS_GENERATED FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
      "ORDER BY TABLE_NAME, ORDINAL_POSITION");
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    const std::string extra = to_lower(text_at(row, 6));
    Column column;
    column.name = text_at(row, 1);
    if (text_at(row, 11) == "ALWAYS" || has(extra, "generated")) {
      state.warnings.emplace_back(
          table->name, CatalogWarning{"generated-column-skipped",
           fmt::format("generated column \"{}\" of table \"{}\" is not backed up: a MariaDB "
                       "restore recomputes it, other engines do not get it",
                       column.name, table->name)});
      continue;
    }
    column.native_type = text_at(row, 3);
    column.type = portable_type(*table, column.name, to_lower(text_at(row, 2)), column.native_type,
                                integer_at(row, 7), integer_at(row, 8), integer_at(row, 9),
                                integer_at(row, 10), has(extra, "auto_increment"));
    column.nullable = text_at(row, 4) == "YES";
    if (row.size() > 5 && row[5] && *row[5] != "NULL") column.default_sql = *row[5];
    if (has(extra, "on update")) {
      state.warnings.emplace_back(
          table->name,
          CatalogWarning{"on-update-same-engine-only",
                         fmt::format("column \"{}\" of table \"{}\" has {}: restored only into "
                                     "MariaDB, other engines get the column without it",
                                     column.name, table->name, text_at(row, 6))});
    }
    if (has(extra, "auto_increment")) {
      column.identity = true;
      column.identity_kind = "auto_increment";
    }
    table->columns.push_back(std::move(column));
  }
}

void read_keys(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME, "
      "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE "
      "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS c "
      "ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND "
      "c.CONSTRAINT_NAME = k.CONSTRAINT_NAME LEFT JOIN "
      "information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
      "AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
      "WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, c.CONSTRAINT_TYPE, "
      "k.CONSTRAINT_NAME, k.ORDINAL_POSITION");
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    const std::string& kind = text_at(row, 2);
    ForeignKey new_key;
    new_key.ref_table = text_at(row, 4);
    new_key.on_delete = text_at(row, 6);
    new_key.on_update = text_at(row, 7);
    add_key_column(*table,
                   kind == "PRIMARY KEY" ? "P" : kind == "UNIQUE" ? "U" : kind == "FOREIGN KEY" ? "R" : "",
                   text_at(row, 1), text_at(row, 3), new_key, text_at(row, 5));
  }
}

// Secondary indexes: those of STATISTICS that back no primary key or unique constraint.
void read_indexes(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE, SUB_PART "
      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
      "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    const std::string& name = text_at(row, 1);
    if (name == "PRIMARY") continue;
    bool is_constraint = false;
    for (const auto& unique : table->uniques) is_constraint = is_constraint || unique.name == name;
    if (is_constraint) continue;
    if (table->indexes.empty() || table->indexes.back().name != name) {
      Index index;
      index.name = name;
      index.unique = text_at(row, 2) == "0";
      index.portable = text_at(row, 4) == "BTREE";  // FULLTEXT, SPATIAL, HASH: MariaDB only
      table->indexes.push_back(std::move(index));
    }
    if (!text_at(row, 5).empty()) table->indexes.back().portable = false;  // a key prefix
    table->indexes.back().columns.push_back(text_at(row, 3));
  }
}

void read_create_statements(SqlRunner& runner, ReadState& state) {
  for (auto& table : state.tables) {
    const auto rows = runner.query("SHOW CREATE TABLE " + enclose_identifier(table.name, '`', '`'));
    if (rows.empty() || rows[0].size() < 2) {
      throw Error(ErrorKind::kDatabase,
                  fmt::format("MariaDB returned no CREATE TABLE for table \"{}\"", table.name))
          .with_hint("check that the user may see the table (SHOW CREATE TABLE needs a privilege "
                     "on it) and back up again");
    }
    table.native_sql = text_at(rows[0], 1);
  }
}

// Removes the line of foreign key `name` from a SHOW CREATE TABLE text (the server writes each
// key and constraint on a line of its own, "  CONSTRAINT `name` FOREIGN KEY ...", separated by
// ",\n"), so a same-engine restore does not create a key that the catalog left out.
std::string without_foreign_key(const std::string& create_sql, const std::string& name) {
  const std::string head = "\n  CONSTRAINT " + enclose_identifier(name, '`', '`') + " FOREIGN KEY ";
  const auto begin = create_sql.find(head);
  if (begin == std::string::npos) return create_sql;
  const auto end = create_sql.find('\n', begin + 1);
  if (end == std::string::npos) return create_sql;
  std::string line = create_sql.substr(begin, end - begin);
  if (!line.empty() && line.back() == ',') return create_sql.substr(0, begin) + create_sql.substr(end);
  // The last line of the list: the comma that ended the line before goes with it.
  std::size_t before = begin;
  if (before > 0 && create_sql[before - 1] == ',') --before;
  return create_sql.substr(0, before) + create_sql.substr(end);
}

}  // namespace

Catalog MariadbDialect::read_catalog(SqlRunner& runner, const CatalogFilter& filter) const {
  if (!filter.schemas.empty()) {
    throw Error(ErrorKind::kUsage, "MariaDB has no schemas inside a database: -SCHEMA does not apply")
        .with_hint("name the database in the connection string (mariadb;host;<database>;user) and "
                   "leave -SCHEMA out");
  }
  Catalog catalog;
  catalog.dialect = std::string(name());
  const auto info = runner.query("SELECT DATABASE(), VERSION()");
  if (info.empty() || text_at(info[0], 0).empty()) {
    throw Error(ErrorKind::kDatabase, "MariaDB names no current database")
        .with_hint("name the database in the connection string: mariadb;host;<database>;user");
  }
  catalog.database = text_at(info[0], 0);
  catalog.server_version = text_at(info[0], 1);

  ReadState state;
  read_tables(runner, state);
  read_columns(runner, state);
  read_keys(runner, state);
  read_indexes(runner, state);
  read_create_statements(runner, state);

  auto tables = apply_table_filter(std::move(state.tables), filter, catalog.database);
  keep_warnings_of(tables, state.warnings, catalog.warnings);
  std::vector<std::vector<std::string>> keys_before;
  for (const auto& table : tables) {
    keys_before.emplace_back();
    for (const auto& fk : table.foreign_keys) keys_before.back().push_back(fk.name);
  }
  drop_foreign_keys_outside(tables, catalog.warnings);
  for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    auto& table = tables[table_idx];
    for (const auto& name : keys_before[table_idx]) {
      bool kept = false;
      for (const auto& fk : table.foreign_keys) kept = kept || fk.name == name;
      if (!kept) table.native_sql = without_foreign_key(table.native_sql, name);
    }
  }
  catalog.tables = order_by_dependencies(std::move(tables));
  read_mariadb_objects(runner, catalog);
  return catalog;
}

}  // namespace bru::schema::dialects

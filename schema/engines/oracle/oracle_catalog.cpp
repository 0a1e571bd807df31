// Oracle's catalog: the ALL_* views of one owner (oracle.h says what is read and how types map).
// Every query binds the owner as its one parameter. Never run against a server here: the queries
// are checked by sqlfluff and sqlglot (ctest oracle_sql_parsers) and the reading by canned rows
// (tests/unit/dialect_oracle_test.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "schema/engines/common.h"
#include "schema/engines/lexer.h"
#include "schema/engines/oracle/oracle.h"
#include "schema/engines/oracle/oracle_objects.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

struct ReadState {
  std::string owner;
  std::vector<Table> tables;
  std::map<std::string, std::size_t> by_name;
  std::vector<std::pair<std::string, CatalogWarning>> warnings;  // by table name
  // Identity columns by "TABLE\x01COLUMN": generation ("ALWAYS", "BY DEFAULT"), sequence name.
  std::map<std::string, std::pair<std::string, std::string>> identities;
  Table* find(const std::string& name) {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &tables[it->second];
  }
};

[[noreturn]] void refuse_type(const Table& table, const std::string& column,
                              const std::string& native, std::string_view why) {
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("column \"{}\" of table \"{}\" has type {}, which bru cannot back up "
                          "from Oracle{}",
                          column, table.display_name(), native, why))
      .with_hint(fmt::format("leave the table out with -EXCLUDE {} (or back up a view that casts "
                             "the column to a type bru reads)",
                             table.name));
}

PortableType with_length(TypeKind kind, long long length) {
  PortableType type = type_of_kind(kind);
  type.length = static_cast<std::int32_t>(length);
  return type;
}

PortableType number_type(bool precision_null, long long precision, bool scale_null,
                         long long scale, bool identity) {
  PortableType type = type_of_kind(TypeKind::kDecimal);
  if (precision_null) {
    // NUMBER(*,0) (INTEGER) is scale 0 without precision: up to 38 digits.
    if (identity) return type_of_kind(TypeKind::kInt64);
    if (!scale_null && scale == 0) type.precision = 38;
    return type;  // NUMBER: unconstrained, never a lossy type
  }
  if (scale == 0 || scale_null) {
    if (precision <= 4) return type_of_kind(TypeKind::kInt16);
    if (precision <= 9) return type_of_kind(TypeKind::kInt32);
    if (precision <= 18 || identity) return type_of_kind(TypeKind::kInt64);
  }
  if (scale < 0) {
    type.precision = static_cast<std::int16_t>(precision - scale);
    return type;
  }
  type.precision = static_cast<std::int16_t>(std::max(precision, scale));
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

// The fractional digits of TIMESTAMP(p) ... as DATA_TYPE spells it ("TIMESTAMP(6) WITH TIME
// ZONE"); refused beyond 6, which the canonical text cannot hold.
PortableType timestamp_type(const Table& table, const std::string& column,
                            const std::string& data_type, long long scale) {
  if (scale > 6) {
    refuse_type(table, column, data_type,
                ": its fraction has more than the 6 digits bru's archives hold");
  }
  const bool zoned = data_type.find("TIME ZONE") != std::string::npos;
  PortableType type = type_of_kind(zoned ? TypeKind::kTimestampTz : TypeKind::kTimestamp);
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

// Columns: the native type as a CREATE TABLE spells it, and the portable kind.
// Row: DATA_TYPE, DATA_LENGTH, DATA_PRECISION, DATA_SCALE, CHAR_LENGTH, CHAR_USED.
std::pair<std::string, PortableType> column_type(const Table& table, const std::string& column,
                                                 const Row& row, std::size_t at, bool identity) {
  const std::string data = to_upper(text_at(row, at));
  const long long length = integer_at(row, at + 1);
  const bool precision_null = text_at(row, at + 2).empty();
  const long long precision = integer_at(row, at + 2);
  const bool scale_null = text_at(row, at + 3).empty();
  const long long scale = integer_at(row, at + 3);
  const long long char_length = integer_at(row, at + 4);
  const std::string char_used = text_at(row, at + 5) == "C" ? "CHAR" : "BYTE";
  if (data == "NUMBER") {
    std::string native = "NUMBER";
    if (!precision_null) {
      native = fmt::format("NUMBER({},{})", precision, scale_null ? 0 : scale);
    } else if (!scale_null && scale == 0) {
      native = "NUMBER(*,0)";
    }
    return {native, number_type(precision_null, precision, scale_null, scale, identity)};
  }
  if (data == "FLOAT") {
    // FLOAT(b) is a decimal NUMBER of b binary digits (up to 38 decimal ones): unconstrained.
    return {precision_null ? "FLOAT" : fmt::format("FLOAT({})", precision),
            type_of_kind(TypeKind::kDecimal)};
  }
  if (data == "BINARY_FLOAT") return {data, type_of_kind(TypeKind::kFloat32)};
  if (data == "BINARY_DOUBLE") return {data, type_of_kind(TypeKind::kFloat64)};
  if (data == "VARCHAR2" || data == "CHAR") {
    return {fmt::format("{}({} {})", data, char_length, char_used),
            with_length(data == "CHAR" ? TypeKind::kChar : TypeKind::kVarchar, char_length)};
  }
  if (data == "NVARCHAR2" || data == "NCHAR") {
    return {fmt::format("{}({})", data, char_length),
            with_length(data == "NCHAR" ? TypeKind::kChar : TypeKind::kVarchar, char_length)};
  }
  if (data == "CLOB" || data == "NCLOB" || data == "LONG") return {data, type_of_kind(TypeKind::kText)};
  if (data == "RAW") return {fmt::format("RAW({})", length), with_length(TypeKind::kBinary, length)};
  if (data == "BLOB" || data == "LONG RAW") return {data, type_of_kind(TypeKind::kBlob)};
  if (data == "DATE") {
    // An Oracle DATE has a time of day, to the second.
    return {data, type_of_kind(TypeKind::kTimestamp)};
  }
  if (data.rfind("TIMESTAMP", 0) == 0) {
    return {data, timestamp_type(table, column, data, scale_null ? 6 : scale)};
  }
  if (data.rfind("INTERVAL", 0) == 0) {
    refuse_type(table, column, data,
                ": an interval has no portable kind (a time of day would lose its days and "
                "sign)");
  }
  refuse_type(table, column, data.empty() ? std::string("(unknown)") : data, " yet");
}

void read_tables(SqlRunner& runner, ReadState& state) {
  // Not the tables Oracle keeps for itself: nested, temporary, dropped (recycle bin), secondary
  // (domain index) and materialized view containers.
  const auto rows = runner.query(
      "SELECT t.TABLE_NAME FROM ALL_TABLES t WHERE t.OWNER = ? AND t.NESTED = 'NO' AND "
      "t.TEMPORARY = 'N' AND t.DROPPED = 'NO' AND t.SECONDARY = 'N' AND NOT EXISTS (SELECT 1 "
      "FROM ALL_MVIEWS m WHERE m.OWNER = t.OWNER AND m.MVIEW_NAME = t.TABLE_NAME) "
      "ORDER BY t.TABLE_NAME",
      {state.owner});
  for (const auto& row : rows) {
    Table table;
    table.schema = state.owner;
    table.name = text_at(row, 0);
    table.dialect = "oracle";
    state.by_name[table.name] = state.tables.size();
    state.tables.push_back(std::move(table));
  }
}

void read_identities(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT TABLE_NAME, COLUMN_NAME, GENERATION_TYPE, SEQUENCE_NAME FROM ALL_TAB_IDENTITY_COLS "
      "WHERE OWNER = ? ORDER BY TABLE_NAME, COLUMN_NAME",
      {state.owner});
  for (const auto& row : rows) {
    state.identities[text_at(row, 0) + '\x01' + text_at(row, 1)] = {text_at(row, 2),
                                                                     text_at(row, 3)};
  }
}

void read_columns(SqlRunner& runner, ReadState& state) {
  // ALL_TAB_COLS, not ALL_TAB_COLUMNS: it says which columns are virtual. Hidden columns (the
  // keys of function-based indexes, unused columns) are Oracle's own.
  const auto rows = runner.query(
      "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, DATA_LENGTH, DATA_PRECISION, DATA_SCALE, "
      "CHAR_LENGTH, CHAR_USED, NULLABLE, DATA_DEFAULT, VIRTUAL_COLUMN FROM ALL_TAB_COLS "
      "WHERE OWNER = ? AND HIDDEN_COLUMN = 'NO' ORDER BY TABLE_NAME, COLUMN_ID",
      {state.owner});
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    Column column;
    column.name = text_at(row, 1);
    if (text_at(row, 10) == "YES") {
      state.warnings.emplace_back(
          table->name,
          CatalogWarning{"generated-column-skipped",
                         fmt::format("virtual column \"{}\" of table \"{}\" is not backed up: "
                                     "no restore gets it",
                                     column.name, table->display_name())});
      continue;
    }
    const auto identity = state.identities.find(table->name + '\x01' + column.name);
    column.identity = identity != state.identities.end();
    std::tie(column.native_type, column.type) =
        column_type(*table, column.name, row, 2, column.identity);
    column.nullable = text_at(row, 8) != "N";
    if (column.identity) {
      column.identity_kind = identity->second.first == "ALWAYS" ? "always" : "by default";
      column.identity_sequence = identity->second.second;
    } else if (const auto value = split_detail::trim(text_at(row, 9)); !value.empty() && to_upper(value) != "NULL") {
      column.default_sql = std::string(value);
    }
    table->columns.push_back(std::move(column));
  }
}

// Primary, unique and foreign keys with their columns in key order; CHECK constraints.
void read_constraints(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, cc.COLUMN_NAME, r.OWNER, "
      "r.TABLE_NAME, rc.COLUMN_NAME, c.DELETE_RULE FROM ALL_CONSTRAINTS c JOIN ALL_CONS_COLUMNS "
      "cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND cc.TABLE_NAME = "
      "c.TABLE_NAME LEFT JOIN ALL_CONSTRAINTS r ON r.OWNER = c.R_OWNER AND r.CONSTRAINT_NAME = "
      "c.R_CONSTRAINT_NAME LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER AND "
      "rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND rc.POSITION = cc.POSITION WHERE c.OWNER = ? "
      "AND c.CONSTRAINT_TYPE IN ('P', 'U', 'R') ORDER BY c.TABLE_NAME, c.CONSTRAINT_TYPE, "
      "c.CONSTRAINT_NAME, cc.POSITION",
      {state.owner});
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    if (text_at(row, 2) == "P") table->primary_key_name = text_at(row, 1);
    ForeignKey new_key;
    new_key.ref_schema = text_at(row, 4);
    new_key.ref_table = text_at(row, 5);
    new_key.on_delete = text_at(row, 7).empty() ? "NO ACTION" : text_at(row, 7);
    new_key.on_update = "NO ACTION";  // Oracle has no ON UPDATE action
    add_key_column(*table, text_at(row, 2), text_at(row, 1), text_at(row, 3), new_key,
                   text_at(row, 6));
  }
}

// Whether a CHECK is the one Oracle lists for a NOT NULL column: `"COL" IS NOT NULL` on a column
// the catalog reads as NOT NULL.
bool is_not_null_check(const Table& table, std::string_view condition) {
  constexpr std::string_view kTail = " IS NOT NULL";
  condition = split_detail::trim(condition);
  if (condition.size() <= kTail.size() + 2 || condition.front() != '"') return false;
  if (to_upper(condition.substr(condition.size() - kTail.size())) != kTail) return false;
  const auto quoted = condition.substr(0, condition.size() - kTail.size());
  if (quoted.back() != '"' || quoted.substr(1, quoted.size() - 2).find('"') != std::string_view::npos) {
    return false;
  }
  const auto* column = table.find_column(quoted.substr(1, quoted.size() - 2));
  return column != nullptr && !column->nullable;
}

void read_checks(SqlRunner& runner, ReadState& state) {
  // SEARCH_CONDITION_VC (12c) is the condition as VARCHAR2; SEARCH_CONDITION is a LONG.
  const auto rows = runner.query(
      "SELECT TABLE_NAME, CONSTRAINT_NAME, SEARCH_CONDITION_VC FROM ALL_CONSTRAINTS WHERE OWNER "
      "= ? AND CONSTRAINT_TYPE = 'C' ORDER BY TABLE_NAME, CONSTRAINT_NAME",
      {state.owner});
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table || is_not_null_check(*table, text_at(row, 2))) continue;
    table->native_constraints.push_back(
        {text_at(row, 1), "CHECK (" + std::string(split_detail::trim(text_at(row, 2))) + ")"});
    state.warnings.emplace_back(
        table->name,
        CatalogWarning{"constraint-same-engine-only",
                       fmt::format("CHECK constraint \"{}\" of table \"{}\" is restored only "
                                   "into Oracle",
                                   text_at(row, 1), table->display_name())});
  }
}

// Secondary indexes: not those that back a primary key or unique constraint, nor LOB and IOT
// ones (Oracle's own). A function-based (its keys in ALL_IND_EXPRESSIONS), descending or bitmap
// index is kept with its definition for an Oracle restore and is not portable.
void read_indexes(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT i.TABLE_NAME, i.INDEX_NAME, i.UNIQUENESS, i.INDEX_TYPE, ic.COLUMN_NAME, "
      "ic.DESCEND, ie.COLUMN_EXPRESSION FROM ALL_INDEXES i JOIN ALL_IND_COLUMNS ic ON "
      "ic.INDEX_OWNER = i.OWNER AND ic.INDEX_NAME = i.INDEX_NAME LEFT JOIN ALL_IND_EXPRESSIONS "
      "ie ON ie.INDEX_OWNER = ic.INDEX_OWNER AND ie.INDEX_NAME = ic.INDEX_NAME AND "
      "ie.COLUMN_POSITION = ic.COLUMN_POSITION WHERE i.TABLE_OWNER = ? AND i.OWNER = "
      "i.TABLE_OWNER AND i.INDEX_TYPE NOT IN ('LOB', 'IOT - TOP') AND NOT EXISTS (SELECT 1 FROM "
      "ALL_CONSTRAINTS c WHERE c.OWNER = i.TABLE_OWNER AND c.TABLE_NAME = i.TABLE_NAME AND "
      "c.INDEX_NAME = i.INDEX_NAME AND c.CONSTRAINT_TYPE IN ('P', 'U')) ORDER BY i.TABLE_NAME, "
      "i.INDEX_NAME, ic.COLUMN_POSITION",
      {state.owner});
  std::vector<std::string> keys;  // of the index being read, as its definition writes them
  bool bitmap = false;
  Table* last = nullptr;
  auto finish = [&] {
    if (last == nullptr || last->indexes.empty()) return;
    auto& index = last->indexes.back();
    index.definition_sql = fmt::format("CREATE {}INDEX {} ON {} ({})",
                                       index.unique ? "UNIQUE " : (bitmap ? "BITMAP " : ""),
                                       double_quote(index.name), double_quote(last->name),
                                       join(keys, ", "));
  };
  for (const auto& row : rows) {
    Table* table = state.find(text_at(row, 0));
    if (!table) continue;
    const std::string& name = text_at(row, 1);
    if (table != last || table->indexes.back().name != name) {
      finish();
      keys.clear();
      const std::string& type = text_at(row, 3);
      bitmap = type == "BITMAP" || type == "FUNCTION-BASED BITMAP";
      if (!bitmap && type != "NORMAL" && type != "FUNCTION-BASED NORMAL") {
        refuse_type(*table, "(index " + name + ")", type + " index",
                    ": a restore could not recreate it");
      }
      Index index;
      index.name = name;
      index.unique = text_at(row, 2) == "UNIQUE";
      index.portable = !bitmap;
      table->indexes.push_back(std::move(index));
      last = table;
    }
    auto& index = table->indexes.back();
    const std::string& expression = text_at(row, 6);
    const bool descending = text_at(row, 5) == "DESC";
    if (expression.empty()) {
      index.columns.push_back(text_at(row, 4));
      keys.push_back(double_quote(text_at(row, 4)) + (descending ? " DESC" : ""));
    } else {
      // A function-based key; a descending one is stored as an expression of its column.
      index.portable = false;
      keys.push_back(expression + (descending ? " DESC" : ""));
    }
    if (descending) index.portable = false;
  }
  finish();
}

}  // namespace

Catalog OracleDialect::read_catalog(SqlRunner& runner, const CatalogFilter& filter) const {
  if (filter.schemas.size() > 1) {
    throw Error(ErrorKind::kUsage, "an Oracle backup reads one schema: -SCHEMA names more")
        .with_hint("back up each schema (user) with its own bru -BACKUP -SCHEMA <user>");
  }
  Catalog catalog;
  catalog.dialect = std::string(name());
  const auto info = runner.query(
      "SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'), SYS_CONTEXT('USERENV', 'DB_NAME'), "
      "(SELECT VERSION_FULL FROM PRODUCT_COMPONENT_VERSION WHERE PRODUCT LIKE 'Oracle%' AND "
      "ROWNUM = 1) FROM DUAL");
  ReadState state;
  state.owner = info.empty() ? std::string() : text_at(info[0], 0);
  catalog.database = info.empty() ? std::string() : text_at(info[0], 1);
  catalog.server_version = info.empty() ? std::string() : text_at(info[0], 2);
  if (!filter.schemas.empty()) {
    // An unquoted name is stored in upper case; a -SCHEMA name matches either way.
    const auto owners = runner.query("SELECT USERNAME FROM ALL_USERS WHERE USERNAME = ? OR "
                                     "USERNAME = UPPER(?)",
                                     {filter.schemas[0], filter.schemas[0]});
    std::vector<std::string> existing;
    for (const auto& row : owners) existing.push_back(text_at(row, 0));
    require_schemas_exist(filter.schemas, existing, catalog.database);
    state.owner = existing.size() == 1 ? existing[0] : filter.schemas[0];
  }
  if (state.owner.empty()) {
    throw Error(ErrorKind::kDatabase, "Oracle names no current schema for the connection")
        .with_hint("name the schema to back up with -SCHEMA <user>");
  }

  read_tables(runner, state);
  read_identities(runner, state);
  read_columns(runner, state);
  read_constraints(runner, state);
  read_checks(runner, state);
  read_indexes(runner, state);

  auto tables = apply_table_filter(std::move(state.tables), filter, catalog.database);
  keep_warnings_of(tables, state.warnings, catalog.warnings);
  drop_foreign_keys_outside(tables, catalog.warnings);
  catalog.tables = order_by_dependencies(std::move(tables));
  read_oracle_objects(runner, state.owner, catalog);
  return catalog;
}

}  // namespace bru::schema::dialects

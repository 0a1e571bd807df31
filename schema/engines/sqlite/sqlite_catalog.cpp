// SQLite catalog reading: the table-valued pragmas per table, then one aggregate query per table
// over the stored values to settle each column's portable kind (see sqlite.h).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <utility>

#include "schema/engines/common.h"
#include "schema/engines/sqlite/sqlite.h"
#include "schema/engines/sqlite/sqlite_sql.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

struct TableEntry {
  Table table;
  bool without_rowid = false;
};

// What read_catalog collects before filtering: every table, and warnings by table name.
struct ReadState {
  std::vector<TableEntry> entries;
  std::vector<std::pair<std::string, CatalogWarning>> warnings;  // by table name

  void warn(const Table& table, std::string code, std::string text) {
    warnings.emplace_back(table.name, CatalogWarning{std::move(code), std::move(text)});
  }
  // The table's name as the catalog spells it (SQLite names match in any case).
  const TableEntry* find(std::string_view name) const {
    for (const auto& entry : entries) {
      if (equals_ignoring_case(entry.table.name, name)) return &entry;
    }
    return nullptr;
  }
};

void read_tables(SqlRunner& runner, ReadState& state) {
  const auto rows = runner.query(
      "SELECT l.name, l.type, l.wr, m.sql FROM pragma_table_list AS l "
      "LEFT JOIN sqlite_master AS m ON m.type = 'table' AND m.name = l.name "
      "WHERE l.schema = 'main' AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY l.name");
  for (const auto& row : rows) {
    const auto& type = text_at(row, 1);
    TableEntry entry;
    entry.table.name = text_at(row, 0);
    entry.table.dialect = "sqlite";
    entry.table.native_sql = text_at(row, 3);
    entry.without_rowid = integer_at(row, 2) != 0;
    // CHECK constraints live only in the CREATE TABLE text, which only SQLite runs again.
    static const std::regex kCheck(R"(\bCHECK\s*\()", std::regex::icase);
    if (type == "table" && std::regex_search(entry.table.native_sql, kCheck)) {
      state.warn(entry.table, "constraint-same-engine-only",
                 fmt::format("table \"{}\" has CHECK constraints: they are restored only into "
                             "sqlite",
                             entry.table.name));
    }
    if (type == "virtual") {
      state.warn(entry.table, "virtual-table-skipped",
                 fmt::format("virtual table \"{}\" is not backed up ({})", entry.table.name,
                             entry.table.native_sql));
    }
    // Views are not tables; shadow tables belong to a virtual table.
    if (type != "table") continue;
    state.entries.push_back(std::move(entry));
  }
}

void read_columns(SqlRunner& runner, TableEntry& entry, ReadState& state) {
  Table& table = entry.table;
  const auto rows = runner.query(
      "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(" +
      string_literal(table.name) + ") ORDER BY cid");
  std::vector<std::pair<long long, std::string>> key_columns;  // position in key, name
  for (const auto& row : rows) {
    Column column;
    column.name = text_at(row, 0);
    column.native_type = text_at(row, 1);
    column.nullable = integer_at(row, 2) == 0;
    if (row[3]) column.default_sql = *row[3];
    column.type = sqlite_portable_type(column.native_type);
    const auto hidden = integer_at(row, 5);
    if (hidden == 2 || hidden == 3) {
      // A generated column: the original CREATE TABLE recomputes it, and it cannot be inserted.
      state.warn(table, "generated-column-skipped",
                 fmt::format("generated column \"{}\" of table \"{}\" is not backed up: "
                             "a restore into SQLite recomputes it, other engines do not "
                             "get it",
                             column.name, table.name));
      continue;
    }
    if (integer_at(row, 4) > 0) key_columns.emplace_back(integer_at(row, 4), column.name);
    table.columns.push_back(std::move(column));
  }
  std::sort(key_columns.begin(), key_columns.end());
  for (auto& [position, name] : key_columns) table.primary_key.push_back(name);

  // INTEGER PRIMARY KEY (exactly that type name, one key column, a rowid table) is an alias of
  // the rowid: SQLite makes its keys.
  if (table.primary_key.size() == 1 && !entry.without_rowid) {
    for (auto& column : table.columns) {
      if (column.name == table.primary_key[0] && to_upper(column.native_type) == "INTEGER") {
        column.identity = true;
        column.identity_kind = to_upper(table.native_sql).find("AUTOINCREMENT") != std::string::npos
                                   ? "autoincrement"
                                   : "rowid";
      }
    }
  }
}

void read_indexes(SqlRunner& runner, Table& table) {
  const auto rows = runner.query(
      "SELECT il.name, il.\"unique\", il.origin, il.partial, ix.cid, ix.name, ix.\"desc\", "
      "ix.coll, ix.key, m.sql FROM pragma_index_list(" +
      string_literal(table.name) +
      ") AS il "
      "JOIN pragma_index_xinfo(il.name) AS ix "
      "LEFT JOIN sqlite_master AS m ON m.type = 'index' AND m.name = il.name "
      "ORDER BY il.name, ix.seqno");
  std::string previous;
  for (const auto& row : rows) {
    const auto& index_name = text_at(row, 0);
    const auto& origin = text_at(row, 2);
    const bool first = index_name != previous;
    previous = index_name;
    if (origin == "pk") continue;
    const bool key = integer_at(row, 8) != 0;
    const auto cid = integer_at(row, 4);
    if (origin == "u") {
      if (first) table.uniques.push_back({"", {}});
      if (key) table.uniques.back().columns.push_back(text_at(row, 5));
      continue;
    }
    if (first) {
      Index index;
      index.name = index_name;
      index.unique = integer_at(row, 1) != 0;
      index.definition_sql = text_at(row, 9);
      index.portable = integer_at(row, 3) == 0;
      table.indexes.push_back(std::move(index));
    }
    if (!key) continue;
    Index& index = table.indexes.back();
    if (cid < 0) {
      index.portable = false;  // an expression (-2) or the rowid (-1)
      continue;
    }
    if (integer_at(row, 6) != 0 || !equals_ignoring_case(text_at(row, 7), "BINARY")) {
      index.portable = false;
    }
    index.columns.push_back(text_at(row, 5));
  }
}

// Column names as the referenced table spells them; SQLite matches them in any case.
std::string spelled_as_in(const Table& table, const std::string& column_name) {
  for (const auto& column : table.columns) {
    if (equals_ignoring_case(column.name, column_name)) return column.name;
  }
  return column_name;
}

// Foreign keys in declaration order (SQLite numbers them from the last one declared).
void read_foreign_keys(SqlRunner& runner, Table& table, ReadState& state) {
  const auto rows = runner.query(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
      "pragma_foreign_key_list(" +
      string_literal(table.name) + ") ORDER BY id DESC, seq");
  long long previous_id = -1;
  bool dropped = false;
  for (const auto& row : rows) {
    const auto id = integer_at(row, 0);
    const TableEntry* referenced = state.find(text_at(row, 1));
    if (id != previous_id) {
      previous_id = id;
      dropped = referenced == nullptr;
      if (dropped) {
        state.warn(table, "foreign-key-dangling",
                   fmt::format("a foreign key of table \"{}\" references table \"{}\", "
                               "which does not exist: it is not backed up",
                               table.name, text_at(row, 1)));
        continue;
      }
      ForeignKey fk;
      fk.ref_table = referenced->table.name;
      fk.on_update = text_at(row, 4);
      fk.on_delete = text_at(row, 5);
      table.foreign_keys.push_back(std::move(fk));
    }
    if (dropped) continue;
    ForeignKey& fk = table.foreign_keys.back();
    fk.columns.push_back(spelled_as_in(table, text_at(row, 2)));
    if (row[3]) {
      fk.ref_columns.push_back(spelled_as_in(referenced->table, *row[3]));
    } else {
      // REFERENCES parent without columns means the parent's primary key.
      const auto& key = referenced->table.primary_key;
      const std::size_t position = fk.columns.size() - 1;
      fk.ref_columns.push_back(position < key.size() ? key[position] : fk.columns.back());
    }
  }
}

// Counts over one column's stored values.
struct ValueCounts {
  long long integers = 0;
  long long reals = 0;
  long long texts = 0;
  long long blobs = 0;
  long long misfits = 0;       // values that do not have the canonical form of the kind
  long long big_integers = 0;  // integers a double cannot hold exactly
};

constexpr std::size_t kCountsPerColumn = 6;
// SQLite returns at most 2000 result columns by default.
constexpr std::size_t kColumnsPerQuery = 300;

std::vector<ValueCounts> count_values(SqlRunner& runner, const Table& table) {
  std::vector<ValueCounts> counts(table.columns.size());
  for (std::size_t first = 0; first < table.columns.size(); first += kColumnsPerQuery) {
    const std::size_t last = std::min(table.columns.size(), first + kColumnsPerQuery);
    std::vector<std::string> aggregates;
    for (std::size_t column_idx = first; column_idx < last; ++column_idx) {
      const Column& column = table.columns[column_idx];
      const std::string x = double_quote(column.name);
      for (const char* storage : {"integer", "real", "text", "blob"}) {
        aggregates.push_back(
            fmt::format("count(CASE WHEN typeof({}) = '{}' THEN 1 END)", x, storage));
      }
      aggregates.push_back(
          fmt::format("count(CASE WHEN NOT {} THEN 1 END)",
                      sqlite_sql::fits(x, column.type, sqlite_affinity(column.native_type))));
      aggregates.push_back(fmt::format(
          "count(CASE WHEN typeof({0}) = 'integer' AND {0} NOT BETWEEN -9007199254740992 AND "
          "9007199254740992 THEN 1 END)",
          x));
    }
    const auto rows = runner.query(
        fmt::format("SELECT {} FROM {}", join(aggregates, ", "), double_quote(table.name)));
    if (rows.empty()) continue;
    for (std::size_t column_idx = first; column_idx < last; ++column_idx) {
      const std::size_t at = (column_idx - first) * kCountsPerColumn;
      ValueCounts& out = counts[column_idx];
      out.integers = integer_at(rows[0], at);
      out.reals = integer_at(rows[0], at + 1);
      out.texts = integer_at(rows[0], at + 2);
      out.blobs = integer_at(rows[0], at + 3);
      out.misfits = integer_at(rows[0], at + 4);
      out.big_integers = integer_at(rows[0], at + 5);
    }
  }
  return counts;
}

std::string expected_form(const PortableType& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return "integers 0 or 1";
    case TypeKind::kInt16:
      return "integers from -32768 to 32767";
    case TypeKind::kInt32:
      return "integers from -2147483648 to 2147483647";
    case TypeKind::kInt64:
      return "integers";
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return "numbers";
    case TypeKind::kDecimal:
      if (type.precision == 0) return "decimal numbers of at most 15 significant digits";
      return fmt::format("decimal numbers with at most {} decimals", type.scale);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
    case TypeKind::kXml:
      return "text";
    case TypeKind::kJson:
      return "valid JSON text";
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      return "blobs";
    case TypeKind::kDate:
      return "'YYYY-MM-DD' text";
    case TypeKind::kTime:
      return "'HH:MM:SS[.ffffff]' text (no trailing zeros)";
    case TypeKind::kTimestamp:
      return "'YYYY-MM-DD HH:MM:SS[.ffffff]' text (no trailing zeros)";
    case TypeKind::kTimestampTz:
      return "'YYYY-MM-DD HH:MM:SS[.ffffff]+00' text (no trailing zeros)";
    case TypeKind::kUuid:
      return "lower-case UUID text";
  }
  return "values of its type";
}

std::string storage_classes(const ValueCounts& counts) {
  std::vector<std::string> names;
  if (counts.integers > 0) names.push_back("integer");
  if (counts.reals > 0) names.push_back("real");
  if (counts.texts > 0) names.push_back("text");
  if (counts.blobs > 0) names.push_back("blob");
  return join(names, ", ");
}

[[noreturn]] void refuse_column(SqlRunner& runner, const TableEntry& entry, const Column& column,
                                const ValueCounts& counts) {
  // Name a row holding the rarest storage class, the likely odd one out.
  std::vector<std::pair<long long, std::string>> classes;
  if (counts.integers > 0) classes.emplace_back(counts.integers, "integer");
  if (counts.reals > 0) classes.emplace_back(counts.reals, "real");
  if (counts.texts > 0) classes.emplace_back(counts.texts, "text");
  if (counts.blobs > 0) classes.emplace_back(counts.blobs, "blob");
  std::sort(classes.begin(), classes.end());
  std::string where;
  if (!entry.without_rowid && !classes.empty()) {
    const auto rows = runner.query(fmt::format(
        "SELECT rowid FROM {} WHERE typeof({}) = '{}' LIMIT 1", double_quote(entry.table.name),
        double_quote(column.name), classes.front().second));
    if (!rows.empty()) {
      where = fmt::format(" (a {} value at rowid {})", classes.front().second, text_at(rows[0], 0));
    }
  }
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("cannot back up column \"{}\" of table \"{}\": it holds {} values{}, "
                          "which no single type carries faithfully",
                          column.name, entry.table.name, storage_classes(counts), where))
      .with_hint(
          "make the column's values one storage class (for example UPDATE ... SET col = "
          "CAST(col AS TEXT)), or leave the table out with -EXCLUDE");
}

// Settles the kinds of a table's columns from their stored values (see sqlite.h).
void settle_kinds(SqlRunner& runner, TableEntry& entry, ReadState& state) {
  Table& table = entry.table;
  const auto counts = count_values(runner, table);
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    Column& column = table.columns[column_idx];
    const ValueCounts& count = counts[column_idx];
    if (count.misfits == 0) continue;
    const int classes =
        (count.integers > 0) + (count.reals > 0) + (count.texts > 0) + (count.blobs > 0);
    const TypeKind declared = column.type.kind;
    PortableType settled;
    if (sqlite_affinity(column.native_type) == SqliteAffinity::kBlob) {
      // No affinity: a value keeps its storage class, so only one class can be restored exactly.
      if (classes != 1) refuse_column(runner, entry, column, count);
      settled = type_of_kind(count.integers > 0 ? TypeKind::kInt64
                             : count.reals > 0  ? TypeKind::kFloat64
                             : count.texts > 0  ? TypeKind::kText
                                                : TypeKind::kBlob);
    } else if (count.blobs > 0) {
      if (classes != 1) refuse_column(runner, entry, column, count);
      settled = type_of_kind(TypeKind::kBlob);
    } else if ((declared == TypeKind::kBool || declared == TypeKind::kInt16 ||
                declared == TypeKind::kInt32) &&
               count.reals == 0 && count.texts == 0) {
      settled = type_of_kind(TypeKind::kInt64);
    } else if (declared == TypeKind::kDecimal && count.texts == 0 && count.big_integers == 0) {
      settled = type_of_kind(TypeKind::kFloat64);
    } else {
      // The column's affinity turns the text back into the class each value had.
      settled = type_of_kind(TypeKind::kText);
    }
    if (declared != TypeKind::kText || settled.kind != TypeKind::kText) {
      state.warn(table, "column-type-settled",
                 fmt::format("column \"{}\" of table \"{}\" (declared {}) holds {} "
                             "value(s) that are not {}: it is backed up as {}",
                             column.name, table.name,
                             column.native_type.empty() ? "without a type" : column.native_type,
                             count.misfits, expected_form(column.type), to_string(settled)));
    }
    column.type = settled;
  }
}

}  // namespace

Catalog SqliteDialect::read_catalog(SqlRunner& runner, const CatalogFilter& filter) const {
  Catalog catalog;
  catalog.dialect = std::string(name());
  const auto version = runner.query("SELECT sqlite_version()");
  if (!version.empty()) catalog.server_version = text_at(version[0], 0);
  const auto files = runner.query("SELECT file FROM pragma_database_list WHERE name = 'main'");
  if (!files.empty()) catalog.database = text_at(files[0], 0);
  for (const auto& schema_name : filter.schemas) {
    if (!equals_ignoring_case(schema_name, "main")) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("-SCHEMA \"{}\" does not apply to SQLite: a SQLite database has "
                              "no schemas",
                              schema_name))
          .with_hint("leave out -SCHEMA; use -TABLES / -EXCLUDE to choose tables");
    }
  }

  ReadState state;
  read_tables(runner, state);
  for (auto& entry : state.entries) read_columns(runner, entry, state);
  for (auto& entry : state.entries) {
    read_indexes(runner, entry.table);
    read_foreign_keys(runner, entry.table, state);
  }

  // Filter before looking at the values: only the selected tables are scanned.
  std::vector<Table> tables;
  for (auto& entry : state.entries) tables.push_back(entry.table);
  tables = apply_table_filter(std::move(tables), filter, catalog.database);
  for (auto& table : tables) {
    TableEntry* entry = nullptr;
    for (auto& candidate : state.entries) {
      if (candidate.table.name == table.name) entry = &candidate;
    }
    settle_kinds(runner, *entry, state);
    table = entry->table;
  }
  for (auto& [table_name, warning] : state.warnings) {
    // A named copy: clang before 16 cannot capture a structured binding in a lambda.
    const std::string& name = table_name;
    const bool kept = std::any_of(tables.begin(), tables.end(),
                                  [&](const Table& table) { return table.name == name; });
    // Virtual tables are never in the list; their warning stands unless a filter was given.
    const bool virtual_table = warning.code == "virtual-table-skipped";
    if (kept || (virtual_table && filter.include_tables.empty())) {
      catalog.warnings.push_back(std::move(warning));
    }
  }
  drop_foreign_keys_outside(tables, catalog.warnings);
  catalog.tables = order_by_dependencies(std::move(tables));
  return catalog;
}

}  // namespace bru::schema::dialects

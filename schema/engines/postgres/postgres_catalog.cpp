// PostgreSQL catalog reading: a handful of pg_catalog queries over every table of the selected
// schemas at once (not one query per table), assembled into the portable model.
#include <fmt/format.h>

#include <map>
#include <utility>

#include "schema/engines/common.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/postgres/postgres_objects.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

using TableKey = std::pair<std::string, std::string>;  // schema, name

bool flag_of(const Row& row, std::size_t column_idx) { return text_at(row, column_idx) == "1"; }

// The WHERE condition on namespace alias n selecting the catalog's schemas; schema names bound
// as parameters.
std::string schema_condition(const std::vector<std::string>& schemas) {
  if (schemas.empty()) {
    return "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE "
           "'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";
  }
  std::vector<std::string> markers(schemas.size(), "?");
  return "n.nspname IN (" + join(markers, ", ") + ")";
}

std::string fk_action(const std::string& code) {
  if (code == "r") return "RESTRICT";
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  return "NO ACTION";
}

struct ReadState {
  std::vector<Table> tables;
  std::map<TableKey, std::size_t> index_of;
  std::map<std::pair<std::size_t, int>, std::string> column_names;  // (table, attnum) -> name
  std::vector<std::pair<TableKey, CatalogWarning>> warnings;        // by the table they are about
  // (table, column) -> the sequence of its nextval() default, where no other default uses it.
  std::map<std::pair<std::size_t, std::string>, std::string> sequence_defaults;

  void warn(const Table& table, std::string code, std::string text) {
    warnings.emplace_back(TableKey{table.schema, table.name},
                          CatalogWarning{std::move(code), std::move(text)});
  }

  Table* find(const Row& row) {
    auto found = index_of.find({text_at(row, 0), text_at(row, 1)});
    return found == index_of.end() ? nullptr : &tables[found->second];
  }
};

void read_tables(SqlRunner& runner, const std::string& where,
                 const std::vector<std::string>& params, ReadState& state) {
  const auto rows = runner.query(
      "SELECT n.nspname, c.relname, CASE WHEN c.relkind = 'p' THEN 1 ELSE 0 END "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE "
      "e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e') AND " +
          where + " ORDER BY n.nspname, c.relname",
      params);
  for (const auto& row : rows) {
    Table table;
    table.schema = text_at(row, 0);
    table.name = text_at(row, 1);
    table.dialect = "postgres";
    // Partitions are tables of their own (their rows are theirs); the partitioned table has none.
    table.partitioned = flag_of(row, 2);
    state.index_of.emplace(TableKey{table.schema, table.name}, state.tables.size());
    state.tables.push_back(std::move(table));
  }
}

void read_columns(SqlRunner& runner, const std::string& where,
                  const std::vector<std::string>& params, ReadState& state) {
  const auto rows = runner.query(
      "SELECT n.nspname, c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
      "CASE WHEN a.attnotnull THEN 1 ELSE 0 END, pg_get_expr(d.adbin, d.adrelid), "
      "a.attidentity, a.attgenerated, bt.typname, "
      "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, "
      "CASE WHEN bt.typnamespace = 'pg_catalog'::regnamespace THEN 1 ELSE 0 END, "
      "CASE WHEN bt.typcategory = 'A' THEN 1 ELSE 0 END, "
      "CASE WHEN EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid "
      "  WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass "
      "  AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a' "
      "  AND s.relkind = 'S') THEN 1 ELSE 0 END, "
      // The sequence a default takes its values from, and how many defaults use it.
      "ds.name, (SELECT count(*) FROM pg_depend other WHERE other.classid = "
      "  'pg_attrdef'::regclass AND other.refclassid = 'pg_class'::regclass AND other.refobjid = "
      "  ds.oid) "
      "FROM pg_attribute a "
      "JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_type t ON t.oid = a.atttypid "
      "JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
      "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "LEFT JOIN LATERAL (SELECT s.oid, quote_ident(sn.nspname) || '.' || quote_ident(s.relname) "
      "  AS name FROM pg_depend dd JOIN pg_class s ON s.oid = dd.refobjid JOIN pg_namespace sn "
      "  ON sn.oid = s.relnamespace WHERE dd.classid = 'pg_attrdef'::regclass AND dd.objid = "
      "  d.oid AND dd.refclassid = 'pg_class'::regclass AND s.relkind = 'S' LIMIT 1) ds ON true "
      "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 "
      "AND NOT a.attisdropped AND " +
          where + " ORDER BY n.nspname, c.relname, a.attnum",
      params);
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    Column column;
    column.name = text_at(row, 3);
    column.native_type = text_at(row, 4);
    column.nullable = !flag_of(row, 5);
    if (row[6]) column.default_sql = *row[6];
    PostgresTypeInfo info;
    info.name = text_at(row, 9);
    info.typmod = integer_at(row, 10);
    info.builtin = flag_of(row, 11);
    info.array = flag_of(row, 12);
    column.type = postgres_portable_type(info);

    const auto& identity = text_at(row, 7);
    const bool owns_sequence = flag_of(row, 13);
    if (identity == "a" || identity == "d") {
      column.identity = true;
      column.identity_kind = identity == "a" ? "always" : "by default";
      column.default_sql.reset();
    } else if (owns_sequence && column.default_sql &&
               column.default_sql->rfind("nextval(", 0) == 0) {
      column.identity = true;
      column.identity_kind = "serial";
      column.default_sql.reset();
    } else if (column.default_sql && column.default_sql->rfind("nextval(", 0) == 0 &&
               !text_at(row, 14).empty() && integer_at(row, 15) == 1 &&
               is_integer_kind(column.type.kind)) {
      // Decided once the primary key is known (mark_sequence_keys).
      state.sequence_defaults[{static_cast<std::size_t>(table - state.tables.data()),
                               column.name}] = text_at(row, 14);
    }
    // A generated column's values are the server's to compute: it is not read or loaded, and
    // comes back generated with the table's native CREATE TABLE (postgres_objects.cpp).
    if (!text_at(row, 8).empty()) continue;
    const std::size_t table_idx = static_cast<std::size_t>(table - state.tables.data());
    state.column_names[{table_idx, integer_at(row, 2)}] = column.name;
    table->columns.push_back(std::move(column));
  }
}

// A single-column integer primary key whose default is nextval() on a sequence of its own but
// not owned by it (pg_dump's CREATE SEQUENCE + DEFAULT nextval(), as in many public samples) is
// an identity for another engine: SQLite's rowid, MariaDB's AUTO_INCREMENT. A same-engine restore
// runs the table's exact CREATE TABLE and the sequence's own entries, as before.
void mark_sequence_keys(ReadState& state) {
  for (const auto& [key, sequence] : state.sequence_defaults) {
    Table& table = state.tables[key.first];
    if (table.primary_key.size() != 1 || table.primary_key[0] != key.second) continue;
    for (auto& column : table.columns) {
      if (column.name != key.second) continue;
      column.identity = true;
      column.identity_kind = "sequence";
      column.identity_sequence = sequence;
      column.default_sql.reset();
    }
  }
}

void read_constraints(SqlRunner& runner, const std::string& where,
                      const std::vector<std::string>& params, ReadState& state) {
  // One row per key column, in key order; conparentid = 0 leaves out the copies PostgreSQL
  // makes for partitions.
  const auto rows = runner.query(
      "SELECT n.nspname, c.relname, con.conname, con.contype, a.attname, rn.nspname, "
      "rc.relname, ra.attname, con.confdeltype, con.confupdtype, "
      "CASE WHEN con.condeferrable THEN 1 ELSE 0 END, con.confmatchtype, "
      "CASE WHEN con.contype = 'f' THEN pg_get_constraintdef(con.oid) END, "
      // indnullsnotdistinct is new in 15: read through to_jsonb, absent before.
      "CASE WHEN con.contype = 'u' AND (SELECT to_jsonb(i) ->> 'indnullsnotdistinct' FROM "
      "  pg_index i WHERE i.indexrelid = con.conindid) = 'true' THEN 1 ELSE 0 END "
      "FROM pg_constraint con "
      "JOIN pg_class c ON c.oid = con.conrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, "
      "ref_attnum, ord) "
      "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
      "LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
      "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
      "LEFT JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.ref_attnum "
      "WHERE con.contype IN ('p', 'u', 'f') AND con.conparentid = 0 AND c.relkind IN ('r', 'p') "
      "AND " +
          where + " ORDER BY n.nspname, c.relname, con.contype, con.conname, k.ord",
      params);
  std::string previous;  // schema, table, constraint of the previous row
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    const std::string key = text_at(row, 0) + '\0' + text_at(row, 1) + '\0' + text_at(row, 2);
    const bool first_column = key != previous;
    previous = key;
    const auto& type = text_at(row, 3);
    const auto& column = text_at(row, 4);
    if (type == "p") {
      table->primary_key_name = text_at(row, 2);
      table->primary_key.push_back(column);
    } else if (type == "u") {
      if (first_column) {
        table->uniques.push_back({text_at(row, 2), {}, flag_of(row, 13)});
        if (flag_of(row, 13)) {
          state.warn(*table, "unique-nulls-distinct-elsewhere",
                     fmt::format("unique constraint \"{}\" of table \"{}\" is NULLS NOT "
                                 "DISTINCT: other engines get a plain unique constraint, which "
                                 "takes any number of NULLs",
                                 text_at(row, 2), table->display_name()));
        }
      }
      table->uniques.back().columns.push_back(column);
    } else {
      if (first_column) {
        ForeignKey fk;
        fk.name = text_at(row, 2);
        fk.ref_schema = text_at(row, 5);
        fk.ref_table = text_at(row, 6);
        fk.on_delete = fk_action(text_at(row, 8));
        fk.on_update = fk_action(text_at(row, 9));
        fk.definition_sql = text_at(row, 12);
        table->foreign_keys.push_back(std::move(fk));
        if (flag_of(row, 10) || text_at(row, 11) == "f") {
          state.warn(
              *table, "foreign-key-made-immediate",
              fmt::format(
                  "foreign key \"{}\" of table \"{}\" is {}: it is restored as a plain, immediate "
                  "foreign key into other engines",
                  text_at(row, 2), table->display_name(),
                  flag_of(row, 10) ? "deferrable" : "MATCH FULL"));
        }
      }
      table->foreign_keys.back().columns.push_back(column);
      table->foreign_keys.back().ref_columns.push_back(text_at(row, 7));
    }
  }
}

// CHECK and EXCLUDE constraints, kept as PostgreSQL defines them.
void read_native_constraints(SqlRunner& runner, const std::string& where,
                             const std::vector<std::string>& params, ReadState& state) {
  const auto rows = runner.query(
      "SELECT n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid) "
      "FROM pg_constraint con "
      "JOIN pg_class c ON c.oid = con.conrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE con.contype IN ('c', 'x') AND con.conparentid = 0 AND con.conislocal "
      "AND c.relkind IN ('r', 'p') AND " +
          where + " ORDER BY n.nspname, c.relname, con.conname",
      params);
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    table->native_constraints.push_back({text_at(row, 2), text_at(row, 3)});
  }
  for (const auto& table : state.tables) {
    if (table.native_constraints.empty()) continue;
    std::vector<std::string> names;
    for (const auto& constraint : table.native_constraints) names.push_back(constraint.name);
    state.warn(table, "constraint-same-engine-only",
               fmt::format("table \"{}\" has constraints that are restored only into postgres: {}",
                           table.display_name(), join(names, ", ")));
  }
}

void read_indexes(SqlRunner& runner, const std::string& where,
                  const std::vector<std::string>& params, ReadState& state) {
  // Indexes that back primary key, unique or exclusion constraints come with the constraint.
  const auto rows = runner.query(
      "SELECT n.nspname, c.relname, ic.relname, CASE WHEN i.indisunique THEN 1 ELSE 0 END, "
      // A partitioned table's index is defined ON ONLY the table; created ON it, the server
      // makes and attaches the partitions' indexes, as in the source.
      "CASE WHEN c.relkind = 'p' THEN regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', "
      "' ON ') ELSE pg_get_indexdef(i.indexrelid) END, CAST(i.indkey AS text), "
      "CASE WHEN am.amname = 'btree' AND i.indexprs IS NULL AND i.indpred IS NULL "
      "  AND i.indnkeyatts = i.indnatts "
      "  AND NOT EXISTS (SELECT 1 FROM unnest(i.indoption) AS o(flags) WHERE o.flags <> 0) "
      "  AND NOT EXISTS (SELECT 1 FROM unnest(i.indclass) AS oc(oid) "
      "    JOIN pg_opclass opc ON opc.oid = oc.oid WHERE NOT opc.opcdefault) "
      "THEN 1 ELSE 0 END "
      "FROM pg_index i "
      "JOIN pg_class ic ON ic.oid = i.indexrelid "
      "JOIN pg_class c ON c.oid = i.indrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_am am ON am.oid = ic.relam "
      "WHERE c.relkind IN ('r', 'p') AND NOT ic.relispartition "
      "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
      "  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AND " +
          where + " ORDER BY n.nspname, c.relname, ic.relname",
      params);
  for (const auto& row : rows) {
    Table* table = state.find(row);
    if (!table) continue;
    const std::size_t table_idx = static_cast<std::size_t>(table - state.tables.data());
    Index index;
    index.name = text_at(row, 2);
    index.unique = flag_of(row, 3);
    index.definition_sql = text_at(row, 4);
    index.portable = flag_of(row, 6);
    // indkey is an int2vector ("1 3"); 0 stands for an expression key.
    const auto& keys = text_at(row, 5);
    std::size_t pos = 0;
    while (pos < keys.size()) {
      std::size_t end = keys.find(' ', pos);
      if (end == std::string::npos) end = keys.size();
      const int attnum = std::stoi(keys.substr(pos, end - pos));
      auto found = state.column_names.find({table_idx, attnum});
      if (found != state.column_names.end()) index.columns.push_back(found->second);
      pos = end + 1;
    }
    table->indexes.push_back(std::move(index));
  }
}

}  // namespace

Catalog PostgresDialect::read_catalog(SqlRunner& runner, const CatalogFilter& filter) const {
  Catalog catalog;
  catalog.dialect = std::string(name());
  const auto info = runner.query("SELECT current_database(), current_setting('server_version')");
  if (info.empty()) {
    throw Error(ErrorKind::kDatabase, "PostgreSQL returned no database name")
        .with_hint(
            "the server did not answer SELECT current_database(); check that it is "
            "PostgreSQL and not a proxy in front of something else");
  }
  catalog.database = text_at(info[0], 0);
  catalog.server_version = text_at(info[0], 1);

  // Schema names from -SCHEMA match in any case; the queries need them as the catalog has them.
  std::vector<std::string> schemas;
  if (!filter.schemas.empty()) {
    const auto rows = runner.query("SELECT n.nspname FROM pg_namespace n WHERE " +
                                   schema_condition({}) + " ORDER BY n.nspname");
    std::vector<std::string> existing;
    for (const auto& row : rows) existing.push_back(text_at(row, 0));
    require_schemas_exist(filter.schemas, existing, catalog.database);
    for (const auto& wanted : filter.schemas) {
      for (const auto& name : existing) {
        if (equals_ignoring_case(name, wanted)) schemas.push_back(name);
      }
    }
  }
  const std::string where = schema_condition(schemas);

  ReadState state;
  read_tables(runner, where, schemas, state);
  read_columns(runner, where, schemas, state);
  read_constraints(runner, where, schemas, state);
  mark_sequence_keys(state);
  read_indexes(runner, where, schemas, state);
  read_native_constraints(runner, where, schemas, state);

  auto tables = apply_table_filter(std::move(state.tables), filter, catalog.database);
  // Only the warnings about tables that were kept concern the user.
  for (auto& [key, warning] : state.warnings) {
    for (const auto& table : tables) {
      if (table.schema == key.first && table.name == key.second) {
        catalog.warnings.push_back(std::move(warning));
        break;
      }
    }
  }
  drop_foreign_keys_outside(tables, catalog.warnings);
  catalog.tables = order_by_dependencies(std::move(tables));
  read_postgres_objects(runner, where, schemas, catalog);
  return catalog;
}

}  // namespace bru::schema::dialects

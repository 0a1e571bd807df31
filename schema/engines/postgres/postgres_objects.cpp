// PostgreSQL objects read from pg_catalog (postgres_objects.h). Each query reads one kind for all
// selected schemas at once; the DDL comes from the server (pg_get_functiondef, pg_get_viewdef,
// pg_get_triggerdef, pg_get_ruledef, pg_get_expr, pg_get_constraintdef, format_type) wherever it
// has a function for it, so it is the server's own spelling, schema-qualified because the reads
// run with search_path = pg_catalog.
//
// Creation order comes from pg_depend as pg_dump's does: every catalog row (a column default, a
// view's rewrite rule, a domain's constraint, a table's row type) is mapped to the object it
// belongs to, and each dependency between two objects becomes an edge; a topological sort with a
// fixed kind order as tie-break gives the pre-data order. Foreign keys are post-data, so circular
// foreign keys make no cycle; an owned sequence is created before its table and owned after it.
#include "schema/engines/postgres/postgres_objects.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "schema/engines/common.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/engines/postgres/postgres_objects_order.h"
#include "schema/engines/postgres/postgres_objects_sql.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

constexpr char kSeparator = '\x01';  // between statements a query returns in one value

// The parts of a value a query joined with `separator` (string_agg(..., chr(1))).
std::vector<std::string> split_joined(const std::string& joined, char separator = kSeparator) {
  std::vector<std::string> parts;
  if (joined.empty()) return parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = joined.find(separator, begin);
    parts.push_back(joined.substr(begin, end == std::string::npos ? end : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return parts;
}

// pg_get_viewdef and pg_get_ruledef end their text with ';'.
std::string without_semicolon(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || sql.back() == ' ' || sql.back() == '\n')) {
    sql.pop_back();
  }
  return sql;
}

// The comment every new database's public schema has (template1's).
constexpr std::string_view kPublicComment = "standard public schema";

class Reader {
 public:
  Reader(SqlRunner& runner, const std::string& where, const std::vector<std::string>& params,
         Catalog& catalog)
      : runner_(runner), where_(where), params_(params), catalog_(catalog) {}

  void read() {
    read_schemas();
    read_extensions();
    read_collations();
    read_types();
    read_functions();
    read_sequences();
    read_tables();
    read_column_options();
    read_views();
    read_matview_indexes();
    read_statistics();
    read_triggers();
    read_rules();
    read_policies();
    read_comments();
    read_owners_and_grants();
    warn_not_carried();
    read_dependencies();
    order_objects(items_, missing_tables_, table_items_, catalog_);
  }

 private:
  std::vector<Row> query(const std::string& sql) { return runner_.query(sql, params_); }

  Item& add(std::string kind, std::string schema, std::string name, std::string section,
            std::string key) {
    Item item;
    item.object.kind = std::move(kind);
    item.object.schema = std::move(schema);
    item.object.name = std::move(name);
    item.object.section = std::move(section);
    item.key = std::move(key);
    items_.push_back(std::move(item));
    return items_.back();
  }

  void read_schemas() {
    for (const auto& row : query(
             "SELECT n.oid, quote_ident(n.nspname) FROM pg_namespace n WHERE n.nspname <> "
             "'public' AND " + where_ + " AND " + not_member("pg_namespace", "n") +
             " ORDER BY n.nspname")) {
      auto& item =
          add("schema", "", text_at(row, 1), "pre-data", "pg_namespace:" + text_at(row, 0));
      item.object.statements.push_back("CREATE SCHEMA " + text_at(row, 1));
    }
  }

  void read_extensions() {
    for (const auto& row : query(
             "SELECT x.oid, quote_ident(x.extname), quote_ident(n.nspname) FROM pg_extension x "
             "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql' AND " +
             where_ + " ORDER BY x.extname")) {
      auto& item =
          add("extension", "", text_at(row, 1), "pre-data", "pg_extension:" + text_at(row, 0));
      item.object.statements.push_back(fmt::format("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
                                                   text_at(row, 1), text_at(row, 2)));
    }
  }

  // Collations made with CREATE COLLATION (an ICU one that ignores case, say): a column or
  // domain using one cannot be created without it. The locale columns moved between releases
  // (colliculocale in 15 and 16, colllocale from 17), so they are read through to_jsonb.
  void read_collations() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(n.nspname) || '.' || quote_ident(c.collname), "
        "format('CREATE COLLATION %s.%s (%s)', quote_ident(n.nspname), quote_ident(c.collname), "
        "  CASE c.collprovider WHEN 'i' THEN 'provider = icu, ' WHEN 'b' THEN 'provider = "
        "  builtin, ' ELSE 'provider = libc, ' END "
        "  || CASE WHEN c.collisdeterministic THEN '' ELSE 'deterministic = false, ' END "
        "  || CASE WHEN c.collprovider IN ('i', 'b') THEN 'locale = ' || quote_literal(COALESCE("
        "    j.row->>'colllocale', j.row->>'colliculocale', c.collcollate)) "
        "    WHEN c.collcollate = c.collctype THEN 'locale = ' || quote_literal(c.collcollate) "
        "    ELSE 'lc_collate = ' || quote_literal(c.collcollate) || ', lc_ctype = ' || "
        "    quote_literal(c.collctype) END "
        "  || COALESCE(', rules = ' || quote_literal(j.row->>'collicurules'), '')) "
        "FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace "
        "CROSS JOIN LATERAL (SELECT to_jsonb(c) AS row) j "
        "WHERE c.oid >= 16384 AND " + where_ + " AND " + not_member("pg_collation", "c") +
        " ORDER BY n.nspname, c.collname");
    for (const auto& row : rows) {
      auto& item = add("collation", text_at(row, 1), text_at(row, 2), "pre-data",
                       "pg_collation:" + text_at(row, 0));
      item.object.statements.push_back(text_at(row, 3));
    }
  }

  void read_types() {
    const std::string collate =
        "CASE WHEN {coll} <> 0 AND {coll} <> {base} THEN (SELECT ' COLLATE ' || "
        "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN "
        "pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = {coll}) ELSE '' END";
    const std::string domain_collate =
        fmt::format(fmt::runtime(collate), fmt::arg("coll", "t.typcollation"),
                    fmt::arg("base", "(SELECT b.typcollation FROM pg_type b WHERE b.oid = "
                                     "t.typbasetype)"));
    const std::string attribute_collate = fmt::format(
        fmt::runtime(collate), fmt::arg("coll", "a.attcollation"),
        fmt::arg("base", "(SELECT b.typcollation FROM pg_type b WHERE b.oid = a.atttypid)"));
    const auto rows = query(
        "SELECT t.oid, t.typtype, n.nspname, q.ident, CASE t.typtype "
        "WHEN 'e' THEN format('CREATE TYPE %s AS ENUM (%s)', q.ident, (SELECT "
        "  string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) FROM pg_enum WHERE "
        "  enumtypid = t.oid)) "
        "WHEN 'd' THEN format('CREATE DOMAIN %s AS %s', q.ident, format_type(t.typbasetype, "
        "  t.typtypmod)) || " + domain_collate +
        "  || COALESCE(' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), '') "
        "  || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END "
        "  || COALESCE((SELECT string_agg(format(' CONSTRAINT %s %s', quote_ident(dc.conname), "
        "  pg_get_constraintdef(dc.oid)), '' ORDER BY dc.conname) FROM pg_constraint dc WHERE "
        "  dc.contypid = t.oid AND dc.contype = 'c'), '') "
        "WHEN 'c' THEN format('CREATE TYPE %s AS (%s)', q.ident, (SELECT string_agg("
        "  quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) || " +
        attribute_collate +
        ", ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND "
        "  a.attnum > 0 AND NOT a.attisdropped)) "
        "WHEN 'r' THEN format('CREATE TYPE %s AS RANGE (subtype = %s%s, multirange_type_name = "
        "  %s)', q.ident, format_type(r.rngsubtype, NULL), CASE WHEN r.rngsubdiff <> 0 THEN "
        "  ', subtype_diff = ' || r.rngsubdiff::regproc::text ELSE '' END, "
        "  r.rngmultitypid::regtype::text) END "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "CROSS JOIN LATERAL (SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS "
        "  ident) q "
        "LEFT JOIN pg_range r ON r.rngtypid = t.oid LEFT JOIN pg_class tc ON tc.oid = t.typrelid "
        "WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c')) AND " +
        where_ + " AND " + not_member("pg_type", "t") + " ORDER BY n.nspname, t.typname");
    for (const auto& row : rows) {
      auto& item = add(text_at(row, 1) == "d" ? "domain" : "type", text_at(row, 2),
                       text_at(row, 3), "pre-data", "pg_type:" + text_at(row, 0));
      item.object.statements.push_back(text_at(row, 4));
    }
  }

  void read_functions() {
    const auto rows = query(
        "SELECT p.oid, p.prokind, n.nspname, quote_ident(n.nspname) || '.' || "
        "quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', "
        "CASE WHEN p.prokind = 'a' THEN format('CREATE AGGREGATE %s.%s(%s) (SFUNC = %s, STYPE = "
        "  %s%s%s)', quote_ident(n.nspname), quote_ident(p.proname), "
        "  pg_get_function_identity_arguments(p.oid), ag.aggtransfn::regproc::text, "
        "  format_type(ag.aggtranstype, NULL), CASE WHEN ag.aggfinalfn <> 0 THEN ', FINALFUNC = "
        "  ' || ag.aggfinalfn::regproc::text ELSE '' END, COALESCE(', INITCOND = ' || "
        "  quote_literal(ag.agginitval), '')) "
        "ELSE pg_get_functiondef(p.oid) END "
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid "
        "WHERE p.prokind IN ('f', 'p', 'a', 'w') AND " + where_ + " AND " +
        not_member("pg_proc", "p") + " AND " + not_internal("pg_proc", "p") + " ORDER BY n.nspname, p.proname, p.oid");
    for (const auto& row : rows) {
      const auto& prokind = text_at(row, 1);
      auto& item = add(prokind == "a" ? "aggregate" : prokind == "p" ? "procedure" : "function",
                       text_at(row, 2), text_at(row, 3), "pre-data", "pg_proc:" + text_at(row, 0));
      item.object.statements.push_back(without_semicolon(text_at(row, 4)));
    }
  }

  void read_sequences() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
        "format('CREATE SEQUENCE %s.%s AS %s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE "
        "  %s CACHE %s%s', quote_ident(n.nspname), quote_ident(c.relname), "
        "  format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
        "  s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END), "
        "(SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || "
        "  quote_ident(a.attname) || chr(1) || tc.oid FROM pg_depend d "
        "  JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = "
        "  tc.relnamespace JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
        "  d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
        "  d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1), "
        "CASE WHEN EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND "
        "  d.objid = c.oid AND d.deptype = 'i') THEN 1 ELSE 0 END "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_sequence s ON s.seqrelid = c.oid "
        "WHERE c.relkind = 'S' AND " + where_ + " AND " + not_member("pg_class", "c") +
        " ORDER BY n.nspname, c.relname");
    for (const auto& row : rows) {
      const std::string key = "pg_class:" + text_at(row, 0);
      const std::string& name = text_at(row, 2);
      const auto owned = split_joined(text_at(row, 4));  // column, table oid
      const bool identity = text_at(row, 5) == "1";
      std::string value_owner = key;
      if (identity) {
        // Created by its table's identity column; only its position is set here.
        value_owner = "pg_class:" + owned.at(1);
      } else {
        auto& item = add("sequence", text_at(row, 1), name, "pre-data", key);
        item.object.statements.push_back(text_at(row, 3));
        if (owned.size() == 2) {
          auto& owner = add("sequence owner", text_at(row, 1), name, "post-data", "");
          owner.owner_key = key;
          owner.needs.push_back("pg_class:" + owned[1]);
          owner.object.statements.push_back(
              fmt::format("ALTER SEQUENCE {} OWNED BY {}", name, owned[0]));
        }
      }
      // Sequences are not transactional: this reads the position now, as pg_dump does.
      const auto position = runner_.query("SELECT last_value, CASE WHEN is_called THEN 'true' "
                                          "ELSE 'false' END FROM " + name);
      if (position.empty()) continue;
      auto& value = add("sequence value", text_at(row, 1), name, "data", "");
      value.owner_key = value_owner;
      value.object.statements.push_back(fmt::format("SELECT pg_catalog.setval({}, {}, {})",
                                                    string_literal(name), text_at(position[0], 0),
                                                    text_at(position[0], 1)));
    }
  }

  // The exact CREATE TABLE of every table the catalog holds, as Table::native_sql.
  void read_tables() {
    std::map<std::string, Table*> by_name;  // "schema\0name"
    for (auto& table : catalog_.tables) by_name[table.schema + '\0' + table.name] = &table;
    const auto columns = query(
        "SELECT a.attrelid, quote_ident(a.attname) || ' ' || format_type(a.atttypid, "
        "a.atttypmod) || CASE WHEN a.attcollation <> t.typcollation THEN (SELECT ' COLLATE ' || "
        "  quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN "
        "  pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' "
        "  END "
        "|| CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || "
        "  pg_get_expr(d.adbin, d.adrelid) || ') STORED' "
        "  WHEN a.attidentity IN ('a', 'd') THEN ' GENERATED ' || CASE a.attidentity WHEN 'a' "
        "  THEN 'ALWAYS' ELSE 'BY DEFAULT' END || ' AS IDENTITY (' || COALESCE((SELECT "
        "  format('SEQUENCE NAME %s.%s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s "
        "  CACHE %s%s', quote_ident(sn.nspname), quote_ident(sc.relname), s.seqstart, "
        "  s.seqincrement, s.seqmin, s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' "
        "  ELSE '' END) FROM pg_depend dd JOIN pg_sequence s ON s.seqrelid = dd.objid JOIN "
        "  pg_class sc ON sc.oid = dd.objid JOIN pg_namespace sn ON sn.oid = sc.relnamespace "
        "  WHERE dd.classid = 'pg_class'::regclass AND dd.refobjid = a.attrelid AND "
        "  dd.refobjsubid = a.attnum AND dd.deptype = 'i'), '') || ')' "
        "  ELSE COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') END "
        "|| CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, "
        "CASE WHEN a.attislocal THEN 1 ELSE 0 END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND " + where_ +
        " ORDER BY a.attrelid, a.attnum");
    std::map<std::string, std::vector<std::string>> lines;  // by table oid
    std::map<std::string, std::vector<std::string>> local_lines;  // without inherited columns
    for (const auto& row : columns) {
      lines[text_at(row, 0)].push_back(text_at(row, 1));
      if (text_at(row, 2) == "1") local_lines[text_at(row, 0)].push_back(text_at(row, 1));
    }

    const auto rows = query(
        "SELECT c.oid, n.nspname, c.relname, quote_ident(n.nspname) || '.' || "
        "quote_ident(c.relname), CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END, "
        "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
        "(SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) FROM pg_inherits i "
        "  JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = "
        "  pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition), "
        "pg_get_expr(c.relpartbound, c.oid), array_to_string(c.reloptions, ', '), "
        "CASE WHEN c.relrowsecurity THEN 1 ELSE 0 END, "
        "CASE WHEN c.relforcerowsecurity THEN 1 ELSE 0 END, "
        // The parents of a table made with INHERITS, in order: schema, name, quoted name.
        "(SELECT string_agg(pn.nspname || chr(2) || pc.relname || chr(2) || "
        "  quote_ident(pn.nspname) || '.' || quote_ident(pc.relname), chr(1) ORDER BY "
        "  i.inhseqno) FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN "
        "  pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND NOT "
        "  c.relispartition) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND " + where_ + " ORDER BY n.nspname, c.relname");
    const PostgresDialect dialect;
    // In the catalog's order (referenced tables first), the tie-break of the creation order.
    std::map<const Table*, const Row*> row_of;
    for (const auto& row : rows) {
      auto found = by_name.find(text_at(row, 1) + '\0' + text_at(row, 2));
      if (found != by_name.end()) row_of[found->second] = &row;
    }
    for (auto& table : catalog_.tables) {
      auto found_row = row_of.find(&table);
      if (found_row == row_of.end()) continue;
      const Row& row = *found_row->second;
      const std::string key = "pg_class:" + text_at(row, 0);
      const std::string& name = text_at(row, 3);
      std::string sql = fmt::format("CREATE {}TABLE {}", text_at(row, 4), name);
      if (!text_at(row, 6).empty()) {
        sql += fmt::format(" PARTITION OF {} {}", text_at(row, 6), text_at(row, 7));
      } else {
        const auto inherits = inherits_clause(table, text_at(row, 11), by_name);
        std::vector<std::string> body =
            inherits.empty() ? lines[text_at(row, 0)] : local_lines[text_at(row, 0)];
        if (!table.primary_key.empty()) body.push_back(dialect.primary_key_clause(table));
        sql += " (\n    " + join(body, ",\n    ") + "\n)" + inherits;
        if (!inherits.empty()) inheriting_.insert(key);
      }
      if (!text_at(row, 5).empty()) sql += " PARTITION BY " + text_at(row, 5);
      if (!text_at(row, 8).empty()) sql += " WITH (" + text_at(row, 8) + ")";
      table.native_sql = sql;
      auto& item = add("table", table.schema, name, "pre-data", key);
      table_items_[key] = &table;
      (void)item;
      for (const auto& [flag, clause] :
           {std::pair{9, "ENABLE"}, std::pair{10, "FORCE"}}) {
        if (text_at(row, flag) != "1") continue;
        auto& security = add("row security", table.schema,
                             fmt::format("{} {}", name, to_lower(clause)), "post-data", "");
        security.owner_key = key;
        security.object.statements.push_back(
            fmt::format("ALTER TABLE {} {} ROW LEVEL SECURITY", name, clause));
      }
    }
  }

  // What ALTER TABLE ... ALTER COLUMN sets beyond the column's definition, as pg_dump carries
  // it: the statistics target, a storage other than the type's, attribute options (n_distinct)
  // and the compression method. Right after the table, before its rows, as pg_dump does: the
  // storage decides how the rows are stored. (attstattarget is NULL for the default from 17,
  // attcompression is new in 14: read through to_jsonb.)
  void read_column_options() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
        "quote_ident(a.attname), COALESCE((j.row ->> 'attstattarget')::int, -1), "
        "CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'PLAIN' "
        "  WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END, "
        "array_to_string(a.attoptions, ', '), CASE j.row ->> 'attcompression' WHEN 'p' THEN "
        "  'pglz' WHEN 'l' THEN 'lz4' END, "
        "CASE WHEN NOT a.attislocal THEN pg_get_expr(d.adbin, d.adrelid) END, "
        "CASE WHEN NOT a.attislocal AND a.attnotnull THEN 1 ELSE 0 END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "CROSS JOIN LATERAL (SELECT to_jsonb(a) AS row) j "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND (COALESCE("
        "  (j.row ->> 'attstattarget')::int, -1) >= 0 OR a.attstorage <> t.typstorage OR "
        "  a.attoptions IS NOT NULL OR COALESCE(j.row ->> 'attcompression', '') <> '' OR (NOT "
        "  a.attislocal AND (d.adbin IS NOT NULL OR a.attnotnull))) AND " +
        where_ + " ORDER BY n.nspname, c.relname, a.attnum");
    std::map<std::string, std::size_t> item_of;  // table key -> its entry in items_
    for (const auto& row : rows) {
      const std::string key = "pg_class:" + text_at(row, 0);
      if (table_items_.count(key) == 0) continue;  // left out of the backup
      const std::string alter =
          fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {}", text_at(row, 2), text_at(row, 3));
      std::vector<std::string> statements;
      if (text_at(row, 4) != "-1") {
        statements.push_back(fmt::format("{} SET STATISTICS {}", alter, text_at(row, 4)));
      }
      if (!text_at(row, 5).empty()) {
        statements.push_back(fmt::format("{} SET STORAGE {}", alter, text_at(row, 5)));
      }
      if (!text_at(row, 6).empty()) {
        statements.push_back(fmt::format("{} SET ({})", alter, text_at(row, 6)));
      }
      if (!text_at(row, 7).empty()) {
        statements.push_back(fmt::format("{} SET COMPRESSION {}", alter, text_at(row, 7)));
      }
      // An inherited column, which CREATE TABLE ... INHERITS does not spell out: its own
      // default and NOT NULL (the parent's, or the table's own).
      if (inheriting_.count(key) != 0) {
        if (!text_at(row, 8).empty()) {
          statements.push_back(fmt::format("{} SET DEFAULT {}", alter, text_at(row, 8)));
        }
        if (text_at(row, 9) == "1") statements.push_back(alter + " SET NOT NULL");
      }
      if (statements.empty()) continue;
      if (item_of.count(key) == 0) {
        item_of[key] = items_.size();
        add("column options", text_at(row, 1), text_at(row, 2), "pre-data", "").needs.push_back(key);
      }
      auto& all = items_[item_of[key]].object.statements;
      all.insert(all.end(), statements.begin(), statements.end());
    }
  }

  // " INHERITS (parent, ...)" of a table whose parents (`parents`: the query's list) are all in
  // the backup; empty for a table without parents. A table whose parent is left out (-EXCLUDE)
  // gets all its columns and no parent, and the backup says so.
  std::string inherits_clause(const Table& table, const std::string& parents,
                              const std::map<std::string, Table*>& by_name) {
    if (parents.empty()) return {};
    std::vector<std::string> names;
    for (const auto& parent : split_joined(parents)) {
      const auto parts = split_joined(parent, '\x02');
      if (parts.size() != 3 || by_name.count(parts[0] + '\0' + parts[1]) == 0) {
        catalog_.warnings.push_back(
            {"inheritance-left-out",
             fmt::format("table \"{}\" inherits from {}, which is not in the backup: it is "
                         "restored as a table of its own, with every column",
                         table.display_name(), parts.size() == 3 ? parts[2] : parent)});
        return {};
      }
      names.push_back(parts[2]);
    }
    return " INHERITS (" + join(names, ", ") + ")";
  }

  void read_views() {
    const auto rows = query(
        "SELECT c.oid, c.relkind, n.nspname, quote_ident(n.nspname) || '.' || "
        "quote_ident(c.relname), array_to_string(c.reloptions, ', '), pg_get_viewdef(c.oid), "
        "CASE WHEN c.relispopulated THEN 1 ELSE 0 END "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('v', 'm') AND " + where_ + " AND " + not_member("pg_class", "c") +
        " ORDER BY n.nspname, c.relname");
    for (const auto& row : rows) {
      const bool materialized = text_at(row, 1) == "m";
      const std::string key = "pg_class:" + text_at(row, 0);
      const std::string& name = text_at(row, 3);
      const std::string options =
          text_at(row, 4).empty() ? "" : " WITH (" + text_at(row, 4) + ")";
      auto& item =
          add(materialized ? "materialized view" : "view", text_at(row, 2), name, "pre-data", key);
      item.object.statements.push_back(
          fmt::format("CREATE {}VIEW {}{} AS\n{}{}", materialized ? "MATERIALIZED " : "", name,
                      options, without_semicolon(text_at(row, 5)),
                      materialized ? "\nWITH NO DATA" : ""));
      if (materialized && text_at(row, 6) == "1") {
        auto& data = add("materialized view data", text_at(row, 2), name, "post-data", "");
        data.owner_key = key;
        data.object.statements.push_back("REFRESH MATERIALIZED VIEW " + name);
      }
    }
  }

  void read_matview_indexes() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(n.nspname) || '.' || quote_ident(ic.relname), "
        "pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = "
        "i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE c.relkind = 'm' AND " + where_ + " ORDER BY n.nspname, ic.relname");
    for (const auto& row : rows) {
      auto& item = add("index", text_at(row, 1), text_at(row, 2), "post-data", "");
      item.owner_key = "pg_class:" + text_at(row, 0);
      item.object.statements.push_back(text_at(row, 3));
    }
  }

  // Extended statistics (CREATE STATISTICS): the planner's knowledge of correlated columns,
  // which a restored database would otherwise plan without.
  void read_statistics() {
    const auto rows = query(
        "SELECT s.stxrelid, n.nspname, quote_ident(n.nspname) || '.' || quote_ident(s.stxname), "
        "pg_get_statisticsobjdef(s.oid), COALESCE(s.stxstattarget::int, -1) "
        "FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE " + where_ +
        " AND " + not_member("pg_statistic_ext", "s") + " ORDER BY n.nspname, s.stxname");
    for (const auto& row : rows) {
      auto& item = add("statistics", text_at(row, 1), text_at(row, 2), "post-data", "");
      item.owner_key = "pg_class:" + text_at(row, 0);
      item.object.statements.push_back(text_at(row, 3));
      if (text_at(row, 4) != "-1") {
        item.object.statements.push_back(fmt::format("ALTER STATISTICS {} SET STATISTICS {}",
                                                     text_at(row, 2), text_at(row, 4)));
      }
    }
  }

  void read_triggers() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(tg.tgname) || ' on ' || quote_ident(n.nspname) || "
        "'.' || quote_ident(c.relname), pg_get_triggerdef(tg.oid), tg.tgenabled, tg.oid, "
        "quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(tg.tgname) "
        "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND " + where_ +
        " ORDER BY n.nspname, c.relname, tg.tgname");
    for (const auto& row : rows) {
      auto& item = add("trigger", text_at(row, 1), text_at(row, 2), "post-data",
                       "pg_trigger:" + text_at(row, 5));
      item.owner_key = "pg_class:" + text_at(row, 0);
      item.object.statements.push_back(text_at(row, 3));
      if (text_at(row, 4) == "D") {
        item.object.statements.push_back(
            fmt::format("ALTER TABLE {} DISABLE TRIGGER {}", text_at(row, 6), text_at(row, 7)));
      }
    }
  }

  void read_rules() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(r.rulename) || ' on ' || quote_ident(n.nspname) || "
        "'.' || quote_ident(c.relname), pg_get_ruledef(r.oid), r.oid "
        "FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE r.rulename <> '_RETURN' AND " + where_ + " ORDER BY n.nspname, c.relname, "
        "r.rulename");
    for (const auto& row : rows) {
      auto& item = add("rule", text_at(row, 1), text_at(row, 2), "post-data",
                       "pg_rewrite:" + text_at(row, 4));
      item.owner_key = "pg_class:" + text_at(row, 0);
      item.object.statements.push_back(without_semicolon(text_at(row, 3)));
    }
  }

  void read_policies() {
    const auto rows = query(
        "SELECT c.oid, n.nspname, quote_ident(pol.polname) || ' on ' || q.ident, "
        "format('CREATE POLICY %s ON %s AS %s FOR %s TO %s%s%s', quote_ident(pol.polname), "
        "  q.ident, CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END, "
        "  CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' "
        "  WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, (SELECT string_agg(CASE WHEN r.role = 0 THEN "
        "  'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.role)) END, ', ' ORDER BY r.ord) FROM "
        "  unnest(pol.polroles) WITH ORDINALITY r(role, ord)), ' USING (' || "
        "  pg_get_expr(pol.polqual, pol.polrelid) || ')', ' WITH CHECK (' || "
        "  pg_get_expr(pol.polwithcheck, pol.polrelid) || ')'), "
        "(SELECT string_agg(pg_get_userbyid(r.role), chr(1)) FROM unnest(pol.polroles) r(role) "
        "  WHERE r.role <> 0), pol.oid "
        "FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "CROSS JOIN LATERAL (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS "
        "  ident) q "
        "WHERE " + where_ + " ORDER BY n.nspname, c.relname, pol.polname");
    for (const auto& row : rows) {
      auto& item = add("policy", text_at(row, 1), text_at(row, 2), "post-data",
                       "pg_policy:" + text_at(row, 5));
      item.owner_key = "pg_class:" + text_at(row, 0);
      item.object.statements.push_back(text_at(row, 3));
      item.object.roles = split_joined(text_at(row, 4));
    }
  }

  void read_comments() {
    const auto rows = query(
        "SELECT o.type, o.identity, quote_literal(d.description), "
        "d.classoid::regclass::text || ':' || d.objoid, COALESCE(o.schema, '') "
        "FROM pg_description d "
        "CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o "
        // pg_identify_object names no schema for triggers, rules and policies: their table's.
        "JOIN pg_namespace n ON n.nspname = COALESCE(o.schema, CASE WHEN o.type = 'schema' THEN "
        "  o.name END, (SELECT tn.nspname FROM pg_class tc JOIN pg_namespace tn ON tn.oid = "
        "  tc.relnamespace WHERE tc.oid = CASE d.classoid WHEN 'pg_trigger'::regclass THEN "
        "  (SELECT tgrelid FROM pg_trigger WHERE oid = d.objoid) WHEN 'pg_rewrite'::regclass "
        "  THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objoid) WHEN "
        "  'pg_policy'::regclass THEN (SELECT polrelid FROM pg_policy WHERE oid = d.objoid) "
        "  END)) "
        // Objects of the database's own, and the public schema's comment where it is not the
        // one every new database has (pg_dump's rule).
        "WHERE (d.objoid >= 16384 OR (d.classoid = 'pg_namespace'::regclass AND d.objoid = "
        "  'public'::regnamespace AND d.description <> '" + std::string(kPublicComment) + "')) "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = "
        "  d.classoid AND e.objid = d.objoid AND e.deptype = 'e') AND " + where_ +
        " ORDER BY o.type, o.identity");
    static const std::map<std::string, std::string> keywords = {
        {"schema", "SCHEMA"},
        {"table", "TABLE"},
        {"view", "VIEW"},
        {"materialized view", "MATERIALIZED VIEW"},
        {"sequence", "SEQUENCE"},
        {"index", "INDEX"},
        {"table column", "COLUMN"},
        {"view column", "COLUMN"},
        {"materialized view column", "COLUMN"},
        {"composite type column", "COLUMN"},
        {"function", "FUNCTION"},
        {"procedure", "PROCEDURE"},
        {"aggregate", "AGGREGATE"},
        {"type", "TYPE"},
        {"composite type", "TYPE"},
        {"domain", "DOMAIN"},
        {"trigger", "TRIGGER"},
        {"rule", "RULE"},
        {"policy", "POLICY"},
        {"table constraint", "CONSTRAINT"},
        {"domain constraint", "CONSTRAINT"},
    };
    for (const auto& row : rows) {
      const auto& type = text_at(row, 0);
      auto keyword = keywords.find(type);
      if (keyword == keywords.end()) {
        not_carried("comment", fmt::format("comment on {} {}", type, text_at(row, 1)));
        continue;
      }
      std::string identity = text_at(row, 1);
      if (type == "domain constraint") {
        const auto on = identity.find(" on ");
        if (on != std::string::npos) identity.replace(on, 4, " ON DOMAIN ");
      }
      auto& item = add("comment", text_at(row, 4), type + " " + text_at(row, 1), "post-data", "");
      item.owner_key = text_at(row, 3);
      item.object.statements.push_back(
          fmt::format("COMMENT ON {} {} IS {}", keyword->second, identity, text_at(row, 2)));
    }
    // A public schema whose comment was removed: without this, the target keeps the default one.
    if (!query("SELECT 1 FROM pg_namespace n WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 "
               "FROM pg_description d WHERE d.classoid = 'pg_namespace'::regclass AND d.objoid = "
               "n.oid) AND " + where_)
             .empty()) {
      add("comment", "", "schema public", "post-data", "")
          .object.statements.push_back("COMMENT ON SCHEMA public IS NULL");
    }
  }

  // ALTER ... OWNER TO for every object, and its grants where it has an ACL: all privileges
  // revoked, then granted back in the ACL's order, so the target's ACL is the source's.
  void read_owners_and_grants() {
    const std::string grants =
        "(SELECT string_agg(format('GRANT %s ON %s %s TO %s%s', x.privilege_type, {gk}, {id}, "
        "CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) "
        "END, CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END), chr(1) ORDER BY "
        "x.ord) FROM aclexplode({acl}) WITH ORDINALITY x(grantor, grantee, privilege_type, "
        "is_grantable, ord)), (SELECT string_agg(DISTINCT pg_get_userbyid(x.grantee), chr(1)) "
        "FROM aclexplode({acl}) x WHERE x.grantee <> 0)";
    auto part = [&](std::string_view catalog, std::string_view alias, std::string_view alter_kind,
                    std::string_view grant_kind, std::string_view ident, std::string_view owner,
                    std::string_view acl, std::string_view from_where) {
      return fmt::format(
          "SELECT '{catalog}:' || {alias}.oid, {ak}, {gk}, {id}, pg_get_userbyid({owner}), "
          "CASE WHEN {acl} IS NULL THEN 0 ELSE 1 END, {grants}, n.nspname FROM {from_where}",
          fmt::arg("catalog", catalog), fmt::arg("alias", alias), fmt::arg("ak", alter_kind),
          fmt::arg("gk", grant_kind), fmt::arg("id", ident), fmt::arg("owner", owner),
          fmt::arg("acl", acl),
          fmt::arg("grants", fmt::format(fmt::runtime(grants), fmt::arg("gk", grant_kind),
                                         fmt::arg("id", ident), fmt::arg("acl", acl))),
          fmt::arg("from_where", from_where));
    };
    const std::string sql =
        part("pg_namespace", "n", "'SCHEMA'", "'SCHEMA'", "quote_ident(n.nspname)", "n.nspowner",
             "n.nspacl",
             "pg_namespace n WHERE n.nspname <> 'public' AND " + where_ + " AND " +
                 not_member("pg_namespace", "n")) +
        " UNION ALL " +
        part("pg_class", "c",
             "CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN "
             "'SEQUENCE' ELSE 'TABLE' END",
             "CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END",
             "(quote_ident(n.nspname) || '.' || quote_ident(c.relname))", "c.relowner", "c.relacl",
             "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', "
             "'p', 'v', 'm', 'S') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
             "'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i') AND " +
                 where_ + " AND " + not_member("pg_class", "c")) +
        " UNION ALL " +
        part("pg_proc", "p",
             "CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' "
             "END",
             "CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END",
             "(quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || "
             "pg_get_function_identity_arguments(p.oid) || ')')",
             "p.proowner", "p.proacl",
             "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('f', "
             "'p', 'a', 'w') AND " + where_ + " AND " + not_member("pg_proc", "p") + " AND " +
                 not_internal("pg_proc", "p")) +
        " UNION ALL " +
        part("pg_type", "t", "CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END",
             "CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END",
             "(quote_ident(n.nspname) || '.' || quote_ident(t.typname))", "t.typowner", "t.typacl",
             "pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class tc ON "
             "tc.oid = t.typrelid WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND "
             "tc.relkind = 'c')) AND " + where_ + " AND " + not_member("pg_type", "t"));
    // The union repeats the schema condition's markers once per part.
    std::vector<std::string> params;
    for (int part_idx = 0; part_idx < 4; ++part_idx) {
      params.insert(params.end(), params_.begin(), params_.end());
    }
    const auto rows = runner_.query(sql, params);
    for (const auto& row : rows) {
      const std::string& key = text_at(row, 0);
      const std::string target = text_at(row, 1) + " " + text_at(row, 3);
      auto& owner = add("owner", text_at(row, 8), target, "post-data", "");
      owner.owner_key = key;
      owner.object.statements.push_back(
          fmt::format("ALTER {} OWNER TO {}", target, double_quote(text_at(row, 4))));
      owner.object.roles.push_back(text_at(row, 4));
      if (text_at(row, 5) != "1") continue;
      auto& acl = add("acl", text_at(row, 8), text_at(row, 2) + " " + text_at(row, 3),
                      "post-data", "");
      acl.owner_key = key;
      const std::string on = text_at(row, 2) + " " + text_at(row, 3);
      acl.object.statements.push_back(fmt::format("REVOKE ALL ON {} FROM PUBLIC", on));
      acl.object.statements.push_back(
          fmt::format("REVOKE ALL ON {} FROM {}", on, double_quote(text_at(row, 4))));
      for (auto& grant : split_joined(text_at(row, 6))) {
        acl.object.statements.push_back(std::move(grant));
      }
      acl.object.roles = split_joined(text_at(row, 7));
    }
  }

  void not_carried(const std::string& kind, const std::string& name) {
    catalog_.warnings.push_back(not_carried_warning(kind, name));
  }

  void warn_not_carried() {
    for (auto& warning : not_carried_warnings(runner_, where_, params_)) {
      catalog_.warnings.push_back(std::move(warning));
    }
  }

  // Each pg_depend edge between two catalog rows, mapped to the objects they belong to.
  void read_dependencies() {
    std::map<std::string, std::string> belongs;  // catalog row -> item key ("" = none)
    const auto rows = runner_.query(
        "SELECT 'pg_class:' || c.oid, CASE WHEN c.relkind IN ('i', 'I') THEN 'pg_class:' || "
        "  (SELECT indrelid FROM pg_index WHERE indexrelid = c.oid) WHEN c.relkind = 'c' THEN "
        "  'pg_type:' || c.reltype ELSE 'pg_class:' || c.oid END "
        "FROM pg_class c WHERE c.oid >= 16384 "
        "UNION ALL SELECT 'pg_type:' || t.oid, CASE "
        "  WHEN t.typtype = 'm' THEN 'pg_type:' || (SELECT rngtypid FROM pg_range WHERE "
        "    rngmultitypid = t.oid) "
        "  WHEN e.oid IS NOT NULL AND e.typrelid <> 0 AND ec.relkind <> 'c' THEN 'pg_class:' || "
        "    e.typrelid "
        "  WHEN e.oid IS NOT NULL THEN 'pg_type:' || e.oid "
        "  WHEN t.typrelid <> 0 AND tc.relkind <> 'c' THEN 'pg_class:' || t.typrelid "
        "  ELSE 'pg_type:' || t.oid END "
        "FROM pg_type t LEFT JOIN pg_class tc ON tc.oid = t.typrelid "
        "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typlen = -1 AND t.typelem <> 0 "
        "LEFT JOIN pg_class ec ON ec.oid = e.typrelid WHERE t.oid >= 16384 "
        "UNION ALL SELECT 'pg_attrdef:' || oid, 'pg_class:' || adrelid FROM pg_attrdef "
        "UNION ALL SELECT 'pg_constraint:' || oid, CASE WHEN contype = 'f' THEN '' WHEN conrelid "
        "  <> 0 THEN 'pg_class:' || conrelid ELSE 'pg_type:' || contypid END FROM pg_constraint "
        "  WHERE oid >= 16384 "
        "UNION ALL SELECT 'pg_rewrite:' || oid, CASE WHEN rulename = '_RETURN' THEN 'pg_class:' "
        "  || ev_class ELSE 'pg_rewrite:' || oid END FROM pg_rewrite WHERE oid >= 16384");
    for (const auto& row : rows) belongs[text_at(row, 0)] = text_at(row, 1);
    auto resolve = [&](const std::string& catalog_row) {
      auto found = belongs.find(catalog_row);
      return found == belongs.end() ? catalog_row : found->second;
    };
    std::map<std::string, std::size_t> item_of;
    for (std::size_t item_idx = 0; item_idx < items_.size(); ++item_idx) {
      if (!items_[item_idx].key.empty()) item_of.emplace(items_[item_idx].key, item_idx);
    }
    const auto edges = runner_.query(
        "SELECT d.classid::regclass::text || ':' || d.objid, d.refclassid::regclass::text || ':' "
        "|| d.refobjid, CASE WHEN d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND "
        "(SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S' THEN 1 ELSE 0 END "
        "FROM pg_depend d WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= "
        "16384");
    for (const auto& edge : edges) {
      // An owned sequence comes before its table (the table's default uses it).
      if (text_at(edge, 2) == "1") continue;
      const std::string from = resolve(text_at(edge, 0));
      const std::string to = resolve(text_at(edge, 1));
      if (from.empty() || to.empty() || from == to) continue;
      auto found = item_of.find(from);
      if (found == item_of.end()) continue;
      auto& needs = items_[found->second].needs;
      if (std::find(needs.begin(), needs.end(), to) == needs.end()) needs.push_back(to);
    }
    // A table, view or function the catalog left out (-TABLES, -EXCLUDE) cannot be needed.
    std::set<std::string> all_relations;
    for (const auto& row : rows) {
      if (text_at(row, 1).rfind("pg_class:", 0) == 0) all_relations.insert(text_at(row, 1));
    }
    missing_tables_.clear();
    for (const auto& relation : all_relations) {
      if (item_of.count(relation) == 0) missing_tables_.insert(relation);
    }
  }


  SqlRunner& runner_;
  const std::string& where_;
  const std::vector<std::string>& params_;
  Catalog& catalog_;
  std::vector<Item> items_;
  std::map<std::string, Table*> table_items_;
  std::set<std::string> inheriting_;  // keys of the tables created with INHERITS
  std::set<std::string> missing_tables_;
};

// Reads with search_path = pg_catalog, so every name the server prints is schema-qualified,
// and puts the session's search_path back afterwards, also after a failure.
class QualifiedNames {
 public:
  explicit QualifiedNames(SqlRunner& runner) : runner_(runner) {
    const auto rows = runner_.query("SELECT current_setting('search_path')");
    saved_ = rows.empty() ? std::string() : text_at(rows[0], 0);
    runner_.query("SELECT set_config('search_path', 'pg_catalog', false)");
  }
  ~QualifiedNames() {
    try {
      runner_.query("SELECT set_config('search_path', ?, false)", {saved_});
    } catch (...) {  // NOLINT(bugprone-empty-catch): the failure that brought us here is reported
    }
  }
  QualifiedNames(const QualifiedNames&) = delete;
  QualifiedNames& operator=(const QualifiedNames&) = delete;

 private:
  SqlRunner& runner_;
  std::string saved_;
};

}  // namespace

void read_postgres_objects(SqlRunner& runner, const std::string& schema_where,
                           const std::vector<std::string>& schema_params, Catalog& catalog) {
  QualifiedNames qualified(runner);
  Reader(runner, schema_where, schema_params, catalog).read();
}

}  // namespace bru::schema::dialects

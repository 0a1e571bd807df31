// PostgreSQL: catalog from pg_catalog, canonical values by casts to text in the SELECT, DDL
// generated from the model (native types for same-engine restores), multi-row INSERTs with casts.
//
// Type mapping (native -> portable), by the column's base type (domains resolve to their base):
//   smallint/integer/bigint -> int16/int32/int64;  oid -> int64;  boolean -> bool
//   real/double precision -> float32/float64;  numeric(p,s) -> decimal(p,s), numeric -> decimal
//     (a numeric with a negative scale or a scale above its precision -> decimal, unconstrained)
//   character(n) -> char(n);  character varying(n) -> varchar(n), unbounded -> varchar;
//   text -> text;  bytea -> blob;  date -> date;  time(p) -> time(p);  timestamp(p) ->
//   timestamp(p);  timestamp(p) with time zone -> timestamptz(p) (no typmod: 6 digits);
//   uuid -> uuid;  json and jsonb -> json;  xml -> xml
//   everything else (time with time zone, interval, money, bit strings, network types, arrays,
//   enums, ranges, composite and extension types) -> text, with the native type kept: a
//   same-engine restore recreates the native column (a user-defined type must exist in the
//   target), a cross-engine restore gets a text column holding PostgreSQL's text form.
// Portable -> native is the inverse; json restores as json (jsonb would reorder keys, and the
// restored text would no longer match the archive).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/engines/postgres/postgres_update.h"

namespace bru::schema::dialects {

// What the catalog says about a column's base type.
struct PostgresTypeInfo {
  std::string name;     // pg_type.typname of the base type: "int4", "varchar", "_int4", "mood"
  int typmod = -1;      // the column's (or domain's) atttypmod
  bool builtin = true;  // the type lives in pg_catalog
  bool array = false;   // typcategory 'A'
};

PortableType postgres_portable_type(const PostgresTypeInfo& info);

class PostgresDialect final : public Dialect {
 public:
  std::string_view name() const override { return "postgres"; }
  std::vector<std::string_view> aliases() const override { return {"postgresql", "pg", "pgsql"}; }
  const UpdateDialect& update() const override { return update_; }
  // postgres/split_postgres.cpp (the rules are in schema/script/splitter.h).
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  std::string quote_identifier(std::string_view identifier) const override;

  // Tables (relkind r and p; partitions are read through their partitioned table) in the
  // filter's schemas, or in every schema but pg_catalog, information_schema, pg_toast* and
  // pg_temp*. Serial columns (a nextval() default on a sequence the column owns) and identity
  // columns become identity columns without a default. CHECK and EXCLUDE constraints are kept as
  // native constraints (same-engine restores only). Triggers, sequences not owned by a column,
  // and user-defined types are not read. The catalog's warnings name what was flattened
  // (partitioning, generated columns, deferrable keys, native constraints, foreign keys to tables
  // outside the catalog, which are left out).
  Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const override;
  std::string native_type(const PortableType& type) const override;

  // UTC, ISO dates, ISO 8601 intervals, shortest exact floats, hex bytea, no statement timeout.
  std::vector<std::string> session_setup_sql() const override;
  // SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY: run after autocommit is
  // switched off, as the first statement of the transaction (the driver sends BEGIN itself).
  std::vector<std::string> begin_snapshot_sql() const override;
  std::string snapshot_kind() const override { return "repeatable read, read only"; }
  // SELECT pg_export_snapshot() / SET TRANSACTION SNAPSHOT '<id>'.
  std::string export_snapshot_sql() const override { return "SELECT pg_export_snapshot()"; }
  std::string estimate_rows_sql(const Table& table) const override;
  std::vector<std::string> import_snapshot_sql(const std::string& snapshot_id) const override;
  // SET LOCAL lock_timeout, LOCK TABLE ... IN ACCESS SHARE MODE (as pg_dump), lock_timeout 0.
  std::vector<std::string> lock_table_sql(const Table& table, int wait_seconds) const override;
  std::string_view lock_timeout_sqlstate() const override { return "55P03"; }
  std::string lock_holders_sql(const Table& table) const override;

  // Every value as the canonical text of schema/types.h (relies on session_setup_sql: UTC, ISO);
  // bool as 0/1, integers and floats as numbers, bytea as bytes. FROM ONLY for plain tables, so
  // inheritance children are not read twice.
  std::string select_sql(const Table& table) const override;
  // The expression select_sql() reads a column with (its canonical form, schema/types.h).
  std::string select_expression(const Table& table, const Column& column) const;
  std::string declare_cursor_sql(std::string_view cursor, std::string_view select) const override;
  std::string fetch_cursor_sql(std::string_view cursor, std::size_t rows) const override;
  std::string close_cursor_sql(std::string_view cursor) const override;

  std::string create_table_sql(const Table& table) const override;
  // Unique constraints, indexes, then (same-engine only) CHECK and EXCLUDE constraints.
  std::vector<std::string> post_data_sql(const Table& table) const override;
  std::optional<LateKeySql> late_primary_key_sql(const Table& table) const override;
  // CONSTRAINT "name" PRIMARY KEY ("a", "b"), as CREATE TABLE and ALTER TABLE ADD take it.
  std::string primary_key_clause(const Table& table) const;
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  // One SELECT setval(...) per identity column: the next key is MAX+1 (at least the sequence's
  // minimum); an empty table leaves the new sequence at its start.
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  std::vector<std::string> create_schema_sql(const std::string& schema_name) const override;
  // postgres/postgres_clean.cpp: DROP ... IF EXISTS without CASCADE, and the pg_depend query
  // that names what outside the archive depends on its objects.
  std::string clean_object_sql(const SchemaObject& object) const override;
  std::string drop_foreign_key_sql(const Table& table, const ForeignKey& key) const override;
  std::string clean_dependents_sql() const override;

  std::string insert_sql(const Table& table, std::size_t row_count) const override;
  // Long values through ODBC: pieces into a temporary table, the row assembled from it.
  std::optional<LongValueSql> long_value_sql() const override;
  std::string assembled_insert_sql(const Table& table,
                                   const std::vector<std::size_t>& long_columns) const override;
  // -RESTORE -SQL: each literal cast as insert_sql casts its marker; bytea as '\x..' (the
  // script sets standard_conforming_strings); OVERRIDING SYSTEM VALUE as insert_sql.
  std::string literal_sql(const Table& table, const Column& column,
                          const LiteralValue& value) const override;
  std::string insert_literals_sql(const Table& table,
                                  const std::vector<std::string>& rows) const override;
  // psqlODBC lost protocol sync with 20,000 parameters in one statement.
  std::size_t max_parameters() const override { return 7000; }
  bool transactional_ddl() const override { return true; }
  const SqlForms& sql_forms() const override;
  std::string roles_sql() const override { return "SELECT rolname FROM pg_roles"; }
  std::string available_extensions_sql() const override {
    return "SELECT quote_ident(name) FROM pg_available_extensions";
  }
  // SET LOCAL check_function_bodies = false, as pg_restore does.
  std::vector<std::string> begin_restore_sql() const override {
    return {"SET LOCAL check_function_bodies = false"};
  }
  // Replica mode for the transaction: ordinary triggers, and the foreign-key triggers, do not
  // fire (what pg_restore --disable-triggers achieves); it needs a superuser.
  std::vector<std::string> data_only_restore_sql() const override {
    return {"SET LOCAL session_replication_role = replica"};
  }
  // postgres/postgres_remap.cpp.
  std::string remap_schema_sql(std::string_view sql, std::string_view from,
                               std::string_view to) const override;
  // A "row security" entry's ENABLE / FORCE ROW LEVEL SECURITY as DISABLE / NO FORCE.
  std::vector<std::string> suspend_for_load_sql(const SchemaObject& object) const override;

 private:
  PostgresUpdate update_;
  bool same_dialect(const Table& table) const { return table.dialect == name(); }
  // The column's type in the DDL: the native type for same-engine restores, else mapped.
  std::string column_type(const Table& table, const Column& column) const;
  // INSERT INTO <table> (<every column>) [OVERRIDING SYSTEM VALUE] VALUES, for the rows to follow.
  std::string insert_head(const Table& table) const;
};

}  // namespace bru::schema::dialects

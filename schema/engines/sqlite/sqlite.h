// SQLite: catalog from sqlite_master and the table-valued pragmas, the original CREATE statements
// kept for same-engine restores, DDL generated from the model for other sources.
//
// SQLite is dynamically typed: a column's declared type only gives it an affinity, and any value
// can sit in any column. bru therefore maps the declared type to a portable kind and then reads
// the stored values once per table (one aggregate query) to check that every value has the
// canonical form of that kind. A column whose values do not fit is backed up as text (or as a
// wider kind: int64 for out-of-range integers, float64 for reals in a decimal column), which a
// same-engine restore puts back exactly (the column's affinity turns the text back into the
// stored class); Catalog::warnings says so. Values that no kind can carry faithfully (blobs mixed
// with other values, mixed classes in an untyped column) fail the catalog read with kTypeMapping.
//
// Declared type -> portable kind (case-insensitive; "(n)" / "(p,s)" read where given):
//   INTEGER, BIGINT, INT8, UNSIGNED BIG INT, other names containing INT -> int64
//   INT, INT4, MEDIUMINT -> int32;  SMALLINT, INT2, TINYINT -> int16;  BOOLEAN, BOOL -> bool
//   REAL, DOUBLE [PRECISION], FLOAT, FLOAT8 -> float64;  FLOAT4 -> float32
//   NUMERIC(p,s), DECIMAL(p,s), DECIMAL_TEXT(p,s) -> decimal(p,s); without (p,s) -> decimal
//   CHAR(n), CHARACTER(n), NCHAR(n) -> char(n);  VARCHAR(n), NVARCHAR(n), CHARACTER VARYING(n)
//   -> varchar(n) (no n: varchar);  TEXT, CLOB and other names containing CHAR/CLOB/TEXT -> text
//   BLOB, BYTEA -> blob;  BINARY(n), VARBINARY(n), BLOB(n) -> binary(n)
//   DATE -> date;  TIME[(p)] -> time(p);  DATETIME, TIMESTAMP[(p)] -> timestamp(p);
//   TIMESTAMPTZ[(p)], TIMESTAMP WITH TIME ZONE -> timestamptz(p)  (no p: 6)
//   UUID, GUID, UNIQUEIDENTIFIER -> uuid;  JSON, JSONB, JSON_TEXT -> json;  XML, XML_TEXT -> xml
//   no type -> whatever single storage class the values have (text when empty)
//   anything else -> by affinity: REAL -> float64, NUMERIC -> decimal
// Portable -> declared type for tables from other engines: BOOLEAN, SMALLINT, INT, BIGINT
// (INTEGER PRIMARY KEY for a single-column identity key), FLOAT4, REAL, NUMERIC(p,s) when
// 1 <= p <= 15 (a REAL holds 15 digits exactly), else DECIMAL_TEXT(p,s) / DECIMAL_TEXT (TEXT
// affinity keeps every digit), CHAR(n), VARCHAR(n), TEXT, VARBINARY(n), BLOB, DATE, TIME(p),
// TIMESTAMP(p), TIMESTAMPTZ(p) ("(p)" left out for 6), UUID, JSON_TEXT, XML_TEXT (TEXT affinity,
// so a JSON document like 1e2 is not turned into the number 100.0). Each reads back as the same
// portable kind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/engines/sqlite/sqlite_update.h"

namespace bru::schema::dialects {

enum class SqliteAffinity { kInteger, kText, kBlob, kReal, kNumeric };

// SQLite's affinity rules (https://www.sqlite.org/datatype3.html, 3.1) for a declared type.
SqliteAffinity sqlite_affinity(std::string_view declared_type);
// The portable kind of a declared type, before the stored values are looked at.
PortableType sqlite_portable_type(std::string_view declared_type);

class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  std::vector<std::string_view> aliases() const override { return {"sqlite3"}; }
  const UpdateDialect& update() const override { return update_; }
  // sqlite/split_sqlite.cpp (the rules are in schema/script/splitter.h).
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  std::string quote_identifier(std::string_view identifier) const override;
  // SQLite has no schemas: always just the quoted table name.
  std::string qualified_name(const Table& table) const override;
  NameRules name_rules() const override {
    return {.has_schemas = false,
            .table_names_fold_case = true,
            .column_names_fold_case = true,
            .index_scope = NameRules::IndexScope::kDatabase,
            .unique_constraints_name_indexes = false,
            .index_names_fold_case = true,
            .max_identifier_bytes = 0};
  }

  // Tables of the main database (no sqlite_* tables, no virtual tables or their shadow tables),
  // their columns (generated columns left out: a same-engine restore recomputes them), primary
  // key, UNIQUE constraints, indexes and foreign keys; kinds checked against the stored values
  // (see above). INTEGER PRIMARY KEY (a rowid alias) is an identity column. Constraint names are
  // not read (SQLite does not keep them apart from the CREATE text). filter.schemas must be empty.
  Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const override;
  std::string native_type(const PortableType& type) const override;

  // PRAGMA foreign_keys = OFF: a restore loads tables whose foreign keys are part of CREATE TABLE
  // (SQLite cannot add them later), in any order.
  std::vector<std::string> session_setup_sql() const override;
  // Run after autocommit is switched off (the driver then opens a deferred transaction): the
  // first read takes the snapshot, kept until the transaction ends.
  std::vector<std::string> begin_snapshot_sql() const override;
  std::string snapshot_kind() const override { return "read transaction"; }

  // Canonical values: reals printed with 17 significant digits (the driver's own conversion keeps
  // only 15), decimals as plain text with the declared scale, numbers in text columns as text.
  std::string select_sql(const Table& table) const override;

  // Same-engine: the original CREATE TABLE. Otherwise generated, with UNIQUE constraints and
  // foreign keys inside it (SQLite cannot ALTER TABLE ADD CONSTRAINT).
  std::string create_table_sql(const Table& table) const override;
  // Secondary indexes only (unique constraints are part of CREATE TABLE).
  std::vector<std::string> post_data_sql(const Table& table) const override;
  // Always empty: foreign keys are part of CREATE TABLE.
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  // Always empty: a rowid alias continues after its largest value by itself, and inserting
  // explicit keys raises sqlite_sequence for AUTOINCREMENT tables.
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  bool enforces_declared_lengths() const override { return false; }
  bool reads_text_as_bytes() const override { return true; }

  std::string insert_sql(const Table& table, std::size_t row_count) const override;
  // bru's piece functions (bru/data/sqlite_pieces.h) on rowid tables.
  std::optional<std::string> rowid_name(const Table& table) const override;
  std::optional<InPlaceSql> in_place_sql(const Table& table,
                                         const std::vector<std::size_t>& in_place,
                                         std::size_t at_end) const override;
  // -RESTORE -SQL: text with NUL bytes as CAST(X'..' AS TEXT), infinities as 9e999.
  std::string literal_sql(const Table& table, const Column& column,
                          const LiteralValue& value) const override;
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since SQLite 3.32.
  std::size_t max_parameters() const override { return 30000; }
  const SqlForms& sql_forms() const override;
  bool transactional_ddl() const override { return true; }
  // The SQLite ODBC driver reports SQLite's result code as the native code: SQLITE_FULL (13) for
  // a full disk, SQLITE_IOERR (10) when a write fails outright (EFBIG under ulimit -f, ENOSPC).
  bool storage_full(std::string_view sqlstate, long native_code) const override {
    (void)sqlstate;
    return (native_code & 0xff) == 13 || (native_code & 0xff) == 10;
  }

 private:
  SqliteUpdate update_;
  bool same_dialect(const Table& table) const { return table.dialect == name(); }
  std::string column_type(const Table& table, const Column& column) const;
};

}  // namespace bru::schema::dialects

// SQL Server: update scripts (its facet: mssql_update.h; its splitter: split_mssql.cpp), backup
// (catalog: mssql_catalog.cpp), restore into an empty database, and restores written as scripts
// (-RESTORE -SQL). NONE OF IT HAS RUN AGAINST A SERVER: no SQL Server runs where bru is tested.
// The SQL is checked by two parsers (sqlfluff and sqlglot, tsql) and the catalog reader by unit
// tests fed with the rows a server would return (tests/unit/dialect_mssql_test.cpp).
//
// The catalog is the connection's database: its schemas (all but sys, INFORMATION_SCHEMA, guest
// and the db_* role schemas, or those of -SCHEMA), their tables from sys.tables, sys.columns,
// sys.key_constraints, sys.foreign_keys, sys.indexes and sys.check_constraints. Each table also
// keeps a CREATE TABLE in SQL Server's own terms (Table::native_sql: native types, IDENTITY(seed,
// increment), named defaults, computed and rowversion columns, the primary key CLUSTERED or
// NONCLUSTERED) for SQL Server restores. Computed and rowversion columns are not in the data (the
// server makes their values; a "generated-column-skipped" warning names each). CHECK constraints
// are restored only into SQL Server ("constraint-same-engine-only"). Indexes keep their own
// CREATE INDEX (CLUSTERED, DESC keys, INCLUDE columns, filter); one with more than key columns is
// not portable (another engine refuses it unless -SKIP-UNPORTABLE); columnstore, XML, spatial and
// full-text indexes are not carried ("object-not-carried"). Views, procedures, functions and
// triggers come from sys.sql_modules as table-of-contents entries restored only into SQL Server;
// each identity's current value (sys.identity_columns.last_value) as a "sequence value" entry
// (DBCC CHECKIDENT ... RESEED) after the rows.
//
// Native -> portable (TYPE_NAME(system_type_id); user alias types by their base type):
//   bit -> bool;  tinyint, smallint -> int16;  int -> int32;  bigint -> int64;  real -> float32;
//   float -> float64;  decimal(p,s), numeric(p,s) -> decimal(p,s);  money -> decimal(19,4);
//   smallmoney -> decimal(10,4);  char(n), nchar(n) -> char(n);  varchar(n), nvarchar(n) ->
//   varchar(n);  varchar(max), nvarchar(max), text, ntext -> text;  binary(n), varbinary(n) ->
//   binary(n);  varbinary(max), image -> blob;  date -> date;  time(p) -> time(p);  datetime2(p)
//   -> timestamp(p);  datetime -> timestamp(3);  smalldatetime -> timestamp(0);  datetimeoffset(p)
//   -> timestamptz(p), read in UTC;  uniqueidentifier -> uuid;  xml -> xml;  json -> json.
//   A scale of 7 (the default of datetime2, time, datetimeoffset) is kept: the canonical text
//   then has up to 7 fractional digits (schema/types.h says 6), and PostgreSQL refuses such a
//   column (kTypeMapping) rather than round it.
//   sql_variant, hierarchyid, geometry, geography and CLR types: the catalog read fails with
//   kTypeMapping naming the column (leave the table out with -EXCLUDE).
// Portable -> native: bit, smallint, int, bigint, real, float, decimal(p,s) (p 1 to 38; an
// unconstrained decimal has no SQL Server type: kTypeMapping), nchar(n) (n <= 4000, else
// nvarchar(max)), nvarchar(n) (n <= 4000, else or unbounded nvarchar(max)), nvarchar(max) for
// text, json and xml (xml kept as text: the XML type would rewrite the document), varbinary(n)
// (n <= 8000, else varbinary(max)), varbinary(max), date, time(p), datetime2(p),
// datetimeoffset(p), uniqueidentifier. Identity: IDENTITY(1,1) on integer columns (a SQL Server
// source's own seed and increment into SQL Server).
// Literals: text N'...' (without N text beyond the database's code page is lost), binary
// CONVERT(VARBINARY(MAX), 'hex', 2), datetimeoffset '... +00:00', numbers as they are; floats
// have no NaN or infinity (kTypeMapping).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/mssql/mssql_update.h"
#include "schema/dialect.h"

namespace bru::schema::dialects {

class MssqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "mssql"; }
  std::vector<std::string_view> aliases() const override { return {"sqlserver"}; }
  const UpdateDialect& update() const override { return update_; }
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  // brackets, an embedded ] doubled.
  std::string quote_identifier(std::string_view identifier) const override;
  // mssql/mssql_catalog.cpp. Throws kTypeMapping for a column of a type bru cannot carry.
  Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const override;
  // SNAPSHOT isolation where the database allows it (sys.databases.snapshot_isolation_state =
  // 1); otherwise SERIALIZABLE, under which writers wait for the backup's reads (the catalog read
  // warns "snapshot-not-allowed" then). The first read begins the transaction.
  std::vector<std::string> begin_snapshot_sql() const override;
  std::string snapshot_kind() const override { return "snapshot isolation"; }
  // SET LOCK_TIMEOUT, then a read of one row under REPEATABLEREAD: its intent-shared table lock,
  // held to the end of the transaction, makes TRUNCATE, ALTER and DROP (Sch-M) wait for the
  // backup; that one row cannot be updated or deleted until then. Error 1222 when not granted.
  std::vector<std::string> lock_table_sql(const Table& table, int wait_seconds) const override;
  bool lock_timed_out(std::string_view sqlstate, long native_code) const override {
    (void)sqlstate;
    return native_code == 1222;
  }
  std::string lock_holders_sql(const Table& table) const override;
  std::string estimate_rows_sql(const Table& table) const override;
  // SELECT TOP (1) 1 FROM <table> (T-SQL has no LIMIT).
  std::string has_rows_sql(const Table& table) const override;
  const SqlForms& sql_forms() const override;
  // Error 1778: a foreign key's column must have the type of the column it references.
  bool foreign_key_types_must_match() const override { return true; }

  std::string native_type(const PortableType& type) const override;
  // SET XACT_ABORT ON (a failed statement rolls the whole transaction back), SET DATEFORMAT ymd.
  std::vector<std::string> session_setup_sql() const override;
  // Canonical text (schema/types.h) with CONVERT styles: 23 for dates, 121 for times and
  // timestamps (trailing fractional zeros taken off), datetimeoffset switched to +00:00, money
  // with its 4 decimals (style 2), uniqueidentifier in lower case, xml as nvarchar(max); floats,
  // integers and binary as the driver reads them (exact).
  std::string select_sql(const Table& table) const override;
  // Pages along the primary key or a unique key of NOT NULL columns whose canonical text is a
  // literal SQL Server compares as the column (integers, decimals, text, binary as 0x..., dates
  // and times, uuid; not floats, xml or text/ntext).
  std::vector<std::size_t> page_key(const Table& table) const override;
  std::string page_sql(const Table& table, const std::vector<std::size_t>& order,
                       std::size_t rows, const std::vector<std::string>& after) const override;
  // Same-engine: the source's own CREATE TABLE (native_sql). Otherwise generated from the model.
  std::string create_table_sql(const Table& table) const override;
  // Unique constraints and indexes; same-engine: each index's own CREATE INDEX, and the CHECK
  // constraints.
  std::vector<std::string> post_data_sql(const Table& table) const override;
  // ON DELETE / ON UPDATE CASCADE, SET NULL, SET DEFAULT.
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  // Always empty: an explicit key inserted under IDENTITY_INSERT above the identity's current
  // value becomes its current value (a SQL Server source's own position comes back as a
  // "sequence value" entry).
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  // -CLEAN (same-engine archives with modules too): DROP VIEW | PROCEDURE | FUNCTION | TABLE IF
  // EXISTS (2016), in reverse creation order after every foreign key of the archive's tables
  // (ALTER TABLE ... DROP CONSTRAINT IF EXISTS where the table exists); a trigger goes with its
  // table.
  std::string clean_object_sql(const SchemaObject& object) const override;
  std::string drop_foreign_key_sql(const Table& table, const ForeignKey& key) const override;
  bool cleans_objects() const override { return true; }
  // A module (CREATE [OR ALTER] VIEW | PROC[EDURE] | FUNCTION | TRIGGER) must be alone in its
  // batch: GO lines before and after it for sqlcmd.
  std::string script_statement(std::string_view sql) const override;
  // -REMAP-SCHEMA (schema/engines/remap.h): a name is the schema when it equals it without regard
  // to case (the default collations), bare, [bracketed] or "quoted"; the new one is bracketed.
  std::string remap_schema_sql(std::string_view sql, std::string_view from,
                               std::string_view to) const override;
  // IF SCHEMA_ID(N's') IS NULL EXEC sp_executesql N'CREATE SCHEMA [s]' (CREATE SCHEMA must be
  // alone in its batch); nothing for dbo.
  std::vector<std::string> create_schema_sql(const std::string& schema_name) const override;
  // INSERT ... VALUES of row_count rows; for a table with an identity column, between SET
  // IDENTITY_INSERT ON and OFF in the same batch (one table at a time may have it on).
  // datetimeoffset's canonical "+00" is completed to "+00:00".
  std::string insert_sql(const Table& table, std::size_t row_count) const override;
  // A request carries at most 2,100 parameters, and the driver's sp_prepexec takes 3 of them
  // (handle, parameter list, statement); the writer also keeps to 1,000 rows per VALUES.
  std::size_t max_parameters() const override { return 2097; }
  // 1105 (filegroup full), 9002 (transaction log full), 1101 (no disk space for a new extent).
  bool storage_full(std::string_view sqlstate, long native_code) const override {
    (void)sqlstate;
    return native_code == 1105 || native_code == 9002 || native_code == 1101;
  }
  bool transactional_ddl() const override { return true; }
  std::string literal_sql(const Table& table, const Column& column,
                          const LiteralValue& value) const override;

 private:
  // select_sql()'s value of each column, in catalog order ("expr AS [name]" or "[name]").
  std::vector<std::string> select_expressions(const Table& table) const;
  bool same_dialect(const Table& table) const { return table.dialect == name(); }
  MssqlUpdate update_;
};

// The portable kind of a column of system type `system_type` (TYPE_NAME(system_type_id)) with
// sys.columns' max_length (bytes, -1 for max), precision and scale. Throws kTypeMapping naming
// table and column for a type bru cannot carry (sql_variant, hierarchyid, spatial, CLR).
PortableType mssql_portable_type(const Table& table, const std::string& column,
                                 const std::string& system_type, long long max_length,
                                 long long precision, long long scale);

}  // namespace bru::schema::dialects

// MariaDB (and MySQL): update scripts (its facet: mariadb_update.h; its splitter:
// split_mariadb.cpp), backup, and restore into an empty database.
//
// The catalog is the current database (MariaDB's schema): its base tables, each with the server's
// own `SHOW CREATE TABLE` kept as Table::native_sql, so a MariaDB-to-MariaDB restore recreates
// engine, charset, collation, AUTO_INCREMENT and its next value, generated columns, ENUM/SET,
// CHECK, FULLTEXT/SPATIAL indexes and foreign keys exactly as the source has them (the session
// runs with foreign_key_checks = 0, so the order of CREATE TABLEs does not matter). Columns, keys,
// unique constraints, indexes and foreign keys are also read into the portable model from
// information_schema for other targets. Generated columns are left out of the data (the server
// recomputes them). Sequences, views, procedures, functions, triggers and events are carried as
// table-of-contents entries with their SHOW CREATE text, without the DEFINER clause
// (mariadb_objects.h), and restored only into MariaDB.
//
// Native type -> portable kind (information_schema DATA_TYPE, COLUMN_TYPE for signedness):
//   tinyint, smallint, year -> int16 (tinyint unsigned too);  smallint unsigned, mediumint
//   [unsigned], int -> int32;  int unsigned, bigint -> int64;  bigint unsigned -> decimal(20,0)
//   (an AUTO_INCREMENT bigint unsigned -> int64: a key past 2^63 - 1 fails the read)
//   bit(n) -> int64;  float -> float32;  double -> float64;  decimal(p,s) -> decimal(p,s)
//   char(n) -> char(n);  varchar(n) -> varchar(n);  enum, set -> varchar(longest value);
//   tinytext, text, mediumtext, longtext (json is longtext) -> text
//   binary(n), varbinary(n) -> binary(n);  tinyblob, blob, mediumblob, longblob -> blob
//   date -> date;  time(p) -> time(p);  datetime(p) -> timestamp(p);  timestamp(p) ->
//   timestamptz(p) (the session's time zone is UTC);  uuid -> uuid
//   anything else (geometry, inet4/6, vector): the catalog read fails with kTypeMapping.
// Portable -> native for tables from other engines: tinyint(1), smallint, int, bigint, float,
// double, decimal(p,s), char(n) (n <= 255, else varchar(n)), varchar(n) (no n: longtext),
// longtext, varbinary(n), longblob, date, time(p), datetime(p) (timestamp and timestamptz: a
// MariaDB TIMESTAMP holds only 1970-2038), uuid, longtext for json and xml.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/engines/mariadb/mariadb_update.h"

namespace bru::schema::dialects {

class MariadbDialect final : public Dialect {
 public:
  std::string_view name() const override { return "mariadb"; }
  std::vector<std::string_view> aliases() const override { return {"mysql"}; }
  const UpdateDialect& update() const override { return update_; }
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  // backticks, embedded backticks doubled.
  std::string quote_identifier(std::string_view identifier) const override;
  // MariaDB's schema is the connection's database: always just the quoted table name.
  std::string qualified_name(const Table& table) const override;
  // Table names as on Linux with lower_case_table_names = 0 (the server's default there);
  // server_name_rules reads the setting: 1 (names stored in lower case) and 2 (stored as given,
  // compared in lower case: macOS) compare table names without case.
  NameRules server_name_rules(SqlRunner& server) const override;
  NameRules name_rules() const override {
    return {.has_schemas = false,
            .column_names_fold_case = true,
            .index_scope = NameRules::IndexScope::kTable,
            .index_names_fold_case = true,
            .foreign_key_names_per_database = true,
            .max_identifier_bytes = 64};
  }
  bool foreign_key_types_must_match() const override { return true; }

  // mariadb/mariadb_catalog.cpp. filter.schemas must be empty (the database is the connection's).
  Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const override;
  std::string native_type(const PortableType& type) const override;

  // UTC, a fixed strict sql_mode with NO_AUTO_VALUE_ON_ZERO (an explicit 0 key stays 0), and
  // foreign_key_checks off (tables are created with their foreign keys, in any order).
  std::vector<std::string> session_setup_sql() const override;
  // REPEATABLE READ, START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY: consistent for
  // transactional (InnoDB) tables; the catalog warns about each table of another engine.
  std::vector<std::string> begin_snapshot_sql() const override;
  std::string snapshot_kind() const override { return "consistent snapshot, repeatable read"; }
  // FLUSH TABLES WITH READ LOCK needs RELOAD (error 1227 without it).
  std::vector<std::string> snapshot_lock_sql(int wait_seconds) const override;
  std::string snapshot_unlock_sql() const override { return "UNLOCK TABLES"; }
  bool lock_denied(std::string_view sqlstate, long native_code) const override {
    return native_code == 1227 || (sqlstate == "42000" && native_code == 1044);
  }
  std::string snapshot_position_sql() const override;
  // Base tables of engines without transactions (every engine but InnoDB).
  std::string outside_snapshot_tables_sql() const override;
  std::string estimate_rows_sql(const Table& table) const override;

  std::string select_sql(const Table& table) const override;
  // Pages along the primary key, or a unique key of NOT NULL columns, when each key column's
  // canonical text is also a literal MariaDB compares as the column (integers, decimals, text
  // other than ENUM and SET, dates, times, binary): Connector/ODBC 3.1.15 holds whole results.
  std::vector<std::size_t> page_key(const Table& table) const override;
  std::string page_sql(const Table& table, const std::vector<std::size_t>& order,
                       std::size_t rows, const std::vector<std::string>& after) const override;
  // MEDIUMTEXT, LONGTEXT, MEDIUMBLOB and LONGBLOB columns (as the restore creates them where the
  // table comes from another engine): the others hold at most 64 KiB. The server holds a value in
  // the user variable @bru_value, text as its utf8mb4 bytes, and a part of it in @bru_part: a
  // slice of a column reads the whole value from InnoDB (about 1 s for 200 MB here), a slice of a
  // variable copies the variable (0.1 s for 200 MB, 0.01 s for a part of 32 MB).
  std::vector<std::size_t> sliceable_columns(const Table& table) const override;
  std::string long_cut_page_sql(const Table& table, const std::vector<std::size_t>& order,
                                std::size_t rows, const std::vector<std::string>& after,
                                const std::vector<std::size_t>& long_columns,
                                std::uint64_t long_bytes) const override;
  std::string hold_value_sql(const Table& table, std::size_t column_idx,
                             const std::vector<std::string>& key) const override;
  std::string hold_part_sql(std::uint64_t offset, std::uint64_t bytes) const override;
  std::string held_slice_sql(std::uint64_t offset, std::uint64_t bytes) const override;
  std::string release_value_sql() const override {
    return "SET @bru_value = NULL, @bru_part = NULL";
  }
  // Same-engine: SHOW CREATE TABLE as the source gave it. Otherwise generated from the model.
  std::string create_table_sql(const Table& table) const override;
  // Same-engine: nothing (part of CREATE TABLE). Otherwise unique constraints and indexes.
  std::vector<std::string> post_data_sql(const Table& table) const override;
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  // Always empty: InnoDB moves AUTO_INCREMENT past explicitly inserted keys, and a same-engine
  // CREATE TABLE carries the source's next value.
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  // DROP VIEW | PROCEDURE | FUNCTION | EVENT | SEQUENCE IF EXISTS; empty for triggers (dropped
  // with their table), sequence values and tables (drop_table_sql). What undoes a failed restore
  // (bru/commands/restore_undo.h).
  std::string clean_object_sql(const SchemaObject& object) const override;

  std::string insert_sql(const Table& table, std::size_t row_count) const override;
  // LOAD DATA LOCAL INFILE 'bru' INTO TABLE t CHARACTER SET binary FIELDS TERMINATED BY '\t'
  // ESCAPED BY '\\' LINES TERMINATED BY '\n' (a, @v2, ...) SET b = ...(@v2): the bytes of text
  // go unconverted (the server checks them as utf8mb4 for a text column), a value insert_sql()
  // converts goes through a variable and the same conversion, and a BIT column's number is cast
  // (LOAD DATA would store the digits' bytes).
  std::string load_data_sql(const Table& table) const override;
  std::string value_limit_sql() const override { return "SELECT @@max_allowed_packet"; }
  std::string value_limit_name() const override { return "max_allowed_packet"; }
  // -RESTORE -SQL: backslashes and NUL bytes escaped (the session takes backslash escapes),
  // timestamptz without its "+00" as insert_sql.
  std::string literal_sql(const Table& table, const Column& column,
                          const LiteralValue& value) const override;
  // A statement holding ';' (a routine, trigger or event body) between DELIMITER lines, as the
  // mariadb client needs.
  std::string script_statement(std::string_view sql) const override;
  // The server takes 65,535 placeholders per prepared statement; bru stays well below.
  std::size_t max_parameters() const override { return 30000; }
  // ER_DISK_FULL (1021), ER_RECORD_FILE_FULL (1114, "The table is full"), ER_ERROR_ON_WRITE (3).
  bool storage_full(std::string_view sqlstate, long native_code) const override {
    (void)sqlstate;
    return native_code == 1021 || native_code == 1114 || native_code == 3;
  }
  bool transactional_ddl() const override { return false; }
  const SqlForms& sql_forms() const override;

 private:
  // select_sql()'s value of each column, in catalog order ("expr AS `name`" or "`name`").
  std::vector<std::string> select_expressions(const Table& table) const;
  MariadbUpdate update_;
  bool same_dialect(const Table& table) const { return table.dialect == name(); }
  // Whether the column is a MariaDB BIT (its values are integers in the archive).
  bool is_bit(const Table& table, const Column& column) const;
};

}  // namespace bru::schema::dialects

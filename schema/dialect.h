// One Dialect per engine: everything engine-specific that backup and restore need — catalog
// queries, type mapping, quoting, DDL, the SELECT that yields canonical values, the INSERT that
// takes them, snapshot statements, and (through update()) the update-script facet: history table,
// lock, section transactions. Commands see a Dialect& and the portable model, never SQL text.
// Each engine lives in schema/engines/<engine>/; schema/engines/registry.h lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "schema/catalog.h"
#include "schema/name_rules.h"
#include "schema/statement.h"
#include "schema/sql_forms.h"
#include "schema/sql_runner.h"
#include "schema/types.h"
#include "schema/update_dialect.h"

namespace bru::schema {

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "postgres", "sqlite", "mariadb", "mssql", "oracle".
  virtual std::string_view name() const = 0;
  // Other words people type for the engine (postgresql, pg, ...), lower case.
  virtual std::vector<std::string_view> aliases() const { return {}; }

  // The update-script facet: history table, session lock, section transactions. Lives as long
  // as the Dialect.
  virtual const UpdateDialect& update() const = 0;
  // Splits normalised (LF) script text by the engine's rules (schema/script/splitter.h; callers
  // use split_statements, which normalises first). Throws bru::Error(kScript) as it says.
  virtual std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                              int first_line) const = 0;

  // Whether bru backs up from and restores into this engine (every engine of the registry today;
  // an engine added for -UPDATE first says false, and its backup/restore members throw kUsage).
  virtual bool backs_up() const { return true; }

  virtual std::string quote_identifier(std::string_view identifier) const = 0;
  // Quoted "schema"."table", or just "table" where the engine or the table has no schema.
  virtual std::string qualified_name(const Table& table) const;

  // Reads tables (columns, keys, indexes, FKs) matching the filter, ordered by dependencies.
  // Throws kNotFound when filter.include_tables names a table that does not exist.
  virtual Catalog read_catalog(SqlRunner& runner, const CatalogFilter& filter) const = 0;

  // Native type for a portable one. Throws kTypeMapping when the engine cannot hold it.
  virtual std::string native_type(const PortableType& type) const = 0;

  // Statements run once on each connection bru opens for data (time zone UTC, date style, ...),
  // right after connecting, with autocommit on. select_sql() relies on them.
  virtual std::vector<std::string> session_setup_sql() const = 0;
  // Statements that start one consistent read snapshot on a backup connection, and its name for
  // the archive ("repeatable read, read only", "read transaction"). Run right after autocommit is
  // switched off, before any other statement; the snapshot lasts until commit or rollback.
  virtual std::vector<std::string> begin_snapshot_sql() const = 0;
  virtual std::string snapshot_kind() const = 0;
  // A brief global read lock around begin_snapshot_sql (mydumper's way), so that the snapshot
  // starts at a moment no table is being written and the change-log position read under it is
  // the snapshot's: the statements that take it (waiting at most wait_seconds for running
  // writes) and release it; empty where the engine needs none. lock_denied() tells an error of
  // taking it that only means the user lacks the privilege (the backup then goes on, warned).
  virtual std::vector<std::string> snapshot_lock_sql(int /*wait_seconds*/) const { return {}; }
  virtual std::string snapshot_unlock_sql() const { return {}; }
  virtual bool lock_denied(std::string_view /*sqlstate*/, long /*native_code*/) const {
    return false;
  }
  // Run after begin_snapshot_sql, under that lock where it was taken: one row whose values name
  // the snapshot's position in the server's change log (MariaDB: binary log file, offset, GTID
  // position); no row where it keeps none (binary log off).
  virtual std::string snapshot_position_sql() const { return {}; }
  // A query run under the snapshot lock, one row per base table the snapshot does not cover
  // (its name, then its engine: MariaDB's MyISAM, Aria, ...). The backup keeps the lock until it
  // has read those tables, first, so they are as at the snapshot. Empty where every table is in
  // the snapshot.
  virtual std::string outside_snapshot_tables_sql() const { return {}; }
  // For parallel readers sharing one snapshot: a query run on the first backup connection after
  // begin_snapshot_sql, returning one row whose first value names the snapshot. Empty where the
  // engine cannot share a snapshot between connections (read with one connection there). The
  // exporting transaction must stay open until every importer has run import_snapshot_sql.
  virtual std::string export_snapshot_sql() const { return {}; }
  // A cheap query whose one value estimates the table's row count (progress and ETA only; never
  // trusted for anything else); empty where the engine has no cheap estimate.
  virtual std::string estimate_rows_sql(const Table& table) const {
    (void)table;
    return {};
  }
  // Statements that make another backup connection read in that snapshot: run right after its
  // own begin_snapshot_sql, before any other statement.
  virtual std::vector<std::string> import_snapshot_sql(const std::string& snapshot_id) const {
    (void)snapshot_id;
    return {};
  }

  // Statements that lock the table against changes that would not respect the snapshot (TRUNCATE,
  // ALTER, DROP) until the backup's transaction ends, waiting at most wait_seconds for a session
  // that holds a conflicting lock; empty where the engine needs no lock. A lock not granted in
  // time fails with lock_timeout_sqlstate().
  virtual std::vector<std::string> lock_table_sql(const Table& table, int wait_seconds) const {
    (void)table;
    (void)wait_seconds;
    return {};
  }
  virtual std::string_view lock_timeout_sqlstate() const { return {}; }
  // Whether an error of lock_table_sql() means the lock was not granted in time (default: its
  // SQLSTATE is lock_timeout_sqlstate(); SQL Server tells by its native code, 1222, and Oracle's
  // driver reports HY000 for every ORA code).
  virtual bool lock_timed_out(std::string_view sqlstate, long /*native_code*/) const {
    return !lock_timeout_sqlstate().empty() && sqlstate == lock_timeout_sqlstate();
  }
  // A query naming the sessions that hold or wait for a lock on the table, one row each:
  // session id, user, application, since, statement.
  virtual std::string lock_holders_sql(const Table& table) const {
    (void)table;
    return {};
  }

  // SELECT of the table's columns in catalog order, each yielding the canonical value of its
  // portable kind (schema/types.h), e.g. timestamptz as UTC text.
  virtual std::string select_sql(const Table& table) const = 0;
  // Reading a table in round trips whose size the reader chooses from the bytes it sees (a
  // driver's own cursor fetches a fixed number of rows, however wide): a server cursor over
  // `select` (declare, inside the snapshot transaction), the next `rows` rows of it (fetch) and its
  // end (close). declare is empty where the driver streams results itself (SQLite) and the
  // SELECT runs as it is.
  virtual std::string declare_cursor_sql(std::string_view /*cursor*/,
                                         std::string_view /*select*/) const {
    return {};
  }
  virtual std::string fetch_cursor_sql(std::string_view /*cursor*/, std::size_t /*rows*/) const {
    return {};
  }
  virtual std::string close_cursor_sql(std::string_view /*cursor*/) const { return {}; }
  // Where neither a server cursor bru can run nor the driver bounds what a result set holds
  // (MariaDB's Connector/ODBC 3.1 keeps the whole of it), a table is read in pages along a key:
  // page_key() names its columns (indexes into table.columns), empty when the table has no key
  // that pages can follow or the engine needs no pages; page_sql() is the SELECT of select_sql()'s
  // values, columns in `order` (indexes into table.columns), of at most `rows` rows after the row
  // whose key had the canonical values `after` (empty: from the first), in key order.
  virtual std::vector<std::size_t> page_key(const Table& /*table*/) const { return {}; }
  virtual std::string page_sql(const Table& /*table*/, const std::vector<std::size_t>& /*order*/,
                               std::size_t /*rows*/,
                               const std::vector<std::string>& /*after*/) const {
    return {};
  }
  // Values longer than a piece where pages read a table (bru/data/long_values.h): the driver
  // would hold such a value whole, so the page leaves it out and it is read after its row in
  // slices of a copy the server holds. sliceable_columns() names the columns that may hold one
  // (indexes into table.columns; empty: none, or the engine has no such SQL);
  // long_cut_page_sql() is page_sql() with each value of `long_columns` longer than `long_bytes`
  // bytes read as NULL, `order` naming past the table's columns (columns.size() + i) the length
  // in bytes of the canonical value of long_columns[i] where it is that long (NULL elsewhere).
  virtual std::vector<std::size_t> sliceable_columns(const Table& /*table*/) const { return {}; }
  virtual std::string long_cut_page_sql(const Table& /*table*/,
                                        const std::vector<std::size_t>& /*order*/,
                                        std::size_t /*rows*/,
                                        const std::vector<std::string>& /*after*/,
                                        const std::vector<std::size_t>& /*long_columns*/,
                                        std::uint64_t /*long_bytes*/) const {
    return {};
  }
  // The statement that makes the server hold the canonical value (as bytes) of the column in
  // the row whose page key had the canonical values `key`; the one that makes it hold, beside
  // it, its part of `bytes` bytes from byte `offset` (a slice of a part then costs in proportion
  // to the part, not to the whole value); the query of the part's `bytes` bytes from its byte
  // `offset` (one row, one value); the statement that frees both.
  virtual std::string hold_value_sql(const Table& /*table*/, std::size_t /*column_idx*/,
                                     const std::vector<std::string>& /*key*/) const {
    return {};
  }
  virtual std::string hold_part_sql(std::uint64_t /*offset*/, std::uint64_t /*bytes*/) const {
    return {};
  }
  virtual std::string held_slice_sql(std::uint64_t /*offset*/, std::uint64_t /*bytes*/) const {
    return {};
  }
  virtual std::string release_value_sql() const { return {}; }

  // CREATE TABLE with columns, NOT NULL, defaults, identity and the primary key (pre-data).
  virtual std::string create_table_sql(const Table& table) const = 0;
  // Unique constraints and secondary indexes (post-data, before foreign keys).
  virtual std::vector<std::string> post_data_sql(const Table& table) const = 0;
  // For a restore that adds the primary key once the rows are in (one sorted build instead of an
  // index kept up row by row, as pg_restore does): the CREATE TABLE without the key, and the
  // statement that adds it. nullopt keeps the key in create_table_sql(), the default: SQLite
  // cannot add one later, and InnoDB would rebuild the table.
  struct LateKeySql {
    std::string create_table;
    std::string add_primary_key;
  };
  virtual std::optional<LateKeySql> late_primary_key_sql(const Table& /*table*/) const {
    return std::nullopt;
  }
  virtual std::vector<std::string> foreign_key_sql(const Table& table) const = 0;
  // Moves identity/serial generators past the restored keys so new rows get new keys.
  virtual std::vector<std::string> reset_identity_sql(const Table& table) const = 0;
  virtual std::string drop_table_sql(const Table& table) const = 0;  // IF EXISTS, with dependents
  // Statements that make sure a schema exists before tables are created in it (none where the
  // engine has no schemas).
  virtual std::vector<std::string> create_schema_sql(const std::string& schema_name) const {
    (void)schema_name;
    return {};
  }
  // False where the engine stores any value in any column (SQLite): the data path then reads
  // character and binary data unbounded instead of trusting declared lengths.
  virtual bool enforces_declared_lengths() const { return true; }
  // True where character data may hold NUL bytes (SQLite TEXT): select_sql() then yields it as
  // bytes (a BLOB) and the data path reads it with its length, since a C-string read stops at the
  // first NUL ('a\0b' was backed up, verified and restored as 'a').
  virtual bool reads_text_as_bytes() const { return false; }

  // INSERT of row_count rows into all columns in catalog order, one `?` per value, converting the
  // canonical value bound as text/binary/int/double into the column type where the engine needs
  // an explicit cast. Identity columns are inserted explicitly (the engine must allow it).
  virtual std::string insert_sql(const Table& table, std::size_t row_count) const = 0;
  // The statement that bulk-loads all columns in catalog order from the text stream of
  // bru/mariadb/load_data_loader.h (MariaDB's LOAD DATA LOCAL INFILE), each value converted as
  // insert_sql() converts the bound one. Empty, the default: the engine has none.
  virtual std::string load_data_sql(const Table& /*table*/) const { return {}; }
  // The query of the longest value, in bytes, a statement may carry into the target, and the
  // setting's name (MariaDB: max_allowed_packet), where a longer one is stored changed or refused
  // by that rule rather than by the column's type: loaders refuse it first
  // (data::check_value_lengths). Empty, the default: no such limit.
  virtual std::string value_limit_sql() const { return {}; }
  virtual std::string value_limit_name() const { return {}; }
  // Where the ODBC driver keeps a value sent in pieces (SQLPutData) whole until its statement
  // runs (psqlODBC: a 200 MB bytea cost 642 MB), SQL that stores a long value's pieces in a
  // temporary table of the session as they come and inserts the row from there, so that neither
  // bru nor the driver holds the value. nullopt, the default: pieces go through SQLPutData.
  struct LongValueSql {
    std::string create_pieces;  // the pieces' table, once per session (IF NOT EXISTS)
    std::string insert_piece;   // one piece: ? column position, ? piece number, ? bytes
    std::string clear_pieces;   // after each row
  };
  virtual std::optional<LongValueSql> long_value_sql() const { return std::nullopt; }
  // With long_value_sql(): INSERT of one row into all columns in catalog order, the columns at
  // long_columns (ascending) assembled from their pieces in piece order, one `?` per other value,
  // converted as insert_sql() converts it. Needs no key: the row is inserted once, whole.
  virtual std::string assembled_insert_sql(const Table& /*table*/,
                                           const std::vector<std::size_t>& /*long_columns*/) const {
    return {};
  }
  // Where bru's SQLite piece functions work on the table (bru/data/sqlite_pieces.h: a rowid
  // table of the main database): the name that reads a row's rowid there, one no column shadows.
  // std::nullopt elsewhere (a WITHOUT ROWID table, another engine).
  virtual std::optional<std::string> rowid_name(const Table& /*table*/) const {
    return std::nullopt;
  }
  // Where a long value can be written in place once its row is in (SQLite's incremental blob
  // I/O through bru's piece functions, bru/data/sqlite_pieces.h), for a row whose columns at
  // `in_place` (ascending) are written so, each first a value of zeros of its length. From
  // in_place[at_end] on they are BLOBs followed in the row by NULLs only: SQLite leaves such zeros
  // out of the row it builds (zeroblob()); the others cost their length once, as the row is
  // built. std::nullopt where the engine or the table cannot.
  struct InPlaceSql {
    // INSERT of one row as insert_sql(), a function of one `?` (bound: the value's length)
    // making the zeros in place of each value at `in_place`.
    std::string insert;
    // Per column position, for those at `in_place` (others ""): writes a piece into the row just
    // inserted (? offset from 0, ? bytes).
    std::vector<std::string> write_piece;
    std::string remove_row;  // deletes the row just inserted (its columns cannot be written)
    // Run once, before the first such row: fails where the target takes no values so (SQLite:
    // a database whose text is not UTF-8).
    std::string probe;
  };
  virtual std::optional<InPlaceSql> in_place_sql(const Table& /*table*/,
                                                 const std::vector<std::size_t>& /*in_place*/,
                                                 std::size_t /*at_end*/) const {
    return std::nullopt;
  }
  // Most parameters one statement may carry with this engine's driver.
  virtual std::size_t max_parameters() const = 0;
  // Whether a statement failed because the target's storage is full (disk full, quota, a file
  // size limit), judged from the SQLSTATE and native code the driver reported: a file system
  // problem (exit 7), not a database one. Default: SQLSTATE 53100 (PostgreSQL's disk_full).
  virtual bool storage_full(std::string_view sqlstate, long native_code) const {
    (void)native_code;
    return sqlstate == "53100";
  }
  // A query listing the roles (users) of the target server, one name per row; empty where the
  // engine's archives name no roles.
  virtual std::string roles_sql() const { return {}; }
  // A query listing the extensions the target server can create (its files are installed), one
  // name per row as the archive's extension entries name them; empty where the engine has none.
  virtual std::string available_extensions_sql() const { return {}; }
  // Statements run at the start of a restore's transaction, before any DDL (PostgreSQL: function
  // bodies are not checked, since the tables they use come later).
  virtual std::vector<std::string> begin_restore_sql() const { return {}; }
  // A query that returns a row when the table holds any row and none when it is empty (default:
  // SELECT 1 FROM <table> LIMIT 1).
  virtual std::string has_rows_sql(const Table& table) const;
  // Statements run at the start of a -DATA-ONLY restore's transaction so that the target's own
  // triggers (and the checks triggers make, such as foreign keys) do not fire while the rows
  // load; empty where the engine has no such setting: -DATA-ONLY is then refused.
  virtual std::vector<std::string> data_only_restore_sql() const { return {}; }
  // -REMAP-SCHEMA: sql (this engine's DDL, as its archives hold it) with each name in schema
  // `from` named in schema `to` instead: qualified names, the name after SCHEMA, and, in string
  // literals, a leading qualified name (regclass) and function bodies. The default, for engines
  // whose DDL names no schemas, returns sql as it is.
  virtual std::string remap_schema_sql(std::string_view sql, std::string_view from,
                                       std::string_view to) const {
    (void)from;
    (void)to;
    return std::string(sql);
  }
  // -DATA-ONLY: statements that switch off, for the load, what a table-of-contents entry switches
  // on that would refuse or filter the rows (PostgreSQL: row-level security, under which COPY is
  // refused); the entry's own statements switch it on again after the load. Empty for every
  // other entry.
  virtual std::vector<std::string> suspend_for_load_sql(const SchemaObject& object) const {
    (void)object;
    return {};
  }
  // -CLEAN over a same-engine archive with schema objects: the statement that drops `object` (a
  // "schema", "collation", "type", "domain", "sequence", "function", "procedure", "aggregate", "view",
  // "materialized view" or "table" entry; a table's name as its display_name()) if it exists,
  // never with its dependents (no CASCADE); empty for kinds dropped with what they belong to
  // (indexes, triggers, comments, ...) or kept (extensions). drop_foreign_key_sql drops one of a
  // table's foreign keys if it exists, run first so tables drop in any order.
  virtual std::string clean_object_sql(const SchemaObject& object) const {
    (void)object;
    return {};
  }
  virtual std::string drop_foreign_key_sql(const Table& table, const ForeignKey& key) const {
    (void)table;
    (void)key;
    return {};
  }
  // Whether -CLEAN drops the archive's objects and tables with clean_object_sql() (every kind of
  // the engine's archives, tables included) after drop_foreign_key_sql() (bru/commands/
  // restore_clean.h), instead of drop_table_sql() per table only. Default: where the engine can
  // tell dependents (clean_dependents_sql()).
  virtual bool cleans_objects() const { return !clean_dependents_sql().empty(); }
  // A query with seven `?` markers, each a newline-separated list: the archive's relations
  // (tables, views, materialized views, sequences), types (and domains), functions (procedures,
  // aggregates), schemas and collations; then what the archive recreates on its tables, as parts
  // "kind\x01table\x01part" (table, constraint, index, "owned sequence" with its column, "unnamed
  // keys" where the target names a table's keys itself) and as "kind name" entries (index,
  // trigger, rule, policy, sequence). It returns, one row each, every object of the target
  // outside the archive that depends on one of them, or that dropping them would take along (an
  // index, trigger, rule, policy, constraint, owned sequence or partition of an archive table
  // that the archive does not recreate): (dependent, what it depends on). Empty where the engine
  // has none.
  virtual std::string clean_dependents_sql() const { return {}; }
  // A restore written as a script (-RESTORE -SQL, bru/commands/restore_sql.h) instead of bound
  // parameters: one value of a row as a literal of this engine, converted to the column's type
  // as insert_sql() converts a bound value. The value is NULL, an integer (bool 0/1 and the
  // integer kinds), a double (the float kinds), or the canonical text or the bytes of every
  // other kind (schema/types.h). Throws Error(kTypeMapping) naming the column for a value no
  // literal of the engine holds (NaN where the engine has none, a value beyond the engine's
  // literal limit). The default: numbers as they are (doubles with 17 digits), binary kinds as
  // SqlForms::binary_literal, everything else a quoted literal with SqlForms::text_literal_prefix.
  using LiteralValue = std::variant<std::monostate, std::int64_t, double, std::string_view>;
  virtual std::string literal_sql(const Table& table, const Column& column,
                                  const LiteralValue& value) const;
  // One INSERT of rows of literals (each "a, b", one literal per column in catalog order) into
  // all columns: a VALUES list or SELECT ... FROM dual UNION ALL, as SqlForms::rows_insert says.
  virtual std::string insert_literals_sql(const Table& table,
                                          const std::vector<std::string>& rows) const;
  // One DDL statement of a script as the engine's own client reads it: sql and ";\n" by default.
  virtual std::string script_statement(std::string_view sql) const {
    return std::string(sql) + ";\n";
  }
  // Statements a script starts with, before its transaction: session_setup_sql() by default.
  virtual std::vector<std::string> script_setup_sql() const { return session_setup_sql(); }

  // Whether DDL is transactional, so a whole restore can be one transaction.
  virtual bool transactional_ddl() const = 0;

  // The engine's forms of generic SQL (schema/sql_forms.h); the defaults are PostgreSQL's and
  // SQLite's. Every engine has them, including those bru only updates.
  virtual const SqlForms& sql_forms() const;
  // How the engine scopes and compares names (schema/name_rules.h); the default is PostgreSQL's.
  virtual NameRules name_rules() const { return {}; }
  // The rules of the server a restore is connected to, where its settings change them (MariaDB's
  // lower_case_table_names); name_rules() otherwise.
  virtual NameRules server_name_rules(SqlRunner& /*server*/) const { return name_rules(); }
  // Whether a foreign key's integer columns must have the very type of the key they reference
  // (InnoDB: error 1825; SQL Server: 1778); PostgreSQL, SQLite and Oracle take an int column
  // referencing a bigint key.
  virtual bool foreign_key_types_must_match() const { return false; }
};

// make_dialect(name), the one way to get a Dialect, is in schema/dialect_names.h; the engines are
// listed in schema/engines/registry.h.

}  // namespace bru::schema

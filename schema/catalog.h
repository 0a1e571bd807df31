// The portable catalog model: what a backup records about each table and what a restore
// recreates, engine-independent. Dialects read it from a live database and print it back as DDL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "schema/types.h"

namespace bru::schema {

struct Column {
  std::string name;
  PortableType type;
  std::string native_type;                 // as the source engine spells it: "numeric(10,2)"
  bool nullable = true;
  std::optional<std::string> default_sql;  // native default expression; identity defaults omitted
  bool identity = false;                   // serial/identity/autoincrement: the engine makes keys
  // How the source engine makes the keys of an identity column, for same-engine restores:
  // postgres "always" / "by default" (GENERATED ... AS IDENTITY) or "serial"; sqlite "rowid"
  // (INTEGER PRIMARY KEY) or "autoincrement"; postgres "sequence": the single-column primary key's
  // nextval() default on a sequence that no column owns and no other default uses, which another
  // engine makes its own identity (pg_dump's standalone sequences). Empty when identity is false.
  std::string identity_kind;
  // identity_kind "sequence": the sequence, as the archive's sequence entries name it
  // (schema.name, quoted where PostgreSQL needs it).
  std::string identity_sequence;
};

struct Index {
  std::string name;
  std::vector<std::string> columns;  // key columns in key order (expression keys are left out)
  bool unique = false;
  // The source engine's own CREATE INDEX statement, used verbatim by same-engine restores.
  std::string definition_sql;
  // False when the index uses what columns + unique cannot say (expression keys, a WHERE
  // predicate, INCLUDE columns, descending keys, a non-default method or operator class): a
  // cross-engine restore then refuses it (kTypeMapping) instead of creating a different index.
  bool portable = true;
};

struct UniqueConstraint {
  std::string name;
  std::vector<std::string> columns;
  // PostgreSQL 15's UNIQUE NULLS NOT DISTINCT: at most one row with NULL in the key. Other
  // engines get a plain unique constraint (and the backup a warning).
  bool nulls_not_distinct = false;
};

struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_schema;  // empty where the engine has no schemas (SQLite)
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete;   // "NO ACTION", "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT"
  std::string on_update;
  // The source engine's own definition ("FOREIGN KEY (a) REFERENCES s.t(b) DEFERRABLE ..."), as
  // after ADD CONSTRAINT <name>, used by same-engine restores; empty where not read.
  std::string definition_sql;
};

// A constraint the portable model does not carry (PostgreSQL CHECK and EXCLUDE), as the source
// engine defines it: restored only into the same dialect.
struct NativeConstraint {
  std::string name;
  std::string definition_sql;  // "CHECK ((price > (0)::numeric))", as after ADD CONSTRAINT <name>
};

struct Table {
  std::string schema;  // empty where the engine has no schemas (SQLite)
  std::string name;
  // The dialect the native strings (Column::native_type, default_sql, Index::definition_sql,
  // native_sql) are written in: a restore into the same dialect uses them, any other maps
  // through the portable types.
  std::string dialect;
  // The source engine's own CREATE TABLE statement where it keeps one (SQLite: sqlite_master),
  // used verbatim by same-engine restores; empty where the DDL is generated from this model.
  std::string native_sql;
  // PostgreSQL partitioned table (relkind 'p'): it holds no rows; its partitions are tables of
  // their own. Into another engine it and its partitions arrive as plain tables
  // (-SKIP-UNPORTABLE names the partitioning left out).
  bool partitioned = false;
  std::vector<Column> columns;
  std::string primary_key_name;          // may be empty
  std::vector<std::string> primary_key;  // column names, key order; empty = no primary key
  std::vector<UniqueConstraint> uniques;
  std::vector<Index> indexes;            // secondary indexes, not those backing PK/unique
  std::vector<ForeignKey> foreign_keys;
  std::vector<NativeConstraint> native_constraints;
  // The entries of Catalog::objects this table needs before it is created (types, sequences and
  // functions its columns use, the partitioned table it is a partition of), by identity.
  std::vector<std::string> depends;

  // "schema.name", or "name" without a schema: how messages and -TABLES name a table.
  std::string display_name() const;
  // Whether a -TABLES/-EXCLUDE name means this table: display_name() or the bare name, any case.
  bool matches_name(std::string_view table_name) const;
  const Column* find_column(std::string_view column_name) const;
  Column* find_column(std::string_view column_name);
};

// One object of the database other than a table's own columns, keys and indexes (PostgreSQL:
// schemas, extensions, collations, types, sequences, functions, views, triggers, rules, policies,
// statistics, comments, owners, grants; MariaDB: sequences, views, procedures, functions,
// triggers, events), as the
// source engine creates it: restored only into the same engine. One entry of the archive's table
// of contents (formats/FORMAT.md, format 4).
struct SchemaObject {
  // "schema", "extension", "collation", "type", "domain", "sequence", "sequence owner",
  // "sequence value", "function", "procedure", "aggregate", "view", "materialized view",
  // "materialized view data", "column options", "index", "statistics", "trigger", "rule",
  // "policy", "row security", "comment", "owner", "acl", "event" (MariaDB; its procedures,
  // functions, views and triggers take the kinds above); "package", "package body", "type body"
  // (Oracle; its object types take "type"); "table"
  // marks where a table of Catalog::tables comes in the creation order (no statements).
  std::string kind;
  std::string schema;  // empty for objects outside schemas (extensions, schemas themselves)
  std::string name;    // as the engine identifies it: "shop.price_with_tax(numeric,numeric)"
  std::string section;  // "pre-data", "data" (after the rows are loaded) or "post-data"
  std::vector<std::string> depends;     // identity() of the entries it needs first
  std::vector<std::string> statements;  // native DDL, one statement each
  std::vector<std::string> roles;       // roles the statements name (owners, grantees)

  // kind + " " + name: unique within a catalog, what depends lists.
  std::string identity() const { return kind + " " + name; }
  bool operator==(const SchemaObject&) const = default;
};

// Whether kind is one of SchemaObject::kind's kinds (other than "table").
bool is_object_kind(std::string_view kind);
// The kinds of archive format 7: Oracle's "package", "package body" and "type body".
bool is_oracle_unit_kind(std::string_view kind);

nlohmann::json to_json(const SchemaObject& object);
SchemaObject object_from_json(const nlohmann::json& json);  // throws bru::Error(kArchiveCorrupt)

// Which tables a catalog read returns. Empty lists mean "all"; names match display_name() or the
// bare table name, case-insensitively.
struct CatalogFilter {
  std::vector<std::string> schemas;
  std::vector<std::string> include_tables;
  std::vector<std::string> exclude_tables;
};

// Something the catalog could not model exactly, for the user to read. The code is stable (the
// README's "Output for machines" lists every one; --log-format=json prints it); the message is
// one sentence naming the object.
struct CatalogWarning {
  std::string code;     // "generated-column-skipped", "constraint-same-engine-only", ...
  std::string message;  // "generated column \"total\" of table \"orders\" is not backed up: ..."
  bool operator==(const CatalogWarning&) const = default;
};

struct Catalog {
  std::string dialect;         // "postgres", "sqlite", ...
  std::string server_version;  // as the server reports it
  std::string database;        // database (catalog) name or file
  std::vector<Table> tables;   // ordered so that every FK target precedes its referrer where
                               // possible (cycles keep catalog order; FKs are added post-data)
  // What the catalog could not model exactly (partitioning flattened, generated columns, a
  // column backed up as text, ...).
  std::vector<CatalogWarning> warnings;
  // Every other object, in an order that creates each after what it depends on (pg_depend on
  // PostgreSQL), with "table" entries placing the tables; empty where the dialect reads none.
  std::vector<SchemaObject> objects;
};

// JSON form stored in the archive's table of contents (bru_objects.definition).
nlohmann::json to_json(const Table& table);
Table table_from_json(const nlohmann::json& json);  // throws bru::Error(kArchiveCorrupt)

// Orders tables so referenced tables come first (stable; cycles broken in input order).
std::vector<Table> order_by_dependencies(std::vector<Table> tables);

}  // namespace bru::schema

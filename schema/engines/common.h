// Helpers shared by the dialects: identifier and literal quoting, name matching for the catalog
// filter, and the translation of column defaults between engines.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/catalog.h"
#include "schema/dialect.h"
#include "schema/sql_runner.h"
#include "schema/text.h"

namespace bru::schema::dialects {

// `"a""b"`: the identifier in double quotes, embedded double quotes doubled.
std::string double_quote(std::string_view identifier);
// The identifier between open and close, each close inside doubled: ("a`b", '`', '`') -> "`a``b`"
// (MariaDB), ("a]b", '[', ']') -> "[a]]b]" (SQL Server).
std::string enclose_identifier(std::string_view identifier, char open, char close);
// `'it''s'`: a standard SQL string literal.
std::string string_literal(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// A multi-row INSERT: `head` ("INSERT INTO t (a, b) VALUES ") followed by `row_count` copies of
// `row` ("(?, ?)"), separated by ", ".
std::string with_value_rows(std::string head, std::string_view row, std::size_t row_count);
// What Dialect::page_sql writes, in an engine's words: the values of `order` (indexes into
// `expressions`, the engine's select_sql() value of each column), the key columns qualified by
// `from`, the table as the page's FROM names it (so they name its columns, not the values of the
// same name: a decimal's text would sort as text), and, after the row whose key had the canonical
// values `after` (empty: from the first), the WHERE of key_after_condition() (below), each value
// written by literal(column, value).
struct KeyPage {
  std::string selected;  // "[a], CONVERT(...) AS [b]"
  std::string where;     // " WHERE ..." or ""
  std::string order_by;  // "[t].[a], [t].[b]"
};
KeyPage key_page(const Dialect& dialect, const Table& table, std::string_view from,
                 const std::vector<std::string>& expressions, const std::vector<std::size_t>& key,
                 const std::vector<std::size_t>& order, const std::vector<std::string>& after,
                 const std::function<std::string(const Column&, std::string_view)>& literal);
// "SELECT <expressions> FROM <table>": select_sql() of an engine from its values of each column.
std::string select_list_sql(const Dialect& dialect, const Table& table,
                            const std::vector<std::string>& expressions);
// Whether a key column of the kind can be paged along by its canonical text written as a literal
// (integers, bool, decimals, char, varchar, bounded binary, dates, times, uuid; not floats,
// unbounded text or binary, json or xml); an engine may exclude more (follows, below).
bool pages_by_literal(TypeKind kind);
// Dialect::page_key for an engine: the columns (indexes into table.columns) of the primary key,
// else of the first unique constraint, else (unique_indexes) of the first portable unique index,
// whose columns are all NOT NULL and follow(column); empty when there is none.
std::vector<std::size_t> first_page_key(const Table& table,
                                        const std::function<bool(const Column&)>& follows,
                                        bool unique_indexes);
// The rows after the key values `literals` in key order, in the expanded form that seeks with
// every engine's index (a row value (a, b) > (x, y) does not everywhere):
// "a >= x AND ((a > x) OR (a = x AND b > y))".
std::string key_after_condition(const std::vector<std::string>& key_columns,
                                const std::vector<std::string>& literals);
// One value of a select list: `expression AS quoted`, or `quoted` alone when expression is empty
// (the column as it is).
std::string aliased(const std::string& expression, const std::string& quoted);
// One row of a catalog query of key columns, in key order: `column` joins the table's primary key
// (kind "P"), its unique constraint `name` ("U") or its foreign key `name` ("R"; a new key starts
// as `new_key`, columns empty, and `ref_column` joins its referenced columns).
void add_key_column(Table& table, std::string_view kind, const std::string& name,
                    const std::string& column, const ForeignKey& new_key,
                    const std::string& ref_column);
// Moves into `out` the warnings, by table name, of the tables a filter kept.
void keep_warnings_of(const std::vector<Table>& tables,
                      std::vector<std::pair<std::string, CatalogWarning>>& warnings,
                      std::vector<CatalogWarning>& out);
// `"a", "b"`: the names quoted by the dialect, comma-separated.
std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names);

PortableType type_of_kind(TypeKind kind);
// The kind with a length (char, varchar, binary) or a scale (time, timestamp, timestamptz), as a
// catalog gives it.
PortableType sized_type(TypeKind kind, long long length);
PortableType scaled_type(TypeKind kind, long long scale);
// "00ff..": the bytes in lower-case hex digits.
std::string hex_digits(std::string_view bytes);
bool is_integer_kind(TypeKind kind);

// A catalog query's value: the text, or "" for NULL and missing columns.
const std::string& text_at(const Row& row, std::size_t column_idx);
// A catalog query's integer value; 0 for NULL.
long long integer_at(const Row& row, std::size_t column_idx);

// Throws bru::Error(kTypeMapping): the index is not portable (Index::portable) and the restore
// goes into another dialect than the one that wrote its definition.
[[noreturn]] void refuse_index(const Table& table, const Index& index,
                               std::string_view target_dialect);

// Throws bru::Error(kTypeMapping): `engine` ("SQLite") has no type for a kind this bru does not
// know (an archive from a newer bru).
[[noreturn]] void refuse_unknown_kind(std::string_view engine, const PortableType& type);

// `CREATE [UNIQUE] INDEX <name> ON <table> (<columns>)` from the portable model; an index without
// a name gets <table>_<columns>_idx. Throws as refuse_index for a non-portable index.
std::string portable_index_sql(const Dialect& dialect, const Table& table, const Index& index);

// `FOREIGN KEY (<columns>) REFERENCES <table> (<columns>)` with ON DELETE / ON UPDATE unless
// NO ACTION, the referenced table unqualified (engines without schemas). Checks the actions
// (check_referential_actions).
std::string foreign_key_clause(const Dialect& dialect, const Table& table, const ForeignKey& fk);

// Applies filter.include_tables / exclude_tables (schemas are the dialect's business) to tables
// read from a database, keeping their order. Names match Table::display_name() or the bare name,
// case-insensitively. Throws bru::Error(kNotFound) for an included name that matches no table,
// suggesting the closest table name when one is close.
std::vector<Table> apply_table_filter(std::vector<Table> tables, const CatalogFilter& filter,
                                      std::string_view database);

// Drops the foreign keys that reference a table outside `tables` (left out by a filter, or in a
// schema that was not read), each with a warning, so a restore never adds a foreign key to a
// table it did not create.
// Code "foreign-key-outside-selection".
void drop_foreign_keys_outside(std::vector<Table>& tables, std::vector<CatalogWarning>& warnings);

// Throws bru::Error(kNotFound) naming the first of wanted that is not in existing (any case).
void require_schemas_exist(const std::vector<std::string>& wanted,
                           const std::vector<std::string>& existing, std::string_view database);

// A column default that means the same on every engine.
struct PortableDefault {
  enum class Kind { kNull, kNumber, kString, kBool, kCurrentTimestamp, kCurrentDate, kCurrentTime };
  Kind kind = Kind::kNull;
  std::string text;    // kNumber: the number as written; kString: the string's value (unquoted)
  bool truth = false;  // kBool
};

// Recognises the defaults that have a portable meaning: NULL, numbers, string literals (with a
// PostgreSQL `::type` cast, or SQL Server's N prefix), TRUE/FALSE, and the current date/time
// functions of PostgreSQL, SQLite and SQL Server (GETDATE(), SYSDATETIME()), each possibly in
// parentheses (SQL Server stores "((0))"). nullopt for anything else (function calls, expressions).
std::optional<PortableDefault> parse_default(std::string_view default_sql);
// The default in standard SQL, booleans spelled as the engine wants them ("true"/"false",
// "1"/"0"); numbers as written.
std::string render_default(const PortableDefault& value, std::string_view true_text,
                           std::string_view false_text);

// The default of a column restored from another dialect: nullopt when the column has none.
// Throws bru::Error(kTypeMapping) naming table, column and the default when it has no portable
// meaning (parse_default() fails) — a cross-engine restore never drops a default silently.
std::optional<PortableDefault> portable_default_of(const Table& table, const Column& column,
                                                   std::string_view target_dialect);

}  // namespace bru::schema::dialects

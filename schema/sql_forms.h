// The forms of generic SQL that differ between engines, as plain data: how to keep the first n
// rows, whether a row-value comparison seeks an index, how to insert several rows in one
// statement, how text literals and bru's own column types are written, and what inserting
// explicit values into an identity column takes. bru -MIGRATE writes every statement with them
// (bru/migrate/migrate_sql.h). Each engine fills them in beside its Dialect
// (schema/engines/<engine>/<engine>.cpp) and says why; Dialect::sql_forms() gives them.
//
// Templates name their parts in braces: {select}, {rows}, {table}, {column}.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace bru::schema {

enum class RowsInsert {
  kValues,           // INSERT INTO t (c) VALUES (...), (...)
  kUnionAllFromDual  // INSERT INTO t (c) SELECT ... FROM dual UNION ALL SELECT ... FROM dual
};

struct SqlForms {
  // Keeping the first {rows} rows of an ordered {select} (its columns named c0, c1, ...), and
  // what goes right after SELECT for it (SQL Server's TOP).
  std::string_view first_rows = "{select} LIMIT {rows}";
  std::string_view top_rows;
  // (a, b) > (x, y) walks the key's index from that point; false: the engine does not take it, or
  // scans for it, and gets the expanded a > x OR (a = x AND b > y), led by a range on a.
  bool row_value_seek = true;
  RowsInsert rows_insert = RowsInsert::kValues;
  // Put before a text literal's quote (SQL Server: N, so text beyond the code page survives).
  std::string_view text_literal_prefix;
  // A binary value as a literal, from its {hex} digits.
  std::string_view binary_literal = "X'{hex}'";
  // The longest text literal the engine takes, in bytes; 0: no limit bru knows of.
  std::size_t max_literal_bytes = 0;
  // The longest text and binary value, in bytes, a multi-row INSERT (rows_insert) may bind; a row
  // holding a longer one is inserted by a one-row INSERT ... VALUES of its own. 0: no limit.
  std::size_t max_batched_text_bind_bytes = 0;
  std::size_t max_batched_binary_bind_bytes = 0;
  // Where an empty string is NULL (Oracle: '' and an empty RAW are NULL), so an empty value of
  // a NOT NULL column cannot be written and a nullable one reads back as NULL.
  bool empty_string_is_null = false;
  // How a script (-RESTORE -SQL) begins and ends its transaction, where DDL is transactional
  // (Dialect::transactional_ddl(); elsewhere the script has none).
  std::string_view begin_transaction = "BEGIN";
  std::string_view commit_transaction = "COMMIT";
  // A query whose one value is the session's SQL mode, where a backslash in a text literal is an
  // escape unless the mode says NO_BACKSLASH_ESCAPES (MariaDB); empty: backslashes are plain.
  std::string_view sql_mode_query;
  // A query whose one value is 1 when bru's own table {table} exists in the current schema, else 0.
  std::string_view table_exists_query;
  // Column types of bru's own tables.
  std::string_view bigint_type = "BIGINT";
  std::string_view varchar_type = "VARCHAR";  // followed by (n)
  // Statements run on each connection -MIGRATE opens, right after connecting, so that the text
  // form of dates and numbers it reads and writes is the ISO one whatever the server's defaults.
  std::vector<std::string_view> session_setup;
  // Identity columns: a query naming those of {table} (empty: the engine takes explicit values
  // and moves its generator past them by itself); statements around inserts that give them
  // explicit values (empty: none needed); and a statement or SELECT run per identity column after
  // the last insert, moving its generator past the keys inserted (empty: none needed).
  std::string_view identity_columns_query;
  std::string_view explicit_identity_on, explicit_identity_off;
  std::string_view identity_past_keys;
};

}  // namespace bru::schema

#include "bru/data/table_writer.h"

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "bru/data/value_check.h"
#include "bru/interrupt.h"
#include "schema/error.h"

namespace bru::data {
namespace {

using schema::Storage;
using schema::TypeKind;

// Rows per INSERT: measured on psqlODBC, ~1000-row statements are near the best rate, and the
// dialect bounds the parameter count per statement.
constexpr std::size_t kMaxRowsPerStatement = 1000;
// Tail statements cached per table (batches end in varying tail sizes).
constexpr std::size_t kMaxCachedStatements = 8;

// SQLSTATE classes where the value, not the statement, is wrong.
bool is_data_error(const std::string& sqlstate) {
  return sqlstate.rfind("22", 0) == 0;  // data exception: overflow, truncation, bad datetime
}

// Binds the integers to the statement's first markers and the piece to the next one, runs it
// and discards any result (a SELECT of a function).
void run_with_piece(odbc::Statement& statement, std::vector<std::int64_t>& integers,
                    std::string_view piece, const schema::Table& table) {
  const SQLHSTMT handle = statement.native();
  std::vector<SQLLEN> indicators(integers.size() + 1, 0);
  SQLUSMALLINT param_number = 0;
  for (std::size_t idx = 0; idx < integers.size(); ++idx) {
    odbc::check(odbc::calls().SQLBindParameter(handle, ++param_number, SQL_PARAM_INPUT,
                                               SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &integers[idx], 0,
                                               &indicators[idx]),
                SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot bind a piece's position");
  }
  indicators.back() = static_cast<SQLLEN>(piece.size());
  odbc::check(odbc::calls().SQLBindParameter(
                  handle, ++param_number, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_VARBINARY,
                  std::max<SQLULEN>(piece.size(), 1), 0,
                  const_cast<char*>(piece.empty() ? "" : piece.data()),
                  static_cast<SQLLEN>(piece.size()), &indicators.back()),
              SQL_HANDLE_STMT, handle, ErrorKind::kDatabase,
              fmt::format("cannot bind a piece of a long value of table \"{}\"",
                          table.display_name()));
  statement.execute();
  statement.close_cursor();
}

// Whether the row holds a value longer than a multi-row INSERT binds (see insert_runs()).
bool binds_alone(const archive::Batch& batch, const schema::Table& table,
                 const schema::SqlForms& forms, std::size_t row) {
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto& column = batch.column(column_idx);
    if (column.storage() != Storage::kBytes || column.is_null(row)) continue;
    const auto kind = table.columns[column_idx].type.kind;
    const bool binary = kind == TypeKind::kBinary || kind == TypeKind::kBlob;
    const std::size_t limit =
        binary ? forms.max_batched_binary_bind_bytes : forms.max_batched_text_bind_bytes;
    if (limit != 0 && column.bytes_at(row).size() > limit) return true;
  }
  return false;
}

// Rows [first_row, first_row + row_count) as runs of at most rows_per_statement rows.
void append_runs(std::vector<InsertRun>& runs, std::size_t first_row, std::size_t row_count,
                 std::size_t rows_per_statement) {
  for (std::size_t offset = 0; offset < row_count; offset += rows_per_statement) {
    runs.push_back({first_row + offset, std::min(rows_per_statement, row_count - offset)});
  }
}

}  // namespace

std::vector<InsertRun> insert_runs(const archive::Batch& batch, const schema::Table& table,
                                   const schema::SqlForms& forms, std::size_t rows_per_statement) {
  std::vector<InsertRun> runs;
  const std::size_t total = batch.row_count();
  const bool limited =
      forms.max_batched_text_bind_bytes != 0 || forms.max_batched_binary_bind_bytes != 0;
  std::size_t first_row = 0;
  for (std::size_t row = 0; limited && row < total; ++row) {
    if (!binds_alone(batch, table, forms, row)) continue;
    append_runs(runs, first_row, row - first_row, rows_per_statement);
    runs.push_back({row, 1});
    first_row = row + 1;
  }
  append_runs(runs, first_row, total - first_row, rows_per_statement);
  return runs;
}

TableWriter::TableWriter(odbc::Connection& connection, const schema::Dialect& dialect,
                         const schema::Table& table)
    : connection_(connection), dialect_(dialect), table_(table),
      long_sql_(dialect.long_value_sql()) {
  if (dialect.sql_forms().empty_string_is_null) empty_strings_.emplace();
  const std::size_t columns = std::max<std::size_t>(table.columns.size(), 1);
  rows_per_statement_ =
      std::clamp<std::size_t>(dialect.max_parameters() / columns, 1, kMaxRowsPerStatement);
  if (const auto sql = dialect.value_limit_sql(); !sql.empty()) {
    odbc::ConnectionRunner runner(connection_);
    const auto rows = runner.query(sql);
    if (!rows.empty() && !rows[0].empty() && rows[0][0]) {
      const auto& limit = *rows[0][0];
      std::from_chars(limit.data(), limit.data() + limit.size(), max_value_bytes_);
    }
  }
}

odbc::Statement& TableWriter::prepared_for(std::size_t row_count) {
  if (auto found = statements_.find(row_count); found != statements_.end()) return *found->second;
  if (statements_.size() >= kMaxCachedStatements) {
    // Keep the full-size statement; drop the tails.
    for (auto it = statements_.begin(); it != statements_.end();) {
      it = it->first == rows_per_statement_ ? std::next(it) : statements_.erase(it);
    }
  }
  auto statement = std::make_unique<odbc::Statement>(connection_.statement());
  statement->prepare(dialect_.insert_sql(table_, row_count));
  return *statements_.emplace(row_count, std::move(statement)).first->second;
}

void TableWriter::write(const archive::Batch& batch) {
  if (long_statement_ != nullptr) {
    throw internal_error("insert: a row before the pieces of the long row before it");
  }
  if (assembling_ || assembled_remaining_ > 0 || in_place_remaining_ > 0) {
    throw internal_error("insert: a row before the pieces of the long row before it");
  }
  if (empty_strings_) empty_strings_->batch(batch);
  write_rows(batch);
}

void TableWriter::write_rows(const archive::Batch& batch) {
  check_value_lengths(table_, batch, rows_written_ + 1, max_value_bytes_,
                      dialect_.value_limit_name());
  if (batch.has_long()) {
    begin_long_row(batch);
    return;
  }
  check_values_fit(table_, batch, rows_written_ + 1, dialect_.name());
  for (const auto& run : insert_runs(batch, table_, dialect_.sql_forms(), rows_per_statement_)) {
    throw_if_interrupted();
    bind_and_execute(prepared_for(run.row_count), batch, run.first_row, run.row_count);
    rows_written_ += static_cast<std::int64_t>(run.row_count);
  }
}

void TableWriter::begin_long_row(const archive::Batch& batch) {
  check_values_fit(table_, batch, rows_written_ + 1, dialect_.name());
  if (long_sql_) {
    begin_assembled_row(batch);
    return;
  }
  if (begin_in_place_row(batch)) return;
  if (binds_long_text_whole(batch)) {
    // sqliteodbc ends a data-at-execution text at its first NUL, and SQLite TEXT may hold NUL
    // bytes: such a row is bound whole, as a row of short values is (the driver holds the value
    // whole either way).
    std::vector<schema::Storage> storages;
    for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
      storages.push_back(batch.column(column_idx).storage());
    }
    assembling_ = archive::Batch(storages);
    assembling_remaining_ = 0;
    for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
      const auto& column = batch.column(column_idx);
      if (column.is_long(0)) {
        assembling_->column(column_idx).begin_bytes();
        assembling_remaining_ += column.long_length(0);
      } else {
        assembling_->column(column_idx).append_from(column, 0);
      }
    }
    return;
  }
  // The bound values point into the batch: keep a copy (its long values hold no bytes).
  long_row_ = batch;
  long_statement_ = &prepared_for(1);
  // MariaDB Connector/ODBC 3.1 kept the values of the markers after a data-at-execution one
  // from the long row before (freed memory) though each was bound again: unbind them first.
  long_statement_->reset_params();
  bind_and_execute(*long_statement_, *long_row_, 0, 1);
}

void TableWriter::bind_value(SQLHSTMT handle, SQLUSMALLINT param_number,
                             const archive::Batch& batch, std::size_t column_idx, std::size_t row,
                             SQLLEN& indicator) {
  const auto& column = batch.column(column_idx);
  const auto kind = table_.columns[column_idx].type.kind;
  indicator = 0;
  SQLSMALLINT c_type = SQL_C_CHAR;
  SQLSMALLINT sql_type = SQL_VARCHAR;
  SQLULEN column_size = 0;
  SQLPOINTER value = nullptr;
  SQLLEN buffer_length = 0;
  switch (column.storage()) {
    case Storage::kInt64:
      c_type = SQL_C_SBIGINT;
      sql_type = SQL_BIGINT;
      value = const_cast<std::int64_t*>(column.ints().data() + row);
      break;
    case Storage::kFloat64:
      c_type = SQL_C_DOUBLE;
      sql_type = SQL_DOUBLE;
      column_size = 15;
      value = const_cast<double*>(column.doubles().data() + row);
      break;
    case Storage::kBytes: {
      const auto bytes = column.bytes_at(row);
      const bool binary = kind == TypeKind::kBinary || kind == TypeKind::kBlob;
      c_type = binary ? SQL_C_BINARY : SQL_C_CHAR;
      sql_type = binary ? SQL_VARBINARY : SQL_VARCHAR;
      column_size = std::max<SQLULEN>(bytes.size(), 1);
      // An empty value still needs a valid pointer; ODBC reads nothing through it.
      value = const_cast<char*>(bytes.empty() ? "" : bytes.data());
      buffer_length = static_cast<SQLLEN>(bytes.size());
      indicator = static_cast<SQLLEN>(bytes.size());
      break;
    }
  }
  if (column.is_long(row)) {
    // The token SQLParamData hands back is the column's position + 1.
    value = reinterpret_cast<SQLPOINTER>(static_cast<std::uintptr_t>(column_idx + 1));
    column_size = static_cast<SQLULEN>(column.long_length(row));
    buffer_length = 0;
    indicator = SQL_LEN_DATA_AT_EXEC(static_cast<SQLLEN>(column.long_length(row)));
  }
  if (column.is_null(row)) indicator = SQL_NULL_DATA;
  const SQLRETURN rc =
      odbc::calls().SQLBindParameter(handle, param_number, SQL_PARAM_INPUT, c_type, sql_type,
                                     column_size, 0, value, buffer_length, &indicator);
  if (!SQL_SUCCEEDED(rc)) {
    // The message is only built on failure: this runs once per value.
    odbc::check(rc, SQL_HANDLE_STMT, handle, ErrorKind::kDatabase,
                fmt::format("cannot bind a value of table \"{}\"", table_.display_name()));
  }
}

void TableWriter::bind_and_execute(odbc::Statement& statement, const archive::Batch& batch,
                                   std::size_t first_row, std::size_t row_count) {
  const std::size_t column_count = table_.columns.size();
  const SQLHSTMT handle = statement.native();
  // Every marker of this prepared statement is bound again below, so the previous bindings need
  // no reset (a reset makes psqlODBC grow its parameter array again one value at a time).
  indicators_.assign(row_count * column_count, 0);
  for (std::size_t row_offset = 0; row_offset < row_count; ++row_offset) {
    const std::size_t row = first_row + row_offset;
    for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
      const std::size_t param_idx = row_offset * column_count + column_idx;
      bind_value(handle, static_cast<SQLUSMALLINT>(param_idx + 1), batch, column_idx, row,
                 indicators_[param_idx]);
    }
  }
  if (batch.has_long()) {
    const SQLRETURN rc = odbc::calls().SQLExecute(handle);
    if (rc != SQL_NEED_DATA) {
      try {
        odbc::check(rc, SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot run the INSERT");
      } catch (Error& error) {
        fail_insert(error, 1);
      }
      throw internal_error("insert: a row with long values ran without asking for them");
    }
    next_long_value();
    return;
  }
  try {
    statement.execute();
  } catch (Error& error) {
    fail_insert(error, row_count);
  }
}

void TableWriter::next_long_value() {
  const SQLHSTMT handle = long_statement_->native();
  SQLPOINTER token = nullptr;
  const SQLRETURN rc = odbc::calls().SQLParamData(handle, &token);
  if (rc == SQL_NEED_DATA) {
    long_column_ = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(token)) - 1;
    if (long_column_ >= long_row_->column_count() || !long_row_->column(long_column_).is_long(0)) {
      throw internal_error("insert: the driver asked for a parameter that is no long value");
    }
    long_remaining_ = long_row_->column(long_column_).long_length(0);
    return;
  }
  // The INSERT ran with the last piece.
  try {
    odbc::check(rc, SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot run the INSERT");
  } catch (Error& error) {
    long_statement_ = nullptr;
    fail_insert(error, 1);
  }
  long_statement_ = nullptr;
  long_row_.reset();
  ++rows_written_;
}

bool TableWriter::binds_long_text_whole(const archive::Batch& batch) const {
  if (!dialect_.reads_text_as_bytes()) return false;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto kind = table_.columns[column_idx].type.kind;
    const bool binary = kind == TypeKind::kBinary || kind == TypeKind::kBlob;
    if (batch.column(column_idx).is_long(0) && !binary) return true;
  }
  return false;
}

void TableWriter::begin_assembled_row(const archive::Batch& batch) {
  if (!pieces_statement_) {
    connection_.execute(long_sql_->create_pieces);
    pieces_statement_ = std::make_unique<odbc::Statement>(connection_.statement());
    pieces_statement_->prepare(long_sql_->insert_piece);
  }
  long_row_ = batch;
  assembled_remaining_ = 0;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    if (batch.column(column_idx).is_long(0)) {
      assembled_remaining_ += batch.column(column_idx).long_length(0);
    }
  }
  piece_number_ = 0;
}

void TableWriter::store_piece(std::size_t column_idx, std::string_view piece) {
  std::vector<std::int64_t> position = {static_cast<std::int64_t>(column_idx), ++piece_number_};
  try {
    run_with_piece(*pieces_statement_, position, piece, table_);
  } catch (Error& error) {
    assembled_remaining_ = 0;
    fail_insert(error, 1);
  }
  assembled_remaining_ -= piece.size();
  if (assembled_remaining_ > 0) return;

  // Every piece is in: the row, its long values assembled by the server.
  std::vector<std::size_t> long_columns;
  for (std::size_t idx = 0; idx < long_row_->column_count(); ++idx) {
    if (long_row_->column(idx).is_long(0)) long_columns.push_back(idx);
  }
  odbc::Statement insert = connection_.statement();
  insert.prepare(dialect_.assembled_insert_sql(table_, long_columns));
  indicators_.assign(long_row_->column_count(), 0);
  SQLUSMALLINT param_number = 0;
  for (std::size_t idx = 0; idx < long_row_->column_count(); ++idx) {
    if (long_row_->column(idx).is_long(0)) continue;
    bind_value(insert.native(), ++param_number, *long_row_, idx, 0, indicators_[idx]);
  }
  try {
    insert.execute();
  } catch (Error& error) {
    fail_insert(error, 1);
  }
  connection_.execute(long_sql_->clear_pieces);
  long_row_.reset();
  ++rows_written_;
}

bool TableWriter::begin_in_place_row(const archive::Batch& batch) {
  if (in_place_refused_) return false;
  // Every long value goes in place, and every BLOB after the first of them: the row's last
  // values, if they are such BLOBs and NULLs only, go in as zeros that cost nothing.
  auto binary = [&](std::size_t column_idx) {
    const auto kind = table_.columns[column_idx].type.kind;
    return kind == TypeKind::kBinary || kind == TypeKind::kBlob;
  };
  std::vector<std::size_t> in_place;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto& column = batch.column(column_idx);
    if (column.is_null(0)) continue;
    if (column.is_long(0) || (!in_place.empty() && binary(column_idx))) {
      in_place.push_back(column_idx);
    }
  }
  std::size_t at_end = in_place.size();
  for (std::size_t column_idx = batch.column_count(); column_idx-- > 0;) {
    if (batch.column(column_idx).is_null(0)) continue;
    if (at_end == 0 || in_place[at_end - 1] != column_idx || !binary(column_idx)) break;
    --at_end;
  }
  auto sql = dialect_.in_place_sql(table_, in_place, at_end);
  if (!sql) return false;
  if (!in_place_probed_) {
    // Asked before any row goes in this way: a failed INSERT may have rolled the whole
    // transaction back (SQLite does on a full disk), so it cannot be the test.
    in_place_probed_ = true;
    try {
      connection_.execute(sql->probe);
    } catch (const Error&) {
      in_place_refused_ = true;
      return false;
    }
  }

  odbc::Statement insert = connection_.statement();
  insert.prepare(sql->insert);
  indicators_.assign(batch.column_count(), 0);
  std::vector<std::int64_t> lengths(batch.column_count(), 0);
  SQLUSMALLINT param_number = 0;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    const auto& column = batch.column(column_idx);
    if (std::find(in_place.begin(), in_place.end(), column_idx) == in_place.end()) {
      bind_value(insert.native(), ++param_number, batch, column_idx, 0, indicators_[column_idx]);
      continue;
    }
    lengths[column_idx] = static_cast<std::int64_t>(
        column.is_long(0) ? column.long_length(0) : column.bytes_at(0).size());
    odbc::check(odbc::calls().SQLBindParameter(insert.native(), ++param_number, SQL_PARAM_INPUT,
                                               SQL_C_SBIGINT, SQL_BIGINT, 0, 0,
                                               &lengths[column_idx], 0, &indicators_[column_idx]),
                SQL_HANDLE_STMT, insert.native(), ErrorKind::kDatabase,
                fmt::format("cannot bind a value of table \"{}\"", table_.display_name()));
  }
  try {
    insert.execute();
  } catch (Error& error) {
    fail_insert(error, 1);
  }

  in_place_statements_.clear();
  in_place_statements_.resize(batch.column_count());
  try {
    // Opening each value for writing (an empty piece) fails where SQLite cannot write it in
    // place: an indexed column, a key. The row then goes in whole, as every later one.
    for (const std::size_t column_idx : in_place) {
      in_place_statements_[column_idx] = std::make_unique<odbc::Statement>(connection_.statement());
      in_place_statements_[column_idx]->prepare(sql->write_piece[column_idx]);
      write_in_place(column_idx, 0, "");
    }
  } catch (const Error&) {
    connection_.execute(sql->remove_row);
    in_place_statements_.clear();
    in_place_refused_ = true;
    return false;
  }
  in_place_remaining_ = 0;
  for (const std::size_t column_idx : in_place) {
    const auto& column = batch.column(column_idx);
    if (column.is_long(0)) {
      in_place_remaining_ += column.long_length(0);
    } else {
      write_in_place(column_idx, 0, column.bytes_at(0));
    }
  }
  in_place_column_ = batch.column_count();
  in_place_offset_ = 0;
  long_row_ = batch;
  return true;
}

void TableWriter::write_in_place(std::size_t column_idx, std::int64_t offset,
                                 std::string_view piece) {
  std::vector<std::int64_t> position = {offset};
  run_with_piece(*in_place_statements_[column_idx], position, piece, table_);
}

void TableWriter::write_piece(std::size_t column_idx, std::string_view piece) {
  if (empty_strings_) empty_strings_->piece(column_idx, piece);
  if (in_place_remaining_ > 0) {
    if (piece.size() > in_place_remaining_ || !long_row_->column(column_idx).is_long(0)) {
      throw internal_error(fmt::format("insert into \"{}\": a piece of column {} out of place",
                                       table_.display_name(), column_idx + 1));
    }
    throw_if_interrupted();
    if (column_idx != in_place_column_) {
      in_place_column_ = column_idx;
      in_place_offset_ = 0;
    }
    try {
      write_in_place(column_idx, in_place_offset_, piece);
    } catch (Error& error) {
      in_place_remaining_ = 0;
      fail_insert(error, 1);
    }
    in_place_offset_ += static_cast<std::int64_t>(piece.size());
    in_place_remaining_ -= piece.size();
    if (in_place_remaining_ == 0) {
      long_row_.reset();
      ++rows_written_;
    }
    return;
  }
  if (assembled_remaining_ > 0) {
    if (piece.size() > assembled_remaining_ || !long_row_->column(column_idx).is_long(0)) {
      throw internal_error(fmt::format("insert into \"{}\": a piece of column {} out of place",
                                       table_.display_name(), column_idx + 1));
    }
    throw_if_interrupted();
    store_piece(column_idx, piece);
    return;
  }
  if (assembling_) {
    if (piece.size() > assembling_remaining_) {
      throw internal_error(fmt::format("insert into \"{}\": a piece of column {} out of place",
                                       table_.display_name(), column_idx + 1));
    }
    assembling_->column(column_idx).append_piece(piece);
    assembling_remaining_ -= piece.size();
    if (assembling_remaining_ == 0) {
      archive::Batch row = std::move(*assembling_);
      assembling_.reset();
      write_rows(row);
    }
    return;
  }
  if (long_statement_ == nullptr || column_idx != long_column_ || piece.size() > long_remaining_) {
    throw internal_error(fmt::format("insert into \"{}\": a piece of column {} out of place",
                                     table_.display_name(), column_idx + 1));
  }
  throw_if_interrupted();
  const SQLHSTMT handle = long_statement_->native();
  const SQLRETURN rc = odbc::calls().SQLPutData(
      handle, const_cast<char*>(piece.data()), static_cast<SQLLEN>(piece.size()));
  if (!SQL_SUCCEEDED(rc)) {
    try {
      odbc::check(rc, SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot send a long value");
    } catch (Error& error) {
      long_statement_ = nullptr;
      fail_insert(error, 1);
    }
  }
  long_remaining_ -= piece.size();
  if (long_remaining_ == 0) next_long_value();
}

LoadReport TableWriter::finish() {
  if (long_statement_ != nullptr || assembling_ || assembled_remaining_ > 0 ||
      in_place_remaining_ > 0) {
    throw internal_error("insert: finished before the pieces of its last row");
  }
  if (!empty_strings_) return {rows_written_, "odbc insert", {}, 0};
  return {rows_written_, "odbc insert", empty_strings_->counts(),
          empty_strings_->checksum_change()};
}

void TableWriter::fail_insert(Error& error, std::size_t row_count) {
  const auto first = rows_written_ + 1;
  const auto last = rows_written_ + static_cast<std::int64_t>(row_count);
  Error located(is_data_error(error.sqlstate()) ? ErrorKind::kTypeMapping : error.kind(),
                fmt::format("cannot insert rows {}..{} of table \"{}\": {}", first, last,
                            table_.display_name(), error.message()),
                error.hints());
  located.with_sqlstate(error.sqlstate(), error.native_code());
  if (is_data_error(error.sqlstate())) {
    located.with_hint(fmt::format(
        "a value in those rows does not fit the target's column type ({} target); nothing was "
        "committed",
        dialect_.name()));
  }
  throw located;
}

}  // namespace bru::data

#include "bru/data/table_reader.h"

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include <fmt/format.h>

#include "bru/interrupt.h"
#include "schema/error.h"

namespace bru::data {
namespace {

using schema::Storage;
using schema::TypeKind;

bool is_binary(TypeKind kind) { return kind == TypeKind::kBinary || kind == TypeKind::kBlob; }

// Bound width in bytes of a bytes-stored value, including the terminating NUL for character
// data; 0 when the value must be streamed.
SQLLEN bound_width(const schema::PortableType& type, bool trust_declared_lengths) {
  if (schema::is_unbounded(type)) return 0;
  switch (type.kind) {
    case TypeKind::kChar:
    case TypeKind::kVarchar:
      // Declared lengths count characters; UTF-8 needs up to 4 bytes each.
      return trust_declared_lengths && type.length <= 2000 ? type.length * 4 + 1 : 0;
    case TypeKind::kBinary:
      return trust_declared_lengths && type.length <= 8000 ? type.length : 0;
    case TypeKind::kDecimal:
      // Sign, point, a leading zero and exponent-free digits; unconstrained numerics stream.
      return type.precision > 0 ? type.precision + type.scale + 8 : 0;
    case TypeKind::kDate:
      return 32;
    case TypeKind::kTime:
      return 40;
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz:
      return 64;
    case TypeKind::kUuid:
      return 40;
    default:
      return 0;
  }
}

// Bound width of an unbounded value when the driver can re-read a bound column: most text and
// LOB values are short, so they travel in the bound arrays and only longer ones are read again
// whole with SQLGetData.
constexpr SQLLEN kInlineWidth = 512;
// Rows per fetch when SQLGetData may run inside a block (see the rows-per-fetch comment below).
constexpr std::size_t kMaxRowsPerBlockWithReads = 1024;
// The server cursor a reader declares where the dialect lets it (one reader per connection at a
// time), and how fast its round trips may grow from one to the next.
constexpr std::string_view kCursorName = "bru_read";
constexpr std::size_t kRoundGrowth = 8;
// Slices of a held long value's part (Dialect::hold_part_sql): on MariaDB the slices of 200 MB
// took 5.5 s taken from the whole value, 1.3 s from parts of 32 MiB.
constexpr std::uint64_t kSlicesPerPart = 8;

// How one column is fetched.
struct ColumnPlan {
  std::size_t column_idx = 0;  // catalog position = batch column
  Storage storage = Storage::kBytes;
  SQLSMALLINT c_type = SQL_C_CHAR;
  SQLLEN width = 0;            // bound element width; 0 = streamed with SQLGetData
  bool reread_long = false;    // a value longer than width is read again with SQLGetData
  std::vector<char> buffer;    // rows_per_fetch * width (or 8 for numbers)
  std::vector<SQLLEN> indicators;
};

}  // namespace

std::vector<schema::Storage> storages_of(const schema::Table& table) {
  std::vector<schema::Storage> storages;
  storages.reserve(table.columns.size());
  for (const auto& column : table.columns) storages.push_back(schema::storage_of(column.type.kind));
  return storages;
}

TableReader::TableReader(odbc::Connection& connection, const schema::Dialect& dialect,
                         const schema::Table& table, const ReadLimits& limits)
    : connection_(connection), dialect_(dialect), table_(table), limits_(limits) {}

std::int64_t TableReader::read(const std::function<void(archive::Batch&&)>& on_batch) {
  return read_rows(table_, dialect_.select_sql(table_), on_batch);
}

std::int64_t TableReader::read(const std::function<void(archive::Batch&&)>& on_batch,
                               const PieceSink& on_piece) {
  if (limits_.piece_bytes > 0) {
    if (const auto keyed = plan_keyed_split(dialect_, table_)) {
      KeyedUnsplitter unsplitter(
          table_, *keyed, limits_.batch_bytes, on_batch,
          [&](std::int64_t row_number, std::size_t column_idx,
              const std::vector<std::string>& key, std::uint64_t length) {
            read_held_value(row_number, column_idx, key, length, on_piece);
          });
      read_rows(keyed->table, dialect_.select_sql(table_),
                [&](archive::Batch&& split_rows) { unsplitter.take(split_rows); }, &*keyed);
      unsplitter.finish();
      return unsplitter.rows();
    }
  }
  const auto split =
      limits_.piece_bytes == 0
          ? std::nullopt
          : plan_split_read(dialect_, table_, limits_.piece_bytes, [&](const std::string& sql) {
              odbc::ConnectionRunner runner(connection_);
              const auto rows = runner.query(sql);
              return rows.empty() || rows[0].empty() || !rows[0][0] ? std::string() : *rows[0][0];
            });
  if (!split) return read_rows(table_, dialect_.select_sql(table_), on_batch);
  Unsplitter unsplitter(table_, *split, limits_.batch_bytes, on_batch, on_piece);
  read_rows(split->table, split->sql,
            [&](archive::Batch&& split_rows) { unsplitter.take(split_rows); });
  unsplitter.finish();
  return unsplitter.rows();
}

void TableReader::read_held_value(std::int64_t row_number, std::size_t column_idx,
                                  const std::vector<std::string>& key, std::uint64_t length,
                                  const PieceSink& on_piece) {
  connection_.execute(dialect_.hold_value_sql(table_, column_idx, key));
  auto statement = connection_.statement();
  const std::uint64_t slice_bytes = limits_.piece_bytes;
  const std::uint64_t part_bytes = slice_bytes * kSlicesPerPart;
  std::string piece;
  for (std::uint64_t part = 0; part < length; part += part_bytes) {
    const std::uint64_t part_length = std::min(part_bytes, length - part);
    connection_.execute(dialect_.hold_part_sql(part, part_length));
    for (std::uint64_t offset = 0; offset < part_length; offset += slice_bytes) {
      throw_if_interrupted();
      const std::uint64_t wanted = std::min(slice_bytes, part_length - offset);
      statement.exec_direct(dialect_.held_slice_sql(offset, wanted));
      piece.clear();
      const bool present =
          statement.fetch() && statement.get_data_pieces(1, SQL_C_BINARY, [&](std::string_view bytes) {
            piece.append(bytes);
          });
      statement.close_cursor();
      if (!present || piece.size() != wanted) {
        throw Error(ErrorKind::kDatabase,
                    fmt::format("table \"{}\", row {}, column \"{}\": the source sent {} bytes "
                                "of the value's slice at byte {}, not {}",
                                table_.display_name(), row_number,
                                table_.columns[column_idx].name, piece.size(), part + offset,
                                wanted))
            .with_hint("was the table changed while it was read? run again");
      }
      on_piece(column_idx, piece);
    }
  }
  connection_.execute(dialect_.release_value_sql());
}

std::int64_t TableReader::read_rows(const schema::Table& table, const std::string& select_sql,
                                    const std::function<void(archive::Batch&&)>& on_batch,
                                    const KeyedSplit* keyed) {
  // Plan: bound columns first, streamed ones last, because SQLGetData is only guaranteed for
  // columns after the last bound one.
  // Re-reading a bound column of a row in a block needs both SQL_GD_BOUND and SQL_GD_BLOCK.
  const bool can_reread = connection_.getdata_bound() && connection_.getdata_block();
  std::vector<ColumnPlan> plans;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& type = table.columns[column_idx].type;
    ColumnPlan plan;
    plan.column_idx = column_idx;
    plan.storage = schema::storage_of(type.kind);
    switch (plan.storage) {
      case Storage::kInt64:
        plan.c_type = SQL_C_SBIGINT;
        plan.width = sizeof(std::int64_t);
        break;
      case Storage::kFloat64:
        plan.c_type = SQL_C_DOUBLE;
        plan.width = sizeof(double);
        break;
      case Storage::kBytes:
        plan.c_type = is_binary(type.kind) || dialect_.reads_text_as_bytes() ? SQL_C_BINARY
                                                                             : SQL_C_CHAR;
        plan.width = bound_width(type, dialect_.enforces_declared_lengths());
        if (plan.width == 0 && can_reread) {
          plan.width = kInlineWidth;
          plan.reread_long = true;
        }
        break;
    }
    plans.push_back(std::move(plan));
  }
  std::stable_partition(plans.begin(), plans.end(),
                        [](const ColumnPlan& plan) { return plan.width > 0; });
  const bool reordered = std::any_of(plans.begin(), plans.end(), [&](const ColumnPlan& plan) {
    return plan.column_idx != static_cast<std::size_t>(&plan - plans.data());
  });
  const bool has_streamed = !plans.empty() && plans.back().width == 0;

  std::string sql = select_sql;
  if (reordered) {
    std::string select_list;
    for (const auto& plan : plans) {
      if (!select_list.empty()) select_list += ", ";
      select_list += dialect_.quote_identifier(table.columns[plan.column_idx].name);
    }
    sql = fmt::format("SELECT {} FROM ({}) bru_source", select_list, sql);
  }

  // Rows per fetch: bounded by the buffer budget; one row at a time when streamed columns must
  // be read with SQLGetData and the driver cannot do that inside a block of rows.
  const SQLLEN row_width = std::accumulate(plans.begin(), plans.end(), SQLLEN{16},
                                           [](SQLLEN sum, const ColumnPlan& plan) {
                                             return sum + plan.width + SQLLEN{sizeof(SQLLEN)};
                                           });
  std::size_t rows_per_fetch = std::clamp<std::size_t>(
      limits_.bound_buffer_bytes / static_cast<std::size_t>(row_width), 1,
      limits_.max_rows_per_fetch);
  if (has_streamed && !connection_.getdata_block()) rows_per_fetch = 1;
  // SQLSetPos walks the rowset from its first row in psqlODBC, so each SQLGetData inside a block
  // costs in proportion to the block: keep blocks small where values may be read that way.
  const bool reads_inside_block =
      has_streamed || std::any_of(plans.begin(), plans.end(),
                                  [](const ColumnPlan& plan) { return plan.reread_long; });
  if (reads_inside_block) rows_per_fetch = std::min(rows_per_fetch, kMaxRowsPerBlockWithReads);

  auto statement = connection_.statement();
  const SQLHSTMT handle = statement.native();
  SQLULEN rows_fetched = 0;
  odbc::check(odbc::calls().SQLSetStmtAttr(handle, SQL_ATTR_ROW_BIND_TYPE,
                             reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0),
              SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot set column-wise binding");
  odbc::check(odbc::calls().SQLSetStmtAttr(handle, SQL_ATTR_ROWS_FETCHED_PTR, &rows_fetched, 0),
              SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot set the rows-fetched pointer");
  auto set_rowset = [&](std::size_t rows) {
    odbc::check(odbc::calls().SQLSetStmtAttr(handle, SQL_ATTR_ROW_ARRAY_SIZE,
                                             reinterpret_cast<SQLPOINTER>(rows), 0),
                SQL_HANDLE_STMT, handle, ErrorKind::kDatabase, "cannot set the row array size");
  };

  for (std::size_t position = 0; position < plans.size(); ++position) {
    auto& plan = plans[position];
    if (plan.width == 0) continue;
    plan.buffer.resize(static_cast<std::size_t>(plan.width) * rows_per_fetch);
    plan.indicators.resize(rows_per_fetch);
    odbc::check(odbc::calls().SQLBindCol(handle, static_cast<SQLUSMALLINT>(position + 1), plan.c_type,
                           plan.buffer.data(), plan.width, plan.indicators.data()),
                SQL_HANDLE_STMT, handle, ErrorKind::kDatabase,
                fmt::format("cannot bind column \"{}\" of table \"{}\"",
                            table.columns[plan.column_idx].name, table.display_name()));
  }

  // Round trips sized in bytes where the engine lets bru run its own cursor (Dialect): the first
  // FETCH asks for what the bound widths allow, or one row when a column's width is unknown; each
  // next one for round_bytes over the widest row seen so far, growing at most kRoundGrowth-fold.
  const std::string declare_sql = dialect_.declare_cursor_sql(kCursorName, sql);
  const bool own_cursor = !declare_sql.empty();
  const bool widths_known = std::none_of(plans.begin(), plans.end(), [](const ColumnPlan& plan) {
    return plan.width == 0 || plan.reread_long;
  });
  std::size_t round_rows = 1;
  if (widths_known) {
    round_rows = std::clamp<std::size_t>(
        limits_.round_bytes / static_cast<std::size_t>(row_width), 1, limits_.max_rows_per_fetch);
  }
  std::size_t widest_row = 0;
  // Where the engine has no such cursor and its driver holds whole results, pages along a key
  // (Dialect::page_key), each starting after the key of the last row read.
  const auto page_key = own_cursor ? std::vector<std::size_t>{} : dialect_.page_key(table_);
  const bool paged = !page_key.empty();
  std::vector<std::size_t> order;
  for (const auto& plan : plans) order.push_back(plan.column_idx);
  std::vector<std::string> after;
  if (own_cursor) {
    connection_.execute(declare_sql);
  } else if (!paged) {
    set_rowset(rows_per_fetch);
    statement.exec_direct(sql);
  }

  const auto storages = storages_of(table);
  archive::Batch batch(storages);
  std::int64_t total_rows = 0;
  auto flush = [&] {
    if (batch.row_count() == 0) return;
    on_batch(std::move(batch));
    batch = archive::Batch(storages);
  };

  // The page key's values of the batch's last row, as the next page starts after them.
  auto remember_key = [&] { after = key_values(batch, batch.row_count() - 1, page_key); };

  // SQLGetData on a row of a block needs the cursor positioned on that row first.
  std::size_t rowset = rows_per_fetch;
  auto position_on = [&](std::size_t row, std::int64_t row_number) {
    if (rowset == 1) return;
    odbc::check(odbc::calls().SQLSetPos(handle, static_cast<SQLSETPOSIROW>(row + 1), SQL_POSITION,
                          SQL_LOCK_NO_CHANGE),
                SQL_HANDLE_STMT, handle, ErrorKind::kDatabase,
                fmt::format("cannot position on row {} of table \"{}\"", row_number,
                            table.display_name()));
  };

  // One block of rows fetched: into the batch, row by row.
  auto take_block = [&] {
    for (std::size_t row = 0; row < rows_fetched; ++row) {
      const std::int64_t row_number = total_rows + static_cast<std::int64_t>(row) + 1;
      const std::size_t bytes_before = batch.value_bytes();
      for (std::size_t position = 0; position < plans.size(); ++position) {
        auto& plan = plans[position];
        auto& column = batch.column(plan.column_idx);
        if (plan.width == 0) {
          position_on(row, row_number);
          bool started = false;
          const bool present = statement.get_data_pieces(
              static_cast<SQLUSMALLINT>(position + 1), plan.c_type,
              [&column, &started](std::string_view piece) {
                if (!started) column.begin_bytes();
                started = true;
                column.append_piece(piece);
              });
          if (!present) {
            column.append_null();
          } else if (!started) {
            column.append_bytes({});
          }
          continue;
        }
        const SQLLEN indicator = plan.indicators[row];
        if (indicator == SQL_NULL_DATA) {
          column.append_null();
          continue;
        }
        const char* cell = plan.buffer.data() + static_cast<std::size_t>(plan.width) * row;
        switch (plan.storage) {
          case Storage::kInt64: {
            std::int64_t value;
            std::memcpy(&value, cell, sizeof value);
            column.append_int(value);
            break;
          }
          case Storage::kFloat64: {
            double value;
            std::memcpy(&value, cell, sizeof value);
            column.append_double(value);
            break;
          }
          case Storage::kBytes: {
            const SQLLEN capacity = plan.c_type == SQL_C_CHAR ? plan.width - 1 : plan.width;
            const bool truncated = indicator == SQL_NO_TOTAL || indicator > capacity;
            if (truncated && plan.reread_long) {
              position_on(row, row_number);
              column.begin_bytes();
              statement.get_data_pieces(static_cast<SQLUSMALLINT>(position + 1), plan.c_type,
                                        [&column](std::string_view piece) {
                                          column.append_piece(piece);
                                        });
              break;
            }
            if (truncated) {
              const auto& column_def = table.columns[plan.column_idx];
              throw Error(ErrorKind::kTypeMapping,
                          fmt::format("table \"{}\", column \"{}\", row {}: value is longer "
                                      "than its declared type {} allows",
                                      table.display_name(), column_def.name, row_number,
                                      column_def.native_type))
                  .with_hint("the database holds a value its own type does not allow; fix the "
                             "value or widen the column, then back up again");
            }
            column.append_bytes(std::string_view(cell, static_cast<std::size_t>(indicator)));
            break;
          }
        }
      }
      if (paged && row + 1 == rows_fetched) remember_key();
      widest_row = std::max(widest_row, batch.value_bytes() - bytes_before);
      if (has_streamed && batch.value_bytes() >= limits_.batch_bytes) flush();
    }
    total_rows += static_cast<std::int64_t>(rows_fetched);
    if (batch.value_bytes() >= limits_.batch_bytes) flush();
  };

  if (!own_cursor && !paged) {
    while (statement.fetch()) {
      throw_if_interrupted();
      take_block();
    }
  } else {
    for (;;) {
      throw_if_interrupted();
      rowset = std::min(round_rows, rows_per_fetch);
      set_rowset(rowset);
      statement.exec_direct(
          own_cursor ? dialect_.fetch_cursor_sql(kCursorName, round_rows)
          : keyed    ? dialect_.long_cut_page_sql(table_, order, round_rows, after,
                                                  keyed->long_columns, limits_.piece_bytes)
                     : dialect_.page_sql(table_, order, round_rows, after));
      statement.describe_as(sql);
      const std::int64_t rows_before = total_rows;
      while (statement.fetch()) {
        throw_if_interrupted();
        take_block();
      }
      statement.close_cursor();
      if (total_rows - rows_before < static_cast<std::int64_t>(round_rows)) break;
      const std::size_t fitting = limits_.round_bytes / std::max<std::size_t>(widest_row, 1);
      round_rows = std::clamp<std::size_t>(fitting, 1,
                                           std::min(limits_.max_rows_per_fetch,
                                                    round_rows * kRoundGrowth));
    }
    if (own_cursor) connection_.execute(dialect_.close_cursor_sql(kCursorName));
  }
  flush();
  statement.close_cursor();
  return total_rows;
}

}  // namespace bru::data

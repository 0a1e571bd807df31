#include "bru/mariadb/stream_reader.h"

#include <mysql.h>

#include <charconv>
#include <exception>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "bru/data/table_reader.h"
#include "bru/interrupt.h"
#include "schema/error.h"

namespace bru::mariadb {
namespace {

using schema::Storage;
using schema::TypeKind;

// A result mysql_use_result() started, freed on every way out. Freeing it reads the rows not yet
// taken: on a failure (the archive, SIGINT) the session is ended first, so that bru does not
// read the rest of a large table to drop it; the session is not used after a failure.
class StreamedResult {
 public:
  StreamedResult(Session& session, MYSQL_RES* result)
      : session_(session), result_(result), exceptions_(std::uncaught_exceptions()) {}
  ~StreamedResult() {
    if (result_ == nullptr) return;
    if (std::uncaught_exceptions() > exceptions_) session_.cancel();
    mysql_free_result(result_);
  }
  StreamedResult(const StreamedResult&) = delete;
  StreamedResult& operator=(const StreamedResult&) = delete;
  MYSQL_RES* get() const noexcept { return result_; }

 private:
  Session& session_;
  MYSQL_RES* result_;
  int exceptions_;
};

[[noreturn]] void unreadable(const schema::Table& table, std::size_t column_idx,
                             std::int64_t row_number, std::string_view text) {
  throw internal_error(fmt::format("table \"{}\", row {}, column \"{}\": the server sent \"{}\", "
                                   "which is not a {}",
                                   table.display_name(), row_number,
                                   table.columns[column_idx].name, text.substr(0, 40),
                                   schema::storage_of(table.columns[column_idx].type.kind) ==
                                           Storage::kInt64
                                       ? "64-bit integer"
                                       : "number"));
}

template <typename Number>
Number parse(std::string_view text, const schema::Table& table, std::size_t column_idx,
             std::int64_t row_number) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    unreadable(table, column_idx, row_number, text);
  }
  return value;
}

}  // namespace

std::string reading_session_sql() { return "SET SESSION net_write_timeout = 3600"; }

bool streams(const schema::Dialect& dialect, const schema::Table& table) {
  return dialect.page_key(table).empty() || dialect.sliceable_columns(table).empty();
}

std::string stream_select_sql(const schema::Dialect& dialect, const schema::Table& table) {
  std::string outer;
  bool floats = false;
  for (const auto& column : table.columns) {
    if (!outer.empty()) outer += ", ";
    const std::string quoted = dialect.quote_identifier(column.name);
    if (column.type.kind == TypeKind::kFloat32) {
      outer += fmt::format("CAST(bru_row.{0} AS DOUBLE) AS {0}", quoted);
      floats = true;
    } else {
      outer += "bru_row." + quoted;
    }
  }
  const std::string select = dialect.select_sql(table);
  return floats ? fmt::format("SELECT {} FROM ({}) bru_row", outer, select) : select;
}

std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        std::size_t batch_bytes) {
  MYSQL* mysql = session.native();
  const std::string sql = stream_select_sql(dialect, table);
  if (mysql_real_query(mysql, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    session.fail(fmt::format("cannot read table \"{}\"", table.display_name()));
  }
  StreamedResult result(session, mysql_use_result(mysql));
  if (result.get() == nullptr) {
    session.fail(fmt::format("cannot read table \"{}\"", table.display_name()));
  }
  const std::size_t columns = table.columns.size();
  if (mysql_num_fields(result.get()) != columns) {
    throw internal_error(fmt::format("table \"{}\": the read gave {} columns of {}",
                                     table.display_name(), mysql_num_fields(result.get()),
                                     columns));
  }
  const auto storages = data::storages_of(table);
  archive::Batch batch(storages);
  std::int64_t rows = 0;
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    if ((++rows & 1023) == 0) throw_if_interrupted();
    for (std::size_t column_idx = 0; column_idx < columns; ++column_idx) {
      auto& column = batch.column(column_idx);
      if (row[column_idx] == nullptr) {
        column.append_null();
        continue;
      }
      const std::string_view text(row[column_idx], lengths[column_idx]);
      switch (storages[column_idx]) {
        case Storage::kInt64:
          column.append_int(parse<std::int64_t>(text, table, column_idx, rows));
          break;
        case Storage::kFloat64:
          column.append_double(parse<double>(text, table, column_idx, rows));
          break;
        case Storage::kBytes:
          column.append_bytes(text);
          break;
      }
    }
    if (batch.value_bytes() >= batch_bytes) {
      on_batch(std::move(batch));
      batch = archive::Batch(storages);
    }
  }
  // mysql_fetch_row() gives NULL at the end and on an error alike.
  if (mysql_errno(mysql) != 0) {
    session.fail(fmt::format("cannot read table \"{}\"", table.display_name()));
  }
  if (batch.row_count() > 0) on_batch(std::move(batch));
  return rows;
}

}  // namespace bru::mariadb

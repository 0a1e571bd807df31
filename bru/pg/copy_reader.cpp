#include "bru/pg/copy_reader.h"

#include <libpq-fe.h>

#include <bit>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "bru/data/table_reader.h"
#include "bru/interrupt.h"
#include "schema/error.h"

namespace bru::pg {
namespace {

using schema::Storage;
using schema::TypeKind;

constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with its NUL

std::uint32_t be32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         b[3];
}
std::uint64_t be64(const char* p) {
  return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

Error stream_error(const schema::Table& table, std::string_view what) {
  return internal_error(
      fmt::format("the COPY stream of table \"{}\" does not parse: {}", table.display_name(), what));
}

}  // namespace

std::string copy_out_sql(const schema::Dialect& dialect, const schema::Table& table) {
  return copy_out_sql(dialect, table, dialect.select_sql(table));
}

std::string copy_out_sql(const schema::Dialect& dialect, const schema::Table& table,
                         const std::string& select) {
  std::string columns;
  for (const auto& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    const auto quoted = dialect.quote_identifier(column.name);
    switch (schema::storage_of(column.type.kind)) {
      case Storage::kInt64:
        columns += fmt::format("CAST({} AS bigint)", quoted);
        break;
      case Storage::kFloat64:
        // psqlODBC reads a real as its text and converts that to a double; so does this.
        columns += column.type.kind == TypeKind::kFloat32
                       ? fmt::format("CAST({} AS text)", quoted)
                       : fmt::format("CAST({} AS double precision)", quoted);
        break;
      case Storage::kBytes:
        // text, character(n) (padded), varchar, bytea: binary send is the bytes themselves.
        columns += quoted;
        break;
    }
  }
  return fmt::format("COPY (SELECT {} FROM ({}) bru_source) TO STDOUT (FORMAT binary)", columns,
                     select);
}

namespace {

// Runs the COPY of `select`, whose result has the columns of `table`, into batches.
std::int64_t read_rows(Session& session, const schema::Dialect& dialect,
                       const schema::Table& table, const std::string& select,
                       const std::function<void(archive::Batch&&)>& on_batch,
                       std::size_t batch_bytes) {
  PGconn* conn = session.native();
  {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexec(conn, copy_out_sql(dialect, table, select).c_str()), &PQclear);
    if (!result || PQresultStatus(result.get()) != PGRES_COPY_OUT) {
      session.fail(fmt::format("cannot read table \"{}\" back", table.display_name()),
                   result.get());
    }
  }
  const auto storages = data::storages_of(table);
  std::vector<bool> float_text;
  for (const auto& column : table.columns) float_text.push_back(column.type.kind == TypeKind::kFloat32);
  const std::size_t column_count = table.columns.size();
  archive::Batch batch(storages);
  std::int64_t rows = 0;
  bool header_read = false;
  bool trailer_read = false;
  std::string text_value;

  for (;;) {
    char* data = nullptr;
    const int length = PQgetCopyData(conn, &data, 0);
    if (length == -1) break;  // done: the COPY's result follows
    if (length < 0) {
      std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(conn), &PQclear);
      session.fail(fmt::format("cannot read table \"{}\" back", table.display_name()),
                   result.get());
    }
    std::unique_ptr<char, decltype(&PQfreemem)> owned(data, &PQfreemem);
    const char* p = data;
    const char* end = data + length;
    if (!header_read) {
      // Signature, flags, header extension: in the first message, before the first row.
      if (end - p < 19 || std::memcmp(p, kSignature, 11) != 0) throw stream_error(table, "header");
      const std::uint32_t extension = be32(p + 15);
      p += 19;
      if (static_cast<std::size_t>(end - p) < extension) throw stream_error(table, "header");
      p += extension;
      header_read = true;
    }
    // PostgreSQL sends one row per message; the parse does not rely on it.
    while (p < end) {
      if (end - p < 2) throw stream_error(table, "row start");
      const auto fields = static_cast<std::int16_t>((static_cast<unsigned char>(p[0]) << 8) |
                                                    static_cast<unsigned char>(p[1]));
      p += 2;
      if (fields == -1) {
        trailer_read = true;
        break;
      }
      if (static_cast<std::size_t>(fields) != column_count) throw stream_error(table, "field count");
      for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
        if (end - p < 4) throw stream_error(table, "field length");
        const auto size = static_cast<std::int32_t>(be32(p));
        p += 4;
        auto& column = batch.column(column_idx);
        if (size == -1) {
          column.append_null();
          continue;
        }
        if (size < 0 || end - p < size) throw stream_error(table, "field");
        const std::string_view value(p, static_cast<std::size_t>(size));
        p += size;
        switch (column.storage()) {
          case Storage::kInt64:
            if (size != 8) throw stream_error(table, "int8 field");
            column.append_int(static_cast<std::int64_t>(be64(value.data())));
            break;
          case Storage::kFloat64:
            if (float_text[column_idx]) {
              text_value.assign(value);
              column.append_double(std::strtod(text_value.c_str(), nullptr));
            } else {
              if (size != 8) throw stream_error(table, "float8 field");
              column.append_double(std::bit_cast<double>(be64(value.data())));
            }
            break;
          case Storage::kBytes:
            column.append_bytes(value);
            break;
        }
      }
      ++rows;
      if (batch.value_bytes() >= batch_bytes) {
        throw_if_interrupted();
        on_batch(std::move(batch));
        batch = archive::Batch(storages);
      }
    }
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(conn), &PQclear);
  const bool ok = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
  if (!ok) {
    session.fail(fmt::format("cannot read table \"{}\" back", table.display_name()),
                 result.get());
  }
  while (PGresult* more = PQgetResult(conn)) PQclear(more);
  if (!trailer_read) throw stream_error(table, "no trailer");
  if (batch.row_count() > 0) on_batch(std::move(batch));
  return rows;
}

}  // namespace

std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        std::size_t batch_bytes) {
  return read_rows(session, dialect, table, dialect.select_sql(table), on_batch, batch_bytes);
}

std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        const data::PieceSink& on_piece, std::size_t batch_bytes,
                        std::uint64_t piece_bytes) {
  const auto split = data::plan_split_read(
      dialect, table, piece_bytes, [&](const std::string& sql) { return session.query_value(sql); });
  if (!split) {
    return read_rows(session, dialect, table, dialect.select_sql(table), on_batch, batch_bytes);
  }
  data::Unsplitter unsplitter(table, *split, batch_bytes, on_batch, on_piece);
  read_rows(session, dialect, split->table, split->sql,
            [&](archive::Batch&& split_rows) { unsplitter.take(split_rows); }, batch_bytes);
  unsplitter.finish();
  return unsplitter.rows();
}

}  // namespace bru::pg

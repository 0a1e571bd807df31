#include "bru/pg/copy_reader.h"

#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bru/data/table_reader.h"
#include "bru/interrupt.h"
#include "bru/pg/copy_binary.h"
#include "schema/engines/postgres/postgres.h"
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

namespace {

// How a column of the COPY stream becomes its canonical value: one of the casts copy_out_sql()
// makes (bigint, double precision, a real's text, the bytes), or the column's own binary form
// (a field of copy_binary.h) that bru turns into the canonical value itself.
struct ColumnRead {
  enum class As : std::uint8_t { kInt8, kInt4, kInt2, kBool, kFloat8, kRealText, kBytes, kField };
  As as = As::kBytes;
  binary::Field field = binary::Field::kRaw;
};

// The cast a read of cast_reads() makes of a column's expression.
std::string cast_expression(const ColumnRead& read, const std::string& expression) {
  switch (read.as) {
    case ColumnRead::As::kInt8: return fmt::format("CAST({} AS bigint)", expression);
    // psqlODBC reads a real as its text and converts that to a double; so does this.
    case ColumnRead::As::kRealText: return fmt::format("CAST({} AS text)", expression);
    case ColumnRead::As::kFloat8: return fmt::format("CAST({} AS double precision)", expression);
    // text, character(n) (padded), varchar, bytea: binary send is the bytes themselves.
    default: return expression;
  }
}

std::vector<ColumnRead> cast_reads(const schema::Table& table) {
  std::vector<ColumnRead> reads;
  for (const auto& column : table.columns) {
    switch (schema::storage_of(column.type.kind)) {
      case Storage::kInt64: reads.push_back({ColumnRead::As::kInt8}); break;
      case Storage::kFloat64:
        reads.push_back({column.type.kind == TypeKind::kFloat32 ? ColumnRead::As::kRealText
                                                                : ColumnRead::As::kFloat8});
        break;
      case Storage::kBytes: reads.push_back({ColumnRead::As::kBytes}); break;
    }
  }
  return reads;
}

// The COPY of a table whose columns of built-in types arrive in their own binary form, the
// server sparing the text conversion (a 400,000-row table of decimals, dates, timestamps and
// uuids: about 40% less server time), the others as copy_out_sql() reads them; `reads` gets how
// each arrives. Empty when the server's table cannot be matched column for column.
std::string native_copy_out_sql(Session& session, const schema::Dialect& dialect,
                                const schema::Table& table, const std::string& filter,
                                std::vector<ColumnRead>& reads) {
  const auto* postgres = dynamic_cast<const schema::dialects::PostgresDialect*>(&dialect);
  if (postgres == nullptr) return "";
  const auto oids = binary::column_type_oids(session, dialect, table);
  if (oids.empty()) return "";
  reads = cast_reads(table);
  std::vector<std::string> expressions;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column = table.columns[column_idx];
    const auto quoted = dialect.quote_identifier(column.name);
    const auto expression = postgres->select_expression(table, column);
    const auto field = binary::read_field_for(oids[column_idx], column.type.kind);
    // A character column read through a cast (a domain: CAST drops a character(n)'s padding)
    // stays with it; every other cast of select_expression() is the type's text output, which
    // append_text_of() reproduces.
    const bool native = field && !(*field == binary::Field::kRaw && expression != quoted);
    if (!native) {
      expressions.push_back(cast_expression(reads[column_idx], expression));
      continue;
    }
    expressions.push_back(quoted);
    switch (*field) {
      case binary::Field::kBool: reads[column_idx] = {ColumnRead::As::kBool}; break;
      case binary::Field::kInt2: reads[column_idx] = {ColumnRead::As::kInt2}; break;
      case binary::Field::kInt4: reads[column_idx] = {ColumnRead::As::kInt4}; break;
      case binary::Field::kInt8: reads[column_idx] = {ColumnRead::As::kInt8}; break;
      case binary::Field::kFloat8: reads[column_idx] = {ColumnRead::As::kFloat8}; break;
      case binary::Field::kRaw: reads[column_idx] = {ColumnRead::As::kBytes}; break;
      default: reads[column_idx] = {ColumnRead::As::kField, *field}; break;
    }
  }
  return fmt::format("COPY (SELECT {} FROM ONLY {}{}) TO STDOUT (FORMAT binary)",
                     fmt::join(expressions, ", "), dialect.qualified_name(table),
                     filter.empty() ? "" : " WHERE " + filter);
}

}  // namespace

std::string copy_out_sql(const schema::Dialect& dialect, const schema::Table& table,
                         const std::string& select) {
  const auto reads = cast_reads(table);
  std::vector<std::string> columns;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    columns.push_back(
        cast_expression(reads[column_idx], dialect.quote_identifier(table.columns[column_idx].name)));
  }
  return fmt::format("COPY (SELECT {} FROM ({}) bru_source) TO STDOUT (FORMAT binary)",
                     fmt::join(columns, ", "), select);
}

namespace {

// Runs the COPY into batches (below).
std::int64_t read_copy(Session& session, const schema::Table& table, const std::string& copy_sql,
                       const std::vector<ColumnRead>& reads,
                       const std::function<void(archive::Batch&&)>& on_batch,
                       std::size_t batch_bytes);

// Runs the COPY of `select`, whose result has the columns of `table`, into batches.
std::int64_t read_rows(Session& session, const schema::Dialect& dialect,
                       const schema::Table& table, const std::string& select,
                       const std::function<void(archive::Batch&&)>& on_batch,
                       std::size_t batch_bytes) {
  return read_copy(session, table, copy_out_sql(dialect, table, select), cast_reads(table),
                   on_batch, batch_bytes);
}

// Reads the table itself, the rows `filter` holds for ("": all): native_copy_out_sql() where it
// applies, else select_sql().
std::int64_t read_whole(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table, const std::string& filter,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        std::size_t batch_bytes) {
  std::vector<ColumnRead> reads;
  const auto native = native_copy_out_sql(session, dialect, table, filter, reads);
  if (!native.empty()) return read_copy(session, table, native, reads, on_batch, batch_bytes);
  const auto select = dialect.select_sql(table) + (filter.empty() ? "" : " WHERE " + filter);
  return read_rows(session, dialect, table, select, on_batch, batch_bytes);
}

std::int64_t read_copy(Session& session, const schema::Table& table, const std::string& copy_sql,
                       const std::vector<ColumnRead>& reads,
                       const std::function<void(archive::Batch&&)>& on_batch,
                       std::size_t batch_bytes) {
  PGconn* conn = session.native();
  {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, copy_sql.c_str()),
                                                         &PQclear);
    if (!result || PQresultStatus(result.get()) != PGRES_COPY_OUT) {
      session.fail(fmt::format("cannot read table \"{}\" back", table.display_name()),
                   result.get());
    }
  }
  const auto storages = data::storages_of(table);
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
        const auto& read = reads[column_idx];
        auto expect_size = [&](int expected, std::string_view what) {
          if (size != expected) throw stream_error(table, what);
        };
        switch (read.as) {
          case ColumnRead::As::kInt8:
            expect_size(8, "int8 field");
            column.append_int(static_cast<std::int64_t>(be64(value.data())));
            break;
          case ColumnRead::As::kInt4:
            expect_size(4, "int4 field");
            column.append_int(static_cast<std::int32_t>(be32(value.data())));
            break;
          case ColumnRead::As::kInt2:
            expect_size(2, "int2 field");
            column.append_int(static_cast<std::int16_t>(
                (static_cast<unsigned char>(value[0]) << 8) | static_cast<unsigned char>(value[1])));
            break;
          case ColumnRead::As::kBool:
            expect_size(1, "bool field");
            column.append_int(value[0] != 0 ? 1 : 0);
            break;
          case ColumnRead::As::kFloat8:
            expect_size(8, "float8 field");
            column.append_double(std::bit_cast<double>(be64(value.data())));
            break;
          case ColumnRead::As::kRealText:
            text_value.assign(value);
            column.append_double(std::strtod(text_value.c_str(), nullptr));
            break;
          case ColumnRead::As::kBytes:
            column.append_bytes(value);
            break;
          case ColumnRead::As::kField:
            text_value.clear();
            if (!binary::append_text_of(text_value, read.field, value)) {
              throw stream_error(table, "binary field");
            }
            column.append_bytes(text_value);
            break;
        }
      }
      ++rows;
      if (batch.value_bytes() >= batch_bytes) {
        throw_if_interrupted();
        // The next batch will be about this one's size: reserved at once, its vectors do not
        // regrow (and copy) their way up to it.
        std::vector<std::size_t> value_bytes(column_count);
        for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
          value_bytes[column_idx] = batch.column(column_idx).bytes().size();
        }
        const auto batch_rows = batch.row_count();
        on_batch(std::move(batch));
        batch = archive::Batch(storages);
        for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
          batch.column(column_idx).reserve(batch_rows + batch_rows / 8,
                                           value_bytes[column_idx] + value_bytes[column_idx] / 8);
        }
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
  return read_whole(session, dialect, table, "", on_batch, batch_bytes);
}

std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        const data::PieceSink& on_piece, std::size_t batch_bytes,
                        std::uint64_t piece_bytes, const std::string& filter) {
  const auto split = data::plan_split_read(
      dialect, table, piece_bytes, [&](const std::string& sql) { return session.query_value(sql); },
      filter);
  if (!split) return read_whole(session, dialect, table, filter, on_batch, batch_bytes);
  data::Unsplitter unsplitter(table, *split, batch_bytes, on_batch, on_piece);
  read_rows(session, dialect, split->table, split->sql,
            [&](archive::Batch&& split_rows) { unsplitter.take(split_rows); }, batch_bytes);
  unsplitter.finish();
  return unsplitter.rows();
}

std::map<std::pair<std::string, std::string>, std::int64_t> large_heaps(Session& session,
                                                                       std::int64_t min_pages) {
  // pg_relation_size() of the main fork: the heap's size now, from the file, not the planner's
  // estimate (relpages, which is 0 until the table is first vacuumed or analyzed).
  const auto listed = session.query_value(fmt::format(
      "SELECT string_agg(n.nspname || chr(1) || c.relname || chr(1) || (pg_relation_size(c.oid) / "
      "current_setting('block_size')::int), chr(2)) FROM pg_class c JOIN pg_namespace n ON n.oid "
      "= c.relnamespace WHERE c.relkind IN ('r', 'm') AND "
      "current_setting('server_version_num')::int >= 140000 AND pg_relation_size(c.oid) >= {} * "
      "current_setting('block_size')::bigint",
      min_pages));
  std::map<std::pair<std::string, std::string>, std::int64_t> heaps;
  std::size_t at = 0;
  while (at < listed.size()) {
    const auto end = std::min(listed.find('\2', at), listed.size());
    const std::string_view entry(listed.data() + at, end - at);
    const auto first = entry.find('\1');
    const auto second = entry.find('\1', first == std::string_view::npos ? 0 : first + 1);
    std::int64_t pages = 0;
    if (second != std::string_view::npos) {
      const auto digits = entry.substr(second + 1);
      const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), pages);
      if (parsed.ec == std::errc{} && parsed.ptr == digits.data() + digits.size()) {
        heaps[{std::string(entry.substr(0, first)),
               std::string(entry.substr(first + 1, second - first - 1))}] = pages;
      }
    }
    at = end + 1;
  }
  return heaps;
}

std::vector<std::string> page_ranges(std::int64_t pages, std::size_t slices) {
  std::vector<std::string> ranges;
  const auto count = static_cast<std::int64_t>(std::max<std::size_t>(slices, 1));
  for (std::int64_t slice = 0; slice < count; ++slice) {
    const std::int64_t first = pages * slice / count;
    const std::int64_t next = pages * (slice + 1) / count;
    if (slice == 0 && count == 1) {
      ranges.push_back("true");
    } else if (slice == 0) {
      ranges.push_back(fmt::format("ctid < '({},0)'::tid", next));
    } else if (slice == count - 1) {
      ranges.push_back(fmt::format("ctid >= '({},0)'::tid", first));
    } else {
      ranges.push_back(fmt::format("ctid >= '({},0)'::tid AND ctid < '({},0)'::tid", first, next));
    }
  }
  return ranges;
}

}  // namespace bru::pg

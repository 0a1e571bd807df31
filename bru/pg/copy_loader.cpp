#include "bru/pg/copy_loader.h"

#include <libpq-fe.h>

#include <cmath>
#include <cstdint>
#include <memory>

#include <fmt/format.h>

#include "bru/data/bulk_text.h"
#include "bru/data/value_check.h"
#include "bru/interrupt.h"
#include "schema/error.h"

namespace bru::pg {
namespace {

using schema::Storage;
using schema::TypeKind;

// Sent to the server once the buffer holds this much.
constexpr std::size_t kSendBytes = 1u << 20;

bool is_binary(TypeKind kind) { return kind == TypeKind::kBinary || kind == TypeKind::kBlob; }

// COPY text format: backslash, and the delimiter and line characters, escaped.
void append_text(std::string& out, std::string_view value) {
  data::append_escaped(out, value, [](char c) -> const char* {
    switch (c) {
      case '\\': return "\\\\";
      case '\t': return "\\t";
      case '\n': return "\\n";
      case '\r': return "\\r";
      default: return nullptr;
    }
  });
}

// bytea's hex input form, its backslash escaped for COPY: \\x0a1b...
void append_hex(std::string& out, std::string_view value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + 3 + value.size() * 2);
  char* p = out.data() + at;
  *p++ = '\\';
  *p++ = '\\';
  *p++ = 'x';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    *p++ = kDigits[byte >> 4];
    *p++ = kDigits[byte & 15];
  }
}

void append_double(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
  } else {
    data::append_finite_double(out, value);
  }
}

}  // namespace

std::string copy_in_sql(const schema::Dialect& dialect, const schema::Table& table,
                        CopyFormat format) {
  std::string columns;
  for (const auto& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    columns += dialect.quote_identifier(column.name);
  }
  // COPY writes identity columns as given (as OVERRIDING SYSTEM VALUE does).
  return fmt::format("COPY {} ({}) FROM STDIN{}", dialect.qualified_name(table), columns,
                     format == CopyFormat::kBinary ? " (FORMAT binary)" : "");
}

CopyLoader::CopyLoader(Session& session, const schema::Dialect& dialect,
                       const schema::Table& table)
    : session_(session), dialect_(dialect), table_(table) {
  fields_ = binary_fields();
  start(fields_.empty() ? CopyFormat::kText : CopyFormat::kBinary);
  buffer_.reserve(kSendBytes + (64u << 10));
}

CopyLoader::~CopyLoader() {
  // A load that did not finish: the caller rolls the transaction back (Session), which ends
  // the COPY first.
}

std::vector<binary::Field> CopyLoader::binary_fields() const {
  const auto oids = binary::column_type_oids(session_, dialect_, table_);
  if (oids.empty()) return {};
  std::vector<binary::Field> fields;
  for (std::size_t column_idx = 0; column_idx < oids.size(); ++column_idx) {
    const auto field = binary::field_for(oids[column_idx], table_.columns[column_idx].type.kind);
    if (!field) return {};
    fields.push_back(*field);
  }
  return fields;
}

void CopyLoader::start(CopyFormat format) {
  PGresult* result = PQexec(session_.native(), copy_in_sql(dialect_, table_, format).c_str());
  const bool started = result != nullptr && PQresultStatus(result) == PGRES_COPY_IN;
  if (!started) {
    std::unique_ptr<PGresult, decltype(&PQclear)> owned(result, &PQclear);
    session_.fail(fmt::format("cannot start COPY into table \"{}\"", table_.display_name()),
                  owned.get());
  }
  PQclear(result);
  open_ = true;
  format_ = format;
  if (format == CopyFormat::kBinary) binary::append_header(buffer_);
}

void CopyLoader::end_copy() {
  if (format_ == CopyFormat::kBinary) binary::append_trailer(buffer_);
  flush();
  open_ = false;
  if (PQputCopyEnd(session_.native(), nullptr) != 1) fail_copy();
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(session_.native()), &PQclear);
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) raise(result.get());
  while (PGresult* more = PQgetResult(session_.native())) PQclear(more);
}

void CopyLoader::switch_to_text(std::int64_t first_row_number) {
  end_copy();
  text_from_row_ = first_row_number;
  start(CopyFormat::kText);
}

void CopyLoader::append_value(const archive::Batch& batch, std::size_t column_idx,
                              std::size_t row) {
  if (column_idx > 0) buffer_ += '\t';
  const auto& column = batch.column(column_idx);
  if (column.is_null(row)) {
    buffer_ += "\\N";
    return;
  }
  const auto kind = table_.columns[column_idx].type.kind;
  switch (column.storage()) {
    case Storage::kInt64:
      if (kind == TypeKind::kBool) {
        buffer_ += column.int_at(row) != 0 ? 't' : 'f';
      } else {
        data::append_int(buffer_, column.int_at(row));
      }
      break;
    case Storage::kFloat64:
      append_double(buffer_, column.double_at(row));
      break;
    case Storage::kBytes:
      if (is_binary(kind)) {
        append_hex(buffer_, column.bytes_at(row));
      } else {
        append_text(buffer_, column.bytes_at(row));
      }
      break;
  }
}

bool CopyLoader::append_binary_value(const archive::Batch& batch, std::size_t column_idx,
                                     std::size_t row) {
  const auto& column = batch.column(column_idx);
  if (column.is_null(row)) {
    binary::append_null(buffer_);
    return true;
  }
  const auto field = fields_[column_idx];
  switch (column.storage()) {
    case Storage::kInt64: return binary::append_int(buffer_, field, column.int_at(row));
    case Storage::kFloat64: return binary::append_double(buffer_, field, column.double_at(row));
    case Storage::kBytes: return binary::append_bytes(buffer_, field, column.bytes_at(row));
  }
  return false;
}

bool CopyLoader::append_binary_row(const archive::Batch& batch, std::size_t row) {
  const std::size_t mark = buffer_.size();
  binary::append_field_count(buffer_, table_.columns.size());
  for (std::size_t column_idx = 0; column_idx < table_.columns.size(); ++column_idx) {
    if (!append_binary_value(batch, column_idx, row)) {
      buffer_.resize(mark);
      return false;
    }
  }
  return true;
}

void CopyLoader::append_text_row(const archive::Batch& batch, std::size_t row) {
  for (std::size_t column_idx = 0; column_idx < table_.columns.size(); ++column_idx) {
    append_value(batch, column_idx, row);
  }
  buffer_ += '\n';
}

void CopyLoader::write(const archive::Batch& batch) {
  long_row_.check_no_row_pending("COPY");
  data::check_values_fit(table_, batch, rows_written_ + 1, "postgres");
  if (batch.has_long()) {
    long_row_.begin(batch);
    start_long_row();
    return;
  }
  const std::size_t rows = batch.row_count();
  for (std::size_t row = 0; row < rows; ++row) {
    if (format_ == CopyFormat::kBinary && !append_binary_row(batch, row)) {
      switch_to_text(rows_written_ + static_cast<std::int64_t>(row) + 1);
    }
    if (format_ == CopyFormat::kText) append_text_row(batch, row);
    if (buffer_.size() >= kSendBytes) {
      throw_if_interrupted();
      flush();
    }
  }
  rows_written_ += static_cast<std::int64_t>(rows);
  throw_if_interrupted();
}

void CopyLoader::start_long_row() {
  if (format_ == CopyFormat::kBinary) {
    // Its pieces go out as they come: every other value must have its binary form first.
    const archive::Batch& row = long_row_.row();
    std::string scratch;
    std::swap(scratch, buffer_);
    bool fits = true;
    for (std::size_t column_idx = 0; column_idx < row.column_count() && fits; ++column_idx) {
      fits = row.column(column_idx).is_long(0) ? binary::takes_pieces(fields_[column_idx])
                                               : append_binary_value(row, column_idx, 0);
    }
    std::swap(scratch, buffer_);
    if (!fits) switch_to_text(rows_written_ + 1);
  }
  if (format_ == CopyFormat::kBinary) binary::append_field_count(buffer_, table_.columns.size());
  continue_long_row();
}

void CopyLoader::continue_long_row() {
  const archive::Batch& row = long_row_.row();
  for (; !long_row_.at_end(); long_row_.next_column()) {
    const std::size_t column_idx = long_row_.column();
    const bool binary = format_ == CopyFormat::kBinary;
    if (!long_row_.at_long_value()) {
      // start_long_row() checked that each has its binary form.
      if (binary) {
        append_binary_value(row, column_idx, 0);
      } else {
        append_value(row, column_idx, 0);
      }
      continue;
    }
    // Its field starts here; the pieces are its bytes (binary), its text (escaped) or its hex
    // digits.
    const auto length = long_row_.expect_pieces();
    if (binary) {
      binary::append_long_start(buffer_, fields_[column_idx], length);
      return;
    }
    if (column_idx > 0) buffer_ += '\t';
    if (is_binary(table_.columns[column_idx].type.kind)) buffer_ += "\\\\x";
    return;
  }
  if (format_ == CopyFormat::kText) buffer_ += '\n';
  long_row_.end();
  ++rows_written_;
}

void CopyLoader::write_piece(std::size_t column_idx, std::string_view piece) {
  long_row_.check_piece(column_idx, piece.size(), "COPY", table_.display_name());
  if (format_ == CopyFormat::kBinary) {
    buffer_.append(piece);
  } else if (is_binary(table_.columns[column_idx].type.kind)) {
    // append_hex() writes the \\x prefix per call: only the digits here.
    const std::size_t at = buffer_.size();
    append_hex(buffer_, piece);
    buffer_.erase(at, 3);
  } else {
    append_text(buffer_, piece);
  }
  const bool value_ended = long_row_.took(piece.size());
  if (buffer_.size() >= kSendBytes) {
    throw_if_interrupted();
    flush();
  }
  if (value_ended) continue_long_row();
}

void CopyLoader::flush() {
  if (buffer_.empty()) return;
  if (PQputCopyData(session_.native(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    fail_copy();
  }
  buffer_.clear();
}

void CopyLoader::fail_copy() {
  // The server refused the data (it reports why in the COPY's result) or the connection broke.
  open_ = false;
  PQputCopyEnd(session_.native(), nullptr);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(session_.native()), &PQclear);
  raise(result.get());
}

void CopyLoader::raise(const PGresult* result) {
  while (PGresult* more = PQgetResult(session_.native())) PQclear(more);
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::string_view(state).rfind("22", 0) == 0) {
    // A value the column cannot hold (overflow, too long, bad date): the server names the line
    // of the COPY, which counts rows of this table from 1, or from the row the text COPY took
    // over at.
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT);
    std::string where;
    if (context != nullptr) {
      where = text_from_row_ > 1
                  ? fmt::format(" ({}; its line 1 is row {} of the table)", context, text_from_row_)
                  : fmt::format(" ({})", context);
    }
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("cannot load table \"{}\": {}{}", table_.display_name(),
                            primary == nullptr ? "a value was refused" : primary, where))
        .with_sqlstate(state, 0)
        .with_hint("a value in that row does not fit the target's column type (postgres "
                   "target); nothing was committed");
  }
  session_.fail(fmt::format("cannot load table \"{}\"", table_.display_name()), result);
}

data::LoadReport CopyLoader::finish() {
  if (!open_) {
    return {.rows = rows_written_, .path = "copy", .empty_as_null = {}, .checksum_change = 0};
  }
  if (long_row_.active()) throw internal_error("COPY: finished before the pieces of its last row");
  end_copy();
  return {.rows = rows_written_, .path = "copy", .empty_as_null = {}, .checksum_change = 0};
}

}  // namespace bru::pg

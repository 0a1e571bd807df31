#include "bru/pg/copy_loader.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include <fmt/format.h>

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

// Whether any of the 8 bytes of `word` is a control character (below 0x20: tab, newline and
// carriage return among them) or a backslash: the bit tricks of "has a byte less than n" and
// "has a zero byte" (of word ^ backslashes), exact for the question whether any byte is.
bool may_need_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighBits = 0x8080808080808080u;
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighBits;
  const std::uint64_t backslashes = word ^ (kOnes * '\\');
  return (control | ((backslashes - kOnes) & ~backslashes & kHighBits)) != 0;
}

// COPY text format: backslash, and the delimiter and line characters, escaped. Runs of 8 bytes
// without any of them are skipped a word at a time (most text has none).
void append_text(std::string& out, std::string_view value) {
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    while (pos + sizeof(std::uint64_t) <= value.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, value.data() + pos, sizeof word);
      if (may_need_escape(word)) break;
      pos += sizeof word;
    }
    if (pos >= value.size()) break;
    const char c = value[pos];
    const char* escape = nullptr;
    switch (c) {
      case '\\': escape = "\\\\"; break;
      case '\t': escape = "\\t"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      default: continue;
    }
    out.append(value.substr(start, pos - start));
    out.append(escape);
    start = pos + 1;
  }
  out.append(value.substr(start));
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
    char digits[32];
    // Shortest text that reads back as the same double: exact for float8, and a real column
    // rounds it as it rounds the bound double of the ODBC path.
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
  }
}

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

std::string copy_in_sql(const schema::Dialect& dialect, const schema::Table& table) {
  std::string columns;
  for (const auto& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    columns += dialect.quote_identifier(column.name);
  }
  // COPY writes identity columns as given (as OVERRIDING SYSTEM VALUE does).
  return fmt::format("COPY {} ({}) FROM STDIN", dialect.qualified_name(table), columns);
}

CopyLoader::CopyLoader(Session& session, const schema::Dialect& dialect,
                       const schema::Table& table)
    : session_(session), table_(table) {
  PGresult* result = PQexec(session_.native(), copy_in_sql(dialect, table).c_str());
  const bool started = result != nullptr && PQresultStatus(result) == PGRES_COPY_IN;
  if (!started) {
    std::unique_ptr<PGresult, decltype(&PQclear)> owned(result, &PQclear);
    session_.fail(fmt::format("cannot start COPY into table \"{}\"", table.display_name()),
                  owned.get());
  }
  PQclear(result);
  open_ = true;
  buffer_.reserve(kSendBytes + (64u << 10));
}

CopyLoader::~CopyLoader() {
  // A load that did not finish: the caller rolls the transaction back (Session), which ends
  // the COPY first.
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
        append_int(buffer_, column.int_at(row));
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

void CopyLoader::write(const archive::Batch& batch) {
  if (long_row_) throw internal_error("COPY: a row before the pieces of the long row before it");
  data::check_values_fit(table_, batch, rows_written_ + 1, "postgres");
  if (batch.has_long()) {
    long_row_ = batch;
    long_column_ = 0;
    continue_long_row();
    return;
  }
  const std::size_t rows = batch.row_count();
  const std::size_t column_count = table_.columns.size();
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
      append_value(batch, column_idx, row);
    }
    buffer_ += '\n';
    if (buffer_.size() >= kSendBytes) {
      throw_if_interrupted();
      flush();
    }
  }
  rows_written_ += static_cast<std::int64_t>(rows);
  throw_if_interrupted();
}

void CopyLoader::continue_long_row() {
  const archive::Batch& row = *long_row_;
  for (; long_column_ < row.column_count(); ++long_column_) {
    const auto& column = row.column(long_column_);
    if (!column.is_long(0)) {
      append_value(row, long_column_, 0);
      continue;
    }
    // Its field starts here; the pieces are its text (escaped) or its hex digits.
    if (long_column_ > 0) buffer_ += '\t';
    if (is_binary(table_.columns[long_column_].type.kind)) buffer_ += "\\\\x";
    long_remaining_ = column.long_length(0);
    return;
  }
  buffer_ += '\n';
  long_row_.reset();
  ++rows_written_;
}

void CopyLoader::write_piece(std::size_t column_idx, std::string_view piece) {
  if (!long_row_ || column_idx != long_column_ || piece.size() > long_remaining_) {
    throw internal_error(fmt::format("COPY into \"{}\": a piece of column {} out of place",
                                     table_.display_name(), column_idx + 1));
  }
  if (is_binary(table_.columns[column_idx].type.kind)) {
    // append_hex() writes the \\x prefix per call: only the digits here.
    const std::size_t at = buffer_.size();
    append_hex(buffer_, piece);
    buffer_.erase(at, 3);
  } else {
    append_text(buffer_, piece);
  }
  long_remaining_ -= piece.size();
  if (buffer_.size() >= kSendBytes) {
    throw_if_interrupted();
    flush();
  }
  if (long_remaining_ == 0) {
    ++long_column_;
    continue_long_row();
  }
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
    // of the COPY, which counts rows of this table from 1.
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT);
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("cannot load table \"{}\": {}{}", table_.display_name(),
                            primary == nullptr ? "a value was refused" : primary,
                            context == nullptr ? "" : fmt::format(" ({})", context)))
        .with_sqlstate(state, 0)
        .with_hint("a value in that row does not fit the target's column type (postgres "
                   "target); nothing was committed");
  }
  session_.fail(fmt::format("cannot load table \"{}\"", table_.display_name()), result);
}

data::LoadReport CopyLoader::finish() {
  if (!open_) return {rows_written_, "copy"};
  if (long_row_) throw internal_error("COPY: finished before the pieces of its last row");
  flush();
  open_ = false;
  if (PQputCopyEnd(session_.native(), nullptr) != 1) fail_copy();
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(session_.native()), &PQclear);
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) raise(result.get());
  while (PGresult* more = PQgetResult(session_.native())) PQclear(more);
  return {rows_written_, "copy"};
}

}  // namespace bru::pg

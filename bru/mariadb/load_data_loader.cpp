#include "bru/mariadb/load_data_loader.h"

#include <errmsg.h>
#include <mysql.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "bru/data/bulk_text.h"
#include "bru/data/value_check.h"
#include "bru/interrupt.h"

namespace bru::mariadb {
namespace {

using schema::Storage;

// Handed to the statement once the buffer holds this much.
constexpr std::size_t kSendBytes = 1u << 20;

// The warnings that say a value was changed on its way in (cut, rounded, out of range, made the
// column's default, not a valid string of the column's character set): a value the column cannot
// hold, exit 11 as on the ODBC path. Any other (a duplicate key, 1062) is exit 4.
bool is_value_warning(unsigned int code) {
  switch (code) {
    case 1048:  // ER_BAD_NULL_ERROR
    case 1263:  // ER_WARN_NULL_TO_NOTNULL
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1406:  // ER_DATA_TOO_LONG
      return true;
    default:
      return false;
  }
}

// LOAD DATA's escapes (ESCAPED BY '\\'): the field and line ends, the escape itself, and NUL.
void append_field(std::string& out, std::string_view value) {
  data::append_escaped(out, value, [](char c) -> const char* {
    switch (c) {
      case '\\': return "\\\\";
      case '\t': return "\\t";
      case '\n': return "\\n";
      case '\0': return "\\0";
      default: return nullptr;
    }
  });
}

// libmariadb's LOCAL INFILE callbacks. The statement names no real file, and whatever file name
// the server asks for, only the feed's rows are sent: no file is ever read.
int infile_init(void** state, const char* /*file_name*/, void* feed) {
  *state = feed;
  return 0;
}

int infile_read(void* feed, char* into, unsigned int size) {
  return static_cast<RowFeed*>(feed)->read(into, size);
}

void infile_end(void* /*feed*/) {}

int infile_error(void* /*feed*/, char* message, unsigned int size) {
  std::snprintf(message, size, "bru stopped the load");
  return CR_UNKNOWN_ERROR;
}

}  // namespace

bool RowFeed::put(std::string& bytes) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return taken_ == ready_.size() || ended_; });
  if (ended_) return false;
  ready_.swap(bytes);
  taken_ = 0;
  bytes.clear();
  changed_.notify_all();
  return true;
}

void RowFeed::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

void RowFeed::abort() {
  std::lock_guard lock(mutex_);
  aborted_ = true;
  changed_.notify_all();
}

void RowFeed::statement_ended() {
  std::lock_guard lock(mutex_);
  ended_ = true;
  changed_.notify_all();
}

int RowFeed::read(char* into, unsigned int size) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return taken_ < ready_.size() || closed_ || aborted_; });
  if (aborted_) return -1;
  const std::size_t count = std::min<std::size_t>(size, ready_.size() - taken_);
  std::memcpy(into, ready_.data() + taken_, count);
  taken_ += count;
  if (taken_ == ready_.size()) changed_.notify_all();
  return static_cast<int>(count);  // 0 once closed and all taken: the end of the file
}

LoadDataLoader::LoadDataLoader(Session& session, const schema::Dialect& dialect,
                               const schema::Table& table)
    : session_(session), dialect_(dialect), table_(table), sql_(dialect.load_data_sql(table)) {
  if (sql_.empty()) throw internal_error("LOAD DATA for a dialect that has none");
  // A field longer than max_allowed_packet does not fail the LOAD DATA: the server stores it
  // changed, which only the read-back would show, as a checksum mismatch.
  if (const auto sql = dialect.value_limit_sql(); !sql.empty()) {
    const auto limit = session_.query_value(sql);
    std::from_chars(limit.data(), limit.data() + limit.size(), max_value_bytes_);
  }
  session_.execute("START TRANSACTION");
  in_transaction_ = true;
  mysql_set_local_infile_handler(session_.native(), infile_init, infile_read, infile_end,
                                 infile_error, &feed_);
  buffer_.reserve(kSendBytes + (64u << 10));
  statement_ = std::thread([this] { run_statement(); });
}

LoadDataLoader::~LoadDataLoader() {
  end_statement(/*closed=*/false);
  rollback_quietly();
}

void LoadDataLoader::run_statement() {
  statement_failed_ =
      mysql_real_query(session_.native(), sql_.data(), static_cast<unsigned long>(sql_.size())) != 0;
  feed_.statement_ended();
}

void LoadDataLoader::end_statement(bool closed) {
  if (!statement_.joinable()) return;
  if (closed) {
    feed_.close();
  } else {
    feed_.abort();
  }
  statement_.join();
}

void LoadDataLoader::rollback_quietly() noexcept {
  if (!in_transaction_) return;
  in_transaction_ = false;
  // A failure here leaves the transaction to the server, which rolls it back when the session
  // closes.
  static constexpr std::string_view kRollback = "ROLLBACK";
  mysql_real_query(session_.native(), kRollback.data(), kRollback.size());
}

void LoadDataLoader::append_value(const archive::Batch& batch, std::size_t column_idx,
                                  std::size_t row) {
  if (column_idx > 0) buffer_ += '\t';
  const auto& column = batch.column(column_idx);
  if (column.is_null(row)) {
    buffer_ += "\\N";
    return;
  }
  switch (column.storage()) {
    case Storage::kInt64:
      data::append_int(buffer_, column.int_at(row));
      break;
    case Storage::kFloat64:
      // MariaDB holds no NaN or infinity: their text is refused with a warning, as a bound one is.
      data::append_finite_double(buffer_, column.double_at(row));
      break;
    case Storage::kBytes:
      append_field(buffer_, column.bytes_at(row));
      break;
  }
}

void LoadDataLoader::write(const archive::Batch& batch) {
  long_row_.check_no_row_pending("LOAD DATA");
  data::check_values_fit(table_, batch, rows_written_ + 1, dialect_.name());
  data::check_value_lengths(table_, batch, rows_written_ + 1, max_value_bytes_,
                            dialect_.value_limit_name());
  if (batch.has_long()) {
    long_row_.begin(batch);
    continue_long_row();
    return;
  }
  const std::size_t rows = batch.row_count();
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column_idx = 0; column_idx < table_.columns.size(); ++column_idx) {
      append_value(batch, column_idx, row);
    }
    buffer_ += '\n';
    if (buffer_.size() >= kSendBytes) hand_over();
  }
  rows_written_ += static_cast<std::int64_t>(rows);
  throw_if_interrupted();
}

void LoadDataLoader::continue_long_row() {
  for (; !long_row_.at_end(); long_row_.next_column()) {
    if (!long_row_.at_long_value()) {
      append_value(long_row_.row(), long_row_.column(), 0);
      continue;
    }
    // The field starts here; its pieces follow.
    if (long_row_.column() > 0) buffer_ += '\t';
    long_row_.expect_pieces();
    return;
  }
  buffer_ += '\n';
  long_row_.end();
  ++rows_written_;
}

void LoadDataLoader::write_piece(std::size_t column_idx, std::string_view piece) {
  long_row_.check_piece(column_idx, piece.size(), "LOAD DATA", table_.display_name());
  append_field(buffer_, piece);
  const bool value_ended = long_row_.took(piece.size());
  if (buffer_.size() >= kSendBytes) hand_over();
  if (value_ended) continue_long_row();
}

void LoadDataLoader::hand_over() {
  throw_if_interrupted();
  if (!feed_.put(buffer_)) fail_load();
}

data::LoadReport LoadDataLoader::finish() {
  if (long_row_.active()) {
    throw internal_error("LOAD DATA: finished before the pieces of its last row");
  }
  if (!buffer_.empty()) hand_over();
  end_statement(/*closed=*/true);
  if (statement_failed_) fail_load();
  if (mysql_warning_count(session_.native()) > 0) fail_on_warnings();
  const auto taken = static_cast<std::int64_t>(mysql_affected_rows(session_.native()));
  if (taken != rows_written_) {
    throw Error(ErrorKind::kDatabase,
                fmt::format("LOAD DATA into table \"{}\" took {} of its {} rows",
                            table_.display_name(), taken, rows_written_))
        .with_hint("nothing of the table was committed; restore with -BULK odbc, and report this "
                   "with bru -LIST output");
  }
  in_transaction_ = false;
  session_.execute("COMMIT");
  return {.rows = rows_written_, .path = "load data", .empty_as_null = {}, .checksum_change = 0};
}

void LoadDataLoader::fail_load() {
  end_statement(/*closed=*/false);
  session_.fail(fmt::format("cannot load table \"{}\"", table_.display_name()));
}

void LoadDataLoader::fail_on_warnings() {
  const unsigned int count = mysql_warning_count(session_.native());
  // The first warning: Level, Code, Message ("Data too long for column 'v' at row 3": the row
  // of this table, which this one statement loads from its first row).
  const auto warning = session_.query_row("SHOW WARNINGS LIMIT 1");
  const unsigned int code =
      warning.size() > 1 ? static_cast<unsigned int>(std::strtoul(warning[1].c_str(), nullptr, 10))
                         : 0;
  const std::string message =
      warning.size() > 2 ? warning[2] : "a warning the server did not show";
  const std::string more =
      count > 1 ? fmt::format(" (and {} more warning{})", count - 1, count > 2 ? "s" : "") : "";
  const bool value = is_value_warning(code);
  throw Error(value ? ErrorKind::kTypeMapping : ErrorKind::kDatabase,
              fmt::format("cannot load table \"{}\": {}{}", table_.display_name(), message, more))
      .with_sqlstate("", static_cast<long>(code))
      .with_hint(value ? "a value in that row does not fit the target's column type (mariadb "
                         "target); LOAD DATA would have stored it changed, so nothing of the "
                         "table was committed"
                       : "LOAD DATA LOCAL skips such a row with a warning; nothing of the table "
                         "was committed");
}

}  // namespace bru::mariadb

#include "formats/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>

namespace bru::archive::sqlite {

Database::Database(const std::string& file, int flags, const char* vfs) {
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    const int system_errno = db_ != nullptr ? sqlite3_system_errno(db_) : 0;
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteFailure(rc, message, system_errno);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

namespace {

[[noreturn]] void throw_failure(sqlite3* db, int code) {
  // Only I/O errors carry a meaningful errno; others may show a stale one.
  const int system_errno = (code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL ||
                                   (code & 0xff) == SQLITE_CANTOPEN
                               ? sqlite3_system_errno(db)
                               : 0;
  throw SqliteFailure(code, sqlite3_errmsg(db), system_errno);
}

}  // namespace

void Database::fail(int code) const { throw_failure(db_, code); }

void Database::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);
    throw_failure(db_, rc);
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc);
  return Statement(db_, stmt);
}

void Database::write_blob(const char* table, const char* column, std::int64_t rowid,
                          std::string_view data) {
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 1, &blob);
  if (rc != SQLITE_OK) {
    sqlite3_blob_close(blob);
    fail(rc);
  }
  // sqlite3_blob_write takes an int size: write in pieces below 2 GiB.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t offset = 0; offset < data.size(); offset += kPiece) {
    const std::size_t piece = std::min(kPiece, data.size() - offset);
    rc = sqlite3_blob_write(blob, data.data() + offset, static_cast<int>(piece),
                            static_cast<int>(offset));
    if (rc != SQLITE_OK) {
      const int system_errno = sqlite3_system_errno(db_);
      std::string message = sqlite3_errmsg(db_);
      sqlite3_blob_close(blob);
      throw SqliteFailure(rc, message, system_errno);
    }
  }
  rc = sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) fail(rc);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

void Database::close() {
  if (db_ == nullptr) return;
  int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) fail(rc);  // statements still open: a bug in the caller
  db_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

void Statement::fail(int code) const { throw_failure(db_, code); }

void Statement::bind_int(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_text(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_blob(int index, std::string_view value) {
  // A non-null pointer even for an empty value: a NULL pointer would store SQL NULL.
  static const char kEmpty = 0;
  int rc = sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(),
                               SQLITE_STATIC);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_zeroblob(int index, std::uint64_t size) {
  int rc = sqlite3_bind_zeroblob64(stmt_, index, size);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_optional_text(int index, const std::optional<std::string>& value) {
  if (value) {
    bind_text(index, *value);
  } else {
    bind_null(index);
  }
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int Statement::column_type(int column) const { return sqlite3_column_type(stmt_, column); }

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

std::string_view Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return blob == nullptr ? std::string_view()
                         : std::string_view(static_cast<const char*>(blob), size);
}

}  // namespace bru::archive::sqlite

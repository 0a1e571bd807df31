#include "bru/data/sqlite_pieces.h"

#include <sqlite3.h>

#include <mutex>
#include <string>

namespace bru::data {
namespace {

// A blob handle on the value the first three arguments name, or nullptr after setting the
// function's error.
sqlite3_blob* open_value(sqlite3_context* context, sqlite3_value** argv, int writable) {
  sqlite3* db = sqlite3_context_db_handle(context);
  const auto* table = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto* column = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (table == nullptr || column == nullptr) {
    sqlite3_result_error(context, "bru piece: NULL table or column name", -1);
    return nullptr;
  }
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db, "main", table, column, sqlite3_value_int64(argv[2]), writable,
                        &blob) != SQLITE_OK) {
    const std::string message = std::string("bru piece: ") + sqlite3_errmsg(db);
    sqlite3_blob_close(blob);
    sqlite3_result_error(context, message.c_str(), -1);
    return nullptr;
  }
  return blob;
}

void read_piece(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  sqlite3_blob* blob = open_value(context, argv, 0);
  if (blob == nullptr) return;
  const sqlite3_int64 size = sqlite3_blob_bytes(blob);
  const sqlite3_int64 offset = sqlite3_value_int64(argv[3]);
  sqlite3_int64 length = sqlite3_value_int64(argv[4]);
  if (offset < 0 || length < 0 || offset > size) {
    sqlite3_blob_close(blob);
    sqlite3_result_error(context, "bru_read_piece: offset or length out of the value", -1);
    return;
  }
  if (length > size - offset) length = size - offset;
  void* buffer = sqlite3_malloc64(static_cast<sqlite3_uint64>(length > 0 ? length : 1));
  if (buffer == nullptr) {
    sqlite3_blob_close(blob);
    sqlite3_result_error_nomem(context);
    return;
  }
  const int rc = sqlite3_blob_read(blob, buffer, static_cast<int>(length), static_cast<int>(offset));
  sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) {
    sqlite3_free(buffer);
    sqlite3_result_error_code(context, rc);
    return;
  }
  sqlite3_result_blob64(context, buffer, static_cast<sqlite3_uint64>(length), sqlite3_free);
}

void write_piece(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  sqlite3_blob* blob = open_value(context, argv, 1);
  if (blob == nullptr) return;
  const sqlite3_int64 offset = sqlite3_value_int64(argv[3]);
  const void* bytes = sqlite3_value_blob(argv[4]);
  const int length = sqlite3_value_bytes(argv[4]);
  if (offset < 0 || offset + length > sqlite3_blob_bytes(blob)) {
    sqlite3_blob_close(blob);
    sqlite3_result_error(context, "bru_write_piece: the piece does not fit the value", -1);
    return;
  }
  const int rc = length == 0 ? SQLITE_OK
                             : sqlite3_blob_write(blob, bytes, length, static_cast<int>(offset));
  sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  sqlite3_result_null(context);
}

int register_functions(sqlite3* db, char** /*error*/, const sqlite3_api_routines* /*api*/) {
  // Not SQLITE_DETERMINISTIC: the result depends on the table, not on the arguments alone.
  int rc = sqlite3_create_function(db, "bru_read_piece", 5, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                   nullptr, read_piece, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "bru_write_piece", 5, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                 nullptr, write_piece, nullptr, nullptr);
  }
  return rc;
}

}  // namespace

void register_sqlite_piece_functions() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(register_functions));
  });
}

}  // namespace bru::data

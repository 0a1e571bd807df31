#include "bru/data/sqlite_pieces.h"

#include <sqlite3.h>
#include <sys/mman.h>

#include <mutex>
#include <string>
#include <string_view>

namespace bru::data {
namespace {

// The longest value SQLite can hold: SQLITE_MAX_LENGTH is at most 2^31 - 1.
constexpr std::size_t kMaxValueBytes = 0x7fffffff;

// Whether the database stores text as UTF-8 (PRAGMA encoding).
bool utf8_database(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  bool utf8 = false;
  if (sqlite3_prepare_v2(db, "PRAGMA main.encoding", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    const auto* encoding = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    utf8 = encoding != nullptr && std::string_view(encoding) == "UTF-8";
  }
  sqlite3_finalize(statement);
  return utf8;
}

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

// A blob handle, kept for the statement as auxiliary data of the (constant) column argument,
// moved from row to row: a seek per row, where sqlite3_blob_open() compiles a statement.
void value_bytes(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  auto* blob = static_cast<sqlite3_blob*>(sqlite3_get_auxdata(context, 1));
  const sqlite3_int64 rowid = sqlite3_value_int64(argv[2]);
  if (blob != nullptr && sqlite3_blob_reopen(blob, rowid) == SQLITE_OK) {
    sqlite3_result_int64(context, sqlite3_blob_bytes(blob));
    return;
  }
  // A failed reopen leaves the handle unusable: a new one replaces it (sqlite3_set_auxdata()
  // closes the old one, and may close the new one at once, so it is not used after).
  blob = open_value(context, argv, 0);
  if (blob == nullptr) return;
  sqlite3_result_int64(context, sqlite3_blob_bytes(blob));
  sqlite3_set_auxdata(context, 1, blob,
                      [](void* handle) { sqlite3_blob_close(static_cast<sqlite3_blob*>(handle)); });
}

// Zeros to read: a private read-only mapping of nothing, whose pages all map the kernel's zero
// page, so a value made of them costs no memory until SQLite copies it into a row. As long as
// the longest value SQLite may hold (SQLITE_MAX_LENGTH is at most 2^31 - 1); nullptr when the
// mapping failed.
const char* zeros() {
  static const char* const mapping = [] {
    void* address = mmap(nullptr, kMaxValueBytes, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return address == MAP_FAILED ? nullptr : static_cast<const char*>(address);
  }();
  return mapping;
}

// bru_zeros(length) and bru_zero_text(length): a value of `length` zero bytes to write pieces
// into where zeroblob() would cost its length (see the header).
void zero_value(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  const sqlite3_int64 length = sqlite3_value_int64(argv[0]);
  const bool text = sqlite3_user_data(context) != nullptr;
  if (length < 0 || static_cast<sqlite3_uint64>(length) > kMaxValueBytes) {
    sqlite3_result_error_toobig(context);
    return;
  }
  const char* bytes = zeros();
  if (bytes == nullptr) {
    sqlite3_result_error_nomem(context);
    return;
  }
  if (!text) {
    sqlite3_result_blob64(context, bytes, static_cast<sqlite3_uint64>(length), SQLITE_STATIC);
    return;
  }
  // Pieces are written as the archive holds text, UTF-8: elsewhere SQLite would convert these
  // zeros, and the pieces would not be the value's bytes.
  if (!utf8_database(sqlite3_context_db_handle(context))) {
    sqlite3_result_error(context, "bru_zero_text: the database's text encoding is not UTF-8", -1);
    return;
  }
  sqlite3_result_text64(context, bytes, static_cast<sqlite3_uint64>(length), SQLITE_STATIC,
                        SQLITE_UTF8);
}

int register_functions(sqlite3* db, char** /*error*/, const sqlite3_api_routines* /*api*/) {
  // Not SQLITE_DETERMINISTIC: the result depends on the table, not on the arguments alone.
  int rc = sqlite3_create_function(db, "bru_read_piece", 5, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                   nullptr, read_piece, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "bru_write_piece", 5, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                 nullptr, write_piece, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "bru_value_bytes", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                 nullptr, value_bytes, nullptr, nullptr);
  }
  // bru_zeros() and bru_zero_text() are deterministic: the same length, the same zeros.
  static char text_marker;
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "bru_zeros", 1,
                                 SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC, nullptr,
                                 zero_value, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "bru_zero_text", 1,
                                 SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC,
                                 &text_marker, zero_value, nullptr, nullptr);
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

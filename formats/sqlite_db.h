// A thin RAII layer over the SQLite C API for the archive writer and reader. Internal to formats/.
//
// Failures throw SqliteFailure (the SQLite result code and message); the archive code catches it
// at its public boundary and turns it into a bru::Error that names the archive and says what to do.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace bru::archive::sqlite {

class SqliteFailure : public std::runtime_error {
 public:
  SqliteFailure(int code, const std::string& message, int system_errno = 0)
      : std::runtime_error(message), code_(code), system_errno_(system_errno) {}
  // The primary result code (SQLITE_FULL, SQLITE_CORRUPT, SQLITE_NOTADB, ...).
  int code() const noexcept { return code_ & 0xff; }
  // The errno of the failing system call behind an I/O error (ENOSPC, EFBIG, ...), or 0.
  int system_errno() const noexcept { return system_errno_; }

 private:
  int code_;
  int system_errno_;
};

class Statement;

class Database {
 public:
  // Opens (flags as for sqlite3_open_v2) through the VFS named `vfs` (nullptr: SQLite's
  // default). Throws SqliteFailure.
  Database(const std::string& file, int flags, const char* vfs = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results. Throws SqliteFailure.
  void exec(const std::string& sql);
  Statement prepare(std::string_view sql);
  // Writes data into the blob column of the row (which holds a zeroblob of data's size) in
  // place: no record-sized copy, which matters for values past glibc's mmap threshold (32 MiB),
  // where each copy would fault in fresh pages. Throws SqliteFailure.
  void write_blob(const char* table, const char* column, std::int64_t rowid, std::string_view data);
  std::int64_t last_insert_rowid() const;
  // Closes now and reports the error (a failed close can mean lost data); the destructor only
  // closes quietly.
  void close();
  sqlite3* handle() const noexcept { return db_; }

 private:
  [[noreturn]] void fail(int code) const;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  // Binding indexes are 1-based, as in SQLite. The bound text/blob must outlive the next step().
  void bind_int(int index, std::int64_t value);
  void bind_text(int index, std::string_view value);
  void bind_blob(int index, std::string_view value);
  void bind_zeroblob(int index, std::uint64_t size);
  void bind_null(int index);
  void bind_optional_text(int index, const std::optional<std::string>& value);

  // True when a row is available, false when done. Throws SqliteFailure.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  bool is_null(int column) const;
  // SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB.
  int column_type(int column) const;
  int column_count() const;
  double column_double(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  // Valid until the next step() or reset().
  std::string_view column_blob(int column) const;

 private:
  [[noreturn]] void fail(int code) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace bru::archive::sqlite

// Direct access to SQLite files for test setup and checks, through the sqlite3 C API: an
// independent path from bru's own (ODBC), so a check cannot share a bug with what it checks.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bru::test {

class SqliteFile {
 public:
  explicit SqliteFile(const std::filesystem::path& path);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  // Runs one or more statements; throws std::runtime_error with SQLite's message.
  void exec(const std::string& sql);
  // Rows of a query, each value as "<typeof>:<value>" (blobs as hex), NULL as "null" — so a
  // comparison sees storage classes too, not only text.
  std::vector<std::vector<std::string>> rows(const std::string& sql);
  // One integer from a query.
  long long scalar(const std::string& sql);
  // Writes the bytes into a stored BLOB (e.g. a zeroblob()) at the offset, with incremental blob
  // I/O: a large value made without holding it whole; throws std::runtime_error.
  void write_blob(const std::string& table, const std::string& column, long long rowid,
                  int offset, const std::string& bytes);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace bru::test

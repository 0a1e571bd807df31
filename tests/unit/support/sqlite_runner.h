// A SqlRunner over the sqlite3 C API, for tests of the schema layer against real SQLite files
// without ODBC. Values come back as text, as they do through ODBC (blobs as their bytes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/sql_runner.h"

struct sqlite3;

namespace bru::test {

class SqliteRunner final : public schema::SqlRunner {
 public:
  // Opens (creates) the file; throws std::runtime_error on failure.
  explicit SqliteRunner(const std::string& path);
  ~SqliteRunner() override;
  SqliteRunner(const SqliteRunner&) = delete;
  SqliteRunner& operator=(const SqliteRunner&) = delete;

  std::vector<schema::Row> query(std::string_view sql,
                                 const std::vector<std::string>& params = {}) override;
  void execute(std::string_view sql, const std::vector<std::string>& params = {}) override;
  // Runs a script of several statements (sqlite3_exec).
  void script(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace bru::test

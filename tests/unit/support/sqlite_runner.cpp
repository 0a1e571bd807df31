#include "unit/support/sqlite_runner.h"

#include <sqlite3.h>

#include <stdexcept>

#include "schema/error.h"

namespace bru::test {

SqliteRunner::SqliteRunner(const std::string& path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + path + ": " + message);
  }
}

SqliteRunner::~SqliteRunner() { sqlite3_close(db_); }

std::vector<schema::Row> SqliteRunner::query(std::string_view sql,
                                             const std::vector<std::string>& params) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    throw Error(ErrorKind::kDatabase,
                std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql));
  }
  for (std::size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
    sqlite3_bind_text(statement, static_cast<int>(param_idx + 1), params[param_idx].c_str(),
                      static_cast<int>(params[param_idx].size()), SQLITE_TRANSIENT);
  }
  std::vector<schema::Row> rows;
  int status = SQLITE_ROW;
  while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
    schema::Row row;
    const int columns = sqlite3_column_count(statement);
    for (int column_idx = 0; column_idx < columns; ++column_idx) {
      if (sqlite3_column_type(statement, column_idx) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
        continue;
      }
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column_idx));
      const int size = sqlite3_column_bytes(statement, column_idx);
      row.emplace_back(std::string(bytes ? bytes : "", static_cast<std::size_t>(size)));
    }
    rows.push_back(std::move(row));
  }
  if (status != SQLITE_DONE) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_finalize(statement);
    throw Error(ErrorKind::kDatabase, message + " in: " + std::string(sql));
  }
  sqlite3_finalize(statement);
  return rows;
}

void SqliteRunner::execute(std::string_view sql, const std::vector<std::string>& params) {
  query(sql, params);
}

void SqliteRunner::script(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(ErrorKind::kDatabase, text + " in: " + sql);
  }
}

}  // namespace bru::test

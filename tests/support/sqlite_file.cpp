#include "support/sqlite_file.h"

#include <stdexcept>

namespace bru::test {

SqliteFile::SqliteFile(const std::filesystem::path& path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + path.string() + ": " + message);
  }
}

SqliteFile::~SqliteFile() { sqlite3_close(db_); }

void SqliteFile::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error("sqlite: " + text);
  }
}

std::vector<std::vector<std::string>> SqliteFile::rows(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  std::vector<std::vector<std::string>> result;
  static constexpr char kHex[] = "0123456789abcdef";
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int column = 0; column < sqlite3_column_count(statement); ++column) {
      switch (sqlite3_column_type(statement, column)) {
        case SQLITE_NULL:
          row.emplace_back("null");
          break;
        case SQLITE_INTEGER:
          row.push_back("integer:" + std::to_string(sqlite3_column_int64(statement, column)));
          break;
        case SQLITE_FLOAT: {
          char text[64];
          snprintf(text, sizeof text, "%.17g", sqlite3_column_double(statement, column));
          row.push_back(std::string("real:") + text);
          break;
        }
        case SQLITE_TEXT:
          row.push_back("text:" + std::string(reinterpret_cast<const char*>(
                                                  sqlite3_column_text(statement, column)),
                                              sqlite3_column_bytes(statement, column)));
          break;
        default: {
          const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement, column));
          std::string hex = "blob:";
          for (int i = 0; i < sqlite3_column_bytes(statement, column); ++i) {
            hex += kHex[bytes[i] >> 4];
            hex += kHex[bytes[i] & 15];
          }
          row.push_back(std::move(hex));
        }
      }
    }
    result.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  return result;
}

long long SqliteFile::scalar(const std::string& sql) {
  const auto result = rows(sql);
  if (result.empty() || result[0].empty()) throw std::runtime_error("no value from: " + sql);
  const auto& value = result[0][0];
  return std::stoll(value.substr(value.find(':') + 1));
}

void SqliteFile::write_blob(const std::string& table, const std::string& column, long long rowid,
                            int offset, const std::string& bytes) {
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_, "main", table.c_str(), column.c_str(), rowid, 1, &blob);
  if (rc == SQLITE_OK) {
    rc = sqlite3_blob_write(blob, bytes.data(), static_cast<int>(bytes.size()), offset);
  }
  const std::string message = sqlite3_errmsg(db_);
  sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot write blob: " + message);
}

}  // namespace bru::test

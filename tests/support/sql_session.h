// One ODBC session to a test database (any engine bru connects to, SQLite files included), for test
// setup and catalog checks through bru's own ODBC layer.
#pragma once

#include <string>
#include <vector>

#include "bru/odbc/connection.h"

namespace bru::test {

class SqlSession {
 public:
  // Opens `conn` (bru's connection grammar); throws bru::Error when the connection fails.
  explicit SqlSession(const std::string& conn);

  // Runs one statement that returns no rows; throws bru::Error with the driver's message.
  void exec(const std::string& sql);
  // Every row of a query, each value as text, NULL as "NULL"; throws as exec.
  std::vector<std::vector<std::string>> rows(const std::string& sql);
  // The first value of the first row ("NULL" when there is none); throws as exec.
  std::string text(const std::string& sql);

 private:
  odbc::Connection connection_;
};

}  // namespace bru::test

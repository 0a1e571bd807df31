#include "support/sql_session.h"

#include "bru/odbc/connection_string.h"

namespace bru::test {

SqlSession::SqlSession(const std::string& conn)
    : connection_(odbc::Connection::open(odbc::parse_connection(conn, {}), {})) {}

void SqlSession::exec(const std::string& sql) { connection_.execute(sql); }

std::vector<std::vector<std::string>> SqlSession::rows(const std::string& sql) {
  odbc::ConnectionRunner runner(connection_);
  std::vector<std::vector<std::string>> result;
  for (const auto& row : runner.query(sql)) {
    auto& values = result.emplace_back();
    for (const auto& value : row) values.push_back(value ? *value : "NULL");
  }
  return result;
}

std::string SqlSession::text(const std::string& sql) {
  const auto result = rows(sql);
  return result.empty() || result[0].empty() ? "NULL" : result[0][0];
}

}  // namespace bru::test

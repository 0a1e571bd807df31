// The seam between the schema layer and a live database. schema/ never sees ODBC: bru/ implements
// SqlRunner over a connection, and tests may implement it over anything real.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bru::schema {

using Row = std::vector<std::optional<std::string>>;  // one value per column, NULL = nullopt

class SqlRunner {
 public:
  virtual ~SqlRunner() = default;
  // Runs a statement that returns rows; parameters are bound as text (`?` markers), in order.
  // Throws bru::Error(kDatabase) with SQLSTATE and the driver's message on failure.
  virtual std::vector<Row> query(std::string_view sql,
                                 const std::vector<std::string>& params = {}) = 0;
  // Runs a statement that returns no rows. Throws as query().
  virtual void execute(std::string_view sql, const std::vector<std::string>& params = {}) = 0;
};

}  // namespace bru::schema

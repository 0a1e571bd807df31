#include "schema/engines/mssql/mssql.h"

namespace bru::schema::dialects {

std::string MssqlDialect::quote_identifier(std::string_view identifier) const {
  std::string quoted = "[";
  for (const char c : identifier) {
    quoted.push_back(c);
    if (c == ']') quoted.push_back(']');
  }
  quoted.push_back(']');
  return quoted;
}

}  // namespace bru::schema::dialects

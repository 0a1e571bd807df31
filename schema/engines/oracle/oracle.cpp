#include "schema/engines/oracle/oracle.h"

#include "schema/engines/common.h"

namespace bru::schema::dialects {

std::string OracleDialect::quote_identifier(std::string_view identifier) const {
  return double_quote(identifier);
}

}  // namespace bru::schema::dialects

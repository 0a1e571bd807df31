#include "schema/engines/mssql/mssql.h"

#include "schema/engines/common.h"

namespace bru::schema::dialects {

std::string MssqlDialect::quote_identifier(std::string_view identifier) const {
  return enclose_identifier(identifier, '[', ']');
}

}  // namespace bru::schema::dialects

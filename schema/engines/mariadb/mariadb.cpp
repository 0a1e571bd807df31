#include "schema/engines/mariadb/mariadb.h"

#include "schema/engines/common.h"

namespace bru::schema::dialects {

std::string MariadbDialect::quote_identifier(std::string_view identifier) const {
  return enclose_identifier(identifier, '`', '`');
}

}  // namespace bru::schema::dialects

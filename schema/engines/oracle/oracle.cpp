#include "schema/engines/oracle/oracle.h"

#include "schema/engines/common.h"
#include "schema/script/lexer.h"

namespace bru::schema::dialects {

std::vector<Statement> OracleDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_oracle(text, file_name, first_line);
}

std::string OracleDialect::quote_identifier(std::string_view identifier) const {
  return double_quote(identifier);
}

}  // namespace bru::schema::dialects

#include "schema/engines/mssql/mssql.h"

#include "schema/script/lexer.h"

namespace bru::schema::dialects {

std::vector<Statement> MssqlDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_mssql(text, file_name, first_line);
}

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

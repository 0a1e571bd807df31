#include "schema/engines/mariadb/mariadb.h"

#include "schema/script/lexer.h"

namespace bru::schema::dialects {

std::vector<Statement> MariadbDialect::split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const {
  return split_detail::split_mariadb(text, file_name, first_line);
}

std::string MariadbDialect::quote_identifier(std::string_view identifier) const {
  std::string quoted = "`";
  for (const char c : identifier) {
    quoted.push_back(c);
    if (c == '`') quoted.push_back('`');
  }
  quoted.push_back('`');
  return quoted;
}

}  // namespace bru::schema::dialects

#include "schema/script/splitter.h"

#include <fmt/format.h>

#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/script/lexer.h"

namespace bru::schema {

const std::vector<std::string_view>& script_dialects() { return dialect_names(); }

std::string normalise_line_endings(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

std::vector<Statement> split_statements(std::string_view dialect, std::string_view text,
                                        std::string_view file_name, int first_line) {
  const std::string normalised = normalise_line_endings(text);
  if (dialect == "postgres") return split_detail::split_postgres(normalised, file_name, first_line);
  if (dialect == "mssql") return split_detail::split_mssql(normalised, file_name, first_line);
  if (dialect == "oracle") return split_detail::split_oracle(normalised, file_name, first_line);
  if (dialect == "sqlite") return split_detail::split_sqlite(normalised, file_name, first_line);
  if (dialect == "mariadb") return split_detail::split_mariadb(normalised, file_name, first_line);
  throw unknown_dialect(dialect, script_dialects());
}

}  // namespace bru::schema

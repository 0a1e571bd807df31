#include "schema/script/splitter.h"

#include "schema/dialect_names.h"
#include "schema/engines/registry.h"
#include "schema/error.h"

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
  const Engine* engine = find_engine(dialect);
  if (engine == nullptr) throw unknown_dialect(dialect, script_dialects());
  return engine->make()->split_script(normalise_line_endings(text), file_name, first_line);
}

}  // namespace bru::schema

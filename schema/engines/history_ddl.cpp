#include "schema/engines/history_ddl.h"

#include <fmt/format.h>

namespace bru::schema::dialects {

std::string history_ddl(std::string_view integer, std::string_view big_integer,
                        const std::function<std::string(int)>& text, std::string_view timestamp,
                        std::string_view options) {
  return fmt::format(
      "CREATE TABLE bru_schema_history (\n"
      "  installed_rank {0} NOT NULL PRIMARY KEY,\n"
      "  version {1} NOT NULL,\n"
      "  description {2} NOT NULL,\n"
      "  script {3} NOT NULL,\n"
      "  checksum {4} NOT NULL,\n"
      "  installed_by {5} NOT NULL,\n"
      "  installed_on {6} NOT NULL,\n"
      "  execution_ms {7} NOT NULL,\n"
      "  success {0} NOT NULL,\n"
      "  statement_count {0} NOT NULL,\n"
      "  statements_done {0} NOT NULL\n"
      "){8}",
      integer, text(50), text(200), text(1000), text(32), text(128), timestamp, big_integer,
      options);
}

}  // namespace bru::schema::dialects

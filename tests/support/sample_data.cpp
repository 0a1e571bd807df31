#include "support/sample_data.h"

#include <sstream>
#include <stdexcept>

#include "support/sqlite_file.h"
#include "tools/sample/model.h"
#include "tools/sample/sql_writer.h"

namespace bru::test {

std::string sample_script(std::string_view dialect, int scale, std::uint64_t seed) {
  std::ostringstream out;
  sample::write_script(*sample::make_wfm_model(), {seed, scale}, dialect, out);
  return out.str();
}

std::vector<std::string> sample_ddl(std::string_view dialect) {
  std::vector<std::string> statements;
  // Scale 1 is the smallest; the rows are generated and dropped, the DDL does not depend on them.
  sample::generate_statements(*sample::make_wfm_model(), {kSampleSeed, 1}, dialect,
                              [&](const sample::SqlStatement& statement) {
                                if (statement.kind == sample::StatementKind::kCreate) {
                                  statements.push_back(statement.text);
                                }
                              });
  return statements;
}

std::uint64_t sample_rows(int scale) {
  return sample::total_rows(*sample::make_wfm_model(), scale);
}

std::uint64_t sample_rows(std::string_view table, int scale) {
  const auto model = sample::make_wfm_model();
  for (std::size_t table_idx = 0; table_idx < model->tables().size(); ++table_idx) {
    if (model->tables()[table_idx].name == table) return model->row_count(table_idx, scale);
  }
  throw std::runtime_error("the sample has no table " + std::string(table));
}

void load_sample_sqlite(const std::filesystem::path& path, int scale) {
  SqliteFile db(path);
  db.exec(sample_script("sqlite", scale));
}

}  // namespace bru::test

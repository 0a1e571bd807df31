#include "tools/sample/model.h"

#include <fmt/format.h>

#include "schema/error.h"

namespace bru::sample {

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names = {"wfm", "wfm65"};
  return names;
}

std::unique_ptr<Model> make_model(std::string_view name) {
  if (name == "wfm") return make_wfm_model();
  if (name == "wfm65") return make_wfm65_model();
  throw Error(ErrorKind::kUsage, fmt::format("unknown model \"{}\"", name),
              {fmt::format("use one of: {}", fmt::join(model_names(), ", "))});
}

std::uint64_t total_rows(const Model& model, int scale) {
  std::uint64_t rows = 0;
  for (std::size_t table_idx = 0; table_idx < model.tables().size(); ++table_idx) {
    rows += model.row_count(table_idx, scale);
  }
  return rows;
}

}  // namespace bru::sample

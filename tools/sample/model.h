// A sample model: the tables of one sample database and a generator for their rows.
//
// A model describes its tables in portable terms (ColumnSpec) and streams their rows, one at a
// time, to a sink: the SQL writers (sql_writer.h) turn both into any dialect's statements, so a
// new model (e.g. the WFM 6.5 legacy twin) is one new file and one line in make_model(), and
// touches no writer. Rows are generated from the seed alone, table by table, without looking at
// other tables' rows (a child finds its parent by arithmetic on keys): memory stays bounded at
// any scale, and the same seed and scale give the same rows on every machine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bru::sample {

enum class ColumnKind { kInteger, kBigInteger, kText, kDecimal, kDate, kTimestamp, kBoolean };

struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::kInteger;
  int length = 0;     // kText: maximum characters
  int precision = 0;  // kDecimal
  int scale = 0;      // kDecimal
  bool nullable = false;
  // Numbered by the database (identity / autoincrement): writers leave it out of the INSERTs,
  // so the engine assigns 1, 2, 3... in insert order.
  bool identity = false;
};

struct ForeignKeySpec {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
};

struct UniqueSpec {
  std::string name;
  std::vector<std::string> columns;
};

struct IndexSpec {
  std::string name;
  std::vector<std::string> columns;
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;
  std::string primary_key_name;
  std::vector<std::string> primary_key;
  std::vector<UniqueSpec> uniques;
  std::vector<ForeignKeySpec> foreign_keys;  // only to tables earlier in Model::tables()
  std::vector<IndexSpec> indexes;
};

// One value of a row, read according to its column's kind: k(Big)Integer and kBoolean (0/1) use
// `integer`; kText uses `text`; kDecimal, kDate and kTimestamp hold their canonical text in
// `text` ("87.25", "2024-03-04", "2024-03-04 08:15:00" or with ".123"/".123456").
struct Value {
  bool null = false;
  std::int64_t integer = 0;
  std::string text;
};

// One value per column of the table, identity columns included (their value is not used).
using Row = std::vector<Value>;
using RowSink = std::function<void(const Row&)>;

struct SampleOptions {
  std::uint64_t seed = 1;
  int scale = 1;  // >= 1; row counts grow linearly with it
  // Only the tables and the reference rows (Model::reference_data): a schema script.
  bool schema_only = false;
};

class Model {
 public:
  virtual ~Model() = default;
  // The name --model takes, e.g. "wfm".
  virtual std::string_view name() const = 0;
  // Tables in creation order: each references only tables before it.
  virtual const std::vector<TableSpec>& tables() const = 0;
  // The number of rows generate() emits for the table at this scale.
  virtual std::uint64_t row_count(std::size_t table_idx, int scale) const = 0;
  // Emits every row of the table, in primary-key order, each exactly once; deterministic in
  // options.seed and options.scale. The Row passed to emit is only valid during the call.
  virtual void generate(std::size_t table_idx, const SampleOptions& options,
                        const RowSink& emit) const = 0;
  // Whether the table's rows belong to the schema itself (a version row, fixed reference data)
  // and are written even with SampleOptions::schema_only.
  virtual bool reference_data(std::size_t table_idx) const {
    (void)table_idx;
    return false;
  }
};

// The model named `name`. Throws Error(kUsage) for an unknown name, listing model_names().
std::unique_ptr<Model> make_model(std::string_view name);
// The names make_model() knows, in the order the help lists them.
const std::vector<std::string>& model_names();

// The sum of row_count() over the model's tables.
std::uint64_t total_rows(const Model& model, int scale);

// The model of bru's demo: a Workforce Management (WFM) contact-centre database. Its core
// tables follow the naming contract shared with sql/wfm (see tools/sample/wfm_model.cpp).
std::unique_ptr<Model> make_wfm_model();
// The WFM 6.5 legacy database, with the 6.5 terms: what bru -MIGRATE reads (wfm65_model.cpp).
std::unique_ptr<Model> make_wfm65_model();

}  // namespace bru::sample

#include "bru/migrate/mover.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bru/interrupt.h"
#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/text.h"
#include "schema/script/version.h"

namespace bru::migrate {
namespace {

constexpr std::size_t kRowsPerInsert = 250;
constexpr std::size_t kKeysPerLookup = 250;

using Row = schema::Row;

std::unique_ptr<schema::Dialect> dialect_of(odbc::Connection& connection) {
  return schema::make_dialect(connection.target().dialect);
}

// Whether the session takes a backslash in a literal as an escape (SqlForms::sql_mode_query).
bool backslash_escapes(odbc::Connection& connection, const schema::SqlForms& forms) {
  if (forms.sql_mode_query.empty()) return false;
  odbc::ConnectionRunner runner(connection);
  const auto mode = runner.query(std::string(forms.sql_mode_query));
  return mode.empty() || !mode[0][0] ||
         mode[0][0]->find("NO_BACKSLASH_ESCAPES") == std::string::npos;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return text;
}

// The first value of the first row as a number (COUNT(*) and friends).
std::int64_t count_of(odbc::Connection& connection, const std::string& sql) {
  odbc::ConnectionRunner runner(connection);
  const auto rows = runner.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return 0;
  return std::stoll(*rows[0][0]);
}

// The rows of a slice, every value as text except those of binary columns, which are read as
// their bytes (a driver's text form of bytes is its own: hex, escaped, or raw); binary gets one
// flag per column.
std::vector<Row> read_slice(odbc::Connection& connection, const std::string& select,
                            std::vector<bool>& binary) {
  auto statement = connection.statement();
  statement.exec_direct(select);
  const auto columns = static_cast<SQLUSMALLINT>(statement.column_count());
  for (SQLUSMALLINT column = 1; column <= columns; ++column) {
    const auto type = statement.column_type(column);
    binary.push_back(type == SQL_BINARY || type == SQL_VARBINARY || type == SQL_LONGVARBINARY);
  }
  std::vector<Row> rows;
  while (statement.fetch()) {
    Row row;
    row.reserve(columns);
    for (SQLUSMALLINT column = 1; column <= columns; ++column) {
      row.push_back(statement.get_data(column, binary[column - 1] ? SQL_C_BINARY : SQL_C_CHAR));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Mover::Mover(odbc::Connection& source, odbc::Connection& target, const MigrationMap& map)
    : source_(source),
      target_(target),
      map_(map),
      source_dialect_(dialect_of(source)),
      target_dialect_(dialect_of(target)),
      source_sql_(source_dialect_->sql_forms(),
                  backslash_escapes(source, source_dialect_->sql_forms())),
      target_sql_(target_dialect_->sql_forms(),
                  backslash_escapes(target, target_dialect_->sql_forms())) {
  for (const auto sql : source_sql_.forms().session_setup) source_.execute(std::string(sql));
  if (&target_ == &source_) return;  // -STATUS without -FROM
  for (const auto sql : target_sql_.forms().session_setup) target_.execute(std::string(sql));
}

void Mover::check_source_version() {
  if (map_.version_table.empty()) return;
  odbc::ConnectionRunner runner(source_);
  std::vector<Row> rows;
  try {
    rows = runner.query(fmt::format("SELECT {} FROM {}", checked(map_.version_column),
                                    checked(map_.version_table)));
  } catch (const Error& error) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("the source {} has no version table {}.{}: {}",
                            source_.target().display, map_.version_table, map_.version_column,
                            error.message()))
        .with_hint(fmt::format("is it a database of this map ({})? -FROM names the old database",
                               map_.name));
  }
  std::optional<update::Version> found;
  std::string found_text;
  for (const auto& row : rows) {
    if (row.empty() || !row[0]) continue;
    const auto version = update::Version::parse(*row[0]);
    if (version && (!found || *found < *version)) found = version, found_text = *row[0];
  }
  const auto minimum = update::Version::parse(map_.minimum_version);
  if (!found) {
    throw Error(ErrorKind::kConflict,
                fmt::format("the source {} records no version in {}.{}",
                            source_.target().display, map_.version_table, map_.version_column))
        .with_hint(map_.version_hint);
  }
  if (minimum && *found < *minimum) {
    throw Error(ErrorKind::kConflict,
                fmt::format("the source {} is at version {}; this map migrates {} and later",
                            source_.target().display, found_text, map_.minimum_version))
        .with_hint(map_.version_hint);
  }
}

void Mover::begin_snapshot() {
  source_.set_autocommit(false);
  for (const auto& sql : source_dialect_->begin_snapshot_sql()) source_.execute(sql);
  snapshot_open_ = true;
}

bool Mover::has_progress_table() {
  // From the catalog, not by a failing SELECT: that would abort an open PostgreSQL transaction.
  return count_of(target_, target_sql_.fill(target_sql_.forms().table_exists_query, kProgressTable)) > 0;
}

void Mover::prepare_progress() {
  // Not CREATE TABLE IF NOT EXISTS: SQL Server and Oracle (before 23ai) have no such form.
  if (!has_progress_table()) target_.execute(target_sql_.create_progress_table());
  odbc::ConnectionRunner runner(target_);
  std::set<std::string> known;
  for (const auto& row : runner.query(fmt::format("SELECT part_id FROM {}", kProgressTable))) {
    if (row[0]) known.insert(*row[0]);
  }
  for (const auto& mapping : map_.mappings) {
    for (const auto& part : mapping.parts) {
      if (known.count(part.id) != 0) continue;
      target_.execute(target_sql_.insert_progress(
          part.id, mapping.name, mapping.performance ? "performance" : "base", utc_now()));
    }
  }
}

PartProgress Mover::load_progress(const Part& part) {
  odbc::ConnectionRunner runner(target_);
  const auto rows = runner.query(target_sql_.select_progress(part.id));
  if (rows.empty()) {
    throw Error(ErrorKind::kInternal, fmt::format("no progress row for \"{}\"", part.id),
                {"run bru -MIGRATE again; report this if it repeats"});
  }
  const auto& row = rows[0];
  PartProgress progress;
  progress.part_id = row[0].value_or("");
  progress.mapping = row[1].value_or("");
  progress.state = row[2].value_or("pending");
  progress.last_key = row[3];
  progress.source_rows = std::stoll(row[4].value_or("0"));
  progress.target_rows = std::stoll(row[5].value_or("0"));
  progress.overlap_rows = std::stoll(row[6].value_or("0"));
  progress.overlap_first = row[7];
  progress.overlap_last = row[8];
  if (row[9]) progress.target_before = std::stoll(*row[9]);
  progress.started_at = row[10].value_or("");
  progress.finished_at = row[11].value_or("");
  progress.updated_at = row[12].value_or("");
  progress.runs = std::stoi(row[13].value_or("0"));
  return progress;
}

std::vector<PartProgress> Mover::progress() {
  std::vector<PartProgress> all;
  for (const auto& mapping : map_.mappings) {
    for (const auto& part : mapping.parts) all.push_back(load_progress(part));
  }
  return all;
}

std::vector<PartProgress> Mover::progress_or_empty() {
  if (!has_progress_table()) return {};
  std::vector<PartProgress> all;
  odbc::ConnectionRunner runner(target_);
  for (const auto& mapping : map_.mappings) {
    for (const auto& part : mapping.parts) {
      if (runner.query(fmt::format("SELECT 1 FROM {} WHERE part_id = {}", kProgressTable,
                                   target_sql_.literal(part.id))).empty()) {
        continue;
      }
      all.push_back(load_progress(part));
    }
  }
  return all;
}

void Mover::save_progress(const PartProgress& progress) {
  target_.execute(target_sql_.update_progress(progress, utc_now()));
}

std::int64_t Mover::move_slice(const Mapping& mapping, const Part& part, PartProgress& progress,
                               std::size_t slice_rows) {
  std::vector<std::string> columns;
  const std::string select = source_sql_.slice_select(part, progress.last_key, slice_rows, columns);
  std::vector<bool> binary_source;
  const auto rows = read_slice(source_, select, binary_source);
  auto column_index = [&](const std::string& source) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), source) -
                                    columns.begin());
  };
  for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
    if (!binary_source[key_idx]) continue;
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("mapping \"{}\": the key column {}.{} is binary", mapping.name,
                            part.from, part.key[key_idx]),
                {"slices are read in key order and resumed after the last key as text: key the "
                 "part by a unique column of numbers, dates or text"});
  }
  // A binary source column copied as it is goes in as the target's binary literal.
  std::vector<bool> binary_target;
  for (const auto& rule : part.columns) {
    binary_target.push_back(rule.kind == ColumnRule::Kind::kCopy &&
                            binary_source[column_index(rule.source)]);
  }
  auto key_text = [&](const Row& row) {
    std::string text;
    for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
      text += fmt::format("{}{}={}", key_idx == 0 ? "" : ", ", part.key[key_idx],
                          row[key_idx].value_or("NULL"));
    }
    return text;
  };

  // The target rows of the slice, in source order.
  std::vector<std::vector<std::optional<std::string>>> target_rows;
  for (const auto& row : rows) {
    std::vector<std::optional<std::string>> values;
    std::vector<std::string> fan_out = {""};
    std::size_t split_at = part.columns.size();
    for (std::size_t rule_idx = 0; rule_idx < part.columns.size(); ++rule_idx) {
      const ColumnRule& rule = part.columns[rule_idx];
      std::optional<std::string> value;
      if (rule.kind == ColumnRule::Kind::kConstant) {
        value = rule.constant;
      } else {
        value = row[column_index(rule.source)];
      }
      if (value && rule.kind == ColumnRule::Kind::kAdd) {
        value = std::to_string(std::stoll(*value) + rule.add);
      } else if (value && (rule.kind == ColumnRule::Kind::kValues ||
                           rule.kind == ColumnRule::Kind::kSplit)) {
        const bool is_values = rule.kind == ColumnRule::Kind::kValues;
        const bool known = is_values ? rule.values.count(*value) != 0 : rule.split.count(*value) != 0;
        if (!known) {
          throw Error(ErrorKind::kTypeMapping,
                      fmt::format("mapping \"{}\": {}.{} = \"{}\" (row {}) is not in the map",
                                  mapping.name, part.from, rule.source, *value, key_text(row)))
              .with_hint(fmt::format("add \"{}\" to the column's \"{}\" in {}, then run again",
                                     *value, is_values ? "values" : "split", map_.path.string()));
        }
        if (is_values) {
          value = rule.values.at(*value);
        } else {
          fan_out = rule.split.at(*value);
          split_at = rule_idx;
        }
      }
      values.push_back(value);
    }
    for (const auto& split_value : fan_out) {
      if (split_at < values.size()) values[split_at] = split_value;
      target_rows.push_back(values);
    }
  }

  // Performance data: rows the new system already has for the same key are left alone.
  std::vector<bool> keep(target_rows.size(), true);
  if (mapping.performance && !target_rows.empty()) {
    std::vector<std::size_t> key_columns;
    std::size_t period_column = 0;
    for (const auto& key : mapping.target_key) {
      for (std::size_t rule_idx = 0; rule_idx < part.columns.size(); ++rule_idx) {
        if (part.columns[rule_idx].target == key) key_columns.push_back(rule_idx);
      }
    }
    for (std::size_t rule_idx = 0; rule_idx < part.columns.size(); ++rule_idx) {
      if (part.columns[rule_idx].target == mapping.period) period_column = rule_idx;
    }
    auto key_of = [&](const std::vector<std::optional<std::string>>& values) {
      std::string text;
      for (const auto column : key_columns) text += values[column].value_or("") + '\x1f';
      return text;
    };
    std::set<std::string> existing;
    odbc::ConnectionRunner target_runner(target_);
    for (std::size_t first = 0; first < target_rows.size(); first += kKeysPerLookup) {
      std::string where;
      const std::size_t last = std::min(target_rows.size(), first + kKeysPerLookup);
      for (std::size_t row_idx = first; row_idx < last; ++row_idx) {
        std::string term;
        for (std::size_t key_idx = 0; key_idx < key_columns.size(); ++key_idx) {
          term += fmt::format("{}{} = {}", key_idx == 0 ? "" : " AND ",
                              checked(mapping.target_key[key_idx]),
                              target_sql_.literal(target_rows[row_idx][key_columns[key_idx]]));
        }
        where += (where.empty() ? "(" : " OR (") + term + ")";
      }
      for (const auto& found : target_runner.query(fmt::format(
               "SELECT {} FROM {} WHERE {}", join_names(mapping.target_key, ""),
               checked(mapping.to), where))) {
        std::string text;
        for (const auto& value : found) text += value.value_or("") + '\x1f';
        existing.insert(text);
      }
    }
    for (std::size_t row_idx = 0; row_idx < target_rows.size(); ++row_idx) {
      if (existing.count(key_of(target_rows[row_idx])) == 0) continue;
      keep[row_idx] = false;
      ++progress.overlap_rows;
      const std::string period = target_rows[row_idx][period_column].value_or("");
      if (!progress.overlap_first || period < *progress.overlap_first) progress.overlap_first = period;
      if (!progress.overlap_last || period > *progress.overlap_last) progress.overlap_last = period;
    }
  }

  std::vector<std::string> target_columns;
  for (const auto& rule : part.columns) target_columns.push_back(rule.target);
  std::vector<const Values*> batch;
  std::int64_t written = 0;
  for (std::size_t row_idx = 0; row_idx < target_rows.size(); ++row_idx) {
    if (!keep[row_idx]) continue;
    batch.push_back(&target_rows[row_idx]);
    ++written;
    if (batch.size() == kRowsPerInsert) {
      insert_rows(mapping, target_columns, batch, binary_target);
      batch.clear();
    }
  }
  if (!batch.empty()) insert_rows(mapping, target_columns, batch, binary_target);

  if (!rows.empty()) {
    std::vector<std::string> last_key;
    for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
      last_key.push_back(rows.back()[key_idx].value_or(""));
    }
    progress.last_key = nlohmann::json(last_key).dump();
  }
  progress.source_rows += static_cast<std::int64_t>(rows.size());
  progress.target_rows += written;
  progress.state = rows.size() < slice_rows ? "complete" : "running";
  if (progress.state == "complete") progress.finished_at = utc_now();
  return static_cast<std::int64_t>(rows.size());
}

void Mover::insert_rows(const Mapping& mapping, const std::vector<std::string>& columns,
                        const std::vector<const Values*>& rows, const std::vector<bool>& binary) {
  std::string insert;
  try {
    insert = target_sql_.insert_rows(mapping.to, columns, rows, binary);
  } catch (Error& error) {
    throw error.with_context("mapping", mapping.name);
  }
  // SQL Server takes explicit values for an identity column only while IDENTITY_INSERT is on.
  std::string identity_on, identity_off;
  const auto& forms = target_sql_.forms();
  if (!forms.explicit_identity_on.empty()) {
    for (const auto& identity : identity_columns(mapping.to)) {
      const bool given = std::any_of(columns.begin(), columns.end(), [&](const std::string& column) {
        return schema::equals_ignoring_case(column, identity);
      });
      if (!given) continue;
      identity_on = target_sql_.fill(forms.explicit_identity_on, mapping.to);
      identity_off = target_sql_.fill(forms.explicit_identity_off, mapping.to);
    }
  }
  try {
    if (!identity_on.empty()) target_.execute(identity_on);
    target_.execute(insert);
    if (!identity_off.empty()) target_.execute(identity_off);
  } catch (Error& error) {
    error.with_context("mapping", mapping.name);
    error.with_hint(fmt::format(
        "the target table {} must be empty before -MIGRATE (a new database made by the "
        "map's script); bru -MIGRATE -STATUS shows what earlier runs did",
        mapping.to));
    throw;
  }
}

const std::vector<std::string>& Mover::identity_columns(const std::string& table) {
  const auto known = identity_columns_.find(table);
  if (known != identity_columns_.end()) return known->second;
  std::vector<std::string> names;
  const auto query = target_sql_.fill(target_sql_.forms().identity_columns_query, table);
  if (!query.empty()) {
    odbc::ConnectionRunner runner(target_);
    for (const auto& row : runner.query(query)) {
      if (row[0]) names.push_back(*row[0]);
    }
  }
  return identity_columns_[table] = std::move(names);
}

bool Mover::move(const MoveOptions& options, std::ostream& progress_out) {
  const auto started = std::chrono::steady_clock::now();
  auto in_step = [&](const Mapping& mapping) {
    if (options.step == Step::kAll) return true;
    return mapping.performance == (options.step == Step::kPerformance);
  };
  if (options.step == Step::kPerformance) {
    for (const auto& mapping : map_.mappings) {
      if (mapping.performance) continue;
      for (const auto& part : mapping.parts) {
        if (load_progress(part).state != "complete") {
          throw Error(ErrorKind::kConflict,
                      fmt::format("-STEP performance needs the base step complete; \"{}\" is not",
                                  part.id),
                      {"run bru -MIGRATE -STEP base first (the performance data refers to its "
                       "activities and agents)"});
        }
      }
    }
  }
  // Each run moves at least one slice, so that runs with any budget end the migration.
  bool moved_a_slice = false;
  for (const auto& mapping : map_.mappings) {
    if (!in_step(mapping)) continue;
    for (const auto& part : mapping.parts) {
      PartProgress progress = load_progress(part);
      if (progress.state == "complete") continue;
      bool counted_run = false;
      while (progress.state != "complete") {
        if (options.budget && moved_a_slice &&
            std::chrono::steady_clock::now() - started >= *options.budget) {
          return false;
        }
        moved_a_slice = true;
        // SIGINT/SIGTERM between slices: the slices done stay committed, a re-run goes on.
        throw_if_interrupted();
        odbc::Transaction slice(target_);
        if (!counted_run) {
          ++progress.runs;
          counted_run = true;
          if (progress.started_at.empty()) progress.started_at = utc_now();
          if (mapping.performance && !progress.target_before) {
            progress.target_before = count_of(target_, "SELECT COUNT(*) FROM " + checked(mapping.to));
          }
        }
        PartProgress next = progress;
        move_slice(mapping, part, next, options.slice_rows);
        save_progress(next);
        slice.commit();
        progress = next;
        if (!options.quiet) {
          progress_out << fmt::format("bru: {}: {} rows done ({})\n", part.id, progress.source_rows,
                                      progress.state);
        }
      }
    }
  }
  for (const auto& mapping : map_.mappings) {
    if (in_step(mapping)) move_identity_past_keys(mapping);
  }
  return true;
}

void Mover::move_identity_past_keys(const Mapping& mapping) {
  // A PostgreSQL identity's sequence and an Oracle identity do not follow the explicit keys
  // inserted: the new system's first row would collide. Run outside the slices' transactions
  // (Oracle's ALTER TABLE commits) and in every run, since it is idempotent.
  const auto& form = target_sql_.forms().identity_past_keys;
  if (form.empty()) return;
  for (const auto& column : identity_columns(mapping.to)) {
    const auto sql = target_sql_.fill(form, mapping.to, column);
    if (sql.rfind("SELECT", 0) == 0) {
      odbc::ConnectionRunner(target_).query(sql);
    } else {
      target_.execute(sql);
    }
  }
}

std::int64_t Mover::expected_rows(const Part& part, std::int64_t& source_rows,
                                  std::string& problem) {
  source_rows = count_of(source_, "SELECT COUNT(*) FROM " + checked(part.from));
  if (!part.join_table.empty()) {
    std::string on;
    for (const auto& [left, right] : part.join_on) {
      on += (on.empty() ? "" : " AND ") + fmt::format("f.{} = j.{}", checked(left), checked(right));
    }
    const auto unmatched = count_of(
        source_, fmt::format("SELECT COUNT(*) FROM {} j WHERE NOT EXISTS (SELECT 1 FROM {} f WHERE {})",
                             checked(part.join_table), checked(part.from), on));
    if (unmatched != 0) {
      problem = fmt::format("{} rows of {} have no {} row", unmatched, part.join_table, part.from);
    }
  }
  const ColumnRule* split = part.split_column();
  if (split == nullptr) return source_rows;
  odbc::ConnectionRunner runner(source_);
  std::int64_t expected = 0;
  for (const auto& row : runner.query(fmt::format("SELECT {}, COUNT(*) FROM {} GROUP BY {}",
                                                  checked(split->source), checked(part.from),
                                                  checked(split->source)))) {
    const std::int64_t count = std::stoll(row[1].value_or("0"));
    if (!row[0]) {
      expected += count;
      continue;
    }
    const auto found = split->split.find(*row[0]);
    if (found == split->split.end()) {
      problem = fmt::format("{}.{} = \"{}\" is not in the map", part.from, split->source, *row[0]);
      continue;
    }
    expected += count * static_cast<std::int64_t>(found->second.size());
  }
  return expected;
}

std::vector<MappingResult> Mover::results(Step step) {
  std::vector<MappingResult> results;
  for (const auto& mapping : map_.mappings) {
    MappingResult result;
    result.mapping = mapping.name;
    result.rule = mapping.rule;
    result.to = mapping.to;
    result.performance = mapping.performance;
    result.in_step = step == Step::kAll || mapping.performance == (step == Step::kPerformance);
    bool all_complete = true, any_started = false;
    std::int64_t target_before = 0;
    for (const auto& part : mapping.parts) {
      std::int64_t source_rows = 0;
      result.expected_rows += expected_rows(part, source_rows, result.problem);
      result.source_rows += source_rows;
      const PartProgress progress = load_progress(part);
      result.moved_rows += progress.target_rows;
      result.overlap_rows += progress.overlap_rows;
      if (progress.overlap_first &&
          (!result.overlap_first || *progress.overlap_first < *result.overlap_first)) {
        result.overlap_first = progress.overlap_first;
      }
      if (progress.overlap_last &&
          (!result.overlap_last || *progress.overlap_last > *result.overlap_last)) {
        result.overlap_last = progress.overlap_last;
      }
      target_before += progress.target_before.value_or(0);
      all_complete = all_complete && progress.state == "complete";
      any_started = any_started || progress.state != "pending";
    }
    result.state = all_complete ? "complete" : any_started ? "running" : "pending";
    result.target_table_rows = count_of(target_, "SELECT COUNT(*) FROM " + checked(mapping.to));
    if (result.problem.empty() && all_complete) {
      if (result.moved_rows + result.overlap_rows != result.expected_rows) {
        result.problem = fmt::format("{} rows moved and {} kept, the rule says {}",
                                     result.moved_rows, result.overlap_rows, result.expected_rows);
      } else if (!mapping.performance && result.target_table_rows != result.moved_rows) {
        result.problem = fmt::format("{} has {} rows, {} were moved", mapping.to,
                                     result.target_table_rows, result.moved_rows);
      } else if (mapping.performance &&
                 result.target_table_rows < target_before + result.moved_rows) {
        result.problem = fmt::format("{} has {} rows, fewer than the {} before plus {} moved",
                                     mapping.to, result.target_table_rows, target_before,
                                     result.moved_rows);
      }
    }
    result.counts_match = all_complete && result.problem.empty();
    results.push_back(std::move(result));
  }
  return results;
}

void print_results(std::ostream& out, const std::vector<MappingResult>& results) {
  out << fmt::format("{:<28} {:<6} {:>10} {:>10} {:>10} {:>10} {:>10}  {}\n", "mapping", "rule",
                     "source", "expected", "moved", "kept-new", "target", "state");
  for (const auto& result : results) {
    std::string state = result.state;
    if (!result.in_step && result.state != "complete") state += " (not in this step)";
    if (result.state == "complete") state = result.counts_match ? "complete, counts match" : "MISMATCH";
    if (!result.problem.empty()) state += ": " + result.problem;
    out << fmt::format("{:<28} {:<6} {:>10} {:>10} {:>10} {:>10} {:>10}  {}\n", result.mapping,
                       result.rule, result.source_rows, result.expected_rows, result.moved_rows,
                       result.overlap_rows, result.target_table_rows, state);
    if (result.overlap_rows > 0) {
      out << fmt::format("  overlap: {} rows of {} the new system already had, kept, from {} to {}\n",
                         result.overlap_rows, result.to, result.overlap_first.value_or("?"),
                         result.overlap_last.value_or("?"));
    }
  }
}

void print_progress(std::ostream& out, const std::vector<PartProgress>& progress,
                    const std::vector<MappingResult>* left) {
  out << fmt::format("{:<36} {:<9} {:>10} {:>10} {:>10} {:>5}  {}\n", "part", "state", "done",
                     "written", "left", "runs", "updated (UTC)");
  for (const auto& part : progress) {
    std::string left_text = "?";
    if (left != nullptr) {
      for (const auto& result : *left) {
        if (result.mapping == part.mapping) {
          // For a union the mapping's expected counts all parts: show what is left of it.
          std::int64_t done = 0;
          for (const auto& other : progress) {
            if (other.mapping == part.mapping) done += other.target_rows + other.overlap_rows;
          }
          left_text = std::to_string(std::max<std::int64_t>(0, result.expected_rows - done));
        }
      }
    }
    out << fmt::format("{:<36} {:<9} {:>10} {:>10} {:>10} {:>5}  {}\n", part.part_id, part.state,
                       part.source_rows, part.target_rows, left_text, part.runs, part.updated_at);
  }
}

}  // namespace bru::migrate

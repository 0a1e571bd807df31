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
#include "schema/script/version.h"

namespace bru::migrate {
namespace {

constexpr const char* kProgressTable = "bru_migrate_progress";
constexpr std::size_t kRowsPerInsert = 250;
constexpr std::size_t kKeysPerLookup = 250;

using Row = schema::Row;

const std::vector<std::string>& supported_engines() {
  static const std::vector<std::string> engines = {"sqlite", "postgres", "mariadb"};
  return engines;
}

void require_engine(const std::string& engine, const std::string& side) {
  const auto& engines = supported_engines();
  if (std::find(engines.begin(), engines.end(), engine) != engines.end()) return;
  throw Error(ErrorKind::kUsage,
              fmt::format("-MIGRATE cannot use a {} database as its {} yet", engine, side),
              {"-MIGRATE reads and writes SQLite, PostgreSQL and MariaDB; move the database "
               "there first (bru -BACKUP, then -RESTORE), or migrate into one of them"});
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return text;
}

bool plain_identifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string checked(const std::string& name) {
  if (plain_identifier(name)) return name;
  throw Error(ErrorKind::kScript,
              fmt::format("migration map: \"{}\" is not a plain table or column name", name),
              {"map names are letters, digits and '_' (they are used unquoted)"});
}

std::string join_keys(const std::vector<std::string>& names, const std::string& prefix) {
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += prefix + checked(name);
  }
  return text;
}

// The first value of the first row as a number (COUNT(*) and friends).
std::int64_t count_of(odbc::Connection& connection, const std::string& sql) {
  odbc::ConnectionRunner runner(connection);
  const auto rows = runner.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return 0;
  return std::stoll(*rows[0][0]);
}

}  // namespace

Mover::Mover(odbc::Connection& source, odbc::Connection& target, const MigrationMap& map)
    : source_(source), target_(target), map_(map) {
  source_engine_ = source_.target().dialect;
  target_engine_ = target_.target().dialect;
  require_engine(source_engine_, "source (-FROM)");
  require_engine(target_engine_, "target (-DB)");
  if (target_engine_ == "mariadb") {
    odbc::ConnectionRunner runner(target_);
    const auto mode = runner.query("SELECT @@SESSION.sql_mode");
    target_backslash_escapes_ = mode.empty() || !mode[0][0] ||
                                mode[0][0]->find("NO_BACKSLASH_ESCAPES") == std::string::npos;
  }
}

// Every value as a quoted string literal: the engines convert it to the column's type (integer,
// numeric, boolean '1'/'0', date, timestamp), so one form serves every column and engine.
static std::string literal(const std::optional<std::string>& value, bool backslash_escapes) {
  if (!value) return "NULL";
  std::string text = "'";
  for (const char c : *value) {
    if (c == '\'') text += "''";
    else if (c == '\\' && backslash_escapes) text += "\\\\";
    else text += c;
  }
  return text + "'";
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
  if (source_engine_ == "mariadb") {
    source_.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    source_.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  } else {
    const auto dialect = schema::make_dialect(source_engine_);
    for (const auto& sql : dialect->begin_snapshot_sql()) source_.execute(sql);
  }
  snapshot_open_ = true;
}

void Mover::prepare_progress() {
  target_.execute(fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (part_id VARCHAR(200) NOT NULL PRIMARY KEY, "
      "mapping VARCHAR(100) NOT NULL, step VARCHAR(12) NOT NULL, state VARCHAR(12) NOT NULL, "
      "last_key VARCHAR(1000) NULL, source_rows BIGINT NOT NULL, target_rows BIGINT NOT NULL, "
      "overlap_rows BIGINT NOT NULL, overlap_first VARCHAR(40) NULL, overlap_last VARCHAR(40) "
      "NULL, target_before BIGINT NULL, started_at VARCHAR(20) NULL, finished_at VARCHAR(20) "
      "NULL, updated_at VARCHAR(20) NOT NULL, runs INTEGER NOT NULL)",
      kProgressTable));
  odbc::ConnectionRunner runner(target_);
  std::set<std::string> known;
  for (const auto& row : runner.query(fmt::format("SELECT part_id FROM {}", kProgressTable))) {
    if (row[0]) known.insert(*row[0]);
  }
  for (const auto& mapping : map_.mappings) {
    for (const auto& part : mapping.parts) {
      if (known.count(part.id) != 0) continue;
      target_.execute(fmt::format(
          "INSERT INTO {} (part_id, mapping, step, state, source_rows, target_rows, "
          "overlap_rows, updated_at, runs) VALUES ({}, {}, {}, 'pending', 0, 0, 0, {}, 0)",
          kProgressTable, literal(part.id, false), literal(mapping.name, false),
          literal(std::string(mapping.performance ? "performance" : "base"), false),
          literal(utc_now(), false)));
    }
  }
}

PartProgress Mover::load_progress(const Part& part) {
  odbc::ConnectionRunner runner(target_);
  const auto rows = runner.query(fmt::format(
      "SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, "
      "overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs "
      "FROM {} WHERE part_id = {}",
      kProgressTable, literal(part.id, false)));
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
  try {
    count_of(target_, std::string("SELECT COUNT(*) FROM ") + kProgressTable);
  } catch (const Error&) {
    return {};
  }
  std::vector<PartProgress> all;
  odbc::ConnectionRunner runner(target_);
  for (const auto& mapping : map_.mappings) {
    for (const auto& part : mapping.parts) {
      if (runner.query(fmt::format("SELECT 1 FROM {} WHERE part_id = {}", kProgressTable,
                                   literal(part.id, false))).empty()) {
        continue;
      }
      all.push_back(load_progress(part));
    }
  }
  return all;
}

void Mover::save_progress(const PartProgress& progress) {
  auto number = [](std::optional<std::int64_t> value) {
    return value ? std::to_string(*value) : std::string("NULL");
  };
  auto text = [](const std::string& value) {
    return value.empty() ? std::optional<std::string>() : std::optional<std::string>(value);
  };
  target_.execute(fmt::format(
      "UPDATE {} SET state = {}, last_key = {}, source_rows = {}, target_rows = {}, "
      "overlap_rows = {}, overlap_first = {}, overlap_last = {}, target_before = {}, "
      "started_at = {}, finished_at = {}, updated_at = {}, runs = {} WHERE part_id = {}",
      kProgressTable, literal(progress.state, false), literal(progress.last_key, false),
      progress.source_rows, progress.target_rows, progress.overlap_rows,
      literal(progress.overlap_first, false), literal(progress.overlap_last, false),
      number(progress.target_before), literal(text(progress.started_at), false),
      literal(text(progress.finished_at), false), literal(utc_now(), false), progress.runs,
      literal(progress.part_id, false)));
}

std::string Mover::source_select(const Part& part, const std::optional<std::string>& last_key,
                                 std::size_t limit, std::vector<std::string>& columns) {
  // columns: the selected source columns as written in the map ("col" or "table.col").
  auto expression = [&](const std::string& source) {
    const auto dot = source.find('.');
    if (dot == std::string::npos) return "f." + checked(source);
    const std::string table = source.substr(0, dot);
    const std::string column = source.substr(dot + 1);
    if (table == part.join_table) return "j." + checked(column);
    if (table == part.from) return "f." + checked(column);
    throw Error(ErrorKind::kScript,
                fmt::format("migration map: mapping \"{}\" reads \"{}\": neither {} nor its join",
                            part.id, source, part.from),
                {"a column is \"col\" of the part's table or \"table.col\" of it or its join"});
  };
  std::string select;
  for (const auto& key : part.key) {
    columns.push_back(key);
    select += (select.empty() ? "" : ", ") + expression(key);
  }
  for (const auto& rule : part.columns) {
    if (rule.kind == ColumnRule::Kind::kConstant) continue;
    if (std::find(columns.begin(), columns.end(), rule.source) != columns.end()) continue;
    columns.push_back(rule.source);
    select += ", " + expression(rule.source);
  }
  std::string sql = fmt::format("SELECT {} FROM {} f", select, checked(part.from));
  if (!part.join_table.empty()) {
    std::string on;
    for (const auto& [left, right] : part.join_on) {
      on += (on.empty() ? "" : " AND ") + fmt::format("j.{} = f.{}", checked(right), checked(left));
    }
    sql += fmt::format(" LEFT JOIN {} j ON {}", checked(part.join_table), on);
  }
  if (last_key) {
    const auto values = nlohmann::json::parse(*last_key).get<std::vector<std::string>>();
    const bool escapes = source_engine_ == "mariadb";
    std::string where;
    if (source_engine_ != "mariadb") {
      // A row-value comparison: PostgreSQL and SQLite walk the key's index from that point.
      std::string tuple;
      for (const auto& value : values) tuple += (tuple.empty() ? "" : ", ") + literal(value, escapes);
      where = fmt::format("({}) > ({})", join_keys(part.key, "f."), tuple);
    } else {
      // MariaDB does not use an index for a row-value comparison: the expanded form, led by a
      // range on the first key column that it does use.
      where = fmt::format("f.{} >= {} AND (", checked(part.key[0]), literal(values[0], escapes));
      for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
        std::string term;
        for (std::size_t equal_idx = 0; equal_idx < key_idx; ++equal_idx) {
          term += fmt::format("f.{} = {} AND ", checked(part.key[equal_idx]),
                              literal(values[equal_idx], escapes));
        }
        term += fmt::format("f.{} > {}", checked(part.key[key_idx]), literal(values[key_idx], escapes));
        where += (key_idx == 0 ? "(" : " OR (") + term + ")";
      }
      where += ")";
    }
    sql += " WHERE " + where;
  }
  sql += fmt::format(" ORDER BY {} LIMIT {}", join_keys(part.key, "f."), limit);
  return sql;
}

std::int64_t Mover::move_slice(const Mapping& mapping, const Part& part, PartProgress& progress,
                               std::size_t slice_rows) {
  std::vector<std::string> columns;
  const std::string select = source_select(part, progress.last_key, slice_rows, columns);
  odbc::ConnectionRunner source_runner(source_);
  const auto rows = source_runner.query(select);
  auto column_index = [&](const std::string& source) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), source) -
                                    columns.begin());
  };
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
                              literal(target_rows[row_idx][key_columns[key_idx]],
                                      target_backslash_escapes_));
        }
        where += (where.empty() ? "(" : " OR (") + term + ")";
      }
      for (const auto& found : target_runner.query(fmt::format(
               "SELECT {} FROM {} WHERE {}", join_keys(mapping.target_key, ""),
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
  const std::string insert =
      fmt::format("INSERT INTO {} ({}) VALUES ", checked(mapping.to), join_keys(target_columns, ""));
  std::string values_sql;
  std::size_t pending = 0;
  std::int64_t written = 0;
  auto flush = [&]() {
    if (pending == 0) return;
    try {
      target_.execute(insert + values_sql);
    } catch (Error& error) {
      error.with_context("mapping", mapping.name);
      error.with_hint(fmt::format(
          "the target table {} must be empty before -MIGRATE (a new database made by the "
          "map's script); bru -MIGRATE -STATUS shows what earlier runs did",
          mapping.to));
      throw;
    }
    values_sql.clear();
    pending = 0;
  };
  for (std::size_t row_idx = 0; row_idx < target_rows.size(); ++row_idx) {
    if (!keep[row_idx]) continue;
    std::string tuple;
    for (const auto& value : target_rows[row_idx]) {
      tuple += (tuple.empty() ? "(" : ", ") + literal(value, target_backslash_escapes_);
    }
    values_sql += (pending == 0 ? "" : ", ") + tuple + ")";
    ++pending;
    ++written;
    if (pending == kRowsPerInsert) flush();
  }
  flush();

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
        if (next.state == "complete") move_identity_past_keys(mapping);
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
  return true;
}

void Mover::move_identity_past_keys(const Mapping& mapping) {
  // MariaDB's AUTO_INCREMENT and SQLite's AUTOINCREMENT follow the keys inserted; a PostgreSQL
  // identity's sequence does not, and the new system's first row would collide.
  if (target_engine_ != "postgres") return;
  odbc::ConnectionRunner runner(target_);
  for (const auto& row : runner.query(fmt::format(
           "SELECT column_name FROM information_schema.columns WHERE table_schema = "
           "current_schema() AND table_name = {} AND (is_identity = 'YES' OR column_default "
           "LIKE 'nextval%')",
           literal(mapping.to, false)))) {
    if (!row[0]) continue;
    const std::string column = checked(*row[0]);
    runner.query(fmt::format(
        "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({}), 0) + 1, false) FROM {}",
        literal(mapping.to, false), literal(column, false), column, checked(mapping.to)));
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

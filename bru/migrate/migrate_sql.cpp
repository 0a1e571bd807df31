#include "bru/migrate/migrate_sql.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "formats/archive_crypto.h"
#include "schema/error.h"

namespace bru::migrate {
namespace {

bool plain_identifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

void check_literal_size(const schema::SqlForms& forms, std::size_t bytes) {
  if (forms.max_literal_bytes == 0 || bytes <= forms.max_literal_bytes) return;
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("a value of {} bytes is longer than the {} bytes this engine takes in "
                          "one literal",
                          bytes, forms.max_literal_bytes),
              {"-MIGRATE moves values as literals: shorten the value in the source, or migrate "
               "into another engine and move the table from there"});
}

}  // namespace

std::string checked(const std::string& name) {
  if (plain_identifier(name)) return name;
  throw Error(ErrorKind::kScript,
              fmt::format("migration map: \"{}\" is not a plain table or column name", name),
              {"map names are letters, digits and '_' (they are used unquoted)"});
}

std::string join_names(const std::vector<std::string>& names, const std::string& prefix) {
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += prefix + checked(name);
  }
  return text;
}

MigrateSql::MigrateSql(const schema::SqlForms& forms, bool backslash_escapes)
    : forms_(forms), backslash_escapes_(backslash_escapes) {}


std::string MigrateSql::binary_literal(const std::optional<std::string>& value) const {
  if (!value) return "NULL";
  const std::string hex = archive::crypto::to_hex(*value);
  check_literal_size(forms_, hex.size());
  return fmt::format(fmt::runtime(forms_.binary_literal), fmt::arg("hex", hex));
}

std::string MigrateSql::literal(const std::optional<std::string>& value) const {
  if (!value) return "NULL";
  check_literal_size(forms_, value->size());
  std::string text(forms_.text_literal_prefix);
  text += '\'';
  for (const char c : *value) {
    if (c == '\'') text += "''";
    else if (c == '\\' && backslash_escapes_) text += "\\\\";
    else text += c;
  }
  return text + "'";
}

std::string MigrateSql::slice_select(const Part& part, const std::optional<std::string>& last_key,
                                     std::size_t limit, std::vector<std::string>& columns) const {
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
  auto add = [&](const std::string& source) {
    select += fmt::format("{}{} AS c{}", select.empty() ? "" : ", ", expression(source), columns.size());
    columns.push_back(source);
  };
  for (const auto& key : part.key) add(key);
  for (const auto& rule : part.columns) {
    if (rule.kind == ColumnRule::Kind::kConstant) continue;
    if (std::find(columns.begin(), columns.end(), rule.source) != columns.end()) continue;
    add(rule.source);
  }
  std::string sql = fmt::format("SELECT {}{} FROM {} f",
                                fmt::format(fmt::runtime(forms_.top_rows), fmt::arg("rows", limit)),
                                select, checked(part.from));
  if (!part.join_table.empty()) {
    std::string on;
    for (const auto& [left, right] : part.join_on) {
      on += (on.empty() ? "" : " AND ") + fmt::format("j.{} = f.{}", checked(right), checked(left));
    }
    sql += fmt::format(" LEFT JOIN {} j ON {}", checked(part.join_table), on);
  }
  if (last_key) {
    const auto values = nlohmann::json::parse(*last_key).get<std::vector<std::string>>();
    std::string where;
    if (forms_.row_value_seek) {
      std::string tuple;
      for (const auto& value : values) tuple += (tuple.empty() ? "" : ", ") + literal(value);
      where = fmt::format("({}) > ({})", join_names(part.key, "f."), tuple);
    } else {
      // The expanded form, led by a range on the first key column that the engine does use.
      where = fmt::format("f.{} >= {} AND (", checked(part.key[0]), literal(values[0]));
      for (std::size_t key_idx = 0; key_idx < part.key.size(); ++key_idx) {
        std::string term;
        for (std::size_t equal_idx = 0; equal_idx < key_idx; ++equal_idx) {
          term += fmt::format("f.{} = {} AND ", checked(part.key[equal_idx]),
                              literal(values[equal_idx]));
        }
        term += fmt::format("f.{} > {}", checked(part.key[key_idx]), literal(values[key_idx]));
        where += (key_idx == 0 ? "(" : " OR (") + term + ")";
      }
      where += ")";
    }
    sql += " WHERE " + where;
  }
  sql += " ORDER BY " + join_names(part.key, "f.");
  return fmt::format(fmt::runtime(forms_.first_rows), fmt::arg("select", sql),
                     fmt::arg("rows", limit));
}

std::string MigrateSql::insert_rows(const std::string& table,
                                    const std::vector<std::string>& columns,
                                    const std::vector<const Values*>& rows,
                                    const std::vector<bool>& binary) const {
  std::string sql = fmt::format("INSERT INTO {} ({}) ", checked(table), join_names(columns, ""));
  const bool values_form = forms_.rows_insert == schema::RowsInsert::kValues;
  if (values_form) sql += "VALUES ";
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    std::string tuple;
    const Values& values = *rows[row_idx];
    for (std::size_t column_idx = 0; column_idx < values.size(); ++column_idx) {
      const bool bytes = column_idx < binary.size() && binary[column_idx];
      tuple += (tuple.empty() ? "" : ", ") +
               (bytes ? binary_literal(values[column_idx]) : literal(values[column_idx]));
    }
    if (values_form) {
      sql += (row_idx == 0 ? "(" : ", (") + tuple + ")";
    } else {
      sql += (row_idx == 0 ? "SELECT " : " UNION ALL SELECT ") + tuple + " FROM dual";
    }
  }
  return sql;
}

std::string MigrateSql::create_progress_table() const {
  const auto text = [&](int length) { return fmt::format("{}({})", forms_.varchar_type, length); };
  const auto bigint = forms_.bigint_type;
  return fmt::format(
      "CREATE TABLE {} (part_id {} NOT NULL PRIMARY KEY, mapping {} NOT NULL, step {} NOT NULL, "
      "state {} NOT NULL, last_key {} NULL, source_rows {} NOT NULL, target_rows {} NOT NULL, "
      "overlap_rows {} NOT NULL, overlap_first {} NULL, overlap_last {} NULL, target_before {} "
      "NULL, started_at {} NULL, finished_at {} NULL, updated_at {} NOT NULL, runs INTEGER NOT "
      "NULL)",
      kProgressTable, text(200), text(100), text(12), text(12), text(1000), bigint, bigint, bigint,
      text(40), text(40), bigint, text(20), text(20), text(20));
}

std::string MigrateSql::insert_progress(const std::string& part_id, const std::string& mapping,
                                        const std::string& step, const std::string& now) const {
  return fmt::format(
      "INSERT INTO {} (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, "
      "updated_at, runs) VALUES ({}, {}, {}, {}, 0, 0, 0, {}, 0)",
      kProgressTable, literal(part_id), literal(mapping), literal(step),
      literal(std::string("pending")), literal(now));
}

std::string MigrateSql::select_progress(const std::string& part_id) const {
  return fmt::format(
      "SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, "
      "overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs "
      "FROM {} WHERE part_id = {}",
      kProgressTable, literal(part_id));
}

std::string MigrateSql::update_progress(const PartProgress& progress, const std::string& now) const {
  auto number = [](std::optional<std::int64_t> value) {
    return value ? std::to_string(*value) : std::string("NULL");
  };
  auto text = [](const std::string& value) {
    return value.empty() ? std::optional<std::string>() : std::optional<std::string>(value);
  };
  return fmt::format(
      "UPDATE {} SET state = {}, last_key = {}, source_rows = {}, target_rows = {}, "
      "overlap_rows = {}, overlap_first = {}, overlap_last = {}, target_before = {}, "
      "started_at = {}, finished_at = {}, updated_at = {}, runs = {} WHERE part_id = {}",
      kProgressTable, literal(progress.state), literal(progress.last_key), progress.source_rows,
      progress.target_rows, progress.overlap_rows, literal(progress.overlap_first),
      literal(progress.overlap_last), number(progress.target_before),
      literal(text(progress.started_at)), literal(text(progress.finished_at)), literal(now),
      progress.runs, literal(progress.part_id));
}

std::string MigrateSql::fill(std::string_view form, const std::string& table,
                             const std::string& column) const {
  if (form.empty()) return {};
  return fmt::format(fmt::runtime(form), fmt::arg("table", checked(table)),
                     fmt::arg("column", column.empty() ? std::string() : checked(column)));
}

}  // namespace bru::migrate

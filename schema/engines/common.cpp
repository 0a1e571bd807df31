#include "schema/engines/common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "schema/engines/archive_sql.h"
#include "schema/error.h"

namespace bru::schema::dialects {

std::string enclose_identifier(std::string_view identifier, char open, char close) {
  std::string quoted(1, open);
  for (const char c : identifier) {
    quoted.push_back(c);
    if (c == close) quoted.push_back(close);
  }
  quoted.push_back(close);
  return quoted;
}

std::string double_quote(std::string_view identifier) {
  std::string out = "\"";
  for (char ch : identifier) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string string_literal(std::string_view text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  out += '\'';
  return out;
}

std::string with_value_rows(std::string head, std::string_view row, std::size_t row_count) {
  head.reserve(head.size() + row_count * (row.size() + 2));
  for (std::size_t row_idx = 0; row_idx < row_count; ++row_idx) {
    if (row_idx > 0) head += ", ";
    head += row;
  }
  return head;
}

std::string key_after_condition(const std::vector<std::string>& key_columns,
                                const std::vector<std::string>& literals) {
  std::string condition = fmt::format("{} >= {} AND (", key_columns[0], literals[0]);
  for (std::size_t key_idx = 0; key_idx < key_columns.size(); ++key_idx) {
    std::string term;
    for (std::size_t equal_idx = 0; equal_idx < key_idx; ++equal_idx) {
      term += fmt::format("{} = {} AND ", key_columns[equal_idx], literals[equal_idx]);
    }
    term += fmt::format("{} > {}", key_columns[key_idx], literals[key_idx]);
    condition += (key_idx == 0 ? "(" : " OR (") + term + ")";
  }
  return condition + ")";
}

std::string aliased(const std::string& expression, const std::string& quoted) {
  return expression.empty() ? quoted : fmt::format("{} AS {}", expression, quoted);
}

void add_key_column(Table& table, std::string_view kind, const std::string& name,
                    const std::string& column, const ForeignKey& new_key,
                    const std::string& ref_column) {
  if (kind == "P") {
    table.primary_key.push_back(column);
  } else if (kind == "U") {
    if (table.uniques.empty() || table.uniques.back().name != name) {
      table.uniques.push_back({name, {}});
    }
    table.uniques.back().columns.push_back(column);
  } else if (kind == "R") {
    if (table.foreign_keys.empty() || table.foreign_keys.back().name != name) {
      table.foreign_keys.push_back(new_key);
      table.foreign_keys.back().name = name;
    }
    table.foreign_keys.back().columns.push_back(column);
    table.foreign_keys.back().ref_columns.push_back(ref_column);
  }
}

void keep_warnings_of(const std::vector<Table>& tables,
                      std::vector<std::pair<std::string, CatalogWarning>>& warnings,
                      std::vector<CatalogWarning>& out) {
  for (auto& [table_name, warning] : warnings) {
    for (const auto& table : tables) {
      if (table.name == table_name) {
        out.push_back(std::move(warning));
        break;
      }
    }
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    if (part_idx > 0) out += separator;
    out += parts[part_idx];
  }
  return out;
}

bool pages_by_literal(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kDecimal:
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kBinary:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz:
    case TypeKind::kUuid:
      return true;
    default:
      return false;
  }
}

std::vector<std::size_t> first_page_key(const Table& table,
                                        const std::function<bool(const Column&)>& follows,
                                        bool unique_indexes) {
  auto indexes_of = [&](const std::vector<std::string>& names) {
    std::vector<std::size_t> key;
    for (const auto& name : names) {
      const auto* column = table.find_column(name);
      if (column == nullptr || column->nullable || !follows(*column)) return std::vector<std::size_t>{};
      key.push_back(static_cast<std::size_t>(column - table.columns.data()));
    }
    return key;
  };
  if (auto key = indexes_of(table.primary_key); !key.empty()) return key;
  for (const auto& unique : table.uniques) {
    if (auto key = indexes_of(unique.columns); !key.empty()) return key;
  }
  if (!unique_indexes) return {};
  for (const auto& index : table.indexes) {
    if (!index.unique || !index.portable) continue;
    if (auto key = indexes_of(index.columns); !key.empty()) return key;
  }
  return {};
}

KeyPage key_page(const Dialect& dialect, const Table& table, std::string_view from,
                 const std::vector<std::string>& expressions, const std::vector<std::size_t>& key,
                 const std::vector<std::size_t>& order, const std::vector<std::string>& after,
                 const std::function<std::string(const Column&, std::string_view)>& literal) {
  std::vector<std::string> selected;
  for (const auto column_idx : order) selected.push_back(expressions[column_idx]);
  std::vector<std::string> key_columns;
  std::vector<std::string> literals;
  for (std::size_t key_idx = 0; key_idx < key.size(); ++key_idx) {
    const auto& column = table.columns[key[key_idx]];
    key_columns.push_back(fmt::format("{}.{}", from, dialect.quote_identifier(column.name)));
    if (!after.empty()) literals.push_back(literal(column, after[key_idx]));
  }
  KeyPage page{join(selected, ", "), "", join(key_columns, ", ")};
  if (!after.empty()) page.where = " WHERE " + key_after_condition(key_columns, literals);
  return page;
}

std::string select_list_sql(const Dialect& dialect, const Table& table,
                            const std::vector<std::string>& expressions) {
  return fmt::format("SELECT {} FROM {}", join(expressions, ", "), dialect.qualified_name(table));
}

std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const auto& name : names) quoted.push_back(dialect.quote_identifier(name));
  return join(quoted, ", ");
}

PortableType type_of_kind(TypeKind kind) {
  PortableType type;
  type.kind = kind;
  return type;
}

PortableType sized_type(TypeKind kind, long long length) {
  PortableType type = type_of_kind(kind);
  type.length = static_cast<std::int32_t>(length);
  return type;
}

PortableType scaled_type(TypeKind kind, long long scale) {
  PortableType type = type_of_kind(kind);
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

std::string hex_digits(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

bool is_integer_kind(TypeKind kind) {
  return kind == TypeKind::kInt16 || kind == TypeKind::kInt32 || kind == TypeKind::kInt64;
}

const std::string& text_at(const Row& row, std::size_t column_idx) {
  static const std::string kEmpty;
  if (column_idx >= row.size() || !row[column_idx]) return kEmpty;
  return *row[column_idx];
}

long long integer_at(const Row& row, std::size_t column_idx) {
  const auto& text = text_at(row, column_idx);
  return text.empty() ? 0 : std::stoll(text);
}

void refuse_index(const Table& table, const Index& index, std::string_view target_dialect) {
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("cannot restore index \"{}\" of table \"{}\" into {}: it uses {} "
                          "features bru cannot translate: {}",
                          index.name, table.display_name(), target_dialect, table.dialect,
                          index.definition_sql.empty()
                              ? "an index type, key prefix or key expression of its own"
                              : index.definition_sql))
      .with_hint(fmt::format("restore into {}, or drop the index in the source database and "
                             "back up again",
                             table.dialect));
}

namespace {

// The closest of candidates to name (case-insensitive), when it is close enough to be a typo.
std::optional<std::string> closest(std::string_view name,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 4) + 1;
  for (const auto& candidate : candidates) {
    auto distance = edit_distance(to_lower(name), to_lower(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

std::vector<Table> apply_table_filter(std::vector<Table> tables, const CatalogFilter& filter,
                                      std::string_view database) {
  for (const auto& wanted : filter.include_tables) {
    bool found = std::any_of(tables.begin(), tables.end(),
                             [&](const Table& table) { return table.matches_name(wanted); });
    if (found) continue;
    Error error(ErrorKind::kNotFound,
                fmt::format("table \"{}\" not found in database \"{}\"", wanted, database));
    std::vector<std::string> names;
    for (const auto& table : tables) names.push_back(table.display_name());
    if (auto suggestion = closest(wanted, names)) {
      error.with_hint(fmt::format("did you mean \"{}\"?", *suggestion));
    }
    error.with_hint("-TABLES names tables as \"schema.table\" or \"table\", in any case");
    throw error;
  }
  std::vector<Table> selected;
  for (auto& table : tables) {
    const bool included =
        filter.include_tables.empty() ||
        std::any_of(filter.include_tables.begin(), filter.include_tables.end(),
                    [&](const std::string& name) { return table.matches_name(name); });
    const bool excluded =
        std::any_of(filter.exclude_tables.begin(), filter.exclude_tables.end(),
                    [&](const std::string& name) { return table.matches_name(name); });
    if (included && !excluded) selected.push_back(std::move(table));
  }
  return selected;
}

void drop_foreign_keys_outside(std::vector<Table>& tables, std::vector<CatalogWarning>& warnings) {
  std::set<std::pair<std::string, std::string>> names;
  for (const auto& table : tables) names.emplace(table.schema, table.name);
  for (auto& table : tables) {
    auto& fks = table.foreign_keys;
    for (auto fk = fks.begin(); fk != fks.end();) {
      if (names.count({fk->ref_schema, fk->ref_table})) {
        ++fk;
        continue;
      }
      Table referenced;
      referenced.schema = fk->ref_schema;
      referenced.name = fk->ref_table;
      warnings.push_back(
          {"foreign-key-outside-selection",
           fmt::format("foreign key {}of table \"{}\" references table \"{}\", which is not "
                       "backed up: the foreign key is left out",
                       fk->name.empty() ? "" : "\"" + fk->name + "\" ", table.display_name(),
                       referenced.display_name())});
      fk = fks.erase(fk);
    }
  }
}

namespace {

// The schemas a -SCHEMA may name, the first few of them, for the not-found hint.
std::string schemas_hint(const std::vector<std::string>& existing) {
  constexpr std::size_t kShown = 10;
  if (existing.empty()) return "the database has no schema the user may read";
  std::vector<std::string> shown;
  for (const auto& name : existing) {
    if (shown.size() == kShown) break;
    shown.push_back("\"" + name + "\"");
  }
  return fmt::format(
      "-SCHEMA takes a comma list of the database's schemas: {}{}", fmt::join(shown, ", "),
      existing.size() > kShown ? fmt::format(" and {} more", existing.size() - kShown)
                               : std::string());
}

}  // namespace

void require_schemas_exist(const std::vector<std::string>& wanted,
                           const std::vector<std::string>& existing, std::string_view database) {
  for (const auto& schema_name : wanted) {
    bool found = std::any_of(existing.begin(), existing.end(), [&](const std::string& name) {
      return equals_ignoring_case(name, schema_name);
    });
    if (found) continue;
    Error error(ErrorKind::kNotFound,
                fmt::format("schema \"{}\" not found in database \"{}\"", schema_name, database));
    if (auto suggestion = closest(schema_name, existing)) {
      error.with_hint(fmt::format("did you mean \"{}\"?", *suggestion));
    }
    error.with_hint(schemas_hint(existing));
    throw error;
  }
}

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// Whether text is wrapped in one pair of parentheses that match each other.
bool wrapped_in_parentheses(std::string_view text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  int depth = 0;
  bool in_string = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char ch = text[pos];
    if (in_string) {
      if (ch == '\'') in_string = false;
      continue;
    }
    if (ch == '\'') in_string = true;
    if (ch == '(') ++depth;
    if (ch == ')' && --depth == 0 && pos + 1 < text.size()) return false;
  }
  return true;
}

// Drops trailing PostgreSQL casts: `'x'::character varying`, `NULL::integer`, `'{}'::int[]`.
std::string_view strip_casts(std::string_view text) {
  for (;;) {
    // The cast starts at the last "::" outside a string literal.
    std::size_t cast_at = std::string_view::npos;
    bool in_string = false;
    for (std::size_t pos = 0; pos + 1 < text.size(); ++pos) {
      if (text[pos] == '\'') in_string = !in_string;
      if (!in_string && text[pos] == ':' && text[pos + 1] == ':') cast_at = pos;
    }
    if (cast_at == std::string_view::npos) return text;
    text = trim(text.substr(0, cast_at));
  }
}

bool is_number(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
  std::size_t digits = 0;
  bool dot = false;
  for (; pos < text.size(); ++pos) {
    char ch = text[pos];
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      ++digits;
    } else if (ch == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
    std::size_t exponent_digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
      ++exponent_digits;
    }
    if (exponent_digits == 0) return false;
  }
  return pos == text.size();
}

// The value of a complete 'string literal' with '' escapes; nullopt for anything else.
std::optional<std::string> string_value(std::string_view text) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return std::nullopt;
  std::string value;
  for (std::size_t pos = 1; pos + 1 < text.size(); ++pos) {
    if (text[pos] == '\'') {
      if (text[pos + 1] != '\'' || pos + 2 >= text.size()) return std::nullopt;
      ++pos;
    }
    value += text[pos];
  }
  return value;
}

}  // namespace

std::string render_default(const PortableDefault& value, std::string_view true_text,
                           std::string_view false_text) {
  using Kind = PortableDefault::Kind;
  switch (value.kind) {
    case Kind::kNull:
      return "NULL";
    case Kind::kBool:
      return std::string(value.truth ? true_text : false_text);
    case Kind::kNumber:
      return value.text;
    case Kind::kString:
      return string_literal(value.text);
    case Kind::kCurrentTimestamp:
      return "CURRENT_TIMESTAMP";
    case Kind::kCurrentDate:
      return "CURRENT_DATE";
    case Kind::kCurrentTime:
      return "CURRENT_TIME";
  }
  return "NULL";
}

std::optional<PortableDefault> parse_default(std::string_view default_sql) {
  std::string_view text = trim(default_sql);
  while (wrapped_in_parentheses(text)) text = trim(text.substr(1, text.size() - 2));
  text = strip_casts(text);
  while (wrapped_in_parentheses(text)) text = trim(text.substr(1, text.size() - 2));

  PortableDefault value;
  const std::string upper = to_upper(text);
  if (upper == "NULL") {
    value.kind = PortableDefault::Kind::kNull;
  } else if (upper == "TRUE" || upper == "FALSE") {
    value.kind = PortableDefault::Kind::kBool;
    value.truth = upper == "TRUE";
  } else if (is_number(text)) {
    value.kind = PortableDefault::Kind::kNumber;
    value.text = std::string(text);
  } else if (auto literal = string_value(
                 upper.size() > 2 && upper[0] == 'N' && upper[1] == '\'' ? text.substr(1) : text)) {
    // SQL Server writes N'...' for Unicode text. PostgreSQL writes negative numbers as '-1'::integer; the string form keeps them exact.
    value.kind = PortableDefault::Kind::kString;
    value.text = *literal;
  } else if (upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_TIMESTAMP()" ||  // MariaDB
             upper == "NOW()" || upper == "LOCALTIMESTAMP" ||
             upper == "TRANSACTION_TIMESTAMP()" || upper == "STATEMENT_TIMESTAMP()" ||
             upper == "GETDATE()" || upper == "SYSDATETIME()") {  // SQL Server
    value.kind = PortableDefault::Kind::kCurrentTimestamp;
  } else if (upper == "CURRENT_DATE" || upper == "CURDATE()") {
    value.kind = PortableDefault::Kind::kCurrentDate;
  } else if (upper == "CURRENT_TIME" || upper == "LOCALTIME") {
    value.kind = PortableDefault::Kind::kCurrentTime;
  } else {
    return std::nullopt;
  }
  return value;
}

std::optional<PortableDefault> portable_default_of(const Table& table, const Column& column,
                                                   std::string_view target_dialect) {
  if (!column.default_sql) return std::nullopt;
  auto value = parse_default(*column.default_sql);
  if (!value) {
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("cannot restore table \"{}\" into {}: the default {} of column \"{}\" "
                            "is {}-specific",
                            table.display_name(), target_dialect, *column.default_sql, column.name,
                            table.dialect))
        .with_hint(
            fmt::format("restore into {}, or drop that default in the source database "
                        "and back up again",
                        table.dialect.empty() ? std::string("the same engine") : table.dialect));
  }
  if (value->kind == PortableDefault::Kind::kString && is_dated(column.type.kind) &&
      target_dialect != "mariadb" && is_zero_date(value->text)) {
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("cannot restore table \"{}\" into {}: the default {} of column \"{}\" "
                            "is a zero date, which {} cannot hold",
                            table.display_name(), target_dialect, *column.default_sql, column.name,
                            target_dialect))
        .with_hint("give -ZERO-DATES null to leave such defaults out and restore zero dates as "
                   "NULL, or restore into mariadb; nothing was changed");
  }
  return value;
}

void refuse_unknown_kind(std::string_view engine, const PortableType& type) {
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("{} cannot hold {} values: unknown kind", engine, to_string(type)))
      .with_hint(
          "the archive names a type this bru does not know: restore it with the bru "
          "version that wrote it (bru -LIST shows it)");
}

std::string portable_index_sql(const Dialect& dialect, const Table& table, const Index& index) {
  if (!index.portable) refuse_index(table, index, dialect.name());
  const std::string index_name =
      index.name.empty() ? table.name + "_" + join(index.columns, "_") + "_idx" : index.name;
  return fmt::format("CREATE {}INDEX {} ON {} ({})", index.unique ? "UNIQUE " : "",
                     dialect.quote_identifier(index_name), dialect.qualified_name(table),
                     quoted_list(dialect, index.columns));
}

std::string foreign_key_clause(const Dialect& dialect, const Table& table, const ForeignKey& fk) {
  check_referential_actions(table, fk);
  std::string clause = fmt::format(
      "FOREIGN KEY ({}) REFERENCES {} ({})", quoted_list(dialect, fk.columns),
      dialect.quote_identifier(fk.ref_table), quoted_list(dialect, fk.ref_columns));
  if (!fk.on_delete.empty() && fk.on_delete != "NO ACTION") clause += " ON DELETE " + fk.on_delete;
  if (!fk.on_update.empty() && fk.on_update != "NO ACTION") clause += " ON UPDATE " + fk.on_update;
  return clause;
}

}  // namespace bru::schema::dialects

#include "schema/engines/mariadb/mariadb.h"

#include <fmt/format.h>

#include "schema/engines/archive_sql.h"
#include "schema/engines/common.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

// A text literal as MariaDB reads one with backslash escapes on (bru's sessions never set
// NO_BACKSLASH_ESCAPES): quotes doubled, backslashes and NUL bytes escaped.
std::string text_literal(std::string_view text) {
  std::string literal = "'";
  literal.reserve(text.size() + 2);
  for (const char c : text) {
    if (c == '\'') {
      literal += "''";
    } else if (c == '\\') {
      literal += "\\\\";
    } else if (c == '\0') {
      literal += "\\0";
    } else {
      literal += c;
    }
  }
  return literal + "'";
}

// How insert_sql() takes the bound value `marker` of a column: timestamptz arrives as "...+00",
// the session is UTC, the server takes the text before it.
std::string taken_value(const Column& column, std::string_view marker) {
  if (column.type.kind == TypeKind::kTimestampTz) {
    return fmt::format("SUBSTRING_INDEX({}, '+', 1)", marker);
  }
  return std::string(marker);
}

// Whether the column's type takes a binary string as its stored bytes rather than its text:
// MariaDB's UUID, INET6 and INET4.
bool stored_as_bytes(const Column& column) {
  if (column.type.kind == TypeKind::kUuid) return true;
  const auto native = to_lower(column.native_type);
  return native.rfind("inet6", 0) == 0 || native.rfind("inet4", 0) == 0;
}

// Date and time values in the canonical text of schema/types.h: fractional digits without
// trailing zeros, none (and no point) when the fraction is zero.
std::string formatted(std::string_view quoted, std::string_view date_format, bool time_only,
                      int scale) {
  const std::string function = time_only ? "TIME_FORMAT" : "DATE_FORMAT";
  if (scale <= 0) return fmt::format("{}({}, '{}')", function, quoted, date_format);
  return fmt::format("TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM {}({}, '{}.%f')))", function,
                     quoted, date_format);
}

}  // namespace

std::string MariadbDialect::quote_identifier(std::string_view identifier) const {
  return enclose_identifier(identifier, '`', '`');
}

std::string MariadbDialect::qualified_name(const Table& table) const {
  return quote_identifier(table.name);
}

std::string MariadbDialect::native_type(const PortableType& type) const {
  switch (type.kind) {
    case TypeKind::kBool:
      return "tinyint(1)";
    case TypeKind::kInt16:
      return "smallint";
    case TypeKind::kInt32:
      return "int";
    case TypeKind::kInt64:
      return "bigint";
    case TypeKind::kFloat32:
      return "float";
    case TypeKind::kFloat64:
      return "double";
    case TypeKind::kDecimal:
      if (type.precision >= 1 && type.precision <= 65 && type.scale <= 38) {
        return fmt::format("decimal({},{})", type.precision, type.scale);
      }
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("MariaDB cannot hold {} values exactly: its DECIMAL needs a "
                              "precision of 1 to 65 and a scale of at most 38",
                              to_string(type)))
          .with_hint("restore this table into PostgreSQL or SQLite, or give the source column a "
                     "precision and scale (numeric(p,s)) and back it up again");
    case TypeKind::kChar:
      if (type.length >= 1 && type.length <= 255) return fmt::format("char({})", type.length);
      return type.length > 0 ? fmt::format("varchar({})", type.length) : "longtext";
    case TypeKind::kVarchar:
      return type.length > 0 ? fmt::format("varchar({})", type.length) : "longtext";
    case TypeKind::kText:
    case TypeKind::kJson:
    case TypeKind::kXml:
      return "longtext";
    case TypeKind::kBinary:
      return type.length > 0 ? fmt::format("varbinary({})", type.length) : "longblob";
    case TypeKind::kBlob:
      return "longblob";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kTime:
      return fmt::format("time({})", type.scale);
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz:
      return fmt::format("datetime({})", type.scale);
    case TypeKind::kUuid:
      return "uuid";
  }
  refuse_unknown_kind("MariaDB", type);
}

std::vector<std::string> MariadbDialect::session_setup_sql() const {
  return {"SET time_zone = '+00:00'",
          "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,"
          "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'",
          "SET foreign_key_checks = 0"};
}

std::vector<std::string> MariadbDialect::begin_snapshot_sql() const {
  return {"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
          "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"};
}

std::vector<std::string> MariadbDialect::snapshot_lock_sql(int wait_seconds) const {
  // FTWRL waits for running writes (and makes new ones wait behind it): bounded by
  // lock_wait_timeout, so a long write fails the backup instead of stalling the server.
  return {fmt::format("SET SESSION lock_wait_timeout = {}", std::max(wait_seconds, 1)),
          "FLUSH TABLES WITH READ LOCK"};
}

std::string MariadbDialect::snapshot_position_sql() const {
  // Binlog_snapshot_file/_position are the binary log position of this session's consistent
  // snapshot (unlike SHOW MASTER STATUS they need no privilege, and no lock to be exact); the
  // GTID position is read under the lock, where no write can move it.
  return "SELECT (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE "
         "VARIABLE_NAME = 'BINLOG_SNAPSHOT_FILE'), (SELECT VARIABLE_VALUE FROM "
         "information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'BINLOG_SNAPSHOT_POSITION'), "
         "@@global.gtid_binlog_pos FROM DUAL WHERE @@global.log_bin = 1";
}

const SqlForms& MariadbDialect::sql_forms() const {
  static const SqlForms forms = [] {
    SqlForms forms;
    // On 10.11 the row form (a, b) > (x, y) reads the index from its start (type=index); the
    // expanded form seeks (type=range).
    forms.row_value_seek = false;
    forms.sql_mode_query = "SELECT @@SESSION.sql_mode";
    forms.table_exists_query =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
        "table_name = '{table}'";
    // AUTO_INCREMENT moves past explicit keys by itself.
    return forms;
  }();
  return forms;
}

std::string MariadbDialect::outside_snapshot_tables_sql() const {
  return "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
         "DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND ENGINE <> 'InnoDB' ORDER BY TABLE_NAME";
}

NameRules MariadbDialect::server_name_rules(SqlRunner& server) const {
  auto rules = name_rules();
  const auto rows = server.query("SELECT @@lower_case_table_names");
  const auto setting = rows.empty() || !rows[0][0] ? std::string("0") : *rows[0][0];
  rules.table_names_fold_case = setting != "0";
  rules.table_names_stored_in_lower_case = setting == "1";
  return rules;
}

std::string MariadbDialect::estimate_rows_sql(const Table& table) const {
  return fmt::format(
      "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_NAME = {}",
      string_literal(table.name));
}

std::vector<std::string> MariadbDialect::select_expressions(const Table& table) const {
  std::vector<std::string> expressions;
  for (const auto& column : table.columns) {
    const std::string quoted = quote_identifier(column.name);
    const auto& type = column.type;
    std::string expression;
    switch (type.kind) {
      case TypeKind::kDecimal:
        expression = fmt::format("CAST({} AS CHAR)", quoted);
        break;
      case TypeKind::kChar:
        // MariaDB strips a CHAR's padding on read; the canonical value keeps it.
        if (type.length > 0) expression = fmt::format("RPAD({}, {}, ' ')", quoted, type.length);
        break;
      case TypeKind::kDate:
        expression = fmt::format("DATE_FORMAT({}, '%Y-%m-%d')", quoted);
        break;
      case TypeKind::kTime:
        expression = formatted(quoted, "%H:%i:%s", true, type.scale);
        break;
      case TypeKind::kTimestamp:
        expression = formatted(quoted, "%Y-%m-%d %H:%i:%s", false, type.scale);
        break;
      case TypeKind::kTimestampTz:
        expression =
            fmt::format("CONCAT({}, '+00')", formatted(quoted, "%Y-%m-%d %H:%i:%s", false,
                                                       type.scale));
        break;
      case TypeKind::kUuid:
        expression = fmt::format("LOWER(CAST({} AS CHAR))", quoted);
        break;
      case TypeKind::kInt64:
        // BIT(n) reads as bytes; as a number it is the integer the kind says.
        if (is_bit(table, column)) {
          expression = fmt::format("CAST({} AS UNSIGNED)", quoted);
        }
        break;
      default:
        break;
    }
    expressions.push_back(aliased(expression, quoted));
  }
  return expressions;
}

bool MariadbDialect::is_bit(const Table& table, const Column& column) const {
  return column.type.kind == TypeKind::kInt64 && same_dialect(table) &&
         to_lower(column.native_type).rfind("bit", 0) == 0;
}

std::string MariadbDialect::select_sql(const Table& table) const {
  return select_list_sql(*this, table, select_expressions(table));
}

namespace {

// Whether the canonical text of the column's values, written as a literal, compares in MariaDB
// as the column's own values do: ENUM and SET sort by their number but compare as text, floats
// would need their exact text, and a text key longer than an index holds has none.
bool pages_follow(const Column& column) {
  const auto native = to_lower(column.native_type);
  if (native.rfind("enum", 0) == 0 || native.rfind("set", 0) == 0) return false;
  return pages_by_literal(column.type.kind);
}

// The canonical text of a page key's value (Dialect::page_key) as a literal MariaDB compares as
// the column's values.
std::string key_literal(const Column& column, std::string_view value) {
  switch (column.type.kind) {
    case TypeKind::kBool:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kDecimal:
      return std::string(value);
    case TypeKind::kBinary:
      return "X'" + hex_digits(value) + "'";
    case TypeKind::kTimestampTz:
      // The session's time zone is UTC (session_setup_sql): the value without its "+00".
      if (value.size() > 3 && value.substr(value.size() - 3) == "+00") {
        value.remove_suffix(3);
      }
      [[fallthrough]];
    default: {
      // bru's session keeps backslash escapes on (session_setup_sql).
      std::string text = "'";
      for (const char ch : value) {
        if (ch == '\'' || ch == '\\') text += ch;
        text += ch;
      }
      return text + "'";
    }
  }
}

}  // namespace

std::vector<std::size_t> MariadbDialect::page_key(const Table& table) const {
  return first_page_key(table, pages_follow, true);
}

std::string MariadbDialect::page_sql(const Table& table, const std::vector<std::size_t>& order,
                                     std::size_t rows,
                                     const std::vector<std::string>& after) const {
  // The expanded form: on 10.11 the row form (a, b) > (x, y) scans the index from its start.
  const auto page =
      key_page(*this, table, qualified_name(table), select_expressions(table),
               page_key(table), order, after, key_literal);
  return fmt::format("SELECT {} FROM {}{} ORDER BY {} LIMIT {}", page.selected,
                     qualified_name(table), page.where, page.order_by, rows);
}

std::vector<std::size_t> MariadbDialect::sliceable_columns(const Table& table) const {
  std::vector<std::size_t> columns;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column = table.columns[column_idx];
    if (storage_of(column.type.kind) != Storage::kBytes || !is_unbounded(column.type)) continue;
    const auto type = to_lower(same_dialect(table) ? column.native_type : native_type(column.type));
    if (type == "mediumtext" || type == "longtext" || type == "mediumblob" || type == "longblob") {
      columns.push_back(column_idx);
    }
  }
  return columns;
}

namespace {

bool is_binary(const Column& column) {
  return column.type.kind == TypeKind::kBlob || column.type.kind == TypeKind::kBinary;
}

// The column's canonical value as bytes: text as the utf8mb4 the session reads it in.
std::string canonical_bytes(const Column& column, const std::string& quoted) {
  return is_binary(column) ? quoted
                           : fmt::format("CAST(CONVERT({} USING utf8mb4) AS BINARY)", quoted);
}

}  // namespace

std::string MariadbDialect::long_cut_page_sql(const Table& table,
                                              const std::vector<std::size_t>& order,
                                              std::size_t rows,
                                              const std::vector<std::string>& after,
                                              const std::vector<std::size_t>& long_columns,
                                              std::uint64_t long_bytes) const {
  auto expressions = select_expressions(table);
  for (const std::size_t column_idx : long_columns) {
    const auto& column = table.columns[column_idx];
    const std::string quoted = quote_identifier(column.name);
    // Long by its stored bytes (cheap: no conversion); its length is that of the canonical bytes.
    const std::string is_long = fmt::format("OCTET_LENGTH({}) > {}", quoted, long_bytes);
    expressions.push_back(fmt::format("IF({}, OCTET_LENGTH({}), NULL)", is_long,
                                      canonical_bytes(column, quoted)));
    expressions[column_idx] = fmt::format("IF({}, NULL, {}) AS {}", is_long, quoted, quoted);
  }
  const auto page = key_page(*this, table, qualified_name(table), expressions, page_key(table),
                             order, after, key_literal);
  return fmt::format("SELECT {} FROM {}{} ORDER BY {} LIMIT {}", page.selected,
                     qualified_name(table), page.where, page.order_by, rows);
}

std::string MariadbDialect::hold_value_sql(const Table& table, std::size_t column_idx,
                                           const std::vector<std::string>& key) const {
  const auto key_columns = page_key(table);
  std::vector<std::string> conditions;
  for (std::size_t key_idx = 0; key_idx < key_columns.size() && key_idx < key.size(); ++key_idx) {
    const auto& column = table.columns[key_columns[key_idx]];
    conditions.push_back(
        fmt::format("{} = {}", quote_identifier(column.name), key_literal(column, key[key_idx])));
  }
  const auto& column = table.columns[column_idx];
  return fmt::format("SET @bru_value = (SELECT {} FROM {} WHERE {})",
                     canonical_bytes(column, quote_identifier(column.name)),
                     qualified_name(table), join(conditions, " AND "));
}

std::string MariadbDialect::hold_part_sql(std::uint64_t offset, std::uint64_t bytes) const {
  return fmt::format("SET @bru_part = SUBSTRING(@bru_value, {}, {})", offset + 1, bytes);
}

std::string MariadbDialect::held_slice_sql(std::uint64_t offset, std::uint64_t bytes) const {
  return fmt::format("SELECT SUBSTRING(@bru_part, {}, {})", offset + 1, bytes);
}

std::string MariadbDialect::create_table_sql(const Table& table) const {
  if (same_dialect(table) && !table.native_sql.empty()) {
    check_create_table(name(), table, table.native_sql);
    return table.native_sql;
  }
  std::vector<std::string> lines;
  for (const auto& column : table.columns) {
    std::string line = quote_identifier(column.name) + " " + native_type(column.type);
    if (!column.nullable) line += " NOT NULL";
    if (auto value = portable_default_of(table, column, name())) {
      // A text default is written as MariaDB reads a literal (backslashes escaped).
      line += " DEFAULT " + (value->kind == PortableDefault::Kind::kString
                                 ? text_literal(value->text)
                                 : render_default(*value, "1", "0"));
    }
    if (column.identity) line += " AUTO_INCREMENT";
    lines.push_back(line);
  }
  if (!table.primary_key.empty()) {
    lines.push_back("PRIMARY KEY (" + quoted_list(*this, table.primary_key) + ")");
  }
  return fmt::format("CREATE TABLE {} (\n  {}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                     qualified_name(table), join(lines, ",\n  "));
}

std::vector<std::string> MariadbDialect::post_data_sql(const Table& table) const {
  if (same_dialect(table) && !table.native_sql.empty()) return {};
  std::vector<std::string> statements;
  for (const auto& unique : table.uniques) {
    std::string constraint;
    if (!unique.name.empty()) constraint = "CONSTRAINT " + quote_identifier(unique.name) + " ";
    statements.push_back(fmt::format("ALTER TABLE {} ADD {}UNIQUE ({})", qualified_name(table),
                                     constraint, quoted_list(*this, unique.columns)));
  }
  for (const auto& index : table.indexes) {
    statements.push_back(portable_index_sql(*this, table, index));
  }
  return statements;
}

std::vector<std::string> MariadbDialect::foreign_key_sql(const Table& table) const {
  if (same_dialect(table) && !table.native_sql.empty()) return {};
  std::vector<std::string> statements;
  for (const auto& fk : table.foreign_keys) {
    std::string sql = fmt::format("ALTER TABLE {} ADD ", qualified_name(table));
    if (!fk.name.empty()) sql += "CONSTRAINT " + quote_identifier(fk.name) + " ";
    statements.push_back(sql + foreign_key_clause(*this, table, fk));
  }
  return statements;
}

std::vector<std::string> MariadbDialect::reset_identity_sql(const Table& table) const {
  (void)table;
  return {};
}

std::string MariadbDialect::drop_table_sql(const Table& table) const {
  return fmt::format("DROP TABLE IF EXISTS {}", qualified_name(table));
}

std::string MariadbDialect::clean_object_sql(const SchemaObject& object) const {
  for (std::string_view kind : {"view", "procedure", "function", "event", "sequence"}) {
    if (object.kind == kind) {
      return fmt::format("DROP {} IF EXISTS {}", to_upper(kind), quote_identifier(object.name));
    }
  }
  return {};
}

std::string MariadbDialect::insert_sql(const Table& table, std::size_t row_count) const {
  std::vector<std::string> names;
  std::vector<std::string> markers;
  for (const auto& column : table.columns) {
    names.push_back(quote_identifier(column.name));
    markers.push_back(taken_value(column, "?"));
  }
  const std::string row = "(" + join(markers, ", ") + ")";
  std::string sql =
      fmt::format("INSERT INTO {} ({}) VALUES ", qualified_name(table), join(names, ", "));
  return with_value_rows(std::move(sql), row, row_count);
}

std::string MariadbDialect::load_data_sql(const Table& table) const {
  std::vector<std::string> targets;
  std::vector<std::string> conversions;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column = table.columns[column_idx];
    const auto name = quote_identifier(column.name);
    const auto variable = fmt::format("@v{}", column_idx + 1);
    // LOAD DATA reads the file as binary strings: a UUID or INET column takes a binary string
    // as its 16 (or 4) stored bytes, so the text form goes in converted to characters.
    const auto value = is_bit(table, column)     ? fmt::format("CAST({} AS UNSIGNED)", variable)
                       : stored_as_bytes(column) ? fmt::format("CONVERT({} USING utf8mb4)", variable)
                                                 : taken_value(column, variable);
    if (value == variable) {
      targets.push_back(name);
      continue;
    }
    targets.push_back(variable);
    conversions.push_back(name + " = " + value);
  }
  std::string sql = fmt::format(
      "LOAD DATA LOCAL INFILE 'bru' INTO TABLE {} CHARACTER SET binary FIELDS TERMINATED BY "
      "'\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({})",
      qualified_name(table), join(targets, ", "));
  if (!conversions.empty()) sql += " SET " + join(conversions, ", ");
  return sql;
}

// The script's session takes a backslash in a literal as an escape (session_setup_sql sets no
// NO_BACKSLASH_ESCAPES): backslashes and NUL bytes are escaped, quotes doubled.
std::string MariadbDialect::literal_sql(const Table& table, const Column& column,
                                        const LiteralValue& value) const {
  const auto* text = std::get_if<std::string_view>(&value);
  const auto kind = column.type.kind;
  if (text == nullptr || kind == TypeKind::kBinary || kind == TypeKind::kBlob ||
      kind == TypeKind::kDecimal) {
    return Dialect::literal_sql(table, column, value);
  }
  std::string_view shown = *text;
  // timestamptz arrives as "...+00": the session is UTC, the server takes the text before it.
  if (kind == TypeKind::kTimestampTz && shown.size() > 3 &&
      shown.substr(shown.size() - 3) == "+00") {
    shown.remove_suffix(3);
  }
  return text_literal(shown);
}

std::string MariadbDialect::script_statement(std::string_view sql) const {
  if (sql.find(';') == std::string_view::npos) return std::string(sql) + ";\n";
  return "DELIMITER $$\n" + std::string(sql) + "\n$$\nDELIMITER ;\n";
}

}  // namespace bru::schema::dialects

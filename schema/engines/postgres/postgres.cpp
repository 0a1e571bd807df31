#include "schema/engines/postgres/postgres.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "schema/engines/archive_sql.h"
#include "schema/engines/common.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

constexpr int kVarHeader = 4;  // typmods of length-limited types count PostgreSQL's varlena header

PortableType decimal_of(int typmod) {
  PortableType type = type_of_kind(TypeKind::kDecimal);
  if (typmod < kVarHeader) return type;
  const int packed = typmod - kVarHeader;
  const int precision = (packed >> 16) & 0xffff;
  // Since PostgreSQL 15 the scale is an 11-bit signed field.
  const int scale = ((packed & 0x7ff) ^ 1024) - 1024;
  if (scale < 0 || scale > precision) return type;
  type.precision = static_cast<std::int16_t>(precision);
  type.scale = static_cast<std::int16_t>(scale);
  return type;
}

PortableType time_of(TypeKind kind, int typmod) {
  PortableType type = type_of_kind(kind);
  type.scale = static_cast<std::int16_t>(typmod >= 0 ? typmod : 6);
  return type;
}

PortableType character_of(TypeKind kind, int typmod) {
  PortableType type = type_of_kind(kind);
  if (typmod >= kVarHeader) type.length = typmod - kVarHeader;
  return type;
}

// The native type without typmods, for CAST(? AS ...): a cast to varchar(n) or bit(n) would cut
// a value silently, while the assignment to the column checks it.
std::string cast_type_of(std::string_view native) {
  std::string out;
  bool in_quotes = false;
  int depth = 0;
  for (char ch : native) {
    if (ch == '"') in_quotes = !in_quotes;
    if (!in_quotes && ch == '(') ++depth;
    if (depth == 0) out += ch;
    if (!in_quotes && ch == ')') --depth;
  }
  if (out.rfind("bit", 0) == 0 && out.rfind("bit varying", 0) != 0) {
    out = "bit varying" + out.substr(3);
  }
  return out;
}

bool is_character_native(std::string_view native) {
  const std::string type = cast_type_of(native);
  return type == "text" || type == "character varying" || type == "character" || type == "bpchar";
}

bool is_numeric_kind(TypeKind kind) {
  return is_integer_kind(kind) || kind == TypeKind::kFloat32 || kind == TypeKind::kFloat64 ||
         kind == TypeKind::kDecimal;
}

std::string render_default(const PortableDefault& value, const PortableType& type) {
  if (value.kind == PortableDefault::Kind::kNumber && !is_numeric_kind(type.kind)) {
    // A bare number is no boolean or string to PostgreSQL.
    if (type.kind == TypeKind::kBool) return value.text == "0" ? "false" : "true";
    return string_literal(value.text);
  }
  return dialects::render_default(value, "true", "false");
}

[[noreturn]] void cannot_hold(const PortableType& type, std::string_view why) {
  throw Error(ErrorKind::kTypeMapping,
              fmt::format("PostgreSQL cannot hold {} values: {}", to_string(type), why))
      .with_hint(
          "restore into the engine the archive came from (bru -LIST shows it), or change "
          "the column's type in the source database and back up again");
}

}  // namespace

PortableType postgres_portable_type(const PostgresTypeInfo& info) {
  if (!info.builtin || info.array) return type_of_kind(TypeKind::kText);
  const std::string_view name = info.name;
  if (name == "int2") return type_of_kind(TypeKind::kInt16);
  if (name == "int4") return type_of_kind(TypeKind::kInt32);
  if (name == "int8" || name == "oid") return type_of_kind(TypeKind::kInt64);
  if (name == "bool") return type_of_kind(TypeKind::kBool);
  if (name == "float4") return type_of_kind(TypeKind::kFloat32);
  if (name == "float8") return type_of_kind(TypeKind::kFloat64);
  if (name == "numeric") return decimal_of(info.typmod);
  if (name == "money") return type_of_kind(TypeKind::kDecimal);
  if (name == "bpchar") {
    // bpchar without a length is blank-padded text of any length, not char(n).
    if (info.typmod < kVarHeader) return type_of_kind(TypeKind::kText);
    return character_of(TypeKind::kChar, info.typmod);
  }
  if (name == "varchar") return character_of(TypeKind::kVarchar, info.typmod);
  if (name == "text") return type_of_kind(TypeKind::kText);
  if (name == "bytea") return type_of_kind(TypeKind::kBlob);
  if (name == "date") return type_of_kind(TypeKind::kDate);
  if (name == "time") return time_of(TypeKind::kTime, info.typmod);
  if (name == "timestamp") return time_of(TypeKind::kTimestamp, info.typmod);
  if (name == "timestamptz") return time_of(TypeKind::kTimestampTz, info.typmod);
  if (name == "uuid") return type_of_kind(TypeKind::kUuid);
  if (name == "json" || name == "jsonb") return type_of_kind(TypeKind::kJson);
  if (name == "xml") return type_of_kind(TypeKind::kXml);
  return type_of_kind(TypeKind::kText);
}

std::string PostgresDialect::quote_identifier(std::string_view identifier) const {
  return double_quote(identifier);
}

std::string PostgresDialect::native_type(const PortableType& type) const {
  auto time_type = [&](std::string_view base, std::string_view suffix) {
    if (type.scale < 0 || type.scale > 6) {
      cannot_hold(type, "fractional seconds are limited to 6 digits");
    }
    if (type.scale == 6) return fmt::format("{}{}", base, suffix);
    return fmt::format("{}({}){}", base, type.scale, suffix);
  };
  auto character_type = [&](std::string_view base) {
    if (type.length > 10485760) cannot_hold(type, "lengths are limited to 10485760 characters");
    return fmt::format("{}({})", base, type.length);
  };
  switch (type.kind) {
    case TypeKind::kBool:
      return "boolean";
    case TypeKind::kInt16:
      return "smallint";
    case TypeKind::kInt32:
      return "integer";
    case TypeKind::kInt64:
      return "bigint";
    case TypeKind::kFloat32:
      return "real";
    case TypeKind::kFloat64:
      return "double precision";
    case TypeKind::kDecimal:
      if (type.precision == 0) return "numeric";
      if (type.precision > 1000) cannot_hold(type, "numeric precision is limited to 1000");
      return fmt::format("numeric({},{})", type.precision, type.scale);
    case TypeKind::kChar:
      if (type.length <= 0) return "text";
      return character_type("character");
    case TypeKind::kVarchar:
      if (type.length <= 0) return "character varying";
      return character_type("character varying");
    case TypeKind::kText:
      return "text";
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      return "bytea";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kTime:
      return time_type("time", "");
    case TypeKind::kTimestamp:
      return time_type("timestamp", "");
    case TypeKind::kTimestampTz:
      return time_type("timestamp", " with time zone");
    case TypeKind::kUuid:
      return "uuid";
    case TypeKind::kJson:
      return "json";
    case TypeKind::kXml:
      return "xml";
  }
  cannot_hold(type, "unknown kind");
}

std::vector<std::string> PostgresDialect::session_setup_sql() const {
  return {
      "SET TIME ZONE 'UTC'",
      "SET DateStyle = 'ISO, YMD'",
      "SET IntervalStyle = 'iso_8601'",
      "SET extra_float_digits = 3",
      "SET bytea_output = 'hex'",
      "SET standard_conforming_strings = on",
      "SET statement_timeout = 0",
      "SET idle_in_transaction_session_timeout = 0",
  };
}

std::vector<std::string> PostgresDialect::begin_snapshot_sql() const {
  return {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"};
}

const SqlForms& PostgresDialect::sql_forms() const {
  // An identity's or serial's sequence does not follow explicit keys, and the new system's first
  // row would collide: -MIGRATE moves it past them.
  static const SqlForms forms = [] {
    SqlForms forms;
    // bytea's hex input form (standard_conforming_strings is on, the default since 9.1).
    forms.binary_literal = "'\\x{hex}'";
    forms.table_exists_query =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
        "table_name = '{table}'";
    forms.identity_columns_query =
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = '{table}' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')";
    forms.identity_past_keys =
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) "
        "+ 1, false) FROM {table}";
    return forms;
  }();
  return forms;
}

std::vector<std::string> PostgresDialect::import_snapshot_sql(
    const std::string& snapshot_id) const {
  return {"SET TRANSACTION SNAPSHOT " + string_literal(snapshot_id)};
}

std::string PostgresDialect::column_type(const Table& table, const Column& column) const {
  if (same_dialect(table) && !column.native_type.empty()) {
    check_native_type(name(), table, column);
    return column.native_type;
  }
  return native_type(column.type);
}

std::string PostgresDialect::estimate_rows_sql(const Table& table) const {
  // The planner's estimate from the last ANALYZE/VACUUM: free, and good enough for an ETA.
  return fmt::format("SELECT CAST(GREATEST(reltuples, 0) AS bigint) FROM pg_class WHERE oid = "
                     "CAST({} AS regclass)",
                     string_literal(qualified_name(table)));
}

std::vector<std::string> PostgresDialect::lock_table_sql(const Table& table,
                                                         int wait_seconds) const {
  return {fmt::format("SET LOCAL lock_timeout = '{}s'", wait_seconds),
          fmt::format("LOCK TABLE ONLY {} IN ACCESS SHARE MODE", qualified_name(table)),
          "SET LOCAL lock_timeout = 0"};
}

std::string PostgresDialect::lock_holders_sql(const Table& table) const {
  return fmt::format(
      "SELECT a.pid, a.usename, a.application_name, a.xact_start, a.query FROM pg_locks l JOIN "
      "pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'relation' AND l.relation = "
      "CAST({} AS regclass) AND l.mode = 'AccessExclusiveLock' AND a.pid <> pg_backend_pid() "
      "ORDER BY l.granted DESC, a.pid",
      string_literal(qualified_name(table)));
}

std::string PostgresDialect::select_expression(const Table& table, const Column& column) const {
  const std::string quoted = quote_identifier(column.name);
  switch (column.type.kind) {
    case TypeKind::kBool:
      return fmt::format("CAST({} AS integer)", quoted);
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      return quoted;
    case TypeKind::kDecimal:
      // money has no cast to text that is not locale-dependent; numeric's is exact.
      return cast_type_of(column.native_type) == "money"
                 ? fmt::format("CAST(CAST({} AS numeric) AS text)", quoted)
                 : fmt::format("CAST({} AS text)", quoted);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
      // A table of another engine's archive (a restore's read-back) has the character column
      // bru created for it: read as it is, as CAST(character(n) AS text) drops the padding.
      return !same_dialect(table) || column.native_type.empty() ||
                     is_character_native(column.native_type)
                 ? quoted
                 : fmt::format("CAST({} AS text)", quoted);
    default:
      return fmt::format("CAST({} AS text)", quoted);
  }
}

std::string PostgresDialect::select_sql(const Table& table) const {
  std::vector<std::string> expressions;
  for (const auto& column : table.columns) {
    const std::string quoted = quote_identifier(column.name);
    const std::string expression = select_expression(table, column);
    expressions.push_back(expression == quoted ? quoted
                                               : fmt::format("{} AS {}", expression, quoted));
  }
  // ONLY: a partitioned table's rows are its partitions', read with each partition (archives
  // before format 4 read them through the partitioned table; they are not read again).
  return fmt::format("SELECT {} FROM ONLY {}", join(expressions, ", "), qualified_name(table));
}

// psqlODBC's own cursor (UseDeclareFetch) fetches its Fetch= rows per round trip whatever their
// width and holds them all, hex-encoded for bytea: 10,000 rows of 1 MB would be 20 GB. A cursor
// bru declares itself lets the reader size each FETCH from the bytes of the rows before.
std::string PostgresDialect::declare_cursor_sql(std::string_view cursor,
                                                std::string_view select) const {
  return fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", quote_identifier(cursor), select);
}

std::string PostgresDialect::fetch_cursor_sql(std::string_view cursor, std::size_t rows) const {
  return fmt::format("FETCH FORWARD {} FROM {}", rows, quote_identifier(cursor));
}

std::string PostgresDialect::close_cursor_sql(std::string_view cursor) const {
  return "CLOSE " + quote_identifier(cursor);
}

std::string PostgresDialect::create_table_sql(const Table& table) const {
  const bool same = same_dialect(table);
  if (same && !table.native_sql.empty()) {
    check_create_table(name(), table, table.native_sql);
    return table.native_sql;
  }
  std::vector<std::string> lines;
  for (const auto& column : table.columns) {
    std::string line = quote_identifier(column.name) + " ";
    const std::string type = column_type(table, column);
    if (column.identity && same && column.identity_kind == "serial") {
      if (type == "integer") {
        line += "serial";
      } else if (type == "bigint") {
        line += "bigserial";
      } else if (type == "smallint") {
        line += "smallserial";
      } else {
        line += type + " GENERATED BY DEFAULT AS IDENTITY";
      }
    } else if (column.identity && same && column.identity_kind == "always") {
      line += type + " GENERATED ALWAYS AS IDENTITY";
    } else if (column.identity && (same || is_integer_kind(column.type.kind))) {
      line += type + " GENERATED BY DEFAULT AS IDENTITY";
    } else {
      line += type;
      if (same && column.default_sql) {
        check_default(name(), table, column);
        line += " DEFAULT " + *column.default_sql;
      } else if (!same) {
        if (auto value = portable_default_of(table, column, name())) {
          line += " DEFAULT " + render_default(*value, column.type);
        }
      }
    }
    if (!column.nullable) line += " NOT NULL";
    lines.push_back(line);
  }
  if (!table.primary_key.empty()) lines.push_back(primary_key_clause(table));
  return fmt::format("CREATE TABLE {} (\n    {}\n)", qualified_name(table), join(lines, ",\n    "));
}

std::string PostgresDialect::primary_key_clause(const Table& table) const {
  std::string clause;
  if (!table.primary_key_name.empty()) {
    clause = "CONSTRAINT " + quote_identifier(table.primary_key_name) + " ";
  }
  return clause + "PRIMARY KEY (" + quoted_list(*this, table.primary_key) + ")";
}

std::optional<Dialect::LateKeySql> PostgresDialect::late_primary_key_sql(const Table& table) const {
  // A partitioned table's key is made with its partitions' keys: it stays where it is.
  if (table.primary_key.empty() || table.partitioned) return std::nullopt;
  const std::string key = primary_key_clause(table);
  std::string create = create_table_sql(table);
  // The key is the last line of the column list, in the generated and the archived form alike; a
  // CREATE TABLE written otherwise (a partition's PARTITION OF) keeps it.
  const std::string key_line = ",\n    " + key + "\n)";
  const auto at = create.find(key_line);
  if (at == std::string::npos || create.find(key_line, at + 1) != std::string::npos) {
    return std::nullopt;
  }
  create.erase(at, key_line.size() - 2);
  return LateKeySql{std::move(create), fmt::format("ALTER TABLE {} ADD {}", qualified_name(table), key)};
}

std::vector<std::string> PostgresDialect::post_data_sql(const Table& table) const {
  std::vector<std::string> statements;
  const std::string target = qualified_name(table);
  for (const auto& unique : table.uniques) {
    std::string constraint =
        unique.name.empty() ? std::string() : "CONSTRAINT " + quote_identifier(unique.name) + " ";
    statements.push_back(fmt::format("ALTER TABLE {} ADD {}UNIQUE {}({})", target, constraint,
                                     unique.nulls_not_distinct ? "NULLS NOT DISTINCT " : "",
                                     quoted_list(*this, unique.columns)));
  }
  for (const auto& index : table.indexes) {
    if (same_dialect(table) && !index.definition_sql.empty()) {
      check_create_index(name(), table, index);
      statements.push_back(index.definition_sql);
      continue;
    }
    if (!index.portable) refuse_index(table, index, name());
    statements.push_back(fmt::format("CREATE {}INDEX {}ON {} ({})", index.unique ? "UNIQUE " : "",
                                     index.name.empty() ? "" : quote_identifier(index.name) + " ",
                                     target, quoted_list(*this, index.columns)));
  }
  // CHECK and EXCLUDE constraints only mean something to PostgreSQL itself (the catalog read
  // warned about them).
  if (same_dialect(table)) {
    for (const auto& constraint : table.native_constraints) {
      check_constraint(name(), table, constraint);
      statements.push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", target,
                                       quote_identifier(constraint.name),
                                       constraint.definition_sql));
    }
  }
  return statements;
}

std::vector<std::string> PostgresDialect::foreign_key_sql(const Table& table) const {
  std::vector<std::string> statements;
  for (const auto& fk : table.foreign_keys) {
    check_referential_actions(table, fk);
    if (same_dialect(table) && !fk.definition_sql.empty() && !fk.name.empty()) {
      check_foreign_key(name(), table, fk);
      statements.push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", qualified_name(table),
                                       quote_identifier(fk.name), fk.definition_sql));
      continue;
    }
    Table referenced;
    referenced.schema = fk.ref_schema;
    referenced.name = fk.ref_table;
    std::string constraint =
        fk.name.empty() ? std::string() : "CONSTRAINT " + quote_identifier(fk.name) + " ";
    std::string statement =
        fmt::format("ALTER TABLE {} ADD {}FOREIGN KEY ({}) REFERENCES {} ({})",
                    qualified_name(table), constraint, quoted_list(*this, fk.columns),
                    qualified_name(referenced), quoted_list(*this, fk.ref_columns));
    if (!fk.on_delete.empty() && fk.on_delete != "NO ACTION") {
      statement += " ON DELETE " + fk.on_delete;
    }
    if (!fk.on_update.empty() && fk.on_update != "NO ACTION") {
      statement += " ON UPDATE " + fk.on_update;
    }
    statements.push_back(statement);
  }
  return statements;
}

std::vector<std::string> PostgresDialect::reset_identity_sql(const Table& table) const {
  std::vector<std::string> statements;
  const std::string target = qualified_name(table);
  for (const auto& column : table.columns) {
    if (!column.identity) continue;
    if (!same_dialect(table) && !is_integer_kind(column.type.kind)) continue;
    // pg_get_serial_sequence() parses its first argument as SQL (quoted names), its second not.
    statements.push_back(fmt::format(
        "SELECT setval(seq.seqrelid, GREATEST(COALESCE((SELECT MAX({col}) FROM {table}) + 1, "
        "seq.seqstart), seq.seqmin), false) FROM pg_sequence seq "
        "WHERE seq.seqrelid = CAST(pg_get_serial_sequence({table_literal}, {col_literal}) AS "
        "regclass)",
        fmt::arg("col", quote_identifier(column.name)), fmt::arg("table", target),
        fmt::arg("table_literal", string_literal(target)),
        fmt::arg("col_literal", string_literal(column.name))));
  }
  return statements;
}

std::string PostgresDialect::drop_table_sql(const Table& table) const {
  return fmt::format("DROP TABLE IF EXISTS {} CASCADE", qualified_name(table));
}

std::vector<std::string> PostgresDialect::create_schema_sql(const std::string& schema_name) const {
  if (schema_name.empty()) return {};
  return {fmt::format("CREATE SCHEMA IF NOT EXISTS {}", quote_identifier(schema_name))};
}

namespace {

// The marker insert_sql() puts for one value: `?`, or `?` converted into the column's type.
std::string value_marker(const Column& column, const std::string& type) {
  switch (column.type.kind) {
    case TypeKind::kBool:
      // Bound as an integer 0/1; integers have no cast to boolean, a comparison does it.
      return "(? <> 0)";
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      return "?";
    case TypeKind::kDecimal:
      return "CAST(? AS numeric)";
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
      if (is_character_native(type)) return "?";
      [[fallthrough]];
    default:
      return fmt::format("CAST(? AS {})", cast_type_of(type));
  }
}

constexpr std::string_view kPiecesTable = "pg_temp.bru_long_pieces";

}  // namespace

std::string PostgresDialect::insert_head(const Table& table) const {
  std::vector<std::string> names;
  bool overriding = false;
  for (const auto& column : table.columns) {
    names.push_back(quote_identifier(column.name));
    if (column.identity && same_dialect(table) && column.identity_kind == "always") {
      overriding = true;
    }
  }
  return fmt::format("INSERT INTO {} ({}){} VALUES ", qualified_name(table), join(names, ", "),
                     overriding ? " OVERRIDING SYSTEM VALUE" : "");
}

std::string PostgresDialect::insert_sql(const Table& table, std::size_t row_count) const {
  std::vector<std::string> markers;
  for (const auto& column : table.columns) markers.push_back(value_marker(column, column_type(table, column)));
  const std::string row = "(" + join(markers, ", ") + ")";
  return with_value_rows(insert_head(table), row, row_count);
}

// The pieces are bytea whatever the column: a piece of text may end inside a UTF-8 character,
// which a text value cannot; the assembled bytes are read as UTF-8 once whole.
std::optional<Dialect::LongValueSql> PostgresDialect::long_value_sql() const {
  return LongValueSql{
      "CREATE TEMPORARY TABLE IF NOT EXISTS bru_long_pieces (column_position integer NOT NULL, "
      "piece_number bigint NOT NULL, piece bytea NOT NULL)",
      fmt::format("INSERT INTO {} (column_position, piece_number, piece) VALUES (?, ?, ?)",
                  kPiecesTable),
      fmt::format("DELETE FROM {}", kPiecesTable)};
}

std::string PostgresDialect::assembled_insert_sql(
    const Table& table, const std::vector<std::size_t>& long_columns) const {
  std::vector<std::string> markers;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const auto& column = table.columns[column_idx];
    std::string marker = value_marker(column, column_type(table, column));
    if (std::find(long_columns.begin(), long_columns.end(), column_idx) != long_columns.end()) {
      // string_agg() builds the value once, in order: linear in its length.
      std::string bytes = fmt::format(
          "(SELECT string_agg(piece, ''::bytea ORDER BY piece_number) FROM {} WHERE "
          "column_position = {})",
          kPiecesTable, column_idx);
      const bool binary =
          column.type.kind == TypeKind::kBinary || column.type.kind == TypeKind::kBlob;
      const std::string value = binary ? bytes : fmt::format("convert_from({}, 'UTF8')", bytes);
      marker.replace(marker.find('?'), 1, value);
    }
    markers.push_back(std::move(marker));
  }
  return insert_head(table) + "(" + join(markers, ", ") + ")";
}

// As insert_sql's markers, with the literal in place of the marker: a VALUES list of several
// rows gives a column of quoted literals the type text, so every non-text kind is cast.
std::string PostgresDialect::literal_sql(const Table& table, const Column& column,
                                         const LiteralValue& value) const {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    if (column.type.kind == TypeKind::kBool) return *integer != 0 ? "true" : "false";
    return std::to_string(*integer);
  }
  if (const auto* real = std::get_if<double>(&value)) {
    if (std::isfinite(*real)) return fmt::format("{:.17g}", *real);
    const char* word = std::isnan(*real) ? "NaN" : (*real > 0 ? "Infinity" : "-Infinity");
    return fmt::format("CAST('{}' AS double precision)", word);
  }
  const auto text = std::get<std::string_view>(value);
  const std::string type = column_type(table, column);
  switch (column.type.kind) {
    case TypeKind::kBinary:
    case TypeKind::kBlob: {
      std::string hex = "CAST('\\x";
      hex.reserve(hex.size() + text.size() * 2 + 12);
      for (const unsigned char byte : text) hex += fmt::format("{:02x}", byte);
      return hex + "' AS bytea)";
    }
    case TypeKind::kDecimal:
      return fmt::format("CAST({} AS numeric)", string_literal(text));
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kText:
      if (is_character_native(type)) return string_literal(text);
      [[fallthrough]];
    default:
      return fmt::format("CAST({} AS {})", string_literal(text), cast_type_of(type));
  }
}

std::string PostgresDialect::insert_literals_sql(const Table& table,
                                                 const std::vector<std::string>& rows) const {
  std::string sql = Dialect::insert_literals_sql(table, rows);
  for (const auto& column : table.columns) {
    if (column.identity && same_dialect(table) && column.identity_kind == "always") {
      // GENERATED ALWAYS takes the archive's keys only with OVERRIDING SYSTEM VALUE.
      const auto values = sql.find(") VALUES");
      sql.insert(values + 1, " OVERRIDING SYSTEM VALUE");
      break;
    }
  }
  return sql;
}

std::vector<std::string> PostgresDialect::suspend_for_load_sql(const SchemaObject& object) const {
  if (object.kind != "row security") return {};
  std::vector<std::string> statements;
  for (const auto& [on, off] : {std::pair<std::string_view, std::string_view>{
                                    " ENABLE ROW LEVEL SECURITY", " DISABLE ROW LEVEL SECURITY"},
                                {" FORCE ROW LEVEL SECURITY", " NO FORCE ROW LEVEL SECURITY"}}) {
    for (const auto& sql : object.statements) {
      if (sql.size() > on.size() && sql.compare(sql.size() - on.size(), on.size(), on) == 0) {
        statements.push_back(sql.substr(0, sql.size() - on.size()) + std::string(off));
      }
    }
  }
  return statements;
}

}  // namespace bru::schema::dialects

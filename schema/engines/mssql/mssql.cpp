#include "schema/engines/mssql/mssql.h"

#include <fmt/format.h>

#include <algorithm>

#include "schema/engines/common.h"
#include "schema/engines/generated_ddl.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

std::string mssql_default(const Table& table, const Column& column, const PortableDefault& value) {
  (void)table;
  (void)column;
  switch (value.kind) {
    case PortableDefault::Kind::kString:
      return "N" + string_literal(value.text);
    // T-SQL has no CURRENT_DATE or CURRENT_TIME; SYSDATETIME() has datetime2's precision.
    case PortableDefault::Kind::kCurrentTimestamp:
      return "SYSDATETIME()";
    case PortableDefault::Kind::kCurrentDate:
      return "CAST(SYSDATETIME() AS DATE)";
    case PortableDefault::Kind::kCurrentTime:
      return "CAST(SYSDATETIME() AS TIME)";
    default:
      return render_default(value, "1", "0");
  }
}

const GeneratedDdl& mssql_ddl() {
  static const GeneratedDdl ddl{" IDENTITY(1,1)", mssql_default,
                                {"CASCADE", "SET NULL", "SET DEFAULT"},
                                {"CASCADE", "SET NULL", "SET DEFAULT"}};
  return ddl;
}

}  // namespace

std::string MssqlDialect::quote_identifier(std::string_view identifier) const {
  return enclose_identifier(identifier, '[', ']');
}

// Row versioning: one transaction-wide snapshot, without locks, where the database allows it
// (ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON); the first read then begins it. Without
// it SNAPSHOT fails at the first read (error 3952): SERIALIZABLE is the consistent level left.
std::vector<std::string> MssqlDialect::begin_snapshot_sql() const {
  return {"IF (SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()) = 1 "
          "SET TRANSACTION ISOLATION LEVEL SNAPSHOT ELSE SET TRANSACTION ISOLATION LEVEL "
          "SERIALIZABLE"};
}

std::vector<std::string> MssqlDialect::lock_table_sql(const Table& table, int wait_seconds) const {
  return {fmt::format("SET LOCK_TIMEOUT {}", std::max(wait_seconds, 0) * 1000),
          fmt::format("SELECT COUNT(*) FROM (SELECT TOP (1) 1 AS one FROM {} WITH (REPEATABLEREAD)) "
                      "AS first_row",
                      qualified_name(table))};
}

std::string MssqlDialect::lock_holders_sql(const Table& table) const {
  return fmt::format(
      "SELECT s.session_id, s.login_name, s.program_name, CONVERT(VARCHAR(23), t.transaction_begin_time, "
      "121), SUBSTRING(q.text, 1, 200) FROM sys.dm_tran_locks l JOIN sys.dm_exec_sessions s ON "
      "s.session_id = l.request_session_id LEFT JOIN sys.dm_tran_session_transactions st ON "
      "st.session_id = s.session_id LEFT JOIN sys.dm_tran_active_transactions t ON "
      "t.transaction_id = st.transaction_id LEFT JOIN sys.dm_exec_connections c ON c.session_id = "
      "s.session_id OUTER APPLY sys.dm_exec_sql_text(c.most_recent_sql_handle) q WHERE "
      "l.resource_type = 'OBJECT' AND l.resource_database_id = DB_ID() AND "
      "l.resource_associated_entity_id = OBJECT_ID({}) AND l.request_session_id <> @@SPID "
      "ORDER BY s.session_id",
      "N" + string_literal(qualified_name(table)));
}

std::string MssqlDialect::has_rows_sql(const Table& table) const {
  return "SELECT TOP (1) 1 FROM " + qualified_name(table);
}

std::string MssqlDialect::estimate_rows_sql(const Table& table) const {
  return fmt::format(
      "SELECT SUM(row_count) FROM sys.dm_db_partition_stats WHERE object_id = OBJECT_ID({}) AND "
      "index_id IN (0, 1)",
      "N" + string_literal(qualified_name(table)));
}

const SqlForms& MssqlDialect::sql_forms() const {
  static const SqlForms forms = [] {
    SqlForms forms;
    forms.first_rows = "{select}";
    forms.top_rows = "TOP ({rows}) ";
    forms.row_value_seek = false;  // T-SQL has no row-value comparison
    // A VALUES list takes up to 1,000 rows; -MIGRATE sends 250.
    forms.rows_insert = RowsInsert::kValues;
    // Without N a literal is converted to the database's code page: non-Latin text is lost.
    forms.text_literal_prefix = "N";
    forms.varchar_type = "NVARCHAR";
    forms.binary_literal = "CONVERT(VARBINARY(MAX), '{hex}', 2)";  // style 2: hex digits
    forms.table_exists_query =
        "SELECT COUNT(*) FROM sys.tables WHERE object_id = OBJECT_ID(N'{table}')";
    // datetime and smalldatetime read 'yyyy-mm-dd hh:mm:ss' by the login's language unless told.
    // text, ntext and image values (and, below TDS 7.2, varchar(max) and its kin, which the
    // server then sends as those) are cut at the session's TEXTSIZE, silently: FreeTDS starts a
    // session at its freetds.conf "text size", not at the most the server holds, as Microsoft's
    // driver does (2147483647, the largest value SET TEXTSIZE takes).
    forms.session_setup = {"SET DATEFORMAT ymd", "SET TEXTSIZE 2147483647"};
    // Explicit values go into an identity column only under IDENTITY_INSERT; an explicit value
    // above the identity's current value becomes its current value, so nothing is needed after.
    forms.identity_columns_query =
        "SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'{table}')";
    forms.explicit_identity_on = "SET IDENTITY_INSERT {table} ON";
    forms.explicit_identity_off = "SET IDENTITY_INSERT {table} OFF";
    forms.begin_transaction = "BEGIN TRANSACTION";
    forms.commit_transaction = "COMMIT TRANSACTION";
    return forms;
  }();
  return forms;
}

std::string MssqlDialect::native_type(const PortableType& type) const {
  switch (type.kind) {
    case TypeKind::kBool:
      return "BIT";
    case TypeKind::kInt16:
      return "SMALLINT";
    case TypeKind::kInt32:
      return "INT";
    case TypeKind::kInt64:
      return "BIGINT";
    case TypeKind::kFloat32:
      return "REAL";
    case TypeKind::kFloat64:
      return "FLOAT";
    case TypeKind::kDecimal:
      if (type.precision >= 1 && type.precision <= 38 && type.scale >= 0 &&
          type.scale <= type.precision) {
        return fmt::format("DECIMAL({},{})", type.precision, type.scale);
      }
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("SQL Server cannot hold {} values exactly: its DECIMAL needs a "
                              "precision of 1 to 38 and a scale from 0 to the precision",
                              to_string(type)))
          .with_hint("restore this table into PostgreSQL, SQLite or Oracle, or give the source "
                     "column a precision and scale (numeric(p,s)) and back it up again");
    case TypeKind::kChar:
      if (type.length >= 1 && type.length <= 4000) return fmt::format("NCHAR({})", type.length);
      return "NVARCHAR(MAX)";
    case TypeKind::kVarchar:
      if (type.length >= 1 && type.length <= 4000) return fmt::format("NVARCHAR({})", type.length);
      return "NVARCHAR(MAX)";
    case TypeKind::kText:
    case TypeKind::kJson:
    case TypeKind::kXml:
      return "NVARCHAR(MAX)";
    case TypeKind::kBinary:
      if (type.length >= 1 && type.length <= 8000) return fmt::format("VARBINARY({})", type.length);
      return "VARBINARY(MAX)";
    case TypeKind::kBlob:
      return "VARBINARY(MAX)";
    case TypeKind::kDate:
      return "DATE";
    case TypeKind::kTime:
      return fmt::format("TIME({})", type.scale);
    case TypeKind::kTimestamp:
      return fmt::format("DATETIME2({})", type.scale);
    case TypeKind::kTimestampTz:
      return fmt::format("DATETIMEOFFSET({})", type.scale);
    case TypeKind::kUuid:
      return "UNIQUEIDENTIFIER";
  }
  refuse_unknown_kind("SQL Server", type);
}

std::vector<std::string> MssqlDialect::session_setup_sql() const {
  std::vector<std::string> statements = {"SET XACT_ABORT ON"};
  for (const auto sql : sql_forms().session_setup) statements.emplace_back(sql);
  return statements;
}

namespace {

// Date and time text of CONVERT style 121 ("yyyy-mm-dd hh:mi:ss.fffffff", "hh:mi:ss.fffffff")
// in the canonical form: the fraction without trailing zeros, no point when it is zero. `whole`
// is the length of the text before the point (19 or 8).
std::string canonical_time(const std::string& converted, int scale, int whole) {
  if (scale <= 0) return fmt::format("LEFT({}, {})", converted, whole);
  return fmt::format(
      "LEFT({0}, {1}) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING({0}, {2}, 8), '0', ' ')), "
      "' ', '0'), '.'), '')",
      converted, whole, whole + 1);
}

bool is_money(const Column& column) {
  const auto native = to_lower(column.native_type);
  return native == "money" || native == "smallmoney";
}

}  // namespace

std::vector<std::string> MssqlDialect::select_expressions(const Table& table) const {
  std::vector<std::string> expressions;
  for (const auto& column : table.columns) {
    const std::string quoted = quote_identifier(column.name);
    const auto& type = column.type;
    std::string expression;
    switch (type.kind) {
      case TypeKind::kBool:
        expression = fmt::format("CAST({} AS INT)", quoted);
        break;
      case TypeKind::kDecimal:
        expression = is_money(column) ? fmt::format("CONVERT(VARCHAR(32), {}, 2)", quoted)
                                      : fmt::format("CONVERT(VARCHAR(48), {})", quoted);
        break;
      case TypeKind::kDate:
        expression = fmt::format("CONVERT(CHAR(10), {}, 23)", quoted);
        break;
      case TypeKind::kTime:
        expression = canonical_time(fmt::format("CONVERT(VARCHAR(16), {}, 121)", quoted),
                                    type.scale, 8);
        break;
      case TypeKind::kTimestamp:
        expression = canonical_time(fmt::format("CONVERT(VARCHAR(27), {}, 121)", quoted),
                                    type.scale, 19);
        break;
      case TypeKind::kTimestampTz:
        expression = canonical_time(
                         fmt::format("CONVERT(VARCHAR(27), CONVERT(DATETIME2({}), SWITCHOFFSET({}, "
                                     "'+00:00')), 121)",
                                     std::clamp<int>(type.scale, 0, 7), quoted),
                         type.scale, 19) +
                     " + '+00'";
        break;
      case TypeKind::kUuid:
        expression = fmt::format("LOWER(CONVERT(CHAR(36), {}))", quoted);
        break;
      case TypeKind::kXml:
      case TypeKind::kJson:
        expression = fmt::format("CONVERT(NVARCHAR(MAX), {})", quoted);
        break;
      default:
        break;
    }
    expressions.push_back(aliased(expression, quoted));
  }
  return expressions;
}

std::string MssqlDialect::select_sql(const Table& table) const {
  return select_list_sql(*this, table, select_expressions(table));
}

namespace {

// Whether the canonical text of the column's values, written as a literal, compares in SQL
// Server as the column's own values do (floats would need their exact text; text, ntext and
// xml cannot be compared at all).
bool pages_follow(const Column& column) {
  const auto native = to_lower(column.native_type);
  return native != "text" && native != "ntext" && pages_by_literal(column.type.kind);
}

// The canonical value as a literal of the column's type.
std::string key_literal(const Column& column, std::string_view value) {
  switch (column.type.kind) {
    case TypeKind::kBool:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kDecimal:
      return std::string(value);
    case TypeKind::kBinary:
      return "0x" + hex_digits(value);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
      return "N" + string_literal(value);
    case TypeKind::kTimestampTz:
      // The canonical "+00" is SQL Server's "+00:00".
      return fmt::format("CONVERT(DATETIMEOFFSET({}), {})", column.type.scale,
                         string_literal(std::string(value) + ":00"));
    case TypeKind::kUuid:
      return fmt::format("CONVERT(UNIQUEIDENTIFIER, {})", string_literal(value));
    default:  // dates and times: ISO text SQL Server converts to the column's type
      return string_literal(value);
  }
}

}  // namespace

std::vector<std::size_t> MssqlDialect::page_key(const Table& table) const {
  return first_page_key(table, pages_follow, false);
}

std::string MssqlDialect::page_sql(const Table& table, const std::vector<std::size_t>& order,
                                   std::size_t rows, const std::vector<std::string>& after) const {
  const auto page =
      key_page(*this, table, qualified_name(table), select_expressions(table),
               page_key(table), order, after, key_literal);
  return fmt::format("SELECT TOP ({}) {} FROM {}{} ORDER BY {}", rows, page.selected,
                     qualified_name(table), page.where, page.order_by);
}

std::string MssqlDialect::create_table_sql(const Table& table) const {
  if (same_dialect(table) && !table.native_sql.empty()) return table.native_sql;
  return generated_create_table(*this, mssql_ddl(), table);
}

std::vector<std::string> MssqlDialect::post_data_sql(const Table& table) const {
  if (!same_dialect(table)) return generated_post_data(*this, table);
  // From SQL Server: each index by its own CREATE INDEX, then the CHECK constraints.
  Table without_indexes = table;
  without_indexes.indexes.clear();
  auto statements = generated_post_data(*this, without_indexes);
  for (const auto& index : table.indexes) {
    statements.push_back(index.definition_sql.empty() ? portable_index_sql(*this, table, index)
                                                      : index.definition_sql);
  }
  for (const auto& constraint : table.native_constraints) {
    statements.push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", qualified_name(table),
                                     quote_identifier(constraint.name), constraint.definition_sql));
  }
  return statements;
}

std::vector<std::string> MssqlDialect::foreign_key_sql(const Table& table) const {
  return generated_foreign_keys(*this, mssql_ddl(), table);
}

std::vector<std::string> MssqlDialect::reset_identity_sql(const Table& table) const {
  (void)table;
  return {};
}

std::string MssqlDialect::drop_table_sql(const Table& table) const {
  return fmt::format("DROP TABLE IF EXISTS {}", qualified_name(table));
}

std::string MssqlDialect::script_statement(std::string_view sql) const {
  std::string head = to_upper(sql.substr(0, 40));
  if (head.rfind("CREATE OR ALTER ", 0) == 0) head.erase(7, 9);
  for (std::string_view module : {"CREATE VIEW", "CREATE PROC", "CREATE FUNCTION",
                                  "CREATE TRIGGER"}) {
    if (head.rfind(module, 0) == 0) return "GO\n" + std::string(sql) + "\nGO\n";
  }
  return std::string(sql) + ";\n";
}

std::string MssqlDialect::clean_object_sql(const SchemaObject& object) const {
  // A table comes as its qualified_name(); a module as "schema.name" with its schema.
  if (object.kind == "table") return "DROP TABLE IF EXISTS " + object.name;
  for (std::string_view kind : {"view", "procedure", "function"}) {
    if (object.kind != kind) continue;
    const auto name = std::string_view(object.name).substr(
        object.schema.empty() ? 0 : object.schema.size() + 1);
    return fmt::format("DROP {} IF EXISTS {}.{}", to_upper(kind), quote_identifier(object.schema),
                       quote_identifier(name));
  }
  return {};
}

std::string MssqlDialect::drop_foreign_key_sql(const Table& table, const ForeignKey& key) const {
  return fmt::format("IF OBJECT_ID({}, N'U') IS NOT NULL ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
                     "N" + string_literal(qualified_name(table)), qualified_name(table),
                     quote_identifier(key.name));
}

std::vector<std::string> MssqlDialect::create_schema_sql(const std::string& schema_name) const {
  if (schema_name.empty() || schema_name == "dbo") return {};
  return {fmt::format("IF SCHEMA_ID({}) IS NULL EXEC sp_executesql {}", "N" + string_literal(schema_name),
                      "N" + string_literal("CREATE SCHEMA " + quote_identifier(schema_name)))};
}

std::string MssqlDialect::insert_sql(const Table& table, std::size_t row_count) const {
  std::vector<std::string> names;
  std::vector<std::string> markers;
  bool identity = false;
  for (const auto& column : table.columns) {
    names.push_back(quote_identifier(column.name));
    identity = identity || column.identity;
    markers.push_back(column.type.kind == TypeKind::kTimestampTz
                          ? fmt::format("CONVERT(DATETIMEOFFSET({}), ? + ':00')", column.type.scale)
                          : "?");
  }
  const std::string row = "(" + join(markers, ", ") + ")";
  std::string sql = with_value_rows(
      fmt::format("INSERT INTO {} ({}) VALUES ", qualified_name(table), join(names, ", ")), row,
      row_count);
  if (!identity) return sql;
  return fmt::format("SET IDENTITY_INSERT {0} ON; {1}; SET IDENTITY_INSERT {0} OFF",
                     qualified_name(table), sql);
}

std::string MssqlDialect::literal_sql(const Table& table, const Column& column,
                                      const LiteralValue& value) const {
  const auto* text = std::get_if<std::string_view>(&value);
  // datetimeoffset takes the offset as +hh:mm.
  if (text != nullptr && column.type.kind == TypeKind::kTimestampTz && text->size() > 3 &&
      text->substr(text->size() - 3) == "+00") {
    return fmt::format("'{} +00:00'", text->substr(0, text->size() - 3));
  }
  return Dialect::literal_sql(table, column, value);
}

}  // namespace bru::schema::dialects

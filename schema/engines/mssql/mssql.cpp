#include "schema/engines/mssql/mssql.h"

#include <fmt/format.h>

#include "schema/engines/common.h"
#include "schema/engines/generated_ddl.h"
#include "schema/error.h"

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

// Row versioning: one transaction-wide snapshot, without locks. The database must allow it
// (ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON); the first read then begins it.
std::vector<std::string> MssqlDialect::begin_snapshot_sql() const {
  return {"SET TRANSACTION ISOLATION LEVEL SNAPSHOT"};
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
    forms.session_setup = {"SET DATEFORMAT ymd"};
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

std::string MssqlDialect::create_table_sql(const Table& table) const {
  return generated_create_table(*this, mssql_ddl(), table);
}

std::vector<std::string> MssqlDialect::post_data_sql(const Table& table) const {
  return generated_post_data(*this, table);
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

std::vector<std::string> MssqlDialect::create_schema_sql(const std::string& schema_name) const {
  if (schema_name.empty() || schema_name == "dbo") return {};
  return {fmt::format("IF SCHEMA_ID({}) IS NULL EXEC sp_executesql {}", "N" + string_literal(schema_name),
                      "N" + string_literal("CREATE SCHEMA " + quote_identifier(schema_name)))};
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

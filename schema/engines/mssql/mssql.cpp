#include "schema/engines/mssql/mssql.h"

#include "schema/engines/common.h"

namespace bru::schema::dialects {

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
    return forms;
  }();
  return forms;
}

}  // namespace bru::schema::dialects

// SQL Server: bru runs update scripts on it (its facet: mssql_update.h; its splitter:
// split_mssql.cpp) and writes restores for it as scripts (-RESTORE -SQL, its DDL and literals
// here). Backup and restore against a server are not supported yet (UpdateOnlyDialect says so):
// no server runs where bru is tested.
//
// Portable -> native: bit, smallint, int, bigint, real, float, decimal(p,s) (p 1 to 38; an
// unconstrained decimal has no SQL Server type: kTypeMapping), nchar(n) (n <= 4000, else
// nvarchar(max)), nvarchar(n) (n <= 4000, else or unbounded nvarchar(max)), nvarchar(max) for
// text, json and xml (xml kept as text: the XML type would rewrite the document), varbinary(n)
// (n <= 8000, else varbinary(max)), varbinary(max), date, time(p), datetime2(p),
// datetimeoffset(p), uniqueidentifier. Identity: IDENTITY(1,1) on integer columns.
// Literals: text N'...' (without N text beyond the database's code page is lost), binary
// CONVERT(VARBINARY(MAX), 'hex', 2), datetimeoffset '... +00:00', numbers as they are; floats
// have no NaN or infinity (kTypeMapping).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/mssql/mssql_update.h"
#include "schema/engines/update_only.h"

namespace bru::schema::dialects {

class MssqlDialect final : public UpdateOnlyDialect {
 public:
  std::string_view name() const override { return "mssql"; }
  std::vector<std::string_view> aliases() const override { return {"sqlserver"}; }
  const UpdateDialect& update() const override { return update_; }
  std::vector<Statement> split_script(std::string_view text, std::string_view file_name,
                                      int first_line) const override;
  // brackets, an embedded ] doubled.
  std::string quote_identifier(std::string_view identifier) const override;
  // Read snapshots for -MIGRATE, which reads and writes this engine (backup does not yet).
  std::vector<std::string> begin_snapshot_sql() const override;
  const SqlForms& sql_forms() const override;
  // Error 1778: a foreign key's column must have the type of the column it references.
  bool foreign_key_types_must_match() const override { return true; }

  std::string native_type(const PortableType& type) const override;
  // SET XACT_ABORT ON (a failed statement rolls the whole transaction back), SET DATEFORMAT ymd.
  std::vector<std::string> session_setup_sql() const override;
  std::string create_table_sql(const Table& table) const override;
  std::vector<std::string> post_data_sql(const Table& table) const override;
  // ON DELETE / ON UPDATE CASCADE, SET NULL, SET DEFAULT.
  std::vector<std::string> foreign_key_sql(const Table& table) const override;
  // Always empty: an explicit key inserted under IDENTITY_INSERT above the identity's current
  // value becomes its current value.
  std::vector<std::string> reset_identity_sql(const Table& table) const override;
  std::string drop_table_sql(const Table& table) const override;
  // IF SCHEMA_ID(N's') IS NULL EXEC sp_executesql N'CREATE SCHEMA [s]' (CREATE SCHEMA must be
  // alone in its batch); nothing for dbo.
  std::vector<std::string> create_schema_sql(const std::string& schema_name) const override;
  // 2,100 parameters per statement (and, in the writer, 1,000 rows per VALUES).
  std::size_t max_parameters() const override { return 2100; }
  std::string literal_sql(const Table& table, const Column& column,
                          const LiteralValue& value) const override;

 private:
  MssqlUpdate update_;
};

}  // namespace bru::schema::dialects

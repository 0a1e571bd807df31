// The literals -RESTORE -SQL writes for SQL Server and Oracle (Dialect::literal_sql), where the
// golden scripts of tests/cli/restore_sql_test.cpp hold no example: Oracle's 4,000-byte literal
// limit (NCLOB pieces cut between UTF-8 characters; binary refused), its NaN and infinities, SQL
// Server's datetimeoffset, and the types neither engine has.
#include <limits>

#include <gtest/gtest.h>

#include "schema/dialect_names.h"
#include "schema/error.h"

namespace bru::schema {
namespace {

Column column_of(TypeKind kind, std::int32_t length = 0) {
  Column column;
  column.name = "c";
  column.type.kind = kind;
  column.type.length = length;
  return column;
}

Table table_named(const char* name) {
  Table table;
  table.name = name;
  return table;
}

TEST(ScriptLiterals, OracleCutsLongTextIntoNclobPiecesBetweenCharacters) {
  const auto oracle = make_dialect("oracle");
  const auto table = table_named("t");
  // 3,999 ASCII bytes then a two-byte character: the first piece stops before it.
  const std::string text = std::string(3999, 'a') + "é" + "b";
  const auto literal =
      oracle->literal_sql(table, column_of(TypeKind::kVarchar, 100), std::string_view(text));
  EXPECT_EQ(literal, "TO_NCLOB('" + std::string(3999, 'a') + "') || TO_NCLOB('éb')");
  // A short value of an NVARCHAR2 column is a plain literal; of an NCLOB column, one piece.
  EXPECT_EQ(oracle->literal_sql(table, column_of(TypeKind::kVarchar, 10), std::string_view("x'y")),
            "'x''y'");
  EXPECT_EQ(oracle->literal_sql(table, column_of(TypeKind::kText), std::string_view("x")),
            "TO_NCLOB('x')");
}

TEST(ScriptLiterals, OracleRefusesBinaryBeyondTwoThousandBytes) {
  const auto oracle = make_dialect("oracle");
  const auto table = table_named("t");
  const std::string fits(2000, '\x01');
  std::string hex;
  for (int i = 0; i < 2000; ++i) hex += "01";
  EXPECT_EQ(oracle->literal_sql(table, column_of(TypeKind::kBinary, 2000), std::string_view(fits)),
            "HEXTORAW('" + hex + "')");
  const std::string too_long(2001, '\x01');
  try {
    (void)oracle->literal_sql(table, column_of(TypeKind::kBlob), std::string_view(too_long));
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.render(),
              "error: Oracle takes at most 2000 bytes of binary in one literal: a value of 2001 "
              "bytes in column \"c\" of table \"t\" cannot be written\n"
              "hint: no script was left; restore the other tables with -EXCLUDE, and load this "
              "one with a tool that binds values (SQL*Loader, or bru -RESTORE once it restores "
              "into Oracle)\n");
  }
}

TEST(ScriptLiterals, FloatsWithoutNanAreRefusedWhereTheEngineHasNone) {
  const auto table = table_named("t");
  const auto column = column_of(TypeKind::kFloat64);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(make_dialect("oracle")->literal_sql(table, column, nan), "BINARY_DOUBLE_NAN");
  EXPECT_EQ(make_dialect("oracle")->literal_sql(table, column, -inf), "-BINARY_DOUBLE_INFINITY");
  EXPECT_EQ(make_dialect("postgres")->literal_sql(table, column, inf),
            "CAST('Infinity' AS double precision)");
  EXPECT_EQ(make_dialect("sqlite")->literal_sql(table, column, -inf), "-9e999");
  try {
    (void)make_dialect("mssql")->literal_sql(table, column, nan);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.render(),
              "error: mssql cannot hold the value nan of column \"c\" of table \"t\"\n"
              "hint: its floating-point types have no NaN or infinity; restore this table into "
              "PostgreSQL, or change the value in the source and back it up again\n");
  }
}

TEST(ScriptLiterals, SqlServerWritesOffsetsAndNationalText) {
  const auto mssql = make_dialect("mssql");
  const auto table = table_named("t");
  EXPECT_EQ(mssql->literal_sql(table, column_of(TypeKind::kTimestampTz),
                               std::string_view("2024-01-02 03:04:05.5+00")),
            "'2024-01-02 03:04:05.5 +00:00'");
  EXPECT_EQ(mssql->literal_sql(table, column_of(TypeKind::kText), std::string_view("日本")),
            "N'日本'");
  EXPECT_EQ(mssql->literal_sql(table, column_of(TypeKind::kDate), std::string_view("2024-01-02")),
            "'2024-01-02'");
  EXPECT_EQ(mssql->native_type({.kind = TypeKind::kUuid}), "UNIQUEIDENTIFIER");
  EXPECT_EQ(mssql->native_type({.kind = TypeKind::kTimestampTz, .scale = 3}), "DATETIMEOFFSET(3)");
  EXPECT_EQ(make_dialect("oracle")->native_type({.kind = TypeKind::kDecimal}), "NUMBER");
  try {
    (void)mssql->native_type({.kind = TypeKind::kDecimal});
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.render(),
              "error: SQL Server cannot hold decimal values exactly: its DECIMAL needs a "
              "precision of 1 to 38 and a scale from 0 to the precision\n"
              "hint: restore this table into PostgreSQL, SQLite or Oracle, or give the source "
              "column a precision and scale (numeric(p,s)) and back it up again\n");
  }
}

}  // namespace
}  // namespace bru::schema

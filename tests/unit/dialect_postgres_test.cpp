// The PostgreSQL dialect without a server: type mapping both ways, and the SQL it generates
// (golden). The catalog queries run against a real server in tests/odbc/catalog_postgres_test.cpp.
#include <gtest/gtest.h>

#include "schema/catalog.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/error.h"

namespace bru::schema::dialects {
namespace {

PortableType type_of(std::string_view text) { return *parse_portable_type(text); }

// numeric(p,s) typmod as PostgreSQL stores it.
int numeric_typmod(int precision, int scale) { return ((precision << 16) | (scale & 0x7ff)) + 4; }

TEST(PostgresDialectTest, BaseTypesMapToPortableKinds) {
  struct Case {
    PostgresTypeInfo info;
    std::string portable;
  };
  const std::vector<Case> cases = {
      {{"int2", -1, true, false}, "int16"},
      {{"int4", -1, true, false}, "int32"},
      {{"int8", -1, true, false}, "int64"},
      {{"oid", -1, true, false}, "int64"},
      {{"bool", -1, true, false}, "bool"},
      {{"float4", -1, true, false}, "float32"},
      {{"float8", -1, true, false}, "float64"},
      {{"numeric", numeric_typmod(10, 2), true, false}, "decimal(10,2)"},
      {{"numeric", numeric_typmod(1000, 0), true, false}, "decimal(1000,0)"},
      {{"numeric", numeric_typmod(5, -2), true, false}, "decimal"},
      {{"numeric", numeric_typmod(3, 5), true, false}, "decimal"},
      {{"numeric", -1, true, false}, "decimal"},
      {{"money", -1, true, false}, "decimal"},
      {{"bpchar", 7, true, false}, "char(3)"},
      {{"bpchar", -1, true, false}, "text"},
      {{"varchar", 44, true, false}, "varchar(40)"},
      {{"varchar", -1, true, false}, "varchar"},
      {{"text", -1, true, false}, "text"},
      {{"bytea", -1, true, false}, "blob"},
      {{"date", -1, true, false}, "date"},
      {{"time", -1, true, false}, "time(6)"},
      {{"time", 0, true, false}, "time(0)"},
      {{"timetz", -1, true, false}, "text"},
      {{"timestamp", 3, true, false}, "timestamp(3)"},
      {{"timestamptz", -1, true, false}, "timestamptz(6)"},
      {{"uuid", -1, true, false}, "uuid"},
      {{"json", -1, true, false}, "json"},
      {{"jsonb", -1, true, false}, "json"},
      {{"xml", -1, true, false}, "xml"},
      {{"interval", -1, true, false}, "text"},
      {{"inet", -1, true, false}, "text"},
      {{"varbit", -1, true, false}, "text"},
      {{"_int4", -1, true, true}, "text"},
      {{"mood", -1, false, false}, "text"},
      {{"int4", -1, false, false}, "text"},  // a user type that happens to be called int4
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(to_string(postgres_portable_type(test_case.info)), test_case.portable)
        << test_case.info.name << " " << test_case.info.typmod;
  }
}

TEST(PostgresDialectTest, NativeTypesForPortableKinds) {
  PostgresDialect dialect;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bool", "boolean"},
      {"int16", "smallint"},
      {"int32", "integer"},
      {"int64", "bigint"},
      {"float32", "real"},
      {"float64", "double precision"},
      {"decimal(10,2)", "numeric(10,2)"},
      {"decimal", "numeric"},
      {"char(3)", "character(3)"},
      {"varchar(40)", "character varying(40)"},
      {"varchar", "character varying"},
      {"text", "text"},
      {"binary(16)", "bytea"},
      {"blob", "bytea"},
      {"date", "date"},
      {"time(6)", "time"},
      {"time(0)", "time(0)"},
      {"timestamp(6)", "timestamp"},
      {"timestamp(3)", "timestamp(3)"},
      {"timestamptz(6)", "timestamp with time zone"},
      {"timestamptz(2)", "timestamp(2) with time zone"},
      {"uuid", "uuid"},
      {"json", "json"},
      {"xml", "xml"},
  };
  for (const auto& [portable, native] : cases) {
    EXPECT_EQ(dialect.native_type(type_of(portable)), native) << portable;
  }
}

void expect_cannot_hold(const std::string& portable, const std::string& message) {
  PostgresDialect dialect;
  try {
    dialect.native_type(type_of(portable));
    FAIL() << "no error for " << portable;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(), message);
  }
}

TEST(PostgresDialectTest, RefusesWhatItCannotHold) {
  expect_cannot_hold("timestamp(7)",
                     "PostgreSQL cannot hold timestamp(7) values: fractional seconds are limited "
                     "to 6 digits");
  expect_cannot_hold("decimal(1001,2)",
                     "PostgreSQL cannot hold decimal(1001,2) values: numeric precision is "
                     "limited to 1000");
  expect_cannot_hold("varchar(20000000)",
                     "PostgreSQL cannot hold varchar(20000000) values: lengths are limited to "
                     "10485760 characters");
}

// A table as the SQLite dialect reads it, with every kind.
Table sqlite_table() {
  Table table;
  table.name = "Every Type";
  table.dialect = "sqlite";
  table.native_sql = "CREATE TABLE ... (sqlite only)";
  int column_number = 0;
  for (const char* text :
       {"bool",          "int16",   "int32",   "int64",       "float32",      "float64",
        "decimal(10,2)", "decimal", "char(3)", "varchar(40)", "varchar",      "text",
        "binary(16)",    "blob",    "date",    "time(6)",     "timestamp(6)", "timestamptz(3)",
        "uuid",          "json",    "xml"}) {
    Column column;
    column.name = "c" + std::to_string(++column_number);
    column.type = type_of(text);
    column.native_type = "SQLITE ONLY";
    table.columns.push_back(column);
  }
  table.columns[3].name = "id";
  table.columns[3].identity = true;
  table.columns[3].identity_kind = "rowid";
  table.columns[0].default_sql = "1";
  table.columns[1].default_sql = "(-5)";
  table.columns[9].default_sql = "'it''s'";
  table.columns[16].default_sql = "CURRENT_TIMESTAMP";
  table.columns[11].nullable = false;
  table.primary_key = {"id"};
  table.uniques = {{"", {"c9", "c10"}}};
  table.indexes = {{"idx_c12", {"c12"}, false, "CREATE INDEX idx_c12 ON t(c12)", true}};
  table.foreign_keys = {{"", {"c3"}, "", "Parent", {"id"}, "CASCADE", "NO ACTION", ""}};
  return table;
}

TEST(PostgresDialectTest, CreateTableFromAnotherEngine) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.create_table_sql(sqlite_table()),
            "CREATE TABLE \"Every Type\" (\n"
            "    \"c1\" boolean DEFAULT true,\n"
            "    \"c2\" smallint DEFAULT -5,\n"
            "    \"c3\" integer,\n"
            "    \"id\" bigint GENERATED BY DEFAULT AS IDENTITY,\n"
            "    \"c5\" real,\n"
            "    \"c6\" double precision,\n"
            "    \"c7\" numeric(10,2),\n"
            "    \"c8\" numeric,\n"
            "    \"c9\" character(3),\n"
            "    \"c10\" character varying(40) DEFAULT 'it''s',\n"
            "    \"c11\" character varying,\n"
            "    \"c12\" text NOT NULL,\n"
            "    \"c13\" bytea,\n"
            "    \"c14\" bytea,\n"
            "    \"c15\" date,\n"
            "    \"c16\" time,\n"
            "    \"c17\" timestamp DEFAULT CURRENT_TIMESTAMP,\n"
            "    \"c18\" timestamp(3) with time zone,\n"
            "    \"c19\" uuid,\n"
            "    \"c20\" json,\n"
            "    \"c21\" xml,\n"
            "    PRIMARY KEY (\"id\")\n"
            ")");
  EXPECT_EQ(dialect.post_data_sql(sqlite_table()),
            (std::vector<std::string>{
                "ALTER TABLE \"Every Type\" ADD UNIQUE (\"c9\", \"c10\")",
                "CREATE INDEX \"idx_c12\" ON \"Every Type\" (\"c12\")",
            }));
  EXPECT_EQ(dialect.foreign_key_sql(sqlite_table()),
            (std::vector<std::string>{"ALTER TABLE \"Every Type\" ADD FOREIGN KEY (\"c3\") "
                                      "REFERENCES \"Parent\" (\"id\") ON DELETE CASCADE"}));
}

// A table as the PostgreSQL dialect reads it.
Table postgres_table() {
  Table table;
  table.schema = "Sales";
  table.name = "order";
  table.dialect = "postgres";
  table.columns = {
      {"id", type_of("int32"), "integer", false, std::nullopt, true, "serial", ""},
      {"big", type_of("int64"), "bigint", false, std::nullopt, true, "always", ""},
      {"code", type_of("varchar(10)"), "character varying(10)", true,
       std::string("'x'::character varying"), false, "", ""},
      {"mood", type_of("text"), "public.mood", true, std::nullopt, false, "", ""},
      {"span", type_of("text"), "interval", true, std::nullopt, false, "", ""},
      {"tags", type_of("text"), "character varying(5)[]", true, std::nullopt, false, "", ""},
      {"flags", type_of("text"), "bit(8)", true, std::nullopt, false, "", ""},
      {"price", type_of("decimal(12,2)"), "numeric(12,2)", true, std::nullopt, false, "", ""},
      {"cash", type_of("decimal"), "money", true, std::nullopt, false, "", ""},
      {"doc", type_of("json"), "jsonb", true, std::nullopt, false, "", ""},
      {"at", type_of("timestamptz(3)"), "timestamp(3) with time zone", false, std::string("now()"),
       false, "", ""},
      {"ok", type_of("bool"), "boolean", true, std::nullopt, false, "", ""},
      {"data", type_of("blob"), "bytea", true, std::nullopt, false, "", ""},
      {"note", type_of("char(2)"), "character(2)", true, std::nullopt, false, "", ""},
      {"by_default", type_of("int16"), "smallint", false, std::nullopt, true, "by default", ""},
  };
  table.primary_key_name = "order_pkey";
  table.primary_key = {"id"};
  table.uniques = {{"order_code_key", {"code"}}};
  table.indexes = {{"order_lower_idx",
                    {},
                    false,
                    "CREATE INDEX order_lower_idx ON \"Sales\".\"order\" USING btree "
                    "(lower((code)::text))",
                    false}};
  table.foreign_keys = {
      {"order_parent_fk", {"big", "id"}, "Sales", "parent", {"a", "b"}, "SET NULL", "RESTRICT",
       ""}};
  table.native_constraints = {{"order_price_check", "CHECK ((price > (0)::numeric))"}};
  return table;
}

TEST(PostgresDialectTest, SameEngineKeepsNativeTypesAndIdentityKinds) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.create_table_sql(postgres_table()),
            "CREATE TABLE \"Sales\".\"order\" (\n"
            "    \"id\" serial NOT NULL,\n"
            "    \"big\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
            "    \"code\" character varying(10) DEFAULT 'x'::character varying,\n"
            "    \"mood\" public.mood,\n"
            "    \"span\" interval,\n"
            "    \"tags\" character varying(5)[],\n"
            "    \"flags\" bit(8),\n"
            "    \"price\" numeric(12,2),\n"
            "    \"cash\" money,\n"
            "    \"doc\" jsonb,\n"
            "    \"at\" timestamp(3) with time zone DEFAULT now() NOT NULL,\n"
            "    \"ok\" boolean,\n"
            "    \"data\" bytea,\n"
            "    \"note\" character(2),\n"
            "    \"by_default\" smallint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
            "    CONSTRAINT \"order_pkey\" PRIMARY KEY (\"id\")\n"
            ")");
  EXPECT_EQ(dialect.post_data_sql(postgres_table()),
            (std::vector<std::string>{
                "ALTER TABLE \"Sales\".\"order\" ADD CONSTRAINT \"order_code_key\" UNIQUE "
                "(\"code\")",
                "CREATE INDEX order_lower_idx ON \"Sales\".\"order\" USING btree "
                "(lower((code)::text))",
                "ALTER TABLE \"Sales\".\"order\" ADD CONSTRAINT \"order_price_check\" CHECK "
                "((price > (0)::numeric))",
            }));
  EXPECT_EQ(dialect.foreign_key_sql(postgres_table()),
            (std::vector<std::string>{
                "ALTER TABLE \"Sales\".\"order\" ADD CONSTRAINT \"order_parent_fk\" FOREIGN KEY "
                "(\"big\", \"id\") REFERENCES \"Sales\".\"parent\" (\"a\", \"b\") ON DELETE SET "
                "NULL ON UPDATE RESTRICT"}));
}

TEST(PostgresDialectTest, SelectCastsToCanonicalText) {
  PostgresDialect dialect;
  EXPECT_EQ(
      dialect.select_sql(postgres_table()),
      "SELECT \"id\", \"big\", \"code\", CAST(\"mood\" AS text) AS \"mood\", "
      "CAST(\"span\" AS text) AS \"span\", CAST(\"tags\" AS text) AS \"tags\", "
      "CAST(\"flags\" AS text) AS \"flags\", CAST(\"price\" AS text) AS \"price\", "
      "CAST(CAST(\"cash\" AS numeric) AS text) AS \"cash\", CAST(\"doc\" AS text) AS \"doc\", "
      "CAST(\"at\" AS text) AS \"at\", CAST(\"ok\" AS integer) AS \"ok\", \"data\", "
      "\"note\", \"by_default\" FROM ONLY \"Sales\".\"order\"");
  Table partitioned = postgres_table();
  partitioned.partitioned = true;
  partitioned.columns.resize(1);
  // A partitioned table's rows are read with each partition (a table of its own), not again.
  EXPECT_EQ(dialect.select_sql(partitioned), "SELECT \"id\" FROM ONLY \"Sales\".\"order\"");
}

// The reader runs its own cursor so that it, not psqlODBC's Fetch=, sizes each round trip.
TEST(PostgresDialectTest, ReadsThroughACursorItDeclares) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.declare_cursor_sql("bru_read", "SELECT 1"),
            "DECLARE \"bru_read\" NO SCROLL CURSOR FOR SELECT 1");
  EXPECT_EQ(dialect.fetch_cursor_sql("bru_read", 64), "FETCH FORWARD 64 FROM \"bru_read\"");
  EXPECT_EQ(dialect.close_cursor_sql("bru_read"), "CLOSE \"bru_read\"");
}

TEST(PostgresDialectTest, EstimatesRowsFromThePlannerStatistics) {
  EXPECT_EQ(PostgresDialect().estimate_rows_sql(postgres_table()),
            "SELECT CAST(GREATEST(reltuples, 0) AS bigint) FROM pg_class WHERE oid = "
            "CAST('\"Sales\".\"order\"' AS regclass)");
}

TEST(PostgresDialectTest, InsertCastsTextToTheColumnType) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.insert_sql(postgres_table(), 2),
            "INSERT INTO \"Sales\".\"order\" (\"id\", \"big\", \"code\", \"mood\", \"span\", "
            "\"tags\", \"flags\", \"price\", \"cash\", \"doc\", \"at\", \"ok\", \"data\", "
            "\"note\", \"by_default\") OVERRIDING SYSTEM VALUE VALUES "
            "(?, ?, ?, CAST(? AS public.mood), CAST(? AS interval), CAST(? AS character "
            "varying[]), CAST(? AS bit varying), CAST(? AS numeric), CAST(? AS numeric), "
            "CAST(? AS jsonb), CAST(? AS timestamp with time zone), (? <> 0), ?, ?, ?), "
            "(?, ?, ?, CAST(? AS public.mood), CAST(? AS interval), CAST(? AS character "
            "varying[]), CAST(? AS bit varying), CAST(? AS numeric), CAST(? AS numeric), "
            "CAST(? AS jsonb), CAST(? AS timestamp with time zone), (? <> 0), ?, ?, ?)");
  EXPECT_EQ(dialect.insert_sql(sqlite_table(), 1),
            "INSERT INTO \"Every Type\" (\"c1\", \"c2\", \"c3\", \"id\", \"c5\", \"c6\", \"c7\", "
            "\"c8\", \"c9\", \"c10\", \"c11\", \"c12\", \"c13\", \"c14\", \"c15\", \"c16\", "
            "\"c17\", \"c18\", \"c19\", \"c20\", \"c21\") VALUES ((? <> 0), ?, ?, ?, ?, ?, "
            "CAST(? AS numeric), CAST(? AS numeric), ?, ?, ?, ?, ?, ?, CAST(? AS date), CAST(? "
            "AS time), CAST(? AS timestamp), CAST(? AS timestamp with time zone), CAST(? AS "
            "uuid), CAST(? AS json), CAST(? AS xml))");
}

// Long values through ODBC: pieces into a temporary table, the row assembled from it once, each
// long value converted as its marker would convert a bound one (text read as UTF-8 first).
TEST(PostgresDialectTest, AssembledInsertTakesLongValuesFromTheirPieces) {
  PostgresDialect dialect;
  const auto pieces = dialect.long_value_sql();
  ASSERT_TRUE(pieces.has_value());
  EXPECT_EQ(pieces->insert_piece,
            "INSERT INTO pg_temp.bru_long_pieces (column_position, piece_number, piece) VALUES "
            "(?, ?, ?)");
  EXPECT_EQ(pieces->clear_pieces, "DELETE FROM pg_temp.bru_long_pieces");
  const std::string agg =
      "(SELECT string_agg(piece, ''::bytea ORDER BY piece_number) FROM pg_temp.bru_long_pieces "
      "WHERE column_position = ";
  EXPECT_EQ(dialect.assembled_insert_sql(postgres_table(), {9, 12, 13}),
            "INSERT INTO \"Sales\".\"order\" (\"id\", \"big\", \"code\", \"mood\", \"span\", "
            "\"tags\", \"flags\", \"price\", \"cash\", \"doc\", \"at\", \"ok\", \"data\", "
            "\"note\", \"by_default\") OVERRIDING SYSTEM VALUE VALUES "
            "(?, ?, ?, CAST(? AS public.mood), CAST(? AS interval), CAST(? AS character "
            "varying[]), CAST(? AS bit varying), CAST(? AS numeric), CAST(? AS numeric), "
            "CAST(convert_from(" + agg + "9), 'UTF8') AS jsonb), CAST(? AS timestamp with time "
            "zone), (? <> 0), " + agg + "12), convert_from(" + agg + "13), 'UTF8'), ?)");
}

TEST(PostgresDialectTest, ResetIdentityFollowsTheLargestKey) {
  PostgresDialect dialect;
  const auto statements = dialect.reset_identity_sql(postgres_table());
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0],
            "SELECT setval(seq.seqrelid, GREATEST(COALESCE((SELECT MAX(\"id\") FROM "
            "\"Sales\".\"order\") + 1, seq.seqstart), seq.seqmin), false) FROM pg_sequence seq "
            "WHERE seq.seqrelid = CAST(pg_get_serial_sequence('\"Sales\".\"order\"', 'id') AS "
            "regclass)");
  EXPECT_NE(statements[2].find("MAX(\"by_default\")"), std::string::npos);
}

TEST(PostgresDialectTest, QuotingAndNames) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.quote_identifier("select"), "\"select\"");
  EXPECT_EQ(dialect.quote_identifier("MixedCase"), "\"MixedCase\"");
  EXPECT_EQ(dialect.quote_identifier("say \"hi\""), "\"say \"\"hi\"\"\"");
  Table table;
  table.schema = "we\"ird";
  table.name = "Tab";
  EXPECT_EQ(dialect.qualified_name(table), "\"we\"\"ird\".\"Tab\"");
  EXPECT_EQ(dialect.drop_table_sql(table), "DROP TABLE IF EXISTS \"we\"\"ird\".\"Tab\" CASCADE");
  EXPECT_EQ(dialect.create_schema_sql("Sales"),
            (std::vector<std::string>{"CREATE SCHEMA IF NOT EXISTS \"Sales\""}));
  EXPECT_TRUE(dialect.create_schema_sql("").empty());
  table.schema.clear();
  EXPECT_EQ(dialect.qualified_name(table), "\"Tab\"");
}

TEST(PostgresDialectTest, SessionSnapshotAndLimits) {
  PostgresDialect dialect;
  EXPECT_EQ(dialect.session_setup_sql(),
            (std::vector<std::string>{
                "SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'",
                "SET IntervalStyle = 'iso_8601'", "SET extra_float_digits = 3",
                "SET bytea_output = 'hex'", "SET standard_conforming_strings = on",
                "SET statement_timeout = 0", "SET idle_in_transaction_session_timeout = 0"}));
  EXPECT_EQ(
      dialect.begin_snapshot_sql(),
      (std::vector<std::string>{"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"}));
  EXPECT_EQ(dialect.snapshot_kind(), "repeatable read, read only");
  EXPECT_EQ(dialect.export_snapshot_sql(), "SELECT pg_export_snapshot()");
  EXPECT_EQ(dialect.import_snapshot_sql("00000003-0000001B-1"),
            (std::vector<std::string>{"SET TRANSACTION SNAPSHOT '00000003-0000001B-1'"}));
  EXPECT_EQ(dialect.max_parameters(), 7000u);
  EXPECT_TRUE(dialect.transactional_ddl());
  EXPECT_TRUE(dialect.enforces_declared_lengths());
}

TEST(PostgresDialectTest, NativeConstraintsOnlyIntoTheSameEngine) {
  PostgresDialect dialect;
  Table table = sqlite_table();
  table.native_constraints = {{"c", "CHECK (c1 IN (0, 1))"}};
  EXPECT_EQ(dialect.post_data_sql(table).size(), 2u);
}

TEST(PostgresDialectTest, NonPortableIndexFromAnotherEngineIsRefused) {
  PostgresDialect dialect;
  Table table = sqlite_table();
  table.indexes[0].portable = false;
  table.indexes[0].definition_sql = "CREATE INDEX idx_c12 ON t(lower(c12))";
  try {
    dialect.post_data_sql(table);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "cannot restore index \"idx_c12\" of table \"Every Type\" into postgres: it uses "
              "sqlite features bru cannot translate: CREATE INDEX idx_c12 ON t(lower(c12))");
  }
}

}  // namespace
}  // namespace bru::schema::dialects

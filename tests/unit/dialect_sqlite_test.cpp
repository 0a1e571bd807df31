// The SQLite dialect: type mapping both ways, generated SQL (golden), and the catalog and the
// canonical SELECT against real SQLite files (through the sqlite3 C API, no ODBC).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "schema/catalog.h"
#include "schema/dialect_names.h"
#include "schema/engines/sqlite/sqlite.h"
#include "schema/error.h"
#include "support/sample_data.h"
#include "support/test_support.h"
#include "unit/support/catalog_text.h"
#include "unit/support/sqlite_fixture.h"
#include "unit/support/sqlite_runner.h"

namespace bru::schema::dialects {
namespace {

PortableType type_of(std::string_view text) { return *parse_portable_type(text); }

TEST(SqliteDialectTest, AffinityFollowsSqliteRules) {
  EXPECT_EQ(sqlite_affinity("INTEGER"), SqliteAffinity::kInteger);
  EXPECT_EQ(sqlite_affinity("UNSIGNED BIG INT"), SqliteAffinity::kInteger);
  EXPECT_EQ(sqlite_affinity("POINT"), SqliteAffinity::kInteger);  // contains INT
  EXPECT_EQ(sqlite_affinity("NVARCHAR(10)"), SqliteAffinity::kText);
  EXPECT_EQ(sqlite_affinity("clob"), SqliteAffinity::kText);
  EXPECT_EQ(sqlite_affinity("JSON_TEXT"), SqliteAffinity::kText);
  EXPECT_EQ(sqlite_affinity("BLOB"), SqliteAffinity::kBlob);
  EXPECT_EQ(sqlite_affinity(""), SqliteAffinity::kBlob);
  EXPECT_EQ(sqlite_affinity("DOUBLE PRECISION"), SqliteAffinity::kReal);
  EXPECT_EQ(sqlite_affinity("FLOAT4"), SqliteAffinity::kReal);
  EXPECT_EQ(sqlite_affinity("NUMERIC(10,2)"), SqliteAffinity::kNumeric);
  EXPECT_EQ(sqlite_affinity("DATETIME"), SqliteAffinity::kNumeric);
  EXPECT_EQ(sqlite_affinity("STRING"), SqliteAffinity::kNumeric);
}

TEST(SqliteDialectTest, DeclaredTypesMapToPortableKinds) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"INTEGER", "int64"},
      {"bigint", "int64"},
      {"UNSIGNED BIG INT", "int64"},
      {"INT", "int32"},
      {"MEDIUMINT", "int32"},
      {"SMALLINT", "int16"},
      {"TINYINT", "int16"},
      {"BOOLEAN", "bool"},
      {"REAL", "float64"},
      {"DOUBLE PRECISION", "float64"},
      {"FLOAT", "float64"},
      {"FLOAT4", "float32"},
      {"NUMERIC(10,2)", "decimal(10,2)"},
      {"DECIMAL(10, 2)", "decimal(10,2)"},
      {"NUMERIC(5)", "decimal(5,0)"},
      {"NUMERIC", "decimal"},
      {"DECIMAL_TEXT(38,10)", "decimal(38,10)"},
      {"DECIMAL_TEXT", "decimal"},
      {"CHAR(3)", "char(3)"},
      {"NCHAR(2)", "char(2)"},
      {"CHAR", "text"},
      {"VARCHAR(40)", "varchar(40)"},
      {"NVARCHAR(120)", "varchar(120)"},
      {"VARCHAR", "varchar"},
      {"CHARACTER VARYING(5)", "varchar(5)"},
      {"TEXT", "text"},
      {"CLOB", "text"},
      {"LONGTEXT", "text"},
      {"BLOB", "blob"},
      {"BYTEA", "blob"},
      {"VARBINARY(16)", "binary(16)"},
      {"BLOB(8)", "binary(8)"},
      {"DATE", "date"},
      {"TIME", "time(6)"},
      {"TIME(3)", "time(3)"},
      {"DATETIME", "timestamp(6)"},
      {"TIMESTAMP(0)", "timestamp(0)"},
      {"TIMESTAMPTZ", "timestamptz(6)"},
      {"timestamp with time zone", "timestamptz(6)"},
      {"UUID", "uuid"},
      {"UNIQUEIDENTIFIER", "uuid"},
      {"JSON", "json"},
      {"JSON_TEXT", "json"},
      {"XML_TEXT", "xml"},
      {"", "text"},
      {"STRING", "decimal"},
      {"POINT", "int64"},
      {"MONEY", "decimal"},
  };
  for (const auto& [declared, portable] : cases) {
    EXPECT_EQ(to_string(sqlite_portable_type(declared)), portable) << declared;
  }
}

std::vector<PortableType> every_kind() {
  std::vector<PortableType> types;
  for (const char* text :
       {"bool",         "int16",          "int32",          "int64",          "float32",
        "float64",      "decimal(10,2)",  "decimal(15,0)",  "decimal(38,10)", "decimal",
        "char(3)",      "varchar(40)",    "varchar",        "text",           "binary(16)",
        "blob",         "date",           "time(6)",        "time(3)",        "timestamp(6)",
        "timestamp(0)", "timestamptz(6)", "timestamptz(3)", "uuid",           "json",
        "xml"}) {
    types.push_back(type_of(text));
  }
  return types;
}

TEST(SqliteDialectTest, NativeTypesReadBackAsTheSameKind) {
  SqliteDialect dialect;
  for (const auto& type : every_kind()) {
    EXPECT_EQ(to_string(sqlite_portable_type(dialect.native_type(type))), to_string(type))
        << dialect.native_type(type);
  }
  EXPECT_EQ(dialect.native_type(type_of("decimal(10,2)")), "NUMERIC(10,2)");
  EXPECT_EQ(dialect.native_type(type_of("decimal(16,2)")), "DECIMAL_TEXT(16,2)");
  EXPECT_EQ(dialect.native_type(type_of("decimal")), "DECIMAL_TEXT");
  EXPECT_EQ(dialect.native_type(type_of("json")), "JSON_TEXT");
  EXPECT_EQ(dialect.native_type(type_of("timestamptz(6)")), "TIMESTAMPTZ");
  EXPECT_EQ(dialect.native_type(type_of("time(3)")), "TIME(3)");
}

// A table as the PostgreSQL dialect reads it, with every kind.
Table postgres_table() {
  Table table;
  table.schema = "public";
  table.name = "every type";
  table.dialect = "postgres";
  int column_number = 0;
  for (const auto& type : every_kind()) {
    Column column;
    column.name = "c" + std::to_string(++column_number);
    column.type = type;
    column.native_type = "postgres-only";
    table.columns.push_back(column);
  }
  table.columns[3].name = "id";
  table.columns[3].identity = true;
  table.columns[3].identity_kind = "always";
  table.columns[3].nullable = false;
  table.columns[0].default_sql = "true";
  table.columns[1].default_sql = "'-1'::integer";
  table.columns[11].default_sql = "'it''s'::character varying";
  table.columns[16].default_sql = "CURRENT_DATE";
  table.columns[19].default_sql = "now()";
  table.columns[13].nullable = false;
  table.primary_key_name = "every type_pkey";
  table.primary_key = {"id"};
  table.uniques = {{"u_c11", {"c11", "c12"}}};
  table.indexes = {{"i_c14", {"c14"}, false, "CREATE INDEX ...", true},
                   {"i_c3", {"c3", "c5"}, true, "CREATE UNIQUE INDEX ...", true}};
  table.foreign_keys = {
      {"fk_parent", {"c3"}, "public", "parent", {"id"}, "CASCADE", "SET NULL", ""},
      {"", {"c2"}, "public", "other", {"x"}, "NO ACTION", "NO ACTION", ""}};
  return table;
}

TEST(SqliteDialectTest, CreateTableFromAnotherEngine) {
  SqliteDialect dialect;
  EXPECT_EQ(dialect.create_table_sql(postgres_table()),
            "CREATE TABLE \"every type\" (\n"
            "    \"c1\" BOOLEAN DEFAULT 1,\n"
            "    \"c2\" SMALLINT DEFAULT '-1',\n"
            "    \"c3\" INT,\n"
            "    \"id\" INTEGER CONSTRAINT \"every type_pkey\" PRIMARY KEY NOT NULL,\n"
            "    \"c5\" FLOAT4,\n"
            "    \"c6\" REAL,\n"
            "    \"c7\" NUMERIC(10,2),\n"
            "    \"c8\" NUMERIC(15,0),\n"
            "    \"c9\" DECIMAL_TEXT(38,10),\n"
            "    \"c10\" DECIMAL_TEXT,\n"
            "    \"c11\" CHAR(3),\n"
            "    \"c12\" VARCHAR(40) DEFAULT 'it''s',\n"
            "    \"c13\" VARCHAR,\n"
            "    \"c14\" TEXT NOT NULL,\n"
            "    \"c15\" VARBINARY(16),\n"
            "    \"c16\" BLOB,\n"
            "    \"c17\" DATE DEFAULT CURRENT_DATE,\n"
            "    \"c18\" TIME,\n"
            "    \"c19\" TIME(3),\n"
            "    \"c20\" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
            "    \"c21\" TIMESTAMP(0),\n"
            "    \"c22\" TIMESTAMPTZ,\n"
            "    \"c23\" TIMESTAMPTZ(3),\n"
            "    \"c24\" UUID,\n"
            "    \"c25\" JSON_TEXT,\n"
            "    \"c26\" XML_TEXT,\n"
            "    CONSTRAINT \"u_c11\" UNIQUE (\"c11\", \"c12\"),\n"
            "    CONSTRAINT \"fk_parent\" FOREIGN KEY (\"c3\") REFERENCES \"parent\" (\"id\") ON "
            "DELETE CASCADE ON UPDATE SET NULL,\n"
            "    FOREIGN KEY (\"c2\") REFERENCES \"other\" (\"x\")\n"
            ")");
}

TEST(SqliteDialectTest, CompositeKeyIsATableConstraint) {
  SqliteDialect dialect;
  Table table;
  table.name = "pairs";
  table.dialect = "postgres";
  table.columns = {{"a", type_of("int32"), "integer", false, std::nullopt, false, "", ""},
                   {"b", type_of("int64"), "bigint", false, std::nullopt, true, "by default", ""}};
  table.primary_key = {"a", "b"};
  EXPECT_EQ(dialect.create_table_sql(table),
            "CREATE TABLE \"pairs\" (\n"
            "    \"a\" INT NOT NULL,\n"
            "    \"b\" BIGINT NOT NULL,\n"
            "    PRIMARY KEY (\"a\", \"b\")\n"
            ")");
}

TEST(SqliteDialectTest, DefaultWithoutPortableMeaningIsRefused) {
  SqliteDialect dialect;
  Table table = postgres_table();
  table.columns[2].default_sql = "nextval('other_seq'::regclass)";
  try {
    dialect.create_table_sql(table);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "cannot restore table \"public.every type\" into sqlite: the default "
              "nextval('other_seq'::regclass) of column \"c3\" is postgres-specific");
    EXPECT_EQ(error.hints(),
              (std::vector<std::string>{"restore into postgres, or drop that default in the "
                                        "source database and back up again"}));
  }
}

TEST(SqliteDialectTest, SameEngineUsesTheOriginalStatements) {
  SqliteDialect dialect;
  Table table;
  table.name = "t";
  table.dialect = "sqlite";
  table.native_sql = "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b CHECK (b > 0))";
  table.columns = {
      {"a", type_of("int64"), "INTEGER", true, std::nullopt, true, "autoincrement", ""},
      {"b", type_of("text"), "", true, std::nullopt, false, "", ""}};
  table.primary_key = {"a"};
  table.indexes = {{"t_b", {}, false, "CREATE INDEX t_b ON t(lower(b))", false}};
  EXPECT_EQ(dialect.create_table_sql(table), table.native_sql);
  EXPECT_EQ(dialect.post_data_sql(table),
            (std::vector<std::string>{"CREATE INDEX t_b ON t(lower(b))"}));
  // Without the original text (an archive written by hand), the model is enough.
  table.native_sql.clear();
  EXPECT_EQ(dialect.create_table_sql(table),
            "CREATE TABLE \"t\" (\n"
            "    \"a\" INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            "    \"b\" \n"
            ")");
}

TEST(SqliteDialectTest, PostDataHasIndexesOnly) {
  SqliteDialect dialect;
  EXPECT_EQ(dialect.post_data_sql(postgres_table()),
            (std::vector<std::string>{
                "CREATE INDEX \"i_c14\" ON \"every type\" (\"c14\")",
                "CREATE UNIQUE INDEX \"i_c3\" ON \"every type\" (\"c3\", \"c5\")",
            }));
  EXPECT_TRUE(dialect.foreign_key_sql(postgres_table()).empty());
  EXPECT_TRUE(dialect.reset_identity_sql(postgres_table()).empty());
}

TEST(SqliteDialectTest, NonPortableIndexFromAnotherEngineIsRefused) {
  SqliteDialect dialect;
  Table table = postgres_table();
  table.indexes[0].portable = false;
  table.indexes[0].definition_sql = "CREATE INDEX i_c14 ON public.t USING gin (c14)";
  try {
    dialect.post_data_sql(table);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "cannot restore index \"i_c14\" of table \"public.every type\" into sqlite: it uses "
              "postgres features bru cannot translate: CREATE INDEX i_c14 ON public.t USING gin "
              "(c14)");
    EXPECT_EQ(error.hints(),
              (std::vector<std::string>{"restore into postgres, or drop the index in the source "
                                        "database and back up again"}));
  }
}

TEST(SqliteDialectTest, QuotesOddIdentifiersAndIgnoresSchemas) {
  SqliteDialect dialect;
  EXPECT_EQ(dialect.quote_identifier("select"), "\"select\"");
  EXPECT_EQ(dialect.quote_identifier("MixedCase"), "\"MixedCase\"");
  EXPECT_EQ(dialect.quote_identifier("say \"hi\""), "\"say \"\"hi\"\"\"");
  Table table;
  table.schema = "public";
  table.name = "Odd \"Name\"";
  EXPECT_EQ(dialect.qualified_name(table), "\"Odd \"\"Name\"\"\"");
  EXPECT_EQ(dialect.drop_table_sql(table), "DROP TABLE IF EXISTS \"Odd \"\"Name\"\"\"");
}

TEST(SqliteDialectTest, InsertHasOneMarkerPerValue) {
  SqliteDialect dialect;
  Table table;
  table.name = "t";
  table.columns = {{"a", type_of("int64"), "", true, std::nullopt, false, "", ""},
                   {"select", type_of("text"), "", true, std::nullopt, false, "", ""}};
  EXPECT_EQ(dialect.insert_sql(table, 1), "INSERT INTO \"t\" (\"a\", \"select\") VALUES (?, ?)");
  EXPECT_EQ(dialect.insert_sql(table, 3),
            "INSERT INTO \"t\" (\"a\", \"select\") VALUES (?, ?), (?, ?), (?, ?)");
  EXPECT_GE(dialect.max_parameters(), 1000u);
  EXPECT_LE(dialect.max_parameters(), 32766u);
  EXPECT_TRUE(dialect.transactional_ddl());
  EXPECT_FALSE(dialect.enforces_declared_lengths());
}

// bru's piece functions need a rowid table: the rowid read by a name no column shadows.
TEST(SqliteDialectTest, LongBlobsAreWrittenInPlaceOnRowidTablesOnly) {
  SqliteDialect dialect;
  Table table;
  table.name = "t";
  table.columns = {{"a", type_of("int64"), "", true, std::nullopt, false, "", ""},
                   {"b", type_of("blob"), "", true, std::nullopt, false, "", ""}};
  EXPECT_EQ(dialect.rowid_name(table), "rowid");
  const auto sql = dialect.in_place_sql(table, {1}, 0);
  ASSERT_TRUE(sql.has_value());
  EXPECT_EQ(sql->insert, "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, zeroblob(?))");
  EXPECT_EQ(sql->write_piece,
            (std::vector<std::string>{"", "SELECT bru_write_piece('t', 'b', last_insert_rowid(), "
                                          "?, ?)"}));
  EXPECT_EQ(sql->remove_row, "DELETE FROM \"t\" WHERE rowid = last_insert_rowid()");
  EXPECT_EQ(sql->probe, "SELECT bru_zero_text(0)");

  // Zeros not at the row's end: bru_zeros() for a BLOB, bru_zero_text() for a TEXT.
  table.columns.push_back({"c", type_of("text"), "", true, std::nullopt, false, "", ""});
  table.columns.push_back({"d", type_of("int64"), "", true, std::nullopt, false, "", ""});
  EXPECT_EQ(dialect.in_place_sql(table, {1, 2}, 2)->insert,
            "INSERT INTO \"t\" (\"a\", \"b\", \"c\", \"d\") VALUES (?, bru_zeros(?), "
            "bru_zero_text(?), ?)");
  table.columns.resize(2);
  table.uniques.push_back({"t_b_key", {"B"}});
  EXPECT_FALSE(dialect.in_place_sql(table, {1}, 0).has_value());  // a key's index holds it
  table.uniques.clear();

  table.columns[0].name = "RowID";
  EXPECT_EQ(dialect.rowid_name(table), "_rowid_");
  table.native_sql = "CREATE TABLE t (RowID INTEGER PRIMARY KEY, b BLOB) without\n  rowid";
  EXPECT_EQ(dialect.rowid_name(table), std::nullopt);
  EXPECT_FALSE(dialect.in_place_sql(table, {1}, 0).has_value());
  table.native_sql.clear();
  table.schema = "other";
  EXPECT_EQ(dialect.rowid_name(table), std::nullopt);
}

TEST(SqliteDialectTest, SessionAndSnapshot) {
  SqliteDialect dialect;
  EXPECT_EQ(dialect.session_setup_sql(), (std::vector<std::string>{"PRAGMA foreign_keys = OFF"}));
  EXPECT_EQ(dialect.begin_snapshot_sql(),
            (std::vector<std::string>{"SELECT count(*) FROM sqlite_master"}));
  EXPECT_EQ(dialect.snapshot_kind(), "read transaction");
  // One connection reads everything: SQLite cannot share a snapshot between connections.
  EXPECT_EQ(dialect.export_snapshot_sql(), "");
  EXPECT_TRUE(dialect.import_snapshot_sql("x").empty());
}

TEST(SqliteDialectTest, MakeDialectKnowsSqlite) {
  EXPECT_EQ(make_dialect("sqlite")->name(), "sqlite");
  EXPECT_EQ(make_dialect("postgres")->name(), "postgres");
  try {
    make_dialect("db2");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(error.message(), "unknown dialect \"db2\"");
    EXPECT_EQ(error.hints(), (std::vector<std::string>{
                                 "known dialects: postgres, mssql, oracle, sqlite, mariadb"}));
  }
}

// ---- against real SQLite files ----

class SqliteCatalogTest : public ::testing::Test {
 protected:
  test::ScratchDir scratch_;
  std::string path_ = (scratch_ / "test.db").string();
  test::SqliteRunner runner_{path_};
  SqliteDialect dialect_;

  Catalog read(const CatalogFilter& filter = {}) { return dialect_.read_catalog(runner_, filter); }
};

TEST_F(SqliteCatalogTest, ReadsEveryKindOfObject) {
  runner_.script(test::kSqliteSchema);
  const Catalog catalog = read();
  EXPECT_EQ(catalog.dialect, "sqlite");
  EXPECT_EQ(catalog.database, path_);
  EXPECT_FALSE(catalog.server_version.empty());
  EXPECT_EQ(test::describe(catalog.tables), test::kSqliteSchemaDescription);
  EXPECT_EQ(test::warning_codes(catalog.warnings),
            (std::vector<std::string>{"virtual-table-skipped", "generated-column-skipped"}));
  EXPECT_EQ(test::warning_messages(catalog.warnings),
            (std::vector<std::string>{
                "virtual table \"ft\" is not backed up (CREATE VIRTUAL TABLE ft USING fts5(body))",
                "generated column \"doubled\" of table \"employee\" is not backed up: a restore "
                "into SQLite recomputes it, other engines do not get it",
            }));
  for (const auto& table : catalog.tables) {
    EXPECT_EQ(table.dialect, "sqlite");
    EXPECT_EQ(table.native_sql.rfind("CREATE TABLE", 0), 0u) << table.name;
  }
  EXPECT_EQ(catalog.tables[2].indexes[1].definition_sql,
            "CREATE INDEX album_title ON album(title)");
}

TEST_F(SqliteCatalogTest, SelectYieldsCanonicalValues) {
  runner_.script(R"sql(
CREATE TABLE v (id INTEGER PRIMARY KEY, b BOOLEAN, f REAL, d NUMERIC(10,2), d0 NUMERIC,
                dt DECIMAL_TEXT(30,10), t TEXT, n VARCHAR(10), ts DATETIME, tz TIMESTAMPTZ,
                da DATE, ti TIME, u UUID, j JSON, bl BLOB, big BIGINT, k NUMERIC(12,0));
INSERT INTO v VALUES (1, 1, 0.1 + 0.2, 13, 13.5, '12345678901234567890.1234567890',
                      'héllo 😀', NULL, '2020-01-02 03:04:05.123456', '2020-01-02 03:04:05+00',
                      '2020-02-29', '23:59:59.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                      '{"a":[1,2]}', x'00ff', 9223372036854775807, 123456789012);
INSERT INTO v VALUES (2, 0, 1e300, 0.99, 0.1, '-0.0000000001', '', '', '2020-01-02 03:04:05',
                      '1999-12-31 23:59:59.000001+00', '0001-01-01', '00:00:00', NULL, '5',
                      x'', -9223372036854775808, -5);
INSERT INTO v VALUES (3, NULL, -9e999, -0.5, -7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, NULL, NULL);
INSERT INTO v (id, f) VALUES (4, 5);
)sql");
  const Catalog catalog = read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  EXPECT_TRUE(catalog.warnings.empty()) << catalog.warnings.front().message;
  const Table& table = catalog.tables[0];
  std::string kinds;
  for (const auto& column : table.columns) kinds += to_string(column.type) + " ";
  EXPECT_EQ(kinds,
            "int64 bool float64 decimal(10,2) decimal decimal(30,10) text varchar(10) "
            "timestamp(6) timestamptz(6) date time(6) uuid json blob int64 decimal(12,0) ");
  const auto rows = runner_.query(dialect_.select_sql(table));
  ASSERT_EQ(rows.size(), 4u);
  // Reals come as exact hexadecimal text: show them as the doubles they are.
  auto row_text = [](const Row& row) {
    std::string out;
    for (std::size_t idx = 0; idx < row.size(); ++idx) {
      if (idx == 2 && row[idx]) {
        out += fmt::format("{}|", std::strtod(row[idx]->c_str(), nullptr));
      } else {
        out += (row[idx] ? *row[idx] : "NULL") + "|";
      }
    }
    return out;
  };
  EXPECT_EQ(row_text(rows[0]),
            "1|1|0.30000000000000004|13.00|13.5|12345678901234567890.1234567890|héllo 😀|NULL|"
            "2020-01-02 03:04:05.123456|2020-01-02 03:04:05+00|2020-02-29|23:59:59.5|"
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\":[1,2]}|" +
                std::string("\0\xff", 2) + "|9223372036854775807|123456789012|");
  EXPECT_EQ(row_text(rows[1]),
            "2|0|1e+300|0.99|0.1|-0.0000000001|||2020-01-02 03:04:05|"
            "1999-12-31 23:59:59.000001+00|0001-01-01|00:00:00|NULL|5||-9223372036854775808|-5|");
  EXPECT_EQ(row_text(rows[2]),
            "3|NULL|-inf|-0.50|-7|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|");
  EXPECT_EQ(row_text(rows[3]).substr(0, 6), "4|NULL");
  EXPECT_EQ(*rows[3][2], "0x50000000000000p-52");
  EXPECT_EQ(*rows[0][2], "0x4cccccccccccd0p-56");
}

TEST_F(SqliteCatalogTest, ValuesThatDoNotFitChangeTheKind) {
  runner_.script(R"sql(
CREATE TABLE odd (ts DATETIME, i INTEGER, s SMALLINT, d NUMERIC(10,2), u UUID, j JSON, b BLOB,
                  x, y, t TEXT, ok DATETIME);
INSERT INTO odd VALUES ('2020-01-01T10:00:00', 'abc', 100000, 0.125,
                        'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'not json', 'text in blob', 1,
                        'y', x'01', '2020-01-01 10:00:00');
INSERT INTO odd VALUES ('2020-01-01 10:00:00.500', 5, 1, 1.5, NULL, '[]', NULL, 2, 'z', NULL,
                        NULL);
)sql");
  const Catalog catalog = read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  EXPECT_EQ(test::describe(catalog.tables[0]),
            "table odd\n"
            "  column ts text [DATETIME]\n"
            "  column i text [INTEGER]\n"
            "  column s int64 [SMALLINT]\n"
            "  column d float64 [NUMERIC(10,2)]\n"
            "  column u text [UUID]\n"
            "  column j text [JSON]\n"
            "  column b text [BLOB]\n"
            "  column x int64 []\n"
            "  column y text []\n"
            "  column t blob [TEXT]\n"
            "  column ok timestamp(6) [DATETIME]\n");
  EXPECT_EQ(test::warning_codes(catalog.warnings),
            (std::vector<std::string>{
                "column-type-settled", "column-type-settled", "column-type-settled",
                "column-type-settled", "column-type-settled", "column-type-settled",
                "column-type-settled", "column-type-settled", "column-type-settled"}));
  EXPECT_EQ(test::warning_messages(catalog.warnings),
            (std::vector<std::string>{
                "column \"ts\" of table \"odd\" (declared DATETIME) holds 2 value(s) that are not "
                "'YYYY-MM-DD HH:MM:SS[.ffffff]' text (no trailing zeros): it is backed up as text",
                "column \"i\" of table \"odd\" (declared INTEGER) holds 1 value(s) that are not "
                "integers: it is backed up as text",
                "column \"s\" of table \"odd\" (declared SMALLINT) holds 1 value(s) that are not "
                "integers from -32768 to 32767: it is backed up as int64",
                "column \"d\" of table \"odd\" (declared NUMERIC(10,2)) holds 1 value(s) that are "
                "not decimal numbers with at most 2 decimals: it is backed up as float64",
                "column \"u\" of table \"odd\" (declared UUID) holds 1 value(s) that are not "
                "lower-case UUID text: it is backed up as text",
                "column \"j\" of table \"odd\" (declared JSON) holds 1 value(s) that are not "
                "valid JSON text: it is backed up as text",
                "column \"b\" of table \"odd\" (declared BLOB) holds 1 value(s) that are not "
                "blobs: it is backed up as text",
                "column \"x\" of table \"odd\" (declared without a type) holds 2 value(s) that "
                "are not text: it is backed up as int64",
                "column \"t\" of table \"odd\" (declared TEXT) holds 1 value(s) that are not "
                "text: it is backed up as blob",
            }));
  // Text in columns with number affinity comes out as the text SQLite would convert back.
  const auto rows = runner_.query(dialect_.select_sql(catalog.tables[0]) + " LIMIT 1 OFFSET 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][1], "5");
  EXPECT_EQ(*rows[0][3], "0x60000000000000p-54");
}

void expect_refused(SqliteCatalogTest& test, const std::function<Catalog()>& read,
                    const std::string& message) {
  (void)test;
  try {
    read();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(), message);
    EXPECT_EQ(error.hints(),
              (std::vector<std::string>{"make the column's values one storage class (for example "
                                        "UPDATE ... SET col = CAST(col AS TEXT)), or leave the "
                                        "table out with -EXCLUDE"}));
  }
}

TEST_F(SqliteCatalogTest, MixedClassesWithoutAffinityAreRefused) {
  runner_.script("CREATE TABLE mixed (m); INSERT INTO mixed VALUES (1), ('a'), (2);");
  expect_refused(
      *this, [&] { return read(); },
      "cannot back up column \"m\" of table \"mixed\": it holds integer, text values "
      "(a text value at rowid 2), which no single type carries faithfully");
}

TEST_F(SqliteCatalogTest, BlobsAmongTextAreRefused) {
  runner_.script("CREATE TABLE notes (n TEXT); INSERT INTO notes VALUES ('a'), (x'00'), ('b');");
  expect_refused(
      *this, [&] { return read(); },
      "cannot back up column \"n\" of table \"notes\": it holds text, blob values (a "
      "blob value at rowid 2), which no single type carries faithfully");
}

TEST_F(SqliteCatalogTest, FilterSelectsTablesInAnyCase) {
  runner_.script(test::kSqliteSchema);
  CatalogFilter filter;
  filter.include_tables = {"ALBUM", "artist", "employee"};
  filter.exclude_tables = {"Employee"};
  const Catalog catalog = read(filter);
  ASSERT_EQ(catalog.tables.size(), 2u);
  EXPECT_EQ(catalog.tables[0].name, "artist");
  EXPECT_EQ(catalog.tables[1].name, "album");
  EXPECT_TRUE(catalog.warnings.empty());
}

TEST_F(SqliteCatalogTest, ForeignKeysToTablesLeftOutAreDropped) {
  runner_.script(test::kSqliteSchema);
  CatalogFilter filter;
  filter.include_tables = {"album", "track"};
  const Catalog catalog = read(filter);
  ASSERT_EQ(catalog.tables.size(), 2u);
  EXPECT_TRUE(catalog.tables[0].foreign_keys.empty());
  EXPECT_EQ(catalog.tables[1].foreign_keys.size(), 1u);
  EXPECT_EQ(test::warning_codes(catalog.warnings),
            (std::vector<std::string>{"foreign-key-outside-selection"}));
  EXPECT_EQ(test::warning_messages(catalog.warnings),
            (std::vector<std::string>{"foreign key of table \"album\" references table "
                                      "\"artist\", which is not backed up: the foreign key is "
                                      "left out"}));
}

TEST_F(SqliteCatalogTest, CheckConstraintsAreNamedInAWarning) {
  runner_.script(
      "CREATE TABLE priced (price REAL CHECK (price > 0), note TEXT);"
      "CREATE TABLE plain (checked INTEGER, \"check\" TEXT);");
  const Catalog catalog = read();
  EXPECT_EQ(test::warning_codes(catalog.warnings),
            (std::vector<std::string>{"constraint-same-engine-only"}));
  EXPECT_EQ(test::warning_messages(catalog.warnings),
            (std::vector<std::string>{"table \"priced\" has CHECK constraints: they are restored "
                                      "only into sqlite"}));
}

TEST_F(SqliteCatalogTest, UnknownTableIsNotFound) {
  runner_.script(test::kSqliteSchema);
  CatalogFilter filter;
  filter.include_tables = {"artist", "albun"};
  try {
    read(filter);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_EQ(error.message(), "table \"albun\" not found in database \"" + path_ + "\"");
    EXPECT_EQ(error.hints(),
              (std::vector<std::string>{"did you mean \"album\"?",
                                        "-TABLES names tables as \"schema.table\" or \"table\", "
                                        "in any case"}));
  }
  filter.include_tables = {"zzzzzzzz"};
  try {
    read(filter);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.hints().size(), 1u);
  }
}

TEST_F(SqliteCatalogTest, SchemaFilterIsAUsageError) {
  runner_.script(test::kSqliteSchema);
  CatalogFilter filter;
  filter.schemas = {"main"};
  EXPECT_EQ(read(filter).tables.size(), 5u);
  filter.schemas = {"public"};
  try {
    read(filter);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(error.message(),
              "-SCHEMA \"public\" does not apply to SQLite: a SQLite database has no schemas");
    EXPECT_EQ(error.hints(), (std::vector<std::string>{"leave out -SCHEMA; use -TABLES / -EXCLUDE "
                                                       "to choose tables"}));
  }
}

TEST_F(SqliteCatalogTest, TableFromAnotherEngineReadsBackAsTheSameKinds) {
  Table source = postgres_table();
  source.foreign_keys.clear();
  runner_.execute(dialect_.create_table_sql(source));
  for (const auto& sql : dialect_.post_data_sql(source)) runner_.execute(sql);
  const Catalog catalog = read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  const Table& back = catalog.tables[0];
  ASSERT_EQ(back.columns.size(), source.columns.size());
  for (std::size_t idx = 0; idx < back.columns.size(); ++idx) {
    EXPECT_EQ(to_string(back.columns[idx].type), to_string(source.columns[idx].type))
        << back.columns[idx].name;
  }
  EXPECT_TRUE(back.find_column("id")->identity);
  EXPECT_EQ(back.primary_key, source.primary_key);
  EXPECT_EQ(back.uniques.size(), 1u);
  EXPECT_EQ(back.indexes.size(), 2u);
}

TEST_F(SqliteCatalogTest, SameEngineRestoreRecreatesTheOriginal) {
  runner_.script(test::kSqliteSchema);
  const Catalog catalog = read();
  test::ScratchDir target_dir;
  test::SqliteRunner target((target_dir / "copy.db").string());
  for (const auto& sql : dialect_.session_setup_sql()) target.execute(sql);
  for (const auto& table : catalog.tables) {
    target.execute(dialect_.create_table_sql(table));
    for (const auto& sql : dialect_.post_data_sql(table)) target.execute(sql);
  }
  const Catalog copy = dialect_.read_catalog(target, {});
  EXPECT_EQ(test::describe(copy.tables), test::describe(catalog.tables));
}

TEST_F(SqliteCatalogTest, SampleReadsWithoutWarnings) {
  runner_.script(test::sample_script("sqlite"));
  const Catalog catalog = read();
  EXPECT_TRUE(catalog.warnings.empty()) << catalog.warnings.front().message;
  std::vector<std::string> names;
  for (const auto& table : catalog.tables) names.push_back(table.name);
  // Parents before children; otherwise by name.
  EXPECT_EQ(names, (std::vector<std::string>{"business_unit", "activity", "performance_data",
                                             "site", "agent", "schedule"}));
  const Table& agent = catalog.tables[4];
  EXPECT_EQ(test::describe(agent),
            "table agent\n"
            "  column agent_id int32 [INT] not null\n"
            "  column site_id int32 [INT] not null\n"
            "  column employee_number varchar(20) [VARCHAR(20)] not null\n"
            "  column first_name varchar(60) [VARCHAR(60)] not null\n"
            "  column last_name varchar(60) [VARCHAR(60)] not null\n"
            "  column email varchar(120) [VARCHAR(120)]\n"
            "  column hire_date date [DATE] not null\n"
            "  column hourly_rate decimal(9,2) [DECIMAL(9,2)]\n"
            "  column active bool [BOOLEAN] not null\n"
            "  primary key (agent_id)\n"
            "  unique (employee_number)\n"
            "  index ix_agent_site (site_id)\n"
            "  foreign key (site_id) -> site (site_id) on delete NO ACTION on update NO ACTION\n");
  const auto rows = runner_.query(dialect_.select_sql(agent) + " ORDER BY agent_id LIMIT 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][6], "2018-01-25");
  EXPECT_EQ(*rows[0][7], "42.47");
}

}  // namespace
}  // namespace bru::schema::dialects

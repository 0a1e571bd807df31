// The Oracle dialect offline. No Oracle server runs where bru is tested: the catalog reader is
// fed the rows a server's ALL_* views would return (CannedRunner, written from Oracle's reference
// of those views, never from a live server), and every query bru sends, the SELECTs, pages and
// INSERTs of the data path and the DDL of a restore into Oracle are compared byte for byte with
// tests/cli/testdata/oracle_sql/backup.sql (BRU_REGENERATE_GOLDEN=1 rewrites it; review the
// diff), which the ctest oracle_sql_parsers parses with sqlfluff and sqlglot.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/engines/archive_sql.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::schema {
namespace {

// Answers each query with the rows of the first key its text contains (the view it reads), and
// keeps every query and its parameters.
class CannedRunner final : public SqlRunner {
 public:
  std::vector<std::pair<std::string, std::vector<Row>>> answers;
  std::vector<std::string> sent;
  std::vector<std::vector<std::string>> params_sent;

  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params) override {
    sent.emplace_back(sql);
    params_sent.push_back(params);
    for (const auto& [key, rows] : answers) {
      if (sql.find(key) != std::string_view::npos) return rows;
    }
    return {};
  }
  void execute(std::string_view sql, const std::vector<std::string>& params) override {
    (void)query(sql, params);
  }
};

std::optional<std::string> v(const char* text) { return std::string(text); }
const std::optional<std::string> null;

// A shop schema as Oracle 19c's views describe it. Keys are matched in order: the more specific
// first (ALL_TAB_IDENTITY_COLS also appears in the sequences' query).
CannedRunner shop_runner() {
  CannedRunner runner;
  runner.answers = {
      {"SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')", {{v("SHOP"), v("ORCL"), v("19.21.0.0.0")}}},
      {"FROM ALL_TABLES t", {{v("CUSTOMER")}, {v("ORDERS")}}},
      {"FROM ALL_SEQUENCES",
       {{v("INVOICE_SEQ"), v("1"), v("9999999999999999999999999999"), v("1"), v("N"), v("20"),
         v("1041")}}},
      {"FROM ALL_TAB_IDENTITY_COLS", {{v("CUSTOMER"), v("ID"), v("ALWAYS"), v("ISEQ$$_73021")}}},
      {"FROM ALL_TAB_COLS",
       {
           // TABLE, COLUMN, DATA_TYPE, LENGTH, PRECISION, SCALE, CHAR_LENGTH, CHAR_USED,
           // NULLABLE, DATA_DEFAULT, VIRTUAL_COLUMN
           {v("CUSTOMER"), v("ID"), v("NUMBER"), v("22"), null, null, v("0"), null, v("N"),
            v("\"SHOP\".\"ISEQ$$_73021\".nextval"), v("NO")},
           {v("CUSTOMER"), v("NAME"), v("VARCHAR2"), v("40"), null, null, v("10"), v("C"), v("N"),
            null, v("NO")},
           {v("CUSTOMER"), v("CODE"), v("CHAR"), v("4"), null, null, v("4"), v("B"), v("Y"),
            null, v("NO")},
           {v("CUSTOMER"), v("NOTE"), v("NCLOB"), v("4000"), null, null, v("0"), null, v("Y"),
            null, v("NO")},
           {v("CUSTOMER"), v("BORN"), v("DATE"), v("7"), null, null, v("0"), null, v("Y"),
            v("SYSDATE "), v("NO")},
           {v("ORDERS"), v("ID"), v("NUMBER"), v("22"), v("12"), v("0"), v("0"), null, v("N"),
            null, v("NO")},
           {v("ORDERS"), v("CUSTOMER_ID"), v("NUMBER"), v("22"), v("19"), v("0"), v("0"), null,
            v("N"), null, v("NO")},
           {v("ORDERS"), v("QTY"), v("NUMBER"), v("22"), v("3"), v("0"), v("0"), null, v("Y"),
            v("1"), v("NO")},
           {v("ORDERS"), v("AMOUNT"), v("NUMBER"), v("22"), v("10"), v("2"), v("0"), null, v("Y"),
            null, v("NO")},
           {v("ORDERS"), v("RATIO"), v("NUMBER"), v("22"), null, null, v("0"), null, v("Y"), null,
            v("NO")},
           {v("ORDERS"), v("ROUNDED"), v("NUMBER"), v("22"), v("5"), v("-2"), v("0"), null,
            v("Y"), null, v("NO")},
           {v("ORDERS"), v("WEIGHT"), v("FLOAT"), v("22"), v("126"), null, v("0"), null, v("Y"),
            null, v("NO")},
           {v("ORDERS"), v("SCORE"), v("BINARY_DOUBLE"), v("8"), null, null, v("0"), null, v("Y"),
            null, v("NO")},
           {v("ORDERS"), v("RATE"), v("BINARY_FLOAT"), v("4"), null, null, v("0"), null, v("Y"),
            null, v("NO")},
           {v("ORDERS"), v("LABEL"), v("NVARCHAR2"), v("80"), null, null, v("40"), v("C"), v("Y"),
            v("'new'"), v("NO")},
           {v("ORDERS"), v("PLACED"), v("TIMESTAMP(3)"), v("11"), null, v("3"), v("0"), null,
            v("N"), null, v("NO")},
           {v("ORDERS"), v("SEEN"), v("TIMESTAMP(6) WITH TIME ZONE"), v("13"), null, v("6"),
            v("0"), null, v("Y"), null, v("NO")},
           {v("ORDERS"), v("SEEN_HERE"), v("TIMESTAMP(0) WITH LOCAL TIME ZONE"), v("7"), null,
            v("0"), v("0"), null, v("Y"), null, v("NO")},
           {v("ORDERS"), v("TAG"), v("RAW"), v("16"), null, null, v("0"), null, v("Y"), null,
            v("NO")},
           {v("ORDERS"), v("DOC"), v("BLOB"), v("4000"), null, null, v("0"), null, v("Y"), null,
            v("NO")},
           {v("ORDERS"), v("TOTAL"), v("NUMBER"), v("22"), null, null, v("0"), null, v("Y"),
            v("\"QTY\"*\"AMOUNT\""), v("YES")},
       }},
      {"CONSTRAINT_TYPE IN ('P', 'U', 'R')",
       {
           {v("CUSTOMER"), v("CUSTOMER_PK"), v("P"), v("ID"), null, null, null, null},
           {v("CUSTOMER"), v("CUSTOMER_CODE_UK"), v("U"), v("CODE"), null, null, null, null},
           {v("ORDERS"), v("ORDERS_PK"), v("P"), v("ID"), null, null, null, null},
           {v("ORDERS"), v("ORDERS_CUSTOMER_FK"), v("R"), v("CUSTOMER_ID"), v("SHOP"),
            v("CUSTOMER"), v("ID"), v("CASCADE")},
       }},
      {"CONSTRAINT_TYPE = 'C'",
       {
           {v("CUSTOMER"), v("SYS_C0012345"), v("\"NAME\" IS NOT NULL")},
           {v("ORDERS"), v("ORDERS_AMOUNT_CK"), v("amount > 0")},
       }},
      {"FROM ALL_INDEXES",
       {
           {v("ORDERS"), v("ORDERS_LABEL_IX"), v("NONUNIQUE"), v("FUNCTION-BASED NORMAL"),
            v("SYS_NC00022$"), v("ASC"), v("UPPER(\"LABEL\")")},
           {v("ORDERS"), v("ORDERS_PLACED_IX"), v("NONUNIQUE"), v("NORMAL"), v("PLACED"), v("ASC"),
            null},
           {v("ORDERS"), v("ORDERS_PLACED_IX"), v("NONUNIQUE"), v("NORMAL"), v("QTY"), v("ASC"),
            null},
       }},
      {"FROM ALL_VIEWS",
       {{v("ORDER_TOTALS"), v("SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY "
                               "customer_id")}}},
      {"FROM ALL_TRIGGERS", {{v("ORDERS_BI"), v("ORDERS")}}},
      // ADDRESS_T names GEO_T: GEO_T comes first.
      {"FROM ALL_DEPENDENCIES", {{v("ADDRESS_T"), v("GEO_T")}}},
      {"FROM ALL_SOURCE",
       {
           {v("TYPE"), v("ADDRESS_T"), v("TYPE address_t AS OBJECT (street VARCHAR2(80), ")},
           {v("TYPE"), v("ADDRESS_T"), v("place geo_t);")},
           {v("PACKAGE"), v("BILLING"), v("PACKAGE billing AS\n")},
           {v("PACKAGE"), v("BILLING"), v("  PROCEDURE close_month(month DATE);\nEND billing;")},
           {v("PACKAGE BODY"), v("BILLING"), v("PACKAGE BODY billing AS\n")},
           {v("PACKAGE BODY"), v("BILLING"),
            v("  PROCEDURE close_month(month DATE) IS\n  BEGIN\n    UPDATE orders SET qty = qty "
              "WHERE placed < month;\n  END close_month;\nEND billing;")},
           {v("TYPE"), v("GEO_T"), v("TYPE geo_t AS OBJECT (lat NUMBER, lon NUMBER,\n")},
           {v("TYPE"), v("GEO_T"), v("  MEMBER FUNCTION km_to(other geo_t) RETURN NUMBER);")},
           {v("TYPE BODY"), v("GEO_T"), v("TYPE BODY geo_t AS\n")},
           {v("TYPE BODY"), v("GEO_T"),
            v("  MEMBER FUNCTION km_to(other geo_t) RETURN NUMBER IS\n  BEGIN\n    RETURN "
              "111 * SQRT(POWER(lat - other.lat, 2) + POWER(lon - other.lon, 2));\n  END;\nEND;")},
           {v("TRIGGER"), v("ORDERS_BI"), v("TRIGGER orders_bi BEFORE INSERT ON orders\n")},
           {v("TRIGGER"), v("ORDERS_BI"), v("FOR EACH ROW\nBEGIN\n  :NEW.qty := NVL(:NEW.qty, 1);\nEND;")},
           {v("FUNCTION"), v("TAX"), v("FUNCTION tax(amount NUMBER) RETURN NUMBER IS\n")},
           {v("FUNCTION"), v("TAX"), v("BEGIN\n  RETURN amount * 0.2;\nEND;")},
       }},
      {"FROM ALL_OBJECTS WHERE OWNER", {{v("MATERIALIZED VIEW"), v("2")}}},
  };
  return runner;
}

const Column& column_of(const Table& table, const char* name) {
  const auto* column = table.find_column(name);
  if (column == nullptr) throw std::runtime_error(std::string("no column ") + name);
  return *column;
}

TEST(DialectOracle, BacksUpAndRestores) {
  const auto dialect = make_dialect("oracle");
  EXPECT_TRUE(dialect->backs_up());
  EXPECT_EQ(dialect->snapshot_kind(), "read only transaction");
  EXPECT_EQ(dialect->begin_snapshot_sql(), std::vector<std::string>{"SET TRANSACTION READ ONLY"});
  EXPECT_TRUE(dialect->export_snapshot_sql().empty());  // one connection reads
}

TEST(DialectOracle, ReadsTheCatalogFromTheAllViews) {
  auto runner = shop_runner();
  const auto catalog = make_dialect("oracle")->read_catalog(runner, {});
  EXPECT_EQ(catalog.database, "ORCL");
  EXPECT_EQ(catalog.server_version, "19.21.0.0.0");
  ASSERT_EQ(catalog.tables.size(), 2u);
  const auto& customer = catalog.tables[0];
  const auto& orders = catalog.tables[1];
  EXPECT_EQ(customer.display_name(), "SHOP.CUSTOMER");
  EXPECT_EQ(orders.name, "ORDERS");
  // Every query binds the owner.
  for (std::size_t query_idx = 1; query_idx < runner.sent.size(); ++query_idx) {
    EXPECT_EQ(runner.params_sent[query_idx], std::vector<std::string>{"SHOP"})
        << runner.sent[query_idx];
  }

  const auto& id = column_of(customer, "ID");
  EXPECT_EQ(to_string(id.type), "int64");  // an identity NUMBER without precision: a key
  EXPECT_TRUE(id.identity);
  EXPECT_EQ(id.identity_kind, "always");
  EXPECT_FALSE(id.default_sql);  // the identity's sequence is no default
  EXPECT_EQ(column_of(customer, "NAME").native_type, "VARCHAR2(10 CHAR)");
  EXPECT_EQ(to_string(column_of(customer, "NAME").type), "varchar(10)");
  EXPECT_FALSE(column_of(customer, "NAME").nullable);
  EXPECT_EQ(column_of(customer, "CODE").native_type, "CHAR(4 BYTE)");
  EXPECT_EQ(to_string(column_of(customer, "CODE").type), "char(4)");
  EXPECT_EQ(to_string(column_of(customer, "NOTE").type), "text");
  EXPECT_EQ(to_string(column_of(customer, "BORN").type), "timestamp(0)");  // a DATE has a time
  EXPECT_EQ(column_of(customer, "BORN").default_sql, "SYSDATE");

  EXPECT_EQ(to_string(column_of(orders, "ID").type), "int64");
  EXPECT_EQ(to_string(column_of(orders, "CUSTOMER_ID").type), "decimal(19,0)");
  EXPECT_EQ(to_string(column_of(orders, "QTY").type), "int16");
  EXPECT_EQ(to_string(column_of(orders, "AMOUNT").type), "decimal(10,2)");
  EXPECT_EQ(column_of(orders, "AMOUNT").native_type, "NUMBER(10,2)");
  EXPECT_EQ(to_string(column_of(orders, "RATIO").type), "decimal");  // unconstrained, not lossy
  EXPECT_EQ(column_of(orders, "RATIO").native_type, "NUMBER");
  EXPECT_EQ(to_string(column_of(orders, "ROUNDED").type), "decimal(7,0)");
  EXPECT_EQ(to_string(column_of(orders, "WEIGHT").type), "decimal");  // FLOAT(b) is decimal
  EXPECT_EQ(to_string(column_of(orders, "SCORE").type), "float64");
  EXPECT_EQ(to_string(column_of(orders, "RATE").type), "float32");
  EXPECT_EQ(to_string(column_of(orders, "LABEL").type), "varchar(40)");
  EXPECT_EQ(column_of(orders, "LABEL").default_sql, "'new'");
  EXPECT_EQ(to_string(column_of(orders, "PLACED").type), "timestamp(3)");
  EXPECT_EQ(to_string(column_of(orders, "SEEN").type), "timestamptz(6)");
  EXPECT_EQ(to_string(column_of(orders, "SEEN_HERE").type), "timestamptz(0)");
  EXPECT_EQ(to_string(column_of(orders, "TAG").type), "binary(16)");
  EXPECT_EQ(to_string(column_of(orders, "DOC").type), "blob");
  EXPECT_EQ(orders.find_column("TOTAL"), nullptr);  // virtual: left out, warned

  EXPECT_EQ(customer.primary_key_name, "CUSTOMER_PK");
  EXPECT_EQ(customer.primary_key, std::vector<std::string>{"ID"});
  ASSERT_EQ(customer.uniques.size(), 1u);
  EXPECT_EQ(customer.uniques[0].columns, std::vector<std::string>{"CODE"});
  ASSERT_EQ(orders.foreign_keys.size(), 1u);
  EXPECT_EQ(orders.foreign_keys[0].ref_table, "CUSTOMER");
  EXPECT_EQ(orders.foreign_keys[0].ref_columns, std::vector<std::string>{"ID"});
  EXPECT_EQ(orders.foreign_keys[0].on_delete, "CASCADE");
  // The NOT NULL check Oracle lists is not a CHECK of the model.
  EXPECT_TRUE(customer.native_constraints.empty());
  ASSERT_EQ(orders.native_constraints.size(), 1u);
  EXPECT_EQ(orders.native_constraints[0].definition_sql, "CHECK (amount > 0)");
  ASSERT_EQ(orders.indexes.size(), 2u);
  EXPECT_FALSE(orders.indexes[0].portable);  // function-based: kept for Oracle only
  EXPECT_EQ(orders.indexes[0].definition_sql,
            "CREATE INDEX \"ORDERS_LABEL_IX\" ON \"ORDERS\" (UPPER(\"LABEL\"))");
  EXPECT_TRUE(orders.indexes[1].portable);
  EXPECT_EQ(orders.indexes[1].columns, (std::vector<std::string>{"PLACED", "QTY"}));

  std::vector<std::string> objects;
  for (const auto& object : catalog.objects) objects.push_back(object.identity() + " " + object.section);
  EXPECT_EQ(objects, (std::vector<std::string>{
                         "sequence INVOICE_SEQ pre-data", "type GEO_T pre-data",
                         "type ADDRESS_T pre-data", "type body GEO_T pre-data",
                         "table CUSTOMER pre-data", "table ORDERS pre-data",
                         "view ORDER_TOTALS pre-data", "package BILLING pre-data",
                         "package body BILLING pre-data", "function TAX pre-data",
                         "trigger ORDERS_BI post-data"}));
  const auto& address = catalog.objects[2];
  EXPECT_EQ(address.depends, std::vector<std::string>{"type GEO_T"});
  EXPECT_EQ(address.statements,
            std::vector<std::string>{"CREATE OR REPLACE TYPE address_t AS OBJECT (street "
                                     "VARCHAR2(80), place geo_t);"});
  EXPECT_EQ(catalog.objects[3].depends, std::vector<std::string>{"type GEO_T"});
  EXPECT_EQ(catalog.objects[8].depends, std::vector<std::string>{"package BILLING"});
  // Every entry passes the check a same-engine restore makes of archive SQL.
  for (const auto& object : catalog.objects) {
    EXPECT_NO_THROW(dialects::check_object("oracle", object)) << object.identity();
  }
  EXPECT_EQ(catalog.objects[0].statements,
            std::vector<std::string>{"CREATE SEQUENCE \"INVOICE_SEQ\" START WITH 1041 INCREMENT BY "
                                     "1 MINVALUE 1 MAXVALUE 9999999999999999999999999999 NOCYCLE "
                                     "CACHE 20"});

  std::vector<std::string> warnings;
  for (const auto& warning : catalog.warnings) warnings.push_back(warning.code + ": " + warning.message);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "generated-column-skipped: virtual column \"TOTAL\" of table \"SHOP.ORDERS\" is "
                "not backed up: no restore gets it",
                "constraint-same-engine-only: CHECK constraint \"ORDERS_AMOUNT_CK\" of table "
                "\"SHOP.ORDERS\" is restored only into Oracle",
                "object-not-carried: 2 MATERIALIZED VIEW object(s) of schema \"SHOP\" are not "
                "backed up: bru does not carry them yet"}));
}

TEST(DialectOracle, ASchemaFilterNamesTheOwner) {
  auto runner = shop_runner();
  runner.answers.insert(runner.answers.begin(), {"FROM ALL_USERS", {{v("SALES")}}});
  CatalogFilter filter;
  filter.schemas = {"sales"};
  const auto catalog = make_dialect("oracle")->read_catalog(runner, filter);
  EXPECT_EQ(catalog.tables[0].schema, "SALES");
  EXPECT_EQ(runner.params_sent.back(), std::vector<std::string>{"SALES"});

  runner.answers.front().second.clear();
  try {
    (void)make_dialect("oracle")->read_catalog(runner, filter);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
}

// One column of table T with the given ALL_TAB_COLS type, read: the error it gives.
std::string refusal_of(const char* data_type, std::optional<std::string> scale) {
  CannedRunner runner;
  runner.answers = {
      {"SYS_CONTEXT", {{v("SHOP"), v("ORCL"), v("19")}}},
      {"FROM ALL_TABLES t", {{v("T")}}},
      {"FROM ALL_TAB_COLS",
       {{v("T"), v("C"), v(data_type), v("11"), v("2"), std::move(scale), v("0"), null, v("Y"),
         null, v("NO")}}},
  };
  try {
    (void)make_dialect("oracle")->read_catalog(runner, {});
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    return error.render();
  }
  return "no error";
}

TEST(DialectOracle, RefusesIntervalsAndNanosecondsClearly) {
  EXPECT_EQ(refusal_of("INTERVAL DAY(2) TO SECOND(6)", v("6")),
            "error: column \"C\" of table \"SHOP.T\" has type INTERVAL DAY(2) TO SECOND(6), which "
            "bru cannot back up from Oracle: an interval has no portable kind (a time of day "
            "would lose its days and sign)\n"
            "hint: leave the table out with -EXCLUDE T (or back up a view that casts the column "
            "to a type bru reads)\n");
  EXPECT_EQ(refusal_of("TIMESTAMP(9)", v("9")),
            "error: column \"C\" of table \"SHOP.T\" has type TIMESTAMP(9), which bru cannot back "
            "up from Oracle: its fraction has more than the 6 digits bru's archives hold\n"
            "hint: leave the table out with -EXCLUDE T (or back up a view that casts the column "
            "to a type bru reads)\n");
  EXPECT_NE(refusal_of("XMLTYPE", null).find("has type XMLTYPE"), std::string::npos);
}

TEST(DialectOracle, StorageFullAndLockTimeoutByOraCode) {
  const auto dialect = make_dialect("oracle");
  for (const long code : {1653L, 1654L, 1688L, 1536L, 30036L}) {
    EXPECT_TRUE(dialect->storage_full("HY000", code)) << code;
  }
  EXPECT_FALSE(dialect->storage_full("HY000", 942));  // table or view does not exist
  EXPECT_TRUE(dialect->lock_timed_out("HY000", 30006));
  EXPECT_TRUE(dialect->lock_timed_out("HY000", 54));
  EXPECT_FALSE(dialect->lock_timed_out("HY000", 942));
  // The default still goes by SQLSTATE.
  EXPECT_TRUE(make_dialect("postgres")->lock_timed_out("55P03", 0));
  EXPECT_FALSE(make_dialect("postgres")->lock_timed_out("HY000", 30006));
}

TEST(DialectOracle, PagesFollowTheKey) {
  auto runner = shop_runner();
  const auto catalog = make_dialect("oracle")->read_catalog(runner, {});
  const auto dialect = make_dialect("oracle");
  const auto& orders = catalog.tables[1];
  EXPECT_EQ(dialect->page_key(orders), std::vector<std::size_t>{0});
  Table composite = orders;
  composite.primary_key = {"CUSTOMER_ID", "ID"};
  EXPECT_EQ(dialect->page_sql(composite, {0}, 10, {"7", "42"}),
            "SELECT \"ID\" FROM \"SHOP\".\"ORDERS\" WHERE \"SHOP\".\"ORDERS\".\"CUSTOMER_ID\" >= 7 "
            "AND ((\"SHOP\".\"ORDERS\".\"CUSTOMER_ID\" > 7) OR (\"SHOP\".\"ORDERS\".\"CUSTOMER_ID\" "
            "= 7 AND \"SHOP\".\"ORDERS\".\"ID\" > 42)) ORDER BY \"SHOP\".\"ORDERS\".\"CUSTOMER_ID\", "
            "\"SHOP\".\"ORDERS\".\"ID\" FETCH FIRST 10 ROWS ONLY");
  Table by_text = catalog.tables[0];
  by_text.primary_key = {"NAME"};
  EXPECT_EQ(dialect->page_sql(by_text, {1}, 5, {"O'Hara"}),
            "SELECT \"NAME\" FROM \"SHOP\".\"CUSTOMER\" WHERE \"SHOP\".\"CUSTOMER\".\"NAME\" >= "
            "'O''Hara' AND ((\"SHOP\".\"CUSTOMER\".\"NAME\" > 'O''Hara')) ORDER BY "
            "\"SHOP\".\"CUSTOMER\".\"NAME\" FETCH FIRST 5 ROWS ONLY");
  Table by_time = orders;
  by_time.primary_key = {"PLACED"};
  by_time.uniques.clear();
  by_time.indexes.clear();
  EXPECT_TRUE(dialect->page_key(by_time).empty());  // read in one result, not pages
}

// Every statement bru sends to an Oracle server for a backup of the shop schema and a restore of
// it into Oracle, in order, each ended by ";" (a PL/SQL unit by a "/" line), for the golden file.
std::string backup_and_restore_sql() {
  const auto dialect = make_dialect("oracle");
  auto runner = shop_runner();
  std::string text = "-- Session and snapshot.\n";
  for (const auto& sql : dialect->session_setup_sql()) text += sql + ";\n";
  for (const auto& sql : dialect->begin_snapshot_sql()) text += sql + ";\n";
  const auto catalog = dialect->read_catalog(runner, {});
  text += "-- Catalog (the owner bound to each ?).\n";
  for (const auto& sql : runner.sent) text += sql + ";\n";
  text += "-- Data: locks, estimates, SELECTs and pages.\n";
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect->lock_table_sql(table, 30)) text += sql + ";\n";
    text += dialect->lock_holders_sql(table) + ";\n";
    text += dialect->estimate_rows_sql(table) + ";\n";
    text += dialect->select_sql(table) + ";\n";
    std::vector<std::size_t> order;
    for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
      order.push_back(column_idx);
    }
    text += dialect->page_sql(table, order, 500, {}) + ";\n";
    text += dialect->page_sql(table, order, 500, {"41"}) + ";\n";
  }
  text += "-- Restore into Oracle.\n";
  for (const auto& object : catalog.objects) {
    if (object.kind == "table") {
      const auto& table = *std::find_if(catalog.tables.begin(), catalog.tables.end(),
                                        [&](const Table& t) { return t.name == object.name; });
      text += dialect->script_statement(dialect->drop_table_sql(table));
      text += dialect->script_statement(dialect->create_table_sql(table));
      text += dialect->script_statement(dialect->insert_sql(table, 2));
      text += dialect->script_statement(dialect->insert_sql(table, 1));
      continue;
    }
    for (const auto& sql : object.statements) text += dialect->script_statement(sql);
  }
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect->post_data_sql(table)) text += dialect->script_statement(sql);
    for (const auto& sql : dialect->foreign_key_sql(table)) text += dialect->script_statement(sql);
    for (const auto& sql : dialect->reset_identity_sql(table)) {
      text += dialect->script_statement(sql);
    }
  }
  return text;
}

TEST(DialectOracle, OneRowIsInsertedWithValues) {
  auto runner = shop_runner();
  const auto catalog = make_dialect("oracle")->read_catalog(runner, {});
  const auto dialect = make_dialect("oracle");
  // A bind beyond 4,000 bytes goes into a LOB from a VALUES row only (ORA-01461 from a SELECT
  // list): the writer inserts a row holding one with this statement (insert_runs_test.cpp).
  EXPECT_EQ(dialect->insert_sql(catalog.tables[0], 1),
            "INSERT INTO \"CUSTOMER\" (\"ID\", \"NAME\", \"CODE\", \"NOTE\", \"BORN\") VALUES (?, ?, ?, "
            "?, TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS.FF'))");
}

TEST(DialectOracle, EveryStatementOfABackupAndRestoreMatchesItsGoldenFile) {
  test::expect_golden("tests/cli/testdata/oracle_sql/backup.sql", backup_and_restore_sql());
}

TEST(DialectOracle, ATableFromAnOracleBackupKeepsItsNativeTypes) {
  auto runner = shop_runner();
  const auto catalog = make_dialect("oracle")->read_catalog(runner, {});
  const auto dialect = make_dialect("oracle");
  const auto& customer = catalog.tables[0];
  EXPECT_EQ(dialect->create_table_sql(customer),
            "CREATE TABLE \"CUSTOMER\" (\n"
            "    \"ID\" NUMBER GENERATED BY DEFAULT AS IDENTITY,\n"
            "    \"NAME\" VARCHAR2(10 CHAR) NOT NULL,\n"
            "    \"CODE\" CHAR(4 BYTE),\n"
            "    \"NOTE\" NCLOB,\n"
            "    \"BORN\" DATE DEFAULT SYSDATE,\n"
            "    CONSTRAINT \"CUSTOMER_PK\" PRIMARY KEY (\"ID\")\n"
            ")");
  // ALWAYS again once the rows are in.
  EXPECT_EQ(dialect->reset_identity_sql(customer),
            std::vector<std::string>{"ALTER TABLE \"CUSTOMER\" MODIFY (\"ID\" GENERATED ALWAYS AS "
                                     "IDENTITY (START WITH LIMIT VALUE))"});
  // Into PostgreSQL the function-based index is refused, never lost.
  const auto postgres = make_dialect("postgres");
  try {
    (void)postgres->post_data_sql(catalog.tables[1]);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_NE(error.message().find("ORDERS_LABEL_IX"), std::string::npos) << error.message();
  }
}

}  // namespace
}  // namespace bru::schema

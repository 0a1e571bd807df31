// The SQL Server dialect offline. NO SQL SERVER RUNS HERE: the catalog reader is fed by a canned
// SqlRunner that returns, for each sys.* query bru sends, the rows a server would return for a
// small shop database (written by hand from the sys.* views' documentation, not captured from a
// server). Also the native -> portable type mapping, the canonical SELECTs, the key-range pages,
// the INSERTs and the snapshot, lock and error statements. Every query and statement is written
// to tests/cli/testdata/restore_sql/mssql_backup.sql (golden, BRU_REGENERATE_GOLDEN=1 rewrites it), which
// the CTest test restore_sql_parsers parses with sqlfluff and sqlglot (tsql).
#include <gtest/gtest.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/engines/archive_sql.h"
#include "schema/engines/common.h"
#include "schema/engines/mssql/mssql.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::schema {
namespace {

using Cells = std::initializer_list<const char*>;  // nullptr: NULL

Row row_of(Cells cells) {
  Row row;
  for (const char* cell : cells) {
    row.push_back(cell == nullptr ? std::nullopt : std::optional<std::string>(cell));
  }
  return row;
}

// Answers each query by the first key it contains (a distinctive part of the FROM clause) and
// records every query, in the order sent.
class CannedRunner final : public SqlRunner {
 public:
  void answer(std::string key, std::initializer_list<Cells> rows) {
    auto& answer = answers_.emplace_back(std::move(key), std::vector<Row>{});
    for (const auto& cells : rows) answer.second.push_back(row_of(cells));
  }
  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params) override {
    EXPECT_TRUE(params.empty()) << sql;
    sent.emplace_back(sql);
    for (const auto& [key, rows] : answers_) {
      if (sql.find(key) != std::string_view::npos) return rows;
    }
    ADD_FAILURE() << "no canned answer for: " << sql;
    return {};
  }
  void execute(std::string_view sql, const std::vector<std::string>&) override {
    ADD_FAILURE() << "the catalog read executed: " << sql;
  }
  std::vector<std::string> sent;

 private:
  std::vector<std::pair<std::string, std::vector<Row>>> answers_;
};

// shop: schemas dbo and sales. sales.orders (identity at 42, a computed column, a CHECK, a
// filtered index with INCLUDE columns, a columnstore index, a trigger), sales.lines (composite
// key, a cascading foreign key to orders, a unique constraint), dbo.audit (a trigger).
void answer_shop(CannedRunner& runner, const char* snapshot_state = "1") {
  runner.answer("SERVERPROPERTY", {{"shop", "16.0.4135.4", snapshot_state}});
  runner.answer("FROM sys.schemas WHERE", {{"dbo"}, {"sales"}});
  runner.answer("FROM sys.tables t JOIN",
                {{"300", "dbo", "audit"}, {"200", "sales", "lines"}, {"100", "sales", "orders"}});
  // object_id, name, system type, user type, max_length, precision, scale, is_nullable,
  // is_identity, is_computed, default, computed definition, persisted, seed, increment, last
  // value, default constraint name.
  runner.answer(
      "FROM sys.columns c",
      {{"100", "id", "int", "int", "4", "10", "0", "0", "1", "0", nullptr, nullptr, nullptr, "1",
        "1", "42", nullptr},
       {"100", "customer", "uniqueidentifier", "uniqueidentifier", "16", "0", "0", "0", "0", "0",
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
       {"100", "placed", "datetimeoffset", "datetimeoffset", "10", "34", "7", "0", "0", "0",
        "(sysdatetimeoffset())", nullptr, nullptr, nullptr, nullptr, nullptr, "DF_orders_placed"},
       {"100", "amount", "money", "money", "8", "19", "4", "0", "0", "0", "((0))", nullptr,
        nullptr, nullptr, nullptr, nullptr, "DF_orders_amount"},
       {"100", "note", "nvarchar", "nvarchar", "-1", "0", "0", "1", "0", "0", "(N'none')",
        nullptr, nullptr, nullptr, nullptr, nullptr, "DF_orders_note"},
       {"100", "doubled", "money", "money", "8", "19", "4", "1", "0", "1", nullptr,
        "([amount]*(2))", "0", nullptr, nullptr, nullptr, nullptr},
       {"100", "created", "datetime", "datetime", "8", "23", "3", "0", "0", "0", "(getdate())",
        nullptr, nullptr, nullptr, nullptr, nullptr, "DF_orders_created"},
       {"100", "open", "bit", "bit", "1", "1", "0", "0", "0", "0", "((1))", nullptr, nullptr,
        nullptr, nullptr, nullptr, "DF_orders_open"},
       {"100", "version", "timestamp", "timestamp", "8", "0", "0", "0", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "order_id", "int", "int", "4", "10", "0", "0", "0", "0", nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr},
       {"200", "line", "smallint", "smallint", "2", "5", "0", "0", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "sku", "varchar", "varchar", "20", "0", "0", "1", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "qty", "decimal", "decimal", "9", "10", "2", "0", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "picture", "varbinary", "varbinary", "-1", "0", "0", "1", "0", "0", nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "doc", "xml", "xml", "-1", "0", "0", "1", "0", "0", nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr},
       {"200", "at", "smalldatetime", "smalldatetime", "4", "16", "0", "1", "0", "0", nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
       {"200", "code", "nvarchar", "sysname", "256", "0", "0", "1", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr},
       {"300", "id", "bigint", "bigint", "8", "19", "0", "0", "1", "0", nullptr, nullptr, nullptr,
        "1000", "10", nullptr, nullptr},
       {"300", "at", "datetime2", "datetime2", "8", "27", "7", "0", "0", "0", nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr}});
  runner.answer("FROM sys.key_constraints",
                {{"100", "PK_orders", "PK", "id", "0", "CLUSTERED"},
                 {"200", "PK_lines", "PK", "order_id", "0", "CLUSTERED"},
                 {"200", "PK_lines", "PK", "line", "1", "CLUSTERED"},
                 {"200", "UQ_lines_sku", "UQ", "sku", "0", "NONCLUSTERED"},
                 {"300", "PK_audit", "PK", "id", "0", "NONCLUSTERED"}});
  runner.answer("FROM sys.foreign_keys",
                {{"200", "FK_lines_orders", "sales", "orders", "order_id", "id", "CASCADE",
                  "NO_ACTION"}});
  runner.answer("FROM sys.indexes i",
                {{"100", "CS_orders", "0", "amount", "0", "0", nullptr, "NONCLUSTERED COLUMNSTORE"},
                 {"100", "CS_orders", "0", "open", "0", "0", nullptr, "NONCLUSTERED COLUMNSTORE"},
                 {"100", "IX_orders_customer", "0", "customer", "0", "0", "([note] IS NOT NULL)",
                  "NONCLUSTERED"},
                 {"100", "IX_orders_customer", "0", "placed", "1", "0", "([note] IS NOT NULL)",
                  "NONCLUSTERED"},
                 {"200", "IX_lines_sku", "0", "sku", "0", "0", nullptr, "NONCLUSTERED"},
                 {"300", "IX_audit_at", "0", "at", "0", "1", nullptr, "CLUSTERED"}});
  runner.answer("FROM sys.check_constraints",
                {{"100", "CK_orders_amount", "([amount]>=(0))"}});
  runner.answer(
      "FROM sys.sql_modules",
      {{"FN", "sales", "f_tax", "CREATE FUNCTION sales.f_tax(@amount money) RETURNS money AS "
                                "BEGIN RETURN @amount * 0.2 END",
        nullptr, nullptr},
       {"V", "sales", "v_open", "CREATE VIEW sales.v_open AS SELECT id FROM sales.orders WHERE "
                                "[open] = 1",
        nullptr, nullptr},
       {"P", "sales", "p_close", "CREATE PROCEDURE sales.p_close @id int AS UPDATE sales.orders "
                                 "SET [open] = 0 WHERE id = @id",
        nullptr, nullptr},
       {"TR", "sales", "tr_orders", "CREATE TRIGGER sales.tr_orders ON sales.orders AFTER INSERT "
                                    "AS SET NOCOUNT ON",
        "sales", "orders"},
       {"TR", "dbo", "tr_audit", "CREATE TRIGGER dbo.tr_audit ON dbo.audit AFTER DELETE AS "
                                 "ROLLBACK",
        "dbo", "audit"}});
}

const Table& table_named(const Catalog& catalog, std::string_view name) {
  for (const auto& table : catalog.tables) {
    if (table.display_name() == name) return table;
  }
  throw std::runtime_error("no table " + std::string(name));
}

std::vector<std::string> warning_codes(const Catalog& catalog) {
  std::vector<std::string> codes;
  for (const auto& warning : catalog.warnings) codes.push_back(warning.code);
  return codes;
}

TEST(DialectMssql, ReadsTablesColumnsAndIdentity) {
  const auto dialect = make_dialect("mssql");
  EXPECT_TRUE(dialect->backs_up());
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = dialect->read_catalog(runner, {});
  EXPECT_EQ(catalog.database, "shop");
  EXPECT_EQ(catalog.server_version, "16.0.4135.4");
  ASSERT_EQ(catalog.tables.size(), 3u);
  // Referenced tables first.
  EXPECT_EQ(catalog.tables[0].display_name(), "dbo.audit");
  EXPECT_EQ(catalog.tables[1].display_name(), "sales.orders");
  EXPECT_EQ(catalog.tables[2].display_name(), "sales.lines");

  const auto& orders = table_named(catalog, "sales.orders");
  std::vector<std::string> columns;
  for (const auto& column : orders.columns) {
    columns.push_back(column.name + " " + to_string(column.type) + " " + column.native_type);
  }
  // The computed column and the rowversion are not in the data.
  EXPECT_EQ(columns, (std::vector<std::string>{
                         "id int32 int", "customer uuid uniqueidentifier",
                         "placed timestamptz(7) datetimeoffset(7)", "amount decimal(19,4) money",
                         "note text nvarchar(max)", "created timestamp(3) datetime",
                         "open bool bit"}));
  EXPECT_TRUE(orders.columns[0].identity);
  EXPECT_EQ(orders.columns[0].identity_kind, "IDENTITY(1,1)");
  EXPECT_FALSE(orders.columns[0].nullable);
  EXPECT_TRUE(orders.columns[4].nullable);
  EXPECT_EQ(orders.columns[4].default_sql, "(N'none')");
  EXPECT_EQ(orders.primary_key_name, "PK_orders");
  EXPECT_EQ(orders.primary_key, std::vector<std::string>{"id"});
  EXPECT_EQ(orders.native_sql,
            "CREATE TABLE [sales].[orders] (\n"
            "    [id] int IDENTITY(1,1) NOT NULL,\n"
            "    [customer] uniqueidentifier NOT NULL,\n"
            "    [placed] datetimeoffset(7) NOT NULL CONSTRAINT [DF_orders_placed] DEFAULT "
            "(sysdatetimeoffset()),\n"
            "    [amount] money NOT NULL CONSTRAINT [DF_orders_amount] DEFAULT ((0)),\n"
            "    [note] nvarchar(max) NULL CONSTRAINT [DF_orders_note] DEFAULT (N'none'),\n"
            "    [doubled] AS ([amount]*(2)),\n"
            "    [created] datetime NOT NULL CONSTRAINT [DF_orders_created] DEFAULT (getdate()),\n"
            "    [open] bit NOT NULL CONSTRAINT [DF_orders_open] DEFAULT ((1)),\n"
            "    [version] rowversion,\n"
            "    CONSTRAINT [PK_orders] PRIMARY KEY CLUSTERED ([id])\n"
            ")");

  const auto& lines = table_named(catalog, "sales.lines");
  EXPECT_EQ(lines.columns[2].type.kind, TypeKind::kVarchar);
  EXPECT_EQ(lines.columns[2].type.length, 20);
  EXPECT_EQ(to_string(lines.columns[3].type), "decimal(10,2)");
  EXPECT_EQ(lines.columns[4].type.kind, TypeKind::kBlob);
  EXPECT_EQ(lines.columns[5].type.kind, TypeKind::kXml);
  EXPECT_EQ(to_string(lines.columns[6].type), "timestamp(0)");
  // An alias type keeps its name; its kind is its base type's (sysname: nvarchar(128)).
  EXPECT_EQ(lines.columns[7].native_type, "sysname");
  EXPECT_EQ(to_string(lines.columns[7].type), "varchar(128)");
  EXPECT_EQ(lines.primary_key, (std::vector<std::string>{"order_id", "line"}));
  EXPECT_NE(lines.native_sql.find("CONSTRAINT [PK_lines] PRIMARY KEY CLUSTERED ([order_id], "
                                  "[line] DESC)"),
            std::string::npos)
      << lines.native_sql;

  const auto& audit = table_named(catalog, "dbo.audit");
  EXPECT_EQ(audit.columns[0].identity_kind, "IDENTITY(1000,10)");
  EXPECT_EQ(to_string(audit.columns[1].type), "timestamp(7)");
}

TEST(DialectMssql, ReadsKeysIndexesChecksAndWarns) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = dialect->read_catalog(runner, {});
  const auto& lines = table_named(catalog, "sales.lines");
  ASSERT_EQ(lines.foreign_keys.size(), 1u);
  const auto& fk = lines.foreign_keys[0];
  EXPECT_EQ(fk.name, "FK_lines_orders");
  EXPECT_EQ(fk.ref_schema, "sales");
  EXPECT_EQ(fk.ref_table, "orders");
  EXPECT_EQ(fk.columns, std::vector<std::string>{"order_id"});
  EXPECT_EQ(fk.ref_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(fk.on_delete, "CASCADE");
  EXPECT_EQ(fk.on_update, "NO ACTION");
  ASSERT_EQ(lines.uniques.size(), 1u);
  EXPECT_EQ(lines.uniques[0].name, "UQ_lines_sku");
  ASSERT_EQ(lines.indexes.size(), 1u);
  EXPECT_TRUE(lines.indexes[0].portable);
  EXPECT_EQ(lines.indexes[0].definition_sql,
            "CREATE NONCLUSTERED INDEX [IX_lines_sku] ON [sales].[lines] ([sku])");

  const auto& orders = table_named(catalog, "sales.orders");
  ASSERT_EQ(orders.indexes.size(), 1u);  // the columnstore index is named in a warning
  EXPECT_FALSE(orders.indexes[0].portable);
  EXPECT_EQ(orders.indexes[0].columns, std::vector<std::string>{"customer"});
  EXPECT_EQ(orders.indexes[0].definition_sql,
            "CREATE NONCLUSTERED INDEX [IX_orders_customer] ON [sales].[orders] ([customer]) "
            "INCLUDE ([placed]) WHERE ([note] IS NOT NULL)");
  ASSERT_EQ(orders.native_constraints.size(), 1u);
  EXPECT_EQ(orders.native_constraints[0].definition_sql, "CHECK ([amount]>=(0))");
  const auto& audit = table_named(catalog, "dbo.audit");
  EXPECT_FALSE(audit.indexes[0].portable);  // clustered, descending
  EXPECT_EQ(audit.indexes[0].definition_sql,
            "CREATE CLUSTERED INDEX [IX_audit_at] ON [dbo].[audit] ([at] DESC)");

  EXPECT_EQ(warning_codes(catalog),
            (std::vector<std::string>{"generated-column-skipped", "generated-column-skipped",
                                      "object-not-carried", "constraint-same-engine-only"}));
  EXPECT_EQ(catalog.warnings[0].message,
            "computed column \"doubled\" of table \"sales.orders\" is not backed up: a SQL Server "
            "restore recomputes it, other engines do not get it");
  EXPECT_EQ(catalog.warnings[2].message,
            "index \"CS_orders\" of table \"sales.orders\" is not backed up: bru does not carry "
            "SQL Server's nonclustered columnstore indexes");
}

TEST(DialectMssql, ReadsModulesInCreationOrderAndIdentityPositions) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = dialect->read_catalog(runner, {});
  std::vector<std::string> objects;
  for (const auto& object : catalog.objects) {
    objects.push_back(object.section + " " + object.identity());
  }
  EXPECT_EQ(objects, (std::vector<std::string>{
                         "pre-data function sales.f_tax", "pre-data table dbo.audit",
                         "pre-data table sales.orders", "pre-data table sales.lines",
                         "pre-data view sales.v_open", "pre-data procedure sales.p_close",
                         "data sequence value sales.orders", "post-data trigger sales.tr_orders",
                         "post-data trigger dbo.tr_audit"}));
  // audit's identity has no row yet (last_value NULL): nothing to move.
  EXPECT_EQ(catalog.objects[6].statements,
            std::vector<std::string>{"DBCC CHECKIDENT (N'[sales].[orders]', RESEED, 42)"});
  EXPECT_EQ(catalog.objects[7].depends, std::vector<std::string>{"table sales.orders"});
}

TEST(DialectMssql, HonoursTheSchemaAndTableFilter) {
  const auto dialect = make_dialect("mssql");
  {
    CannedRunner runner;
    answer_shop(runner);
    CatalogFilter filter;
    filter.schemas = {"SALES"};
    const auto catalog = dialect->read_catalog(runner, filter);
    ASSERT_EQ(catalog.tables.size(), 2u);
    for (const auto& object : catalog.objects) EXPECT_EQ(object.schema, "sales") << object.name;
  }
  {
    CannedRunner runner;
    answer_shop(runner);
    CatalogFilter filter;
    filter.exclude_tables = {"sales.orders"};
    const auto catalog = dialect->read_catalog(runner, filter);
    ASSERT_EQ(catalog.tables.size(), 2u);
    // lines' key to orders goes, and orders' trigger with it: each named.
    EXPECT_TRUE(table_named(catalog, "sales.lines").foreign_keys.empty());
    EXPECT_EQ(warning_codes(catalog),
              (std::vector<std::string>{"foreign-key-outside-selection", "object-left-out"}));
    EXPECT_EQ(catalog.warnings[1].message,
              "trigger \"sales.tr_orders\" is not backed up: it belongs to table \"sales.orders\", "
              "which is not");
  }
  CannedRunner runner;
  answer_shop(runner);
  CatalogFilter filter;
  filter.schemas = {"billing"};
  try {
    (void)dialect->read_catalog(runner, filter);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
}

TEST(DialectMssql, AColumnOfATypeBruCannotCarryFailsTheReadUnlessItsTableIsLeftOut) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  runner.answer("FROM sys.columns c",
                {{"300", "tag", "sql_variant", "sql_variant", "8016", "0", "0", "1", "0", "0",
                  nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}});
  answer_shop(runner);
  try {
    (void)dialect->read_catalog(runner, {});
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.message(),
              "column \"tag\" of table \"dbo.audit\" has type sql_variant, which bru cannot back "
              "up from SQL Server: each of its values has a type of its own, which no portable "
              "kind keeps");
  }
  CannedRunner excluding;
  excluding.answer("FROM sys.columns c",
                   {{"300", "tag", "sql_variant", "sql_variant", "8016", "0", "0", "1", "0", "0",
                     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}});
  answer_shop(excluding);
  CatalogFilter filter;
  filter.exclude_tables = {"dbo.audit"};
  EXPECT_EQ(dialect->read_catalog(excluding, filter).tables.size(), 2u);
}

TEST(DialectMssql, WarnsWhenTheDatabaseDoesNotAllowSnapshots) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  answer_shop(runner, "0");
  const auto catalog = dialect->read_catalog(runner, {});
  ASSERT_FALSE(catalog.warnings.empty());
  EXPECT_EQ(catalog.warnings[0].code, "snapshot-not-allowed");
  EXPECT_EQ(catalog.warnings[0].message,
            "database \"shop\" does not allow snapshot isolation: the backup reads under "
            "SERIALIZABLE instead, which is as consistent but makes writers to the tables read "
            "wait until the backup ends (ALTER DATABASE [shop] SET ALLOW_SNAPSHOT_ISOLATION ON "
            "avoids it)");
  EXPECT_EQ(dialect->begin_snapshot_sql(),
            std::vector<std::string>{
                "IF (SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = "
                "DB_ID()) = 1 SET TRANSACTION ISOLATION LEVEL SNAPSHOT ELSE SET TRANSACTION "
                "ISOLATION LEVEL SERIALIZABLE"});
}

TEST(DialectMssql, MapsNativeTypesAndRefusesSqlVariant) {
  Table table;
  table.schema = "dbo";
  table.name = "t";
  using dialects::mssql_portable_type;
  auto mapped = [&](const char* type, long long max_length, long long precision, long long scale) {
    return to_string(mssql_portable_type(table, "c", type, max_length, precision, scale));
  };
  EXPECT_EQ(mapped("tinyint", 1, 3, 0), "int16");
  EXPECT_EQ(mapped("real", 4, 24, 0), "float32");
  EXPECT_EQ(mapped("float", 8, 53, 0), "float64");
  EXPECT_EQ(mapped("numeric", 17, 38, 10), "decimal(38,10)");
  EXPECT_EQ(mapped("smallmoney", 4, 10, 4), "decimal(10,4)");
  EXPECT_EQ(mapped("nchar", 20, 0, 0), "char(10)");
  EXPECT_EQ(mapped("char", 5, 0, 0), "char(5)");
  EXPECT_EQ(mapped("nvarchar", 100, 0, 0), "varchar(50)");
  EXPECT_EQ(mapped("varchar", -1, 0, 0), "text");
  EXPECT_EQ(mapped("ntext", 16, 0, 0), "text");
  EXPECT_EQ(mapped("binary", 16, 0, 0), "binary(16)");
  EXPECT_EQ(mapped("image", 16, 0, 0), "blob");
  EXPECT_EQ(mapped("date", 3, 10, 0), "date");
  EXPECT_EQ(mapped("time", 5, 16, 7), "time(7)");
  EXPECT_EQ(mapped("datetime2", 7, 25, 3), "timestamp(3)");
  EXPECT_EQ(mapped("uniqueidentifier", 16, 0, 0), "uuid");
  try {
    (void)mssql_portable_type(table, "v", "sql_variant", 8016, 0, 0);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_EQ(error.render(),
              "error: column \"v\" of table \"dbo.t\" has type sql_variant, which bru cannot back "
              "up from SQL Server: each of its values has a type of its own, which no portable "
              "kind keeps\n"
              "hint: leave the table out with -EXCLUDE dbo.t (or back up a view that casts the "
              "column to a plain type)\n");
  }
  EXPECT_THROW((void)mssql_portable_type(table, "g", "geography", -1, 0, 0), Error);
}

TEST(DialectMssql, DefaultsTranslateThroughTheSharedParser) {
  using dialects::parse_default;
  using Kind = dialects::PortableDefault::Kind;
  EXPECT_EQ(parse_default("(N'none')")->kind, Kind::kString);
  EXPECT_EQ(parse_default("(N'it''s')")->text, "it's");
  EXPECT_EQ(parse_default("((0))")->text, "0");
  EXPECT_EQ(parse_default("((-1.5))")->text, "-1.5");
  EXPECT_EQ(parse_default("(getdate())")->kind, Kind::kCurrentTimestamp);
  EXPECT_EQ(parse_default("(sysdatetime())")->kind, Kind::kCurrentTimestamp);
  EXPECT_FALSE(parse_default("(newid())").has_value());
  // A SQL Server table into PostgreSQL: the defaults mean the same there.
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = make_dialect("mssql")->read_catalog(runner, {});
  auto orders = table_named(catalog, "sales.orders");
  // PostgreSQL holds 6 fractional digits, and sysdatetimeoffset() has no portable meaning.
  orders.columns.erase(orders.columns.begin() + 2);
  const auto postgres = make_dialect("postgres")->create_table_sql(orders);
  EXPECT_NE(postgres.find("DEFAULT 'none'"), std::string::npos) << postgres;
  EXPECT_NE(postgres.find("DEFAULT CURRENT_TIMESTAMP"), std::string::npos) << postgres;
}

// Every query and statement of a SQL Server backup and restore of shop, for the parsers. The
// statements that differ between tables only by the table's name (lock holders, row estimate,
// the empty check, a first page: the SELECT of select_sql() with TOP and ORDER BY) are written for
// the first table only, so that sqlfluff, slow on long expressions, stays within the test's time.
std::string statements_of_shop(const Dialect& dialect, CannedRunner& runner,
                               const Catalog& catalog) {
  std::vector<std::string> all = runner.sent;
  for (const auto& sql : dialect.session_setup_sql()) all.push_back(sql);
  for (const auto& sql : dialect.begin_snapshot_sql()) all.push_back(sql);
  const auto& first = catalog.tables.front();
  all.push_back(dialect.lock_holders_sql(first));
  all.push_back(dialect.estimate_rows_sql(first));
  all.push_back(dialect.has_rows_sql(first));
  for (const auto& table : catalog.tables) {
    for (const auto& sql : dialect.lock_table_sql(table, 5)) all.push_back(sql);
    all.push_back(dialect.select_sql(table));
    const auto key = dialect.page_key(table);
    std::vector<std::size_t> order;
    for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
      order.push_back(column_idx);
    }
    if (!key.empty()) {
      if (&table == &first) all.push_back(dialect.page_sql(table, order, 1000, {}));
      // The next page: the key's columns only, since the values are those of select_sql().
      std::vector<std::string> after;
      for (const auto column_idx : key) {
        const auto kind = table.columns[column_idx].type.kind;
        after.push_back(kind == TypeKind::kVarchar ? "it's" : "7");
      }
      all.push_back(dialect.page_sql(table, key, 1000, after));
    }
    all.push_back(dialect.drop_table_sql(table));
    for (const auto& sql : dialect.create_schema_sql(table.schema)) all.push_back(sql);
    all.push_back(dialect.create_table_sql(table));
    all.push_back(dialect.insert_sql(table, 2));
    for (const auto& sql : dialect.post_data_sql(table)) all.push_back(sql);
    for (const auto& sql : dialect.foreign_key_sql(table)) all.push_back(sql);
  }
  for (const auto& object : catalog.objects) {
    for (const auto& sql : object.statements) all.push_back(sql);
  }
  std::string text;
  for (const auto& sql : all) text += sql + "\nGO\n";
  return text;
}

TEST(DialectMssql, BackupAndRestoreStatementsMatchTheGoldenFile) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = dialect->read_catalog(runner, {});
  test::expect_golden("tests/cli/testdata/restore_sql/mssql_backup.sql",
                      statements_of_shop(*dialect, runner, catalog));
}

TEST(DialectMssql, SelectYieldsCanonicalTextAndInsertTakesIt) {
  const auto dialect = make_dialect("mssql");
  CannedRunner runner;
  answer_shop(runner);
  const auto catalog = dialect->read_catalog(runner, {});
  const auto& orders = table_named(catalog, "sales.orders");
  EXPECT_EQ(dialect->select_sql(orders),
            "SELECT [id], LOWER(CONVERT(CHAR(36), [customer])) AS [customer], "
            "LEFT(CONVERT(VARCHAR(27), CONVERT(DATETIME2(7), SWITCHOFFSET([placed], '+00:00')), "
            "121), 19) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), "
            "CONVERT(DATETIME2(7), SWITCHOFFSET([placed], '+00:00')), 121), 20, 8), '0', ' ')), "
            "' ', '0'), '.'), '') + '+00' AS [placed], CONVERT(VARCHAR(32), [amount], 2) AS "
            "[amount], [note], LEFT(CONVERT(VARCHAR(27), [created], 121), 19) + "
            "ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), [created], 121), "
            "20, 8), '0', ' ')), ' ', '0'), '.'), '') AS [created], CAST([open] AS INT) AS [open] "
            "FROM [sales].[orders]");
  EXPECT_EQ(dialect->insert_sql(orders, 1),
            "SET IDENTITY_INSERT [sales].[orders] ON; INSERT INTO [sales].[orders] ([id], "
            "[customer], [placed], [amount], [note], [created], [open]) VALUES (?, ?, "
            "CONVERT(DATETIMEOFFSET(7), ? + ':00'), ?, ?, ?, ?); SET IDENTITY_INSERT "
            "[sales].[orders] OFF");
  const auto& lines = table_named(catalog, "sales.lines");
  EXPECT_EQ(dialect->insert_sql(lines, 2).rfind("INSERT INTO [sales].[lines] (", 0), 0u);
  EXPECT_EQ(dialect->page_key(lines), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(dialect->page_sql(lines, {1, 0}, 500, {"7", "3"}),
            "SELECT TOP (500) [line], [order_id] FROM [sales].[lines] WHERE "
            "[sales].[lines].[order_id] >= 7 AND (([sales].[lines].[order_id] > 7) OR "
            "([sales].[lines].[order_id] = 7 AND [sales].[lines].[line] > 3)) ORDER BY "
            "[sales].[lines].[order_id], [sales].[lines].[line]");
  // 2,097 parameters: 299 rows of 7 columns per INSERT.
  EXPECT_EQ(dialect->max_parameters(), 2097u);
  // The source's own DDL into SQL Server; generated DDL from another engine.
  EXPECT_EQ(dialect->create_table_sql(orders), orders.native_sql);
  auto foreign = orders;
  foreign.dialect = "postgres";
  foreign.columns[2].default_sql.reset();
  EXPECT_EQ(dialect->create_table_sql(foreign).rfind("CREATE TABLE [sales].[orders] (\n    [id] "
                                                     "INT IDENTITY(1,1),",
                                                     0),
            0u);
  EXPECT_THROW((void)dialect->post_data_sql(foreign), Error);  // the filtered index
  EXPECT_EQ(dialect->post_data_sql(orders),
            (std::vector<std::string>{orders.indexes[0].definition_sql,
                                      "ALTER TABLE [sales].[orders] ADD CONSTRAINT "
                                      "[CK_orders_amount] CHECK ([amount]>=(0))"}));
}

TEST(DialectMssql, SnapshotLocksAndErrors) {
  const auto dialect = make_dialect("mssql");
  Table table;
  table.schema = "sales";
  table.name = "orders";
  EXPECT_EQ(dialect->snapshot_kind(), "snapshot isolation");
  EXPECT_EQ(dialect->lock_table_sql(table, 5),
            (std::vector<std::string>{"SET LOCK_TIMEOUT 5000",
                                      "SELECT COUNT(*) FROM (SELECT TOP (1) 1 AS one FROM "
                                      "[sales].[orders] WITH (REPEATABLEREAD)) AS first_row"}));
  EXPECT_TRUE(dialect->lock_timed_out("HY000", 1222));
  EXPECT_FALSE(dialect->lock_timed_out("HY000", 1205));  // a deadlock is not a timeout
  for (const long code : {1105L, 9002L, 1101L}) EXPECT_TRUE(dialect->storage_full("42000", code));
  EXPECT_FALSE(dialect->storage_full("53100", 0));
  EXPECT_EQ(dialect->has_rows_sql(table), "SELECT TOP (1) 1 FROM [sales].[orders]");
  EXPECT_TRUE(dialect->transactional_ddl());
}

// Every session (backup, restore, -MIGRATE, a -SQL script) lifts TEXTSIZE to its largest value:
// FreeTDS starts a session at freetds.conf's "text size", which cuts text and ntext values.
TEST(DialectMssql, EverySessionLiftsTheTextSize) {
  const auto dialect = make_dialect("mssql");
  EXPECT_EQ(dialect->session_setup_sql(),
            (std::vector<std::string>{"SET XACT_ABORT ON", "SET DATEFORMAT ymd",
                                      "SET TEXTSIZE 2147483647"}));
  const auto& forms = dialect->sql_forms().session_setup;
  EXPECT_NE(std::find(forms.begin(), forms.end(), "SET TEXTSIZE 2147483647"), forms.end());
}

// What a same-engine restore takes from an archive's modules (schema/engines/archive_sql.h): a
// module is its batch, so `;`s inside are its own, but a GO line would end the batch in sqlcmd.
TEST(DialectMssql, ArchiveModulesAreCheckedAsBatches) {
  auto module = [](const char* kind, const char* sql) {
    SchemaObject object;
    object.kind = kind;
    object.schema = "sales";
    object.name = "sales.x";
    object.section = "pre-data";
    object.statements = {sql};
    return object;
  };
  EXPECT_NO_THROW(dialects::check_object(
      "mssql", module("procedure", "CREATE PROC sales.x AS BEGIN SET NOCOUNT ON; SELECT 1; END")));
  EXPECT_NO_THROW(dialects::check_object(
      "mssql", module("view", "CREATE OR ALTER VIEW [sales].[x] AS SELECT 1 AS one")));
  try {
    dialects::check_object("mssql",
                           module("view", "CREATE VIEW sales.x AS SELECT 1 AS one\ngo\nDROP TABLE t"));
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    EXPECT_EQ(error.message(),
              "archive entry view \"sales.x\" is not a single CREATE VIEW or CREATE OR ALTER VIEW: "
              "CREATE VIEW sales.x AS SELECT 1 AS one go DROP TABLE t");
  }
  auto schema = module("schema", "IF SCHEMA_ID(N'shop') IS NULL EXEC sp_executesql N'DROP TABLE t'");
  schema.name = "shop";
  EXPECT_THROW(dialects::check_object("mssql", schema), Error);
  schema.statements = make_dialect("mssql")->create_schema_sql("shop");
  EXPECT_NO_THROW(dialects::check_object("mssql", schema));
}

TEST(DialectMssql, CleanDropsModulesAndForeignKeysIfTheyExist) {
  const auto dialect = make_dialect("mssql");
  EXPECT_TRUE(dialect->cleans_objects());
  SchemaObject function;
  function.kind = "function";
  function.schema = "sales";
  function.name = "sales.tax";
  EXPECT_EQ(dialect->clean_object_sql(function), "DROP FUNCTION IF EXISTS [sales].[tax]");
  function.kind = "trigger";
  EXPECT_EQ(dialect->clean_object_sql(function), "");  // dropped with its table
  Table table;
  table.schema = "sales";
  table.name = "orders";
  ForeignKey key;
  key.name = "orders_customer_fk";
  EXPECT_EQ(dialect->drop_foreign_key_sql(table, key),
            "IF OBJECT_ID(N'[sales].[orders]', N'U') IS NOT NULL ALTER TABLE [sales].[orders] DROP "
            "CONSTRAINT IF EXISTS [orders_customer_fk]");
  EXPECT_EQ(dialect->remap_schema_sql(
                "DBCC CHECKIDENT (N'[sales].[orders]', RESEED, 7)", "sales", "shop"),
            "DBCC CHECKIDENT (N'[shop].[orders]', RESEED, 7)");
  EXPECT_EQ(dialect->remap_schema_sql("SELECT [Sales].x, \"sales\".y, salesman.z FROM sales.t",
                                      "sales", "shop"),
            "SELECT [shop].x, [shop].y, salesman.z FROM [shop].t");
}

}  // namespace
}  // namespace bru::schema

// The portable catalog model: names, the JSON form stored in the archive (round trip and every
// kind of bad input), and the dependency order of tables.
#include "schema/catalog.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "schema/error.h"

namespace bru::schema {
namespace {

using nlohmann::json;

PortableType type_of(std::string_view text) { return *parse_portable_type(text); }

Table full_table() {
  Table table;
  table.schema = "sales";
  table.name = "Order Lines";
  table.dialect = "postgres";
  table.columns = {
      {"id", type_of("int64"), "bigint", false, std::nullopt, true, "always"},
      {"order_id", type_of("int32"), "integer", false, std::nullopt, false, ""},
      {"sku", type_of("varchar(40)"), "character varying(40)", true,
       std::string("'none'::character varying"), false, ""},
      {"price", type_of("decimal(12,2)"), "numeric(12,2)", true, std::nullopt, false, ""},
      {"at", type_of("timestamptz(3)"), "timestamp(3) with time zone", true, std::string("now()"),
       false, ""},
  };
  table.primary_key_name = "order_lines_pkey";
  table.primary_key = {"id"};
  table.uniques = {{"order_lines_sku_key", {"order_id", "sku"}}};
  table.indexes = {
      {"order_lines_at_idx", {"at"}, false, "CREATE INDEX order_lines_at_idx ON ...", true},
      {"order_lines_lower_idx", {}, false, "CREATE INDEX ... (lower(sku))", false},
  };
  table.foreign_keys = {
      {"order_lines_order_fk", {"order_id"}, "sales", "orders", {"id"}, "CASCADE", "NO ACTION"}};
  table.native_constraints = {{"order_lines_price_check", "CHECK ((price > (0)::numeric))"}};
  table.partitioned = true;
  return table;
}

void expect_same(const Table& a, const Table& b) {
  EXPECT_EQ(to_json(a), to_json(b));
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t idx = 0; idx < a.columns.size(); ++idx) {
    EXPECT_EQ(a.columns[idx].name, b.columns[idx].name);
    EXPECT_EQ(a.columns[idx].type, b.columns[idx].type);
    EXPECT_EQ(a.columns[idx].native_type, b.columns[idx].native_type);
    EXPECT_EQ(a.columns[idx].nullable, b.columns[idx].nullable);
    EXPECT_EQ(a.columns[idx].default_sql, b.columns[idx].default_sql);
    EXPECT_EQ(a.columns[idx].identity, b.columns[idx].identity);
    EXPECT_EQ(a.columns[idx].identity_kind, b.columns[idx].identity_kind);
  }
}

TEST(CatalogTest, DisplayNameWithAndWithoutSchema) {
  Table table;
  table.name = "Artist";
  EXPECT_EQ(table.display_name(), "Artist");
  table.schema = "public";
  EXPECT_EQ(table.display_name(), "public.Artist");
}

TEST(CatalogTest, FindColumnIsExact) {
  Table table = full_table();
  ASSERT_NE(table.find_column("sku"), nullptr);
  EXPECT_EQ(table.find_column("sku")->native_type, "character varying(40)");
  EXPECT_EQ(table.find_column("SKU"), nullptr);
  EXPECT_EQ(table.find_column("missing"), nullptr);
}

TEST(CatalogTest, JsonRoundTripKeepsEverything) {
  const Table table = full_table();
  const Table back = table_from_json(to_json(table));
  expect_same(table, back);
  EXPECT_EQ(back.schema, "sales");
  EXPECT_EQ(back.name, "Order Lines");
  EXPECT_EQ(back.dialect, "postgres");
  EXPECT_TRUE(back.partitioned);
  EXPECT_EQ(back.uniques.at(0).columns, (std::vector<std::string>{"order_id", "sku"}));
  EXPECT_FALSE(back.indexes.at(1).portable);
  EXPECT_TRUE(back.indexes.at(1).columns.empty());
  EXPECT_EQ(back.indexes.at(1).definition_sql, "CREATE INDEX ... (lower(sku))");
  EXPECT_EQ(back.foreign_keys.at(0).on_delete, "CASCADE");
  EXPECT_EQ(back.foreign_keys.at(0).ref_schema, "sales");
  ASSERT_EQ(back.native_constraints.size(), 1u);
  EXPECT_EQ(back.native_constraints[0].name, "order_lines_price_check");
  EXPECT_EQ(back.native_constraints[0].definition_sql, "CHECK ((price > (0)::numeric))");
}

TEST(CatalogTest, JsonRoundTripOfSqliteTableKeepsNativeSql) {
  Table table;
  table.name = "t";
  table.dialect = "sqlite";
  table.native_sql = "CREATE TABLE t (\"id\" INTEGER PRIMARY KEY, x)";
  table.columns = {{"id", type_of("int64"), "INTEGER", true, std::nullopt, true, "rowid"},
                   {"x", type_of("text"), "", true, std::nullopt, false, ""}};
  table.primary_key = {"id"};
  const Table back = table_from_json(to_json(table));
  expect_same(table, back);
  EXPECT_EQ(back.native_sql, table.native_sql);
  EXPECT_FALSE(back.partitioned);
  EXPECT_TRUE(back.schema.empty());
}

// Every bad definition fails with kArchiveCorrupt and a message naming what is wrong and where.
void expect_corrupt(const json& definition, const std::string& message) {
  try {
    table_from_json(definition);
    FAIL() << "no error for " << definition.dump();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    EXPECT_EQ(error.message(), message);
    EXPECT_EQ(error.hints(),
              (std::vector<std::string>{"the archive's table of contents is damaged; run bru "
                                        "-VERIFY on it, or use another backup"}));
  }
}

TEST(CatalogTest, JsonThatIsNotAnObject) {
  expect_corrupt(json::array(), "invalid table definition in the archive: table is not an object");
}

TEST(CatalogTest, JsonMissingName) {
  json definition = to_json(full_table());
  definition.erase("name");
  expect_corrupt(definition, "invalid table definition in the archive: table has no \"name\"");
}

TEST(CatalogTest, JsonWrongFieldType) {
  json definition = to_json(full_table());
  definition["columns"][1]["nullable"] = "yes";
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" column 2 "
                 "\"nullable\" is not a boolean");
}

TEST(CatalogTest, JsonUnknownPortableType) {
  json definition = to_json(full_table());
  definition["columns"][0]["type"] = "int128";
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" column 1 "
                 "has an unknown portable type \"int128\"");
}

TEST(CatalogTest, JsonNoColumns) {
  json definition = to_json(full_table());
  definition["columns"] = json::array();
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" has no "
                 "columns");
}

TEST(CatalogTest, JsonDuplicateColumn) {
  json definition = to_json(full_table());
  definition["columns"][1]["name"] = "id";
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" has "
                 "column \"id\" twice");
}

TEST(CatalogTest, JsonKeyOnMissingColumn) {
  json definition = to_json(full_table());
  definition["primary_key"] = json::array({"nope"});
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" the "
                 "primary key names column \"nope\", which the table does not have");
}

TEST(CatalogTest, JsonForeignKeyColumnCountMismatch) {
  json definition = to_json(full_table());
  definition["foreign_keys"][0]["ref_columns"] = json::array({"id", "other"});
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" foreign "
                 "key \"order_lines_order_fk\" has a different number of columns and referenced "
                 "columns");
}

TEST(CatalogTest, JsonUniqueWithoutColumns) {
  json definition = to_json(full_table());
  definition["uniques"][0]["columns"] = json::array();
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" unique "
                 "constraint \"order_lines_sku_key\" has no columns");
}

TEST(CatalogTest, JsonIndexColumnNotAString) {
  json definition = to_json(full_table());
  definition["indexes"][0]["columns"] = json::array({1});
  expect_corrupt(definition,
                 "invalid table definition in the archive: table \"sales.Order Lines\" index "
                 "\"columns\" holds a value that is not a string");
}

Table table_named(std::string name, std::vector<std::string> references) {
  Table table;
  table.name = std::move(name);
  table.columns = {{"id", type_of("int32"), "INTEGER", false, std::nullopt, false, ""}};
  for (auto& target : references) {
    table.foreign_keys.push_back(
        {"", {"id"}, "", std::move(target), {"id"}, "NO ACTION", "NO ACTION"});
  }
  return table;
}

std::vector<std::string> names_of(const std::vector<Table>& tables) {
  std::vector<std::string> names;
  for (const auto& table : tables) names.push_back(table.name);
  return names;
}

TEST(CatalogTest, OrderPutsReferencedTablesFirst) {
  auto ordered = order_by_dependencies(
      {table_named("invoice_line", {"invoice", "track"}), table_named("invoice", {"customer"}),
       table_named("track", {"album"}), table_named("customer", {}), table_named("album", {})});
  EXPECT_EQ(names_of(ordered),
            (std::vector<std::string>{"customer", "invoice", "album", "track", "invoice_line"}));
}

TEST(CatalogTest, OrderIsStableWithoutDependencies) {
  auto ordered =
      order_by_dependencies({table_named("c", {}), table_named("a", {}), table_named("b", {})});
  EXPECT_EQ(names_of(ordered), (std::vector<std::string>{"c", "a", "b"}));
}

TEST(CatalogTest, OrderIgnoresSelfAndOutsideReferences) {
  auto ordered = order_by_dependencies(
      {table_named("employee", {"employee", "elsewhere"}), table_named("a", {})});
  EXPECT_EQ(names_of(ordered), (std::vector<std::string>{"employee", "a"}));
}

TEST(CatalogTest, OrderBreaksCyclesInInputOrder) {
  // a -> b -> c -> a is a cycle; d depends on c; e stands alone.
  auto ordered = order_by_dependencies({table_named("d", {"c"}), table_named("a", {"b"}),
                                        table_named("b", {"c"}), table_named("c", {"a"}),
                                        table_named("e", {})});
  // The cycle is one group, ordered as a whole before d and kept in input order inside; e has
  // no dependencies but comes after the groups that start earlier in the input.
  EXPECT_EQ(names_of(ordered), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST(CatalogTest, OrderPlacesTwoTableCycleBeforeItsReferrers) {
  auto ordered = order_by_dependencies({table_named("z", {"y"}), table_named("y", {"x"}),
                                        table_named("x", {"y"}), table_named("w", {})});
  EXPECT_EQ(names_of(ordered), (std::vector<std::string>{"y", "x", "z", "w"}));
}

TEST(CatalogTest, OrderHandlesLongChains) {
  std::vector<Table> tables;
  for (int idx = 0; idx < 5000; ++idx) {
    tables.push_back(table_named("t" + std::to_string(idx),
                                 {idx + 1 < 5000 ? "t" + std::to_string(idx + 1) : "none"}));
  }
  auto ordered = order_by_dependencies(std::move(tables));
  ASSERT_EQ(ordered.size(), 5000u);
  EXPECT_EQ(ordered.front().name, "t4999");
  EXPECT_EQ(ordered.back().name, "t0");
}

TEST(CatalogTest, OrderMatchesSchemaToo) {
  Table orders = table_named("orders", {});
  orders.schema = "sales";
  Table lines = table_named("lines", {"orders"});
  lines.schema = "sales";
  lines.foreign_keys[0].ref_schema = "sales";
  Table other = table_named("orders", {});
  other.schema = "archive";
  auto ordered = order_by_dependencies({lines, other, orders});
  ASSERT_EQ(ordered.size(), 3u);
  EXPECT_EQ(ordered[0].display_name(), "archive.orders");
  EXPECT_EQ(ordered[1].display_name(), "sales.orders");
  EXPECT_EQ(ordered[2].display_name(), "sales.lines");
}

}  // namespace
}  // namespace bru::schema

// The MariaDB dialect offline: portable -> native types, the canonical SELECT forms, the INSERT,
// and the check of a SHOW CREATE TABLE text an archive carries (table options are accepted,
// anything after them that is not an option is refused). The live catalog and round trips are in
// tests/cli/mariadb_test.cpp.
#include <gtest/gtest.h>

#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/error.h"
#include "unit/archive_test_helpers.h"

namespace bru::schema {
namespace {

Table shop_table(std::string dialect) {
  Table table;
  table.name = "rental";
  table.dialect = std::move(dialect);
  table.columns.push_back(test::make_column("id", TypeKind::kInt64, false));
  table.columns[0].native_type = "bigint(20) unsigned";
  table.columns[0].identity = true;
  table.primary_key = {"id"};
  auto at = test::make_column("at", TypeKind::kTimestamp);
  at.type.scale = 3;
  table.columns.push_back(at);
  auto seen = test::make_column("seen", TypeKind::kTimestampTz);
  seen.type.scale = 0;
  table.columns.push_back(seen);
  auto price = test::make_column("price", TypeKind::kDecimal);
  price.type.precision = 10;
  price.type.scale = 2;
  table.columns.push_back(price);
  auto code = test::make_column("code", TypeKind::kChar);
  code.type.length = 4;
  table.columns.push_back(code);
  return table;
}

TEST(DialectMariadb, BacksUpAndMapsPortableTypes) {
  const auto dialect = make_dialect("mariadb");
  EXPECT_TRUE(dialect->backs_up());
  EXPECT_FALSE(dialect->transactional_ddl());
  EXPECT_EQ(dialect->native_type({TypeKind::kBool}), "tinyint(1)");
  EXPECT_EQ(dialect->native_type({TypeKind::kDecimal, 0, 20, 0}), "decimal(20,0)");
  EXPECT_EQ(dialect->native_type({TypeKind::kVarchar, 0}), "longtext");
  EXPECT_EQ(dialect->native_type({TypeKind::kChar, 300}), "varchar(300)");
  EXPECT_EQ(dialect->native_type({TypeKind::kTimestampTz, 0, 0, 6}), "datetime(6)");
  EXPECT_EQ(dialect->native_type({TypeKind::kBinary, 16}), "varbinary(16)");
  // An unconstrained decimal has no MariaDB type that keeps its digits: refused, not rounded.
  try {
    (void)dialect->native_type({TypeKind::kDecimal});
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_FALSE(error.hints().empty());
  }
}

TEST(DialectMariadb, SelectYieldsCanonicalValuesAndInsertTakesThem) {
  const auto dialect = make_dialect("mariadb");
  const Table table = shop_table("mariadb");
  EXPECT_EQ(dialect->select_sql(table),
            "SELECT `id`, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(`at`, "
            "'%Y-%m-%d %H:%i:%s.%f'))) AS `at`, CONCAT(DATE_FORMAT(`seen`, '%Y-%m-%d %H:%i:%s'), "
            "'+00') AS `seen`, CAST(`price` AS CHAR) AS `price`, RPAD(`code`, 4, ' ') AS `code` "
            "FROM `rental`");
  EXPECT_EQ(dialect->insert_sql(table, 2),
            "INSERT INTO `rental` (`id`, `at`, `seen`, `price`, `code`) VALUES "
            "(?, ?, SUBSTRING_INDEX(?, '+', 1), ?, ?), (?, ?, SUBSTRING_INDEX(?, '+', 1), ?, ?)");
}

// LOAD DATA takes the values insert_sql() takes, converted the same way (the timestamptz through
// a variable), and a BIT column's number cast: LOAD DATA would store its digits as bytes. The
// stream's escapes are spelled for the server, which reads \t, \\ and \n in the literals.
TEST(DialectMariadb, LoadDataConvertsAsInsertDoes) {
  const auto dialect = make_dialect("mariadb");
  Table table = shop_table("mariadb");
  auto flags = test::make_column("flags", TypeKind::kInt64);
  flags.native_type = "bit(8)";
  table.columns.push_back(flags);
  EXPECT_EQ(dialect->load_data_sql(table),
            "LOAD DATA LOCAL INFILE 'bru' INTO TABLE `rental` CHARACTER SET binary FIELDS "
            "TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' "
            "(`id`, `at`, @v3, `price`, `code`, @v6) "
            "SET `seen` = SUBSTRING_INDEX(@v3, '+', 1), `flags` = CAST(@v6 AS UNSIGNED)");
  // From another engine a bigint is no BIT; no other engine has LOAD DATA.
  table.dialect = "postgres";
  EXPECT_EQ(dialect->load_data_sql(table).find("CAST"), std::string::npos);
  EXPECT_EQ(make_dialect("postgres")->load_data_sql(table), "");
}

// Connector/ODBC holds whole results: a table is read in pages along its key, each after the
// last key read, written with the literal forms the columns compare as (the decimal's own column,
// not its text; a quote and a backslash escaped; a timestamptz without its "+00").
TEST(DialectMariadb, TablesAreReadInPagesAlongTheirKey) {
  const auto dialect = make_dialect("mariadb");
  Table table = shop_table("mariadb");
  table.columns[3].nullable = false;  // price
  table.columns[4].nullable = false;  // code
  table.columns[2].nullable = false;  // seen
  table.primary_key = {"price", "code", "seen"};
  ASSERT_EQ(dialect->page_key(table), (std::vector<std::size_t>{3, 4, 2}));
  EXPECT_EQ(dialect->page_sql(table, {0, 3, 4, 2}, 100, {}),
            "SELECT `id`, CAST(`price` AS CHAR) AS `price`, RPAD(`code`, 4, ' ') AS `code`, "
            "CONCAT(DATE_FORMAT(`seen`, '%Y-%m-%d %H:%i:%s'), '+00') AS `seen` FROM `rental` "
            "ORDER BY `rental`.`price`, `rental`.`code`, `rental`.`seen` LIMIT 100");
  EXPECT_EQ(dialect->page_sql(table, {3, 4, 2}, 5, {"12.50", "a'\\b", "2024-01-31 10:00:00+00"}),
            "SELECT CAST(`price` AS CHAR) AS `price`, RPAD(`code`, 4, ' ') AS `code`, "
            "CONCAT(DATE_FORMAT(`seen`, '%Y-%m-%d %H:%i:%s'), '+00') AS `seen` FROM `rental` "
            "WHERE `rental`.`price` >= 12.50 AND ((`rental`.`price` > 12.50) OR "
            "(`rental`.`price` = 12.50 AND `rental`.`code` > 'a''\\\\b') OR "
            "(`rental`.`price` = 12.50 AND `rental`.`code` = 'a''\\\\b' AND "
            "`rental`.`seen` > '2024-01-31 10:00:00')) "
            "ORDER BY `rental`.`price`, `rental`.`code`, `rental`.`seen` LIMIT 5");

  // No key pages can follow: a nullable unique key, an ENUM, a float.
  Table other = shop_table("mariadb");
  other.primary_key.clear();
  other.uniques.push_back({"uq_at", {"at"}});
  EXPECT_TRUE(dialect->page_key(other).empty());
  other.columns[4].nullable = false;
  other.columns[4].native_type = "enum('a','b')";
  other.uniques.push_back({"uq_code", {"code"}});
  EXPECT_TRUE(dialect->page_key(other).empty());
  auto score = test::make_column("score", TypeKind::kFloat64, false);
  other.columns.push_back(score);
  other.primary_key = {"score"};
  EXPECT_TRUE(dialect->page_key(other).empty());
  // A unique key of NOT NULL columns does.
  other.columns[1].nullable = false;
  EXPECT_EQ(dialect->page_key(other), (std::vector<std::size_t>{1}));
}

TEST(DialectMariadb, TablesFromOtherEnginesGetGeneratedDdl) {
  const auto dialect = make_dialect("mariadb");
  EXPECT_EQ(dialect->create_table_sql(shop_table("postgres")),
            "CREATE TABLE `rental` (\n  `id` bigint NOT NULL AUTO_INCREMENT,\n  `at` datetime(3),\n"
            "  `seen` datetime(0),\n  `price` decimal(10,2),\n  `code` char(4),\n"
            "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
}

// A text default from another engine is written as MariaDB reads a literal: its session takes a
// backslash as an escape, so 'C:\temp' would become 'C:temp'.
TEST(DialectMariadb, TextDefaultsFromOtherEnginesKeepTheirBackslashes) {
  const auto dialect = make_dialect("mariadb");
  Table table = shop_table("postgres");
  table.columns[4].default_sql = "'C:\\t''s'::bpchar";
  EXPECT_NE(dialect->create_table_sql(table).find("`code` char(4) DEFAULT 'C:\\\\t''s',"),
            std::string::npos)
      << dialect->create_table_sql(table);
}

TEST(DialectMariadb, ShowCreateTableFromTheArchiveIsCheckedBeforeItRuns) {
  const auto dialect = make_dialect("mariadb");
  Table table = shop_table("mariadb");
  table.native_sql =
      "CREATE TABLE `rental` (\n  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n"
      "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=2048 DEFAULT CHARSET=utf8mb4 "
      "COLLATE=utf8mb4_unicode_ci COMMENT='films; \\'quoted\\''";
  EXPECT_EQ(dialect->create_table_sql(table), table.native_sql);
  // Same-engine: everything is in the CREATE TABLE.
  EXPECT_TRUE(dialect->post_data_sql(table).empty());
  EXPECT_TRUE(dialect->foreign_key_sql(table).empty());
  for (const std::string crafted :
       {"CREATE TABLE `rental` (`id` int) ENGINE=InnoDB; DROP TABLE `customer`",
        "CREATE TABLE `other` (`id` int) ENGINE=InnoDB",
        "CREATE TABLE `rental` (`id` int) /*!50100 PARTITION BY HASH (id) */",
        "CREATE TABLE `rental` AS SELECT * FROM `customer`",
        "CREATE TABLE `rental` (`id` int) SELECT * FROM `customer`",
        "CREATE TABLE `rental` (`id` int) ENGINE=InnoDB SELECT id FROM customer"}) {
    table.native_sql = crafted;
    try {
      (void)dialect->create_table_sql(table);
      ADD_FAILURE() << "accepted: " << crafted;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt) << crafted;
    }
  }
}

}  // namespace
}  // namespace bru::schema

// Names the source keeps apart that another engine would not (bru/commands/restore_names.h), on
// the real servers: index names MariaDB keeps per table meet in PostgreSQL's schema and SQLite's
// database, and are renamed, each named; foreign key names PostgreSQL keeps per table meet in a
// MariaDB database, and are renamed; tables of two PostgreSQL schemas, or names that differ only
// in case, that SQLite and MariaDB would make one are refused before any change.
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/sqlite_file.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(CrossEngineNames, MariadbIndexNamesPerTableAreRenamedWhereTheyWouldMeet) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  {
    SqlSession db(source);
    for (const std::string table : {"orders", "invoices"}) {
      db.exec("CREATE TABLE " + table +
              " (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, created DATE, "
              "UNIQUE KEY uq_code (code), KEY idx_created (created))");
      db.exec("INSERT INTO " + table + " VALUES (1, 'a', '2024-01-01'), (2, 'b', NULL)");
    }
  }
  const auto archive = back_up(source, dir, "shop");
  const std::string unique_warning =
      "warning: unique constraint \"uq_code\" of table \"orders\" is restored as "
      "\"orders_uq_code\": postgres names indexes per schema, and that name is taken there\n";
  const std::string index_warning =
      "warning: index \"idx_created\" of table \"orders\" is restored as \"orders_idx_created\": "
      "{0} names indexes per {1}, and that name is taken there\n";

  const auto pg = fresh_database("postgres", "bru_dst_", dir, "");
  const auto to_pg = run_bru({"-RESTORE", "-DB", pg, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.err;
  EXPECT_EQ(to_pg.err,
            unique_warning + fmt::format(fmt::runtime(index_warning), "postgres", "schema"));
  EXPECT_EQ(SqlSession(pg).rows("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = "
                                "'public' AND indexname NOT LIKE '%pkey' ORDER BY 1, 2"),
            (Rows{{"invoices", "idx_created"},
                  {"invoices", "uq_code"},
                  {"orders", "orders_idx_created"},
                  {"orders", "orders_uq_code"}}));

  const auto sqlite = dir / "shop.sqlite";
  const auto to_sqlite =
      run_bru({"-RESTORE", "-DB", "sqlite;" + sqlite.string(), "-FILE", archive, "-QUIET"});
  ASSERT_EQ(to_sqlite.exit_code, 0) << to_sqlite.err;
  // A unique constraint names no index in SQLite: only the index is renamed.
  EXPECT_EQ(to_sqlite.err, fmt::format(fmt::runtime(index_warning), "sqlite", "database"));
  EXPECT_EQ(SqliteFile(sqlite).rows("SELECT tbl_name, name FROM sqlite_master WHERE type = "
                                    "'index' AND sql IS NOT NULL ORDER BY 1, 2"),
            (Rows{{"text:invoices", "text:idx_created"},
                  {"text:orders", "text:orders_idx_created"}}));
}

TEST(CrossEngineNames, PostgresForeignKeyNamesPerTableAreRenamedIntoMariadb) {
  ScratchDir dir;
  const auto source = fresh_database("postgres", "bru_src_", dir, "");
  {
    SqlSession db(source);
    db.exec("CREATE TABLE customer (id int PRIMARY KEY)");
    db.exec("CREATE TABLE orders (id int PRIMARY KEY, customer_id int, CONSTRAINT fk_customer "
            "FOREIGN KEY (customer_id) REFERENCES customer (id))");
    db.exec("CREATE TABLE invoices (id int PRIMARY KEY, customer_id int, CONSTRAINT fk_customer "
            "FOREIGN KEY (customer_id) REFERENCES customer (id))");
    db.exec("INSERT INTO customer VALUES (1)");
    db.exec("INSERT INTO orders VALUES (1, 1)");
    db.exec("INSERT INTO invoices VALUES (1, 1)");
  }
  const auto archive = back_up(source, dir, "shop");
  const auto target = fresh_database("mariadb", "bru_dst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err,
            "warning: foreign key \"fk_customer\" of table \"public.orders\" is restored as "
            "\"orders_fk_customer\": mariadb names foreign keys per database, and another "
            "table's has that name\n");
  EXPECT_EQ(SqlSession(target).rows(
                "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1"),
            (Rows{{"invoices", "fk_customer"}, {"orders", "orders_fk_customer"}}));
}

TEST(CrossEngineNames, TablesOrColumnsThatWouldMeetAreRefusedBeforeAnyChange) {
  ScratchDir dir;
  const auto schemas = fresh_database("postgres", "bru_src_", dir, "");
  {
    SqlSession db(schemas);
    db.exec("CREATE TABLE film (id int PRIMARY KEY)");
    db.exec("CREATE SCHEMA archive");
    db.exec("CREATE TABLE archive.film (id int PRIMARY KEY)");
  }
  const auto two_films = back_up(schemas, dir, "films");
  const auto columns = fresh_database("postgres", "bru_src_", dir, "");
  SqlSession(columns).exec("CREATE TABLE person (id int PRIMARY KEY, \"Name\" text, name text)");
  const auto two_names = back_up(columns, dir, "person");

  const auto sqlite = dir / "target.sqlite";
  const auto maria = fresh_database("mariadb", "bru_dst_", dir, "");
  struct Case {
    std::string archive;
    std::string target;
    std::string err;
  };
  const std::vector<Case> cases = {
      {two_films, "sqlite;" + sqlite.string(),
       "error: tables \"archive.film\" and \"public.film\" would both be \"film\" in sqlite\n"
       "hint: sqlite has no schemas and ignores the case of names; restore them one at a time "
       "(-TABLES, or -EXCLUDE the other) into different databases; nothing was changed\n"},
      {two_films, maria,
       "error: tables \"archive.film\" and \"public.film\" would both be `film` in mariadb\n"
       "hint: mariadb has no schemas; restore them one at a time (-TABLES, or -EXCLUDE the "
       "other) into different databases; nothing was changed\n"},
      {two_names, "sqlite;" + sqlite.string(),
       "error: table \"public.person\": columns \"Name\" and \"name\" would have one name in "
       "sqlite, which ignores the case of column names\n"
       "hint: rename one of them in the source and back up again, or restore into an engine "
       "that keeps them apart; nothing was changed\n"},
      {two_names, maria,
       "error: table \"public.person\": columns \"Name\" and \"name\" would have one name in "
       "mariadb, which ignores the case of column names\n"
       "hint: rename one of them in the source and back up again, or restore into an engine "
       "that keeps them apart; nothing was changed\n"},
  };
  for (const auto& each : cases) {
    const auto restore = run_bru({"-RESTORE", "-DB", each.target, "-FILE", each.archive, "-QUIET"});
    EXPECT_EQ(restore.exit_code, 11) << each.target;
    EXPECT_EQ(restore.err, each.err);
  }
  EXPECT_FALSE(std::filesystem::exists(sqlite));
  EXPECT_EQ(SqlSession(maria).text("SELECT count(*) FROM information_schema.TABLES WHERE "
                                   "TABLE_SCHEMA = DATABASE()"),
            "0");

  // One of the two tables at a time restores.
  const auto one = run_bru({"-RESTORE", "-DB", "sqlite;" + sqlite.string(), "-FILE", two_films,
                            "-QUIET", "-TABLES", "archive.film"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
}

}  // namespace
}  // namespace bru::test

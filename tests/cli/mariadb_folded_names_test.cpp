// A MariaDB target that compares table names without case (lower_case_table_names = 1, as on
// Windows and macOS servers and Linux ones set up to match them), on the second MariaDB server
// tools/test.sh starts with that setting (bru/commands/restore_names.h, check_server_names): two
// tables that would be one there are refused before any change, from MariaDB and from
// PostgreSQL; a mixed-case database is restored, each table the server renames named, and
// verified.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows tables_of(const std::string& conn) {
  return SqlSession(conn).rows(
      "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
      "DATABASE() ORDER BY 1");
}

TEST(MariadbFoldedNames, TablesThatDifferOnlyInCaseAreRefusedBeforeAnyChange) {
  ScratchDir dir;
  const std::string refusal =
      "error: tables \"{0}Film\" and \"{0}film\" would both be `film` in mariadb\n"
      "hint: this server ignores the case of table names (its lower_case_table_names is not 0); "
      "restore them one at a time (-TABLES, or -EXCLUDE the other) into different databases; "
      "nothing was changed\n";
  const auto mariadb = fresh_database("mariadb", "bru_src_", dir, "");
  {
    SqlSession db(mariadb);
    db.exec("CREATE TABLE Film (id INT PRIMARY KEY)");
    db.exec("CREATE TABLE film (id INT PRIMARY KEY)");
    db.exec("INSERT INTO film VALUES (1)");
  }
  const auto target = fresh_database("mariadb-folded", "bru_dst_", dir, "");
  const auto from_mariadb =
      run_bru({"-RESTORE", "-DB", target, "-FILE", back_up(mariadb, dir, "shop")});
  EXPECT_EQ(from_mariadb.exit_code, 11) << from_mariadb.err;
  EXPECT_EQ(from_mariadb.err, fmt::format(fmt::runtime(refusal), ""));
  EXPECT_EQ(tables_of(target), Rows{});

  const auto postgres = fresh_database("postgres", "bru_src_", dir, "");
  {
    SqlSession db(postgres);
    db.exec("CREATE TABLE \"Film\" (id int PRIMARY KEY)");
    db.exec("CREATE TABLE film (id int PRIMARY KEY)");
  }
  const auto from_postgres =
      run_bru({"-RESTORE", "-DB", target, "-FILE", back_up(postgres, dir, "pg_shop")});
  EXPECT_EQ(from_postgres.exit_code, 11) << from_postgres.err;
  EXPECT_EQ(from_postgres.err, fmt::format(fmt::runtime(refusal), "public."));
  EXPECT_EQ(tables_of(target), Rows{});
}

TEST(MariadbFoldedNames, AMixedCaseDatabaseIsRestoredWithEachRenamedTableNamed) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "bru_src_", dir, "");
  {
    SqlSession db(source);
    db.exec("CREATE TABLE Film (id INT PRIMARY KEY, title VARCHAR(20))");
    db.exec("CREATE TABLE Rental (id INT PRIMARY KEY, film_id INT, "
            "CONSTRAINT rental_film FOREIGN KEY (film_id) REFERENCES Film (id))");
    db.exec("CREATE TABLE payment (id INT PRIMARY KEY, amount DECIMAL(5,2))");
    db.exec("CREATE VIEW FilmTitles AS SELECT title FROM Film");
    db.exec("INSERT INTO Film VALUES (1, 'Alien'), (2, 'Brazil')");
    db.exec("INSERT INTO Rental VALUES (10, 2)");
    db.exec("INSERT INTO payment VALUES (5, 1.50)");
  }
  const auto target = fresh_database("mariadb-folded", "bru_dst_", dir, "");
  const auto restore =
      run_bru({"-RESTORE", "-DB", target, "-FILE", back_up(source, dir, "shop"), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err,
            "warning: table \"Film\" is restored as \"film\": this server stores table names in "
            "lower case (lower_case_table_names = 1)\n"
            "warning: table \"Rental\" is restored as \"rental\": this server stores table names "
            "in lower case (lower_case_table_names = 1)\n");
  EXPECT_EQ(tables_of(target), (Rows{{"film", "BASE TABLE"},
                                     {"filmtitles", "VIEW"},
                                     {"payment", "BASE TABLE"},
                                     {"rental", "BASE TABLE"}}));
  SqlSession db(target);
  EXPECT_EQ(db.rows("SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM "
                    "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
                    "DATABASE()"),
            (Rows{{"rental_film", "film"}}));
  EXPECT_EQ(db.rows("SELECT r.id, f.title FROM Rental r JOIN FilmTitles f ON f.title = 'Brazil'"),
            (Rows{{"10", "Brazil"}}));
}

}  // namespace
}  // namespace bru::test

// A foreign key whose integer columns differ in width from the key they reference
// (bru/commands/restore_key_types.h), on the real MariaDB server: SQLite's INTEGER PRIMARY KEY is
// 64-bit and a plain INT column referencing it 32-bit, which InnoDB refuses (error 1825). The
// restore widens the referencing column, names it, and verifies every row.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/sqlite_file.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A SQLite shop whose orders reference customer's INTEGER PRIMARY KEY (int64) from an INT
// column (int32) and notes' INT key from a SMALLINT (int16), backed up into dir/shop.DB.
std::string shop_archive(const ScratchDir& dir) {
  const auto source = dir / "shop.sqlite";
  {
    SqliteFile db(source);
    db.exec("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT REFERENCES "
            "customer (id), note_id SMALLINT REFERENCES notes (id))");
    db.exec("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)");
    db.exec("INSERT INTO customer VALUES (1, 'Ana'), (2, 'Bo')");
    db.exec("INSERT INTO notes VALUES (7, 'rush')");
    db.exec("INSERT INTO orders VALUES (1, 1, 7), (2, 2, NULL)");
  }
  return back_up("sqlite;" + source.string(), dir, "shop");
}

TEST(CrossEngineKeyTypes, SqliteIntReferencingIntegerPrimaryKeyRestoresIntoMariadb) {
  ScratchDir dir;
  const auto archive = shop_archive(dir);
  const auto target = fresh_database("mariadb", "bru_dst_", dir, "");
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(restore.err,
            "warning: orders.customer_id is restored as int64 instead of int32: the foreign key "
            "between it and customer.id needs one integer type in the target\n"
            "warning: orders.note_id is restored as int32 instead of int16: the foreign key "
            "between it and notes.id needs one integer type in the target\n");
  SqlSession db(target);
  EXPECT_EQ(db.rows("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' ORDER BY 2"),
            (Rows{{"orders", "customer_id", "bigint(20)"},
                  {"orders", "id", "bigint(20)"},
                  {"orders", "note_id", "int(11)"}}));
  EXPECT_EQ(db.rows("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE "
                    "CONSTRAINT_SCHEMA = DATABASE()"),
            (Rows{{"2"}}));
  EXPECT_EQ(db.rows("SELECT o.id, c.name, n.body FROM orders o JOIN customer c ON c.id = "
                    "o.customer_id LEFT JOIN notes n ON n.id = o.note_id ORDER BY 1"),
            (Rows{{"1", "Ana", "rush"}, {"2", "Bo", "NULL"}}));
}

// The same archive into SQLite (and PostgreSQL, which takes an int column referencing a bigint
// key) keeps every column as it was, without a word.
TEST(CrossEngineKeyTypes, TargetsThatTakeMixedWidthsKeepTheColumnsAsTheyWere) {
  ScratchDir dir;
  const auto archive = shop_archive(dir);
  const auto lite = dir / "copy.sqlite";
  const auto into_sqlite =
      run_bru({"-RESTORE", "-DB", "sqlite;" + lite.string(), "-FILE", archive, "-QUIET"});
  ASSERT_EQ(into_sqlite.exit_code, 0) << into_sqlite.err;
  EXPECT_EQ(into_sqlite.err, "");
  EXPECT_EQ(SqliteFile(lite).rows("SELECT name, type FROM pragma_table_info('orders') ORDER BY 1"),
            (Rows{{"text:customer_id", "text:INT"},
                  {"text:id", "text:INTEGER"},
                  {"text:note_id", "text:SMALLINT"}}));

  const auto target = fresh_database("postgres", "bru_dst_", dir, "");
  const auto into_postgres = run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(into_postgres.exit_code, 0) << into_postgres.err;
  EXPECT_EQ(into_postgres.err, "");
  EXPECT_EQ(SqlSession(target).rows("SELECT column_name, data_type FROM information_schema.columns "
                                    "WHERE table_name = 'orders' ORDER BY 1"),
            (Rows{{"customer_id", "integer"}, {"id", "bigint"}, {"note_id", "smallint"}}));
}

}  // namespace
}  // namespace bru::test

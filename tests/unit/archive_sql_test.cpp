// The SQL text a same-engine restore takes from an archive is checked for being what its entry
// says (schema/engines/archive_sql.h), through the dialects' own DDL functions: what a real
// engine writes is accepted; statements smuggled into an index, a constraint, a default, a type,
// a foreign key action or a CREATE TABLE are refused with kArchiveCorrupt.
#include <gtest/gtest.h>

#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/error.h"
#include "unit/archive_test_helpers.h"

namespace bru::schema {
namespace {

const std::string kHint =
    "\nhint: the archive was edited or crafted; nothing was restored. Restore only archives from "
    "a source you trust (README: what a restore can do to a target)";

Table table_of(std::string dialect, std::string schema_name) {
  Table table;
  table.schema = std::move(schema_name);
  table.name = "orders";
  table.dialect = std::move(dialect);
  table.columns.push_back(test::make_column("id", TypeKind::kInt64, false));
  table.columns[0].native_type = "bigint";
  table.columns.push_back(test::make_column("note", TypeKind::kText));
  table.columns[1].native_type = "text";
  return table;
}

Table postgres_table() { return table_of("postgres", "public"); }
Table sqlite_table() {
  Table table = table_of("sqlite", "");
  table.columns[0].native_type = "INTEGER";
  table.columns[1].native_type = "TEXT";
  return table;
}

Index index_of(std::string sql) {
  Index index;
  index.name = "orders_note_idx";
  index.columns = {"note"};
  index.definition_sql = std::move(sql);
  return index;
}

// All the DDL a restore of the table runs.
std::vector<std::string> all_ddl(const Table& table) {
  const auto dialect = make_dialect(table.dialect);
  std::vector<std::string> statements{dialect->create_table_sql(table)};
  for (auto& sql : dialect->post_data_sql(table)) statements.push_back(sql);
  for (auto& sql : dialect->foreign_key_sql(table)) statements.push_back(sql);
  return statements;
}

std::string refusal(const Table& table) {
  try {
    all_ddl(table);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    return test::message_and_hints(error);
  }
  return "not refused";
}

TEST(ArchiveSql, WhatTheEnginesWriteIsAccepted) {
  for (const std::string sql :
       {"CREATE INDEX orders_note_idx ON public.orders USING btree (note)",
        "CREATE UNIQUE INDEX orders_note_idx ON public.orders USING btree (lower(note)) WHERE "
        "(note <> 'a;b'::text)",
        "CREATE INDEX \"Orders Note\" ON \"public\".\"orders\" USING gin (to_tsvector('simple', "
        "note))",
        "CREATE INDEX orders_note_idx ON ONLY public.orders USING btree (note) INCLUDE (id)",
        "CREATE INDEX orders_note_idx ON orders (note)"}) {
    Table table = postgres_table();
    table.indexes.push_back(index_of(sql));
    table.columns[1].default_sql = "'it''s; fine'::text";
    table.columns[0].native_type = "numeric(10,2)";
    table.native_constraints.push_back({"orders_check", "CHECK ((id > 0) AND (note <> ','))"});
    table.native_constraints.push_back(
        {"orders_excl", "EXCLUDE USING gist (id WITH =, note WITH <>)"});
    EXPECT_EQ(all_ddl(table).back(),
              "ALTER TABLE \"public\".\"orders\" ADD CONSTRAINT \"orders_excl\" EXCLUDE USING "
              "gist (id WITH =, note WITH <>)")
        << sql;
  }
  for (const std::string sql :
       {"CREATE INDEX orders_note_idx ON orders(note)",
        "CREATE UNIQUE INDEX IF NOT EXISTS main.[orders_note_idx] ON `Orders` (note COLLATE "
        "NOCASE) WHERE note <> ';'",
        "CREATE INDEX \"orders_note_idx\" ON \"orders\" (\"note\") -- trailing comment"}) {
    Table table = sqlite_table();
    table.indexes.push_back(index_of(sql));
    table.native_sql =
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b' CHECK (note <> ','))"
        " WITHOUT ROWID, STRICT";
    EXPECT_EQ(all_ddl(table).back(), sql);
  }
}

TEST(ArchiveSql, AnIndexThatIsAnotherStatementIsRefused) {
  Table table = postgres_table();
  table.indexes.push_back(index_of("DROP TABLE public.victim"));
  EXPECT_EQ(refusal(table),
            "archive entry index \"orders_note_idx\" of table \"public.orders\" is not a single "
            "CREATE INDEX on that table: DROP TABLE public.victim" +
                kHint);
}

TEST(ArchiveSql, IndexesThatAreNotOneCreateIndexOnTheirTableAreRefused) {
  for (const std::string& sql : std::vector<std::string>{
           "CREATE INDEX i ON public.orders (note); DROP TABLE public.victim",
           "CREATE INDEX i ON public.orders (note);",
           "CREATE INDEX i ON public.victim (note)",
           "CREATE INDEX i ON other.orders (note)",
           "CREATE INDEX i ON public.orders (note)) ; SELECT (1",
           "CREATE INDEX i ON public.orders (note) /* unterminated",
           "CREATE INDEX i ON public.orders (note $$; DROP TABLE x",
           "CREATE INDEX CONCURRENTLY i ON public.orders (note)",
           "CREATE TABLE public.orders (note text)",
           "CREATE INDEX i ON public.orders",
           std::string("CREATE INDEX i ON public.orders (note)\0; DROP TABLE x", 53),
       }) {
    Table table = postgres_table();
    table.indexes.push_back(index_of(sql));
    EXPECT_EQ(refusal(table).rfind("archive entry index \"orders_note_idx\" of table "
                                   "\"public.orders\" is not a single CREATE INDEX on that table: ",
                                   0),
              0u)
        << sql;
  }
  Table sqlite = sqlite_table();
  sqlite.indexes.push_back(index_of("CREATE INDEX i ON temp.orders (note)"));
  EXPECT_EQ(refusal(sqlite),
            "archive entry index \"orders_note_idx\" of table \"orders\" is not a single CREATE "
            "INDEX on that table: CREATE INDEX i ON temp.orders (note)" +
                kHint);
}

TEST(ArchiveSql, ACheckFollowedByAnotherStatementIsRefused) {
  Table table = postgres_table();
  table.native_constraints.push_back(
      {"orders_check", "CHECK (true); CREATE ROLE x SUPERUSER LOGIN PASSWORD 'p'; SELECT 1"});
  EXPECT_EQ(refusal(table),
            "archive entry constraint \"orders_check\" of table \"public.orders\" is not a single "
            "CHECK or EXCLUDE constraint: CHECK (true); CREATE ROLE x SUPERUSER LOGIN PASSWORD "
            "'p'; SELECT 1" +
                kHint);
}

TEST(ArchiveSql, ConstraintsThatDoMoreThanOneConstraintAreRefused) {
  for (const std::string sql : {"CHECK (true), DROP COLUMN note", "CHECK (true)) , OWNER TO x",
                                "FOREIGN KEY (id) REFERENCES public.victim (id) ON DELETE CASCADE",
                                "CHECK (true) -- hides nothing, but comments are not expressions",
                                "CHECK (true) /*!50000 ; DROP TABLE x */"}) {
    Table table = postgres_table();
    table.native_constraints.push_back({"orders_check", sql});
    EXPECT_EQ(refusal(table),
              "archive entry constraint \"orders_check\" of table "
              "\"public.orders\" is not a single CHECK or EXCLUDE constraint: " +
                  sql + kHint)
        << sql;
  }
}

TEST(ArchiveSql, DefaultsThatAreNotOneExpressionAreRefused) {
  for (const std::string sql : {"0; DROP TABLE public.victim", "0, evil integer",
                                "0) INHERITS (public.victim", "0 -- NOT NULL"}) {
    for (Table table : {postgres_table(), sqlite_table()}) {
      table.columns[1].default_sql = sql;
      EXPECT_EQ(refusal(table), "archive entry default of column \"note\" of table \"" +
                                    table.display_name() + "\" is not a single expression: " + sql +
                                    kHint)
          << sql;
    }
  }
}

TEST(ArchiveSql, NativeTypesThatAreNotOneTypeAreRefused) {
  for (Table table : {postgres_table(), sqlite_table()}) {
    table.columns[1].native_type = "text); DROP TABLE public.victim; --";
    EXPECT_EQ(refusal(table), "archive entry type of column \"note\" of table \"" +
                                  table.display_name() +
                                  "\" is not a single type name: text); DROP TABLE "
                                  "public.victim; --" +
                                  kHint);
  }
}

TEST(ArchiveSql, ForeignKeyActionsMustBeActions) {
  for (Table table : {postgres_table(), sqlite_table()}) {
    ForeignKey fk;
    fk.name = "orders_fk";
    fk.columns = {"id"};
    fk.ref_schema = table.schema;
    fk.ref_table = "customers";
    fk.ref_columns = {"id"};
    fk.on_delete = "CASCADE; DROP TABLE victim";
    table.foreign_keys.push_back(fk);
    EXPECT_EQ(refusal(table), "archive entry foreign key \"orders_fk\" of table \"" +
                                  table.display_name() +
                                  "\" is not a referential action (ON DELETE): CASCADE; DROP "
                                  "TABLE victim" +
                                  kHint);
  }
}

TEST(ArchiveSql, SqliteCreateTablesThatAreNotTheirTableAreRefused) {
  for (const std::string sql :
       {"CREATE TABLE orders (id INTEGER); DROP TABLE victim", "CREATE TABLE victim (id INTEGER)",
        "CREATE TEMP TABLE orders (id INTEGER)", "CREATE TABLE orders AS SELECT * FROM victim",
        "CREATE TABLE orders (id INTEGER) ; ", "CREATE TABLE other.orders (id INTEGER)",
        "DROP TABLE victim"}) {
    Table table = sqlite_table();
    table.native_sql = sql;
    EXPECT_EQ(refusal(table),
              "archive entry table \"orders\" is not a single CREATE TABLE of "
              "that table: " +
                  sql + kHint)
        << sql;
  }
}

}  // namespace
}  // namespace bru::schema

// The SQL text a same-engine restore takes from an archive is checked for being what its entry
// says (schema/engines/archive_sql.h), through the dialects' own DDL functions: what a real
// engine writes is accepted; statements smuggled into an index, a constraint, a default, a type,
// a foreign key action or a CREATE TABLE are refused with kArchiveCorrupt.
#include <gtest/gtest.h>

#include "schema/dialect.h"
#include "schema/dialect_names.h"
#include "schema/engines/archive_sql.h"
#include "schema/engines/mariadb/mariadb_objects.h"
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

SchemaObject mariadb_object(std::string kind, std::string name, std::string sql) {
  SchemaObject object;
  object.kind = std::move(kind);
  object.name = std::move(name);
  object.section = "pre-data";
  object.statements = {std::move(sql)};
  return object;
}

std::string object_refusal(const SchemaObject& object) {
  try {
    dialects::check_object("mariadb", object);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    return test::message_and_hints(error);
  }
  return "accepted";
}

// What SHOW CREATE writes (the DEFINER taken out), compound bodies with their `;`s included.
// A PostgreSQL function or procedure with a SQL-standard body (BEGIN ATOMIC ... END, PostgreSQL
// 14) is one statement though it holds `;`s; a statement after its END is not.
TEST(ArchiveSql, PostgresSqlStandardBodiesAreOneStatement) {
  SchemaObject function;
  function.kind = "function";
  function.name = "public.visited(k integer)";
  const std::string create =
      "CREATE OR REPLACE FUNCTION public.visited(k integer)\n RETURNS integer\n LANGUAGE sql\n"
      "BEGIN ATOMIC\n INSERT INTO public.visit (id, n)  VALUES (visited.k, 1) ON CONFLICT(id) DO "
      "UPDATE SET n = (visit.n + 1);\n SELECT CASE WHEN (visited.k > 0) THEN 1 ELSE 0 END AS "
      "\"case\";\nEND";
  function.statements = {create};
  EXPECT_NO_THROW(dialects::check_object("postgres", function));
  function.kind = "procedure";
  function.statements = {"CREATE OR REPLACE PROCEDURE public.p()\n LANGUAGE sql\nBEGIN ATOMIC\n "
                         "SELECT 1;\n SELECT 2;\nEND"};
  EXPECT_NO_THROW(dialects::check_object("postgres", function));

  function.kind = "function";
  for (const std::string& smuggled : std::vector<std::string>{
           create + "; DROP TABLE public.victim", "CREATE OR REPLACE FUNCTION public.f() RETURNS "
        "int LANGUAGE sql RETURN 1; DROP TABLE public.victim",
        "CREATE OR REPLACE FUNCTION public.f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
        "END END; DROP TABLE public.victim"}) {
    function.statements = {smuggled};
    try {
      dialects::check_object("postgres", function);
      ADD_FAILURE() << "not refused: " << smuggled;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
      EXPECT_NE(error.message().find("is not a single CREATE"), std::string::npos)
          << error.message();
    }
  }
}

TEST(ArchiveSql, MariadbObjectsAsTheServerWritesThemAreAccepted) {
  const std::vector<SchemaObject> objects = {
      mariadb_object("view", "film_list",
                     "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `film_list` AS select "
                     "`film`.`film_id` AS `film_id`,'a;b' AS `x` from `film`"),
      mariadb_object("view", "v", "CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `v` AS "
                                  "select 1 AS `1` WITH CASCADED CHECK OPTION"),
      mariadb_object("procedure", "count_rentals",
                     "CREATE PROCEDURE `count_rentals`()\nSELECT count(*) FROM rental"),
      mariadb_object("function", "label",
                     "CREATE FUNCTION `label`(p INT) RETURNS varchar(80)\n    READS SQL DATA\n"
                     "BEGIN DECLARE v INT; IF p IS NULL THEN RETURN 'x; y'; END IF; "
                     "outer_loop: LOOP SET v = 1; LEAVE outer_loop; END LOOP outer_loop; "
                     "CASE v WHEN 1 THEN SET v = 2; ELSE BEGIN END; END CASE; "
                     "RETURN CASE WHEN v > 1 THEN 'a' ELSE 'b' END; END"),
      mariadb_object("trigger", "rental_stamp",
                     "CREATE TRIGGER rental_stamp BEFORE INSERT ON rental FOR EACH ROW "
                     "BEGIN SET NEW.tag = 'trigger'; END"),
      mariadb_object("event", "purge_old",
                     "SET STATEMENT sql_mode = 'STRICT_TRANS_TABLES', time_zone = '+02:00' FOR "
                     "EXECUTE IMMEDIATE 'CREATE EVENT `purge_old` ON SCHEDULE EVERY 1 DAY STARTS "
                     "''2030-01-01 00:00:00'' ON COMPLETION NOT PRESERVE DISABLE DO DELETE FROM "
                     "rental'"),
      mariadb_object("trigger", "t4",
                     "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'CREATE trigger if not "
                     "exists t4 after delete on t for each row set @y = 1'"),
      mariadb_object("sequence", "ticket",
                     "CREATE SEQUENCE `ticket` start with 1000 minvalue 1 maxvalue "
                     "9223372036854775806 increment by 5 cache 10 nocycle ENGINE=InnoDB"),
      mariadb_object("sequence value", "ticket", "SELECT SETVAL(`ticket`, 1050, 0)"),
      mariadb_object("sequence value", "down", "SELECT SETVAL(`down`, -7, 0)"),
      // Under ANSI_QUOTES the server writes names in double quotes.
      mariadb_object("procedure", "p2",
                     "SET STATEMENT sql_mode = 'ANSI_QUOTES,NO_AUTO_VALUE_ON_ZERO' FOR EXECUTE "
                     "IMMEDIATE 'CREATE PROCEDURE \"p2\"()\nSELECT \"a;b\" FROM t'"),
      // Without it, "…" is a string; and a backslash escapes the quote after it.
      mariadb_object("procedure", "p3",
                     "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE `p3`() "
                     "SELECT \"x; y\"'"),
      mariadb_object("procedure", "p4",
                     "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE `p4`() "
                     "SELECT ''a\\\\'' ; DROP TABLE victim; SELECT '' AS x'"),
  };
  for (const auto& object : objects) EXPECT_EQ(object_refusal(object), "accepted") << object.name;
}

TEST(ArchiveSql, MariadbObjectsThatAreNotOneStatementOfTheirKindAreRefused) {
  struct Case {
    std::string kind, name, sql, expected;
  };
  const std::string view_heads =
      "a single CREATE ALGORITHM = <word> SQL SECURITY <word> VIEW, CREATE ALGORITHM = <word> "
      "VIEW, CREATE SQL SECURITY <word> VIEW or CREATE VIEW of view \"v\"";
  const std::vector<Case> cases = {
      {"view", "v", "CREATE VIEW `v` AS select 1; DROP TABLE victim", view_heads},
      {"view", "v", "CREATE VIEW `other` AS select 1", view_heads},
      {"view", "v", "CREATE VIEW `elsewhere`.`v` AS select 1", view_heads},
      {"view", "v", "DROP TABLE victim", view_heads},
      {"view", "v", "CREATE VIEW `v` AS select 1 /*!; DROP TABLE victim */", view_heads},
      {"procedure", "p", "CREATE PROCEDURE `p`() BEGIN SELECT 1; END; DROP TABLE victim",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "CREATE PROCEDURE `p`() SELECT 1; DROP TABLE victim",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "CREATE PROCEDURE `p`() BEGIN END IF; DROP TABLE victim; BEGIN END",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "CREATE PROCEDURE `p`() BEGIN SELECT (1; DROP TABLE victim); END",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "CREATE FUNCTION `p`() RETURNS INT RETURN 1",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"function", "f", "CREATE FUNCTION `f`() RETURNS INT BEGIN RETURN 1; END END; DROP "
       "TABLE victim", "a single CREATE FUNCTION or CREATE AGGREGATE FUNCTION of function \"f\""},
      {"trigger", "t", "CREATE TRIGGER `u` BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1",
       "a single CREATE TRIGGER of trigger \"t\""},
      {"event", "e", "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO BEGIN END; DROP TABLE victim",
       "a single CREATE EVENT of event \"e\""},
      {"rule", "s", "CREATE RULE `s`", "an object kind bru knows"},
      {"sequence value", "s", "SELECT SETVAL(`s`, 1, 0); DROP TABLE victim",
       "a single SELECT SETVAL( of sequence value \"s\""},
      {"sequence value", "s", "SELECT SETVAL(`s`, (SELECT count(*) FROM victim), 0)",
       "a single SELECT SETVAL( of sequence value \"s\""},
      {"sequence", "s", "CREATE SEQUENCE `s` start with 1 BEGIN; DROP TABLE victim; END",
       "a single CREATE SEQUENCE of sequence \"s\""},
      {"view", "v", "CREATE VIEW `v` AS select 1 BEGIN; DROP TABLE victim; END", view_heads},
      {"sequence value", "s", "SELECT SETVAL(`other`, 1, 0)",
       "a single SELECT SETVAL( of sequence value \"s\""},
      {"sequence value", "s", "SELECT SETVAL(`s`, 1, 0), SLEEP(100)",
       "a single SELECT SETVAL( of sequence value \"s\""},
      {"procedure", "p",
       "SET STATEMENT autocommit = '0' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE `p`() SELECT 1'",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "SET sql_mode = '' FOR CREATE PROCEDURE `p`() SELECT 1",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "SET STATEMENT sql_mode = '' FOR CREATE PROCEDURE `p`() SELECT 1",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p", "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'DROP TABLE victim'",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p",
       "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE `p`() SELECT 1' 'x'",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p",
       "SET STATEMENT sql_mode = '' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE `p`() SELECT 1\\n'",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p",
       "SET STATEMENT sql_mode = 'ANSI_QUOTES' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE \"p\"() "
       "SELECT \"a;\"; DROP TABLE victim'",
       "a single CREATE PROCEDURE of procedure \"p\""},
      {"procedure", "p",
       "SET STATEMENT sql_mode = 'NO_BACKSLASH_ESCAPES' FOR EXECUTE IMMEDIATE 'CREATE PROCEDURE "
       "`p`() SELECT ''a\\\\'' ; DROP TABLE victim; SELECT '' AS x'",
       "a single CREATE PROCEDURE of procedure \"p\""},
  };
  for (const auto& test_case : cases) {
    const auto object = mariadb_object(test_case.kind, test_case.name, test_case.sql);
    // The message shows the SQL cut after 120 bytes.
    const std::string shown = test_case.kind == "rule" ? "rule"
                              : test_case.sql.size() > 120 ? test_case.sql.substr(0, 120) + "..."
                                                           : test_case.sql;
    EXPECT_EQ(object_refusal(object), "archive entry " + test_case.kind + " \"" + test_case.name +
                                          "\" is not " + test_case.expected + ": " + shown + kHint)
        << test_case.sql;
  }
}

TEST(ArchiveSql, MariadbDefinerIsTakenOut) {
  EXPECT_EQ(dialects::without_definer("CREATE ALGORITHM=UNDEFINED DEFINER=`bru`@`127.0.0.1` SQL "
                                      "SECURITY DEFINER VIEW `v` AS select 1"),
            "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
  EXPECT_EQ(dialects::without_definer("CREATE DEFINER=`o``dd`@`%` PROCEDURE `p`() SELECT 1"),
            "CREATE PROCEDURE `p`() SELECT 1");
  EXPECT_EQ(dialects::without_definer("CREATE DEFINER=\"bru\"@\"%\" PROCEDURE \"p\"() SELECT 1"),
            "CREATE PROCEDURE \"p\"() SELECT 1");
  EXPECT_EQ(dialects::without_definer("CREATE DEFINER=`role_x` EVENT `e` ON SCHEDULE EVERY 1 "
                                      "DAY DO SELECT 1"),
            "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1");
  // Without a DEFINER clause, or one bru cannot read to its end: unchanged.
  for (const std::string sql : {"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1",
                                "CREATE DEFINER=`open PROCEDURE p() SELECT 1"}) {
    EXPECT_EQ(dialects::without_definer(sql), sql);
  }
}

}  // namespace
}  // namespace bru::schema

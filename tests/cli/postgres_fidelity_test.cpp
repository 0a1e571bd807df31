// Issue 7: every object of a PostgreSQL database comes back, exactly. The rental shop of
// testdata/pg_shop.sql (every object kind pg_dump carries, several schemas, data in every table)
// is backed up and restored into an empty database; then the comparison pg_dump's own tests
// make: `pg_dump --schema-only` of source and target identical, every sequence at the same
// position, every table's rows identical.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bru/odbc/connection.h"
#include "bru/odbc/connection_string.h"
#include "support/pg_shop.h"
#include "support/process.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Sql = SqlSession;

class PostgresFidelity : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::filesystem::path archive_ = dir_ / "shop.DB";
};

// The restores of the shop, once in one transaction (-THREADS 1) and once with two sessions
// (-THREADS 2, restore_parallel.h): the same assertions for both.
class PostgresFidelityRestore : public PostgresFidelity,
                                public ::testing::WithParamInterface<std::string> {
 protected:
  // A database of its own per -THREADS (ctest runs them in parallel).
  static std::string database(const std::string& name) {
    return create_postgres_database(name + "_" + GetParam());
  }
  std::vector<std::string> restore_args(const std::string& target) const {
    return {"-RESTORE", "-DB",      target,   "-FILE", archive_.string(),
            "-QUIET",   "-THREADS", GetParam() == "threads2" ? "2" : "1"};
  }
};

INSTANTIATE_TEST_SUITE_P(OneAndTwoSessions, PostgresFidelityRestore,
                         ::testing::Values("threads1", "threads2"),
                         [](const auto& info) { return info.param; });

TEST_P(PostgresFidelityRestore, EveryObjectComesBackAsPgDumpSeesIt) {
  const auto source = database("bru_shop_source");
  const auto target = database("bru_shop_target");
  ASSERT_NO_FATAL_FAILURE(load_shop(source));

  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  // The range type's automatic multirange cast is the server's, not something bru leaves out.
  EXPECT_EQ(backup.err.find("is not backed up"), std::string::npos) << backup.err;
  const auto restore = run_bru(restore_args(target));
  ASSERT_EQ(restore.exit_code, 0) << restore.err;

  const auto source_schema = schema_dump(source);
  EXPECT_NE(source_schema.find("CREATE MATERIALIZED VIEW reporting.revenue_by_month"),
            std::string::npos);
  EXPECT_EQ(schema_dump(target), source_schema);

  Sql from(source);
  Sql to(target);
  EXPECT_EQ(sequence_positions(to), sequence_positions(from));
  EXPECT_EQ(all_rows(to), all_rows(from));
  const auto source_counts = object_counts(from);
  EXPECT_EQ(object_counts(to), source_counts);
  for (const auto& [kind, count] : source_counts) {
    std::cout << "[ counts ] " << kind << ": " << count << " source, "
              << object_counts(to)[kind] << " restored\n";
  }

  // What the catalogs say is also what the restored database does.
  EXPECT_EQ(to.text("SELECT count(*) FROM public.audit_log"),
            from.text("SELECT count(*) FROM public.audit_log"))
      << "triggers were created after the load, so it fired no trigger";
  to.exec("INSERT INTO shop.staff (name, store_region) VALUES ('New', 'north')");
  EXPECT_EQ(to.text("SELECT max(staff_id) FROM shop.staff"), "78") << "identity at 77, called";
  EXPECT_EQ(to.text("SELECT nextval('shop.customer_customer_id_seq')"), "500")
      << "serial at 500, not called";
  EXPECT_EQ(to.text("SELECT rate_with_tax FROM shop.film WHERE film_id = 1000"),
            from.text("SELECT rate_with_tax FROM shop.film WHERE film_id = 1000"));
  EXPECT_EQ(to.text("SELECT count(*) FROM ONLY rental.rental"), "0");
  EXPECT_EQ(to.text("SELECT count(*) FROM rental.rental"), "120");
}

// A primary key is added once its table's rows are in (one sorted build, as pg_restore does),
// unless an object created before the rows needs it: a view grouping by it, a function naming
// it in ON CONFLICT. Those tables keep it in CREATE TABLE (each table such an object reads: the
// archive does not say which key it needs).
TEST_P(PostgresFidelityRestore, KeysComeAfterTheRowsUnlessAnObjectNeedsThemBefore) {
  const auto source = database("bru_late_keys_source");
  const auto target = database("bru_late_keys_target");
  Sql(source).exec(
      "CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL);"
      "CREATE TABLE player (id int PRIMARY KEY, team_id int REFERENCES team, name text);"
      "CREATE TABLE visit (id int PRIMARY KEY, n int NOT NULL);"
      "INSERT INTO team SELECT i, 'team ' || i FROM generate_series(1, 50) i;"
      "INSERT INTO player SELECT i, i % 50 + 1, 'player ' || i FROM generate_series(1, 2000) i;"
      "INSERT INTO visit VALUES (1, 3);"
      "CREATE VIEW team_names AS SELECT t.id, t.name FROM team t GROUP BY t.id;"
      "CREATE VIEW player_names AS SELECT id, name FROM player;"
      "CREATE FUNCTION visited(k int) RETURNS void LANGUAGE sql BEGIN ATOMIC "
      "  INSERT INTO visit VALUES (k, 1) ON CONFLICT (id) DO UPDATE SET n = visit.n + 1; END;");
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;

  const auto restore = run_bru(restore_args(target));
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(schema_dump(target), schema_dump(source));
  Sql from(source);
  Sql to(target);
  EXPECT_EQ(all_rows(to), all_rows(from));
  to.exec("SELECT visited(1)");
  EXPECT_EQ(to.text("SELECT n FROM visit WHERE id = 1"), "4");

  const auto script = dir_ / ("restore_" + GetParam() + ".sql");
  const auto written = run_bru({"-RESTORE", "-FILE", archive_.string(), "-SQL", script.string(),
                                "-DIALECT", "postgres", "-QUIET"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const auto sql = read_text(script);
  const auto player_created = sql.find("CREATE TABLE public.player");
  const auto player_keyed =
      sql.find("ALTER TABLE \"public\".\"player\" ADD CONSTRAINT \"player_pkey\" PRIMARY KEY");
  const auto player_rows = sql.find("INSERT INTO \"public\".\"player\"");
  ASSERT_NE(player_created, std::string::npos) << sql;
  ASSERT_NE(player_rows, std::string::npos) << sql;
  ASSERT_NE(player_keyed, std::string::npos) << sql;
  EXPECT_LT(player_rows, player_keyed);
  EXPECT_EQ(sql.substr(player_created, sql.find(')', sql.find("name text", player_created)) -
                                           player_created)
                .find("PRIMARY KEY"),
            std::string::npos)
      << sql;
  for (const char* kept : {"team", "visit"}) {
    EXPECT_NE(sql.find(fmt::format("CONSTRAINT \"{}_pkey\" PRIMARY KEY (\"id\")\n)", kept)),
              std::string::npos)
        << kept << "\n" << sql;
    EXPECT_EQ(sql.find(fmt::format("ADD CONSTRAINT \"{}_pkey\"", kept)), std::string::npos)
        << kept;
  }
}

TEST_F(PostgresFidelity, ListShowsEveryObjectAndVerboseItsDdl) {
  const auto source = create_postgres_database("bru_shop_list");
  ASSERT_NO_FATAL_FAILURE(load_shop(source));
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  auto list = run_bru({"-LIST", "-FILE", archive_.string()});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  // One line per entry: section, kind and name in columns; compared with single spaces.
  std::string squeezed;
  for (char c : list.out) {
    if (c != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed += c;
  }
  list.out = squeezed;
  for (const char* expected :
       {"pre-data view shop.film_list", "materialized view reporting.revenue_by_month",
        "post-data materialized view data reporting.revenue_by_month",
        "data sequence value shop.invoice_no", "post-data acl TABLE shop.customer",
        "trigger film_last_update on shop.film", "policy cart_owner on rental.cart",
        "aggregate shop.sum_positive(numeric)", "domain shop.email", "sequence shop.film_id_seq",
        "extension citext", "schema reporting", "rule audit_log_no_delete on public.audit_log"}) {
    EXPECT_NE(list.out.find(expected), std::string::npos) << expected << "\n" << list.out;
  }
  EXPECT_EQ(list.out.find("CREATE VIEW"), std::string::npos);
  const auto verbose = run_bru({"-LIST", "-VERBOSE", "-FILE", archive_.string()});
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  EXPECT_NE(verbose.out.find("CREATE VIEW shop.film_list AS"), std::string::npos) << verbose.out;
  EXPECT_NE(verbose.out.find("CREATE UNLOGGED TABLE rental.cart"), std::string::npos);
}

// The public schema exists in every database, so pg_dump carries its comment only where it is
// not the default: the shop's own comment comes back (above), and so does a removed one.
TEST_F(PostgresFidelity, APublicSchemaWhoseCommentWasRemovedComesBackWithout) {
  const auto source = create_postgres_database("bru_public_comment_source");
  const auto target = create_postgres_database("bru_public_comment_target");
  Sql(source).exec("COMMENT ON SCHEMA public IS NULL; CREATE TABLE public.t (id integer)");
  const std::string comment = "SELECT coalesce(obj_description('public'::regnamespace), '-')";
  ASSERT_EQ(Sql(target).text(comment), "standard public schema");

  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(Sql(target).text(comment), "-");
  EXPECT_EQ(schema_dump(target), schema_dump(source));
}

// What pg_dump would carry and bru cannot yet is named at backup, one warning per object.
TEST_F(PostgresFidelity, ObjectsBruCannotCarryAreEachNamedAtBackup) {
  const auto source = create_postgres_database("bru_not_carried_source");
  Sql(source).exec(
      "CREATE TABLE t (id integer); CREATE PUBLICATION bru_pub FOR TABLE t; "
      "CREATE FUNCTION same(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE "
      "AS $$ SELECT a = b $$; "
      "CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = same)");
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  for (const char* expected :
       {"warning: publication \"bru_pub\" is not backed up: bru cannot carry publications yet",
        "warning: operator \"public.===\" is not backed up: bru cannot carry operators yet"}) {
    EXPECT_NE(backup.err.find(expected), std::string::npos) << backup.err;
  }
}

// A table made with INHERITS whose parent is left out of the backup (-EXCLUDE) cannot name it:
// it comes back as a table of its own with every column and its own rows, and the backup says so.
TEST_F(PostgresFidelity, AChildWhoseParentIsLeftOutComesBackWithEveryColumn) {
  const auto source = create_postgres_database("bru_orphan_child_source");
  const auto target = create_postgres_database("bru_orphan_child_target");
  Sql(source).exec(
      "CREATE TABLE parent (id integer NOT NULL, note text DEFAULT 'p'); "
      "CREATE TABLE child (extra integer) INHERITS (parent); "
      "INSERT INTO parent VALUES (1, 'in parent'); INSERT INTO child VALUES (2, 'in child', 3)");
  const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET",
                               "-EXCLUDE", "public.parent"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.err.find("warning: table \"public.child\" inherits from public.parent, which "
                            "is not in the backup: it is restored as a table of its own, with "
                            "every column"),
            std::string::npos)
      << backup.err;
  const auto restore = run_bru({"-RESTORE", "-DB", target, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Sql to(target);
  EXPECT_EQ(to.text("SELECT string_agg(attname || ':' || CASE WHEN attnotnull THEN 'not null' "
                    "ELSE 'null' END, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = "
                    "'child'::regclass AND attnum > 0"),
            "id:not null,note:null,extra:null");
  EXPECT_EQ(to.text("SELECT id || ' ' || note || ' ' || extra FROM child"), "2 in child 3");
  EXPECT_EQ(to.text("SELECT count(*) FROM pg_inherits"), "0");
}

// Item 7: into another engine, what it cannot hold is named per object before any change, and the
// restore refuses unless -SKIP-UNPORTABLE; then each object left out is named again.
TEST_F(PostgresFidelity, IntoSqliteTheUnportableObjectsAreNamedThenSkippedOnlyWhenAsked) {
  const auto source = create_postgres_database("bru_unportable_source");
  {
    Sql db(source);
    db.exec("CREATE TABLE film (film_id serial PRIMARY KEY, title text NOT NULL)");
    db.exec("INSERT INTO film (title) SELECT 'film ' || g FROM generate_series(1, 40) g");
    db.exec("CREATE VIEW film_titles AS SELECT title FROM film");
    db.exec("CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$");
    db.exec("CREATE TABLE rental (rented_on date NOT NULL, film_id integer) "
            "PARTITION BY RANGE (rented_on)");
    db.exec("CREATE TABLE rental_2025 PARTITION OF rental FOR VALUES FROM ('2025-01-01') TO "
            "('2026-01-01')");
    db.exec("CREATE TABLE rental_2026 PARTITION OF rental FOR VALUES FROM ('2026-01-01') TO "
            "('2027-01-01')");
    db.exec("INSERT INTO rental SELECT DATE '2025-06-01' + g, g % 40 + 1 "
            "FROM generate_series(0, 299) g");
    db.exec("COMMENT ON TABLE film IS 'every film'");
    db.exec("CREATE SEQUENCE ticket_numbers START 500");
    // pg_dump's form of a key: a sequence of its own, not owned, behind a nextval() default.
    db.exec("CREATE SEQUENCE actor_actor_id_seq");
    db.exec("CREATE TABLE actor (actor_id integer DEFAULT nextval('actor_actor_id_seq') NOT NULL "
            "PRIMARY KEY, name text)");
    db.exec("INSERT INTO actor (name) SELECT 'actor ' || g FROM generate_series(1, 25) g");
    db.exec("GRANT SELECT ON film TO bru_shop_clerk");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  const auto target = dir_ / "shop.sqlite";

  const auto refused = run_bru(
      {"-RESTORE", "-DB", "sqlite;" + target.string(), "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(refused.exit_code, 11) << refused.err;
  for (const auto* named : {"sqlite cannot hold ", "view public.film_titles",
                            "function public.shout(t text)", "partitioning of table public.rental",
                            "comment ", "sequence public.ticket_numbers",
                            "hint: nothing was changed", "-SKIP-UNPORTABLE"}) {
    EXPECT_NE(refused.err.find(named), std::string::npos) << named << "\n" << refused.err;
  }
  // The film's own sequence moves with its column, and so does the actor's sequence that only the
  // actor's key uses: neither is named among what cannot move.
  const auto error_line = refused.err.substr(refused.err.find("error: "));
  EXPECT_EQ(error_line.find("film_film_id_seq"), std::string::npos) << refused.err;
  EXPECT_EQ(error_line.find("actor_actor_id_seq"), std::string::npos) << refused.err;
  // Owners are no loss in SQLite; the grant is named.
  EXPECT_EQ(refused.err.find("owner "), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("warning: the archive's grants name postgres roles: they are not "
                             "restored into sqlite (acl "),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(target)) << "a refused restore creates no target";

  const auto strict = run_bru({"-RESTORE", "-DB", "sqlite;" + target.string(), "-FILE",
                               archive_.string(), "-SKIP-UNPORTABLE", "-STRICT"});
  EXPECT_EQ(strict.exit_code, 11) << strict.err;
  EXPECT_NE(strict.err.find("error: -STRICT: sqlite cannot hold "), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("acl "), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(target)) << "a refused restore creates no target";

  const auto skipped = run_bru({"-RESTORE", "-DB", "sqlite;" + target.string(), "-FILE",
                                archive_.string(), "-SKIP-UNPORTABLE"});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_NE(skipped.err.find("view public.film_titles is not restored"), std::string::npos)
      << skipped.err;
  EXPECT_NE(skipped.err.find("partitioning of table public.rental is not restored"),
            std::string::npos)
      << skipped.err;
  Sql restored("sqlite;" + target.string());
  EXPECT_EQ(restored.text("SELECT count(*) FROM film"), "40");
  // The actor's key is SQLite's rowid now: a new actor gets the next key.
  EXPECT_EQ(restored.text("SELECT count(*) FROM actor"), "25");
  restored.exec("INSERT INTO actor (name) VALUES ('new')");
  EXPECT_EQ(restored.text("SELECT actor_id FROM actor WHERE name = 'new'"), "26");
  EXPECT_EQ(restored.text("SELECT (SELECT count(*) FROM rental_2025) + "
                          "(SELECT count(*) FROM rental_2026)"),
            "300");
}

TEST_P(PostgresFidelityRestore, NoOwnerAndNoPrivilegesLeaveOwnersAndGrantsOut) {
  const auto source = database("bru_shop_noowner_source");
  const auto target = database("bru_shop_noowner_target");
  ASSERT_NO_FATAL_FAILURE(load_shop(source));
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  auto args = restore_args(target);
  args.insert(args.end(), {"-NO-OWNER", "-NO-PRIVILEGES"});
  const auto restore = run_bru(args);
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Sql to(target);
  EXPECT_EQ(to.text("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = "
                    "'reporting'"),
            "bru");
  EXPECT_EQ(to.text("SELECT relacl IS NULL FROM pg_class WHERE oid = 'shop.film_list'::regclass"),
            "1");
}

// Item 6: -CLEAN over a full copy drops exactly the archive's objects, never with CASCADE.
// Objects of the DBA's own that depend on them (a view on one of its tables, a table using one
// of its types) make it refuse before any change, naming each; without them the copy is
// replaced and is again what pg_dump saw in the source.
TEST_F(PostgresFidelity, CleanRefusesForeignDependentsThenReplacesExactly) {
  const auto source = create_postgres_database("bru_shop_clean_source");
  const auto target = create_postgres_database("bru_shop_clean_target");
  ASSERT_NO_FATAL_FAILURE(load_shop(source));
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  const auto copy = run_bru({"-RESTORE", "-DB", target, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  Sql to(target);
  to.exec("CREATE VIEW public.dba_films AS SELECT film_id, title FROM shop.film");
  to.exec("CREATE TABLE public.dba_ratings (rating shop.rating)");
  // The DBA's own parts of an archive table, which DROP TABLE would take along without a word.
  to.exec("CREATE INDEX dba_film_title ON shop.film (title)");
  to.exec("CREATE FUNCTION public.dba_noop() RETURNS trigger LANGUAGE plpgsql AS "
          "$$ BEGIN RETURN NEW; END $$");
  to.exec("CREATE TRIGGER dba_touch BEFORE UPDATE ON shop.film FOR EACH ROW EXECUTE FUNCTION "
          "public.dba_noop()");
  to.exec("ALTER TABLE shop.film ADD CONSTRAINT dba_positive CHECK (film_id > 0)");
  to.exec("INSERT INTO shop.category (name) VALUES ('changed after the copy')");
  const auto before = schema_dump(target);
  const auto rows_before = all_rows(to);

  const auto refused = run_bru(
      {"-RESTORE", "-CLEAN", "-DB", target, "-FILE", archive_.string(), "-QUIET"});
  EXPECT_EQ(refused.exit_code, 10) << refused.err;
  EXPECT_EQ(refused.err,
            "error: -CLEAN would have to drop 5 object(s) of " + pg_display(target) +
                " that are not in the archive: index shop.dba_film_title (depends on table "
                "shop.film), table constraint dba_positive on shop.film (depends on table "
                "shop.film), table public.dba_ratings (depends on type shop.rating), trigger "
                "dba_touch on shop.film (depends on table shop.film), view public.dba_films "
                "(depends on table shop.film)\n"
                "hint: nothing was changed: -CLEAN drops only the archive's own objects, never "
                "with CASCADE; drop or move those objects yourself first, or restore into an "
                "empty database\n");
  EXPECT_EQ(schema_dump(target), before);
  EXPECT_EQ(all_rows(to), rows_before);

  to.exec("DROP VIEW public.dba_films");
  to.exec("DROP TABLE public.dba_ratings");
  to.exec("DROP INDEX shop.dba_film_title");
  to.exec("DROP TRIGGER dba_touch ON shop.film");
  to.exec("DROP FUNCTION public.dba_noop()");
  to.exec("ALTER TABLE shop.film DROP CONSTRAINT dba_positive");
  const auto cleaned = run_bru(
      {"-RESTORE", "-CLEAN", "-DB", target, "-FILE", archive_.string(), "-QUIET"});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_EQ(schema_dump(target), schema_dump(source));
  Sql from(source);
  EXPECT_EQ(sequence_positions(to), sequence_positions(from));
  EXPECT_EQ(all_rows(to), all_rows(from));
}

// Item 5: a backup locks every table it reads ACCESS SHARE, as pg_dump does.
TEST_F(PostgresFidelity, ALockedTableMakesTheBackupWaitThenNameTheSession) {
  const auto source = create_postgres_database("bru_lock_blocked");
  odbc::Connection holder = odbc::Connection::open(odbc::parse_connection(source, {}), {});
  holder.execute("CREATE TABLE ledger (id integer PRIMARY KEY)");
  holder.set_autocommit(false);
  holder.execute("LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE");
  const auto backup = run_bru(
      {"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET", "-LOCKWAIT", "1"});
  EXPECT_EQ(backup.exit_code, 10);
  EXPECT_NE(backup.err.find("error: cannot lock table \"public.ledger\" for the backup within 1 "
                            "s: held by session "),
            std::string::npos)
      << backup.err;
  EXPECT_NE(backup.err.find("LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE\")"),
            std::string::npos)
      << backup.err;
  EXPECT_NE(backup.err.find("hint: wait until that session commits"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(archive_));
  holder.rollback();
}

TEST_F(PostgresFidelity, ATruncateDuringTheBackupWaitsAndTheArchiveHoldsTheRows) {
  const auto source = create_postgres_database("bru_lock_truncate");
  Sql db(source);
  db.exec("CREATE TABLE ledger (id integer PRIMARY KEY, note text);"
          "INSERT INTO ledger SELECT i, repeat('x', 40) FROM generate_series(1, 1000) i;"
          "CREATE TABLE zz_gate (id integer)");
  // The backup locks the tables in catalog order: it holds ledger's lock while it waits for
  // zz_gate's, which this session holds until the TRUNCATE has been tried.
  odbc::Connection gate = odbc::Connection::open(odbc::parse_connection(source, {}), {});
  gate.set_autocommit(false);
  gate.execute("LOCK TABLE zz_gate IN ACCESS EXCLUSIVE MODE");
  BruProcess backup({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"});
  const bool locked = wait_until(
      [&] {
        return db.text("SELECT count(*) FROM pg_locks WHERE relation = 'ledger'::regclass AND "
                       "mode = 'AccessShareLock' AND granted AND pid <> pg_backend_pid()") != "0";
      },
      30);
  ASSERT_TRUE(locked);
  db.exec("SET lock_timeout = '200ms'");
  EXPECT_THROW(db.exec("TRUNCATE ledger"), Error) << "the TRUNCATE must wait for the backup";
  gate.rollback();
  const auto done = backup.wait();
  ASSERT_EQ(done.exit_code, 0) << done.err;
  const auto list = run_bru({"-LIST", "-JSON", "-FILE", archive_.string()});
  EXPECT_NE(list.out.find("\"rows\": 1000"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace bru::test

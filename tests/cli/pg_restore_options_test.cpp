// Issue 7 item 6: the restore options a DBA expects from pg_restore. -SCHEMA-ONLY then
// -DATA-ONLY into an empty database gives what one full restore gives (pg_dump --schema-only,
// every sequence's position, every table's rows identical to the source); -DATA-ONLY refuses,
// before any change, tables whose shape is not the archive's; options that do not fit are
// errors, never ignored.
#include <regex>

#include <gtest/gtest.h>

#include "support/pg_shop.h"
#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using Sql = SqlSession;

class PgRestoreOptions : public ::testing::Test {
 protected:
  // The shop in a new source database, backed up into archive_.
  std::string back_up_shop(const std::string& name) {
    const auto source = create_postgres_database(name);
    load_shop(source);
    const auto backup = run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"});
    EXPECT_EQ(backup.exit_code, 0) << backup.err;
    return source;
  }

  RunResult restore(const std::string& target, std::vector<std::string> extra) {
    std::vector<std::string> args = {"-RESTORE", "-DB", target, "-FILE", archive_.string(),
                                     "-QUIET"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bru(args);
  }

  ScratchDir dir_;
  std::filesystem::path archive_ = dir_ / "shop.DB";
};

TEST_F(PgRestoreOptions, SchemaOnlyThenDataOnlyGivesTheSource) {
  const auto source = back_up_shop("bru_parts_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_parts_target");

  const auto schema_only = restore(target, {"-SCHEMA-ONLY"});
  ASSERT_EQ(schema_only.exit_code, 0) << schema_only.err;
  const auto source_schema = schema_dump(source);
  EXPECT_EQ(schema_dump(target), source_schema);
  Sql from(source);
  Sql to(target);
  // No rows anywhere, no materialized view populated, every sequence at its start.
  for (const auto& line : all_rows(to)) {
    EXPECT_EQ(line.rfind("-- ", 0), 0u) << "a row after -SCHEMA-ONLY: " << line;
  }
  EXPECT_EQ(to.text("SELECT count(*) FROM pg_matviews WHERE ispopulated"), "0");
  const auto started = sequence_positions(to);
  ASSERT_EQ(started.size(), sequence_positions(from).size());
  for (const auto& position : started) {
    EXPECT_EQ(position.substr(position.size() - 6), " false") << position;
  }
  EXPECT_EQ(to.text("SELECT last_value FROM shop.invoice_no"), "5000");

  const auto data_only = restore(target, {"-DATA-ONLY"});
  ASSERT_EQ(data_only.exit_code, 0) << data_only.err;
  EXPECT_EQ(schema_dump(target), source_schema);
  EXPECT_EQ(sequence_positions(to), sequence_positions(from));
  // all_rows holds audit_log, which the customer and rental triggers would have added to had
  // they fired during the load, and the refreshed materialized view.
  EXPECT_EQ(all_rows(to), all_rows(from));
  EXPECT_EQ(to.text("SELECT count(*) FROM reporting.revenue_by_month"),
            from.text("SELECT count(*) FROM reporting.revenue_by_month"));
  EXPECT_NE(to.text("SELECT count(*) FROM reporting.revenue_by_month"), "0");
  // The triggers are there and fire again after the load.
  const auto audited = to.text("SELECT count(*) FROM public.audit_log");
  to.exec("INSERT INTO shop.customer (email, full_name) VALUES ('new@example.com', 'New')");
  EXPECT_EQ(to.text("SELECT count(*) FROM public.audit_log"),
            std::to_string(std::stoi(audited) + 1));
  EXPECT_EQ(to.text("SELECT max(customer_id) FROM shop.customer"), "500");
}

TEST_F(PgRestoreOptions, DataOnlyRefusesAnotherShapeBeforeAnyChange) {
  back_up_shop("bru_parts_shape_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_parts_shape_target");
  ASSERT_EQ(restore(target, {"-SCHEMA-ONLY"}).exit_code, 0);
  Sql to(target);
  to.exec("ALTER TABLE rental.booking ALTER COLUMN booking_id TYPE bigint");
  to.exec("ALTER TABLE rental.cart ADD COLUMN note text");
  to.exec("ALTER TABLE rental.booking ALTER COLUMN film_id DROP NOT NULL");  // less strict: fine
  to.exec("INSERT INTO public.audit_log (table_name, action) VALUES ('by hand', 'INSERT')");
  const auto before = schema_dump(target);
  const auto rows_before = all_rows(to);
  const auto sequences_before = sequence_positions(to);

  const auto refused = restore(target, {"-DATA-ONLY"});
  EXPECT_EQ(refused.exit_code, 10) << refused.err;
  EXPECT_EQ(refused.err,
            "error: -DATA-ONLY: " + pg_display(target) +
                " cannot take the archive's rows: table \"public.audit_log\" already holds rows; "
                "table \"rental.cart\": its columns are (session_id, customer_id, items, note) in "
                "the target, (session_id, customer_id, items) in the archive; table "
                "\"rental.booking\": column booking_id is bigint in the target, integer in the "
                "archive\n"
                "hint: nothing was changed: -DATA-ONLY loads into empty tables of the archive's "
                "shape, as bru -RESTORE -SCHEMA-ONLY creates them; empty or alter those tables "
                "first, or restore in full into an empty database\n");
  EXPECT_EQ(schema_dump(target), before);
  EXPECT_EQ(all_rows(to), rows_before);
  EXPECT_EQ(sequence_positions(to), sequences_before);
}

TEST_F(PgRestoreOptions, DataOnlyNamesATableTheTargetLacksAndAStricterColumn) {
  const auto source = create_postgres_database("bru_parts_missing_source");
  {
    Sql db(source);
    db.exec("CREATE TABLE ledger (id integer PRIMARY KEY, note text)");
    db.exec("CREATE TABLE tags (tag text)");
    db.exec("INSERT INTO ledger VALUES (1, 'one'), (2, NULL)");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  const auto target = create_postgres_database("bru_parts_missing_target");
  Sql to(target);
  to.exec("CREATE TABLE ledger (id integer PRIMARY KEY, note text NOT NULL)");
  const auto refused = restore(target, {"-DATA-ONLY"});
  EXPECT_EQ(refused.exit_code, 10) << refused.err;
  EXPECT_NE(refused.err.find("cannot take the archive's rows: table \"public.ledger\": column "
                             "note is NOT NULL in the target, nullable in the archive; table "
                             "\"public.tags\" does not exist\n"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(to.text("SELECT count(*) FROM ledger"), "0");
}

TEST_F(PgRestoreOptions, OptionsThatDoNotFitAreRefused) {
  const auto sqlite_target = dir_ / "target.sqlite";
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"-RESTORE", "-DB", "sqlite;" + sqlite_target.string(), "-FILE", archive_.string(),
        "-SCHEMA-ONLY", "-DATA-ONLY"},
       "error: -SCHEMA-ONLY and -DATA-ONLY exclude each other\n"
       "hint: give neither for a full restore, or run the two restores one after the other: "
       "-SCHEMA-ONLY first, then -DATA-ONLY\n"},
      {{"-RESTORE", "-DB", "sqlite;" + sqlite_target.string(), "-FILE", archive_.string(),
        "-DATA-ONLY", "-CLEAN"},
       "error: -DATA-ONLY cannot be combined with -CLEAN\n"
       "hint: -DATA-ONLY loads into the tables the target already has and drops nothing; for a "
       "fresh copy use -CLEAN without -DATA-ONLY\n"},
      {{"-BACKUP", "-DB", "sqlite;" + sqlite_target.string(), "-FILE", archive_.string(),
        "-SCHEMA-ONLY"},
       "error: -SCHEMA-ONLY applies to -RESTORE only\n"
       "hint: a backup always holds every object and every row; choose the part at restore: bru "
       "-RESTORE -SCHEMA-ONLY, then bru -RESTORE -DATA-ONLY\n"},
      {{"-BACKUP", "-DB", "sqlite;" + sqlite_target.string(), "-FILE", archive_.string(),
        "-DATA-ONLY"},
       "error: -DATA-ONLY applies to -RESTORE only\n"
       "hint: a backup always holds every object and every row; choose the part at restore: bru "
       "-RESTORE -SCHEMA-ONLY, then bru -RESTORE -DATA-ONLY\n"},
      {{"-BACKUP", "-DB", "sqlite;" + sqlite_target.string(), "-FILE", archive_.string(),
        "-CLEAN"},
       "error: -CLEAN applies to -RESTORE only\n"
       "hint: it says how a restore treats its target; leave it out here\n"},
      {{"-LIST", "-FILE", archive_.string(), "-NO-OWNER"},
       "error: -NO-OWNER applies to -RESTORE only\n"
       "hint: it says how a restore treats its target; leave it out here\n"},
  };
  for (const auto& refused : cases) {
    const auto result = run_bru(refused.args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.err, refused.err);
  }
  EXPECT_FALSE(std::filesystem::exists(sqlite_target));
  EXPECT_FALSE(std::filesystem::exists(archive_));
}

// SQLite and MariaDB: -SCHEMA-ONLY creates the tables, keys and indexes without rows;
// -DATA-ONLY is refused, naming the engine, since neither can keep a table's triggers from
// firing during a load.
TEST_F(PgRestoreOptions, IntoSqliteAndMariadbSchemaOnlyWorksAndDataOnlyIsRefused) {
  const auto sample = dir_ / "shop.sqlite";
  {
    SqliteFile db(sample);
    db.exec("CREATE TABLE film (film_id INTEGER PRIMARY KEY, title TEXT NOT NULL);"
            "CREATE TABLE rental (rental_id INTEGER PRIMARY KEY, film_id INTEGER NOT NULL "
            "  REFERENCES film(film_id), rented_on TEXT);"
            "CREATE INDEX rental_film_idx ON rental (film_id);"
            "INSERT INTO film VALUES (1, 'one'), (2, 'two');"
            "INSERT INTO rental VALUES (10, 1, '2024-01-01'), (11, 2, '2024-01-02');");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + sample.string(), "-FILE", archive_.string(),
                     "-QUIET"})
                .exit_code,
            0);
  const auto target = dir_ / "schema.sqlite";
  const auto schema_only = restore("sqlite;" + target.string(), {"-SCHEMA-ONLY"});
  ASSERT_EQ(schema_only.exit_code, 0) << schema_only.err;
  {
    SqliteFile from(sample);
    SqliteFile to(target);
    const std::string objects =
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1, 2";
    EXPECT_EQ(to.rows(objects), from.rows(objects));
    EXPECT_EQ(to.scalar("SELECT (SELECT count(*) FROM film) + (SELECT count(*) FROM rental)"), 0);
  }

  const auto refused = restore("sqlite;" + target.string(), {"-DATA-ONLY"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_EQ(refused.err,
            "error: -DATA-ONLY is not supported into sqlite: bru cannot keep the target's "
            "triggers from firing while the rows load\n"
            "hint: nothing was changed: restore into sqlite without -DATA-ONLY (into a database "
            "without the tables, or with -CLEAN)\n");

  const auto maria_target = create_mariadb_database("bru_parts_schema");
  const auto maria_schema = restore(maria_target, {"-SCHEMA-ONLY"});
  ASSERT_EQ(maria_schema.exit_code, 0) << maria_schema.err;
  Sql maria(maria_target);
  const auto maria_tables = maria.rows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER "
      "BY 1");
  EXPECT_EQ(maria_tables, (std::vector<std::vector<std::string>>{{"film"}, {"rental"}}));
  EXPECT_EQ(maria.text("SELECT (SELECT count(*) FROM film) + (SELECT count(*) FROM rental)"), "0");
  EXPECT_EQ(maria.text("SELECT count(*) FROM information_schema.statistics WHERE table_schema = "
                       "DATABASE() AND index_name = 'rental_film_idx'"),
            "1");
  const auto maria_refused = restore(maria_target, {"-DATA-ONLY"});
  EXPECT_EQ(maria_refused.exit_code, 2) << maria_refused.err;
  EXPECT_NE(maria_refused.err.find("error: -DATA-ONLY is not supported into mariadb"),
            std::string::npos)
      << maria_refused.err;
}

// Across engines the shape is judged by the portable types: a SQLite archive restores into
// PostgreSQL in two parts as well, the identity then set past the rows.
TEST_F(PgRestoreOptions, ASqliteArchiveRestoresIntoPostgresInTwoParts) {
  const auto sample = dir_ / "shop.sqlite";
  {
    SqliteFile db(sample);
    db.exec("CREATE TABLE film (film_id INTEGER PRIMARY KEY, title TEXT NOT NULL, price "
            "NUMERIC(5,2), at TIMESTAMP);"
            "CREATE TABLE rental (id INTEGER PRIMARY KEY, film_id INTEGER REFERENCES "
            "  film(film_id));"
            "INSERT INTO film VALUES (1, 'a', 1.50, '2024-01-01 10:00:00'), (2, 'b', NULL, NULL);"
            "INSERT INTO rental VALUES (1, 1), (2, 2);");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", "sqlite;" + sample.string(), "-FILE", archive_.string(),
                     "-QUIET"})
                .exit_code,
            0);
  const auto target = create_postgres_database("bru_parts_from_sqlite");
  const auto schema_only = restore(target, {"-SCHEMA-ONLY"});
  ASSERT_EQ(schema_only.exit_code, 0) << schema_only.err;
  Sql to(target);
  EXPECT_EQ(to.text("SELECT count(*) FROM film"), "0");
  const auto data_only = restore(target, {"-DATA-ONLY"});
  ASSERT_EQ(data_only.exit_code, 0) << data_only.err;
  EXPECT_EQ(to.rows("SELECT film_id, title, price, at FROM film ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"1", "a", "1.50", "2024-01-01 10:00:00"},
                                                   {"2", "b", "NULL", "NULL"}}));
  EXPECT_EQ(to.text("SELECT count(*) FROM rental"), "2");
  to.exec("INSERT INTO film (title) VALUES ('c')");
  EXPECT_EQ(to.text("SELECT max(film_id) FROM film"), "3");
}

// -TABLES at restore: the selected tables come with what they need (the film's enum, domain and
// sequence, the extension the booking's exclusion constraint uses), their triggers, comments and
// grants; a foreign key to a table not selected is left out and named, and so is each view that
// needs a table left out.
TEST_F(PgRestoreOptions, TablesBringWhatTheyNeedAndNameTheForeignKeysLeftOut) {
  const auto source = back_up_shop("bru_subset_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_subset_target");
  const auto subset = restore(target, {"-TABLES", "rental.booking,shop.film"});
  ASSERT_EQ(subset.exit_code, 0) << subset.err;
  for (const char* named :
       {"warning: foreign key \"film_category_id_fkey\" of table \"shop.film\" is not restored: "
        "the table it references, \"shop.category\", is not restored (-TABLES/-EXCLUDE)\n",
        "warning: view shop.film_list is not restored: it needs table \"shop.category\", which is "
        "not restored (-TABLES/-EXCLUDE)\n",
        "warning: view shop.cheap_films is not restored: it needs view shop.film_list, which is "
        "not restored (-TABLES/-EXCLUDE)\n"}) {
    EXPECT_NE(subset.err.find(named), std::string::npos) << named << "\n" << subset.err;
  }
  EXPECT_EQ(subset.err.find("trigger customer_audit"), std::string::npos)
      << "the parts of a table not restored go with it unnamed\n" << subset.err;
  EXPECT_EQ(subset.err.find("booking_film_id_fkey"), std::string::npos) << subset.err;

  // -STRICT: what is left out is an error, before any change.
  const auto other = create_postgres_database("bru_subset_strict");
  const auto strict = restore(other, {"-TABLES", "rental.booking,shop.film", "-STRICT"});
  EXPECT_EQ(strict.exit_code, 11) << strict.err;
  EXPECT_EQ(strict.err.rfind("error: -STRICT: this restore leaves out 5 entries of the archive: "
                             "foreign key \"film_category_id_fkey\" of table \"shop.film\" is not "
                             "restored: ",
                             0),
            0u)
      << strict.err;
  EXPECT_NE(strict.err.find("\nhint: nothing was changed: add the tables they need to -TABLES"),
            std::string::npos)
      << strict.err;
  Sql untouched(other);
  EXPECT_EQ(untouched.text("SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'"), "0");

  Sql from(source);
  Sql to(target);
  const std::string tables =
      "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.oid::regclass::text) FROM "
      "pg_class c JOIN "
      "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm') AND "
      "n.nspname IN ('shop', 'rental', 'reporting', 'public')";
  // The materialized view that needs nothing comes along, as into a backup of these tables.
  EXPECT_EQ(to.text(tables), "rental.booking reporting.never_refreshed shop.film");
  for (const auto* table : {"shop.film", "rental.booking"}) {
    const auto rows = std::string("SELECT t::text FROM ") + table + " t ORDER BY 1";
    EXPECT_EQ(to.rows(rows), from.rows(rows)) << table;
  }
  // The booking is as in the source, its foreign key to the film included.
  EXPECT_EQ(schema_dump(target, {"rental.booking"}), schema_dump(source, {"rental.booking"}));
  // The film: every constraint but the key to the category, its trigger, comment and grant-free
  // ACL, and its sequence where the source left it.
  const std::string film_constraints =
      "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) "
      "FROM pg_constraint WHERE conrelid = 'shop.film'::regclass AND conname <> "
      "'film_category_id_fkey'";
  EXPECT_EQ(to.text(film_constraints), from.text(film_constraints));
  EXPECT_EQ(to.text("SELECT count(*) FROM pg_constraint WHERE conname = 'film_category_id_fkey'"),
            "0");
  EXPECT_EQ(to.text("SELECT string_agg(tgname, ' ') FROM pg_trigger WHERE tgrelid = "
                    "'shop.film'::regclass AND NOT tgisinternal"),
            "film_last_update");
  EXPECT_EQ(to.text("SELECT obj_description('shop.film'::regclass, 'pg_class')"),
            "films the shop rents out");
  EXPECT_EQ(to.text("SELECT last_value || ' ' || is_called FROM shop.film_id_seq"),
            from.text("SELECT last_value || ' ' || is_called FROM shop.film_id_seq"));
  EXPECT_EQ(to.text("SELECT string_agg(t.typname, ' ' ORDER BY 1) FROM pg_type t JOIN "
                    "pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'shop' AND "
                    "t.typname IN ('rating', 'year')"),
            "rating year");
  to.exec("INSERT INTO shop.film (title, release_year, rating) VALUES ('New', 2001, 'PG')");
  EXPECT_EQ(to.text("SELECT max(film_id) FROM shop.film"), "5010");
  EXPECT_THROW(to.exec("INSERT INTO rental.booking VALUES (9, 1, '[2024-01-01, 2024-01-02)')"),
               Error)
      << "the booking's key to the film is there";
}

// A serial's sequence goes with its table, unless a selected table's default needs it: then it
// comes (at the archive's position), without the column that owned it, and that is named.
TEST_F(PgRestoreOptions, TablesBringTheSequenceOfAnotherTablesSerialWhenTheirDefaultUsesIt) {
  const auto source = create_postgres_database("bru_subset_seq_source");
  {
    Sql db(source);
    db.exec("CREATE TABLE ticket (id serial PRIMARY KEY, note text)");
    db.exec("CREATE TABLE extra (id integer DEFAULT nextval('ticket_id_seq') PRIMARY KEY)");
    db.exec("CREATE TABLE unrelated (id serial PRIMARY KEY)");
    db.exec("INSERT INTO ticket (note) SELECT 'n' || g FROM generate_series(1, 7) g");
    db.exec("INSERT INTO extra DEFAULT VALUES");
    db.exec("INSERT INTO unrelated DEFAULT VALUES");
    db.exec("CREATE SEQUENCE standalone START 40");
    db.exec("SELECT setval('standalone', 77)");
  }
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive_.string(), "-QUIET"}).exit_code,
            0);
  const auto target = create_postgres_database("bru_subset_seq_target");
  const auto subset = restore(target, {"-TABLES", "extra"});
  ASSERT_EQ(subset.exit_code, 0) << subset.err;
  EXPECT_NE(subset.err.find("warning: sequence owner public.ticket_id_seq is not restored: it "
                            "needs table \"public.ticket\", which is not restored "
                            "(-TABLES/-EXCLUDE)\n"),
            std::string::npos)
      << subset.err;
  EXPECT_EQ(subset.err.find("unrelated"), std::string::npos) << subset.err;
  Sql to(target);
  EXPECT_EQ(to.text("SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE "
                    "relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')"),
            "extra standalone ticket_id_seq")
      << "a standalone sequence needs nothing left out: it comes, as into a backup of extra";
  EXPECT_EQ(to.text("SELECT last_value || ' ' || is_called FROM ticket_id_seq"), "8 true");
  to.exec("INSERT INTO extra DEFAULT VALUES");
  EXPECT_EQ(to.text("SELECT max(id) FROM extra"), "9");

  // -DATA-ONLY -TABLES into a full copy's schema sets only the sequences the table uses.
  const auto copy = create_postgres_database("bru_subset_seq_data");
  ASSERT_EQ(restore(copy, {"-SCHEMA-ONLY"}).exit_code, 0);
  const auto data_only = restore(copy, {"-DATA-ONLY", "-TABLES", "extra"});
  ASSERT_EQ(data_only.exit_code, 0) << data_only.err;
  Sql in_copy(copy);
  EXPECT_EQ(in_copy.text("SELECT count(*) FROM extra"), "1");
  EXPECT_EQ(in_copy.text("SELECT count(*) FROM ticket"), "0");
  EXPECT_EQ(in_copy.text("SELECT last_value || ' ' || is_called FROM ticket_id_seq"), "8 true");
  EXPECT_EQ(in_copy.text("SELECT last_value || ' ' || is_called FROM unrelated_id_seq"),
            "1 false");
  EXPECT_EQ(in_copy.text("SELECT last_value || ' ' || is_called FROM standalone"), "40 false");
}

// A partition cannot come without its partitioned table: refused before any change, naming
// both. A partitioned table brings its partitions (and -EXCLUDE of it leaves them out).
TEST_F(PgRestoreOptions, APartitionNeedsItsTableAndATableBringsItsPartitions) {
  const auto source = back_up_shop("bru_subset_part_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_subset_part_target");
  const auto refused = restore(target, {"-TABLES", "rental.rental_2025"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_EQ(refused.err,
            "error: table \"rental.rental_2025\" needs table \"rental.rental\", which "
            "-TABLES/-EXCLUDE leave out\n"
            "hint: nothing was changed: add rental.rental to -TABLES (or take it out of "
            "-EXCLUDE)\n");
  Sql to(target);
  const std::string relations =
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
      "n.nspname IN ('shop', 'rental', 'reporting', 'public')";
  EXPECT_EQ(to.text(relations), "0");

  const auto parted = restore(
      target, {"-TABLES", "rental.rental,shop.customer,shop.film,shop.staff,shop.category"});
  ASSERT_EQ(parted.exit_code, 0) << parted.err;
  EXPECT_NE(parted.err.find("warning: foreign key \"staff_store_id_fkey\" of table \"shop.staff\" "
                            "is not restored: the table it references, \"shop.store\", is not "
                            "restored (-TABLES/-EXCLUDE)\n"),
            std::string::npos)
      << parted.err;
  Sql from(source);
  EXPECT_EQ(to.text("SELECT count(*) FROM rental.rental"), "120");
  const std::string partitions =
      "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.oid::regclass::text) FROM "
      "pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind IN ('r', 'p') AND "
      "c.relname LIKE 'rental\\_%'";
  EXPECT_EQ(to.text(partitions), from.text(partitions));
  EXPECT_EQ(to.text(partitions),
            "rental.rental_2024 rental.rental_2024_h1 rental.rental_2024_other rental.rental_2025 "
            "rental.rental_old");
  EXPECT_EQ(schema_dump(target, {"rental.rental*"}), schema_dump(source, {"rental.rental*"}));

  const auto other = create_postgres_database("bru_subset_part_excluded");
  const auto excluded = restore(other, {"-EXCLUDE", "rental.rental"});
  ASSERT_EQ(excluded.exit_code, 0) << excluded.err;
  EXPECT_NE(excluded.err.find("warning: view reporting.customer_rentals is not restored: it needs "
                              "table \"rental.rental\", which is not restored (-TABLES/-EXCLUDE)"),
            std::string::npos)
      << excluded.err;
  Sql rest(other);
  EXPECT_EQ(rest.text("SELECT count(*) FROM pg_class WHERE relname LIKE 'rental\\_2%' OR relname "
                      "= 'rental_old'"),
            "0");
  EXPECT_EQ(rest.text("SELECT count(*) FROM rental.payment"), "60");
}

// What pg_dump of the source shows with schemas shop and rental named store and rentals: the
// qualified names, the schemas' own entries and the dump's "Schema:" headers.
std::string renamed(std::string text) {
  for (const auto& [pattern, replacement] :
       std::vector<std::pair<std::string, std::string>>{
           {R"(\bshop\.)", "store."},
           {R"(\brental\.)", "rentals."},
           {R"(SCHEMA shop\b)", "SCHEMA store"},
           {R"(SCHEMA rental\b)", "SCHEMA rentals"},
           {R"(Schema: shop;)", "Schema: store;"},
           {R"(Schema: rental;)", "Schema: rentals;"},
           {R"(Name: shop; Type: SCHEMA)", "Name: store; Type: SCHEMA"},
           {R"(Name: rental; Type: SCHEMA)", "Name: rentals; Type: SCHEMA"}}) {
    text = std::regex_replace(text, std::regex(pattern), replacement);
  }
  return text;
}

std::vector<std::string> renamed(std::vector<std::string> lines) {
  for (auto& line : lines) line = renamed(line);
  return lines;
}

// -REMAP-SCHEMA: the shop restored with two of its schemas renamed is the source as pg_dump sees
// it with the names changed (function bodies included: the invoice sequence the invoice function
// reads), rows and sequence positions the same.
TEST_F(PgRestoreOptions, RemapSchemaRestoresUnderTheNewNames) {
  const auto source = back_up_shop("bru_remap_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_remap_target");
  const auto remapped = restore(target, {"-REMAP-SCHEMA", "shop:store,rental:rentals"});
  ASSERT_EQ(remapped.exit_code, 0) << remapped.err;
  const auto expected = renamed(schema_dump(source));
  EXPECT_NE(expected.find("CREATE SCHEMA store;"), std::string::npos);
  EXPECT_NE(expected.find("nextval('store.invoice_no'"), std::string::npos);
  EXPECT_EQ(schema_dump(target), expected);
  Sql from(source);
  Sql to(target);
  EXPECT_EQ(sequence_positions(to), renamed(sequence_positions(from)));
  EXPECT_EQ(all_rows(to), renamed(all_rows(from)));
  EXPECT_EQ(to.text("SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'rental')"), "0");
  EXPECT_EQ(to.text("SELECT left(store.next_invoice(), 4)"), "INV-");

  // A schema without an entry of its own (public) is created; a quoted new name stays quoted.
  const auto other = create_postgres_database("bru_remap_public");
  const auto moved = restore(other, {"-REMAP-SCHEMA", "public:Audit"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  Sql audit(other);
  EXPECT_EQ(audit.text("SELECT count(*) FROM \"Audit\".audit_log"),
            from.text("SELECT count(*) FROM public.audit_log"));
  EXPECT_NE(audit.text("SELECT prosrc FROM pg_proc WHERE proname = 'log_change'")
                .find("INSERT INTO \"Audit\".audit_log"),
            std::string::npos);
}

TEST_F(PgRestoreOptions, RemapSchemaAndSchemaThatDoNotFitAreRefused) {
  back_up_shop("bru_remap_refused_source");
  ASSERT_FALSE(HasFailure());
  const auto target = create_postgres_database("bru_remap_refused_target");
  const auto unknown = restore(target, {"-REMAP-SCHEMA", "sales:shop"});
  EXPECT_EQ(unknown.exit_code, 13) << unknown.err;
  EXPECT_EQ(unknown.err, "error: schema \"sales\" (-REMAP-SCHEMA) is not in what this restore "
                         "takes from archive \"" + archive_.string() + "\"\n"
                         "hint: nothing was changed: bru -LIST -FILE " + archive_.string() +
                         " lists the archive's tables and objects with their schemas\n");
  struct Case {
    std::vector<std::string> extra;
    std::string err;
  };
  for (const auto& refused : std::vector<Case>{
           {{"-REMAP-SCHEMA", "shop"},
            "error: -REMAP-SCHEMA \"shop\" is not old:new\n"
            "hint: e.g. -REMAP-SCHEMA shop:shop_copy restores schema shop as shop_copy\n"},
           {{"-REMAP-SCHEMA", "shop:a,shop:b"},
            "error: -REMAP-SCHEMA names schema \"shop\" twice\n"
            "hint: give each schema of the archive one new name\n"},
           {{"-SCHEMA", "shop"},
            "error: -SCHEMA applies to -BACKUP only\n"
            "hint: to restore into another schema use -REMAP-SCHEMA old:new; to restore some "
            "tables, -TABLES schema.table\n"}}) {
    const auto result = restore(target, refused.extra);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.err, refused.err);
  }
  const auto backup = run_bru({"-BACKUP", "-DB", target, "-FILE", (dir_ / "x.DB").string(),
                               "-REMAP-SCHEMA", "shop:store"});
  EXPECT_EQ(backup.exit_code, 2) << backup.err;
  EXPECT_EQ(backup.err, "error: -REMAP-SCHEMA applies to -RESTORE only\n"
                        "hint: a backup keeps each schema's name; choose the target schema at "
                        "restore\n");
  Sql to(target);
  EXPECT_EQ(to.text("SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'rental')"), "0");
}

}  // namespace
}  // namespace bru::test

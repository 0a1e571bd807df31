// Issue 7 item 6: the restore options a DBA expects from pg_restore. -SCHEMA-ONLY then
// -DATA-ONLY into an empty database gives what one full restore gives (pg_dump --schema-only,
// every sequence's position, every table's rows identical to the source); -DATA-ONLY refuses,
// before any change, tables whose shape is not the archive's; options that do not fit are
// errors, never ignored.
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
            "error: -DATA-ONLY: postgres://bru@127.0.0.1:" + env("BRU_TEST_PG_PORT").value_or("") +
                "/" + database_of(target) +
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

}  // namespace
}  // namespace bru::test

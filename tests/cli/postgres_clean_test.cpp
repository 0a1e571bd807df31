// -RESTORE -CLEAN into PostgreSQL of an archive without schema objects (another engine's, or a
// format 1-3 one) never cascades either (issue 7 item 6): a view of the DBA's own on one of its
// tables makes the restore refuse, naming it, before any change.
#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

TEST(PostgresClean, ASqliteArchiveCleanedIntoPostgresNeverCascades) {
  ScratchDir dir;
  const std::string source = "sqlite;" + (dir / "shop.sqlite").string();
  {
    SqlSession db(source);
    db.exec("CREATE TABLE film (film_id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
    db.exec("INSERT INTO film (film_id, title) VALUES (1, 'Alien'), (2, 'Brazil')");
  }
  const auto archive = (dir / "shop.db").string();
  ASSERT_EQ(run_bru({"-BACKUP", "-DB", source, "-FILE", archive, "-QUIET"}).exit_code, 0);
  const auto target = fresh_database("postgres", "clean_", dir, "");
  ASSERT_EQ(run_bru({"-RESTORE", "-DB", target, "-FILE", archive, "-QUIET"}).exit_code, 0);
  SqlSession to(target);
  to.exec("CREATE VIEW dba_titles AS SELECT title FROM film");
  to.exec("INSERT INTO film (film_id, title) VALUES (3, 'Casablanca')");

  const auto refused = run_bru({"-RESTORE", "-CLEAN", "-DB", target, "-FILE", archive, "-QUIET"});
  EXPECT_EQ(refused.exit_code, 10) << refused.err;
  EXPECT_NE(refused.err.find("that are not in the archive: view public.dba_titles (depends on "
                             "table public.film)\nhint: nothing was changed"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(to.text("SELECT count(*) FROM dba_titles"), "3");

  to.exec("DROP VIEW dba_titles");
  const auto cleaned = run_bru({"-RESTORE", "-CLEAN", "-DB", target, "-FILE", archive, "-QUIET"});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_EQ(to.text("SELECT string_agg(title, ',' ORDER BY film_id) FROM film"), "Alien,Brazil");
}

}  // namespace
}  // namespace bru::test

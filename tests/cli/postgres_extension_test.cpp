// A PostgreSQL restore whose archive creates an extension the target server does not have is
// refused before any change, naming it (issue 7 item 1), instead of failing part way with the
// server's "could not open extension control file". The archive is written with bru's own
// ArchiveWriter: no server here lacks an extension that another has.
#include <gtest/gtest.h>

#include "formats/archive.h"
#include "support/pg_shop.h"
#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

schema::SchemaObject entry(const std::string& kind, const std::string& name,
                           const std::string& statement) {
  schema::SchemaObject object;
  object.kind = kind;
  object.name = name;
  object.section = "pre-data";
  object.statements = {statement};
  return object;
}

// An archive of the shop schema and the extensions named, written as a backup would.
void write_archive(const std::filesystem::path& path, const std::vector<std::string>& extensions) {
  auto writer = archive::ArchiveWriter::create(path, {});
  writer->set_meta("source_dialect", "postgres");
  writer->add_object(entry("schema", "shop", "CREATE SCHEMA shop"));
  for (const auto& name : extensions) {
    writer->add_object(
        entry("extension", name, "CREATE EXTENSION IF NOT EXISTS " + name + " WITH SCHEMA shop"));
  }
  writer->finish();
}

TEST(PostgresExtensions, AnExtensionTheTargetLacksIsRefusedBeforeAnyChange) {
  ScratchDir dir;
  const auto archive = dir / "ext.db";
  write_archive(archive, {"citext", "bru_no_such_extension"});
  const auto target = fresh_database("postgres", "ext_", dir, "");
  const auto run = run_bru({"-RESTORE", "-FILE", archive.string(), "-DB", target});
  EXPECT_EQ(run.exit_code, 13) << run.err;
  EXPECT_EQ(run.err, "error: the archive needs extensions that the server of " +
                         pg_display(target) + " does not have: bru_no_such_extension\n"
                         "hint: nothing was changed: install the packages that provide them on "
                         "the database server (Debian: postgresql-contrib, or "
                         "postgresql-<major>-<extension>), then restore again; "
                         "pg_available_extensions lists what it has\n");
  SqlSession session(target);
  EXPECT_EQ(session.text("SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'shop'"), "0");
  EXPECT_EQ(session.text("SELECT COUNT(*) FROM pg_extension WHERE extname = 'citext'"), "0");

  // Without the missing one the same archive restores: the check names only what is missing.
  const auto fine = dir / "fine.db";
  write_archive(fine, {"citext"});
  const auto restored = run_bru({"-RESTORE", "-FILE", fine.string(), "-DB", target, "-QUIET"});
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(session.text("SELECT COUNT(*) FROM pg_extension WHERE extname = 'citext'"), "1");
}

}  // namespace
}  // namespace bru::test

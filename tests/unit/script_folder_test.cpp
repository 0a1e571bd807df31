// Folders of V<version>__<description>.sql files and reading script files (schema/script/script.h).
#include <fstream>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "schema/script/script.h"
#include "splitter_test_helpers.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using update::load_script;
using update::Script;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(ScriptFolder, VersionedFilesLoadInNumericOrder) {
  const auto folder = source_path("tests/unit/testdata/script/flyway");
  const Script script = load_script(folder, "sqlite", {{"schema", "main"}});
  EXPECT_EQ(script.source, folder.string());
  EXPECT_EQ(script.dialect, "sqlite");
  // V10 after V2.0.1 (numbers, not text), README.md and the notes/ sub-folder ignored.
  ASSERT_EQ(script.sections.size(), 4U);
  std::vector<std::string> seen;
  for (const auto& section : script.sections) {
    seen.push_back(section.version.text() + " " + section.description + " " +
                   std::filesystem::path(section.file).filename().string());
    EXPECT_EQ(section.line, 1);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1 create tables V1__create_tables.sql",
                                            "1.1 add task index V1_1__add_task_index.sql",
                                            "2.0.1 seed data V2.0.1__seed_data.sql",
                                            "10 drop log V10__drop_log.sql"}));
  const auto& first = script.sections[0];
  ASSERT_EQ(first.statements.size(), 2U);
  EXPECT_EQ(first.statements[0].line, 2);
  EXPECT_EQ(first.statements[0].file, (folder / "V1__create_tables.sql").string());
  EXPECT_EQ(first.statements[1].text, "CREATE TABLE task_log (task_id INTEGER, note TEXT)");
  const auto& seed = script.sections[2];
  ASSERT_EQ(seed.statements.size(), 2U);
  EXPECT_EQ(seed.statements[0].text, "INSERT INTO main.task VALUES (1, 'first; of main')");
  EXPECT_EQ(seed.statements[1].text, "INSERT INTO task_log VALUES (1, '${not_a_placeholder}')");
  EXPECT_EQ(script.sections[3].statements[0].line, 2);
  EXPECT_EQ(script.sections[3].checksum, update::section_checksum("DROP TABLE task_log;"));
}

TEST(ScriptFolder, OtherSqlFileNamesAreErrors) {
  for (const char* name :
       {"R__.sql", "V1_add.sql", "v1__lower.sql", "V__no_version.sql", "V1.x__bad.sql",
        "U1_undo.sql", "r__views.sql", "V1__x.SQL.sql.bak.sql"}) {
    SCOPED_TRACE(name);
    ScratchDir scratch;
    write(scratch / "V1__ok.sql", "SELECT 1;\n");
    write(scratch / name, "SELECT 2;\n");
    if (std::string(name) == "V1__x.SQL.sql.bak.sql") {
      // Dots in the description are fine: this one is a valid name (and a duplicate version).
      expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
                   fmt::format("{} and {} have the same version 1", (scratch / "V1__ok.sql").string(),
                               (scratch / name).string()),
                   {"give each file its own version (1.2 and 1.2.0 are the same version)"});
      continue;
    }
    expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
                 (scratch / name).string() + ": not a versioned script name",
                 {"name each file V<version>__<description>.sql, e.g. "
                  "V8.5.200__add_task_sequences.sql (U<version>__<description>.sql undoes a "
                  "version, R__<name>.sql is repeatable)"});
  }
}

TEST(ScriptFolder, EqualVersionsInTwoFilesAreAnError) {
  ScratchDir scratch;
  write(scratch / "V1.2__a.sql", "SELECT 1;\n");
  write(scratch / "V1_2_0__b.sql", "SELECT 2;\n");
  const Error error = error_from([&] { load_script(scratch.path(), "postgres", {}); });
  EXPECT_EQ(error.kind(), ErrorKind::kScript);
  // Directory order decides which file is named first; both are named.
  EXPECT_NE(error.message().find((scratch / "V1.2__a.sql").string()), std::string::npos);
  EXPECT_NE(error.message().find((scratch / "V1_2_0__b.sql").string()), std::string::npos);
  EXPECT_TRUE(error.message().ends_with(" have the same version 1.2")) << error.message();
}

TEST(ScriptFolder, EmptyFolderIsAnError) {
  ScratchDir scratch;
  write(scratch / "notes.txt", "nothing here\n");
  expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
               scratch.path().string() + ": no V<version>__<description>.sql files",
               {"give -SCRIPT a script file, or a folder of V<version>__<description>.sql files"});
}

TEST(ScriptFolder, MarkersInsideAVersionedFileAreAnError) {
  ScratchDir scratch;
  write(scratch / "V1__a.sql", "SELECT 1;\n-- bru:version 2\nSELECT 2;\n");
  expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
               (scratch / "V1__a.sql").string() + ":2: -- bru:version in a script folder's file",
               {"in a folder the file name gives the version and description (only -- "
                "bru:transaction off may stand, on the first line): remove the line, or use one "
                "script file of sections instead of the folder"});
}

// Issue 10: R__<name>.sql files are repeatable sections (by name), U<version>__ files undo
// sections, and a first line -- bru:transaction off runs a file statement by statement.
TEST(ScriptFolder, RepeatableUndoAndTransactionOffFiles) {
  ScratchDir scratch;
  write(scratch / "V1__tables.sql", "CREATE TABLE a (id int);\n");
  write(scratch / "V2__index.sql",
        "-- bru:transaction off\r\nCREATE INDEX CONCURRENTLY a_id ON a (id);\r\n");
  write(scratch / "U2__drop_index.sql", "DROP INDEX a_id;\n");
  write(scratch / "R__b_views.sql", "CREATE OR REPLACE VIEW vb AS SELECT 1;\n");
  write(scratch / "R__a_views.sql", "CREATE OR REPLACE VIEW va AS SELECT 1;\n");
  const Script script = load_script(scratch.path(), "postgres", {});
  ASSERT_EQ(script.sections.size(), 2U);
  EXPECT_TRUE(script.sections[0].transactional);
  EXPECT_FALSE(script.sections[1].transactional);
  EXPECT_EQ(script.sections[1].statements[0].line, 2);
  EXPECT_EQ(script.sections[1].checksum,
            update::section_checksum("CREATE INDEX CONCURRENTLY a_id ON a (id);"));
  ASSERT_EQ(script.undos.size(), 1U);
  EXPECT_EQ(script.undos[0].kind, update::SectionKind::kUndo);
  EXPECT_EQ(script.undos[0].label(), "undo of version 2");
  EXPECT_EQ(script.undos[0].description, "drop index");
  EXPECT_EQ(script.find_undo(*update::Version::parse("2")), &script.undos[0]);
  EXPECT_EQ(script.find_undo(*update::Version::parse("1")), nullptr);
  ASSERT_EQ(script.repeatables.size(), 2U);
  EXPECT_EQ(script.repeatables[0].name, "a views");
  EXPECT_EQ(script.repeatables[1].label(), "repeatable b views");

  write(scratch / "U3__orphan.sql", "SELECT 1;\n");
  expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
               (scratch / "U3__orphan.sql").string() +
                   ":1: undo of version 3, which the script has no section for",
               {"an undo section names the version it takes back: check the version after "
                "-- bru:undo"});
}

TEST(ScriptFolder, SplitterErrorsNameTheFileAndLine) {
  ScratchDir scratch;
  write(scratch / "V1__a.sql", "SELECT 1;\r\n\r\nSELECT 'x;\r\n");
  expect_error([&] { load_script(scratch.path(), "postgres", {}); }, ErrorKind::kScript,
               (scratch / "V1__a.sql").string() + ":3: unterminated string literal starting here",
               {"close it with ' (a quote inside it is written '')"});
}

TEST(ScriptFolder, MissingScriptIsNotFound) {
  ScratchDir scratch;
  expect_error([&] { load_script(scratch / "nope.sql", "postgres", {}); }, ErrorKind::kNotFound,
               "script \"" + (scratch / "nope.sql").string() + "\" does not exist",
               {"check the -SCRIPT path"});
}

TEST(ScriptFolder, ScriptFileIsReadAsSections) {
  ScratchDir scratch;
  write(scratch / "wfm.sql", "-- bru:version 1\nSELECT 1\nGO\n");
  const Script script = load_script(scratch / "wfm.sql", "mssql", {});
  ASSERT_EQ(script.sections.size(), 1U);
  EXPECT_EQ(script.sections[0].file, (scratch / "wfm.sql").string());
  EXPECT_EQ(script.sections[0].statements[0].text, "SELECT 1");
}

}  // namespace
}  // namespace bru::test

// Versioned sections, placeholders and checksums of a script file (schema/script/script.h).
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include <fmt/format.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "schema/script/script.h"
#include "splitter_test_helpers.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

using update::Defines;
using update::parse_script;
using update::Script;
using update::Section;
using update::section_checksum;
using update::Version;

std::vector<std::string> texts_of(const Section& section) {
  std::vector<std::string> out;
  for (const auto& statement : section.statements) out.push_back(statement.text);
  return out;
}

Version v(std::string_view text) { return Version::parse(text).value(); }

TEST(ScriptModel, SectionsWithVersionsDescriptionsAndStatements) {
  const Script script = parse_script(
      "-- header comment\n\n-- bru:version 8.5.9\n-- bru:description create tables\n"
      "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n"
      "  --   bru:version   8.5.10  \nINSERT INTO a VALUES (1);\n",
      "wfm.sql", "postgres", {});
  EXPECT_EQ(script.source, "wfm.sql");
  EXPECT_EQ(script.dialect, "postgres");
  ASSERT_EQ(script.sections.size(), 2U);
  const Section& first = script.sections[0];
  EXPECT_EQ(first.version.text(), "8.5.9");
  EXPECT_EQ(first.description, "create tables");
  EXPECT_EQ(first.file, "wfm.sql");
  EXPECT_EQ(first.line, 3);
  EXPECT_EQ(texts_of(first), (std::vector<std::string>{"CREATE TABLE a (x int)", "CREATE TABLE b (y int)"}));
  EXPECT_EQ(first.statements[0].line, 5);
  EXPECT_EQ(first.statements[1].line, 6);
  EXPECT_EQ(first.statements[0].file, "wfm.sql");
  const Section& second = script.sections[1];
  EXPECT_EQ(second.version.text(), "8.5.10");
  EXPECT_EQ(second.description, "");
  EXPECT_EQ(second.line, 7);
  EXPECT_EQ(texts_of(second), (std::vector<std::string>{"INSERT INTO a VALUES (1)"}));
  EXPECT_EQ(second.statements[0].line, 8);
  EXPECT_EQ(first.checksum.size(), 16U);
  EXPECT_NE(first.checksum, second.checksum);
}

TEST(ScriptModel, MarkersAreCaseInsensitiveAndSectionsMayBeEmpty) {
  const Script script =
      parse_script("-- BRU:Version 1\n-- Bru:Description nothing yet\n-- bru:version 2\nSELECT 1;",
                   "s.sql", "sqlite", {});
  ASSERT_EQ(script.sections.size(), 2U);
  EXPECT_TRUE(script.sections[0].statements.empty());
  EXPECT_EQ(script.sections[0].description, "nothing yet");
  EXPECT_EQ(texts_of(script.sections[1]), (std::vector<std::string>{"SELECT 1"}));
}

TEST(ScriptModel, AMarkerEndsTheStatementOrBatchBeforeIt) {
  const std::string text =
      "-- bru:version 1\nCREATE TABLE a (x int)\n-- bru:version 2\nCREATE TABLE b (y int)\n";
  for (const char* dialect : {"postgres", "mssql", "oracle", "sqlite", "mariadb"}) {
    SCOPED_TRACE(dialect);
    const Script script = parse_script(text, "s.sql", dialect, {});
    ASSERT_EQ(script.sections.size(), 2U);
    EXPECT_EQ(texts_of(script.sections[0]), (std::vector<std::string>{"CREATE TABLE a (x int)"}));
    EXPECT_EQ(texts_of(script.sections[1]), (std::vector<std::string>{"CREATE TABLE b (y int)"}));
  }
  // Also an Oracle PL/SQL unit without its `/` line.
  const Script oracle = parse_script("-- bru:version 1\nBEGIN\n  NULL;\nEND;\n-- bru:version 2\n"
                                     "SELECT 1 FROM dual;",
                                     "s.sql", "oracle", {});
  EXPECT_EQ(texts_of(oracle.sections[0]), (std::vector<std::string>{"BEGIN\n  NULL;\nEND;"}));
}

TEST(ScriptModel, AMarkerEndsAnUnterminatedStringWhichIsThenAnError) {
  expect_error(
      [] {
        parse_script("-- bru:version 1\nSELECT 'oops;\n-- bru:version 2\nSELECT '';\n", "s.sql",
                     "postgres", {});
      },
      ErrorKind::kScript, "s.sql:2: unterminated string literal starting here",
      {"close it with ' (a quote inside it is written '')"});
}

TEST(ScriptModel, ANulByteIsAnErrorNamingTheLine) {
  expect_error(
      [] {
        parse_script(std::string("-- bru:version 1\nSELECT 1;\nSELECT 'a\0b';\n", 41), "s.sql",
                     "postgres", {});
      },
      ErrorKind::kScript, "s.sql:3: the line holds a NUL byte",
      {"a script is text; remove the NUL byte (is the file UTF-16 or binary?)"});
}

TEST(ScriptModel, MariadbDelimiterDoesNotCarryOverAMarker) {
  const Script script = parse_script(
      "-- bru:version 1\nDELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\n"
      "-- bru:version 2\nSELECT 2;\nSELECT 3;",
      "s.sql", "mariadb", {});
  EXPECT_EQ(texts_of(script.sections[0]),
            (std::vector<std::string>{"CREATE PROCEDURE p() BEGIN SELECT 1; END"}));
  EXPECT_EQ(texts_of(script.sections[1]), (std::vector<std::string>{"SELECT 2", "SELECT 3"}));
}

TEST(ScriptModel, VersionsMustIncrease) {
  expect_error([] { parse_script("-- bru:version 8.5.10\nSELECT 1;\n-- bru:version 8.5.9\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:3: version 8.5.9 is lower than 8.5.10 (the section at line 1)",
               {"sections run in file order: give each a higher version than the one before "
                "(versions compare number by number: 8.5.10 > 8.5.9)"});
}

TEST(ScriptModel, VersionsMustNotRepeat) {
  expect_error([] { parse_script("-- bru:version 1.2\n-- bru:version 1.2.0\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: version 1.2.0 repeats the version of the section at line 1",
               {"give each section its own, higher version (1.2 and 1.2.0 are the same)"});
}

TEST(ScriptModel, BadOrMissingVersionInAMarker) {
  expect_error([] { parse_script("-- bru:version 8.x\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript,
               "s.sql:1: bad version \"8.x\" in -- bru:version: 'x' is not a digit or a dot",
               {"versions are dotted numbers, e.g. -- bru:version 8.5.200"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:version\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: bad version \"\" in -- bru:version: it is empty",
               {"versions are dotted numbers, e.g. -- bru:version 8.5.200"});
}

TEST(ScriptModel, StatementsBeforeTheFirstMarkerAreAnError) {
  expect_error([] { parse_script("-- fine\n/* fine */\n\nDROP TABLE t;\n-- bru:version 1\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:4: statement before the first -- bru:version marker",
               {"put a -- bru:version <version> line above it: every statement belongs to a "
                "versioned section"});
}

TEST(ScriptModel, AScriptWithoutMarkersIsAnError) {
  expect_error([] { parse_script("SELECT 1;\n", "s.sql", "postgres", {}); }, ErrorKind::kScript,
               "s.sql: no -- bru:version marker",
               {"start each section with a line -- bru:version <version>, e.g. -- bru:version 8.5.200"});
  expect_error([] { parse_script("", "s.sql", "postgres", {}); }, ErrorKind::kScript,
               "s.sql: no -- bru:version marker",
               {"start each section with a line -- bru:version <version>, e.g. -- bru:version 8.5.200"});
}

TEST(ScriptModel, UnknownDirectivesAreErrorsButPlainCommentsAreNot) {
  expect_error([] { parse_script("-- bru:version 1\n-- bru:verison 2\nSELECT 1;\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: unknown directive -- bru:verison",
               {"bru knows -- bru:version <version>, -- bru:undo <version>, -- bru:repeatable "
                "<name>, -- bru:description <text> and -- bru:transaction off"});
  const Script script =
      parse_script("-- bru: notes for humans\n-- bru:version 1\n-- about bru:version markers\n",
                   "s.sql", "postgres", {});
  EXPECT_EQ(script.sections.size(), 1U);
}

TEST(ScriptModel, DescriptionMustFollowItsVersionMarker) {
  expect_error([] { parse_script("-- bru:version 1\nSELECT 1;\n-- bru:description late\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:3: -- bru:description must come right after a -- bru:version line",
               {"move it to the line after its section's -- bru:version, -- bru:undo or -- "
                "bru:repeatable marker"});
  expect_error([] { parse_script("-- bru:description first\n-- bru:version 1\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript, "s.sql:1: -- bru:description must come right after a -- bru:version line",
               {"move it to the line after its section's -- bru:version, -- bru:undo or -- "
                "bru:repeatable marker"});
}

TEST(ScriptModel, UnknownDialectIsAUsageError) {
  expect_error([] { parse_script("-- bru:version 1\n", "s.sql", "db2", {}); }, ErrorKind::kUsage,
               "unknown dialect \"db2\"",
               {"known dialects: postgres, mssql, oracle, sqlite, mariadb"});
}

TEST(ScriptModel, PlaceholdersAreReplacedInStatementsAfterSplitting) {
  const Defines defines{{"schema", "wfm"}, {"user", "app; DROP TABLE x"}, {"n.b-1", "7"}};
  const Script script = parse_script(
      "-- bru:version 1\nCREATE TABLE {{schema}}.t (x int DEFAULT {{ n.b-1 }});\n"
      "COMMENT ON TABLE {{schema}}.t IS 'owned by {{user}}';\n"
      "CREATE FUNCTION f() RETURNS text AS $$ SELECT '${keep}' || '{{1,2}}' || '{{schema' $$ "
      "LANGUAGE sql;\n",
      "s.sql", "postgres", defines);
  EXPECT_EQ(texts_of(script.sections[0]),
            (std::vector<std::string>{
                "CREATE TABLE wfm.t (x int DEFAULT 7)",
                "COMMENT ON TABLE wfm.t IS 'owned by app; DROP TABLE x'",
                "CREATE FUNCTION f() RETURNS text AS $$ SELECT '${keep}' || '{{1,2}}' || '{{schema' $$ "
                "LANGUAGE sql"}));
}

TEST(ScriptModel, UndefinedPlaceholderIsAnErrorEvenInAComment) {
  expect_error([] { parse_script("-- bru:version 1\nSELECT 1;\n-- bru:version 2\n\nSELECT '{{who}}';\n",
                                 "s.sql", "postgres", {{"whom", "x"}}); },
               ErrorKind::kScript, "s.sql:5: placeholder {{who}} is not defined",
               {"pass -DEFINE who=value"});
  expect_error([] { parse_script("-- bru:version 1\n-- owner: {{owner}}\nSELECT 1;\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: placeholder {{owner}} is not defined",
               {"pass -DEFINE owner=value"});
}

TEST(ScriptModel, ChecksumIsTakenBeforePlaceholders) {
  const std::string text = "-- bru:version 1\nGRANT SELECT ON t TO {{user}};\n";
  const Script test = parse_script(text, "s.sql", "postgres", {{"user", "tester"}});
  const Script production = parse_script(text, "s.sql", "postgres", {{"user", "wfm_app"}});
  EXPECT_EQ(texts_of(test.sections[0]), (std::vector<std::string>{"GRANT SELECT ON t TO tester"}));
  EXPECT_EQ(test.sections[0].checksum, production.sections[0].checksum);
  EXPECT_EQ(test.sections[0].checksum, section_checksum("GRANT SELECT ON t TO {{user}};"));
}

TEST(ScriptModel, ChecksumIsXxh3OfTheNormalisedBody) {
  // Pinned: history tables store these values, so the algorithm may never change silently.
  const std::string body = "CREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);";
  EXPECT_EQ(section_checksum(body), fmt::format("{:016x}", XXH3_64bits(body.data(), body.size())));
  EXPECT_EQ(section_checksum(""), fmt::format("{:016x}", XXH3_64bits("", 0)));
}

TEST(ScriptModel, ChecksumIgnoresLineEndsTrailingBlanksAndOuterBlankLines) {
  const std::string base = section_checksum("CREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);\n");
  EXPECT_EQ(section_checksum("CREATE TABLE t (x int);\r\n  INSERT INTO t VALUES (1);\r\n"), base);
  EXPECT_EQ(section_checksum("CREATE TABLE t (x int);   \t\n  INSERT INTO t VALUES (1); \r\n"), base);
  EXPECT_EQ(section_checksum("\n\n  \nCREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);\n\n \n"), base);
  EXPECT_EQ(section_checksum("\xEF\xBB\xBF" "CREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);"), base);
}

TEST(ScriptModel, ChecksumSeesEveryOtherChange) {
  const std::string base = section_checksum("CREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);\n");
  for (const char* changed : {
           "CREATE TABLE t (x int);\n  INSERT INTO t VALUES (2);\n",    // a character
           "CREATE TABLE t (x  int);\n  INSERT INTO t VALUES (1);\n",   // an inner blank
           "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1);\n",      // indentation
           "CREATE TABLE t (x int);\n\n  INSERT INTO t VALUES (1);\n",  // an inner blank line
           "CREATE TABLE t (x int); INSERT INTO t VALUES (1);\n",       // joined lines
           "create table t (x int);\n  INSERT INTO t VALUES (1);\n",    // case
           "CREATE TABLE t (x int);\n  INSERT INTO t VALUES (1);\n-- note\n",  // a comment
       }) {
    EXPECT_NE(section_checksum(changed), base) << changed;
  }
}

TEST(ScriptModel, SectionChecksumCoversTheBodyNotTheMarkerOrDescription) {
  const Script script = parse_script(
      "-- bru:version 1\n-- bru:description first words\n\nSELECT 1;  \n\n-- bru:version 2\nSELECT 2;",
      "s.sql", "postgres", {});
  const Script renamed = parse_script(
      "-- bru:version 1\n-- bru:description better words\r\nSELECT 1;\r\n-- bru:version 2\nSELECT 2;",
      "s.sql", "postgres", {});
  EXPECT_EQ(script.sections[0].checksum, section_checksum("SELECT 1;"));
  EXPECT_EQ(script.sections[0].checksum, renamed.sections[0].checksum);
  EXPECT_EQ(script.sections[1].checksum, section_checksum("SELECT 2;"));
}

TEST(ScriptModel, FindAndPendingSections) {
  const Script script = parse_script(
      "-- bru:version 7.0\n-- bru:version 8.5.9\n-- bru:version 8.5.10\n-- bru:version 9\n",
      "s.sql", "postgres", {});
  auto versions = [](const std::vector<const Section*>& sections) {
    std::vector<std::string> out;
    for (const Section* section : sections) out.push_back(section->version.text());
    return out;
  };
  EXPECT_EQ(versions(script.pending(std::nullopt, std::nullopt)),
            (std::vector<std::string>{"7.0", "8.5.9", "8.5.10", "9"}));
  EXPECT_EQ(versions(script.pending(v("8.5.9"), std::nullopt)),
            (std::vector<std::string>{"8.5.10", "9"}));
  EXPECT_EQ(versions(script.pending(v("7"), v("8.5.10"))),
            (std::vector<std::string>{"8.5.9", "8.5.10"}));
  EXPECT_EQ(versions(script.pending(v("8.6"), v("8.5.10"))), std::vector<std::string>{});
  ASSERT_NE(script.find(v("7")), nullptr);
  EXPECT_EQ(script.find(v("7"))->version.text(), "7.0");
  EXPECT_EQ(script.find(v("8.5")), nullptr);
}

TEST(ScriptModel, CrlfScriptFileFromTestdata) {
  const auto path = source_path("tests/unit/testdata/script/sectioned_pg_crlf.sql");
  const Script script = update::load_script(path, "postgres", {{"app_user", "wfm_app"}});
  EXPECT_EQ(script.source, path.string());
  ASSERT_EQ(script.sections.size(), 3U);
  EXPECT_EQ(script.sections[0].version.text(), "8.5.9");
  EXPECT_EQ(script.sections[0].description, "create the task table");
  EXPECT_EQ(texts_of(script.sections[0]),
            (std::vector<std::string>{"CREATE TABLE task (id int, note text CHECK (note ~ E'^\\\\w'))"}));
  EXPECT_EQ(script.sections[1].line, 8);
  ASSERT_EQ(script.sections[1].statements.size(), 2U);
  EXPECT_EQ(script.sections[1].statements[0].line, 9);
  EXPECT_TRUE(script.sections[1].statements[0].text.ends_with("$$ LANGUAGE plpgsql"));
  EXPECT_EQ(script.sections[1].statements[1].text, "CREATE TABLE unterminated_before_marker (x int)");
  EXPECT_EQ(script.sections[1].statements[1].line, 15);
  EXPECT_EQ(script.sections[2].description, "grant to {{app_user}}");
  EXPECT_EQ(texts_of(script.sections[2]), (std::vector<std::string>{"GRANT SELECT ON task TO wfm_app"}));
  EXPECT_EQ(script.sections[2].checksum, section_checksum("GRANT SELECT ON task TO {{app_user}};"));
  // The file must really have CRLF line ends, or this test proves nothing about them.
  const std::string raw = [&] {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  EXPECT_NE(raw.find("\r\n"), std::string::npos);
}
// Issue 10: undo and repeatable sections, and -- bru:transaction off in a section's header.
TEST(ScriptModel, UndoRepeatableAndTransactionOffSections) {
  const Script script = parse_script(
      "-- bru:version 1\n-- bru:description tables\nCREATE TABLE a (id int);\n"
      "-- bru:undo 1\n-- bru:description drop them\nDROP TABLE a;\n"
      "-- bru:repeatable order views\nCREATE OR REPLACE VIEW v AS SELECT * FROM {{schema}}.a;\n"
      "-- bru:version 2\n-- bru:description index\n-- BRU:Transaction OFF\n"
      "CREATE INDEX CONCURRENTLY i ON a (id);\nVACUUM a;\n"
      "-- bru:undo 2\n-- bru:transaction off\nDROP INDEX CONCURRENTLY i;\n",
      "s.sql", "postgres", {{"schema", "app"}});
  ASSERT_EQ(script.sections.size(), 2U);
  EXPECT_TRUE(script.sections[0].transactional);
  const Section& index = script.sections[1];
  EXPECT_EQ(index.description, "index");
  EXPECT_FALSE(index.transactional);
  EXPECT_EQ(index.checksum,
            section_checksum("CREATE INDEX CONCURRENTLY i ON a (id);\nVACUUM a;"));
  EXPECT_EQ(index.statement_checksums,
            (std::vector<std::string>{section_checksum("CREATE INDEX CONCURRENTLY i ON a (id)"),
                                      section_checksum("VACUUM a")}));
  ASSERT_EQ(script.undos.size(), 2U);
  EXPECT_EQ(script.undos[0].label(), "undo of version 1");
  EXPECT_EQ(script.undos[0].description, "drop them");
  EXPECT_EQ(script.undos[0].line, 4);
  EXPECT_TRUE(script.undos[0].transactional);
  EXPECT_FALSE(script.undos[1].transactional);
  ASSERT_EQ(script.repeatables.size(), 1U);
  const Section& views = script.repeatables[0];
  EXPECT_EQ(views.name, "order views");
  EXPECT_EQ(views.label(), "repeatable order views");
  EXPECT_EQ(views.statements[0].text, "CREATE OR REPLACE VIEW v AS SELECT * FROM app.a");
  // Statement checksums are of the text as written, as section checksums are.
  EXPECT_EQ(views.statement_checksums[0],
            section_checksum("CREATE OR REPLACE VIEW v AS SELECT * FROM {{schema}}.a"));
}

TEST(ScriptModel, BadUndoRepeatableAndTransactionLinesAreErrors) {
  expect_error([] { parse_script("-- bru:version 1\n-- bru:undo 2\nSELECT 1;\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: undo of version 2, which the script has no section for",
               {"an undo section names the version it takes back: check the version after "
                "-- bru:undo"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:undo 1\n-- bru:undo 1.0\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:3: a second undo of version 1.0 (the first is at s.sql:2)",
               {"give each version at most one undo section"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:repeatable v\n-- bru:repeatable v\n",
                                 "s.sql", "postgres", {}); },
               ErrorKind::kScript, "s.sql:3: a second repeatable section \"v\" (the first is at s.sql:2)",
               {"give each repeatable section its own name"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:repeatable\n", "s.sql", "postgres",
                                 {}); },
               ErrorKind::kScript, "s.sql:2: -- bru:repeatable needs a name",
               {"name each repeatable section, e.g. -- bru:repeatable order views"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:undo x\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript,
               "s.sql:2: bad version \"x\" in -- bru:undo: " + update::version_problem("x"),
               {"versions are dotted numbers, e.g. -- bru:undo 8.5.200"});
  expect_error([] { parse_script("-- bru:version 1\n-- bru:transaction maybe\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:2: -- bru:transaction \"maybe\" is not on or off",
               {"write -- bru:transaction off for a section that cannot run in a transaction "
                "(CREATE INDEX CONCURRENTLY, VACUUM, ALTER DATABASE)"});
  expect_error([] { parse_script("-- bru:version 1\nVACUUM;\n-- bru:transaction off\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript,
               "s.sql:3: -- bru:transaction must come right after a section's marker (and "
               "description)",
               {"move it into the section's header, e.g. -- bru:version 1.2, then "
                "-- bru:transaction off"});
  // Only versioned sections need to increase: an undo section may follow the version it undoes.
  expect_error([] { parse_script("-- bru:version 2\n-- bru:undo 2\n-- bru:version 1\n", "s.sql",
                                 "postgres", {}); },
               ErrorKind::kScript, "s.sql:3: version 1 is lower than 2 (the section at line 1)",
               {"sections run in file order: give each a higher version than the one before "
                "(versions compare number by number: 8.5.10 > 8.5.9)"});
  // A script of only repeatable sections has no version to be at.
  expect_error([] { parse_script("-- bru:repeatable v\nSELECT 1;\n", "s.sql", "postgres", {}); },
               ErrorKind::kScript, "s.sql: no -- bru:version marker",
               {"start each section with a line -- bru:version <version>, e.g. "
                "-- bru:version 8.5.200"});
}

}  // namespace
}  // namespace bru::test

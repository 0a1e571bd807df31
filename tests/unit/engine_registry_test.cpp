// schema/engines/registry.h: one registry lists the engines, every list of known dialects comes
// from it, each engine's Dialect reaches its update facet and splitter, and the engines without
// backup/restore say so through the interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bru/odbc/connection_string.h"
#include "schema/dialect_names.h"
#include "schema/engines/registry.h"
#include "schema/error.h"
#include "schema/script/splitter.h"

namespace bru::test {
namespace {

using schema::make_dialect;

TEST(EngineRegistry, ListsTheFiveEnginesInMessageOrder) {
  std::vector<std::string_view> names;
  for (const auto& engine : schema::engines()) names.push_back(engine.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"postgres", "mssql", "oracle", "sqlite",
                                                  "mariadb"}));
  EXPECT_EQ(schema::dialect_names(), names);
  EXPECT_EQ(schema::script_dialects(), names);
  EXPECT_EQ(schema::backup_dialect_names(), names);
}

TEST(EngineRegistry, EachDialectNamesItselfAndReachesItsUpdateFacet) {
  for (const auto& engine : schema::engines()) {
    const auto dialect = engine.make();
    EXPECT_EQ(dialect->name(), engine.name);
    EXPECT_EQ(dialect->update().name(), engine.name);
    EXPECT_EQ(make_dialect(engine.name)->name(), engine.name);
    EXPECT_EQ(schema::find_engine(engine.name), &engine);
    EXPECT_EQ(dialect->backs_up(), schema::backs_up(engine.name));
  }
  EXPECT_EQ(schema::find_engine("db2"), nullptr);
  EXPECT_FALSE(make_dialect("mariadb")->transactional_ddl());
  EXPECT_TRUE(make_dialect("mssql")->transactional_ddl());
}

TEST(EngineRegistry, AliasesComeFromTheEngines) {
  EXPECT_EQ(schema::dialect_of_word("PostgreSQL"), "postgres");
  EXPECT_EQ(schema::dialect_of_word("pg"), "postgres");
  EXPECT_EQ(schema::dialect_of_word("pgsql"), "postgres");
  EXPECT_EQ(schema::dialect_of_word("mysql"), "mariadb");
  EXPECT_EQ(schema::dialect_of_word("sqlserver"), "mssql");
  EXPECT_EQ(schema::dialect_of_word("sqlite3"), "sqlite");
  EXPECT_EQ(schema::dialect_of_word("oracle"), "oracle");
  EXPECT_EQ(schema::dialect_of_word("db2"), std::nullopt);
  EXPECT_EQ(make_dialect("postgres")->aliases(),
            (std::vector<std::string_view>{"postgresql", "pg", "pgsql"}));
}

TEST(EngineRegistry, UnknownNameListsEveryEngine) {
  try {
    make_dialect("mysqll");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(error.render(), "error: unknown dialect \"mysqll\"\n"
                              "hint: did you mean mariadb?\n"
                              "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n");
  }
}

TEST(EngineRegistry, EachEngineSplitsByItsOwnRules) {
  // The same text, split by each engine: GO and / lines are terminators only where they are.
  const std::string text = "SELECT 1;\nSELECT 2\nGO\n";
  EXPECT_EQ(schema::split_statements("postgres", text, "x.sql").size(), 2u);
  EXPECT_EQ(schema::split_statements("mssql", text, "x.sql").size(), 1u);
  EXPECT_EQ(schema::split_statements("mariadb", "SELECT 1; # c\nSELECT 2", "x.sql").size(), 2u);
  EXPECT_EQ(make_dialect("oracle")->split_script("SELECT 1 FROM dual\n/\n", "x.sql", 1).size(),
            1u);
  EXPECT_EQ(make_dialect("mssql")->update().plan_terminator(1), "GO");
  EXPECT_EQ(make_dialect("mssql")->update().plan_terminator(5), "GO 5");
  EXPECT_EQ(make_dialect("oracle")->update().plan_terminator(1), "/");
  EXPECT_EQ(make_dialect("sqlite")->update().plan_terminator(1), ";");
}

TEST(EngineRegistry, EachEngineHasADriverProfileThatNamesItBack) {
  for (const auto& engine : schema::engines()) {
    const schema::DriverProfile& profile = engine.driver_profile();
    EXPECT_EQ(schema::find_driver_profile(engine.name), &profile);
    EXPECT_TRUE(profile.form.starts_with(std::string(engine.name) + ";")) << profile.form;
    // One part after each ';' of the form.
    EXPECT_EQ(profile.parts.size(),
              static_cast<std::size_t>(std::count(profile.form.begin(), profile.form.end(), ';')))
        << profile.form;
    EXPECT_LE(profile.required_parts, profile.parts.size());
    // The driver bru falls back to, and every word that recognises one, tell this engine.
    EXPECT_EQ(odbc::dialect_of_driver(profile.fallback_driver), engine.name);
    for (const auto word : profile.recognise_words) {
      EXPECT_EQ(odbc::dialect_of_driver(word), engine.name) << word;
    }
  }
  EXPECT_EQ(schema::find_driver_profile("odbc"), nullptr);
  EXPECT_EQ(schema::find_driver_profile("sqlite")->locator, schema::Locator::kFile);
  EXPECT_EQ(schema::find_driver_profile("oracle")->locator, schema::Locator::kTnsName);
}

}  // namespace
}  // namespace bru::test

// -DRYRUN -DIALECT for the engines without a server here (issue 10, items 3, 6 and 7): the plan
// bru prints for SQL Server and Oracle scripts with a transaction-off section, undo sections and
// a repeatable section, compared byte for byte with golden files in
// tests/unit/testdata/update_sql/ (BRU_REGENERATE_GOLDEN=1 rewrites them; review the diff). The
// update_sql_parsers CTest test parses the same files with sqlfluff and sqlglot
// (tests/unit/testdata/update_sql/check_parsers.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "support/test_support.h"

namespace bru::test {
namespace {

// `bru -UPDATE -DRYRUN` then `bru -UNDO -TARGET 0 -DRYRUN`, offline, with the script's path
// written as <script> so that the golden file does not depend on the checkout.
std::string offline_plans(const std::string& dialect) {
  const auto script = source_path("tests/unit/testdata/update_sql/sections_" + dialect + ".sql");
  std::string text;
  for (const auto& command :
       {std::vector<std::string>{"-UPDATE"}, std::vector<std::string>{"-UNDO", "-TARGET", "0"}}) {
    std::vector<std::string> args = command;
    for (const auto& arg : {"-DIALECT", dialect.c_str(), "-DRYRUN", "-SCRIPT"}) args.push_back(arg);
    args.push_back(script.string());
    const auto result = run_bru(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    std::string out = result.out;
    for (auto at = out.find(script.string()); at != std::string::npos;
         at = out.find(script.string())) {
      out.replace(at, script.string().size(), "<script>");
    }
    text += out;
  }
  return text;
}

TEST(UpdateOfflinePlan, MssqlTransactionOffUndoAndRepeatable) {
  const std::string plans = offline_plans("mssql");
  expect_update_sql_golden("plan_mssql.sql", plans);
  // The ALTER DATABASE batches run outside a transaction, one by one.
  EXPECT_NE(plans.find("-- bru:version 1.1 (snapshot isolation)\n-- bru:transaction off "
                       "(statement by statement, progress recorded after each)\n"),
            std::string::npos)
      << plans;
  EXPECT_NE(plans.find("-- bru:undo 1.1\n-- bru:transaction off"), std::string::npos) << plans;
}

TEST(UpdateOfflinePlan, OracleTransactionOffUndoAndRepeatable) {
  const std::string plans = offline_plans("oracle");
  expect_update_sql_golden("plan_oracle.sql", plans);
  EXPECT_NE(plans.find("-- bru:repeatable task views\n"), std::string::npos) << plans;
}

// Offline, -UNDO plans as if every version were applied: one without an undo section is refused.
TEST(UpdateOfflinePlan, UndoWithoutAnUndoSectionIsRefusedOffline) {
  ScratchDir dir;
  const auto script = dir / "app.sql";
  write_text(script,
             "-- bru:version 1\nCREATE TABLE a (id INT)\nGO\n"
             "-- bru:version 2\nCREATE TABLE b (id INT)\nGO\n"
             "-- bru:undo 2\nDROP TABLE b\nGO\n");
  const auto refused = run_bru(
      {"-UNDO", "-DIALECT", "mssql", "-DRYRUN", "-TARGET", "0", "-SCRIPT", script.string()});
  EXPECT_EQ(refused.exit_code, 9);
  EXPECT_EQ(refused.err, "error: cannot undo " + script.string() +
                             " to version 0: " + script.string() +
                             " has no undo section for version 1; nothing was undone\n"
                             "hint: add a -- bru:undo 1 section that takes the version back (in "
                             "a folder: U1__<description>.sql), or give a -TARGET at or above 1\n");
  const auto plan = run_bru(
      {"-UNDO", "-DIALECT", "mssql", "-DRYRUN", "-TARGET", "1", "-SCRIPT", script.string()});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out,
            "-- offline undo plan (-DIALECT mssql): 1 version above 1\n"
            "-- bru:undo 2\n-- at " +
                script.string() + ":8\nDROP TABLE b\nGO\n");
  const auto no_target =
      run_bru({"-UNDO", "-DIALECT", "mssql", "-DRYRUN", "-SCRIPT", script.string()});
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_EQ(no_target.err,
            "error: -UNDO needs -DB <conn> (or -DIALECT <name> with -DRYRUN), -SCRIPT <file or "
            "folder> and -TARGET <version>\n"
            "hint: e.g. bru -UNDO -DB \"sqlite;app.sqlite\" -SCRIPT update.sql -TARGET 8.5.200 "
            "takes back every version above 8.5.200\n");
}

}  // namespace
}  // namespace bru::test

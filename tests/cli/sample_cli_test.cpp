// The bru-sample binary end to end: scripts to a file and to stdout, the database load, and
// every usage error with its exact message.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "support/sample_data.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

class SampleCli : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::filesystem::path out_ = dir_ / "wfm.sql";
};

TEST_F(SampleCli, WritesTheSameScriptAsTheLibraryToAFileAndToStdout) {
  auto written = run_bru_sample({"--dialect", "mssql", "--out", out_.string(), "--seed", "5"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.err, "bru-sample: wrote wfm (scale 1, seed 5, mssql) to " + out_.string() +
                             ": 6 tables, 14859 rows\n");
  EXPECT_FALSE(std::filesystem::exists(out_.string() + ".partial"));
  EXPECT_EQ(read_text(out_), sample_script("mssql", 1, 5));
  auto printed = run_bru_sample({"--dialect", "mssql", "--seed", "5"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_EQ(printed.out, read_text(out_));
  EXPECT_EQ(printed.err, "");
}

TEST_F(SampleCli, AnExistingScriptIsReplacedOnlyWithForce) {
  write_text(out_, "keep me\n");
  auto refused = run_bru_sample({"--dialect", "sqlite", "--out", out_.string()});
  EXPECT_EQ(refused.exit_code, 10);
  EXPECT_EQ(refused.err, "error: \"" + out_.string() +
                             "\" already exists\n"
                             "hint: use --force to replace it, or choose another --out\n");
  EXPECT_EQ(read_text(out_), "keep me\n");
  auto forced = run_bru_sample({"--dialect", "sqlite", "--out", out_.string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(read_text(out_), sample_script("sqlite"));
}

TEST_F(SampleCli, AnUnwritableFolderIsAnIoErrorThatLeavesNothing) {
  const auto missing = dir_ / "no_such_folder" / "wfm.sql";
  auto result = run_bru_sample({"--dialect", "sqlite", "--out", missing.string()});
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.err, "error: cannot create \"" + missing.string() +
                            ".partial\": No such file or directory\n"
                            "hint: create the folder first, or choose another --out\n");
  EXPECT_FALSE(std::filesystem::exists(missing.parent_path()));
}

TEST_F(SampleCli, LoadsAnSqliteDatabaseThroughOdbc) {
  const auto db_path = dir_ / "wfm.sqlite";
  auto result = run_bru_sample({"--db", "sqlite;" + db_path.string(), "--scale", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "bru-sample: loaded wfm (scale 2, seed 1) into sqlite:" + db_path.string() +
                            ": 6 tables, 29718 rows\n");
  SqliteFile db(db_path);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM performance_data"),
            static_cast<long long>(sample_rows("performance_data", 2)));
  EXPECT_TRUE(db.rows("PRAGMA foreign_key_check").empty());
}

// The generator streams: at scale 30 (26 MB of SQL) bru-sample holds about as much as at scale 1
// (one INSERT of 500 rows). ctest runs each test in its own process, so the children's peak is
// this test's bru-sample run.
TEST_F(SampleCli, MemoryStaysSmallAtAnyScale) {
  auto result = run_bru_sample({"--dialect", "postgres", "--scale", "30", "--out", out_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GT(std::filesystem::file_size(out_), 25'000'000u);
  rusage usage{};
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &usage), 0);
  EXPECT_LT(usage.ru_maxrss, 24 * 1024) << "peak resident kB of bru-sample";
}

struct UsageCase {
  std::vector<std::string> args;
  std::string err;
};

TEST_F(SampleCli, UsageErrorsSayWhatToDo) {
  const UsageCase cases[] = {
      {{},
       "error: give --dialect to write a script, or --db to load a database\n"
       "hint: e.g. bru-sample --dialect sqlite --out wfm.sql, or bru-sample --db "
       "\"sqlite;wfm.sqlite\"\n"},
      {{"--dialect", "db2"},
       "error: unknown dialect \"db2\"\nhint: use one of: sqlite, postgres, mariadb, mssql, "
       "oracle\n"},
      {{"--dialect", "sqlite", "--scale", "0"},
       "error: --scale must be a whole number from 1 to 100000, not \"0\"\n"
       "hint: scale 1 is about 15,000 rows (1 MB); rows grow linearly\n"},
      {{"--dialect", "sqlite", "--scale", "1.5"},
       "error: --scale must be a whole number from 1 to 100000, not \"1.5\"\n"
       "hint: scale 1 is about 15,000 rows (1 MB); rows grow linearly\n"},
      {{"--dialect", "sqlite", "--seed", "-3"},
       "error: --seed must be a whole number from 0 to 18446744073709551615, not \"-3\"\n"
       "hint: any seed gives a valid sample; the same seed, the same one\n"},
      {{"--model", "pets", "--dialect", "sqlite"},
       "error: unknown model \"pets\"\nhint: use one of: wfm, wfm65\n"},
      {{"--db", "sqlite;x.sqlite", "--dialect", "sqlite"},
       "error: --db loads a database: it takes no --dialect or --out\n"
       "hint: leave out --db to write a script, or --dialect and --out to load\n"},
      {{"--colour"},
       "error: unrecognised option '--colour'\nhint: bru-sample --help lists the options\n"},
  };
  for (const auto& usage : cases) {
    SCOPED_TRACE(::testing::PrintToString(usage.args));
    const auto result = run_bru_sample(usage.args);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.err, usage.err);
    EXPECT_EQ(result.out, "");
  }
}

TEST_F(SampleCli, ABadConnectionStringIsAUsageErrorWithTheGrammar) {
  const auto result = run_bru_sample({"--db", "db2;x"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(
      result.err.starts_with("error: unknown database engine \"db2\" in the connection "
                             "string\nhint: the forms are postgres;<server[:port]>;"))
      << result.err;
}

}  // namespace
}  // namespace bru::test

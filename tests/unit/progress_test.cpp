// bru::Progress: how often it reports to the log, and what a report holds.
#include <thread>

#include <gtest/gtest.h>

#include "bru/log.h"
#include "bru/progress.h"

namespace bru {
namespace {

// A log that keeps the progress reports and shows progress every `interval`.
class RecordingLog : public log::Log {
 public:
  explicit RecordingLog(std::optional<std::chrono::milliseconds> interval) : interval_(interval) {}

  std::vector<log::ProgressReport> reports;
  int progress_done_calls = 0;

  std::optional<std::chrono::milliseconds> progress_interval() const override { return interval_; }
  void progress(const log::ProgressReport& report) override { reports.push_back(report); }
  void progress_done() override { ++progress_done_calls; }

  void start(const log::Start&) override {}
  void warning(std::string_view, std::string_view) override {}
  void table_done(const log::TableDone&) override {}
  void backup_done(const log::BackupSummary&) override {}
  void restore_done(const log::RestoreSummary&) override {}
  void verify_done(const log::VerifySummary&) override {}
  void update_plan(const log::UpdatePlan&) override {}
  void section_applied(const log::SectionApplied&) override {}
  void checksum_repaired(const log::ChecksumRepaired&) override {}
  void lock_wait(const log::LockWait&) override {}
  void update_done(const log::UpdateSummary&) override {}
  void error(const Error&) override {}
  void end(int) override {}

 private:
  std::optional<std::chrono::milliseconds> interval_;
};

TEST(Progress, ReportsAtOnceThenAtMostOncePerInterval) {
  RecordingLog log(std::chrono::milliseconds(100));
  {
    Progress progress(log, "backup");
    EXPECT_TRUE(progress.enabled());
    progress.set_total(1000);
    for (int batch = 0; batch < 50; ++batch) progress.advance("t1", 10, 100);
    ASSERT_EQ(log.reports.size(), 1u) << "the first batch reports, the next 49 are too soon";
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    progress.advance("t2", 10, 100);
    ASSERT_EQ(log.reports.size(), 2u);
    progress.finish();
    progress.finish();
  }
  EXPECT_EQ(log.progress_done_calls, 1) << "finish() and the destructor end it once";

  const auto& first = log.reports[0];
  EXPECT_EQ(first.command, "backup");
  EXPECT_EQ(first.table, "t1");
  EXPECT_EQ(first.rows, 10);
  EXPECT_EQ(first.bytes, 100);
  EXPECT_EQ(first.total_rows, 1000);
  const auto& second = log.reports[1];
  EXPECT_EQ(second.table, "t2");
  EXPECT_EQ(second.rows, 510) << "rows and bytes count over all tables";
  EXPECT_EQ(second.bytes, 5100);
  EXPECT_GE(second.elapsed_seconds, 0.12);
  ASSERT_TRUE(second.eta_seconds.has_value());
  EXPECT_NEAR(*second.eta_seconds, second.elapsed_seconds * 490.0 / 510.0, 1e-9);
}

TEST(Progress, ALogThatShowsNoProgressGetsNone) {
  RecordingLog log(std::nullopt);
  {
    Progress progress(log, "restore");
    EXPECT_FALSE(progress.enabled());
    progress.advance("t", 10, 100);
  }
  EXPECT_TRUE(log.reports.empty());
  EXPECT_EQ(log.progress_done_calls, 0);
}

TEST(LogFormat, WordsAreTextAndJsonOnly) {
  EXPECT_EQ(log::parse_format("text"), log::Format::kText);
  EXPECT_EQ(log::parse_format("json"), log::Format::kJson);
  EXPECT_EQ(log::parse_format("xml"), std::nullopt);
  EXPECT_EQ(log::parse_format(""), std::nullopt);
}

}  // namespace
}  // namespace bru

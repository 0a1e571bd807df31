// The hand-over between the MariaDB loader and its LOAD DATA statement's read callback
// (bru/mariadb/load_data_loader.h), without a server: bytes arrive whole and in order through
// reads of any size, a closed feed ends in end-of-file, an aborted one in an error, and a
// statement that ended early never leaves the producer waiting.
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "bru/mariadb/load_data_loader.h"

namespace bru::mariadb {
namespace {

// Reads the feed to its end (or error) in reads of `size` bytes; returns what it read and the
// last result.
std::pair<std::string, int> read_all(RowFeed& feed, unsigned int size) {
  std::string read;
  std::string buffer(size, '\0');
  int got = 0;
  while ((got = feed.read(buffer.data(), size)) > 0) read.append(buffer, 0, got);
  return {read, got};
}

TEST(MariadbRowFeed, BytesArriveWholeAndInOrderThenEndOfFile) {
  RowFeed feed;
  std::pair<std::string, int> result;
  std::thread statement([&] { result = read_all(feed, 7); });
  std::string expected;
  for (int chunk = 0; chunk < 50; ++chunk) {
    std::string bytes(1000 + chunk, static_cast<char>('a' + chunk % 26));
    expected += bytes;
    ASSERT_TRUE(feed.put(bytes));
    EXPECT_TRUE(bytes.empty());  // swapped for the taken buffer
  }
  feed.close();
  statement.join();
  EXPECT_EQ(result.first, expected);
  EXPECT_EQ(result.second, 0);
}

TEST(MariadbRowFeed, AnAbortedFeedFailsTheRead) {
  RowFeed feed;
  int got = 1;
  std::thread statement([&] { got = read_all(feed, 4096).second; });
  std::string bytes = "1\tx\n";
  ASSERT_TRUE(feed.put(bytes));
  feed.abort();
  statement.join();
  EXPECT_EQ(got, -1);
}

TEST(MariadbRowFeed, AStatementThatEndedTakesNoMoreBytes) {
  RowFeed feed;
  std::string first = "1\tx\n";
  ASSERT_TRUE(feed.put(first));  // nothing waits for a taker yet
  std::thread statement([&] { feed.statement_ended(); });
  std::string second = "2\ty\n";
  EXPECT_FALSE(feed.put(second));  // would wait for the first to be taken, but none will
  statement.join();
}

}  // namespace
}  // namespace bru::mariadb

// One writer per archive (issue 11): <file>.partial is created exclusively and locked for the
// whole run, a second writer is refused naming the first, a partial file left by a dead writer is
// replaced, and finish() renames only the file its writer wrote.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "formats/archive.h"
#include "support/test_support.h"
#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;

void write_one_table(ArchiveWriter& writer) {
  const std::int64_t table_id = writer.add_table(test::sample_table(), "CREATE TABLE t");
  writer.write_chunk(table_id, encode_chunk(test::sample_batch(1, 100), 1));
  writer.finish_table(table_id);
}

Error create_error(const fs::path& file) {
  try {
    ArchiveWriter::create(file, {});
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "creating " << file << " did not fail";
  return Error(ErrorKind::kInternal, "nothing thrown");
}

std::string locked_message(const fs::path& file, long pid) {
  return "archive \"" + file.string() + "\" is being written by another backup (pid " +
         std::to_string(pid) + "): \"" + file.string() +
         ".partial\" is locked\n"
         "hint: wait for that backup to finish, or choose another -FILE";
}

TEST(ArchiveWriterLock, ASecondWriterIsRefusedAtOnceNamingTheFirst) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  auto first = ArchiveWriter::create(file, {});
  // flock() locks belong to the open file, so a second writer in this process is refused just as
  // one in another process would be; /proc/locks names this process.
  const Error error = create_error(file);
  EXPECT_EQ(error.kind(), ErrorKind::kConflict);
  EXPECT_EQ(test::message_and_hints(error), locked_message(file, ::getpid()));
  // The refused writer left the first one's file alone.
  write_one_table(*first);
  first->finish();
  EXPECT_EQ(ArchiveReader::open(file)->tables().size(), 1u);
}

TEST(ArchiveWriterLock, AWriterInAnotherProcessIsNamedByItsPid) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  int ready[2];
  int done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto writer = ArchiveWriter::create(file, {});
    (void)!write(ready[1], "r", 1);
    char byte;
    (void)!read(done[0], &byte, 1);  // hold the partial file until the parent has tried
    _exit(0);                        // as a killed backup: no cleanup
  }
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  const Error error = create_error(file);
  EXPECT_EQ(error.kind(), ErrorKind::kConflict);
  EXPECT_EQ(test::message_and_hints(error), locked_message(file, child));
  (void)!write(done[1], "d", 1);
  int status = 0;
  waitpid(child, &status, 0);

  // The child died without cleaning up: its partial file is stale now and is replaced.
  ASSERT_TRUE(fs::exists(file.string() + ".partial"));
  auto writer = ArchiveWriter::create(file, {});
  write_one_table(*writer);
  writer->finish();
  EXPECT_EQ(ArchiveReader::open(file)->tables().size(), 1u);
  EXPECT_FALSE(fs::exists(file.string() + ".partial"));
}

TEST(ArchiveWriterLock, AStalePartialFileIsReplaced) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  std::ofstream(file.string() + ".partial") << "left by a backup that was killed";
  auto writer = ArchiveWriter::create(file, {});
  write_one_table(*writer);
  writer->finish();
  EXPECT_EQ(ArchiveReader::open(file)->tables().size(), 1u);
}

TEST(ArchiveWriterLock, FinishRenamesOnlyTheFileItWrote) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  const fs::path partial = file.string() + ".partial";
  auto writer = ArchiveWriter::create(file, {});
  write_one_table(*writer);
  // Someone else's file now sits at the partial path (what a second writer that deleted the
  // partial file as stale used to leave).
  const fs::path other = scratch / "other";
  std::ofstream(other) << "another writer's file";
  fs::rename(other, partial);
  try {
    writer->finish();
    FAIL() << "finish() renamed a file it did not write";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConflict);
    EXPECT_EQ(test::message_and_hints(error),
              "cannot finish archive \"" + file.string() + "\": \"" + partial.string() +
                  "\" is no longer the file this backup wrote (another process replaced or "
                  "removed it)\n"
                  "hint: make sure only one backup writes this -FILE at a time, then back up "
                  "again");
  }
  EXPECT_FALSE(fs::exists(file));
  writer.reset();
  EXPECT_EQ(test::read_text(partial), "another writer's file") << "not ours: left alone";
}

TEST(ArchiveWriterLock, AnAbandonedWriterDeletesOnlyItsOwnFile) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  const fs::path partial = file.string() + ".partial";
  auto writer = ArchiveWriter::create(file, {});
  fs::remove(partial);
  std::ofstream(partial) << "another writer's file";
  writer.reset();
  EXPECT_EQ(test::read_text(partial), "another writer's file");
}

}  // namespace
}  // namespace bru::archive

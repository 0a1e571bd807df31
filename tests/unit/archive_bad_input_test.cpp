// One test per kind of bad archive: each compares the error kind and the whole message, hints
// included, since that is what a DBA reads.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <csignal>
#include <fstream>

#include "formats/archive.h"
#include "formats/chunk_codec.h"
#include "support/test_support.h"
#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;

using test::kDamagedHint;

// public.t with 5 chunks of 1000 rows whose names are random bytes, so zstd keeps them as raw
// blocks and a flipped stored byte reaches the checksum check.
void write_archive(const fs::path& file) {
  auto writer = ArchiveWriter::create(file, {});
  const std::int64_t table_id = writer->add_table(test::sample_table(), "CREATE TABLE t");
  for (int chunk_idx = 0; chunk_idx < 5; ++chunk_idx) {
    Batch batch(test::storages_of(test::sample_table()));
    for (int row = 0; row < 1000; ++row) {
      batch.column(0).append_int(chunk_idx * 1000 + row);
      batch.column(1).append_double(row * 0.5);
      batch.column(2).append_bytes(test::random_bytes(40, chunk_idx * 1000 + row));
    }
    writer->write_chunk(table_id, encode_chunk(batch, 1));
  }
  writer->finish_table(table_id);
  writer->finish();
}

Error open_error(const fs::path& file) {
  try {
    ArchiveReader::open(file);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "opening " << file << " did not fail";
  return Error(ErrorKind::kInternal, "nothing thrown");
}

Error read_error(const fs::path& file) {
  try {
    auto reader = ArchiveReader::open(file);
    for (const TableEntry& entry : reader->tables()) reader->read_table(entry, [](const Batch&) {});
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "reading " << file << " did not fail";
  return Error(ErrorKind::kInternal, "nothing thrown");
}

std::string quoted(const fs::path& file) { return "\"" + file.string() + "\""; }

class ArchiveBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = scratch_ / "shop.db";
    write_archive(file_);
  }
  test::ScratchDir scratch_;
  fs::path file_;
};

TEST_F(ArchiveBadInput, MissingFile) {
  const fs::path missing = scratch_ / "nope.db";
  Error error = open_error(missing);
  EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(test::message_and_hints(error), "cannot open archive " + quoted(missing) +
                                                ": no such file\n"
                                                "hint: check the -FILE path");
}

TEST_F(ArchiveBadInput, NotAnSqliteFile) {
  const fs::path text = scratch_ / "notes.db";
  std::ofstream(text) << std::string(4000, 'x');
  Error error = open_error(text);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "cannot open archive " + quoted(text) +
                ": not a bru archive (not an SQLite database)\n"
                "hint: was it written by another program? check the -FILE path; bru -BACKUP writes "
                "archives");
}

TEST_F(ArchiveBadInput, SqliteFileWithoutBruMeta) {
  const fs::path other = scratch_ / "app.db";
  test::sqlite_exec(other, "CREATE TABLE customers(id INTEGER); INSERT INTO customers VALUES (1)");
  Error error = open_error(other);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "cannot open archive " + quoted(other) +
                ": not a bru archive (no bru_meta table)\n"
                "hint: was it written by another program? check the -FILE path; bru -BACKUP writes "
                "archives");
}

TEST_F(ArchiveBadInput, BruMetaWithoutMagic) {
  test::sqlite_exec(file_, "UPDATE bru_meta SET value = 'something else' WHERE key = 'magic'");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "cannot open archive " + quoted(file_) +
                ": not a bru archive (bru_meta has no bru "
                "magic)\n"
                "hint: was it written by another program? check the -FILE path; bru -BACKUP writes "
                "archives");
}

TEST_F(ArchiveBadInput, IncompleteArchive) {
  test::sqlite_exec(file_, "DELETE FROM bru_meta WHERE key = 'complete'");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(file_) +
                " is incomplete: the backup that wrote it did not finish\n"
                "hint: take a new backup; an incomplete archive cannot be restored");
}

TEST_F(ArchiveBadInput, KilledWriterLeavesAnIncompletePartial) {
  // What SIGKILL leaves: the partial file as it stood. Copy it before the writer cleans up.
  const fs::path copy = scratch_ / "killed.db";
  {
    auto writer = ArchiveWriter::create(scratch_ / "other.db", {});
    const std::int64_t table_id = writer->add_table(test::sample_table(), "");
    writer->write_chunk(table_id, encode_chunk(test::sample_batch(1, 10), 1));
    fs::copy_file(scratch_ / "other.db.partial", copy);
  }
  Error error = open_error(copy);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(copy) +
                " is incomplete: the backup that wrote it did not finish\n"
                "hint: take a new backup; an incomplete archive cannot be restored");
}

TEST_F(ArchiveBadInput, NewerFormatVersion) {
  const int newer = kFormatVersion + 1;
  test::sqlite_exec(file_, fmt::format("UPDATE bru_meta SET value = '{}' WHERE key = "
                                       "'format_version'",
                                       newer));
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveVersion);
  EXPECT_EQ(test::message_and_hints(error),
            fmt::format("archive {} has format version {}; this bru reads versions 1 to {}\n"
                        "hint: upgrade bru to a version that reads format {}",
                        quoted(file_), newer, kFormatVersion, newer));
}

// An object of a kind a later format added, in an archive whose format_version was set to
// `version`: the damage message it gives.
std::string object_in_older_format(const fs::path& file, const schema::SchemaObject& object,
                                   int version) {
  {
    auto writer = ArchiveWriter::create(file, {});
    writer->add_object(object);
    writer->finish();
  }
  EXPECT_EQ(ArchiveReader::open(file)->objects().size(), 1u);
  test::sqlite_exec(file, "UPDATE bru_meta SET value = '" + std::to_string(version) +
                              "' WHERE key = 'format_version'");
  test::reseal(file);
  Error error = open_error(file);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  return error.message();
}

// A kind newer than the archive's format version is damage (the version was lowered, or the
// writer was wrong): a MariaDB event (format 5) in a format 4 archive, a PostgreSQL collation or
// an Oracle package (format 7) in a format 6 one.
TEST_F(ArchiveBadInput, AKindOfALaterFormat) {
  struct Case {
    const char* kind;
    const char* name;
    const char* section;
    const char* statement;
    int version;
  };
  for (const auto& [kind, name, section, statement, version] :
       {Case{"event", "nightly", "post-data",
             "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM t", 4},
        Case{"collation", "s.nocase", "pre-data",
             "CREATE COLLATION s.nocase (provider = icu, locale = 'und-u-ks-level2')", 6},
        Case{"package", "BILLING", "pre-data",
             "CREATE OR REPLACE PACKAGE billing AS PROCEDURE run; END billing;", 6}}) {
    schema::SchemaObject object;
    object.kind = kind;
    object.name = name;
    object.section = section;
    object.statements = {statement};
    const fs::path file = scratch_ / (std::string(kind) + ".db");
    EXPECT_EQ(object_in_older_format(file, object, version),
              fmt::format("archive {}: object 1 (\"{}\") is of the kind \"{}\", which format {} "
                          "does not have",
                          quoted(file), name, kind, version));
  }
}

TEST_F(ArchiveBadInput, UnreadableFormatVersion) {
  test::sqlite_exec(file_, "UPDATE bru_meta SET value = 'seven' WHERE key = 'format_version'");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(
      test::message_and_hints(error),
      "archive " + quoted(file_) + " has no valid format_version in bru_meta\n" + kDamagedHint);
}

TEST_F(ArchiveBadInput, FlippedByteInAChunkPayload) {
  // Flip one byte in the middle of chunk 2's stored payload: inside a raw zstd block.
  const std::string where = " FROM bru_chunks WHERE object_id = 1 AND seq = 2";
  std::string payload = test::sqlite_blob(file_, "SELECT payload" + where);
  ASSERT_FALSE(payload.empty());
  payload[payload.size() / 2] ^= 0x20;
  test::sqlite_exec_with_blob(
      file_, "UPDATE bru_chunks SET payload = ?1 WHERE object_id = 1 AND seq = 2", payload);

  // What the reader will compute: the checksum of what the damaged payload decompresses to.
  const std::int64_t raw_bytes = std::stoll(test::sqlite_value(file_, "SELECT raw_bytes" + where));
  const std::string stored_checksum = test::sqlite_value(file_, "SELECT checksum" + where);
  std::string raw(static_cast<std::size_t>(raw_bytes), '\0');
  ASSERT_EQ(ZSTD_decompress(raw.data(), raw.size(), payload.data(), payload.size()), raw.size());
  const std::string computed = codec::hex_u64(XXH3_64bits(raw.data(), raw.size()));

  Error error = read_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "table \"public.t\", chunk 2: checksum mismatch (stored 0x" + stored_checksum +
                ", computed 0x" + computed + ")\n" + kDamagedHint);
}

TEST_F(ArchiveBadInput, DeletedChunk) {
  test::sqlite_exec(file_, "DELETE FROM bru_chunks WHERE object_id = 1 AND seq = 3");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(file_) +
                ": table \"public.t\": the chunk index holds 4 chunks, the table of contents "
                "says 5\n" +
                kDamagedHint);
}

// The table of contents edited to agree with the chunk index (and resealed): the chunk numbers
// are still checked when the table is read.
TEST_F(ArchiveBadInput, DeletedChunkWithTheTableOfContentsEditedToMatch) {
  test::sqlite_exec(file_,
                    "DELETE FROM bru_chunks WHERE object_id = 1 AND seq = 3;"
                    "UPDATE bru_objects SET chunk_count = 4, rows = 4000, "
                    "raw_bytes = (SELECT sum(raw_bytes) FROM bru_chunks), "
                    "stored_bytes = (SELECT sum(stored_bytes) FROM bru_chunks);"
                    "UPDATE bru_meta SET value = '4000' WHERE key = 'total_rows';"
                    "UPDATE bru_meta SET value = (SELECT sum(raw_bytes) FROM bru_chunks) "
                    "WHERE key = 'total_raw_bytes';"
                    "UPDATE bru_meta SET value = (SELECT sum(stored_bytes) FROM bru_chunks) "
                    "WHERE key = 'total_stored_bytes'");
  test::reseal(file_);
  Error error = read_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "table \"public.t\": chunk 4 is not in the table of contents (chunks 0..3 expected)\n" +
                kDamagedHint);
}

TEST_F(ArchiveBadInput, DeletedLastChunk) {
  test::sqlite_exec(file_, "DELETE FROM bru_chunks WHERE object_id = 1 AND seq = 4");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(file_) +
                ": table \"public.t\": the chunk index holds 4 chunks, the table of contents "
                "says 5\n" +
                kDamagedHint);
}

TEST_F(ArchiveBadInput, ExtraChunk) {
  test::sqlite_exec(file_,
                    "INSERT INTO bru_chunks SELECT object_id, 5, row_count, raw_bytes, "
                    "stored_bytes, codec, checksum, payload FROM bru_chunks "
                    "WHERE object_id = 1 AND seq = 0");
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(file_) +
                ": table \"public.t\": the chunk index holds 6 chunks, the table of contents "
                "says 5\n" +
                kDamagedHint);
}

TEST_F(ArchiveBadInput, RowTotalDisagreesWithTheChunks) {
  test::sqlite_exec(file_, "UPDATE bru_objects SET rows = 4999 WHERE object_id = 1");
  test::reseal(file_);
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(file_) +
                ": table \"public.t\": the chunk index holds 5000 rows, the table of contents "
                "says 4999\n" +
                kDamagedHint);
}

TEST_F(ArchiveBadInput, ChunkRowCountDisagreesWithItsPayload) {
  // Every total edited to agree with the forged row count: only the payload itself can tell.
  test::sqlite_exec(file_,
                    "UPDATE bru_chunks SET row_count = 999 WHERE object_id = 1 AND seq = 1;"
                    "UPDATE bru_objects SET rows = 4999 WHERE object_id = 1;"
                    "UPDATE bru_meta SET value = '4999' WHERE key = 'total_rows'");
  test::reseal(file_);
  Error error = read_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(
      test::message_and_hints(error),
      "table \"public.t\", chunk 1: it holds 1000 rows, its record says 999\n" + kDamagedHint);
}

TEST_F(ArchiveBadInput, ContentChecksumDisagreesWithTheChunks) {
  test::sqlite_exec(file_,
                    "UPDATE bru_objects SET checksum = '0123456789abcdef' "
                    "WHERE object_id = 1");
  test::reseal(file_);
  auto reader = ArchiveReader::open(file_);
  std::uint64_t computed = 0;
  try {
    reader->read_table(reader->tables()[0],
                       [&](const Batch& batch) { computed += content_hash(batch); });
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    EXPECT_EQ(test::message_and_hints(error),
              "table \"public.t\": content checksum mismatch (stored 0x0123456789abcdef, "
              "computed 0x" +
                  codec::hex_u64(computed) + ")\n" + kDamagedHint);
  }
}

TEST_F(ArchiveBadInput, DamagedTableDefinition) {
  test::sqlite_exec(file_, "UPDATE bru_objects SET definition = '{not json' WHERE object_id = 1");
  test::reseal(file_);
  Error error = open_error(file_);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(error.message().rfind(
                "archive " + quoted(file_) + ": table \"public.t\": bad definition: ", 0),
            0u)
      << error.message();
  EXPECT_EQ(error.hints(), std::vector<std::string>{kDamagedHint.substr(6)});
}

TEST_F(ArchiveBadInput, TruncatedFile) {
  const fs::path cut = scratch_ / "cut.db";
  fs::copy_file(file_, cut);
  const std::uintmax_t size = fs::file_size(cut);
  fs::resize_file(cut, size / 2);
  Error error = open_error(cut);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(test::message_and_hints(error),
            "archive " + quoted(cut) + " is truncated: the file has " + std::to_string(size / 2) +
                " bytes, its header says " + std::to_string(size) + "\n" + kDamagedHint);
}

TEST_F(ArchiveBadInput, TruncatedFileWithAStaleHeaderCount) {
  // An old writer or another tool may leave the header's page count invalid; SQLite then reads
  // the damaged pages and says so, and the reader names the file and what to do.
  const fs::path cut = scratch_ / "cut.db";
  fs::copy_file(file_, cut);
  {
    std::fstream header(cut, std::ios::in | std::ios::out | std::ios::binary);
    header.seekp(92);
    header.write("\xff\xff\xff\xff", 4);  // version-valid-for no longer matches
  }
  fs::resize_file(cut, fs::file_size(cut) - 65536);
  Error error = read_error(cut);
  EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
  EXPECT_EQ(error.hints(),
            std::vector<std::string>{"the archive is damaged or truncated; run bru -VERIFY -FILE " +
                                     cut.string() + " or take a new backup"});
  EXPECT_EQ(error.message().rfind("cannot read archive " + quoted(cut), 0), 0u) << error.message();
}

// Fills the disk in a child process (RLIMIT_FSIZE stands in for a full file system) and reports
// the error the writer threw, and whether it cleaned up.
TEST(ArchiveWriterFull, DiskFullIsAnIoErrorAndLeavesNothing) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "full.db";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4u << 20, 4u << 20};
    setrlimit(RLIMIT_FSIZE, &limit);
    std::string report = "no error";
    try {
      auto writer = ArchiveWriter::create(file, {});
      Batch batch({schema::Storage::kBytes});
      batch.column(0).append_bytes(test::random_bytes(1u << 20, 3));
      schema::Table table;
      table.name = "blobs";
      table.columns.push_back(test::make_column("data", schema::TypeKind::kBlob));
      const std::int64_t table_id = writer->add_table(table, "");
      for (int chunk_idx = 0; chunk_idx < 10; ++chunk_idx) {
        writer->write_chunk(table_id, encode_chunk(batch, 1));
      }
      writer->finish_table(table_id);
      writer->finish();
    } catch (const Error& error) {
      report =
          std::to_string(static_cast<int>(error.kind())) + "|" + test::message_and_hints(error);
    }
    if (fs::exists(file) || fs::exists(file.string() + ".partial")) report += "|files left";
    (void)!write(pipe_fds[1], report.data(), report.size());
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string report;
  char buffer[512];
  for (ssize_t got; (got = read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    report.append(buffer, got);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  // SQLite reports the failed write of a commit without the errno (EFBIG here, ENOSPC on a full
  // disk), so the hint names both causes.
  EXPECT_EQ(report, "7|cannot write archive \"" + file.string() +
                        "\": disk I/O error\n"
                        "hint: check free space and the file system holding " +
                        scratch.path().string() + ", or write the archive elsewhere");
}

}  // namespace
}  // namespace bru::archive

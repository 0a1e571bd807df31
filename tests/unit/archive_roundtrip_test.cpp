// Writer and reader end to end: meta, table of contents, columns, chunks, and the file life
// cycle (.partial, rename, -FORCE, abandoned writers).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "formats/archive.h"
#include "formats/chunk_codec.h"
#include "support/test_support.h"
#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;

// Writes public.t with `chunks` chunks of 100 rows and an empty table public.empty.
void write_sample_archive(const fs::path& file, int chunks, const WriterOptions& options = {}) {
  auto writer = ArchiveWriter::create(file, options);
  writer->set_meta("source_dialect", "postgres");
  writer->set_meta("database", "shop");
  const std::int64_t table_id = writer->add_table(test::sample_table(), "CREATE TABLE t (...)");
  for (int chunk_idx = 0; chunk_idx < chunks; ++chunk_idx) {
    writer->write_chunk(table_id, encode_chunk(test::sample_batch(1 + chunk_idx * 100, 100), 1));
  }
  writer->finish_table(table_id);
  const std::int64_t empty_id =
      writer->add_table(test::sample_table("empty"), "CREATE TABLE empty");
  writer->finish_table(empty_id);
  writer->finish();
}

TEST(ArchiveRoundTrip, WritesMetaTocColumnsAndChunksAndReadsThemBack) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  write_sample_archive(file, 5);
  EXPECT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(scratch / "shop.db.partial"));

  auto reader = ArchiveReader::open(file);
  EXPECT_EQ(reader->path(), file);
  EXPECT_EQ(reader->format_version(), kFormatVersion);
  const auto& meta = reader->meta();
  EXPECT_EQ(meta.at("magic"), "bru archive");
  EXPECT_EQ(meta.at("format_version"), std::to_string(kFormatVersion));
  EXPECT_EQ(meta.at("toc_digest").size(), 16u);
  EXPECT_EQ(meta.at("codec"), "zstd");
  EXPECT_EQ(meta.at("level"), "1");
  EXPECT_EQ(meta.at("source_dialect"), "postgres");
  EXPECT_EQ(meta.at("database"), "shop");
  EXPECT_EQ(meta.at("complete"), "1");
  EXPECT_EQ(meta.at("table_count"), "2");
  EXPECT_EQ(meta.at("total_rows"), "500");
  EXPECT_EQ(meta.at("created_at").size(), std::string("2026-11-22T04:00:50Z").size());
  EXPECT_EQ(meta.at("created_at").back(), 'Z');

  ASSERT_EQ(reader->tables().size(), 2u);
  const TableEntry& entry = reader->tables()[0];
  EXPECT_EQ(entry.object_id, 1);
  EXPECT_EQ(schema::to_json(entry.table), schema::to_json(test::sample_table()));
  EXPECT_EQ(entry.native_ddl, "CREATE TABLE t (...)");
  EXPECT_EQ(entry.rows, 500);
  EXPECT_EQ(entry.chunk_count, 5);
  EXPECT_GT(entry.raw_bytes, entry.stored_bytes);
  EXPECT_EQ(entry.checksum, content_hash(test::sample_batch(1, 500)));
  EXPECT_EQ(reader->tables()[1].table.name, "empty");
  EXPECT_EQ(reader->tables()[1].rows, 0);
  EXPECT_EQ(reader->tables()[1].chunk_count, 0);

  std::vector<Batch> batches;
  reader->read_table(entry, [&](const Batch& batch) { batches.push_back(batch); });
  ASSERT_EQ(batches.size(), 5u);
  for (std::size_t chunk_idx = 0; chunk_idx < batches.size(); ++chunk_idx) {
    test::expect_same_batch(test::sample_batch(1 + static_cast<int>(chunk_idx) * 100, 100),
                            batches[chunk_idx]);
  }
  int empty_batches = 0;
  reader->read_table(reader->tables()[1], [&](const Batch&) { ++empty_batches; });
  EXPECT_EQ(empty_batches, 0);
}

TEST(ArchiveRoundTrip, IsAPlainSqliteFileADbaCanQuery) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  write_sample_archive(file, 3);
  EXPECT_EQ(test::sqlite_value(file, "PRAGMA page_size"), "65536");
  EXPECT_EQ(test::sqlite_value(file, "PRAGMA application_id"), std::to_string(0x42525541));
  EXPECT_EQ(test::sqlite_value(file, "PRAGMA user_version"), std::to_string(kFormatVersion));
  EXPECT_EQ(test::sqlite_value(file, "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(test::sqlite_value(file,
                               "SELECT group_concat(name || ':' || portable_type || ':' || "
                               "native_type || ':' || nullable || ':' || "
                               "ifnull(default_sql, 'NULL') || ':' || identity, ' ') "
                               "FROM (SELECT * FROM bru_columns WHERE object_id = 1 "
                               "ORDER BY ordinal)"),
            "id:int64:int64:0:NULL:1 score:float64:float64:1:NULL:0 name:text:text:1:'none':0");
  EXPECT_EQ(test::sqlite_value(file,
                               "SELECT kind || ' ' || schema_name || '.' || name || ' ' || "
                               "rows || ' ' || chunk_count FROM bru_objects "
                               "WHERE object_id = 1"),
            "table public.t 300 3");
  EXPECT_EQ(test::sqlite_value(file,
                               "SELECT group_concat(seq || '/' || row_count || '/' || codec "
                               "|| '/' || (length(payload) = stored_bytes) || '/' || "
                               "length(checksum), ' ') FROM (SELECT * FROM bru_chunks "
                               "ORDER BY seq)"),
            "0/100/zstd/1/16 1/100/zstd/1/16 2/100/zstd/1/16");
  EXPECT_EQ(nlohmann::json::parse(test::sqlite_value(file,
                                                     "SELECT definition FROM bru_objects "
                                                     "WHERE object_id = 1")),
            schema::to_json(test::sample_table()));
}

TEST(ArchiveRoundTrip, ManyChunksAcrossCommitsAndABigValue) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "big.db";
  Batch big({schema::Storage::kInt64, schema::Storage::kBytes});
  big.column(0).append_int(1);
  big.column(1).append_bytes(test::random_bytes(20u << 20, 1));
  schema::Table table;
  table.name = "blobs";  // no schema, as on SQLite
  table.columns.push_back(test::make_column("id", schema::TypeKind::kInt64, false));
  table.columns.push_back(test::make_column("data", schema::TypeKind::kBlob));
  {
    auto writer = ArchiveWriter::create(file, {});
    const std::int64_t table_id = writer->add_table(table, "");
    // 4 x 20 MB of incompressible data crosses the periodic commit more than once.
    for (int chunk_idx = 0; chunk_idx < 4; ++chunk_idx) {
      writer->write_chunk(table_id, encode_chunk(big, 1));
    }
    writer->finish_table(table_id);
    writer->finish();
  }
  auto reader = ArchiveReader::open(file);
  ASSERT_EQ(reader->tables().size(), 1u);
  EXPECT_EQ(reader->tables()[0].table.display_name(), "blobs");
  int chunks = 0;
  reader->read_table(reader->tables()[0], [&](const Batch& batch) {
    test::expect_same_batch(big, batch);
    ++chunks;
  });
  EXPECT_EQ(chunks, 4);
}

TEST(ArchiveWriterFiles, RefusesAnExistingArchiveWithoutForce) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  std::ofstream(file) << "precious";
  try {
    ArchiveWriter::create(file, {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConflict);
    EXPECT_EQ(test::message_and_hints(error),
              "archive \"" + file.string() +
                  "\" already exists\n"
                  "hint: use -FORCE to replace it, or choose another -FILE");
  }
  std::ifstream in(file);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  EXPECT_FALSE(fs::exists(scratch / "shop.db.partial"));
}

TEST(ArchiveWriterFiles, ForceReplacesAnExistingArchiveOnlyWhenFinished) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  write_sample_archive(file, 1);
  WriterOptions force;
  force.force = true;
  {
    auto abandoned = ArchiveWriter::create(file, force);
    abandoned->add_table(test::sample_table(), "");
  }
  EXPECT_EQ(ArchiveReader::open(file)->tables()[0].rows, 100);  // old archive untouched
  write_sample_archive(file, 2, force);
  EXPECT_EQ(ArchiveReader::open(file)->tables()[0].rows, 200);
}

TEST(ArchiveWriterFiles, AbandonedWriterLeavesNoFileAndNoPartial) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  {
    auto writer = ArchiveWriter::create(file, {});
    const std::int64_t table_id = writer->add_table(test::sample_table(), "");
    writer->write_chunk(table_id, encode_chunk(test::sample_batch(1, 100), 1));
    EXPECT_TRUE(fs::exists(scratch / "shop.db.partial"));
    EXPECT_FALSE(fs::exists(file));
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(scratch / "shop.db.partial"));
  EXPECT_TRUE(fs::is_empty(scratch.path()));
}

TEST(ArchiveWriterFiles, ReplacesAStalePartialFile) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "shop.db";
  std::ofstream(scratch / "shop.db.partial") << "left by a killed backup";
  write_sample_archive(file, 1);
  EXPECT_FALSE(fs::exists(scratch / "shop.db.partial"));
  EXPECT_EQ(ArchiveReader::open(file)->tables()[0].rows, 100);
}

TEST(ArchiveWriterFiles, CannotCreateInAMissingFolder) {
  test::ScratchDir scratch;
  const fs::path file = scratch / "no" / "such" / "x.db";
  try {
    ArchiveWriter::create(file, {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_EQ(test::message_and_hints(error),
              "cannot write archive \"" + file.string() + "\": \"" +
                  (scratch / "no" / "such").string() +
                  "\" does not exist\n"
                  "hint: create the folder first, or give another -FILE");
  }
}

TEST(ArchiveWriterFiles, ReservedMetaKeysAreTheArchivesOwn) {
  test::ScratchDir scratch;
  auto writer = ArchiveWriter::create(scratch / "x.db", {});
  try {
    writer->set_meta("complete", "1");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInternal);
    EXPECT_EQ(error.message(),
              "archive writer: meta key \"complete\" is written by the archive itself");
  }
}

}  // namespace
}  // namespace bru::archive

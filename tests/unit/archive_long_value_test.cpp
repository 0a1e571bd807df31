// Long values (FORMAT.md "Long values", format 6): a value longer than a piece is stored as the
// chunk of its row, holding only its length, then piece chunks, each compressed and checksummed on
// its own. What a reader streams, and what it says of a piece that is cut short, missing, out of
// order or damaged.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "archive_test_helpers.h"
#include "formats/archive.h"
#include "formats/batch.h"
#include "formats/chunk_codec.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;
using schema::TypeKind;

// public.docs(id int64, body blob, note text).
schema::Table docs_table() {
  schema::Table table;
  table.schema = "public";
  table.name = "docs";
  table.columns.push_back(test::make_column("id", TypeKind::kInt64, false));
  table.columns.push_back(test::make_column("body", TypeKind::kBlob));
  table.columns.push_back(test::make_column("note", TypeKind::kText));
  return table;
}

// 10 MiB + 5 bytes: pieces of 4 MiB, 4 MiB and 2 MiB + 5.
const std::string& long_body() {
  static const std::string body = test::random_bytes((10u << 20) + 5, 42);
  return body;
}

Batch short_row(std::int64_t id) {
  Batch batch(test::storages_of(docs_table()));
  batch.column(0).append_int(id);
  batch.column(1).append_bytes("short body " + std::to_string(id));
  batch.column(2).append_null();
  return batch;
}

// Row 2 as a backup reader hands it over: the body only as its length.
Batch long_row() {
  Batch batch(test::storages_of(docs_table()));
  batch.column(0).append_int(2);
  batch.column(1).append_long(long_body().size());
  batch.column(2).append_bytes("after the long value");
  return batch;
}

// The same row with the whole value, as row_hash() and a restored table see it.
Batch whole_long_row() {
  Batch batch(test::storages_of(docs_table()));
  batch.column(0).append_int(2);
  batch.column(1).append_bytes(long_body());
  batch.column(2).append_bytes("after the long value");
  return batch;
}

// Writes rows 1, 2 (long) and 3 of docs: chunks 0 (row 1), 1 (row 2), 2..4 (its pieces), 5 (row 3).
void write_docs_archive(const fs::path& file, const WriterOptions& options = {}) {
  auto writer = ArchiveWriter::create(file, options);
  const std::int64_t object_id = writer->add_table(docs_table(), "CREATE TABLE docs (...)");
  writer->write_chunk(object_id, encode_chunk(short_row(1), 1));
  const Batch row = long_row();
  writer->write_chunk(object_id, encode_chunk(row, 1));
  LongRowHasher hasher;
  hasher.begin(row);
  for (std::uint64_t offset = 0; offset < long_body().size(); offset += kPieceBytes) {
    const std::string_view piece = std::string_view(long_body()).substr(offset, kPieceBytes);
    ASSERT_TRUE(hasher.piece(1, piece));
    EncodedChunk chunk = encode_piece(1, offset, piece, 1);
    if (!hasher.pending()) chunk.content_hash = hasher.hash();
    writer->write_chunk(object_id, chunk);
  }
  ASSERT_FALSE(hasher.pending());
  writer->write_chunk(object_id, encode_chunk(short_row(3), 1));
  writer->finish_table(object_id);
  writer->finish();
}

// After an edit of the chunk index: the totals made to agree and the table of contents resealed,
// as someone who knows the format would, so that only the piece checks are left to catch it.
void fix_totals_and_reseal(const fs::path& file) {
  test::sqlite_exec(
      file,
      "UPDATE bru_objects SET chunk_count = (SELECT count(*) FROM bru_chunks c WHERE c.object_id "
      "= bru_objects.object_id), rows = (SELECT sum(row_count) FROM bru_chunks c WHERE "
      "c.object_id = bru_objects.object_id), raw_bytes = (SELECT sum(raw_bytes) FROM bru_chunks c WHERE "
      "c.object_id = bru_objects.object_id), stored_bytes = (SELECT sum(stored_bytes) FROM "
      "bru_chunks c WHERE c.object_id = bru_objects.object_id);"
      "UPDATE bru_meta SET value = (SELECT sum(row_count) FROM bru_chunks) WHERE key = "
      "'total_rows';"
      "UPDATE bru_meta SET value = (SELECT sum(raw_bytes) FROM bru_chunks) WHERE key = "
      "'total_raw_bytes';"
      "UPDATE bru_meta SET value = (SELECT sum(stored_bytes) FROM bru_chunks) WHERE key = "
      "'total_stored_bytes';");
  test::reseal(file);
}

struct Streamed {
  std::vector<Batch> batches;
  std::string pieces;  // every piece, back to back
  std::vector<std::size_t> piece_columns;
};

Streamed stream(const fs::path& file, const ReaderOptions& options = {}) {
  const auto reader = ArchiveReader::open(file, options);
  Streamed streamed;
  reader->read_table(
      reader->tables().at(0), [&](const Batch& batch) { streamed.batches.push_back(batch); },
      [&](std::size_t column_idx, std::string_view piece) {
        streamed.piece_columns.push_back(column_idx);
        streamed.pieces.append(piece);
      });
  return streamed;
}

// The error read_table() throws, checked to be a damaged archive (exit code 5).
std::string read_error(const fs::path& file) {
  try {
    stream(file);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    return test::message_and_hints(error);
  }
  ADD_FAILURE() << "the archive read without an error";
  return {};
}

class ArchiveLongValue : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = scratch_ / "docs.db";
    ASSERT_NO_FATAL_FAILURE(write_docs_archive(file_));
  }
  test::ScratchDir scratch_;
  fs::path file_;
};

TEST(LongRowHasher, HashesTheRowAsRowHashOfTheWholeValueDoes) {
  const Batch row = long_row();
  LongRowHasher hasher;
  hasher.begin(row);
  EXPECT_TRUE(hasher.pending());
  EXPECT_FALSE(hasher.piece(2, "x"));  // not the column the row is at
  EXPECT_TRUE(hasher.piece(1, std::string_view(long_body()).substr(0, 7)));
  EXPECT_TRUE(hasher.piece(1, std::string_view(long_body()).substr(7)));
  EXPECT_FALSE(hasher.pending());
  EXPECT_EQ(hasher.hash(), row_hash(whole_long_row(), 0));
  EXPECT_FALSE(hasher.piece(1, "x"));  // the row is done
}

TEST(LongValueCodec, ARowChunkHoldsTheLengthAndNoBytesOfItsLongValue) {
  std::string raw;
  codec::encode_payload(long_row(), raw);
  EXPECT_EQ(static_cast<std::uint8_t>(raw[0]), codec::kChunkLayout2);
  EXPECT_LT(raw.size(), 100u);
  const Batch decoded = codec::decode_payload(raw, test::storages_of(docs_table()));
  ASSERT_EQ(decoded.row_count(), 1u);
  EXPECT_TRUE(decoded.column(1).is_long(0));
  EXPECT_EQ(decoded.column(1).long_length(0), long_body().size());
  EXPECT_EQ(decoded.column(2).bytes_at(0), "after the long value");

  // A chunk without a long value keeps layout 1, which every earlier reader reads.
  codec::encode_payload(short_row(1), raw);
  EXPECT_EQ(static_cast<std::uint8_t>(raw[0]), codec::kChunkLayout1);
}

TEST(LongValueCodec, ALongValueInAChunkOfTwoRowsIsDamage) {
  Batch batch = long_row();
  batch.column(0).append_int(3);
  batch.column(1).append_bytes("b");
  batch.column(2).append_null();
  std::string raw;
  codec::encode_payload(batch, raw);
  try {
    codec::decode_payload(raw, test::storages_of(docs_table()));
    FAIL() << "decoded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    EXPECT_NE(error.message().find("column 2 has a long value in a chunk of 2 rows"),
              std::string::npos)
        << error.message();
  }
}

TEST_F(ArchiveLongValue, StreamsTheRowThenItsPiecesEachAtMostAPiece) {
  EXPECT_EQ(test::sqlite_value(file_, "SELECT count(*) FROM bru_chunks"), "6");
  EXPECT_EQ(test::sqlite_value(file_, "SELECT max(raw_bytes) FROM bru_chunks"),
            std::to_string(kPieceBytes + 6));  // layout byte, column and offset varints
  EXPECT_EQ(test::sqlite_value(file_, "SELECT group_concat(row_count) FROM (SELECT row_count "
                                      "FROM bru_chunks ORDER BY seq)"),
            "1,1,0,0,0,1");
  EXPECT_EQ(test::sqlite_value(file_, "SELECT value FROM bru_meta WHERE key = 'format_version'"),
            std::to_string(kFormatVersion));

  const Streamed streamed = stream(file_);
  ASSERT_EQ(streamed.batches.size(), 3u);
  EXPECT_TRUE(streamed.batches[1].column(1).is_long(0));
  EXPECT_EQ(streamed.piece_columns, (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_TRUE(streamed.pieces == long_body());
  test::expect_same_batch(short_row(3), streamed.batches[2]);
}

TEST_F(ArchiveLongValue, TheReaderWithoutPiecesAssemblesTheWholeValue) {
  const auto reader = ArchiveReader::open(file_);
  std::vector<Batch> batches;
  reader->read_table(reader->tables().at(0),
                     [&](const Batch& batch) { batches.push_back(batch); });
  ASSERT_EQ(batches.size(), 3u);
  test::expect_same_batch(whole_long_row(), batches[1]);
  EXPECT_EQ(reader->tables().at(0).checksum,
            content_hash(short_row(1)) + content_hash(whole_long_row()) +
                content_hash(short_row(3)));
}

TEST_F(ArchiveLongValue, EncryptedArchiveStreamsItsPieces) {
  const fs::path encrypted = scratch_ / "sealed.db";
  WriterOptions options;
  options.passphrase = "long values";
  options.kdf = {1, 8u << 20};
  ASSERT_NO_FATAL_FAILURE(write_docs_archive(encrypted, options));
  const Streamed streamed = stream(encrypted, {.passphrase = "long values"});
  EXPECT_TRUE(streamed.pieces == long_body());
}

TEST_F(ArchiveLongValue, TruncatedPieceIsDamageNamingTableRowAndColumn) {
  // The last piece replaced by a well-formed one of 5 bytes fewer.
  const std::string_view last = std::string_view(long_body()).substr(2 * kPieceBytes);
  const EncodedChunk shorter = encode_piece(1, 2 * kPieceBytes, last.substr(0, last.size() - 5), 1);
  ASSERT_NO_FATAL_FAILURE(test::sqlite_exec_with_blob(
      file_,
      "UPDATE bru_chunks SET payload = ?1, stored_bytes = length(?1), raw_bytes = " +
          std::to_string(shorter.raw_bytes) + ", checksum = '" + codec::hex_u64(shorter.checksum) +
          "' WHERE seq = 4",
      shorter.payload));
  fix_totals_and_reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 5: the long value of row 2, column \"body\" is cut "
            "short: 10485760 of its 10485765 bytes are there (a piece is missing)\n" +
                test::kDamagedHint);
}

TEST_F(ArchiveLongValue, MissingPieceIsDamage) {
  // The last piece removed and the chunks after it renumbered: no gap in the sequence is left.
  test::sqlite_exec(file_,
                    "DELETE FROM bru_chunks WHERE seq = 4; UPDATE bru_chunks SET seq = 4 WHERE "
                    "seq = 5");
  fix_totals_and_reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 4: the long value of row 2, column \"body\" is cut "
            "short: 8388608 of its 10485765 bytes are there (a piece is missing)\n" +
                test::kDamagedHint);
}

TEST_F(ArchiveLongValue, MissingLastPieceOfTheTableIsDamage) {
  test::sqlite_exec(file_, "DELETE FROM bru_chunks WHERE seq >= 4");
  fix_totals_and_reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 4: the long value of row 2, column \"body\" is cut "
            "short: 8388608 of its 10485765 bytes are there (a piece is missing)\n" +
                test::kDamagedHint);
}

TEST_F(ArchiveLongValue, ReorderedPiecesAreDamage) {
  test::sqlite_exec(file_,
                    "UPDATE bru_chunks SET seq = -1 WHERE seq = 2; UPDATE bru_chunks SET seq = 2 "
                    "WHERE seq = 3; UPDATE bru_chunks SET seq = 3 WHERE seq = -1");
  fix_totals_and_reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 2: a piece of column \"body\" at byte 4194304 where the "
            "piece of row 2, column \"body\" at byte 0 belongs (pieces out of order)\n" +
                test::kDamagedHint);
}

TEST_F(ArchiveLongValue, FlippedByteInAPieceIsDamage) {
  std::string payload = test::sqlite_blob(file_, "SELECT payload FROM bru_chunks WHERE seq = 3");
  ASSERT_GT(payload.size(), 100000u);
  payload[100000] = static_cast<char>(payload[100000] ^ 0x10);
  ASSERT_NO_FATAL_FAILURE(test::sqlite_exec_with_blob(
      file_, "UPDATE bru_chunks SET payload = ?1 WHERE seq = 3", payload));
  const std::string error = read_error(file_);
  EXPECT_EQ(error.rfind("table \"public.docs\", chunk 3: checksum mismatch (stored 0x", 0), 0u)
      << error;
  EXPECT_NE(error.find("\n" + test::kDamagedHint), std::string::npos) << error;
}

TEST_F(ArchiveLongValue, APieceWhereNoLongValueIsExpectedIsDamage) {
  // Row 1's chunk swapped with the first piece.
  test::sqlite_exec(file_,
                    "UPDATE bru_chunks SET seq = -1 WHERE seq = 0; UPDATE bru_chunks SET seq = 0 "
                    "WHERE seq = 2; UPDATE bru_chunks SET seq = 2 WHERE seq = -1");
  fix_totals_and_reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 0: it is a piece of a long value, but no long value is "
            "expected here\n" +
                test::kDamagedHint);
}

TEST_F(ArchiveLongValue, ALongValueInAnArchiveOfAnEarlierFormatIsDamage) {
  test::sqlite_exec(file_, "UPDATE bru_meta SET value = '5' WHERE key = 'format_version'");
  test::reseal(file_);
  EXPECT_EQ(read_error(file_),
            "table \"public.docs\", chunk 1: it holds a long value, which a format 5 archive "
            "cannot have\n" +
                test::kDamagedHint);
}

}  // namespace
}  // namespace bru::archive

// Encrypted archives (format 3): a round trip with the key; a wrong key, no key, a key for a plain
// archive; a changed byte in a chunk and in the table of contents (also resealed, as someone who
// knows the format but not the key would); chunks swapped within and across tables; and no
// plaintext name or value anywhere in the file.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "formats/archive.h"
#include "support/test_support.h"
#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPassphrase = "correct horse battery staple";
// The smallest Argon2id limits libsodium allows: the tests check the construction, not its cost.
constexpr KdfLimits kTestKdf{1, 8192};
const std::string kAuthHint =
    "hint: the archive was changed after it was written; restore it from another copy, or take "
    "a new backup";

// ledger_xq(iban_xq int64, holder_xq text) with values and names found nowhere else.
schema::Table ledger_table(const std::string& name) {
  schema::Table table;
  table.schema = "bank_schema_xq";
  table.name = name;
  table.columns.push_back(test::make_column("iban_xq", schema::TypeKind::kInt64, false));
  table.columns.push_back(test::make_column("holder_xq", schema::TypeKind::kText));
  return table;
}

Batch ledger_batch(std::int64_t first_id, std::size_t rows) {
  Batch batch({schema::Storage::kInt64, schema::Storage::kBytes});
  for (std::size_t row = 0; row < rows; ++row) {
    batch.column(0).append_int(first_id + static_cast<std::int64_t>(row));
    batch.column(1).append_bytes("holder Zorblax Quintessa " + std::to_string(first_id + row));
  }
  return batch;
}

// ledger_xq with two chunks of 10 rows (ids 10.., 20..) and audit_xq with one (ids 30..), all of
// the same sizes, so that chunks can be swapped without changing any size.
void write_ledger(const fs::path& file, std::optional<std::string> passphrase) {
  WriterOptions options;
  options.passphrase = std::move(passphrase);
  options.kdf = kTestKdf;
  auto writer = ArchiveWriter::create(file, options);
  writer->set_meta("database", "treasury_db_xq");
  const std::int64_t ledger =
      writer->add_table(ledger_table("ledger_xq"), "CREATE TABLE ledger_xq");
  writer->write_chunk(ledger, encode_chunk(ledger_batch(10, 10), 1));
  writer->write_chunk(ledger, encode_chunk(ledger_batch(20, 10), 1));
  writer->finish_table(ledger);
  const std::int64_t audit = writer->add_table(ledger_table("audit_xq"), "CREATE TABLE audit_xq");
  writer->write_chunk(audit, encode_chunk(ledger_batch(30, 10), 1));
  writer->finish_table(audit);
  writer->finish();
}

ReaderOptions with_key(std::string_view passphrase = kPassphrase) {
  return {.passphrase = std::string(passphrase)};
}

std::string file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string open_error(const fs::path& file, const ReaderOptions& options, ErrorKind& kind) {
  try {
    ArchiveReader::open(file, options);
  } catch (const Error& error) {
    kind = error.kind();
    return test::message_and_hints(error);
  }
  return "(opened)";
}

std::string read_error(const ArchiveReader& reader, std::size_t table_idx) {
  try {
    reader.read_table(reader.tables().at(table_idx), [](const Batch&) {});
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    return test::message_and_hints(error);
  }
  return "(read)";
}

class ArchiveCryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { write_ledger(file_, std::string(kPassphrase)); }
  std::string quoted() const { return "archive \"" + file_.string() + "\""; }

  test::ScratchDir scratch_;
  fs::path file_ = scratch_ / "ledger.db";
};

TEST_F(ArchiveCryptoTest, RoundTripWithTheKey) {
  const auto reader = ArchiveReader::open(file_, with_key());
  EXPECT_EQ(reader->format_version(), kFormatVersion);
  EXPECT_TRUE(reader->encrypted());
  EXPECT_FALSE(reader->locked());
  EXPECT_EQ(reader->meta().at("database"), "treasury_db_xq");
  EXPECT_EQ(reader->meta().at("encryption"), "xchacha20-poly1305");
  ASSERT_EQ(reader->tables().size(), 2u);
  const TableEntry& ledger = reader->tables()[0];
  EXPECT_EQ(schema::to_json(ledger.table), schema::to_json(ledger_table("ledger_xq")));
  EXPECT_EQ(ledger.native_ddl, "CREATE TABLE ledger_xq");
  EXPECT_EQ(ledger.rows, 20);
  EXPECT_EQ(ledger.chunk_count, 2);
  EXPECT_EQ(ledger.checksum,
            content_hash(ledger_batch(10, 10)) + content_hash(ledger_batch(20, 10)));
  std::vector<Batch> batches;
  reader->read_table(ledger, [&](const Batch& batch) { batches.push_back(batch); });
  ASSERT_EQ(batches.size(), 2u);
  test::expect_same_batch(ledger_batch(10, 10), batches[0]);
  test::expect_same_batch(ledger_batch(20, 10), batches[1]);
  EXPECT_EQ(reader->tables()[1].table.name, "audit_xq");
}

TEST_F(ArchiveCryptoTest, NoNameOrValueInTheFile) {
  const std::string encrypted = file_bytes(file_);
  const fs::path plain_file = scratch_ / "plain.db";
  write_ledger(plain_file, std::nullopt);
  const std::string plain = file_bytes(plain_file);
  for (const std::string needle : {"ledger_xq", "audit_xq", "bank_schema_xq", "iban_xq",
                                   "holder_xq", "Zorblax", "treasury_db_xq"}) {
    // The plain archive holds each one, so the search would find it.
    EXPECT_NE(plain.find(needle), std::string::npos) << needle;
    EXPECT_EQ(encrypted.find(needle), std::string::npos) << needle;
  }
}

TEST_F(ArchiveCryptoTest, WrongKeyIsAuthenticationFailed) {
  ErrorKind kind{};
  EXPECT_EQ(open_error(file_, with_key("correct horse battery stapler"), kind),
            quoted() +
                ": authentication failed: the key does not open this archive (wrong key, or its "
                "key check was changed)\n"
                "hint: give the -KEY-FILE or -KEY-ENV the backup was written with");
  EXPECT_EQ(kind, ErrorKind::kArchiveCorrupt);
}

TEST_F(ArchiveCryptoTest, NoKeyIsRefusedUnlessLockedIsAllowed) {
  ErrorKind kind{};
  EXPECT_EQ(open_error(file_, {}, kind),
            quoted() +
                " is encrypted and no key was given\n"
                "hint: give the passphrase it was written with: -KEY-FILE <file> or -KEY-ENV "
                "<variable>");
  EXPECT_EQ(kind, ErrorKind::kUsage);

  const auto reader = ArchiveReader::open(file_, {.allow_locked = true});
  EXPECT_TRUE(reader->encrypted());
  EXPECT_TRUE(reader->locked());
  EXPECT_TRUE(reader->tables().empty());
  EXPECT_EQ(reader->meta().count("database"), 0u);
  EXPECT_EQ(reader->meta().at("table_count"), "2");
  EXPECT_EQ(reader->meta().at("total_rows"), "30");
}

TEST_F(ArchiveCryptoTest, KeyForAPlainArchiveIsRefused) {
  const fs::path plain_file = scratch_ / "plain.db";
  write_ledger(plain_file, std::nullopt);
  ErrorKind kind{};
  EXPECT_EQ(open_error(plain_file, with_key(), kind),
            "archive \"" + plain_file.string() +
                "\": authentication failed: the archive is not encrypted, but a key was given "
                "(-KEY-FILE or -KEY-ENV)\n" +
                kAuthHint);
  EXPECT_EQ(kind, ErrorKind::kArchiveCorrupt);
}

TEST_F(ArchiveCryptoTest, FlippedByteInAChunk) {
  std::string payload =
      test::sqlite_blob(file_, "SELECT payload FROM bru_chunks WHERE object_id = 1 AND seq = 1");
  ASSERT_GT(payload.size(), 40u);
  payload[payload.size() / 2] ^= 0x01;
  test::sqlite_exec_with_blob(
      file_, "UPDATE bru_chunks SET payload = ?1 WHERE object_id = 1 AND seq = 1", payload);
  const auto reader = ArchiveReader::open(file_, with_key());  // the TOC is intact
  EXPECT_EQ(read_error(*reader, 0),
            quoted() +
                ": authentication failed: table \"bank_schema_xq.ledger_xq\", chunk 1 was "
                "changed, or moved from another place in the archive\n" +
                kAuthHint);
  EXPECT_EQ(read_error(*reader, 1), "(read)");
}

TEST_F(ArchiveCryptoTest, SwappedChunksWithinATableAndAcrossTables) {
  const auto chunk = [&](int object_id, int seq) {
    return test::sqlite_blob(
        file_, "SELECT payload FROM bru_chunks WHERE object_id = " + std::to_string(object_id) +
                   " AND seq = " + std::to_string(seq));
  };
  const auto put = [&](int object_id, int seq, const std::string& payload) {
    test::sqlite_exec_with_blob(file_,
                                "UPDATE bru_chunks SET payload = ?1 WHERE object_id = " +
                                    std::to_string(object_id) + " AND seq = " + std::to_string(seq),
                                payload);
  };
  const std::string ledger0 = chunk(1, 0);
  const std::string ledger1 = chunk(1, 1);
  const std::string audit0 = chunk(2, 0);
  ASSERT_EQ(ledger0.size(), ledger1.size());  // same sizes: only the binding can tell them apart
  ASSERT_EQ(ledger0.size(), audit0.size());
  put(1, 0, ledger1);
  put(1, 1, ledger0);
  {
    const auto reader = ArchiveReader::open(file_, with_key());
    EXPECT_EQ(read_error(*reader, 0),
              quoted() +
                  ": authentication failed: table \"bank_schema_xq.ledger_xq\", chunk 0 was "
                  "changed, or moved from another place in the archive\n" +
                  kAuthHint);
  }
  put(1, 0, ledger0);
  put(1, 1, ledger1);
  put(2, 0, ledger0);
  const auto reader = ArchiveReader::open(file_, with_key());
  EXPECT_EQ(read_error(*reader, 0), "(read)");
  EXPECT_EQ(read_error(*reader, 1),
            quoted() +
                ": authentication failed: table \"bank_schema_xq.audit_xq\", chunk 0 was "
                "changed, or moved from another place in the archive\n" +
                kAuthHint);
}

// Every edit of the table of contents fails the MAC, checked before anything else is trusted:
// with the row checksums and digest left stale, and recomputed by someone without the key.
TEST_F(ArchiveCryptoTest, ChangedTableOfContents) {
  const std::string toc_changed =
      quoted() +
      ": authentication failed: the table of contents was changed (bru_meta, bru_objects, "
      "bru_columns or the chunk index)\n" +
      kAuthHint;
  const std::string definition =
      test::sqlite_value(file_, "SELECT definition FROM bru_objects WHERE object_id = 1");
  std::string flipped = definition;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  const fs::path pristine = scratch_ / "pristine.db";
  fs::copy_file(file_, pristine);
  for (const std::string& edit :
       {"UPDATE bru_objects SET definition = '" + flipped + "' WHERE object_id = 1",
        std::string("UPDATE bru_objects SET rows = 19 WHERE object_id = 1"),
        std::string("UPDATE bru_chunks SET row_count = 9 WHERE object_id = 2"),
        std::string(
            "UPDATE bru_meta SET value = '" +
            test::sqlite_value(file_, "SELECT value FROM bru_meta WHERE key = 'total_rows'") +
            "0' WHERE key = 'total_rows'"),
        std::string("DELETE FROM bru_objects WHERE object_id = 2")}) {
    for (const bool reseal : {false, true}) {
      fs::copy_file(pristine, file_, fs::copy_options::overwrite_existing);
      test::sqlite_exec(file_, edit);
      if (reseal) test::reseal(file_);
      ErrorKind kind{};
      EXPECT_EQ(open_error(file_, with_key(), kind), toc_changed) << edit << " reseal " << reseal;
      EXPECT_EQ(kind, ErrorKind::kArchiveCorrupt) << edit;
    }
  }
  // Without the key only the meta row checksums and the digest can be checked: they catch a
  // stale one.
  fs::copy_file(pristine, file_, fs::copy_options::overwrite_existing);
  test::sqlite_exec(file_, "UPDATE bru_objects SET rows = 19 WHERE object_id = 1");
  ErrorKind kind{};
  EXPECT_NE(open_error(file_, {.allow_locked = true}, kind).find("does not match its digest"),
            std::string::npos);
}

TEST_F(ArchiveCryptoTest, KeyDerivationLimitsOutOfRangeAreDamage) {
  test::sqlite_exec(file_,
                    "UPDATE bru_meta SET value = '1099511627776' WHERE key = 'kdf_mem_bytes'");
  ErrorKind kind{};
  EXPECT_EQ(open_error(file_, with_key(), kind),
            quoted() +
                " has no valid key derivation parameters (kdf_salt, kdf_ops, kdf_mem_bytes, "
                "key_check in bru_meta)\n" +
                test::kDamagedHint);
  EXPECT_EQ(kind, ErrorKind::kArchiveCorrupt);
}

}  // namespace
}  // namespace bru::archive

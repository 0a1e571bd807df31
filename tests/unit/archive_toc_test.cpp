// The table of contents is checked as closely as the chunks (format 2): one test per kind of edit
// that a flipped bit or a careless hand can make to what a restore uses, each refused at open with
// kArchiveCorrupt naming the object; then the same edits with the row checksums and the digest
// recomputed, which the cross-checks still catch; then reading format 1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "formats/archive.h"
#include "support/test_support.h"
#include "unit/archive_test_helpers.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;

using test::kDamagedHint;

// public.customers(id, name) and public.orders(id, customer_id NOT NULL, note) with a primary
// key, an index and a foreign key to customers: every part of a definition a restore recreates.
std::vector<schema::Table> shop_tables() {
  schema::Table customers;
  customers.schema = "public";
  customers.name = "customers";
  customers.dialect = "postgres";
  customers.columns.push_back(test::make_column("id", schema::TypeKind::kInt64, false));
  customers.columns.push_back(test::make_column("name", schema::TypeKind::kText));
  customers.primary_key = {"id"};
  customers.primary_key_name = "customers_pkey";

  schema::Table orders;
  orders.schema = "public";
  orders.name = "orders";
  orders.dialect = "postgres";
  orders.columns.push_back(test::make_column("id", schema::TypeKind::kInt64, false));
  orders.columns.push_back(test::make_column("customer_id", schema::TypeKind::kInt64, false));
  orders.columns.push_back(test::make_column("note", schema::TypeKind::kText));
  orders.columns[2].default_sql = "'none'";
  orders.primary_key = {"id"};
  orders.primary_key_name = "orders_pkey";
  schema::Index index;
  index.name = "orders_customer_idx";
  index.columns = {"customer_id"};
  index.definition_sql =
      "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)";
  orders.indexes.push_back(index);
  schema::ForeignKey fk;
  fk.name = "orders_customer_fk";
  fk.columns = {"customer_id"};
  fk.ref_schema = "public";
  fk.ref_table = "customers";
  fk.ref_columns = {"id"};
  fk.on_delete = "NO ACTION";
  fk.on_update = "NO ACTION";
  orders.foreign_keys.push_back(fk);
  return {customers, orders};
}

// customers: 1 chunk of 10 rows; orders: 3 chunks of 100 rows.
void write_shop(const fs::path& file) {
  auto writer = ArchiveWriter::create(file, {});
  writer->set_meta("source_dialect", "postgres");
  const auto tables = shop_tables();
  const std::int64_t customers_id = writer->add_table(tables[0], "CREATE TABLE customers");
  Batch customers(test::storages_of(tables[0]));
  for (int row = 0; row < 10; ++row) {
    customers.column(0).append_int(row);
    customers.column(1).append_bytes("customer " + std::to_string(row));
  }
  writer->write_chunk(customers_id, encode_chunk(customers, 1));
  writer->finish_table(customers_id);
  const std::int64_t orders_id = writer->add_table(tables[1], "CREATE TABLE orders");
  for (int chunk_idx = 0; chunk_idx < 3; ++chunk_idx) {
    Batch orders(test::storages_of(tables[1]));
    for (int row = 0; row < 100; ++row) {
      orders.column(0).append_int(chunk_idx * 100 + row);
      orders.column(1).append_int(row % 10);
      orders.column(2).append_bytes("order " + std::to_string(row));
    }
    writer->write_chunk(orders_id, encode_chunk(orders, 1));
  }
  writer->finish_table(orders_id);
  writer->finish();
}

class ArchiveToc : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = scratch_ / "shop.db";
    write_shop(file_);
  }

  // Opens and reads every table; returns what was thrown.
  Error open_error() const {
    try {
      auto reader = ArchiveReader::open(file_);
      for (const TableEntry& entry : reader->tables()) {
        reader->read_table(entry, [](const Batch&) {});
      }
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "reading " << file_ << " did not fail";
    return Error(ErrorKind::kInternal, "nothing thrown");
  }

  void expect_refused(const std::string& edit, const std::string& message) const {
    test::sqlite_exec(file_, edit);
    const Error error = open_error();
    EXPECT_EQ(error.kind(), ErrorKind::kArchiveCorrupt);
    EXPECT_EQ(test::message_and_hints(error),
              "archive \"" + file_.string() + "\"" + message + "\n" + kDamagedHint);
  }
  void expect_object_refused(const std::string& edit, const std::string& table) const {
    expect_refused(edit, ": table \"" + table +
                             "\" is damaged in the table of contents (its bru_objects row "
                             "checksum does not match)");
  }
  void expect_column_refused(const std::string& edit, int ordinal) const {
    expect_refused(edit, ": table \"public.orders\", column " + std::to_string(ordinal) +
                             ": damaged in the table of contents (its bru_columns row checksum "
                             "does not match)");
  }

  test::ScratchDir scratch_;
  fs::path file_;
};

const std::string kOrders = " WHERE object_id = 2";

TEST_F(ArchiveToc, AnIntactArchiveOpens) {
  auto reader = ArchiveReader::open(file_);
  ASSERT_EQ(reader->tables().size(), 2u);
  EXPECT_EQ(reader->format_version(), kFormatVersion);
  EXPECT_EQ(schema::to_json(reader->tables()[1].table), schema::to_json(shop_tables()[1]));
}

TEST_F(ArchiveToc, KindTableFlippedToTabld) {
  // A format 1 reader skipped the table and restored the others: 300 rows gone, exit 0.
  expect_object_refused("UPDATE bru_objects SET kind = 'tabld'" + kOrders, "public.orders");
}

TEST_F(ArchiveToc, TableRenamed) {
  expect_object_refused("UPDATE bru_objects SET name = 'ordert'" + kOrders, "public.ordert");
}

TEST_F(ArchiveToc, TableRenamedInTheDefinition) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"name\":\"orders\"', "
      "'\"name\":\"ordert\"')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, ColumnRenamedInTheDefinition) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"name\":\"note\"', "
      "'\"name\":\"notd\"')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, ColumnRenamedInBruColumns) {
  expect_column_refused("UPDATE bru_columns SET name = 'notd' WHERE object_id = 2 AND ordinal = 3",
                        3);
}

TEST_F(ArchiveToc, TypeChanged) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"type\":\"text\"', "
      "'\"type\":\"blob\"')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, TypeChangedInBruColumns) {
  expect_column_refused(
      "UPDATE bru_columns SET portable_type = 'blob' WHERE object_id = 2 AND ordinal = 3", 3);
}

TEST_F(ArchiveToc, NotNullRemoved) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"nullable\":false', "
      "'\"nullable\":true')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, NotNullRemovedInBruColumns) {
  expect_column_refused("UPDATE bru_columns SET nullable = 1 WHERE object_id = 2 AND ordinal = 2",
                        2);
}

TEST_F(ArchiveToc, PrimaryKeyRemoved) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"primary_key\":[\"id\"]', "
      "'\"primary_key\":[]')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, ForeignKeyRemoved) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = json_remove(definition, '$.foreign_keys[0]')" + kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, IndexRemoved) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = json_remove(definition, '$.indexes[0]')" + kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, OnDeleteCascadeAdded) {
  expect_object_refused(
      "UPDATE bru_objects SET definition = replace(definition, '\"on_delete\":\"NO ACTION\"', "
      "'\"on_delete\":\"CASCADE\"')" +
          kOrders,
      "public.orders");
}

TEST_F(ArchiveToc, TableTotalEdited) {
  expect_object_refused("UPDATE bru_objects SET rows = 299" + kOrders, "public.orders");
}

TEST_F(ArchiveToc, MetaTotalRowsEdited) {
  expect_refused("UPDATE bru_meta SET value = '309' WHERE key = 'total_rows'",
                 ": bru_meta \"total_rows\" is damaged (its row checksum does not match)");
}

TEST_F(ArchiveToc, MetaTableCountEdited) {
  expect_refused("UPDATE bru_meta SET value = '1' WHERE key = 'table_count'",
                 ": bru_meta \"table_count\" is damaged (its row checksum does not match)");
}

TEST_F(ArchiveToc, ChunkRowRemoved) {
  expect_refused("DELETE FROM bru_chunks WHERE object_id = 2 AND seq = 1",
                 ": table \"public.orders\": the chunk index holds 2 chunks, the table of "
                 "contents says 3");
}

TEST_F(ArchiveToc, ChunkRowAdded) {
  expect_refused(
      "INSERT INTO bru_chunks SELECT object_id, 3, row_count, raw_bytes, stored_bytes, codec, "
      "checksum, payload FROM bru_chunks WHERE object_id = 2 AND seq = 0",
      ": table \"public.orders\": the chunk index holds 4 chunks, the table of contents says 3");
}

TEST_F(ArchiveToc, ChunkOfAnObjectThatIsNotATable) {
  expect_refused(
      "UPDATE bru_chunks SET object_id = 9 WHERE object_id = 1",
      ": the chunk index has chunks of object 9, which is not a table of the table of contents");
}

TEST_F(ArchiveToc, ColumnRowRemoved) {
  expect_refused("DELETE FROM bru_columns WHERE object_id = 2 AND ordinal = 3",
                 ": table \"public.orders\": bru_columns lists 2 columns, the definition 3");
}

TEST_F(ArchiveToc, FreeFormMetaRowRemovedIsCaughtByTheDigest) {
  expect_refused("DELETE FROM bru_meta WHERE key = 'source_dialect'",
                 ": the table of contents does not match its digest (a row was added, removed "
                 "or changed)");
}

TEST_F(ArchiveToc, DigestRemoved) {
  expect_refused("DELETE FROM bru_meta WHERE key = 'toc_digest'",
                 " has no valid toc_digest in bru_meta");
}

TEST_F(ArchiveToc, FormatVersionLoweredToSkipTheChecks) {
  expect_refused("UPDATE bru_meta SET value = '1' WHERE key = 'format_version'",
                 " says format version 1 but its tables have row checksums (version 2)");
}

// The same edits with every row checksum and the digest recomputed: the cross-checks between the
// chunk index, the tables and bru_meta still refuse them.

TEST_F(ArchiveToc, ResealedMetaTotalRows) {
  test::sqlite_exec(file_, "UPDATE bru_meta SET value = '309' WHERE key = 'total_rows'");
  test::reseal(file_);
  expect_refused("", ": bru_meta says total_rows = 309, the tables hold 310");
}

TEST_F(ArchiveToc, ResealedMetaTableCount) {
  test::sqlite_exec(file_, "UPDATE bru_meta SET value = '1' WHERE key = 'table_count'");
  test::reseal(file_);
  expect_refused("", ": bru_meta says table_count = 1, the tables hold 2");
}

TEST_F(ArchiveToc, ResealedTableDroppedFromTheTableOfContents) {
  test::sqlite_exec(file_, "UPDATE bru_objects SET kind = 'tabld'" + kOrders);
  test::reseal(file_);
  expect_refused("", ": object 2 (\"public.orders\") has the unknown kind \"tabld\"");
}

TEST_F(ArchiveToc, ResealedChunkRowRemoved) {
  test::sqlite_exec(file_, "DELETE FROM bru_chunks WHERE object_id = 2 AND seq = 2");
  test::reseal(file_);
  expect_refused("",
                 ": table \"public.orders\": the chunk index holds 2 chunks, the table of "
                 "contents says 3");
}

TEST_F(ArchiveToc, ResealedStoredBytesEdited) {
  test::sqlite_exec(file_, "UPDATE bru_objects SET stored_bytes = stored_bytes + 1" + kOrders);
  test::reseal(file_);
  const std::string held =
      test::sqlite_value(file_, "SELECT sum(stored_bytes) FROM bru_chunks WHERE object_id = 2");
  expect_refused("", ": table \"public.orders\": the chunk index holds " + held +
                         " stored bytes, the table of contents says " +
                         std::to_string(std::stoll(held) + 1));
}

TEST_F(ArchiveToc, ResealedColumnRenamedInTheDefinitionOnly) {
  test::sqlite_exec(file_,
                    "UPDATE bru_objects SET definition = replace(definition, '\"name\":\"note\"', "
                    "'\"name\":\"notd\"')" +
                        kOrders);
  test::reseal(file_);
  expect_refused("",
                 ": table \"public.orders\", column 3 (\"notd\"): bru_columns and the "
                 "definition disagree");
}

TEST_F(ArchiveToc, ResealedTableRenamedInBruObjectsOnly) {
  test::sqlite_exec(file_, "UPDATE bru_objects SET name = 'ordert'" + kOrders);
  test::reseal(file_);
  expect_refused("",
                 ": bru_objects names table \"public.ordert\", its definition "
                 "\"public.orders\"");
}

// Format 1 archives (no row checksums, no digest) are still read; their cross-checks still run.
class ArchiveTocVersion1 : public ArchiveToc {
 protected:
  void SetUp() override {
    ArchiveToc::SetUp();
    test::sqlite_exec(file_,
                      "ALTER TABLE bru_meta DROP COLUMN row_checksum;"
                      "ALTER TABLE bru_objects DROP COLUMN row_checksum;"
                      "ALTER TABLE bru_columns DROP COLUMN row_checksum;"
                      "DELETE FROM bru_meta WHERE key = 'toc_digest';"
                      "UPDATE bru_meta SET value = '1' WHERE key = 'format_version';"
                      "PRAGMA user_version = 1");
  }
};

TEST_F(ArchiveTocVersion1, IsRead) {
  auto reader = ArchiveReader::open(file_);
  EXPECT_EQ(reader->format_version(), 1);
  ASSERT_EQ(reader->tables().size(), 2u);
  std::int64_t rows = 0;
  for (const TableEntry& entry : reader->tables()) {
    reader->read_table(
        entry, [&](const Batch& batch) { rows += static_cast<std::int64_t>(batch.row_count()); });
  }
  EXPECT_EQ(rows, 310);
}

TEST_F(ArchiveTocVersion1, TotalsAreCrossChecked) {
  expect_refused("UPDATE bru_meta SET value = '309' WHERE key = 'total_rows'",
                 ": bru_meta says total_rows = 309, the tables hold 310");
}

}  // namespace
}  // namespace bru::archive

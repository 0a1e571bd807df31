// The PostgreSQL loader against the test server: every column type with a binary field goes in
// COPY's binary format and reads back as the text it came from; a table with another type goes
// in text; a value the binary form does not take exactly makes the rest of the table go in text,
// every row loaded once, and a value the server then refuses is named by its row of the table.
// The reader's slices (a parallel backup's page ranges) read every row exactly once.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "bru/odbc/connection_string.h"
#include "bru/pg/copy_loader.h"
#include "bru/pg/copy_reader.h"
#include "formats/archive.h"
#include "bru/pg/session.h"
#include "schema/engines/postgres/postgres.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::pg {
namespace {

using schema::PortableType;
using schema::Storage;
using schema::TypeKind;

struct Target {
  explicit Target(const std::string& name)
      : session(conninfo_of(odbc::parse_connection(test::create_postgres_database(name), {}), 15),
                "the test server") {}

  // The table's rows, each "a|b|c" (NULL as "-"), in id order.
  std::string rows(const std::string& table, const std::vector<std::string>& columns) {
    std::string fields;
    for (const auto& column : columns) {
      if (!fields.empty()) fields += " || '|' || ";
      fields += "COALESCE(CAST(" + column + " AS text), '-')";
    }
    return session.query_value("SELECT string_agg(" + fields + ", E'\\n' ORDER BY id) FROM " +
                               table);
  }

  schema::dialects::PostgresDialect dialect;
  Session session;
};

schema::Table table_of(const std::string& name,
                       const std::vector<std::pair<std::string, PortableType>>& columns) {
  schema::Table table;
  table.schema = "public";
  table.name = name;
  table.dialect = "postgres";
  for (const auto& [column_name, type] : columns) {
    schema::Column column;
    column.name = column_name;
    column.type = type;
    table.columns.push_back(column);
  }
  return table;
}

std::vector<Storage> storages_of(const schema::Table& table) {
  std::vector<Storage> storages;
  for (const auto& column : table.columns) storages.push_back(schema::storage_of(column.type.kind));
  return storages;
}

TEST(PgCopyLoader, EveryTypeWithABinaryFieldGoesInBinaryAndReadsBackAsItsText) {
  Target target("bru_copy_binary_every_type");
  target.session.execute(
      "CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0); "
      "CREATE TABLE public.every (id bigint, flag boolean, small smallint, num public.positive, "
      "ratio real, wide double precision, amount numeric(12,4), free numeric, code varchar(8), "
      "fixed character(4), note text, doc json, jdoc jsonb, raw bytea, day date, at time, "
      "stamp timestamp(3), moment timestamptz, ref uuid)");
  const auto table = table_of(
      "every", {{"id", {TypeKind::kInt64}},
                {"flag", {TypeKind::kBool}},
                {"small", {TypeKind::kInt16}},
                {"num", {TypeKind::kInt32}},
                {"ratio", {TypeKind::kFloat32}},
                {"wide", {TypeKind::kFloat64}},
                {"amount", {TypeKind::kDecimal, 0, 12, 4}},
                {"free", {TypeKind::kDecimal}},
                {"code", {TypeKind::kVarchar, 8}},
                {"fixed", {TypeKind::kChar, 4}},
                {"note", {TypeKind::kText}},
                {"doc", {TypeKind::kJson}},
                {"jdoc", {TypeKind::kJson}},
                {"raw", {TypeKind::kBlob}},
                {"day", {TypeKind::kDate}},
                {"at", {TypeKind::kTime, 0, 0, 6}},
                {"stamp", {TypeKind::kTimestamp, 0, 0, 3}},
                {"moment", {TypeKind::kTimestampTz, 0, 0, 6}},
                {"ref", {TypeKind::kUuid}}});
  archive::Batch batch(storages_of(table));
  auto text = [&](std::size_t column, std::string_view value) {
    batch.column(column).append_bytes(value);
  };
  // Row 1: ordinary values. Row 2: the edges (BC, infinity, NaN, 24:00, extremes, bytes that
  // text COPY escapes). Row 3: NULL everywhere but the key.
  batch.column(0).append_int(1);
  batch.column(1).append_int(1);
  batch.column(2).append_int(-32768);
  batch.column(3).append_int(7);
  batch.column(4).append_double(1.5);
  batch.column(5).append_double(-0.1);
  text(6, "-12345.6700");
  text(7, "0.000000001");
  text(8, "née");
  text(9, "ab  ");
  text(10, "tab\there\nline \\ back");
  text(11, "{\"a\": [1, 2]}");
  text(12, "{\"b\": true}");
  text(13, std::string_view("\0\x01\xff\\", 4));
  text(14, "2024-02-29");
  text(15, "10:00:00.5");
  text(16, "2024-01-31 10:00:00.125");
  text(17, "2024-01-31 23:59:59.999999+00");
  text(18, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

  batch.column(0).append_int(2);
  batch.column(1).append_int(0);
  batch.column(2).append_int(32767);
  batch.column(3).append_int(2147483647);
  batch.column(4).append_double(-3.25e-20);
  batch.column(5).append_double(std::numeric_limits<double>::infinity());
  text(6, "99999999.9999");
  text(7, "NaN");
  text(8, "");
  text(9, "abcd");
  text(10, "");
  text(11, "[]");
  text(12, "{}");
  text(13, "");
  text(14, "0044-03-15 BC");
  text(15, "24:00:00");
  text(16, "infinity");
  text(17, "0044-03-15 10:00:00+00 BC");
  text(18, "00000000-0000-0000-0000-000000000000");

  batch.column(0).append_int(3);
  for (std::size_t column = 1; column < table.columns.size(); ++column) {
    batch.column(column).append_null();
  }

  target.session.begin();
  CopyLoader loader(target.session, target.dialect, table);
  EXPECT_EQ(loader.format(), CopyFormat::kBinary);
  loader.write(batch);
  EXPECT_EQ(loader.finish().rows, 3);
  EXPECT_EQ(loader.format(), CopyFormat::kBinary);
  target.session.commit();

  EXPECT_EQ(target.rows("public.every", {"flag", "small", "num", "ratio", "wide", "amount", "free",
                                         "code", "fixed", "note", "doc", "jdoc", "raw", "day", "at",
                                         "stamp", "moment", "ref"}),
            // (CAST(character(4) AS text) drops the padding)
            "true|-32768|7|1.5|-0.1|-12345.6700|0.000000001|née|ab|tab\there\nline \\ back|"
            "{\"a\": [1, 2]}|{\"b\": true}|\\x0001ff5c|2024-02-29|10:00:00.5|"
            "2024-01-31 10:00:00.125|2024-01-31 23:59:59.999999+00|"
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n"
            "false|32767|2147483647|-3.25e-20|Infinity|99999999.9999|NaN||abcd||[]|{}|\\x|"
            "0044-03-15 BC|24:00:00|infinity|0044-03-15 10:00:00+00 BC|"
            "00000000-0000-0000-0000-000000000000\n"
            "-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-");
}

TEST(PgCopyLoader, ATableWithATypeWithoutABinaryFieldGoesInText) {
  Target target("bru_copy_binary_interval");
  target.session.execute("CREATE TABLE public.waits (id bigint, took interval)");
  const auto table = table_of("waits", {{"id", {TypeKind::kInt64}}, {"took", {TypeKind::kText}}});
  archive::Batch batch(storages_of(table));
  batch.column(0).append_int(1);
  batch.column(1).append_bytes("P1DT2H");
  target.session.begin();
  CopyLoader loader(target.session, target.dialect, table);
  EXPECT_EQ(loader.format(), CopyFormat::kText);
  loader.write(batch);
  EXPECT_EQ(loader.finish().rows, 1);
  target.session.commit();
  EXPECT_EQ(target.rows("public.waits", {"took"}), "1 day 02:00:00");
}

// Timestamps as another engine's text: canonical ones go in binary until the first that is not.
schema::Table stamps_table() {
  return table_of("stamps", {{"id", {TypeKind::kInt64}}, {"at", {TypeKind::kText}}});
}

archive::Batch stamps(const std::vector<std::string>& values, std::int64_t first_id = 1) {
  archive::Batch batch(storages_of(stamps_table()));
  for (std::size_t row = 0; row < values.size(); ++row) {
    batch.column(0).append_int(first_id + static_cast<std::int64_t>(row));
    batch.column(1).append_bytes(values[row]);
  }
  return batch;
}

TEST(PgCopyLoader, AValueTheBinaryFormDoesNotTakeSendsTheRestOfTheTableInText) {
  Target target("bru_copy_binary_switch");
  target.session.execute("CREATE TABLE public.stamps (id bigint, at timestamp)");
  const auto table = stamps_table();
  target.session.begin();
  CopyLoader loader(target.session, target.dialect, table);
  EXPECT_EQ(loader.format(), CopyFormat::kBinary);
  loader.write(stamps({"2024-01-31 10:00:00", "2024-01-31T11:00:00"}));
  EXPECT_EQ(loader.format(), CopyFormat::kText);
  loader.write(stamps({"2024-01-31 12:00:00"}, 3));
  EXPECT_EQ(loader.finish().rows, 3);
  target.session.commit();
  EXPECT_EQ(target.rows("public.stamps", {"id", "at"}),
            "1|2024-01-31 10:00:00\n2|2024-01-31 11:00:00\n3|2024-01-31 12:00:00");
}

TEST(PgCopyLoader, AValueRefusedAfterTheSwitchIsNamedByItsRowOfTheTable) {
  Target target("bru_copy_binary_refused");
  target.session.execute("CREATE TABLE public.stamps (id bigint, at timestamp)");
  const auto table = stamps_table();
  target.session.begin();
  try {
    CopyLoader loader(target.session, target.dialect, table);
    loader.write(stamps({"2024-01-31 10:00:00", "2024-01-31T11:00:00", "2024-01-31 12:00:00",
                         "2024-13-01 00:00:00"}));
    loader.finish();
    FAIL() << "a month 13 was loaded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTypeMapping);
    EXPECT_NE(error.message().find("line 3"), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("its line 1 is row 2 of the table"), std::string::npos)
        << error.message();
  }
  target.session.rollback_quietly();
  EXPECT_EQ(target.session.query_value("SELECT count(*) FROM public.stamps"), "0");
}

TEST(PgCopyReader, PageRangesCoverEveryPageOnceTheLastOpenEnded) {
  EXPECT_EQ(page_ranges(10, 1), std::vector<std::string>{"true"});
  EXPECT_EQ(page_ranges(10, 3),
            (std::vector<std::string>{"ctid < '(3,0)'::tid",
                                      "ctid >= '(3,0)'::tid AND ctid < '(6,0)'::tid",
                                      "ctid >= '(6,0)'::tid"}));
}

// A heap with holes (deleted rows), a row updated onto a later page and one long value: the
// slices' rows add up to the table's, each row once, with the same content hash as one read.
TEST(PgCopyReader, SlicesOfATableReadEachRowOnce) {
  Target target("bru_copy_reader_slices");
  target.session.execute(
      "CREATE TABLE public.notes (id bigint PRIMARY KEY, note text, body bytea)");
  target.session.execute(
      "INSERT INTO public.notes SELECT i, repeat(md5(i::text), 3), NULL FROM "
      "generate_series(1, 30000) i");
  target.session.execute("DELETE FROM public.notes WHERE id % 7 = 0");
  target.session.execute("UPDATE public.notes SET note = 'moved' WHERE id = 2");
  target.session.execute(
      "UPDATE public.notes SET body = convert_to(repeat('abcdefgh', 700000), 'UTF8') WHERE id = "
      "15000");
  const auto table = table_of("notes", {{"id", {TypeKind::kInt64}},
                                        {"note", {TypeKind::kText}},
                                        {"body", {TypeKind::kBlob}}});
  const auto heaps = large_heaps(target.session, 100);
  const auto found = heaps.find({"public", "notes"});
  ASSERT_NE(found, heaps.end());
  const auto pages = &found->second;

  auto read = [&](const std::string& filter) {
    std::uint64_t hash = 0;
    archive::Batch long_batch;
    archive::LongRowHasher long_row;
    const auto rows = read_table(
        target.session, target.dialect, table,
        [&](archive::Batch&& batch) {
          if (!batch.has_long()) {
            hash += archive::content_hash(batch);
            return;
          }
          long_batch = std::move(batch);
          long_row.begin(long_batch);
        },
        [&](std::size_t column_idx, std::string_view piece) {
          ASSERT_TRUE(long_row.piece(column_idx, piece));
          if (!long_row.pending()) hash += long_row.hash();
        },
        1u << 20, archive::kPieceBytes, filter);
    return std::pair{rows, hash};
  };
  const auto whole = read("");
  EXPECT_EQ(whole.first, 30000 - 30000 / 7);
  for (const std::size_t slices : {2u, 3u, 5u}) {
    std::int64_t rows = 0;
    std::uint64_t hash = 0;
    for (const auto& filter : page_ranges(*pages, slices)) {
      const auto part = read(filter);
      EXPECT_GT(part.first, 0) << filter;
      rows += part.first;
      hash += part.second;
    }
    EXPECT_EQ(rows, whole.first) << slices << " slices";
    EXPECT_EQ(hash, whole.second) << slices << " slices";
  }
  // A view has no heap of its own to slice; a table below the size is not listed.
  target.session.execute("CREATE VIEW public.notes_view AS SELECT * FROM public.notes");
  target.session.execute("CREATE TABLE public.small AS SELECT 1 AS id");
  const auto now = large_heaps(target.session, 100);
  EXPECT_EQ(now.count({"public", "notes_view"}), 0u);
  EXPECT_EQ(now.count({"public", "small"}), 0u);
  EXPECT_EQ(now.count({"public", "notes"}), 1u);
}

}  // namespace
}  // namespace bru::pg

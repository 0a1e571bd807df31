// A restore into Oracle, which stores '' (and an empty RAW) as NULL: what the read-back must
// find (bru/data/empty_strings.h) and that the verification accepts exactly that, NULL where the
// archive has an empty value and nothing else (bru/commands/restore_session.h check_read_back).
// No Oracle server runs here: the rows the target would hold are written by hand.
#include "bru/data/empty_strings.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bru/commands/restore_session.h"
#include "bru/commands/restore_zero_dates.h"
#include "bru/log.h"
#include "schema/dialect_names.h"
#include "schema/error.h"

namespace bru::data {
namespace {

using schema::Storage;

struct Row {
  std::int64_t id;
  std::optional<std::string> note;
  std::optional<std::string> tag;
};

archive::Batch batch_of(const std::vector<Row>& rows) {
  archive::Batch batch({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  for (const auto& row : rows) {
    batch.column(0).append_int(row.id);
    for (const auto& [column_idx, value] : {std::pair{1, &row.note}, std::pair{2, &row.tag}}) {
      if (*value) {
        batch.column(column_idx).append_bytes(**value);
      } else {
        batch.column(column_idx).append_null();
      }
    }
  }
  return batch;
}

const std::vector<Row> kArchived = {
    {1, "", std::nullopt}, {2, "x", ""}, {3, std::nullopt, "ab"}, {4, "", ""}};
// As Oracle stores them.
const std::vector<Row> kStored = {{1, std::nullopt, std::nullopt},
                                  {2, "x", std::nullopt},
                                  {3, std::nullopt, "ab"},
                                  {4, std::nullopt, std::nullopt}};

archive::TableEntry notes_entry() {
  archive::TableEntry entry;
  entry.table.name = "NOTES";
  for (const char* name : {"ID", "NOTE", "TAG"}) {
    schema::Column column;
    column.name = name;
    entry.table.columns.push_back(column);
  }
  entry.rows = static_cast<std::int64_t>(kArchived.size());
  entry.checksum = archive::content_hash(batch_of(kArchived));
  return entry;
}

TEST(EmptyStringsAsNull, CountsEachColumnAndChangesTheChecksumAsStored) {
  EmptyStringsAsNull empty_strings;
  const auto archived = batch_of(kArchived);
  empty_strings.batch(archived);
  EXPECT_EQ(empty_strings.counts(), (std::map<std::size_t, std::int64_t>{{1, 2}, {2, 2}}));
  EXPECT_EQ(archive::content_hash(archived) + empty_strings.checksum_change(),
            archive::content_hash(batch_of(kStored)));

  // Rows without an empty value change nothing.
  EmptyStringsAsNull none;
  none.batch(batch_of({{5, "y", std::nullopt}, {6, std::nullopt, "z"}}));
  EXPECT_TRUE(none.counts().empty());
  EXPECT_EQ(none.checksum_change(), 0u);
}

TEST(EmptyStringsAsNull, TheReadBackAcceptsNullExactlyWhereTheArchiveHasAnEmptyValue) {
  const auto entry = notes_entry();
  EmptyStringsAsNull empty_strings;
  empty_strings.batch(batch_of(kArchived));
  const auto expected = entry.checksum + empty_strings.checksum_change();
  const auto oracle = schema::make_dialect("oracle");
  const auto rows = entry.rows;
  EXPECT_NO_THROW(commands::check_read_back(entry, rows, archive::content_hash(batch_of(kStored)),
                                            expected, *oracle));

  const auto refused = [&](const std::vector<Row>& read_back) {
    try {
      commands::check_read_back(entry, rows, archive::content_hash(batch_of(read_back)), expected,
                                *oracle);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kVerify);
      return error.render();
    }
    return std::string("accepted");
  };
  // A NULL where the archive has "x", not '': still a difference.
  auto extra_null = kStored;
  extra_null[1].note.reset();
  const auto message = refused(extra_null);
  EXPECT_EQ(message,
            fmt::format("error: table \"NOTES\" does not match the archive after restore: 4 rows "
                        "(archive 4), checksum {:016x} (archive {:016x})\n"
                        "hint: nothing was committed; a value changed on its way into oracle — "
                        "report this with bru -LIST output\n",
                        archive::content_hash(batch_of(extra_null)), expected));
  // The rows as archived (an empty value read back as '') are no longer what Oracle holds.
  EXPECT_NE(refused(kArchived), "accepted");
  // A NULL of the archive read back as '' neither.
  auto null_as_empty = kStored;
  null_as_empty[2].note = "";
  EXPECT_NE(refused(null_as_empty), "accepted");
}

TEST(EmptyStringsAsNull, ARowWithALongValueIsHashedThroughItsPieces) {
  // Row 7: a long NOTE of 10 bytes (its pieces follow) and an empty TAG.
  archive::Batch archived({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  archived.column(0).append_int(7);
  archived.column(1).append_long(10);
  archived.column(2).append_bytes("");
  archive::Batch stored({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  stored.column(0).append_int(7);
  stored.column(1).append_long(10);
  stored.column(2).append_null();

  EmptyStringsAsNull empty_strings;
  empty_strings.batch(archived);
  empty_strings.piece(1, "01234");
  EXPECT_EQ(empty_strings.checksum_change(), 0u) << "the row is not done before its last piece";
  empty_strings.piece(1, "56789");

  const auto hash_of = [](const archive::Batch& batch) {
    archive::LongRowHasher hasher;
    hasher.begin(batch);
    EXPECT_TRUE(hasher.piece(1, "0123456789"));
    EXPECT_FALSE(hasher.pending());
    return hasher.hash();
  };
  EXPECT_EQ(empty_strings.checksum_change(), hash_of(stored) - hash_of(archived));
  EXPECT_EQ(empty_strings.counts(), (std::map<std::size_t, std::int64_t>{{2, 1}}));

  // A long row without an empty value after it changes nothing more.
  const auto change = empty_strings.checksum_change();
  archive::Batch plain({Storage::kInt64, Storage::kBytes, Storage::kBytes});
  plain.column(0).append_int(8);
  plain.column(1).append_long(3);
  plain.column(2).append_bytes("t");
  empty_strings.batch(plain);
  empty_strings.piece(1, "abc");
  EXPECT_EQ(empty_strings.checksum_change(), change);
}

TEST(EmptyStringsAsNull, EachColumnIsWarnedOnceWithItsCount) {
  const auto entry = notes_entry();
  EmptyStringsAsNull empty_strings;
  empty_strings.batch(batch_of(kArchived));
  empty_strings.batch(batch_of({{5, "", "t"}}));
  auto log = log::make_log(log::Format::kText, false);
  testing::internal::CaptureStderr();
  commands::report_empty_strings(empty_strings.counts(), entry.table, "oracle", *log);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "warning: column \"NOTE\" of table \"NOTES\": 3 empty values become NULL in oracle "
            "(it takes '' as NULL)\n"
            "warning: column \"TAG\" of table \"NOTES\": 2 empty values become NULL in oracle "
            "(it takes '' as NULL)\n");
}

}  // namespace
}  // namespace bru::data

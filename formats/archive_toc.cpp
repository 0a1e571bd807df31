#include "formats/archive_toc.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <xxhash.h>

#include <bit>
#include <memory>
#include <utility>
#include <vector>

#include "formats/archive_layout.h"
#include "formats/chunk_codec.h"

namespace bru::archive::toc {
namespace {

void append_u64(std::string& out, std::uint64_t value) {
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
    out.push_back(static_cast<char>((value >> (8 * byte_idx)) & 0xff));
  }
}

void append_row(const sqlite::Statement& row, int column_count, std::string& out) {
  for (int column = 0; column < column_count; ++column) {
    switch (row.column_type(column)) {
      case SQLITE_NULL:
        out.push_back(0);
        break;
      case SQLITE_INTEGER:
        out.push_back(1);
        append_u64(out, static_cast<std::uint64_t>(row.column_int(column)));
        break;
      case SQLITE_FLOAT:
        out.push_back(2);
        append_u64(out, std::bit_cast<std::uint64_t>(row.column_double(column)));
        break;
      default: {  // text and blob: the bytes as stored
        out.push_back(row.column_type(column) == SQLITE_TEXT ? 3 : 4);
        const std::string_view bytes = row.column_blob(column);
        append_u64(out, bytes.size());
        out.append(bytes);
        break;
      }
    }
  }
}

struct ChecksummedTable {
  std::string_view name;
  std::string_view columns;
  int column_count;
};

int count_columns(std::string_view columns) {
  int count = 1;
  for (char c : columns) count += c == ',' ? 1 : 0;
  return count;
}

struct XxhStateDeleter {
  void operator()(XXH3_state_t* state) const noexcept { XXH3_freeState(state); }
};

}  // namespace

std::uint64_t row_checksum(const sqlite::Statement& row, int column_count) {
  std::string encoded;
  append_row(row, column_count, encoded);
  return XXH3_64bits(encoded.data(), encoded.size());
}

void seal(sqlite::Database& db, const crypto::Keys* keys) {
  using namespace layout;
  {
    // The digest and the MAC cover every other row, and neither covers the other, so both are
    // computed before either row is written.
    sqlite::Statement insert =
        db.prepare("INSERT OR REPLACE INTO bru_meta(key, value, row_checksum) VALUES (?, ?, '')");
    std::vector<std::pair<std::string_view, std::string>> rows;
    if (keys != nullptr) rows.emplace_back(kMetaTocMac, toc_mac(db, *keys));
    rows.emplace_back(kMetaTocDigest, codec::hex_u64(toc_digest(db)));
    for (const auto& [key, value] : rows) {
      insert.bind_text(1, key);
      insert.bind_text(2, value);
      insert.run();
    }
  }
  for (const ChecksummedTable& table :
       {ChecksummedTable{"bru_meta", kMetaColumns, count_columns(kMetaColumns)},
        ChecksummedTable{"bru_objects", kObjectColumns, count_columns(kObjectColumns)},
        ChecksummedTable{"bru_columns", kColumnColumns, count_columns(kColumnColumns)}}) {
    // Read first, then update: SQLite does not promise a scan sees a table it is updating
    // consistently.
    std::vector<std::pair<std::int64_t, std::string>> checksums;
    {
      sqlite::Statement select =
          db.prepare(fmt::format("SELECT {}, rowid FROM {}", table.columns, table.name));
      while (select.step()) {
        checksums.emplace_back(select.column_int(table.column_count),
                               codec::hex_u64(row_checksum(select, table.column_count)));
      }
    }
    sqlite::Statement update =
        db.prepare(fmt::format("UPDATE {} SET row_checksum = ? WHERE rowid = ?", table.name));
    for (const auto& [rowid, checksum] : checksums) {
      update.bind_text(1, checksum);
      update.bind_int(2, rowid);
      update.run();
    }
  }
}

void toc_stream(sqlite::Database& db, const crypto::ByteSink& sink) {
  using namespace layout;
  const std::string meta_where = fmt::format("WHERE key NOT IN ('{}', '{}') ORDER BY key",
                                             kMetaTocDigest, kMetaTocMac);
  struct Section {
    std::string_view table;
    std::string_view columns;
    std::string order;
  };
  std::string encoded;
  for (const Section& section :
       {Section{"bru_meta", kMetaColumns, meta_where},
        Section{"bru_objects", kObjectColumns, "ORDER BY object_id"},
        Section{"bru_columns", kColumnColumns, "ORDER BY object_id, ordinal"},
        Section{"bru_chunks", kChunkIndexColumns, "ORDER BY object_id, seq"}}) {
    sink(section.table);
    sink(std::string_view("", 1));
    sqlite::Statement select = db.prepare(
        fmt::format("SELECT {} FROM {} {}", section.columns, section.table, section.order));
    const int column_count = count_columns(section.columns);
    while (select.step()) {
      encoded.clear();
      append_row(select, column_count, encoded);
      sink(encoded);
    }
  }
}

std::uint64_t toc_digest(sqlite::Database& db) {
  std::unique_ptr<XXH3_state_t, XxhStateDeleter> state(XXH3_createState());
  XXH3_64bits_reset(state.get());
  toc_stream(db, [&state](std::string_view bytes) {
    XXH3_64bits_update(state.get(), bytes.data(), bytes.size());
  });
  return XXH3_64bits_digest(state.get());
}

std::string toc_mac(sqlite::Database& db, const crypto::Keys& keys) {
  return crypto::to_hex(
      keys.toc_mac([&db](const crypto::ByteSink& sink) { toc_stream(db, sink); }));
}

}  // namespace bru::archive::toc

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

void seal(sqlite::Database& db) {
  using namespace layout;
  {
    // The digest covers every other row, so it is computed before its own row is written.
    sqlite::Statement insert =
        db.prepare("INSERT OR REPLACE INTO bru_meta(key, value, row_checksum) VALUES (?, ?, '')");
    const std::string digest = codec::hex_u64(toc_digest(db));
    insert.bind_text(1, kMetaTocDigest);
    insert.bind_text(2, digest);
    insert.run();
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

std::uint64_t toc_digest(sqlite::Database& db) {
  using namespace layout;
  std::unique_ptr<XXH3_state_t, XxhStateDeleter> state(XXH3_createState());
  XXH3_64bits_reset(state.get());
  const std::string meta_where = fmt::format("WHERE key <> '{}' ORDER BY key", kMetaTocDigest);
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
    XXH3_64bits_update(state.get(), section.table.data(), section.table.size());
    XXH3_64bits_update(state.get(), "", 1);
    sqlite::Statement select = db.prepare(
        fmt::format("SELECT {} FROM {} {}", section.columns, section.table, section.order));
    const int column_count = count_columns(section.columns);
    while (select.step()) {
      encoded.clear();
      append_row(select, column_count, encoded);
      XXH3_64bits_update(state.get(), encoded.data(), encoded.size());
    }
  }
  return XXH3_64bits_digest(state.get());
}

}  // namespace bru::archive::toc

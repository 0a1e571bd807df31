#include "bru/data/long_values.h"

#include <fmt/format.h>

#include <charconv>

#include "schema/error.h"

namespace bru::data {
namespace {

using schema::Storage;
using schema::TypeKind;

enum class Engine { kPostgres, kSqlite };

std::optional<Engine> engine_of(const schema::Dialect& dialect) {
  if (dialect.name() == "postgres") return Engine::kPostgres;
  if (dialect.name() == "sqlite") return Engine::kSqlite;
  return std::nullopt;
}

bool is_binary(TypeKind kind) { return kind == TypeKind::kBinary || kind == TypeKind::kBlob; }

// Columns whose canonical value is the stored value itself, as text or bytes, and may be long.
// PostgreSQL's character(n) is left out: its padding is lost in a text slice, and it holds at
// most 10 MB.
bool may_be_long(Engine engine, const schema::Column& column) {
  if (schema::storage_of(column.type.kind) != Storage::kBytes) return false;
  switch (column.type.kind) {
    case TypeKind::kVarchar:
    case TypeKind::kText:
    case TypeKind::kJson:
    case TypeKind::kXml:
    case TypeKind::kBinary:
    case TypeKind::kBlob:
      return true;
    case TypeKind::kChar:
      return engine == Engine::kSqlite;
    default:
      return false;
  }
}

// The length in bytes of a value, as the engine counts it (SQLite's canonical text is a BLOB).
std::string byte_length(Engine engine, const std::string& value) {
  return engine == Engine::kPostgres ? fmt::format("octet_length({})", value)
                                     : fmt::format("length({})", value);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

std::string sql_string(std::string_view text) {
  std::string quoted = "'";
  for (const char ch : text) {
    quoted += ch;
    if (ch == '\'') quoted += '\'';
  }
  return quoted + "'";
}

schema::Column extra_column(std::string name, TypeKind kind, std::string native_type) {
  schema::Column column;
  column.name = std::move(name);
  column.type.kind = kind;
  column.native_type = std::move(native_type);
  return column;
}

}  // namespace

std::optional<SplitRead> plan_split_read(
    const schema::Dialect& dialect, const schema::Table& table, std::uint64_t piece_bytes,
    const std::function<std::string(const std::string& sql)>& query_value,
    const std::string& filter) {
  const auto engine = engine_of(dialect);
  if (!engine || piece_bytes < 16) return std::nullopt;
  std::vector<std::size_t> candidates;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    if (may_be_long(*engine, table.columns[column_idx])) candidates.push_back(column_idx);
  }
  if (candidates.empty()) return std::nullopt;

  // On a SQLite rowid table the rows carry their rowid (bru_rowid) for bru_read_piece()
  // (bru/data/sqlite_pieces.h), which reads a slice without loading the value as substr() does.
  std::string inner = dialect.select_sql(table);
  if (!filter.empty()) inner += " WHERE " + filter;
  std::optional<std::string> rowid;
  if (inner.rfind("SELECT ", 0) == 0) rowid = dialect.rowid_name(table);
  // They carry too each TEXT candidate's stored value (bru_raw_<n>, n its position from 1): a
  // TEXT's length in bytes comes from bru_value_bytes() where it is TEXT, as length() of its
  // canonical BLOB would load it, once per slice.
  if (rowid) {
    std::string raws;
    for (const std::size_t column_idx : candidates) {
      if (is_binary(table.columns[column_idx].type.kind)) continue;
      raws += fmt::format("{} AS bru_raw_{}, ",
                          dialect.quote_identifier(table.columns[column_idx].name), column_idx + 1);
    }
    inner = fmt::format("SELECT {} AS bru_rowid, {}{}", *rowid, raws, inner.substr(7));
  }
  // The length in bytes of a candidate's value in the row `alias` (bru_row, bru_n) names: it
  // comes from the value's header (PostgreSQL's toast pointer, SQLite's record header), not from
  // reading the value.
  auto bytes_of = [&](const std::string& alias, std::size_t column_idx) {
    const auto& column = table.columns[column_idx];
    const std::string value = alias + "." + dialect.quote_identifier(column.name);
    if (!rowid || is_binary(column.type.kind)) return byte_length(*engine, value);
    return fmt::format(
        "CASE typeof({0}.bru_raw_{1}) WHEN 'text' THEN bru_value_bytes({2}, {3}, {0}.bru_rowid) "
        "ELSE length({4}) END",
        alias, column_idx + 1, sql_string(table.name), sql_string(column.name), value);
  };

  // The longest value of each candidate.
  std::vector<std::string> maxima;
  for (const std::size_t column_idx : candidates) {
    maxima.push_back(fmt::format("coalesce(max({}), 0)", bytes_of("bru_row", column_idx)));
  }
  const std::string longest_sql =
      *engine == Engine::kPostgres
          ? fmt::format("SELECT concat_ws(',', {}) FROM ({}) bru_row", join(maxima, ", "), inner)
          : fmt::format("SELECT {} FROM ({}) bru_row", join(maxima, " || ',' || "), inner);
  const std::string longest = query_value(longest_sql);
  SplitRead split;
  std::uint64_t max_slices = 0;  // an upper bound of the slices of one row (SQLite's counter)
  std::string_view rest = longest;
  for (const std::size_t column_idx : candidates) {
    const auto comma = rest.find(',');
    const std::string_view field = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::uint64_t length = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), length);
    if (ec != std::errc() || end != field.data() + field.size()) {
      throw internal_error(fmt::format("the longest values of table \"{}\" read as \"{}\"",
                                       table.display_name(), longest));
    }
    if (length > piece_bytes) {
      split.long_columns.push_back(column_idx);
      max_slices += (length + piece_bytes - 1) / piece_bytes;
    }
  }
  if (split.long_columns.empty()) return std::nullopt;

  // Slices are of bytes. PostgreSQL's are of a copy of the value the middle query makes once
  // per row (bru_v_<i>: its bytes, text as UTF-8): substring() of the stored value reads it from
  // its start to the slice's end each time (a text counts characters from its start, a compressed
  // value is decompressed from there), so a 200 MB text took 150 s in slices. A slice of text may
  // end inside a UTF-8 character, as a SQLite TEXT's pieces from bru_read_piece() do: the
  // consumers of pieces take bytes (FORMAT.md "Long values").
  struct LongColumn {
    std::string value;   // what is sliced: bru_n.bru_v_<i> (PostgreSQL) or bru_n.<column>
    std::string slices;  // bru_n.bru_n_<i>: the value's slice count (0: not long)
    std::string first;   // the slice number of its first slice
  };
  std::vector<LongColumn> longs;
  std::vector<std::string> middle_columns;  // for the middle query: slice counts and copies
  std::string slices_before = "0";
  for (std::size_t long_idx = 0; long_idx < split.long_columns.size(); ++long_idx) {
    const std::size_t column_idx = split.long_columns[long_idx];
    const auto& column = table.columns[column_idx];
    const std::string quoted = dialect.quote_identifier(column.name);
    const std::string bytes = bytes_of("bru_row", column_idx);
    const std::string count_name = dialect.quote_identifier(fmt::format("bru_n_{}", long_idx + 1));
    middle_columns.push_back(
        fmt::format("CASE WHEN {0} > {1} THEN ({0} + {2}) / {1} ELSE 0 END AS {3}", bytes,
                    piece_bytes, piece_bytes - 1, count_name));
    std::string sliced = "bru_n." + quoted;
    if (*engine == Engine::kPostgres) {
      const std::string copy_name = dialect.quote_identifier(fmt::format("bru_v_{}", long_idx + 1));
      const std::string copy = is_binary(column.type.kind)
                                   ? fmt::format("bru_row.{} || ''::bytea", quoted)
                                   : fmt::format("convert_to(bru_row.{}, 'UTF8')", quoted);
      middle_columns.push_back(
          fmt::format("CASE WHEN {} > {} THEN {} END AS {}", bytes, piece_bytes, copy, copy_name));
      sliced = "bru_n." + copy_name;
    }
    longs.push_back({sliced, "bru_n." + count_name, slices_before + " + 1"});
    slices_before += " + bru_n." + count_name;
  }
  const std::string all_slices = slices_before;

  std::vector<std::string> outputs;
  std::size_t long_idx = 0;
  for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
    const std::string quoted = dialect.quote_identifier(table.columns[column_idx].name);
    const bool is_long = long_idx < longs.size() && split.long_columns[long_idx] == column_idx;
    outputs.push_back(is_long ? fmt::format("CASE WHEN bru_k = 0 AND {} = 0 THEN bru_n.{} END AS {}",
                                            longs[long_idx].slices, quoted, quoted)
                              : fmt::format("CASE WHEN bru_k = 0 THEN bru_n.{} END AS {}", quoted,
                                            quoted));
    if (is_long) ++long_idx;
  }
  for (std::size_t idx = 0; idx < longs.size(); ++idx) {
    outputs.push_back(fmt::format("CASE WHEN bru_k = 0 AND {} > 0 THEN CAST({} AS bigint) END AS {}",
                                  longs[idx].slices, bytes_of("bru_n", split.long_columns[idx]),
                                  dialect.quote_identifier(fmt::format("bru_len_{}", idx + 1))));
  }
  outputs.push_back("CAST(bru_k AS bigint) AS bru_k");
  for (std::size_t idx = 0; idx < longs.size(); ++idx) {
    const LongColumn& column = longs[idx];
    std::string slice;
    if (*engine == Engine::kPostgres) {
      slice = fmt::format("substring({} FROM (bru_k - ({})) * {} + 1 FOR {})", column.value,
                          column.first, piece_bytes, piece_bytes);
    } else if (rowid) {
      slice = fmt::format("bru_read_piece({}, {}, bru_n.bru_rowid, (bru_k - ({})) * {}, {})",
                          sql_string(table.name),
                          sql_string(table.columns[split.long_columns[idx]].name), column.first,
                          piece_bytes, piece_bytes);
    } else {
      slice = fmt::format("substr({}, (bru_k - ({})) * {} + 1, {})", column.value, column.first,
                          piece_bytes, piece_bytes);
    }
    outputs.push_back(fmt::format(
        "CASE WHEN bru_k >= {0} AND bru_k < {0} + {1} THEN {2} END AS {3}", column.first,
        column.slices, slice, dialect.quote_identifier(fmt::format("bru_piece_{}", idx + 1))));
  }
  // The middle query counts each row's slices, and makes PostgreSQL's copies, once (OFFSET 0
  // keeps it from being merged into the outer one, which would do that again per slice).
  const std::string counted = fmt::format("SELECT bru_row.*, {} FROM ({}) bru_row",
                                          join(middle_columns, ", "), inner);
  if (*engine == Engine::kPostgres) {
    // generate_series() in the select list yields each row's slices in order, next to each other.
    split.sql = fmt::format(
        "SELECT {} FROM (SELECT bru_n.*, generate_series(0, {}) AS bru_k FROM ({} OFFSET 0) bru_n) "
        "bru_n",
        join(outputs, ", "), all_slices, counted);
  } else {
    // CROSS JOIN keeps the rows outside (SQLite never reorders it) and the counter inside, in
    // order. The rows are merged into the outer query on purpose: each slice then loads the value
    // from the table and frees it (peak about one value: 61 MB for a 50 MB BLOB), where a
    // co-routine holding the row kept copies of it per reference (164 MB).
    split.sql = fmt::format(
        "WITH RECURSIVE bru_counter(bru_k) AS (SELECT 0 UNION ALL SELECT bru_k + 1 FROM "
        "bru_counter WHERE bru_k < {}) SELECT {} FROM ({}) bru_n CROSS JOIN bru_counter WHERE "
        "bru_k <= {}",
        max_slices, join(outputs, ", "), counted, all_slices);
  }

  split.table = table;
  const std::string bigint = *engine == Engine::kPostgres ? "bigint" : "INTEGER";
  for (std::size_t idx = 0; idx < longs.size(); ++idx) {
    split.table.columns.push_back(
        extra_column(fmt::format("bru_len_{}", idx + 1), TypeKind::kInt64, bigint));
  }
  split.table.columns.push_back(extra_column("bru_k", TypeKind::kInt64, bigint));
  for (std::size_t idx = 0; idx < longs.size(); ++idx) {
    // PostgreSQL's slices are bytea (of the copy) whatever the column.
    const bool binary = *engine == Engine::kPostgres ||
                        is_binary(table.columns[split.long_columns[idx]].type.kind);
    split.table.columns.push_back(extra_column(
        fmt::format("bru_piece_{}", idx + 1), binary ? TypeKind::kBlob : TypeKind::kText,
        *engine == Engine::kPostgres ? "bytea" : (binary ? "BLOB" : "TEXT")));
  }
  return split;
}

Unsplitter::Unsplitter(const schema::Table& table, const SplitRead& split, std::size_t batch_bytes,
                       const std::function<void(archive::Batch&&)>& on_batch,
                       const PieceSink& on_piece)
    : table_(table),
      split_(split),
      batch_bytes_(batch_bytes),
      on_batch_(on_batch),
      on_piece_(on_piece) {
  for (const auto& column : table.columns) storages_.push_back(schema::storage_of(column.type.kind));
  batch_ = archive::Batch(storages_);
}

void Unsplitter::flush() {
  if (batch_.row_count() == 0) return;
  on_batch_(std::move(batch_));
  batch_ = archive::Batch(storages_);
}

void Unsplitter::short_value() const {
  const auto& [column_idx, left] = pending_[pending_at_];
  throw Error(ErrorKind::kDatabase,
              fmt::format("table \"{}\", row {}, column \"{}\": the source sent the value in "
                          "slices that do not add up to its length ({} bytes missing)",
                          table_.display_name(), rows_, table_.columns[column_idx].name, left))
      .with_hint("was the table changed while it was read? run again");
}

void Unsplitter::take(const archive::Batch& split_rows) {
  const std::size_t columns = table_.columns.size();
  const std::size_t longs = split_.long_columns.size();
  const std::size_t slice_column = columns + longs;
  for (std::size_t row = 0; row < split_rows.row_count(); ++row) {
    if (split_rows.column(slice_column).int_at(row) == 0) {
      if (pending_at_ < pending_.size()) short_value();
      ++rows_;
      pending_.clear();
      pending_at_ = 0;
      for (std::size_t long_idx = 0; long_idx < longs; ++long_idx) {
        const auto& length = split_rows.column(columns + long_idx);
        if (!length.is_null(row) && length.int_at(row) > 0) {
          pending_.emplace_back(split_.long_columns[long_idx],
                                static_cast<std::uint64_t>(length.int_at(row)));
        }
      }
      if (pending_.empty()) {
        for (std::size_t column_idx = 0; column_idx < columns; ++column_idx) {
          batch_.column(column_idx).append_from(split_rows.column(column_idx), row);
        }
        if (batch_.value_bytes() >= batch_bytes_) flush();
        continue;
      }
      // A row with long values goes alone, before its pieces.
      flush();
      std::size_t next_long = 0;
      for (std::size_t column_idx = 0; column_idx < columns; ++column_idx) {
        if (next_long < pending_.size() && pending_[next_long].first == column_idx) {
          batch_.column(column_idx).append_long(pending_[next_long++].second);
        } else {
          batch_.column(column_idx).append_from(split_rows.column(column_idx), row);
        }
      }
      flush();
      continue;
    }
    // A slice: of the long value the row is at, no longer than what is left of it.
    for (std::size_t long_idx = 0; long_idx < longs; ++long_idx) {
      const auto& piece = split_rows.column(slice_column + 1 + long_idx);
      if (piece.is_null(row)) continue;
      const std::string_view bytes = piece.bytes_at(row);
      if (pending_at_ >= pending_.size() ||
          pending_[pending_at_].first != split_.long_columns[long_idx] ||
          bytes.size() > pending_[pending_at_].second) {
        throw Error(ErrorKind::kDatabase,
                    fmt::format("table \"{}\", row {}, column \"{}\": the source sent a slice "
                                "that is not part of a long value of that row",
                                table_.display_name(), rows_,
                                table_.columns[split_.long_columns[long_idx]].name))
            .with_hint("was the table changed while it was read? run again");
      }
      if (bytes.empty()) continue;
      on_piece_(split_.long_columns[long_idx], bytes);
      pending_[pending_at_].second -= bytes.size();
      if (pending_[pending_at_].second == 0) ++pending_at_;
    }
  }
}

void Unsplitter::finish() {
  if (pending_at_ < pending_.size()) short_value();
  flush();
}

std::vector<std::string> key_values(const archive::Batch& batch, std::size_t row,
                                    const std::vector<std::size_t>& key) {
  std::vector<std::string> values;
  for (const std::size_t column_idx : key) {
    const auto& column = batch.column(column_idx);
    values.push_back(column.storage() == schema::Storage::kInt64
                         ? std::to_string(column.int_at(row))
                         : std::string(column.bytes_at(row)));
  }
  return values;
}

std::optional<KeyedSplit> plan_keyed_split(const schema::Dialect& dialect,
                                           const schema::Table& table) {
  KeyedSplit split;
  split.key = dialect.page_key(table);
  if (split.key.empty()) return std::nullopt;
  split.long_columns = dialect.sliceable_columns(table);
  if (split.long_columns.empty()) return std::nullopt;
  split.table = table;
  for (std::size_t idx = 0; idx < split.long_columns.size(); ++idx) {
    split.table.columns.push_back(
        extra_column(fmt::format("bru_len_{}", idx + 1), TypeKind::kInt64, "bigint"));
  }
  return split;
}

KeyedUnsplitter::KeyedUnsplitter(const schema::Table& table, const KeyedSplit& split,
                                 std::size_t batch_bytes,
                                 const std::function<void(archive::Batch&&)>& on_batch,
                                 const ValueReader& read_value)
    : table_(table),
      split_(split),
      batch_bytes_(batch_bytes),
      on_batch_(on_batch),
      read_value_(read_value) {
  for (const auto& column : table.columns) storages_.push_back(schema::storage_of(column.type.kind));
  batch_ = archive::Batch(storages_);
}

void KeyedUnsplitter::flush() {
  if (batch_.row_count() == 0) return;
  on_batch_(std::move(batch_));
  batch_ = archive::Batch(storages_);
}

void KeyedUnsplitter::take(const archive::Batch& split_rows) {
  const std::size_t columns = table_.columns.size();
  const std::size_t longs = split_.long_columns.size();
  std::vector<std::pair<std::size_t, std::uint64_t>> long_values;  // (catalog position, length)
  for (std::size_t row = 0; row < split_rows.row_count(); ++row) {
    ++rows_;
    long_values.clear();
    for (std::size_t long_idx = 0; long_idx < longs; ++long_idx) {
      const auto& length = split_rows.column(columns + long_idx);
      if (!length.is_null(row)) {
        long_values.emplace_back(split_.long_columns[long_idx],
                                 static_cast<std::uint64_t>(length.int_at(row)));
      }
    }
    std::size_t next_long = 0;
    if (!long_values.empty()) flush();
    for (std::size_t column_idx = 0; column_idx < columns; ++column_idx) {
      if (next_long < long_values.size() && long_values[next_long].first == column_idx) {
        batch_.column(column_idx).append_long(long_values[next_long++].second);
      } else {
        batch_.column(column_idx).append_from(split_rows.column(column_idx), row);
      }
    }
    if (long_values.empty()) {
      if (batch_.value_bytes() >= batch_bytes_) flush();
      continue;
    }
    flush();
    const auto key = key_values(split_rows, row, split_.key);
    for (const auto& [column_idx, length] : long_values) {
      read_value_(rows_, column_idx, key, length);
    }
  }
}

void KeyedUnsplitter::finish() { flush(); }

}  // namespace bru::data

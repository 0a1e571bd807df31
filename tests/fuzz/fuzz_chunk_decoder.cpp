// libFuzzer harness: the chunk decoder (formats/chunk_codec.cpp, formats/archive.h decode_chunk).
//
// Input: byte 0 picks the path, byte 1 the column count (0..7), then one byte per column its
// storage (int64, float64, bytes), then the payload:
//   path 0  the payload is a raw chunk payload, given to codec::decode_payload();
//   path 1  the payload is a raw chunk payload, compressed and checksummed as the writer would,
//           given to decode_chunk_or_piece(), so the whole read path runs on a well-formed chunk
//           record (rows, or a piece of a long value);
//   path 2  the payload is the stored (compressed) bytes, given to decode_chunk_or_piece() with a
//           raw size taken from its first 4 bytes and the checksum of nothing in particular.
// Every input must either decode or throw bru::Error(kArchiveCorrupt). What decodes must encode
// and decode again to the same rows (row count and content hash; a row with a long value, which
// has no content hash alone, to the same bytes) or the same piece.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/archive.h"
#include "formats/batch.h"
#include "formats/chunk_codec.h"
#include "fuzz_check.h"
#include "schema/error.h"

namespace {

using bru::archive::Batch;

constexpr bru::schema::Storage kStorages[] = {
    bru::schema::Storage::kInt64, bru::schema::Storage::kFloat64, bru::schema::Storage::kBytes};

void check_round_trip(const Batch& decoded, const std::vector<bru::schema::Storage>& storages) {
  std::string encoded;
  bru::archive::codec::encode_payload(decoded, encoded);
  const Batch again = bru::archive::codec::decode_payload(encoded, storages);
  bru::fuzz::check(again.row_count() == decoded.row_count(), "re-decoded row count differs");
  if (decoded.has_long()) {
    std::string encoded_again;
    bru::archive::codec::encode_payload(again, encoded_again);
    bru::fuzz::check(encoded_again == encoded, "re-decoded long row differs");
    return;
  }
  bru::fuzz::check(bru::archive::content_hash(again) == bru::archive::content_hash(decoded),
                   "re-decoded rows differ");
}

void check_piece_round_trip(const bru::archive::codec::PieceView& piece) {
  std::string encoded;
  bru::archive::codec::encode_piece_payload(static_cast<std::size_t>(piece.column_idx),
                                            piece.offset, piece.bytes, encoded);
  const auto again = bru::archive::codec::decode_piece_payload(encoded);
  bru::fuzz::check(again.column_idx == piece.column_idx && again.offset == piece.offset &&
                       again.bytes == piece.bytes,
                   "re-decoded piece differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t path = data[0] % 3;
  const std::size_t column_count = data[1] % 8;
  if (size < 2 + column_count) return 0;
  std::vector<bru::schema::Storage> storages;
  for (std::size_t column_idx = 0; column_idx < column_count; ++column_idx) {
    storages.push_back(kStorages[data[2 + column_idx] % 3]);
  }
  const std::string_view payload(reinterpret_cast<const char*>(data) + 2 + column_count,
                                 size - 2 - column_count);
  try {
    Batch decoded;
    std::optional<bru::archive::codec::PieceView> piece;
    if (path == 0) {
      bru::archive::codec::decode_payload(payload, storages, decoded);
    } else if (path == 1) {
      std::string stored(ZSTD_compressBound(payload.size()), '\0');
      const std::size_t stored_size =
          ZSTD_compress(stored.data(), stored.size(), payload.data(), payload.size(), 1);
      bru::fuzz::check(!ZSTD_isError(stored_size), "zstd cannot compress the payload");
      stored.resize(stored_size);
      piece = bru::archive::decode_chunk_or_piece(
          stored, bru::archive::codec::payload_checksum(payload),
          static_cast<std::int64_t>(payload.size()), storages, decoded);
    } else {
      if (payload.size() < 4) return 0;
      const std::int64_t raw_bytes = (std::int64_t{data[2 + column_count]} << 24) |
                                     (std::int64_t{data[3 + column_count]} << 16) |
                                     (std::int64_t{data[4 + column_count]} << 8) |
                                     std::int64_t{data[5 + column_count]};
      piece =
          bru::archive::decode_chunk_or_piece(payload.substr(4), 0, raw_bytes, storages, decoded);
    }
    if (piece) {
      check_piece_round_trip(*piece);
    } else {
      check_round_trip(decoded, storages);
    }
  } catch (const bru::Error& error) {
    bru::fuzz::check(error.kind() == bru::ErrorKind::kArchiveCorrupt,
                     "the decoder threw an error other than kArchiveCorrupt");
  }
  return 0;
}

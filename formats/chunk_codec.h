// The raw chunk payload (FORMAT.md, "Chunk payload"): how a Batch is laid out as bytes before
// compression, and back. Internal to formats/ and its tests; the rest of bru uses encode_chunk()
// and decode_chunk() from formats/archive.h, which add zstd and the checksum around these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/batch.h"
#include "schema/types.h"

namespace bru::archive::codec {

// First byte of every raw payload. Add a constant per change with a comment saying what it added.
inline constexpr std::uint8_t kChunkLayout1 = 1;  // header, per-column null bitmap and values
// Format 6: layout 1 whose bytes columns may hold long values (a long bitmap after the null
// bitmap; a long value's length is its whole length, its bytes are in the piece chunks after it).
// Written only for a chunk that holds a long value, which then holds that one row.
inline constexpr std::uint8_t kChunkLayout2 = 2;
// Format 6: a piece of a long value: column and offset, then the bytes (FORMAT.md "Long values").
inline constexpr std::uint8_t kChunkLayoutPiece = 3;
inline constexpr std::uint8_t kChunkLayout = kChunkLayout1;

// Flag bits of a bytes column's third header byte in layout 2 (in layout 1 it is 0 or 1).
inline constexpr std::uint8_t kColumnHasNulls = 1;
inline constexpr std::uint8_t kColumnHasLongs = 2;

// Per-column value encodings (the byte after the storage byte).
inline constexpr std::uint8_t kEncodingDeltaVarint = 1;     // int64: zigzag varint of the delta
inline constexpr std::uint8_t kEncodingFixed64 = 2;         // float64: IEEE 754 bits, 8 bytes LE
inline constexpr std::uint8_t kEncodingLengthPrefixed = 3;  // bytes: varint lengths, then bytes

// Largest raw payload a reader accepts (and a writer produces). A bound on what a damaged
// raw_bytes field can make the reader allocate; one chunk holds at least one row, and no engine
// bru reads allows a single value near this size.
inline constexpr std::uint64_t kMaxRawBytes = std::uint64_t{4} << 30;

// Replaces `out` with the raw payload of the batch.
void encode_payload(const Batch& batch, std::string& out);

// Decodes a raw payload into a batch with the given column storages. Every count and length is
// checked against the bytes that are left before anything is allocated, so any input either
// decodes or throws bru::Error(kArchiveCorrupt) saying what is wrong; never crashes. The checksum
// is not this function's business: decode_chunk() checks it first.
Batch decode_payload(std::string_view raw, const std::vector<schema::Storage>& storages);
// Same, into `out`, reusing its memory when its columns have these storages.
void decode_payload(std::string_view raw, const std::vector<schema::Storage>& storages, Batch& out);

// A piece's raw payload: kChunkLayoutPiece, column (0-based) and offset as varints, the bytes.
void encode_piece_payload(std::size_t column_idx, std::uint64_t offset, std::string_view bytes,
                          std::string& out);
struct PieceView {
  std::uint64_t column_idx = 0;
  std::uint64_t offset = 0;
  std::string_view bytes;  // into the raw payload
};
// Decodes a piece's raw payload (its first byte is kChunkLayoutPiece). Throws kArchiveCorrupt.
PieceView decode_piece_payload(std::string_view raw);

// The chunk checksum: XXH3_64bits (seed 0) of the raw payload.
std::uint64_t payload_checksum(std::string_view raw);

// 16 lower-case hex digits: how checksums are stored in the archive (messages add "0x").
std::string hex_u64(std::uint64_t value);
// Parses what hex_u64() wrote; false when the text is not 16 hex digits.
bool parse_hex_u64(std::string_view text, std::uint64_t& value);

}  // namespace bru::archive::codec

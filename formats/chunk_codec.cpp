#include "formats/chunk_codec.h"

#include <fmt/format.h>
#include <xxhash.h>
#include <zstd.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <memory>

#include "formats/archive.h"
#include "schema/error.h"

namespace bru::archive {
namespace {

// The reader adds the archive, table and chunk to the message; the hint is already the one to act
// on.
Error corrupt(std::string message) {
  return Error(ErrorKind::kArchiveCorrupt, std::move(message))
      .with_hint("the archive is damaged; restore it from another copy, or take a new backup");
}

}  // namespace

namespace codec {
namespace {

constexpr std::size_t kMaxVarintBytes = 10;

std::uint8_t storage_byte(schema::Storage storage) { return static_cast<std::uint8_t>(storage); }

std::uint8_t encoding_of(schema::Storage storage) {
  switch (storage) {
    case schema::Storage::kInt64:
      return kEncodingDeltaVarint;
    case schema::Storage::kFloat64:
      return kEncodingFixed64;
    case schema::Storage::kBytes:
      return kEncodingLengthPrefixed;
  }
  return 0;
}

std::uint64_t zigzag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t unzigzag(std::uint64_t value) {
  return static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

// Writes into a buffer sized in advance to an upper bound, so the hot loops do no capacity checks.
class Writer {
 public:
  explicit Writer(char* start) : start_(start), pos_(start) {}
  std::size_t written() const { return static_cast<std::size_t>(pos_ - start_); }
  void put_u8(std::uint8_t value) { *pos_++ = static_cast<char>(value); }
  void put_varint(std::uint64_t value) {
    while (value >= 0x80) {
      *pos_++ = static_cast<char>(value | 0x80);
      value >>= 7;
    }
    *pos_++ = static_cast<char>(value);
  }
  void put_u64_le(std::uint64_t value) {
    if constexpr (std::endian::native == std::endian::big) value = __builtin_bswap64(value);
    std::memcpy(pos_, &value, 8);
    pos_ += 8;
  }
  void put_bytes(const char* data, std::size_t size) {
    if (size != 0) std::memcpy(pos_, data, size);
    pos_ += size;
  }
  char* take(std::size_t size) {
    char* at = pos_;
    pos_ += size;
    return at;
  }

 private:
  char* start_;
  char* pos_;
};

std::size_t bitmap_bytes(std::size_t rows) { return (rows + 7) / 8; }

std::size_t column_bound(const ColumnVector& column) {
  std::size_t rows = column.size();
  std::size_t bound = 3 + bitmap_bytes(rows);
  switch (column.storage()) {
    case schema::Storage::kInt64:
      return bound + rows * kMaxVarintBytes;
    case schema::Storage::kFloat64:
      return bound + rows * 8;
    case schema::Storage::kBytes:
      return bound + rows * kMaxVarintBytes + column.bytes().size();
  }
  return bound;
}

std::size_t column_bound_with_longs(const ColumnVector& column) {
  return column_bound(column) + (column.has_long() ? bitmap_bytes(column.size()) : 0);
}

void encode_column(const ColumnVector& column, Writer& out) {
  const std::size_t rows = column.size();
  const std::vector<std::uint8_t>& nulls = column.nulls();
  bool has_nulls = false;
  for (std::uint8_t null_flag : nulls) has_nulls |= null_flag != 0;
  const bool has_longs = column.has_long();

  out.put_u8(storage_byte(column.storage()));
  out.put_u8(encoding_of(column.storage()));
  out.put_u8((has_nulls ? kColumnHasNulls : 0) | (has_longs ? kColumnHasLongs : 0));
  auto put_bitmap = [&](auto&& is_set) {
    char* bitmap = out.take(bitmap_bytes(rows));
    std::memset(bitmap, 0, bitmap_bytes(rows));
    for (std::size_t row = 0; row < rows; ++row) {
      if (is_set(row)) bitmap[row / 8] = static_cast<char>(bitmap[row / 8] | (1 << (row % 8)));
    }
  };
  if (has_nulls) put_bitmap([&](std::size_t row) { return nulls[row] != 0; });
  if (has_longs) put_bitmap([&](std::size_t row) { return column.is_long(row); });
  switch (column.storage()) {
    case schema::Storage::kInt64: {
      const std::vector<std::int64_t>& ints = column.ints();
      std::uint64_t previous = 0;
      for (std::size_t row = 0; row < rows; ++row) {
        if (nulls[row] != 0) continue;
        std::uint64_t value = static_cast<std::uint64_t>(ints[row]);
        out.put_varint(zigzag(static_cast<std::int64_t>(value - previous)));
        previous = value;
      }
      break;
    }
    case schema::Storage::kFloat64: {
      const std::vector<double>& doubles = column.doubles();
      for (std::size_t row = 0; row < rows; ++row) {
        if (nulls[row] == 0) out.put_u64_le(std::bit_cast<std::uint64_t>(doubles[row]));
      }
      break;
    }
    case schema::Storage::kBytes: {
      const std::vector<std::uint64_t>& offsets = column.offsets();
      for (std::size_t row = 0; row < rows; ++row) {
        if (nulls[row] != 0) continue;
        out.put_varint(column.is_long(row) ? column.long_length(row)
                                           : offsets[row + 1] - offsets[row]);
      }
      // NULL rows and long values add no bytes, so the values are already back to back in column order.
      out.put_bytes(column.bytes().data(), column.bytes().size());
      break;
    }
  }
}

// Reads a raw payload; every read is checked against the end.
class Reader {
 public:
  explicit Reader(std::string_view raw)
      : begin_(reinterpret_cast<const std::uint8_t*>(raw.data())),
        pos_(begin_),
        end_(begin_ + raw.size()) {}

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }
  std::size_t offset() const { return static_cast<std::size_t>(pos_ - begin_); }

  std::uint8_t get_u8(std::string_view what) {
    if (pos_ == end_) fail(fmt::format("{} runs past the end", what));
    return *pos_++;
  }
  std::uint64_t get_varint(std::string_view what) {
    std::uint64_t value = 0;
    for (std::size_t byte_idx = 0; byte_idx < kMaxVarintBytes; ++byte_idx) {
      if (pos_ == end_) fail(fmt::format("{} runs past the end", what));
      std::uint8_t byte = *pos_++;
      if (byte_idx == kMaxVarintBytes - 1 && byte > 1) break;
      value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * byte_idx);
      if ((byte & 0x80) == 0) return value;
    }
    fail(fmt::format("{} is not a valid varint", what));
  }
  std::uint64_t get_u64_le() {
    std::uint64_t value;
    std::memcpy(&value, pos_, 8);  // caller checked remaining()
    pos_ += 8;
    if constexpr (std::endian::native == std::endian::big) value = __builtin_bswap64(value);
    return value;
  }
  const std::uint8_t* take(std::size_t size, std::string_view what) {
    if (size > remaining()) fail(fmt::format("{} runs past the end", what));
    const std::uint8_t* at = pos_;
    pos_ += size;
    return at;
  }
  void rewind_to(std::size_t offset) { pos_ = begin_ + offset; }

  [[noreturn]] void fail(const std::string& what) const {
    throw corrupt(
        fmt::format("bad chunk payload at byte {} of {}: {}", offset(), end_ - begin_, what));
  }

 private:
  const std::uint8_t* begin_;
  const std::uint8_t* pos_;
  const std::uint8_t* end_;
};

void decode_column(Reader& in, std::uint8_t layout, std::size_t column_idx,
                   schema::Storage expected, std::size_t rows, ColumnVector& column) {
  const std::string label = fmt::format("column {}", column_idx + 1);
  // Built once: the loops below read a varint per value.
  const std::string value_label = label + " value";
  const std::string length_label = label + " length";
  std::uint8_t storage = in.get_u8(label);
  if (storage != storage_byte(expected)) {
    in.fail(fmt::format("{} has storage {}, the table definition says {}", label, storage,
                        storage_byte(expected)));
  }
  std::uint8_t encoding = in.get_u8(label);
  if (encoding != encoding_of(expected)) {
    in.fail(fmt::format("{} has unknown encoding {}", label, encoding));
  }
  const std::uint8_t flags = in.get_u8(label);
  const std::uint8_t allowed =
      layout == kChunkLayout2 && expected == schema::Storage::kBytes
          ? (kColumnHasNulls | kColumnHasLongs)
          : kColumnHasNulls;
  if ((flags & ~allowed) != 0) in.fail(fmt::format("{} has a bad null flag {}", label, flags));

  auto take_bitmap = [&](std::string_view what, std::size_t& set_count) {
    const std::uint8_t* bitmap = in.take(bitmap_bytes(rows), label + " " + std::string(what));
    for (std::size_t byte_idx = 0; byte_idx < bitmap_bytes(rows); ++byte_idx) {
      set_count += static_cast<std::size_t>(std::popcount(bitmap[byte_idx]));
    }
    if (rows % 8 != 0 && (bitmap[rows / 8] >> (rows % 8)) != 0) {
      in.fail(fmt::format("{} {} has bits set past the last row", label, what));
    }
    return bitmap;
  };
  std::size_t null_count = 0;
  std::size_t long_count = 0;
  const std::uint8_t* bitmap =
      (flags & kColumnHasNulls) != 0 ? take_bitmap("null bitmap", null_count) : nullptr;
  const std::uint8_t* long_bitmap =
      (flags & kColumnHasLongs) != 0 ? take_bitmap("long bitmap", long_count) : nullptr;
  auto is_null = [bitmap](std::size_t row) {
    return bitmap != nullptr && ((bitmap[row / 8] >> (row % 8)) & 1) != 0;
  };
  auto is_long = [long_bitmap](std::size_t row) {
    return long_bitmap != nullptr && ((long_bitmap[row / 8] >> (row % 8)) & 1) != 0;
  };
  if (long_bitmap != nullptr) {
    if (long_count == 0) in.fail(label + " long bitmap has no bit set");
    if (rows != 1) in.fail(fmt::format("{} has a long value in a chunk of {} rows", label, rows));
    if (is_null(0)) in.fail(label + " has a value that is both NULL and long");
  }
  const std::size_t value_count = rows - null_count;

  switch (expected) {
    case schema::Storage::kInt64: {
      // Each value takes at least one byte: a bound on the count before reserving.
      if (value_count > in.remaining()) in.fail(label + " values run past the end");
      column.reserve(rows);
      std::uint64_t previous = 0;
      for (std::size_t row = 0; row < rows; ++row) {
        if (is_null(row)) {
          column.append_null();
          continue;
        }
        previous += static_cast<std::uint64_t>(unzigzag(in.get_varint(value_label)));
        column.append_int(static_cast<std::int64_t>(previous));
      }
      break;
    }
    case schema::Storage::kFloat64: {
      if (value_count > in.remaining() / 8) in.fail(label + " values run past the end");
      column.reserve(rows);
      for (std::size_t row = 0; row < rows; ++row) {
        if (is_null(row)) {
          column.append_null();
        } else {
          column.append_double(std::bit_cast<double>(in.get_u64_le()));
        }
      }
      break;
    }
    case schema::Storage::kBytes: {
      if (value_count > in.remaining()) in.fail(label + " lengths run past the end");
      // First pass: the lengths must add up to no more than what is left after them.
      const std::size_t lengths_at = in.offset();
      std::uint64_t total = 0;
      for (std::size_t row = 0; row < rows; ++row) {
        if (is_null(row)) continue;
        std::uint64_t length = in.get_varint(length_label);
        if (is_long(row)) {
          // Its bytes are in the pieces that follow; a bound is what they can add up to.
          if (length == 0) in.fail(label + " has a long value of length 0");
          continue;
        }
        if (length > in.remaining() || total + length > in.remaining()) {
          in.fail(label + " values run past the end");
        }
        total += length;
      }
      const std::uint8_t* data = in.take(total, label + " values");
      const std::size_t data_end = in.offset();
      in.rewind_to(lengths_at);
      column.reserve(rows, total);
      for (std::size_t row = 0; row < rows; ++row) {
        if (is_null(row)) {
          column.append_null();
          continue;
        }
        std::uint64_t length = in.get_varint(length_label);
        if (is_long(row)) {
          column.append_long(length);
          continue;
        }
        column.append_bytes(std::string_view(reinterpret_cast<const char*>(data), length));
        data += length;
      }
      in.rewind_to(data_end);
      break;
    }
  }
}

}  // namespace

void encode_payload(const Batch& batch, std::string& out) {
  std::size_t bound = 1 + 2 * kMaxVarintBytes;
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    bound += column_bound_with_longs(batch.column(column_idx));
  }
  // Growing without clearing first only fills the part that is new.
  if (out.size() < bound) out.resize(bound);
  Writer writer(out.data());
  // Layout 1 unless a long value needs layout 2: chunks without one read in any format's reader.
  writer.put_u8(batch.has_long() ? kChunkLayout2 : kChunkLayout1);
  writer.put_varint(batch.row_count());
  writer.put_varint(batch.column_count());
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    encode_column(batch.column(column_idx), writer);
  }
  out.resize(writer.written());
}

Batch decode_payload(std::string_view raw, const std::vector<schema::Storage>& storages) {
  Batch batch;
  decode_payload(raw, storages, batch);
  return batch;
}

void decode_payload(std::string_view raw, const std::vector<schema::Storage>& storages,
                    Batch& out) {
  bool same_shape = out.column_count() == storages.size();
  for (std::size_t column_idx = 0; same_shape && column_idx < storages.size(); ++column_idx) {
    same_shape = out.column(column_idx).storage() == storages[column_idx];
  }
  if (same_shape) {
    out.clear();  // keeps the vectors' capacity: no fresh pages per chunk
  } else {
    out = Batch(storages);
  }
  Reader in(raw);
  std::uint8_t layout = in.get_u8("header");
  if (layout == kChunkLayoutPiece) {
    in.fail("the chunk is a piece of a long value where a chunk of rows belongs");
  }
  if (layout != kChunkLayout1 && layout != kChunkLayout2) {
    in.fail(fmt::format("unknown chunk layout {} (this bru reads layouts {} to {})", layout,
                        kChunkLayout1, kChunkLayoutPiece));
  }
  std::uint64_t rows = in.get_varint("row count");
  std::uint64_t columns = in.get_varint("column count");
  if (columns != storages.size()) {
    in.fail(
        fmt::format("the chunk has {} columns, the table definition {}", columns, storages.size()));
  }
  // Every row takes at least one bit in each column (a NULL bit or a value byte).
  if ((columns == 0 && rows != 0) || rows / 8 > in.remaining()) {
    in.fail(fmt::format("row count {} does not fit in the payload", rows));
  }
  for (std::size_t column_idx = 0; column_idx < storages.size(); ++column_idx) {
    decode_column(in, layout, column_idx, storages[column_idx], static_cast<std::size_t>(rows),
                  out.column(column_idx));
  }
  if (layout == kChunkLayout2 && !out.has_long()) {
    in.fail("the chunk has layout 2 but no long value");
  }
  if (in.remaining() != 0) {
    in.fail(fmt::format("{} bytes left over after the last column", in.remaining()));
  }
}

void encode_piece_payload(std::size_t column_idx, std::uint64_t offset, std::string_view bytes,
                          std::string& out) {
  out.resize(1 + 2 * kMaxVarintBytes + bytes.size());
  Writer writer(out.data());
  writer.put_u8(kChunkLayoutPiece);
  writer.put_varint(column_idx);
  writer.put_varint(offset);
  writer.put_bytes(bytes.data(), bytes.size());
  out.resize(writer.written());
}

PieceView decode_piece_payload(std::string_view raw) {
  Reader in(raw);
  if (in.get_u8("header") != kChunkLayoutPiece) {
    in.fail("the chunk is a chunk of rows where a piece of a long value belongs");
  }
  PieceView piece;
  piece.column_idx = in.get_varint("piece column");
  piece.offset = in.get_varint("piece offset");
  piece.bytes = raw.substr(in.offset());
  if (piece.bytes.empty()) in.fail("the piece holds no bytes");
  return piece;
}

std::uint64_t payload_checksum(std::string_view raw) { return XXH3_64bits(raw.data(), raw.size()); }

std::string hex_u64(std::uint64_t value) { return fmt::format("{:016x}", value); }

bool parse_hex_u64(std::string_view text, std::uint64_t& value) {
  if (text.size() != 16) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace codec

namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

// One context per thread: encode_chunk()/decode_chunk() run on a worker pool, and a context is
// expensive to create per chunk.
ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> context(ZSTD_createCCtx());
  return context.get();
}
ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> context(ZSTD_createDCtx());
  return context.get();
}

// Raw buffers are reused per thread, but not kept when one huge value made them huge.
constexpr std::size_t kKeptBufferBytes = 64u << 20;

void release_if_huge(std::string& buffer) {
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
}

// Largest output of one compressed zstd block (RFC 8878, 3.1.1.2.4: Block_Maximum_Size).
constexpr std::uint64_t kZstdMaxBlockBytes = 128 << 10;

// The most bytes the one zstd frame at the start of `payload` can decompress to, read from its
// block headers (RFC 8878, 3.1.1): a raw or RLE block holds its size, a compressed block at most
// kZstdMaxBlockBytes. The frame header's content size is what a damaged or crafted payload can
// lie about; the blocks are what zstd really writes. Throws kArchiveCorrupt when the payload ends
// inside the frame or a block has the reserved type.
std::uint64_t frame_output_bound(std::string_view payload) {
  auto byte_at = [&](std::size_t at) { return static_cast<std::uint8_t>(payload[at]); };
  auto cut_short = [&] { return corrupt("the compressed payload ends inside its zstd frame"); };
  constexpr std::size_t kMagicBytes = 4;
  if (payload.size() <= kMagicBytes) throw cut_short();
  // Frame_Header_Descriptor: content size field size, single segment, dictionary id field size.
  const std::uint8_t descriptor = byte_at(kMagicBytes);
  const std::size_t content_size_flag = descriptor >> 6;
  const bool single_segment = ((descriptor >> 5) & 1) != 0;
  constexpr std::size_t kDictionaryIdBytes[] = {0, 1, 2, 4};
  constexpr std::size_t kContentSizeBytes[] = {0, 2, 4, 8};
  std::size_t at =
      kMagicBytes + 1 + (single_segment ? 0 : 1) + kDictionaryIdBytes[descriptor & 3] +
      (content_size_flag == 0 && single_segment ? 1 : kContentSizeBytes[content_size_flag]);
  std::uint64_t bound = 0;
  while (true) {
    constexpr std::size_t kBlockHeaderBytes = 3;
    if (payload.size() < at || payload.size() - at < kBlockHeaderBytes) throw cut_short();
    const std::uint32_t header = std::uint32_t{byte_at(at)} |
                                 (std::uint32_t{byte_at(at + 1)} << 8) |
                                 (std::uint32_t{byte_at(at + 2)} << 16);
    at += kBlockHeaderBytes;
    const std::size_t block_bytes = header >> 3;
    std::size_t stored_bytes = block_bytes;
    switch ((header >> 1) & 3) {
      case 0:  // raw
        bound += block_bytes;
        break;
      case 1:  // RLE: one byte, repeated
        bound += block_bytes;
        stored_bytes = 1;
        break;
      case 2:  // compressed
        bound += kZstdMaxBlockBytes;
        break;
      default:
        throw corrupt("the compressed payload has a zstd block of the reserved type");
    }
    if (payload.size() - at < stored_bytes) throw cut_short();
    at += stored_bytes;
    if ((header & 1) != 0) return bound;  // Last_Block
  }
}


// Fills the chunk's sizes, checksum and compressed payload from its raw payload.
void compress_into(const std::string& raw, int level, EncodedChunk& chunk) {
  chunk.raw_bytes = static_cast<std::int64_t>(raw.size());
  chunk.checksum = codec::payload_checksum(raw);
  // Compress into a reused buffer and copy out the (much smaller) result: a fresh bound-sized
  // payload per chunk would be zero-filled and page-faulted in every time.
  thread_local std::string compressed;
  if (compressed.size() < ZSTD_compressBound(raw.size())) {
    compressed.resize(ZSTD_compressBound(raw.size()));
  }
  const std::size_t stored = ZSTD_compressCCtx(thread_cctx(), compressed.data(), compressed.size(),
                                               raw.data(), raw.size(), level);
  if (ZSTD_isError(stored)) {
    throw internal_error(
        fmt::format("cannot compress a chunk: zstd: {}", ZSTD_getErrorName(stored)));
  }
  chunk.payload.assign(compressed.data(), stored);
  release_if_huge(compressed);
}

// Decompresses a stored chunk into the thread's raw buffer and checks it against the chunk's
// record: the frame's sizes, then the checksum. Returns the raw payload (valid until the next
// call on this thread).
std::string_view decompress_checked(std::string_view payload, std::uint64_t checksum,
                                    std::int64_t raw_bytes, std::string& raw) {
  if (raw_bytes < 0 || static_cast<std::uint64_t>(raw_bytes) > codec::kMaxRawBytes) {
    throw corrupt(fmt::format("recorded raw size {} is out of range", raw_bytes));
  }
  unsigned long long frame_size = ZSTD_getFrameContentSize(payload.data(), payload.size());
  if (frame_size == ZSTD_CONTENTSIZE_ERROR || frame_size == ZSTD_CONTENTSIZE_UNKNOWN) {
    throw corrupt("the compressed payload is not a zstd frame");
  }
  // Two independent fields must agree before the reader allocates what they say.
  if (frame_size != static_cast<unsigned long long>(raw_bytes)) {
    throw corrupt(fmt::format("the compressed payload holds {} bytes, the chunk records {}",
                              frame_size, raw_bytes));
  }
  // Found with tests/fuzz/fuzz_chunk_decoder: a 12-byte payload whose header claimed 3.75 GiB made
  // the reader allocate and zero that much before zstd failed.
  const std::uint64_t bound = frame_output_bound(payload);
  if (bound < static_cast<std::uint64_t>(raw_bytes)) {
    throw corrupt(
        fmt::format("the compressed payload can hold at most {} bytes, the chunk records {}", bound,
                    raw_bytes));
  }
  raw.resize(static_cast<std::size_t>(raw_bytes));
  std::size_t decompressed =
      ZSTD_decompressDCtx(thread_dctx(), raw.data(), raw.size(), payload.data(), payload.size());
  if (ZSTD_isError(decompressed)) {
    throw corrupt(
        fmt::format("cannot decompress the payload: zstd: {}", ZSTD_getErrorName(decompressed)));
  }
  if (decompressed != raw.size()) {
    throw corrupt(fmt::format("the payload decompressed to {} bytes, the chunk records {}",
                              decompressed, raw_bytes));
  }
  std::uint64_t computed = codec::payload_checksum(raw);
  if (computed != checksum) {
    throw corrupt(fmt::format("checksum mismatch (stored 0x{}, computed 0x{})",
                              codec::hex_u64(checksum), codec::hex_u64(computed)));
  }
  return raw;
}

}  // namespace

EncodedChunk encode_chunk(const Batch& batch, int level) {
  thread_local std::string raw;
  codec::encode_payload(batch, raw);
  if (raw.size() > codec::kMaxRawBytes) {
    throw internal_error(
        fmt::format("chunk of {} rows is {} bytes encoded, more than the {} a chunk may hold",
                    batch.row_count(), raw.size(), codec::kMaxRawBytes))
        .with_hint("the backup reader must cut batches smaller");
  }
  EncodedChunk chunk;
  chunk.row_count = static_cast<std::int64_t>(batch.row_count());
  // A row with a long value is hashed with its pieces (LongRowHasher), by the caller.
  chunk.content_hash = batch.has_long() ? 0 : content_hash(batch);
  compress_into(raw, level, chunk);
  release_if_huge(raw);
  return chunk;
}

EncodedChunk encode_piece(std::size_t column_idx, std::uint64_t offset, std::string_view bytes,
                          int level) {
  thread_local std::string raw;
  codec::encode_piece_payload(column_idx, offset, bytes, raw);
  EncodedChunk chunk;
  compress_into(raw, level, chunk);
  release_if_huge(raw);
  return chunk;
}

Batch decode_chunk(std::string_view payload, std::uint64_t checksum, std::int64_t raw_bytes,
                   const std::vector<schema::Storage>& storages) {
  Batch batch;
  decode_chunk(payload, checksum, raw_bytes, storages, batch);
  return batch;
}

void decode_chunk(std::string_view payload, std::uint64_t checksum, std::int64_t raw_bytes,
                  const std::vector<schema::Storage>& storages, Batch& out) {
  thread_local std::string raw;
  codec::decode_payload(decompress_checked(payload, checksum, raw_bytes, raw), storages, out);
  release_if_huge(raw);
}

std::optional<codec::PieceView> decode_chunk_or_piece(std::string_view payload,
                                                      std::uint64_t checksum,
                                                      std::int64_t raw_bytes,
                                                      const std::vector<schema::Storage>& storages,
                                                      Batch& out) {
  // Pieces are at most kPieceBytes: the buffer is kept, so the returned bytes stay valid.
  thread_local std::string raw;
  const std::string_view checked = decompress_checked(payload, checksum, raw_bytes, raw);
  if (!checked.empty() && static_cast<std::uint8_t>(checked[0]) == codec::kChunkLayoutPiece) {
    return codec::decode_piece_payload(checked);
  }
  codec::decode_payload(checked, storages, out);
  release_if_huge(raw);
  return std::nullopt;
}

}  // namespace bru::archive

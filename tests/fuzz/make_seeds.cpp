// Writes the generated part of the seed corpora into tests/fuzz/corpus (the folder given as the
// only argument): chunk payloads for chunk_decoder (one per decoder path) and the definitions of
// the sample tables for archive_toc, each in the harness's input layout. The other seeds are
// written by hand. Run after a change of the chunk or definition format, then commit the result.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "formats/archive.h"
#include "formats/chunk_codec.h"
#include "fuzz_samples.h"
#include "schema/catalog.h"

namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", file.c_str());
    std::exit(1);
  }
}

// The chunk_decoder header: path byte, column count, one storage byte per column (as the
// harness reads them: storage index 0 int64, 1 float64, 2 bytes).
std::string chunk_header(std::uint8_t path, const bru::archive::Batch& batch) {
  std::string header{static_cast<char>(path), static_cast<char>(batch.column_count())};
  for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
    header += static_cast<char>(static_cast<int>(batch.column(column_idx).storage()) - 1);
  }
  return header;
}

std::string big_endian_u32(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds <tests/fuzz/corpus>\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const bru::archive::Batch batch = bru::fuzz::items_batch(0);
  std::string raw;
  bru::archive::codec::encode_payload(batch, raw);
  write(corpus / "chunk_decoder" / "raw_items", chunk_header(0, batch) + raw);
  write(corpus / "chunk_decoder" / "compressed_items", chunk_header(1, batch) + raw);
  const bru::archive::EncodedChunk stored = bru::archive::encode_chunk(batch, 1);
  write(corpus / "chunk_decoder" / "stored_items",
        chunk_header(2, batch) + big_endian_u32(static_cast<std::uint32_t>(stored.raw_bytes)) +
            stored.payload);
  bru::archive::Batch empty(
      {bru::schema::Storage::kInt64, bru::schema::Storage::kFloat64, bru::schema::Storage::kBytes});
  std::string empty_raw;
  bru::archive::codec::encode_payload(empty, empty_raw);
  write(corpus / "chunk_decoder" / "raw_no_rows", chunk_header(0, empty) + empty_raw);

  // Format 6: a row with a long value (chunk layout 2) and a piece of it (layout 3).
  bru::archive::Batch long_row({bru::schema::Storage::kInt64, bru::schema::Storage::kBytes,
                                bru::schema::Storage::kBytes});
  long_row.column(0).append_int(7);
  long_row.column(1).append_long(10485765);
  long_row.column(2).append_bytes("after");
  std::string long_raw;
  bru::archive::codec::encode_payload(long_row, long_raw);
  write(corpus / "chunk_decoder" / "raw_long_row", chunk_header(0, long_row) + long_raw);
  const bru::archive::EncodedChunk long_stored = bru::archive::encode_chunk(long_row, 1);
  write(corpus / "chunk_decoder" / "stored_long_row",
        chunk_header(2, long_row) +
            big_endian_u32(static_cast<std::uint32_t>(long_stored.raw_bytes)) +
            long_stored.payload);
  std::string piece_raw;
  bru::archive::codec::encode_piece_payload(1, 4194304, "a piece of the long value", piece_raw);
  write(corpus / "chunk_decoder" / "compressed_piece", chunk_header(1, long_row) + piece_raw);
  const bru::archive::EncodedChunk piece_stored =
      bru::archive::encode_piece(1, 4194304, "a piece of the long value", 1);
  write(corpus / "chunk_decoder" / "stored_piece",
        chunk_header(2, long_row) +
            big_endian_u32(static_cast<std::uint32_t>(piece_stored.raw_bytes)) +
            piece_stored.payload);

  write(corpus / "archive_toc" / "definition_items",
        bru::schema::to_json(bru::fuzz::items_table()).dump());
  write(corpus / "archive_toc" / "definition_empty_as_items",
        bru::schema::to_json(bru::fuzz::empty_table()).dump());
  return 0;
}

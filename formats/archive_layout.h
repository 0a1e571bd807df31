// The SQLite layout of the archive (FORMAT.md): table definitions, the magic values and the
// bru_meta keys the writer and reader share. Internal to formats/.
#pragma once

#include <cstdint>
#include <string_view>

namespace bru::archive::layout {

// PRAGMA application_id: "BRUA", so `file` and tools can tell a bru archive from other SQLite
// files.
inline constexpr std::int32_t kApplicationId = 0x42525541;
inline constexpr std::string_view kMagic = "bru archive";
inline constexpr std::string_view kCodecZstd = "zstd";
inline constexpr int kPageSize = 65536;

// bru_meta keys written by the archive code itself (callers may not set these).
inline constexpr std::string_view kMetaMagic = "magic";
inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaCreatedAt = "created_at";
inline constexpr std::string_view kMetaCodec = "codec";
inline constexpr std::string_view kMetaLevel = "level";
inline constexpr std::string_view kMetaTableCount = "table_count";
inline constexpr std::string_view kMetaTotalRows = "total_rows";
inline constexpr std::string_view kMetaTotalRawBytes = "total_raw_bytes";
inline constexpr std::string_view kMetaTotalStoredBytes = "total_stored_bytes";
inline constexpr std::string_view kMetaComplete = "complete";
// Format 2: the digest of the whole table of contents (archive_toc.h), written last but one.
inline constexpr std::string_view kMetaTocDigest = "toc_digest";
// Format 3, encrypted archives only (FORMAT.md "Encrypted archives").
inline constexpr std::string_view kMetaEncryption = "encryption";  // kEncryptionName
inline constexpr std::string_view kMetaKdf = "kdf";                // kKdfName
inline constexpr std::string_view kMetaKdfSalt = "kdf_salt";       // 32 hex digits
inline constexpr std::string_view kMetaKdfOps = "kdf_ops";
inline constexpr std::string_view kMetaKdfMemBytes = "kdf_mem_bytes";
inline constexpr std::string_view kMetaKeyCheck = "key_check";  // HMAC of a fixed text, hex
inline constexpr std::string_view kMetaTocMac = "toc_mac";      // HMAC of the TOC stream, hex
inline constexpr std::string_view kEncryptionName = "xchacha20-poly1305";
inline constexpr std::string_view kKdfName = "argon2id";

// The bru_meta keys the archive code writes itself, stored in clear in every archive. Callers
// may not set them; in an encrypted archive every other meta value is sealed.
inline constexpr std::string_view kArchiveMetaKeys[] = {
    kMetaMagic,       kMetaFormatVersion, kMetaCreatedAt,
    kMetaCodec,       kMetaLevel,         kMetaTableCount,
    kMetaTotalRows,   kMetaTotalRawBytes, kMetaTotalStoredBytes,
    kMetaComplete,    kMetaTocDigest,     kMetaEncryption,
    kMetaKdf,         kMetaKdfSalt,       kMetaKdfOps,
    kMetaKdfMemBytes, kMetaKeyCheck,      kMetaTocMac};

inline bool is_archive_meta_key(std::string_view key) {
  for (std::string_view reserved : kArchiveMetaKeys) {
    if (key == reserved) return true;
  }
  return false;
}

// The columns of each table of contents table, in declaration order, without row_checksum (format
// 2), which is the checksum of exactly these values (archive_toc.h). The chunk index is bru_chunks
// without its payload.
inline constexpr std::string_view kMetaColumns = "key, value";
inline constexpr std::string_view kObjectColumns =
    "object_id, kind, schema_name, name, definition, native_ddl, rows, raw_bytes, stored_bytes, "
    "chunk_count, checksum";
inline constexpr std::string_view kColumnColumns =
    "object_id, ordinal, name, portable_type, native_type, nullable, default_sql, identity";
inline constexpr std::string_view kChunkIndexColumns =
    "object_id, seq, row_count, raw_bytes, stored_bytes, codec, checksum";

// The tables of the current format version.
inline constexpr std::string_view kCreateTables = R"sql(
CREATE TABLE bru_meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  row_checksum TEXT NOT NULL
);
CREATE TABLE bru_objects(
  object_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  schema_name TEXT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  native_ddl TEXT NOT NULL,
  rows INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  checksum TEXT NOT NULL,
  row_checksum TEXT NOT NULL
);
CREATE TABLE bru_columns(
  object_id INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  portable_type TEXT NOT NULL,
  native_type TEXT NOT NULL,
  nullable INTEGER NOT NULL,
  default_sql TEXT,
  identity INTEGER NOT NULL,
  row_checksum TEXT NOT NULL,
  PRIMARY KEY(object_id, ordinal)
);
CREATE TABLE bru_chunks(
  object_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  codec TEXT NOT NULL,
  checksum TEXT NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY(object_id, seq)
);
)sql";

}  // namespace bru::archive::layout

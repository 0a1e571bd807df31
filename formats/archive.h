// The .DB archive (format described in formats/FORMAT.md): an SQLite file holding a table of
// contents and zstd-compressed, checksummed columnar chunks of rows.
//
// Writing: ArchiveWriter::create() opens "<path>.partial"; finish() marks the archive complete,
// syncs and renames it to <path>. A writer destroyed without finish() deletes the partial file,
// so no half-written archive ever has the final name.
// Reading: ArchiveReader::open() checks the magic and the format version (accepting
// kMinReadableFormatVersion..kFormatVersion), then chunks are read and checked one at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "formats/batch.h"
#include "formats/chunk_codec.h"
#include "schema/catalog.h"

namespace bru::archive {

// Format versions. Add a constant per change with a comment saying what it added.
inline constexpr int kFormatVersion1 = 1;  // bru_meta, bru_objects, bru_columns, bru_chunks
// A row checksum on every bru_meta, bru_objects and bru_columns row, and bru_meta toc_digest over
// the whole table of contents and the chunk index.
inline constexpr int kFormatVersion2 = 2;
// Optional encryption: chunks, table definitions and free-form meta values sealed with
// XChaCha20-Poly1305 under a key derived from a passphrase (Argon2id), and an HMAC over the whole
// table of contents. An archive written without a key is format 2 with a new number.
inline constexpr int kFormatVersion3 = 3;
// Schema objects: bru_objects rows of kinds other than "table" (schema, type, sequence, view,
// function, trigger, policy, comment, owner, acl, ...), each with its section, dependencies and
// native DDL in `definition` (schema::to_json(SchemaObject)); object_id order is creation order,
// tables included.
inline constexpr int kFormatVersion4 = 4;
// MariaDB's schema objects: the kind "event" (its views, routines, triggers and sequences use the
// kinds of format 4), so that an older bru says "newer format" instead of "damaged".
inline constexpr int kFormatVersion5 = 5;
// Long values: a value longer than kPieceBytes is stored across piece chunks that follow the
// chunk of its row (chunk layouts 2 and 3, FORMAT.md "Long values"), so no step of a backup,
// restore or verify holds a whole value.
inline constexpr int kFormatVersion6 = 6;
// More of PostgreSQL's catalog: the kinds "collation", "column options" and "statistics", and a
// unique constraint's "nulls_not_distinct"; Oracle's packages and object types: the kinds
// "package", "package body" and "type body" (an object type takes the kind "type" of format 4).
// An older bru says "newer format" instead of "damaged".
inline constexpr int kFormatVersion7 = 7;
inline constexpr int kFormatVersion = kFormatVersion7;
inline constexpr int kMinReadableFormatVersion = kFormatVersion1;

// One table in the archive's table of contents.
struct TableEntry {
  std::int64_t object_id = 0;
  schema::Table table;     // portable definition
  std::string native_ddl;  // CREATE TABLE as the source engine would write it
  std::int64_t rows = 0;
  std::int64_t raw_bytes = 0;     // encoded chunk payload before compression
  std::int64_t stored_bytes = 0;  // after compression
  std::int64_t chunk_count = 0;
  std::uint64_t checksum = 0;  // wrapping sum of row hashes (formats/batch.h content_hash)
};

// One schema object in the archive's table of contents (format 4).
struct ObjectEntry {
  std::int64_t object_id = 0;  // creation order, shared with the tables' entries
  schema::SchemaObject object;
};

// A chunk encoded and compressed, ready to store; produced off the writer thread.
struct EncodedChunk {
  std::int64_t row_count = 0;
  std::int64_t raw_bytes = 0;
  std::uint64_t checksum = 0;      // xxh64 of the raw (uncompressed) payload
  std::uint64_t content_hash = 0;  // content_hash() of the batch, summed into the table total
  std::string payload;             // compressed
};

// Encodes and compresses a batch. Thread-safe (no shared state); level is the zstd level.
EncodedChunk encode_chunk(const Batch& batch, int level);
// Decompresses, checks the checksum, decodes. storages must match the table's columns.
// Throws bru::Error(kArchiveCorrupt) naming what is wrong (caller adds table/chunk context).
Batch decode_chunk(std::string_view payload, std::uint64_t checksum, std::int64_t raw_bytes,
                   const std::vector<schema::Storage>& storages);
// Same, decoding into `out` and reusing its memory (a reader decoding chunk after chunk then
// allocates nothing per chunk). After a throw, `out` holds no meaningful rows.
void decode_chunk(std::string_view payload, std::uint64_t checksum, std::int64_t raw_bytes,
                  const std::vector<schema::Storage>& storages, Batch& out);

// Values longer than this are long values (FORMAT.md "Long values"): read, stored, restored and
// verified in pieces of at most this many bytes.
inline constexpr std::uint64_t kPieceBytes = std::uint64_t{4} << 20;

// Encodes and compresses one piece of a long value: the bytes at `offset` of the value in column
// `column_idx` of the row written just before. Thread-safe. row_count and content_hash are 0.
EncodedChunk encode_piece(std::size_t column_idx, std::uint64_t offset, std::string_view bytes,
                          int level);
// decode_chunk() that also takes a piece: returns it (its bytes valid until the next call on
// this thread) and leaves `out` alone, or decodes rows into `out` and returns nullopt.
std::optional<codec::PieceView> decode_chunk_or_piece(std::string_view payload,
                                                      std::uint64_t checksum,
                                                      std::int64_t raw_bytes,
                                                      const std::vector<schema::Storage>& storages,
                                                      Batch& out);

// Argon2id limits (crypto_pwhash opslimit and memlimit), recorded in the archive. The default is
// between libsodium's INTERACTIVE and MODERATE: 64 MiB keeps bru within its memory budget (issue
// 11 item 7: under 256 MiB in all cases) and costs well under a second.
struct KdfLimits {
  std::uint64_t ops = 3;
  std::uint64_t mem_bytes = std::uint64_t{64} << 20;
};

struct WriterOptions {
  bool force = false;  // replace an existing archive at the final path
  int level = 1;       // zstd level, recorded in bru_meta
  // When set, the archive is encrypted and authenticated with a key derived from this passphrase
  // (FORMAT.md "Encrypted archives"). Empty is not a passphrase: the caller refuses it.
  std::optional<std::string> passphrase;
  KdfLimits kdf;  // used only with a passphrase
};

struct ReaderOptions {
  // The passphrase of an encrypted archive. Given for an archive that is not encrypted, open()
  // refuses it: an encrypted archive replaced by a plain one must not pass unnoticed.
  std::optional<std::string> passphrase;
  // Without a passphrase, open an encrypted archive anyway, "locked": meta() then holds only the
  // values stored in clear and tables() is empty (-LIST shows what it can). Otherwise open()
  // refuses an encrypted archive without a passphrase.
  bool allow_locked = false;
};

class ArchiveWriter {
 public:
  // The checks create() makes before writing anything, for a command to run before any work
  // (a backup checks its -FILE before connecting): throws kIo when path is a folder or its
  // parent folder does not exist, kConflict when path exists and !options.force.
  static void check_target(const std::filesystem::path& path, const WriterOptions& options);
  // Deletes <path>.partial if no writer holds its lock (the one that did died: kill -9, a crash),
  // never a live writer's file. Returns whether it deleted one. For the guardian of a backup
  // (bru/commands/guardian.h). Never throws.
  static bool remove_abandoned_partial(const std::filesystem::path& path) noexcept;
  // Creates <path>.partial exclusively and holds an flock() on it until finish() or destruction,
  // so one archive has one writer. A partial file whose lock is free was left by a writer that
  // died and is replaced. Throws what check_target throws; kConflict if another live writer holds
  // <path>.partial (the message names its pid where /proc/locks tells it); kIo if the file cannot
  // be created.
  static std::unique_ptr<ArchiveWriter> create(const std::filesystem::path& path,
                                               const WriterOptions& options);
  ~ArchiveWriter();  // not finished: closes and deletes the partial file (if still its own)
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  void set_meta(const std::string& key, const std::string& value);
  // Adds a table of contents entry; returns its object id.
  std::int64_t add_table(const schema::Table& table, const std::string& native_ddl);
  // Adds a schema object's table of contents entry (format 4) after the entries added so far;
  // returns its object id. Throws kTypeMapping when a name or statement is not valid UTF-8.
  std::int64_t add_object(const schema::SchemaObject& object);
  // Appends the next chunk of a table (chunks numbered from 0 in call order). Not thread-safe:
  // one writer thread; encode_chunk() runs elsewhere.
  void write_chunk(std::int64_t object_id, const EncodedChunk& chunk);
  // Records the table's totals (rows, bytes, chunk count, checksum) from the chunks written.
  void finish_table(std::int64_t object_id);
  // Writes `complete` and the table of contents' checksums, commits and fsyncs, leaving the
  // archive complete but still at partial_path(), locked: readable there (ArchiveReader::open)
  // before it is published. Throws kIo; after a throw the partial file is deleted.
  void seal();
  // After seal(), before finish(): sets a meta value (sealed under the key of an encrypted
  // archive, as set_meta() does), computes the table of contents' digest (and MAC) again, commits
  // and fsyncs. Open no reader on the file meanwhile. Throws kIo; after a throw the partial file
  // is deleted.
  void amend_meta(const std::string& key, const std::string& value);
  // "<path>.partial": where the archive is until finish() renames it.
  const std::filesystem::path& partial_path() const noexcept;
  // seal() unless done, then renames to the final path and fsyncs the folder. Renames
  // only the file this writer created (same inode), else throws kConflict. Throws kIo; after a
  // throw the partial file is deleted if it is still this writer's.
  void finish();

  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  explicit ArchiveWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ArchiveReader {
 public:
  // Opens read-only. Throws kNotFound (no file), kArchiveCorrupt (not a bru archive, incomplete,
  // damaged TOC; "authentication failed" for a wrong key or a changed encrypted archive),
  // kArchiveVersion (format newer than supported: message names found/supported), kUsage (an
  // encrypted archive without a passphrase, unless options.allow_locked).
  static std::unique_ptr<ArchiveReader> open(const std::filesystem::path& path,
                                             const ReaderOptions& options = {});
  ~ArchiveReader();

  const std::map<std::string, std::string>& meta() const noexcept;
  const std::vector<TableEntry>& tables() const noexcept;
  // The schema objects (format 4; none before), in object id order.
  const std::vector<ObjectEntry>& objects() const noexcept;
  int format_version() const noexcept;
  bool encrypted() const noexcept;
  // Encrypted and opened without its passphrase (ReaderOptions::allow_locked): no tables.
  bool locked() const noexcept;

  // Calls on_batch for each chunk of the table in order, after checking its checksum, and checks
  // that chunk numbers are contiguous and totals match the TOC. Throws kArchiveCorrupt naming
  // the table and chunk.
  // Long values (format 6) are assembled whole in the batch here: use the overload below where
  // memory must stay bounded.
  void read_table(const TableEntry& entry, const std::function<void(const Batch&)>& on_batch) const;
  // Same, streaming long values: a row holding one comes as a batch of that row alone, in which
  // each long value is its length only (ColumnVector::is_long), then on_piece is called with its
  // pieces in column order (see LongRowHasher). Each piece is checked (checksum, place, lengths
  // adding up) before on_piece sees it.
  void read_table(const TableEntry& entry, const std::function<void(const Batch&)>& on_batch,
                  const std::function<void(std::size_t column_idx, std::string_view piece)>&
                      on_piece) const;

  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  explicit ArchiveReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bru::archive

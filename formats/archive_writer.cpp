#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <system_error>

#include "formats/archive.h"
#include "formats/archive_crypto.h"
#include "formats/archive_layout.h"
#include "formats/archive_toc.h"
#include "formats/chunk_codec.h"
#include "formats/file_env.h"
#include "formats/sqlite_db.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;
using sqlite::SqliteFailure;

// Commit every so many payload bytes: with journal_mode=OFF a commit costs no sync, and it keeps
// SQLite's dirty page set (its memory) bounded however big the archive grows.
constexpr std::int64_t kCommitEveryBytes = 64 << 20;
// Page cache: 8 MiB (negative = KiB); SQLite spills beyond it, so memory stays flat.
constexpr std::string_view kCacheSizeKib = "-8192";

fs::path folder_of(const fs::path& path) {
  fs::path folder = path.parent_path();
  return folder.empty() ? fs::path(".") : folder;
}

std::string utc_now_iso() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Syncs a file or folder to stable storage. Returns errno, 0 on success.
int sync_path(const fs::path& path, bool folder) {
  files::FileEnv& env = files::file_env();
  int fd = env.open(path.c_str(), folder ? (O_RDONLY | O_DIRECTORY) : O_RDWR, 0);
  if (fd < 0) return errno;
  int rc = env.fsync(fd) == 0 ? 0 : errno;
  if (env.close(fd) != 0 && rc == 0) rc = errno;
  return rc;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Whether `path` names the file open as `fd` (and not one put there by someone else since).
bool path_is_fd(const fs::path& path, int fd) {
  struct stat at_path {};
  struct stat opened {};
  return ::stat(path.c_str(), &at_path) == 0 && ::fstat(fd, &opened) == 0 &&
         same_file(at_path, opened);
}

// The pid holding a flock() on the file open as `fd`, from /proc/locks (Linux); 0 if unknown.
long lock_holder(int fd) {
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) return 0;
  const std::string device =
      fmt::format("{:02x}:{:02x}:{}", major(opened.st_dev), minor(opened.st_dev), opened.st_ino);
  std::ifstream locks("/proc/locks");
  for (std::string line; std::getline(locks, line);) {
    // "1: FLOCK  ADVISORY  WRITE 4242 08:02:1234567 0 EOF" (blocked waiters have "->" first)
    std::istringstream fields(line);
    std::string id, kind, mode, access, pid, file;
    fields >> id >> kind;
    if (kind == "->") fields >> kind;
    fields >> mode >> access >> pid >> file;
    if (kind == "FLOCK" && file == device) return std::atol(pid.c_str());
  }
  return 0;
}

struct TableTotals {
  std::int64_t rows = 0;
  std::int64_t raw_bytes = 0;
  std::int64_t stored_bytes = 0;
  std::int64_t chunk_count = 0;
  std::uint64_t checksum = 0;
  bool finished = false;
  // Encrypted archives: what finish_table() seals into bru_objects definition.
  std::string definition;
  std::string native_ddl;
};

void append_u64_le(std::string& out, std::uint64_t value) {
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
    out.push_back(static_cast<char>((value >> (8 * byte_idx)) & 0xff));
  }
}

}  // namespace

struct ArchiveWriter::Impl {
  fs::path final_path;
  fs::path partial_path;
  WriterOptions options;
  std::unique_ptr<sqlite::Database> db;
  std::optional<sqlite::Statement> insert_chunk;
  std::optional<sqlite::Statement> insert_meta;
  std::map<std::int64_t, TableTotals> totals;  // by object id, in creation order
  std::int64_t next_object_id = 1;
  std::int64_t uncommitted_bytes = 0;
  bool finished = false;
  bool sealed = false;  // seal() done: complete and synced, still <path>.partial
  // <path>.partial, open and flock()ed from create() until the rename: the lock tells other
  // writers the file is in use; the descriptor tells finish() which file is ours.
  int partial_fd = -1;
  // Set for an encrypted archive (options.passphrase).
  std::optional<crypto::Keys> keys;
  std::string salt;

  ~Impl() {
    if (partial_fd >= 0) files::file_env().close(partial_fd);
  }

  [[noreturn]] void locked_by_other(int other_fd) const {
    const long pid = lock_holder(other_fd);
    files::file_env().close(other_fd);
    throw Error(ErrorKind::kConflict,
                fmt::format("archive \"{}\" is being written by another backup ({}): \"{}\" is "
                            "locked",
                            final_path.string(),
                            pid > 0 ? fmt::format("pid {}", pid) : std::string("another process"),
                            partial_path.string()))
        .with_hint("wait for that backup to finish, or choose another -FILE");
  }

  // Creates <path>.partial exclusively and locks it. A partial file nobody holds a lock on was
  // left by a backup that died: it is replaced. One held by a live writer is refused (kConflict).
  void claim_partial() {
    files::FileEnv& env = files::file_env();
    for (int attempt = 0; attempt < 10; ++attempt) {
      int fd = env.open(partial_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0) {
        // Another writer may have taken the new file for stale between open and flock.
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) locked_by_other(fd);
        if (!path_is_fd(partial_path, fd)) {
          env.close(fd);
          continue;
        }
        partial_fd = fd;
        return;
      }
      if (errno != EEXIST) {
        errno_failure(fmt::format("cannot create \"{}\"", partial_path.string()), errno);
      }
      fd = env.open(partial_path.c_str(), O_RDWR | O_CLOEXEC, 0);
      if (fd < 0) {
        if (errno == ENOENT) continue;  // its writer just finished or removed it
        errno_failure(fmt::format("cannot open \"{}\"", partial_path.string()), errno);
      }
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) locked_by_other(fd);
      // Unlocked: its writer is gone. Remove it only if it is still the file at that path.
      if (path_is_fd(partial_path, fd) && env.unlink(partial_path.c_str()) != 0 && errno != ENOENT) {
        const int error_number = errno;
        env.close(fd);
        errno_failure(fmt::format("cannot remove the stale \"{}\"", partial_path.string()),
                      error_number);
      }
      env.close(fd);
    }
    throw Error(ErrorKind::kConflict,
                fmt::format("archive \"{}\": \"{}\" keeps being replaced by another process",
                            final_path.string(), partial_path.string()))
        .with_hint("make sure only one backup writes this -FILE at a time");
  }

  // The hint follows the system error where there is one (what the disk said), else SQLite's.
  [[noreturn]] void io_failure(const std::string& detail, int sqlite_code, int system_errno) const {
    const std::string folder = folder_of(final_path).string();
    Error error(ErrorKind::kIo,
                fmt::format("cannot write archive \"{}\": {}", final_path.string(), detail));
    if (system_errno == ENOSPC || system_errno == EDQUOT ||
        (system_errno == 0 && sqlite_code == SQLITE_FULL)) {
      error.with_hint(fmt::format("free space on {} or write the archive elsewhere", folder));
    } else if (sqlite_code == SQLITE_TOOBIG) {
      error.with_hint(
          "one compressed chunk is over SQLite's blob limit (1,000,000,000 bytes): the table "
          "holds a value too large for a bru archive");
    } else if (system_errno == EFBIG) {
      error.with_hint(
          fmt::format("the file system holding {} or a file size limit (ulimit -f) "
                      "does not allow a file this big; write the archive elsewhere",
                      folder));
    } else if (system_errno == EACCES || system_errno == EPERM || system_errno == EROFS ||
               system_errno == ENOENT || system_errno == ENOTDIR ||
               (system_errno == 0 &&
                (sqlite_code == SQLITE_CANTOPEN || sqlite_code == SQLITE_READONLY ||
                 sqlite_code == SQLITE_PERM))) {
      error.with_hint(
          fmt::format("check that the folder {} exists and that you may write to it", folder));
    } else {
      error.with_hint(fmt::format(
          "check free space and the file system holding {}, or write the archive elsewhere",
          folder));
    }
    throw error;
  }
  [[noreturn]] void io_failure(const SqliteFailure& failure) const {
    std::string detail = failure.what();
    if (failure.system_errno() != 0) {
      detail += fmt::format(" ({})", std::strerror(failure.system_errno()));
    }
    io_failure(detail, failure.code(), failure.system_errno());
  }
  [[noreturn]] void errno_failure(const std::string& what, int error_number) const {
    io_failure(fmt::format("{}: {}", what, std::strerror(error_number)), SQLITE_IOERR,
               error_number);
  }

  TableTotals& table_totals(std::int64_t object_id) {
    auto found = totals.find(object_id);
    if (found == totals.end()) {
      throw internal_error(fmt::format("archive writer: no table with object id {}", object_id));
    }
    return found->second;
  }

  void put_meta(std::string_view key, const std::string& value) {
    insert_meta->bind_text(1, key);
    insert_meta->bind_text(2, value);
    insert_meta->run();
  }

  // A free-form value (the database name, the server version, a restore test) is the source's:
  // sealed under the key of an encrypted archive.
  void put_free_meta(const std::string& key, const std::string& value) {
    put_meta(key, keys ? crypto::to_base64(keys->seal_toc(value, crypto::meta_ad(key))) : value);
  }

  void open_database() {
    db = std::make_unique<sqlite::Database>(partial_path.string(),
                                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                            files::sqlite_vfs_name());
    // page_size first: it only takes effect before the first table is created.
    db->exec(
        fmt::format("PRAGMA page_size={};"
                    // A fresh private file: durability comes from the fsync in finish(), and a file
                    // that did not finish is deleted, never rolled back.
                    "PRAGMA journal_mode=OFF;"
                    "PRAGMA synchronous=OFF;"
                    "PRAGMA locking_mode=EXCLUSIVE;"
                    "PRAGMA cache_size={};"
                    "PRAGMA application_id={};"
                    "PRAGMA user_version={};",
                    layout::kPageSize, kCacheSizeKib, layout::kApplicationId, kFormatVersion));
    db->exec("BEGIN");
    db->exec(std::string(layout::kCreateTables));
    // Row checksums are filled in by finish(): a file that never finished is not trusted anyway.
    insert_meta.emplace(
        db->prepare("INSERT OR REPLACE INTO bru_meta(key, value, row_checksum) VALUES (?, ?, '')"));
    insert_chunk.emplace(db->prepare(
        "INSERT INTO bru_chunks(object_id, seq, row_count, raw_bytes, stored_bytes, codec, "
        "checksum, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    put_meta(layout::kMetaMagic, std::string(layout::kMagic));
    put_meta(layout::kMetaFormatVersion, std::to_string(kFormatVersion));
    put_meta(layout::kMetaCreatedAt, utc_now_iso());
    put_meta(layout::kMetaCodec, std::string(layout::kCodecZstd));
    put_meta(layout::kMetaLevel, std::to_string(options.level));
    if (keys) {
      put_meta(layout::kMetaEncryption, std::string(layout::kEncryptionName));
      put_meta(layout::kMetaKdf, std::string(layout::kKdfName));
      put_meta(layout::kMetaKdfSalt, crypto::to_hex(salt));
      put_meta(layout::kMetaKdfOps, std::to_string(options.kdf.ops));
      put_meta(layout::kMetaKdfMemBytes, std::to_string(options.kdf.mem_bytes));
      put_meta(layout::kMetaKeyCheck, crypto::to_hex(keys->key_check()));
    }
    // From here on a partial file left by a killed backup reads as an incomplete bru archive.
    db->exec("COMMIT; BEGIN");
  }

  // Runs write_rows in the open transaction, then seals the table of contents (toc::seal),
  // commits, closes the database and fsyncs the file. Throws kIo after deleting the partial file.
  void seal_and_sync(const std::function<void()>& write_rows) {
    try {
      write_rows();
      toc::seal(*db, keys ? &*keys : nullptr);
      db->exec("COMMIT");
      insert_chunk.reset();
      insert_meta.reset();
      db->close();
      db.reset();
    } catch (const SqliteFailure& failure) {
      remove_partial();
      io_failure(failure);
    }
    if (files::file_env().fsync(partial_fd) != 0) {
      const int rc = errno;
      remove_partial();
      errno_failure(fmt::format("cannot sync \"{}\"", partial_path.string()), rc);
    }
  }

  // Frees statements and the connection quietly: used on the failure paths only.
  void drop_database() noexcept {
    insert_chunk.reset();
    insert_meta.reset();
    db.reset();
  }

  // Deletes the partial file if it is still ours: never another writer's file at the same path.
  void remove_partial() noexcept {
    drop_database();
    if (partial_fd < 0) return;
    if (path_is_fd(partial_path, partial_fd)) files::file_env().unlink(partial_path.c_str());
    files::file_env().close(partial_fd);
    partial_fd = -1;
  }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ArchiveWriter::~ArchiveWriter() {
  if (impl_ && !impl_->finished) impl_->remove_partial();
}

const std::filesystem::path& ArchiveWriter::path() const noexcept { return impl_->final_path; }

void ArchiveWriter::check_target(const std::filesystem::path& path, const WriterOptions& options) {
  std::error_code status_error;
  const auto status = fs::status(path, status_error);
  // A folder would only be refused at the final rename, after the whole backup.
  if (fs::is_directory(status)) {
    throw Error(ErrorKind::kIo,
                fmt::format("cannot write archive \"{}\": it is a folder", path.string()))
        .with_hint(
            fmt::format("give a file name in -FILE, e.g. {}", (path / "backup.DB").string()));
  }
  // A device, FIFO or socket would be replaced by the final rename: as root, even /dev/null.
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw Error(ErrorKind::kConflict,
                fmt::format("cannot write archive \"{}\": it is not a regular file (a device, "
                            "FIFO or socket), and -FORCE would replace it",
                            path.string()))
        .with_hint("give a file name in -FILE; to time a backup without keeping it, write it to "
                   "a scratch file and delete that");
  }
  if (fs::exists(status) && !options.force) {
    throw Error(ErrorKind::kConflict, fmt::format("archive \"{}\" already exists", path.string()))
        .with_hint("use -FORCE to replace it, or choose another -FILE");
  }
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const auto folder_status = fs::status(folder, status_error);
  if (!fs::is_directory(folder_status)) {
    throw Error(
        ErrorKind::kIo,
        fmt::format("cannot write archive \"{}\": \"{}\" {}", path.string(), folder.string(),
                    fs::exists(folder_status) ? "is not a folder" : "does not exist"))
        .with_hint("create the folder first, or give another -FILE");
  }
}

std::unique_ptr<ArchiveWriter> ArchiveWriter::create(const std::filesystem::path& path,
                                                     const WriterOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->final_path = path;
  impl->partial_path = fs::path(path.string() + ".partial");
  impl->options = options;

  check_target(path, options);
  if (options.passphrase) {
    // Before the partial file exists: a derivation that fails leaves nothing behind.
    impl->salt = crypto::new_salt();
    impl->keys.emplace(crypto::Keys::derive(*options.passphrase, impl->salt, options.kdf));
  }
  impl->claim_partial();
  try {
    impl->open_database();
  } catch (const SqliteFailure& failure) {
    impl->remove_partial();
    impl->io_failure(failure);
  }
  return std::unique_ptr<ArchiveWriter>(new ArchiveWriter(std::move(impl)));
}

void ArchiveWriter::set_meta(const std::string& key, const std::string& value) {
  if (layout::is_archive_meta_key(key)) {
    throw internal_error(
        fmt::format("archive writer: meta key \"{}\" is written by the archive itself", key));
  }
  try {
    impl_->put_free_meta(key, value);
  } catch (const SqliteFailure& failure) {
    impl_->io_failure(failure);
  }
}

std::int64_t ArchiveWriter::add_table(const schema::Table& table, const std::string& native_ddl) {
  const std::int64_t object_id = impl_->next_object_id;
  try {
    sqlite::Statement insert_object = impl_->db->prepare(
        "INSERT INTO bru_objects(object_id, kind, schema_name, name, definition, native_ddl, rows, "
        "raw_bytes, stored_bytes, chunk_count, checksum, row_checksum) "
        "VALUES (?, 'table', ?, ?, ?, ?, 0, 0, 0, 0, ?, '')");
    std::string definition;
    try {
      definition = schema::to_json(table).dump();
    } catch (const nlohmann::json::type_error&) {
      // JSON holds UTF-8 only; the engine (SQLite) may hold any bytes in a name.
      throw Error(ErrorKind::kTypeMapping,
                  fmt::format("cannot back up table \"{}\": a name in its definition (the table, "
                              "a column, an index or a key) is not valid UTF-8",
                              schema::escape_for_terminal(table.display_name())))
          .with_hint(
              "bru archives hold names as UTF-8: rename it in the source database, or "
              "leave the table out with -EXCLUDE");
    }
    const std::string zero_checksum = codec::hex_u64(0);
    if (impl_->keys) {
      // Names, definition and DDL are sealed into `definition` by finish_table(); the clear
      // columns stay empty, and bru_columns (a readable copy) has no rows.
      insert_object.bind_int(1, object_id);
      for (int column = 2; column <= 5; ++column) insert_object.bind_text(column, "");
      insert_object.bind_text(6, zero_checksum);
      insert_object.run();
      TableTotals& totals = impl_->totals[object_id];
      totals.definition = std::move(definition);
      totals.native_ddl = native_ddl;
      return impl_->next_object_id++;
    }
    insert_object.bind_int(1, object_id);
    insert_object.bind_text(2, table.schema);
    insert_object.bind_text(3, table.name);
    insert_object.bind_text(4, definition);
    insert_object.bind_text(5, native_ddl);
    insert_object.bind_text(6, zero_checksum);
    insert_object.run();

    sqlite::Statement insert_column = impl_->db->prepare(
        "INSERT INTO bru_columns(object_id, ordinal, name, portable_type, native_type, nullable, "
        "default_sql, identity, row_checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')");
    for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
      const schema::Column& column = table.columns[column_idx];
      const std::string portable_type = schema::to_string(column.type);
      insert_column.bind_int(1, object_id);
      insert_column.bind_int(2, static_cast<std::int64_t>(column_idx + 1));
      insert_column.bind_text(3, column.name);
      insert_column.bind_text(4, portable_type);
      insert_column.bind_text(5, column.native_type);
      insert_column.bind_int(6, column.nullable ? 1 : 0);
      insert_column.bind_optional_text(7, column.default_sql);
      insert_column.bind_int(8, column.identity ? 1 : 0);
      insert_column.run();
    }
  } catch (const SqliteFailure& failure) {
    impl_->io_failure(failure);
  }
  impl_->totals[object_id] = TableTotals{};
  ++impl_->next_object_id;
  return object_id;
}

std::int64_t ArchiveWriter::add_object(const schema::SchemaObject& object) {
  const std::int64_t object_id = impl_->next_object_id;
  std::string definition;
  std::string native_ddl;
  try {
    definition = schema::to_json(object).dump();
    for (const auto& statement : object.statements) native_ddl += statement + ";\n";
  } catch (const nlohmann::json::type_error&) {
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("cannot back up {} \"{}\": its name or definition is not valid UTF-8",
                            object.kind, schema::escape_for_terminal(object.name)))
        .with_hint("bru archives hold names and DDL as UTF-8: rename it in the source database, "
                   "or leave its schema out with -SCHEMA");
  }
  const std::string zero_checksum = codec::hex_u64(0);
  try {
    sqlite::Statement insert = impl_->db->prepare(
        "INSERT INTO bru_objects(object_id, kind, schema_name, name, definition, native_ddl, rows, "
        "raw_bytes, stored_bytes, chunk_count, checksum, row_checksum) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, '')");
    insert.bind_int(1, object_id);
    std::string sealed_text;
    if (impl_->keys) {
      // As for tables: names, definition and DDL sealed into `definition`, bound to the id.
      const nlohmann::json sealed = {
          {"definition", definition}, {"native_ddl", native_ddl}, {"checksum", zero_checksum}};
      sealed_text =
          crypto::to_base64(impl_->keys->seal_toc(sealed.dump(), crypto::object_ad(object_id)));
      insert.bind_text(2, "object");
      insert.bind_text(3, "");
      insert.bind_text(4, "");
      insert.bind_text(5, sealed_text);
      insert.bind_text(6, "");
    } else {
      insert.bind_text(2, object.kind);
      insert.bind_text(3, object.schema);
      insert.bind_text(4, object.name);
      insert.bind_text(5, definition);
      insert.bind_text(6, native_ddl);
    }
    insert.bind_text(7, zero_checksum);
    insert.run();
  } catch (const SqliteFailure& failure) {
    impl_->io_failure(failure);
  }
  return impl_->next_object_id++;
}

bool ArchiveWriter::remove_abandoned_partial(const fs::path& path) noexcept {
  auto& env = files::file_env();
  const fs::path partial(path.string() + ".partial");
  const int fd = env.open(partial.c_str(), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool removed = ::flock(fd, LOCK_EX | LOCK_NB) == 0 && path_is_fd(partial, fd) &&
                       env.unlink(partial.c_str()) == 0;
  env.close(fd);
  return removed;
}

void ArchiveWriter::write_chunk(std::int64_t object_id, const EncodedChunk& chunk) {
  TableTotals& totals = impl_->table_totals(object_id);
  if (totals.finished) {
    throw internal_error(
        fmt::format("archive writer: chunk for table {} after finish_table()", object_id));
  }
  // An encrypted chunk stores nonce || XChaCha20-Poly1305(checksum || zstd frame): the
  // plaintext checksum travels inside, the clear column holds zeros (a hash of the plaintext would
  // let anyone confirm a guess of a chunk's content).
  std::string sealed;
  if (impl_->keys) {
    std::string plain;
    plain.reserve(8 + chunk.payload.size());
    append_u64_le(plain, chunk.checksum);
    plain.append(chunk.payload);
    sealed = impl_->keys->seal_chunk(
        plain, crypto::chunk_ad(object_id, totals.chunk_count, chunk.row_count, chunk.raw_bytes));
  }
  const std::string_view payload = impl_->keys ? std::string_view(sealed) : chunk.payload;
  const std::string checksum = codec::hex_u64(impl_->keys ? 0 : chunk.checksum);
  const auto stored_bytes = static_cast<std::int64_t>(payload.size());
  try {
    sqlite::Statement& insert = *impl_->insert_chunk;
    insert.bind_int(1, object_id);
    insert.bind_int(2, totals.chunk_count);
    insert.bind_int(3, chunk.row_count);
    insert.bind_int(4, chunk.raw_bytes);
    insert.bind_int(5, stored_bytes);
    insert.bind_text(6, layout::kCodecZstd);
    insert.bind_text(7, checksum);
    insert.bind_zeroblob(8, payload.size());
    insert.run();
    impl_->db->write_blob("bru_chunks", "payload", impl_->db->last_insert_rowid(), payload);
    impl_->uncommitted_bytes += stored_bytes;
    if (impl_->uncommitted_bytes >= kCommitEveryBytes) {
      impl_->db->exec("COMMIT; BEGIN");
      impl_->uncommitted_bytes = 0;
    }
  } catch (const SqliteFailure& failure) {
    impl_->io_failure(failure);
  }
  totals.rows += chunk.row_count;
  totals.raw_bytes += chunk.raw_bytes;
  totals.stored_bytes += stored_bytes;
  totals.checksum += chunk.content_hash;
  ++totals.chunk_count;
}

void ArchiveWriter::finish_table(std::int64_t object_id) {
  TableTotals& totals = impl_->table_totals(object_id);
  try {
    sqlite::Statement update = impl_->db->prepare(
        "UPDATE bru_objects SET rows = ?, raw_bytes = ?, stored_bytes = ?, chunk_count = ?, "
        "checksum = ? WHERE object_id = ?");
    std::string checksum = codec::hex_u64(totals.checksum);
    if (impl_->keys) {
      const nlohmann::json sealed = {{"definition", totals.definition},
                                     {"native_ddl", totals.native_ddl},
                                     {"checksum", checksum}};
      sqlite::Statement seal_definition =
          impl_->db->prepare("UPDATE bru_objects SET definition = ? WHERE object_id = ?");
      // bind_text() does not copy: the text must outlive run().
      const std::string sealed_text =
          crypto::to_base64(impl_->keys->seal_toc(sealed.dump(), crypto::object_ad(object_id)));
      seal_definition.bind_text(1, sealed_text);
      seal_definition.bind_int(2, object_id);
      seal_definition.run();
      checksum = codec::hex_u64(0);
    }
    update.bind_int(1, totals.rows);
    update.bind_int(2, totals.raw_bytes);
    update.bind_int(3, totals.stored_bytes);
    update.bind_int(4, totals.chunk_count);
    update.bind_text(5, checksum);
    update.bind_int(6, object_id);
    update.run();
  } catch (const SqliteFailure& failure) {
    impl_->io_failure(failure);
  }
  totals.finished = true;
}

void ArchiveWriter::seal() {
  Impl& impl = *impl_;
  if (impl.finished || impl.sealed) return;
  std::int64_t total_rows = 0;
  std::int64_t total_raw = 0;
  std::int64_t total_stored = 0;
  for (const auto& [object_id, totals] : impl.totals) {
    if (!totals.finished) {
      impl.remove_partial();
      throw internal_error(
          fmt::format("archive writer: finish() before finish_table() for table {}", object_id));
    }
    total_rows += totals.rows;
    total_raw += totals.raw_bytes;
    total_stored += totals.stored_bytes;
  }
  impl.seal_and_sync([&] {
    impl.put_meta(layout::kMetaTableCount, std::to_string(impl.totals.size()));
    impl.put_meta(layout::kMetaTotalRows, std::to_string(total_rows));
    impl.put_meta(layout::kMetaTotalRawBytes, std::to_string(total_raw));
    impl.put_meta(layout::kMetaTotalStoredBytes, std::to_string(total_stored));
    // Last, in the same transaction as the totals: a reader trusts nothing without it.
    impl.put_meta(layout::kMetaComplete, "1");
  });
  impl.sealed = true;
}

const std::filesystem::path& ArchiveWriter::partial_path() const noexcept {
  return impl_->partial_path;
}

void ArchiveWriter::amend_meta(const std::string& key, const std::string& value) {
  Impl& impl = *impl_;
  if (!impl.sealed || impl.finished || layout::is_archive_meta_key(key)) {
    throw internal_error(
        fmt::format("archive writer: amend_meta(\"{}\") needs a sealed, unpublished archive", key));
  }
  // The digest (and the MAC) again, over the amended table of contents.
  impl.seal_and_sync([&] {
    // The file is still <path>.partial and locked: a failure below leaves nothing with the final
    // name, and remove_partial() deletes the file.
    impl.db = std::make_unique<sqlite::Database>(impl.partial_path.string(), SQLITE_OPEN_READWRITE,
                                                 files::sqlite_vfs_name());
    impl.db->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN");
    impl.insert_meta.emplace(
        impl.db->prepare("INSERT OR REPLACE INTO bru_meta(key, value, row_checksum) VALUES (?, ?, '')"));
    impl.put_free_meta(key, value);
  });
}

void ArchiveWriter::finish() {
  Impl& impl = *impl_;
  if (impl.finished) return;
  seal();
  // Rename only the file this writer wrote: if something else now sits at the partial path, the
  // rename would publish it under the archive's name.
  if (!path_is_fd(impl.partial_path, impl.partial_fd)) {
    impl.remove_partial();
    throw Error(ErrorKind::kConflict,
                fmt::format("cannot finish archive \"{}\": \"{}\" is no longer the file this "
                            "backup wrote (another process replaced or removed it)",
                            impl.final_path.string(), impl.partial_path.string()))
        .with_hint("make sure only one backup writes this -FILE at a time, then back up again");
  }
  // rename() replaces an existing archive atomically; create() already refused it without force.
  if (files::file_env().rename(impl.partial_path.c_str(), impl.final_path.c_str()) != 0) {
    int rc = errno;
    impl.remove_partial();
    impl.errno_failure(fmt::format("cannot rename \"{}\" to \"{}\"", impl.partial_path.string(),
                                   impl.final_path.string()),
                       rc);
  }
  impl.finished = true;
  files::file_env().close(impl.partial_fd);  // releases the lock, now that the file has its final name
  impl.partial_fd = -1;
  if (int rc = sync_path(folder_of(impl.final_path), true); rc != 0) {
    impl.errno_failure(
        fmt::format("cannot sync the folder \"{}\"", folder_of(impl.final_path).string()), rc);
  }
}

}  // namespace bru::archive

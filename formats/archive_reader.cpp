#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>

#include "formats/archive.h"
#include "formats/archive_crypto.h"
#include "formats/archive_layout.h"
#include "formats/archive_toc.h"
#include "formats/chunk_codec.h"
#include "formats/sqlite_db.h"
#include "schema/error.h"

namespace bru::archive {
namespace {

namespace fs = std::filesystem;
using sqlite::SqliteFailure;

constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

// The format version that brought an object kind in (formats/FORMAT.md "Versions"): an entry of
// a later kind in an older archive is damage, not something to run.
int first_version_of(std::string_view kind) {
  if (kind == "event") return kFormatVersion5;
  if (kind == "collation" || kind == "column options" || kind == "statistics" ||
      schema::is_oracle_unit_kind(kind)) {
    return kFormatVersion7;
  }
  return kMinReadableFormatVersion;
}

std::uint32_t big_endian_u32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

std::optional<int> parse_int(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::uint64_t read_u64_le(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int byte_idx = 7; byte_idx >= 0; --byte_idx) {
    value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(byte_idx)]);
  }
  return value;
}

std::vector<schema::Storage> storages_of_table(const TableEntry& entry) {
  std::vector<schema::Storage> storages;
  storages.reserve(entry.table.columns.size());
  for (const schema::Column& column : entry.table.columns) {
    storages.push_back(schema::storage_of(column.type.kind));
  }
  return storages;
}

std::string chunk_range(std::int64_t chunk_count) {
  return chunk_count == 0 ? std::string("no chunks expected")
                          : fmt::format("chunks 0..{} expected", chunk_count - 1);
}

}  // namespace

struct ArchiveReader::Impl {
  fs::path path;
  std::unique_ptr<sqlite::Database> db;
  std::map<std::string, std::string> meta;
  std::vector<TableEntry> tables;
  std::vector<ObjectEntry> objects;
  int format_version = 0;
  ReaderOptions options;
  bool encrypted = false;
  bool locked = false;
  std::optional<crypto::Keys> keys;  // an encrypted archive opened with its passphrase

  std::string quoted() const { return fmt::format("\"{}\"", path.string()); }

  Error not_an_archive(std::string_view why) const {
    return Error(ErrorKind::kArchiveCorrupt,
                 fmt::format("cannot open archive {}: not a bru archive ({})", quoted(), why))
        .with_hint(
            "was it written by another program? check the -FILE path; bru -BACKUP "
            "writes archives");
  }
  Error damaged(std::string message) const {
    return Error(ErrorKind::kArchiveCorrupt, std::move(message))
        .with_hint("the archive is damaged; restore it from another copy, or take a new backup");
  }
  Error unreadable(const SqliteFailure& failure, std::string_view where) const {
    if (failure.code() == SQLITE_NOTADB) return not_an_archive("not an SQLite database");
    if (failure.code() == SQLITE_CANTOPEN || failure.code() == SQLITE_PERM ||
        failure.code() == SQLITE_AUTH) {
      return Error(ErrorKind::kIo,
                   fmt::format("cannot open archive {}: {}", quoted(), failure.what()))
          .with_hint("check that the file is readable by you");
    }
    return Error(ErrorKind::kArchiveCorrupt,
                 fmt::format("cannot read archive {}{}: {}", quoted(), where, failure.what()))
        .with_hint(fmt::format("the archive is damaged or truncated; run bru -VERIFY -FILE {} "
                               "or take a new backup",
                               path.string()));
  }

  Error foreign(std::string_view what, std::string_view tool, std::string hint) const {
    return Error(ErrorKind::kArchiveCorrupt,
                 fmt::format("cannot open archive {}: this is {}; use {}", quoted(), what, tool))
        .with_hint(std::move(hint))
        .with_hint("bru -RESTORE, -LIST and -VERIFY read only archives written by bru -BACKUP");
  }
  Error pg_dump_archive(std::string_view format) const {
    return foreign(fmt::format("a pg_dump archive ({} format)", format), "pg_restore",
                   fmt::format("pg_restore -d <database> {} restores it; pg_restore -l {} lists it",
                               path.string(), path.string()));
  }

  // The dumps of other tools that are given to bru by mistake, told apart by their first bytes:
  // pg_dump's custom format starts with "PGDMP"; its tar format is a ustar archive whose first
  // member is toc.dat; its plain format and mysqldump's are SQL scripts with a known first
  // comment. Throws kArchiveCorrupt naming the tool to use instead.
  void refuse_other_dumps(std::string_view head) const {
    if (head.starts_with("PGDMP")) throw pg_dump_archive("custom");
    constexpr std::size_t kTarMagicOffset = 257;
    if (head.size() >= kTarMagicOffset + 5 && head.substr(kTarMagicOffset, 5) == "ustar" &&
        head.substr(0, 8) == std::string_view("toc.dat\0", 8)) {
      throw pg_dump_archive("tar");
    }
    const auto first_lines = head.substr(0, 200);
    if (first_lines.find("-- PostgreSQL database dump") != std::string_view::npos ||
        first_lines.find("-- PostgreSQL database cluster dump") != std::string_view::npos) {
      throw foreign("a pg_dump SQL script (plain format)", "psql",
                    fmt::format("psql -d <database> -f {} runs it", path.string()));
    }
    // mariadb-dump 10.11 puts a "/*M!999999\\- enable the sandbox mode */" line first.
    if (first_lines.find("-- MySQL dump") != std::string_view::npos ||
        first_lines.find("-- MariaDB dump") != std::string_view::npos) {
      throw foreign("a mysqldump SQL script", "mysql",
                    fmt::format("mysql <database> < {} runs it", path.string()));
    }
  }

  // SQLite reads past a truncated end as zeros in places, so a cut-off archive is caught here,
  // from the header's page count, before anything else is trusted.
  void check_file_header() const {
    std::error_code size_error;
    const std::uintmax_t file_size = fs::file_size(path, size_error);
    if (size_error) {
      throw Error(ErrorKind::kIo,
                  fmt::format("cannot open archive {}: {}", quoted(), size_error.message()))
          .with_hint("check that the -FILE path names a file you may read");
    }
    std::array<unsigned char, 512> header{};
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    const auto header_bytes = static_cast<std::size_t>(in.gcount());
    if (file_size == 0) return;  // SQLite sees an empty database: no bru_meta
    refuse_other_dumps(
        std::string_view(reinterpret_cast<const char*>(header.data()), header_bytes));
    if (header_bytes < 100 || std::string_view(reinterpret_cast<const char*>(header.data()),
                                               kSqliteHeader.size()) != kSqliteHeader) {
      throw not_an_archive("not an SQLite database");
    }
    std::uint32_t page_size = (std::uint32_t{header[16]} << 8) | header[17];
    if (page_size == 1) page_size = 65536;
    const std::uint32_t change_counter = big_endian_u32(&header[24]);
    const std::uint32_t page_count = big_endian_u32(&header[28]);
    const std::uint32_t valid_for = big_endian_u32(&header[92]);
    const std::uintmax_t expected = std::uintmax_t{page_count} * page_size;
    if (valid_for == change_counter && page_count != 0 && file_size < expected) {
      throw damaged(
          fmt::format("archive {} is truncated: the file has {} bytes, its header "
                      "says {}",
                      quoted(), file_size, expected));
    }
  }

  void read_meta() {
    sqlite::Statement has_meta = db->prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bru_meta'");
    if (!has_meta.step() || has_meta.column_int(0) == 0) {
      throw not_an_archive("no bru_meta table");
    }
    sqlite::Statement select = db->prepare("SELECT key, value FROM bru_meta");
    while (select.step()) meta[select.column_text(0)] = select.column_text(1);

    auto magic = meta.find(std::string(layout::kMetaMagic));
    if (magic == meta.end() || magic->second != layout::kMagic) {
      throw not_an_archive("bru_meta has no bru magic");
    }
    auto version_text = meta.find(std::string(layout::kMetaFormatVersion));
    std::optional<int> version =
        version_text == meta.end() ? std::nullopt : parse_int(version_text->second);
    if (!version) {
      throw damaged(fmt::format("archive {} has no valid format_version in bru_meta", quoted()));
    }
    format_version = *version;
    if (format_version > kFormatVersion || format_version < kMinReadableFormatVersion) {
      Error error(ErrorKind::kArchiveVersion,
                  fmt::format("archive {} has format version {}; this bru reads versions {} to {}",
                              quoted(), format_version, kMinReadableFormatVersion, kFormatVersion));
      if (format_version > kFormatVersion) {
        error.with_hint(
            fmt::format("upgrade bru to a version that reads format {}", format_version));
      } else {
        error.with_hint(fmt::format("use an older bru that reads format {}", format_version));
      }
      throw error;
    }
    auto complete = meta.find(std::string(layout::kMetaComplete));
    if (complete == meta.end() || complete->second != "1") {
      throw Error(ErrorKind::kArchiveCorrupt,
                  fmt::format("archive {} is incomplete: the backup that wrote it did not finish",
                              quoted()))
          .with_hint("take a new backup; an incomplete archive cannot be restored");
    }
  }

  bool checksummed() const { return format_version >= kFormatVersion2; }

  Error authentication_failed(std::string_view what) const {
    return Error(ErrorKind::kArchiveCorrupt,
                 fmt::format("archive {}: authentication failed: {}", quoted(), what))
        .with_hint(
            "the archive was changed after it was written; restore it from another copy, or take "
            "a new backup");
  }

  std::string meta_value(std::string_view key) const {
    const auto found = meta.find(std::string(key));
    return found == meta.end() ? std::string() : found->second;
  }

  // Format 3: an encrypted archive needs its passphrase, and a passphrase needs an encrypted
  // archive. With the passphrase: the key check, then the MAC over the whole table of contents,
  // before any other row is trusted; then the sealed meta values are opened. Without it (and
  // allowed): the sealed values are dropped from meta, the archive is "locked".
  void open_encryption() {
    using namespace layout;
    encrypted = meta.count(std::string(kMetaEncryption)) != 0;
    if (!encrypted) {
      if (options.passphrase) {
        throw authentication_failed(
            "the archive is not encrypted, but a key was given (-KEY-FILE or -KEY-ENV)");
      }
      return;
    }
    if (format_version < kFormatVersion3) {
      throw damaged(fmt::format("archive {} says format version {} but is encrypted (version {})",
                                quoted(), format_version, kFormatVersion3));
    }
    if (meta_value(kMetaEncryption) != kEncryptionName || meta_value(kMetaKdf) != kKdfName) {
      throw damaged(fmt::format("archive {} uses the unknown encryption \"{}\" with \"{}\"",
                                quoted(), meta_value(kMetaEncryption), meta_value(kMetaKdf)));
    }
    if (!options.passphrase) {
      if (!options.allow_locked) {
        throw Error(ErrorKind::kUsage,
                    fmt::format("archive {} is encrypted and no key was given", quoted()))
            .with_hint(
                "give the passphrase it was written with: -KEY-FILE <file> or -KEY-ENV "
                "<variable>");
      }
      locked = true;
      std::erase_if(meta, [](const auto& row) { return !is_archive_meta_key(row.first); });
      return;
    }
    const auto salt = crypto::from_hex(meta_value(kMetaKdfSalt));
    const auto ops = parse_u64(meta_value(kMetaKdfOps));
    const auto mem_bytes = parse_u64(meta_value(kMetaKdfMemBytes));
    const auto key_check = crypto::from_hex(meta_value(kMetaKeyCheck));
    if (!salt || salt->size() != crypto::kSaltBytes || !ops || *ops < 1 ||
        *ops > crypto::kMaxKdfOps || !mem_bytes || *mem_bytes < crypto::kMinKdfMemBytes ||
        *mem_bytes > crypto::kMaxKdfMemBytes || !key_check) {
      throw damaged(fmt::format(
          "archive {} has no valid key derivation parameters ({}, {}, {}, {} in bru_meta)",
          quoted(), kMetaKdfSalt, kMetaKdfOps, kMetaKdfMemBytes, kMetaKeyCheck));
    }
    keys.emplace(crypto::Keys::derive(*options.passphrase, *salt, {*ops, *mem_bytes}));
    if (!crypto::same_bytes(keys->key_check(), *key_check)) {
      throw Error(ErrorKind::kArchiveCorrupt,
                  fmt::format("archive {}: authentication failed: the key does not open this "
                              "archive (wrong key, or its key check was changed)",
                              quoted()))
          .with_hint("give the -KEY-FILE or -KEY-ENV the backup was written with");
    }
    const auto mac = crypto::from_hex(meta_value(kMetaTocMac));
    if (!mac || !crypto::same_bytes(crypto::from_hex(toc::toc_mac(*db, *keys)).value(), *mac)) {
      throw authentication_failed(
          "the table of contents was changed (bru_meta, bru_objects, bru_columns or the chunk "
          "index)");
    }
    for (auto& [key, value] : meta) {
      if (is_archive_meta_key(key)) continue;
      const auto sealed = crypto::from_base64(value);
      auto plain = sealed ? keys->open_toc(*sealed, crypto::meta_ad(key)) : std::nullopt;
      if (!plain) throw authentication_failed(fmt::format("bru_meta \"{}\"", key));
      value = std::move(*plain);
    }
  }

  // An encrypted archive's bru_objects definition: nonce || sealed JSON (definition, native_ddl,
  // checksum), bound to its object id.
  struct SealedObject {
    std::string definition;
    std::string native_ddl;
    std::string checksum;
  };
  SealedObject open_object(std::int64_t object_id, std::string_view definition_column) const {
    const auto sealed = crypto::from_base64(definition_column);
    const auto plain =
        sealed ? keys->open_toc(*sealed, crypto::object_ad(object_id)) : std::nullopt;
    if (!plain) {
      throw authentication_failed(fmt::format("the definition of object {}", object_id));
    }
    try {
      const nlohmann::json object = nlohmann::json::parse(*plain);
      return {object.at("definition").get<std::string>(),
              object.at("native_ddl").get<std::string>(), object.at("checksum").get<std::string>()};
    } catch (const nlohmann::json::exception& bad_json) {
      throw damaged(fmt::format("archive {}: object {}: bad sealed definition: {}", quoted(),
                                object_id, bad_json.what()));
    }
  }

  // Format 2 checks every table of contents row against its row checksum (stored in the column
  // after the `column_count` checksummed ones).
  bool row_intact(const sqlite::Statement& row, int column_count) const {
    if (!checksummed()) return true;
    std::uint64_t stored = 0;
    return codec::parse_hex_u64(row.column_text(column_count), stored) &&
           stored == toc::row_checksum(row, column_count);
  }
  std::string row_checksum_column() const { return checksummed() ? ", row_checksum" : ""; }

  // A format 1 file whose format_version was changed would skip every check of format 2.
  void check_not_downgraded() const {
    if (checksummed()) return;
    sqlite::Statement columns = db->prepare(
        "SELECT count(*) FROM pragma_table_info('bru_meta') WHERE name = 'row_checksum'");
    if (columns.step() && columns.column_int(0) != 0) {
      throw damaged(fmt::format(
          "archive {} says format version {} but its tables have row checksums (version {})",
          quoted(), format_version, kFormatVersion2));
    }
  }

  void check_meta_rows() const {
    if (!checksummed()) return;
    sqlite::Statement select = db->prepare(
        fmt::format("SELECT {}, row_checksum FROM bru_meta ORDER BY key", layout::kMetaColumns));
    while (select.step()) {
      if (!row_intact(select, 2)) {
        throw damaged(
            fmt::format("archive {}: bru_meta \"{}\" is damaged (its row checksum does not match)",
                        quoted(), select.column_text(0)));
      }
    }
  }

  void read_tables() {
    // Format 1 readers skip kinds other than table (reserved for later versions); format 2 has
    // only tables, so any other kind is damage.
    sqlite::Statement select = db->prepare(
        fmt::format("SELECT {}{} FROM bru_objects {}ORDER BY object_id", layout::kObjectColumns,
                    row_checksum_column(), checksummed() ? "" : "WHERE kind = 'table' "));
    while (select.step()) {
      TableEntry entry;
      entry.object_id = select.column_int(0);
      const std::string display = select.column_text(2).empty()
                                      ? select.column_text(3)
                                      : select.column_text(2) + "." + select.column_text(3);
      if (!row_intact(select, 11)) {
        throw damaged(fmt::format(
            "archive {}: table \"{}\" is damaged in the table of contents (its bru_objects row "
            "checksum does not match)",
            quoted(), display));
      }
      if (format_version >= kFormatVersion4 &&
          (encrypted ? select.column_text(1) == "object"
                     : schema::is_object_kind(select.column_text(1)))) {
        read_object(select, entry.object_id, display);
        continue;
      }
      if (select.column_text(1) != "table") {
        throw damaged(fmt::format("archive {}: object {} (\"{}\") has the unknown kind \"{}\"",
                                  quoted(), entry.object_id, display, select.column_text(1)));
      }
      SealedObject object{select.column_text(4), select.column_text(5), select.column_text(10)};
      if (encrypted) object = open_object(entry.object_id, object.definition);
      try {
        entry.table = schema::table_from_json(nlohmann::json::parse(object.definition));
      } catch (const nlohmann::json::exception& bad_json) {
        throw damaged(fmt::format("archive {}: table \"{}\": bad definition: {}", quoted(), display,
                                  bad_json.what()));
      } catch (const Error& bad_definition) {
        throw damaged(fmt::format("archive {}: table \"{}\": bad definition: {}", quoted(), display,
                                  bad_definition.message()));
      }
      // Encrypted: the clear name columns are empty, the names are in the sealed definition.
      if (!encrypted && (entry.table.schema != select.column_text(2) ||
                         entry.table.name != select.column_text(3))) {
        throw damaged(
            fmt::format("archive {}: bru_objects names table \"{}\", its definition \"{}\"",
                        quoted(), display, entry.table.display_name()));
      }
      entry.native_ddl = std::move(object.native_ddl);
      entry.rows = select.column_int(6);
      entry.raw_bytes = select.column_int(7);
      entry.stored_bytes = select.column_int(8);
      entry.chunk_count = select.column_int(9);
      if (!codec::parse_hex_u64(object.checksum, entry.checksum) || entry.rows < 0 ||
          entry.chunk_count < 0) {
        throw damaged(fmt::format("archive {}: table \"{}\": bad table of contents entry", quoted(),
                                  display));
      }
      tables.push_back(std::move(entry));
    }
  }

  // A schema object's row (format 4); its clear kind is "object" when the archive is encrypted.
  void read_object(const sqlite::Statement& select, std::int64_t object_id,
                   const std::string& display) {
    SealedObject sealed{select.column_text(4), select.column_text(5), select.column_text(10)};
    if (encrypted) {
      if (select.column_text(1) != "object") {
        throw damaged(fmt::format("archive {}: object {} of an encrypted archive shows its kind",
                                  quoted(), object_id));
      }
      sealed = open_object(object_id, sealed.definition);
    }
    ObjectEntry entry;
    entry.object_id = object_id;
    try {
      entry.object = schema::object_from_json(nlohmann::json::parse(sealed.definition));
    } catch (const nlohmann::json::exception& bad_json) {
      throw damaged(fmt::format("archive {}: object \"{}\": bad definition: {}", quoted(), display,
                                bad_json.what()));
    } catch (const Error& bad_definition) {
      throw damaged(fmt::format("archive {}: object \"{}\": bad definition: {}", quoted(), display,
                                bad_definition.message()));
    }
    std::string ddl;
    for (const auto& statement : entry.object.statements) ddl += statement + ";\n";
    if (format_version < first_version_of(entry.object.kind)) {
      throw damaged(fmt::format("archive {}: object {} (\"{}\") is of the kind \"{}\", which "
                                "format {} does not have",
                                quoted(), object_id, display, entry.object.kind,
                                format_version));
    }
    if (entry.object.kind == "table" ||
        (!encrypted && (entry.object.kind != select.column_text(1) ||
                        entry.object.schema != select.column_text(2) ||
                        entry.object.name != select.column_text(3))) ||
        ddl != sealed.native_ddl) {
      throw damaged(fmt::format(
          "archive {}: bru_objects row {} (\"{}\") does not match its definition", quoted(),
          object_id, display));
    }
    objects.push_back(std::move(entry));
  }

  const TableEntry* find_table(std::int64_t object_id) const {
    for (const TableEntry& entry : tables) {
      if (entry.object_id == object_id) return &entry;
    }
    return nullptr;
  }

  // bru_columns is what a DBA reads with sqlite3; bru restores from the definition. They must say
  // the same thing, or the copy a person checks is not the one that is restored.
  void check_columns() const {
    if (encrypted) {
      // Encrypted archives keep no readable copy of the columns (and the MAC covers the table).
      sqlite::Statement count = db->prepare("SELECT count(*) FROM bru_columns");
      if (count.step() && count.column_int(0) != 0) {
        throw damaged(fmt::format("archive {} is encrypted but bru_columns has rows", quoted()));
      }
      return;
    }
    sqlite::Statement select =
        db->prepare(fmt::format("SELECT {}{} FROM bru_columns ORDER BY object_id, ordinal",
                                layout::kColumnColumns, row_checksum_column()));
    std::map<std::int64_t, std::size_t> seen;  // columns per object id
    while (select.step()) {
      const std::int64_t object_id = select.column_int(0);
      const std::int64_t ordinal = select.column_int(1);
      const TableEntry* entry = find_table(object_id);
      if (entry == nullptr) {
        if (!checksummed()) continue;  // format 1: a reserved kind's columns
        throw damaged(fmt::format(
            "archive {}: bru_columns has columns of object {}, which is not a table of the "
            "table of contents",
            quoted(), object_id));
      }
      const std::string table_name = entry->table.display_name();
      if (!row_intact(select, 8)) {
        throw damaged(fmt::format(
            "archive {}: table \"{}\", column {}: damaged in the table of contents (its "
            "bru_columns row checksum does not match)",
            quoted(), table_name, ordinal));
      }
      const std::size_t column_idx = seen[object_id]++;
      const auto& columns = entry->table.columns;
      if (column_idx >= columns.size() || ordinal != static_cast<std::int64_t>(column_idx) + 1) {
        throw damaged(fmt::format(
            "archive {}: table \"{}\": bru_columns row {} does not match the definition's {} "
            "columns",
            quoted(), table_name, ordinal, columns.size()));
      }
      const schema::Column& column = columns[column_idx];
      const bool same = select.column_text(2) == column.name &&
                        select.column_text(3) == schema::to_string(column.type) &&
                        select.column_text(4) == column.native_type &&
                        select.column_int(5) == (column.nullable ? 1 : 0) &&
                        (select.is_null(6) ? !column.default_sql
                                           : column.default_sql &&
                                                 select.column_text(6) == *column.default_sql) &&
                        select.column_int(7) == (column.identity ? 1 : 0);
      if (!same) {
        throw damaged(fmt::format(
            "archive {}: table \"{}\", column {} (\"{}\"): bru_columns and the definition disagree",
            quoted(), table_name, ordinal, column.name));
      }
    }
    for (const TableEntry& entry : tables) {
      const auto found = seen.find(entry.object_id);
      const std::size_t listed = found == seen.end() ? 0 : found->second;
      if (listed != entry.table.columns.size()) {
        throw damaged(
            fmt::format("archive {}: table \"{}\": bru_columns lists {} columns, the definition {}",
                        quoted(), entry.table.display_name(), listed, entry.table.columns.size()));
      }
    }
  }

  // The chunk index against each table's entry, and the tables against bru_meta's totals, so an
  // edited total or a chunk row added or removed is caught before anything is restored.
  void check_totals() const {
    struct Sums {
      std::int64_t chunks = 0;
      std::int64_t rows = 0;
      std::int64_t raw_bytes = 0;
      std::int64_t stored_bytes = 0;
    };
    std::map<std::int64_t, Sums> sums;
    sqlite::Statement select = db->prepare(
        "SELECT object_id, count(*), sum(row_count), sum(raw_bytes), sum(stored_bytes) "
        "FROM bru_chunks GROUP BY object_id ORDER BY object_id");
    while (select.step()) {
      const std::int64_t object_id = select.column_int(0);
      if (find_table(object_id) == nullptr) {
        throw damaged(fmt::format(
            "archive {}: the chunk index has chunks of object {}, which is not a table of the "
            "table of contents",
            quoted(), object_id));
      }
      sums[object_id] = {select.column_int(1), select.column_int(2), select.column_int(3),
                         select.column_int(4)};
    }
    Sums archive_sums;
    for (const TableEntry& entry : tables) {
      const Sums& table_sums = sums[entry.object_id];
      for (const auto& [what, held, listed] :
           {std::tuple{"chunks", table_sums.chunks, entry.chunk_count},
            std::tuple{"rows", table_sums.rows, entry.rows},
            std::tuple{"raw bytes", table_sums.raw_bytes, entry.raw_bytes},
            std::tuple{"stored bytes", table_sums.stored_bytes, entry.stored_bytes}}) {
        if (held != listed) {
          throw damaged(fmt::format(
              "archive {}: table \"{}\": the chunk index holds {} {}, the table of contents says "
              "{}",
              quoted(), entry.table.display_name(), held, what, listed));
        }
      }
      archive_sums.rows += entry.rows;
      archive_sums.raw_bytes += entry.raw_bytes;
      archive_sums.stored_bytes += entry.stored_bytes;
    }
    for (const auto& [key, held] :
         {std::pair{layout::kMetaTableCount, static_cast<std::int64_t>(tables.size())},
          std::pair{layout::kMetaTotalRows, archive_sums.rows},
          std::pair{layout::kMetaTotalRawBytes, archive_sums.raw_bytes},
          std::pair{layout::kMetaTotalStoredBytes, archive_sums.stored_bytes}}) {
      const auto found = meta.find(std::string(key));
      const std::string listed = found == meta.end() ? std::string("(missing)") : found->second;
      if (listed != std::to_string(held)) {
        throw damaged(fmt::format("archive {}: bru_meta says {} = {}, the tables hold {}", quoted(),
                                  key, listed, held));
      }
    }
  }

  // Last: what the row checksums and the cross-checks cannot see (a row added or removed
  // whole, a free-form meta row changed together with its checksum).
  void check_digest() const {
    if (!checksummed()) return;
    const auto found = meta.find(std::string(layout::kMetaTocDigest));
    std::uint64_t stored = 0;
    if (found == meta.end() || !codec::parse_hex_u64(found->second, stored)) {
      throw damaged(
          fmt::format("archive {} has no valid {} in bru_meta", quoted(), layout::kMetaTocDigest));
    }
    if (stored != toc::toc_digest(*db)) {
      throw damaged(fmt::format(
          "archive {}: the table of contents does not match its digest (a row was added, "
          "removed or changed)",
          quoted()));
    }
  }
};

ArchiveReader::ArchiveReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveReader::~ArchiveReader() = default;

const std::map<std::string, std::string>& ArchiveReader::meta() const noexcept {
  return impl_->meta;
}
const std::vector<TableEntry>& ArchiveReader::tables() const noexcept { return impl_->tables; }
const std::vector<ObjectEntry>& ArchiveReader::objects() const noexcept {
  return impl_->objects;
}
int ArchiveReader::format_version() const noexcept { return impl_->format_version; }
bool ArchiveReader::encrypted() const noexcept { return impl_->encrypted; }
bool ArchiveReader::locked() const noexcept { return impl_->locked; }
const std::filesystem::path& ArchiveReader::path() const noexcept { return impl_->path; }

std::unique_ptr<ArchiveReader> ArchiveReader::open(const std::filesystem::path& path,
                                                   const ReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  std::error_code status_error;
  const fs::file_status status = fs::status(path, status_error);
  if (!fs::exists(status)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("cannot open archive {}: no such file", impl->quoted()))
        .with_hint("check the -FILE path");
  }
  if (fs::is_directory(status)) {
    // pg_dump's directory format: a folder holding toc.dat and one file per table.
    if (fs::exists(path / "toc.dat", status_error)) throw impl->pg_dump_archive("directory");
    throw Error(ErrorKind::kIo,
                fmt::format("cannot open archive {}: it is a folder", impl->quoted()))
        .with_hint("give the archive file in -FILE, not its folder");
  }
  impl->check_file_header();
  try {
    impl->db = std::make_unique<sqlite::Database>(path.string(), SQLITE_OPEN_READONLY);
    impl->read_meta();
    impl->open_encryption();
    impl->check_not_downgraded();
    impl->check_meta_rows();
    if (impl->locked) {
      // Without the key only what is stored in clear can be checked: the rows and the digest.
      impl->check_digest();
      return std::unique_ptr<ArchiveReader>(new ArchiveReader(std::move(impl)));
    }
    impl->read_tables();
    impl->check_columns();
    impl->check_totals();
    impl->check_digest();
  } catch (const SqliteFailure& failure) {
    throw impl->unreadable(failure, "");
  }
  return std::unique_ptr<ArchiveReader>(new ArchiveReader(std::move(impl)));
}

void ArchiveReader::read_table(const TableEntry& entry,
                               const std::function<void(const Batch&)>& on_batch) const {
  // Long values assembled whole: one row of the table's storages, filled from the pieces.
  Batch assembled;
  std::uint64_t missing_bytes = 0;
  read_table(
      entry,
      [&](const Batch& batch) {
        if (!batch.has_long()) {
          on_batch(batch);
          return;
        }
        assembled = Batch(storages_of_table(entry));
        for (std::size_t column_idx = 0; column_idx < batch.column_count(); ++column_idx) {
          const ColumnVector& column = batch.column(column_idx);
          if (column.is_long(0)) {
            assembled.column(column_idx).begin_bytes();
            missing_bytes += column.long_length(0);
          } else {
            assembled.column(column_idx).append_from(column, 0);
          }
        }
      },
      [&](std::size_t column_idx, std::string_view piece) {
        assembled.column(column_idx).append_piece(piece);
        missing_bytes -= piece.size();
        if (missing_bytes == 0) on_batch(assembled);
      });
}

void ArchiveReader::read_table(
    const TableEntry& entry, const std::function<void(const Batch&)>& on_batch,
    const std::function<void(std::size_t column_idx, std::string_view piece)>& on_piece) const {
  const Impl& impl = *impl_;
  if (impl.locked) throw internal_error("read_table() on an archive opened without its key");
  const std::string table_name = entry.table.display_name();
  const std::vector<schema::Storage> storages = storages_of_table(entry);
  auto chunk_error = [&](std::int64_t seq, const std::string& what) {
    return impl.damaged(fmt::format("table \"{}\", chunk {}: {}", table_name, seq, what));
  };
  const bool long_values_allowed = impl.format_version >= kFormatVersion6;

  Batch batch(storages);              // reused for every chunk
  std::optional<std::string> opened;  // an encrypted chunk's plaintext
  std::int64_t expected_seq = 0;
  std::int64_t rows = 0;
  std::uint64_t content = 0;
  // A row with long values, while its pieces come: where the next one belongs.
  LongRowHasher long_row;
  std::uint64_t long_length = 0;
  auto cut_short = [&] {
    const std::size_t column_idx = long_row.column();
    return fmt::format(
        "the long value of row {}, column \"{}\" is cut short: {} of its {} bytes are there (a "
        "piece is missing)",
        rows, entry.table.columns[column_idx].name, long_length - long_row.remaining(),
        long_length);
  };
  try {
    sqlite::Statement select = impl.db->prepare(
        "SELECT seq, row_count, raw_bytes, stored_bytes, codec, checksum, payload "
        "FROM bru_chunks WHERE object_id = ? ORDER BY seq");
    select.bind_int(1, entry.object_id);
    while (true) {
      bool has_row = false;
      try {
        has_row = select.step();
      } catch (const SqliteFailure& failure) {
        throw impl.unreadable(failure,
                              fmt::format(" (table \"{}\", chunk {})", table_name, expected_seq));
      }
      if (!has_row) break;
      const std::int64_t seq = select.column_int(0);
      if (seq >= entry.chunk_count) {
        throw impl.damaged(
            fmt::format("table \"{}\": chunk {} is not in the table of contents "
                        "({})",
                        table_name, seq, chunk_range(entry.chunk_count)));
      }
      if (seq != expected_seq) {
        throw impl.damaged(fmt::format("table \"{}\": chunk {} is missing ({})", table_name,
                                       expected_seq, chunk_range(entry.chunk_count)));
      }
      const std::int64_t row_count = select.column_int(1);
      const std::int64_t raw_bytes = select.column_int(2);
      const std::int64_t stored_bytes = select.column_int(3);
      const std::string codec_name = select.column_text(4);
      std::uint64_t checksum = 0;
      if (codec_name != layout::kCodecZstd) {
        throw chunk_error(seq, fmt::format("unknown codec \"{}\"", codec_name));
      }
      if (!codec::parse_hex_u64(select.column_text(5), checksum)) {
        throw chunk_error(seq, fmt::format("bad checksum text \"{}\"", select.column_text(5)));
      }
      std::string_view payload = select.column_blob(6);
      if (static_cast<std::int64_t>(payload.size()) != stored_bytes) {
        throw chunk_error(seq, fmt::format("the payload has {} bytes, the chunk records {}",
                                           payload.size(), stored_bytes));
      }
      if (impl.keys) {
        // nonce || XChaCha20-Poly1305(checksum || zstd frame), bound to (table, seq, rows, size).
        opened = impl.keys->open_chunk(
            payload, crypto::chunk_ad(entry.object_id, seq, row_count, raw_bytes));
        if (!opened || opened->size() < 8) {
          throw impl.authentication_failed(fmt::format(
              "table \"{}\", chunk {} was changed, or moved from another place in the archive",
              table_name, seq));
        }
        checksum = read_u64_le(*opened);
        payload = std::string_view(*opened).substr(8);
      }
      std::optional<codec::PieceView> piece;
      try {
        piece = decode_chunk_or_piece(payload, checksum, raw_bytes, storages, batch);
      } catch (const Error& bad_chunk) {
        throw chunk_error(seq, bad_chunk.message());
      }
      if (piece) {
        if (!long_values_allowed || !long_row.pending()) {
          throw chunk_error(seq, "it is a piece of a long value, but no long value is expected here");
        }
        if (row_count != 0) {
          throw chunk_error(seq, fmt::format("it is a piece of a long value, but its record says "
                                             "{} rows",
                                             row_count));
        }
        const std::uint64_t expected_offset = long_length - long_row.remaining();
        if (piece->column_idx != long_row.column() || piece->offset != expected_offset) {
          const auto column_name = [&](std::uint64_t column_idx) {
            return column_idx < entry.table.columns.size()
                       ? fmt::format("\"{}\"", entry.table.columns[column_idx].name)
                       : std::to_string(column_idx + 1);
          };
          throw chunk_error(
              seq, fmt::format("a piece of column {} at byte {} where the piece of row {}, column "
                               "{} at byte {} belongs (pieces out of order)",
                               column_name(piece->column_idx), piece->offset, rows,
                               column_name(long_row.column()), expected_offset));
        }
        if (!long_row.piece(long_row.column(), piece->bytes)) {
          throw chunk_error(seq, fmt::format("a piece of {} bytes where the long value of row {} "
                                             "has {} left",
                                             piece->bytes.size(), rows, long_row.remaining()));
        }
        on_piece(static_cast<std::size_t>(piece->column_idx), piece->bytes);
        if (long_row.pending()) {
          long_length = long_row.column() < batch.column_count()
                            ? batch.column(long_row.column()).long_length(0)
                            : 0;
        } else {
          content += long_row.hash();
        }
        ++expected_seq;
        continue;
      }
      if (long_row.pending()) throw chunk_error(seq, cut_short());
      if (!long_values_allowed && batch.has_long()) {
        throw chunk_error(seq, fmt::format("it holds a long value, which a format {} archive "
                                           "cannot have",
                                           impl.format_version));
      }
      if (static_cast<std::int64_t>(batch.row_count()) != row_count) {
        throw chunk_error(
            seq, fmt::format("it holds {} rows, its record says {}", batch.row_count(), row_count));
      }
      on_batch(batch);
      rows += row_count;
      if (batch.has_long()) {
        long_row.begin(batch);
        long_length = batch.column(long_row.column()).long_length(0);
      } else {
        content += content_hash(batch);
      }
      ++expected_seq;
    }
  } catch (const SqliteFailure& failure) {
    throw impl.unreadable(failure, fmt::format(" (table \"{}\")", table_name));
  }
  if (long_row.pending()) throw chunk_error(expected_seq, cut_short());
  if (expected_seq < entry.chunk_count) {
    throw impl.damaged(fmt::format("table \"{}\": chunk {} is missing ({})", table_name,
                                   expected_seq, chunk_range(entry.chunk_count)));
  }
  if (rows != entry.rows) {
    throw impl.damaged(
        fmt::format("table \"{}\": the chunks hold {} rows, the table of contents "
                    "says {}",
                    table_name, rows, entry.rows));
  }
  if (content != entry.checksum) {
    throw impl.damaged(
        fmt::format("table \"{}\": content checksum mismatch (stored 0x{}, "
                    "computed 0x{})",
                    table_name, codec::hex_u64(entry.checksum), codec::hex_u64(content)));
  }
}

}  // namespace bru::archive

// -LIST and -VERIFY: the archive tools. Neither touches a database.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "bru/commands/commands.h"
#include "bru/interrupt.h"
#include "formats/archive.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

double megabytes(std::int64_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

std::string meta_or(const archive::ArchiveReader& reader, const std::string& key,
                    const std::string& fallback) {
  const auto found = reader.meta().find(key);
  return found == reader.meta().end() || found->second.empty()
             ? fallback
             : schema::escape_for_terminal(found->second);
}

nlohmann::ordered_json meta_or_null(const archive::ArchiveReader& reader, const std::string& key) {
  const auto found = reader.meta().find(key);
  if (found == reader.meta().end() || found->second.empty()) return nullptr;
  return found->second;
}

// A meta value that should be a number as a JSON number; left as text when it is not one.
nlohmann::ordered_json number_or_text(const nlohmann::ordered_json& value) {
  if (!value.is_string()) return value;
  const auto& text = value.get_ref<const std::string&>();
  int number = 0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (failure != std::errc() || end != text.data() + text.size()) return value;
  return number;
}

// -LIST -JSON: the table of contents as one document (fields in README "Output for machines").
void print_list_json(const cli::Options& options, const archive::ArchiveReader& reader) {
  using Json = nlohmann::ordered_json;
  Json document;
  document["file"] = options.file;
  document["format_version"] = reader.format_version();
  document["toc_checked"] = reader.format_version() >= archive::kFormatVersion2;
  document["encrypted"] = reader.encrypted();
  document["locked"] = reader.locked();
  document["bru_version"] = meta_or_null(reader, "bru_version");
  document["created_at"] = meta_or_null(reader, "created_at");
  document["source"] = {{"dialect", meta_or_null(reader, "source_dialect")},
                        {"server_version", meta_or_null(reader, "server_version")},
                        {"database", meta_or_null(reader, "database")}};
  document["snapshot"] = meta_or_null(reader, "snapshot");
  document["log_position"] = meta_or_null(reader, "log_position");
  document["schema_version"] = meta_or_null(reader, "schema_version");
  document["restore_tested"] = meta_or_null(reader, "restore_tested");
  document["compression"] = {{"codec", meta_or_null(reader, "codec")},
                             {"level", number_or_text(meta_or_null(reader, "level"))}};
  Json tables = Json::array();
  Json totals = {
      {"tables", reader.tables().size()}, {"rows", 0}, {"bytes", 0}, {"stored_bytes", 0}};
  for (const auto& entry : reader.tables()) {
    tables.push_back({{"name", entry.table.display_name()},
                      {"schema", entry.table.schema.empty() ? Json() : Json(entry.table.schema)},
                      {"table", entry.table.name},
                      {"rows", entry.rows},
                      {"bytes", entry.raw_bytes},
                      {"stored_bytes", entry.stored_bytes},
                      {"chunks", entry.chunk_count}});
    totals["rows"] = totals["rows"].get<std::int64_t>() + entry.rows;
    totals["bytes"] = totals["bytes"].get<std::int64_t>() + entry.raw_bytes;
    totals["stored_bytes"] = totals["stored_bytes"].get<std::int64_t>() + entry.stored_bytes;
  }
  if (reader.locked()) {
    // Without the key there are no table entries; the totals are stored in clear.
    totals = {{"tables", number_or_text(meta_or_null(reader, "table_count"))},
              {"rows", number_or_text(meta_or_null(reader, "total_rows"))},
              {"bytes", number_or_text(meta_or_null(reader, "total_raw_bytes"))},
              {"stored_bytes", number_or_text(meta_or_null(reader, "total_stored_bytes"))}};
  }
  document["tables"] = std::move(tables);
  Json objects = Json::array();
  for (const auto& entry : reader.objects()) {
    objects.push_back({{"kind", entry.object.kind},
                       {"schema", entry.object.schema},
                       {"name", entry.object.name},
                       {"section", entry.object.section},
                       {"depends", entry.object.depends}});
    if (options.verbose) objects.back()["ddl"] = entry.object.statements;
  }
  document["objects"] = std::move(objects);
  document["totals"] = std::move(totals);
  log::print_document(document);
}

constexpr std::string_view kEncryptionLine =
    "XChaCha20-Poly1305, key from the passphrase by Argon2id; table of contents authenticated";

// -LIST of an encrypted archive without its key: only what is stored in clear. Names, definitions,
// the source database and the data need the key.
void print_locked_list(const cli::Options& options, const archive::ArchiveReader& reader) {
  fmt::print("archive         {} (format {})\n", options.file, reader.format_version());
  fmt::print("encryption      {}\n", kEncryptionLine);
  fmt::print("created         {}\n", meta_or(reader, "created_at", "?"));
  fmt::print("compression     {} level {}\n", meta_or(reader, "codec", "?"),
             meta_or(reader, "level", "?"));
  const auto bytes = [&](const char* key) {
    const auto found = reader.meta().find(key);
    std::int64_t value = 0;
    if (found != reader.meta().end()) {
      std::from_chars(found->second.data(), found->second.data() + found->second.size(), value);
    }
    return megabytes(value);
  };
  fmt::print("\n{} tables, {} rows, {:.1f} MB of data stored in {:.1f} MB\n",
             meta_or(reader, "table_count", "?"), meta_or(reader, "total_rows", "?"),
             bytes("total_raw_bytes"), bytes("total_stored_bytes"));
  fmt::print("the table names, the source and the data are encrypted: give -KEY-FILE or -KEY-ENV "
             "to list the tables\n");
}

// The schema objects (format 4), one line each in creation order; -VERBOSE adds each
// table's and object's DDL under it.
void print_objects(const cli::Options& options, const archive::ArchiveReader& reader) {
  if (reader.objects().empty() && !options.verbose) return;
  fmt::print("\n{:<10} {:<24} {}\n", "section", "kind", "object");
  auto print_ddl = [&](const std::string& sql) {
    if (!options.verbose) return;
    // Line by line: the DDL's own line breaks kept, anything else a terminal would act on shown.
    std::size_t begin = 0;
    while (begin <= sql.size()) {
      const std::size_t end = std::min(sql.find('\n', begin), sql.size());
      fmt::print("    {}{}\n", schema::escape_for_terminal(sql.substr(begin, end - begin)),
                 end == sql.size() ? ";" : "");
      begin = end + 1;
    }
  };
  std::size_t table_idx = 0;
  const auto& tables = reader.tables();
  auto tables_before = [&](std::int64_t object_id) {
    for (; table_idx < tables.size() && tables[table_idx].object_id < object_id; ++table_idx) {
      fmt::print("{:<10} {:<24} {}\n", "pre-data", "table",
                 schema::escape_for_terminal(tables[table_idx].table.display_name()));
      print_ddl(tables[table_idx].native_ddl);
    }
  };
  for (const auto& entry : reader.objects()) {
    tables_before(entry.object_id);
    fmt::print("{:<10} {:<24} {}\n", entry.object.section, entry.object.kind,
               schema::escape_for_terminal(entry.object.name));
    for (const auto& sql : entry.object.statements) print_ddl(sql);
  }
  tables_before(std::numeric_limits<std::int64_t>::max());
  fmt::print("\n{} objects besides the tables\n", reader.objects().size());
}

}  // namespace

int list(const cli::Options& options, log::Log&) {
  const auto reader = archive::ArchiveReader::open(
      options.file, {.passphrase = options.key, .allow_locked = true});
  if (options.json) {
    print_list_json(options, *reader);
    return 0;
  }
  if (reader->locked()) {
    print_locked_list(options, *reader);
    return 0;
  }
  fmt::print("archive         {} (format {}, written by bru {})\n", options.file,
             reader->format_version(), meta_or(*reader, "bru_version", "?"));
  fmt::print("created         {}\n", meta_or(*reader, "created_at", "?"));
  fmt::print("source          {} {}, database {}\n", meta_or(*reader, "source_dialect", "?"),
             meta_or(*reader, "server_version", ""), meta_or(*reader, "database", "?"));
  fmt::print("snapshot        {}\n", meta_or(*reader, "snapshot", "?"));
  if (const auto position = reader->meta().find("log_position");
      position != reader->meta().end()) {
    fmt::print("log position    {}\n", position->second);
  }
  fmt::print("schema version  {}\n", meta_or(*reader, "schema_version", "(no bru history table)"));
  fmt::print("restore test    {}\n", meta_or(*reader, "restore_tested", "none (-BACKUP -CHECK-RESTORE records one)"));
  fmt::print("checksums       {}\n", reader->format_version() < archive::kFormatVersion2
                                          ? "chunks only (a format 1 table of contents carries "
                                            "no checksums)"
                                          : "chunks, every table of contents row, and its digest");
  if (reader->encrypted()) {
    fmt::print("encryption      {}\n", kEncryptionLine);
  }
  fmt::print("compression     {} level {}\n\n", meta_or(*reader, "codec", "?"),
             meta_or(*reader, "level", "?"));

  fmt::print("{:<40} {:>12} {:>10} {:>10} {:>7}\n", "table", "rows", "data MB", "stored MB",
             "chunks");
  std::int64_t rows = 0;
  std::int64_t raw = 0;
  std::int64_t stored = 0;
  for (const auto& entry : reader->tables()) {
    // Names are the database's: a tab, newline or ESC in one must not garble the listing.
    fmt::print("{:<40} {:>12} {:>10.1f} {:>10.1f} {:>7}\n",
               schema::escape_for_terminal(entry.table.display_name()), entry.rows,
               megabytes(entry.raw_bytes), megabytes(entry.stored_bytes), entry.chunk_count);
    rows += entry.rows;
    raw += entry.raw_bytes;
    stored += entry.stored_bytes;
  }
  fmt::print("\n{} tables, {} rows, {:.1f} MB of data stored in {:.1f} MB\n",
             reader->tables().size(), rows, megabytes(raw), megabytes(stored));
  print_objects(options, *reader);
  return 0;
}

int verify(const cli::Options& options, log::Log& log) {
  const auto reader = archive::ArchiveReader::open(options.file, {.passphrase = options.key});
  std::size_t failed = 0;
  std::string first_failure;
  for (const auto& entry : reader->tables()) {
    throw_if_interrupted();
    const auto name = schema::escape_for_terminal(entry.table.display_name());
    try {
      // read_table checks chunk numbering, every chunk checksum, the row total and the table's
      // content checksum against the table of contents; long values stream through, piece by
      // piece, and are checked so.
      std::int64_t rows = 0;
      reader->read_table(
          entry,
          [&](const archive::Batch& batch) {
            rows += static_cast<std::int64_t>(batch.row_count());
          },
          [](std::size_t, std::string_view) {});
      log.table_done({.command = "verify", .table = name, .rows = rows, .verified = true});
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kArchiveCorrupt) throw;
      ++failed;
      if (first_failure.empty()) first_failure = error.message();
      log.table_done(
          {.command = "verify", .table = name, .verified = false, .problem = error.message()});
    }
  }
  if (failed > 0) {
    throw Error(ErrorKind::kArchiveCorrupt,
                fmt::format("archive \"{}\" is damaged: {} of {} tables failed verification ({})",
                            options.file, failed, reader->tables().size(), first_failure))
        .with_hint("do not restore from this copy; use another copy of the archive or take a "
                   "new backup");
  }
  log.verify_done({.tables = reader->tables().size(),
                   .file = options.file,
                   .toc_checked = reader->format_version() >= archive::kFormatVersion2});
  return 0;
}

}  // namespace bru::commands

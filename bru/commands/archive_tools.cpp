// -LIST and -VERIFY: the archive tools. Neither touches a database.
#include <fmt/format.h>

#include "bru/commands/commands.h"
#include "bru/interrupt.h"
#include "formats/archive.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

double megabytes(std::int64_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

std::string meta_or(const archive::ArchiveReader& reader, const std::string& key,
                    const std::string& fallback) {
  const auto found = reader.meta().find(key);
  return found == reader.meta().end() || found->second.empty() ? fallback : found->second;
}

}  // namespace

int list(const cli::Options& options) {
  const auto reader = archive::ArchiveReader::open(options.file);
  fmt::print("archive         {} (format {}, written by bru {})\n", options.file,
             reader->format_version(), meta_or(*reader, "bru_version", "?"));
  fmt::print("created         {}\n", meta_or(*reader, "created_at", "?"));
  fmt::print("source          {} {}, database {}\n", meta_or(*reader, "source_dialect", "?"),
             meta_or(*reader, "server_version", ""), meta_or(*reader, "database", "?"));
  fmt::print("snapshot        {}\n", meta_or(*reader, "snapshot", "?"));
  fmt::print("schema version  {}\n", meta_or(*reader, "schema_version", "(no bru history table)"));
  fmt::print("checksums       {}\n", reader->format_version() < archive::kFormatVersion2
                                          ? "chunks only (a format 1 table of contents carries "
                                            "no checksums)"
                                          : "chunks, every table of contents row, and its digest");
  fmt::print("compression     {} level {}\n\n", meta_or(*reader, "codec", "?"),
             meta_or(*reader, "level", "?"));

  fmt::print("{:<40} {:>12} {:>10} {:>10} {:>7}\n", "table", "rows", "data MB", "stored MB",
             "chunks");
  std::int64_t rows = 0;
  std::int64_t raw = 0;
  std::int64_t stored = 0;
  for (const auto& entry : reader->tables()) {
    fmt::print("{:<40} {:>12} {:>10.1f} {:>10.1f} {:>7}\n", entry.table.display_name(),
               entry.rows, megabytes(entry.raw_bytes), megabytes(entry.stored_bytes),
               entry.chunk_count);
    rows += entry.rows;
    raw += entry.raw_bytes;
    stored += entry.stored_bytes;
  }
  fmt::print("\n{} tables, {} rows, {:.1f} MB of data stored in {:.1f} MB\n",
             reader->tables().size(), rows, megabytes(raw), megabytes(stored));
  return 0;
}

int verify(const cli::Options& options) {
  const auto reader = archive::ArchiveReader::open(options.file);
  std::size_t failed = 0;
  std::string first_failure;
  for (const auto& entry : reader->tables()) {
    throw_if_interrupted();
    const auto name = entry.table.display_name();
    try {
      // read_table checks chunk numbering, every chunk checksum, the row total and the table's
      // content checksum against the table of contents.
      std::int64_t rows = 0;
      reader->read_table(entry, [&](const archive::Batch& batch) {
        rows += static_cast<std::int64_t>(batch.row_count());
      });
      if (!options.quiet) fmt::print("ok      {:<40} {:>12} rows\n", name, rows);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kArchiveCorrupt) throw;
      ++failed;
      if (first_failure.empty()) first_failure = error.message();
      fmt::print("FAILED  {:<40} {}\n", name, error.message());
    }
  }
  if (failed > 0) {
    throw Error(ErrorKind::kArchiveCorrupt,
                fmt::format("archive \"{}\" is damaged: {} of {} tables failed verification ({})",
                            options.file, failed, reader->tables().size(), first_failure))
        .with_hint("do not restore from this copy; use another copy of the archive or take a "
                   "new backup");
  }
  fmt::print("archive \"{}\" verified: {} tables, every chunk and checksum intact{}\n", options.file,
             reader->tables().size(),
             reader->format_version() < archive::kFormatVersion2
                 ? " (format 1: its table of contents carries no checksums)"
                 : "");
  return 0;
}

}  // namespace bru::commands

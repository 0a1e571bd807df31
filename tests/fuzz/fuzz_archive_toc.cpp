// libFuzzer harness: the archive reader's table of contents (formats/archive_reader.cpp).
//
// A valid small archive is written once (two tables, one of them with chunks). For each input,
// a copy of it is edited, then resealed (toc::seal: row checksums and digest recomputed, as
// someone who knows the format would) so the edit reaches the checks behind the checksums; then
// ArchiveReader::open() and read_table() of every table run on it. The input is
//   <definition of table 1> [0x1F <SQL run on the copy before sealing>]
// An empty definition keeps the original. The SQL may read, insert, update and delete rows (any
// other action is refused by an authorizer, so no fuzzed statement attaches or writes another
// file) and runs for a bounded number of steps; its errors are ignored. Every input must either
// open and read or throw bru::Error(kArchiveCorrupt or kArchiveVersion).
#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "formats/archive.h"
#include "formats/archive_toc.h"
#include "formats/sqlite_db.h"
#include "fuzz_check.h"
#include "fuzz_samples.h"
#include "schema/error.h"

namespace {

namespace fs = std::filesystem;
using bru::archive::Batch;

constexpr char kFieldSeparator = '\x1f';
// SQLite virtual machine steps between progress callbacks, and callbacks before a fuzzed
// statement is interrupted: enough for any edit of this small archive, not for a runaway query.
constexpr int kProgressSteps = 1000;
constexpr int kProgressCallbacks = 1000;

fs::path g_folder;
std::string g_archive;  // the bytes of the valid archive

void write_valid_archive(const fs::path& path) {
  auto writer = bru::archive::ArchiveWriter::create(path, {});
  const std::int64_t items_id = writer->add_table(
      bru::fuzz::items_table(), "CREATE TABLE public.items (id bigint, price float8, label text)");
  const std::int64_t empty_id =
      writer->add_table(bru::fuzz::empty_table(), "CREATE TABLE public.empty (note text)");
  for (std::int64_t chunk = 0; chunk < 2; ++chunk) {
    writer->write_chunk(items_id, bru::archive::encode_chunk(bru::fuzz::items_batch(chunk), 1));
  }
  writer->finish_table(items_id);
  writer->finish_table(empty_id);
  writer->finish();
}

void remove_folder() {
  std::error_code ignored;
  fs::remove_all(g_folder, ignored);
}

// Only row reads and edits: a fuzzed ATTACH or VACUUM INTO would write files elsewhere.
int authorize(void*, int action, const char*, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_READ:
    case SQLITE_SELECT:
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
  }
}

int stop_runaway(void* callbacks) {
  return ++*static_cast<int*>(callbacks) > kProgressCallbacks ? 1 : 0;
}

// Applies the input to the copy at `path` and reseals it.
void edit(const fs::path& path, std::string_view definition, std::string_view sql) {
  bru::archive::sqlite::Database db(path.string(), SQLITE_OPEN_READWRITE);
  // A scratch copy: no fsync and no journal file per input, or the harness runs 10 inputs a second.
  db.exec("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY");
  if (!definition.empty()) {
    bru::archive::sqlite::Statement update =
        db.prepare("UPDATE bru_objects SET definition = ? WHERE object_id = 1");
    update.bind_text(1, definition);
    update.run();
  }
  if (!sql.empty()) {
    int callbacks = 0;
    sqlite3_set_authorizer(db.handle(), authorize, nullptr);
    sqlite3_progress_handler(db.handle(), kProgressSteps, stop_runaway, &callbacks);
    const std::string statements(sql);
    sqlite3_exec(db.handle(), statements.c_str(), nullptr, nullptr, nullptr);
    sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
    sqlite3_set_authorizer(db.handle(), nullptr, nullptr);
    // A statement stopped half way may leave a transaction open.
    if (sqlite3_get_autocommit(db.handle()) == 0) {
      sqlite3_exec(db.handle(), "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  bru::archive::toc::seal(db, /*keys=*/nullptr);  // the archive is not encrypted
  db.close();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string folder = (fs::temp_directory_path() / "bru-fuzz-toc-XXXXXX").string();
  bru::fuzz::check(mkdtemp(folder.data()) != nullptr, "cannot create a temporary folder");
  g_folder = folder;
  std::atexit(remove_folder);
  write_valid_archive(g_folder / "valid.db");
  std::ifstream in(g_folder / "valid.db", std::ios::binary);
  g_archive.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  bru::fuzz::check(!g_archive.empty(), "the valid archive is empty");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t separator = input.find(kFieldSeparator);
  const std::string_view definition = input.substr(0, separator);
  const std::string_view sql =
      separator == std::string_view::npos ? std::string_view() : input.substr(separator + 1);

  const fs::path copy = g_folder / "edited.db";
  {
    std::ofstream out(copy, std::ios::binary | std::ios::trunc);
    out.write(g_archive.data(), static_cast<std::streamsize>(g_archive.size()));
    bru::fuzz::check(static_cast<bool>(out), "cannot write the archive copy");
  }
  try {
    edit(copy, definition, sql);
  } catch (const bru::archive::sqlite::SqliteFailure&) {
    return 0;  // the edit broke the file for SQLite itself (e.g. dropped a TOC column)
  }
  try {
    const auto reader = bru::archive::ArchiveReader::open(copy);
    for (const bru::archive::TableEntry& entry : reader->tables()) {
      reader->read_table(entry, [](const Batch&) {});
    }
  } catch (const bru::Error& error) {
    bru::fuzz::check(error.kind() == bru::ErrorKind::kArchiveCorrupt ||
                         error.kind() == bru::ErrorKind::kArchiveVersion,
                     "the reader threw an error other than kArchiveCorrupt or kArchiveVersion");
  }
  return 0;
}

// -BACKUP: one consistent snapshot of the selected tables into a .DB archive.
//
//   connect -> begin snapshot -> read catalog -> create <file>.partial -> per table: read
//   batches, encode/compress them on a second thread, write chunks in order -> finish (rename)
//
// On PostgreSQL (-BULK auto) the tables are read with COPY ... TO STDOUT on a libpq session that
// imports the ODBC transaction's snapshot (pg_export_snapshot): the same consistent view, read
// about twice as fast as through psqlODBC (1M mixed rows: 1.9 s against 4.2 s, issue 12). On
// MariaDB (-BULK auto) each session has a libmariadb session beside its ODBC connection, its
// snapshot begun under the same global read lock, which streams the tables the ODBC path cannot
// read in bounded memory (bru/mariadb/stream_reader.h).
//
// -THREADS n (-JOBS n) reads with n sessions sharing the snapshot (PostgreSQL: exported by the
// first, imported by the others; MariaDB: every session begins its snapshot under the brief
// global read lock, mydumper's way, or each its own, warned, where the user may not take it),
// the tables largest first, each read by one session, except that on PostgreSQL 14 and later a
// table larger than a session's share is read by all of them at once, each a range of its pages
// (read_items); the sessions encode their chunks (at most kChunksInFlight each at a time) and
// put them on a bounded queue, from which ONE writer, the main thread, writes them into the
// archive. The chunks of the tables, and of one table's slices, are interleaved in the file,
// which the format allows (bru_chunks is keyed by object_id, seq; a long value's row and pieces
// stay together): the table of contents, rows and checksums are those of a one-session backup.
// SQLite reads with one session.
//
// Nothing in the database changes. A failure or SIGINT at any step deletes the partial archive
// (ArchiveWriter's destructor); after a SIGKILL the backup's guardian (guardian.h) deletes
// "<file>.partial" (a kill of bru and its guardian together leaves it, never an archive with the
// final name), and an archive is only readable once `complete` was written.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <numeric>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bru/commands/backup_sessions.h"
#include "bru/commands/check_restore.h"
#include "bru/commands/commands.h"
#include "bru/commands/database.h"
#include "bru/commands/guardian.h"
#include "bru/data/table_reader.h"
#include "bru/interrupt.h"
#include "bru/mariadb/stream_reader.h"
#include "bru/odbc/cancel.h"
#include "bru/pg/copy_reader.h"
#include "bru/progress.h"
#include "bru/update/update.h"
#include "formats/archive.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

// Batches being compressed while the next one is read: bounds memory to a few chunks.
constexpr std::size_t kChunksInFlight = 2;
// The sessions of a parallel backup: chunks waiting for the archive writer, per session.
constexpr std::size_t kQueuedChunksPerSession = 2;

struct TableResult {
  std::string name;
  std::int64_t rows = 0;
  std::int64_t raw_bytes = 0;
  std::int64_t stored_bytes = 0;
  std::size_t sessions = 1;  // that read it, a slice each
  double seconds = 0;
};

// A table of this many pages (8 MiB) or more is read by every session at once, each a range of
// its pages (PostgreSQL 14 and later through libpq, pg::page_ranges): alone on one session a
// large table would be the last to finish, the others idle. A smaller one is read whole.
constexpr std::int64_t kMinSlicedPages = 1024;

// Where a table's chunks go, in order: into the archive, or to the archive's writer thread.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual void write_chunk(std::int64_t object_id, archive::EncodedChunk&& chunk) = 0;
  virtual void finish_table(std::int64_t object_id) = 0;
  // Held by the session that writes a long value's row and its pieces, which must follow each
  // other in the table's chunks, until it wrote the last piece (SlicedTableSink); nothing to hold
  // where one session writes the table.
  virtual std::unique_lock<std::recursive_mutex> hold_run() { return {}; }
};

// One session: the chunks are written as they come, on the reading thread.
class DirectSink : public ChunkSink {
 public:
  explicit DirectSink(archive::ArchiveWriter& writer) : writer_(writer) {}
  void write_chunk(std::int64_t object_id, archive::EncodedChunk&& chunk) override {
    writer_.write_chunk(object_id, chunk);
  }
  void finish_table(std::int64_t object_id) override { writer_.finish_table(object_id); }

 private:
  archive::ArchiveWriter& writer_;
};

// What a session throws when it stops because another one (or the writer) failed: never shown,
// the first failure is.
Error stopped_error() {
  return Error(ErrorKind::kInterrupted, "stopped: another session of the backup failed",
               {"the first failure is reported instead"});
}

// Several sessions: the queue in front of the one archive writer. Each session puts its
// table's chunks on it in order; the writer takes them off in the order they came, so each
// table's chunks keep theirs. At most `capacity` chunks wait: a session that finds the queue
// full waits for the writer, so memory stays bounded (sessions x (kChunksInFlight + queued)).
class ChunkQueue : public ChunkSink {
 public:
  struct Item {
    std::int64_t object_id = 0;
    std::optional<archive::EncodedChunk> chunk;  // none: the table's last chunk came before
  };

  ChunkQueue(std::size_t capacity, std::size_t sessions)
      : capacity_(capacity), sessions_left_(sessions) {}

  void write_chunk(std::int64_t object_id, archive::EncodedChunk&& chunk) override {
    push({object_id, std::move(chunk)});
  }
  void finish_table(std::int64_t object_id) override { push({object_id, std::nullopt}); }

  // The next item for the writer, waiting for one; none once stopped, or once every session is
  // done and the queue is empty.
  std::optional<Item> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || !items_.empty() || sessions_left_ == 0; });
    if (stopped_ || items_.empty()) return std::nullopt;
    auto item = std::move(items_.front());
    items_.pop_front();
    changed_.notify_all();
    return item;
  }
  // A session has put its last item.
  void session_done() {
    std::lock_guard lock(mutex_);
    --sessions_left_;
    changed_.notify_all();
  }
  // Wakes every waiting side: push() then throws stopped_error(), pop() returns none.
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  void push(Item&& item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || items_.size() < capacity_; });
    if (stopped_) throw stopped_error();
    items_.push_back(std::move(item));
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> items_;
  std::size_t capacity_;
  std::size_t sessions_left_;
  bool stopped_ = false;
};

// The chunks of a table read in slices by several sessions at once: they interleave in the
// archive, as its format allows (bru_chunks is keyed by object id and sequence), except a long
// value's row and its pieces, which one session writes together (hold_run); the table is
// finished once its last slice is.
class SlicedTableSink : public ChunkSink {
 public:
  SlicedTableSink(ChunkSink& next, std::size_t slices) : next_(next), slices_left_(slices) {}

  void write_chunk(std::int64_t object_id, archive::EncodedChunk&& chunk) override {
    const std::lock_guard lock(run_);
    next_.write_chunk(object_id, std::move(chunk));
  }
  void finish_table(std::int64_t object_id) override {
    const std::lock_guard lock(run_);
    if (--slices_left_ == 0) next_.finish_table(object_id);
  }
  std::unique_lock<std::recursive_mutex> hold_run() override { return std::unique_lock(run_); }

 private:
  ChunkSink& next_;
  std::recursive_mutex run_;
  std::size_t slices_left_;
};

// Reads the catalog; a table outside the snapshot is named: read under the lock (after -STRICT's
// check: it is exact), or, without the lock, as it is when bru reaches it (a warning -STRICT
// refuses).
schema::Catalog read_catalog(Database& database, const Snapshot& snapshot,
                             const cli::Options& options, log::Log& log) {
  odbc::ConnectionRunner runner(database.connection);
  auto catalog = database.dialect->read_catalog(runner, catalog_filter(options));
  if (catalog.tables.empty()) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("no tables to back up in {}", database.target.display))
        .with_hint("check -SCHEMA/-TABLES/-EXCLUDE, and that the user may read the tables");
  }
  for (const auto& table : catalog.tables) {
    const auto engine = snapshot.outside.find(table.name);
    if (engine == snapshot.outside.end() || snapshot.locked) continue;
    catalog.warnings.push_back(
        {"table-outside-snapshot",
         fmt::format("table \"{}\" uses the {} engine, which has no transactions: its rows are "
                     "read as they are when bru reaches it, not in the backup's snapshot",
                     table.display_name(), engine->second)});
  }
  for (const auto& warning : catalog.warnings) log.warning(warning.code, warning.message);
  if (options.strict && !catalog.warnings.empty()) {
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("-STRICT: the archive would not carry everything of {} exactly ({} "
                            "warning(s) above)",
                            database.target.display, catalog.warnings.size()))
        .with_hint("nothing was written: back up without -STRICT to accept what the warnings "
                   "name, or leave those tables out with -TABLES/-EXCLUDE/-SCHEMA");
  }
  for (const auto& table : catalog.tables) {
    const auto engine = snapshot.outside.find(table.name);
    if (engine == snapshot.outside.end() || !snapshot.locked) continue;
    log.warning("table-read-under-lock",
                fmt::format("table \"{}\" uses the {} engine, which has no transactions: it is "
                            "read first, under the global read lock, so it is as at the "
                            "snapshot; writes to the database wait until it is read",
                            table.display_name(), engine->second));
  }
  return catalog;
}

// The tables in reading order: those outside the snapshot first, then catalog order, or the
// largest first by `estimates` (rows, catalog order) when given: several sessions then finish
// close together, with small tables last.
std::vector<std::size_t> reading_order(const schema::Catalog& catalog, const Snapshot& snapshot,
                                       const std::vector<std::int64_t>& estimates) {
  std::vector<std::size_t> order(catalog.tables.size());
  for (std::size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  const auto inside = std::stable_partition(order.begin(), order.end(), [&](std::size_t idx) {
    return snapshot.outside.count(catalog.tables[idx].name) != 0;
  });
  if (estimates.size() == order.size()) {
    std::stable_sort(inside, order.end(), [&](std::size_t left, std::size_t right) {
      return estimates[left] > estimates[right];
    });
  }
  return order;
}

// Locks every table read against TRUNCATE, ALTER and DROP until the snapshot ends, as pg_dump
// does: a TRUNCATE does not respect the snapshot, and the archive would hold the table empty.
// Waits -LOCKWAIT seconds at most for a session holding a conflicting lock, then names it.
void lock_tables(Database& database, const schema::Catalog& catalog, const cli::Options& options) {
  const auto& dialect = *database.dialect;
  for (const auto& table : catalog.tables) {
    try {
      for (const auto& sql : dialect.lock_table_sql(table, options.lock_wait_seconds)) {
        database.connection.execute(sql);
      }
    } catch (const Error& error) {
      if (!dialect.lock_timed_out(error.sqlstate(), error.native_code())) throw;
      database.connection.rollback();
      odbc::ConnectionRunner runner(database.connection);
      std::vector<std::string> holders;
      for (const auto& row : runner.query(dialect.lock_holders_sql(table))) {
        auto at = [&](std::size_t idx) { return row.size() > idx && row[idx] ? *row[idx] : ""; };
        holders.push_back(fmt::format("session {} (user {}, application \"{}\", transaction since "
                                      "{}, last statement \"{}\")",
                                      at(0), at(1), at(2), at(3), at(4)));
      }
      database.connection.rollback();
      throw Error(ErrorKind::kConflict,
                  fmt::format("cannot lock table \"{}\" for the backup within {} s: {}",
                              table.display_name(), options.lock_wait_seconds,
                              holders.empty() ? "another session holds a conflicting lock"
                                              : "held by " + fmt::format("{}", fmt::join(holders, "; "))))
          .with_sqlstate(error.sqlstate(), error.native_code())
          .with_hint("wait until that session commits or rolls back, or give -LOCKWAIT more "
                     "seconds; nothing was written");
    }
  }
}

archive::WriterOptions writer_options(const cli::Options& options) {
  archive::WriterOptions writer_options;
  writer_options.force = options.force;
  writer_options.level = options.level;
  writer_options.passphrase = options.key;
  return writer_options;
}

std::unique_ptr<archive::ArchiveWriter> create_archive(const cli::Options& options,
                                                       Database& database,
                                                       const schema::Catalog& catalog) {
  auto writer = archive::ArchiveWriter::create(options.file, writer_options(options));
  writer->set_meta("bru_version", BRU_VERSION);
  writer->set_meta("source_dialect", catalog.dialect);
  writer->set_meta("server_version", catalog.server_version);
  writer->set_meta("database", catalog.database);
  writer->set_meta("snapshot", database.dialect->snapshot_kind());
  // The version bru -UPDATE brought the database to, read inside the backup's snapshot.
  update::History history(database.connection, database.dialect->update());
  if (history.exists()) {
    writer->set_meta("schema_version",
                     update::version_text(update::current_version(history.rows())));
  }
  return writer;
}

// The table of contents in creation order: each schema object, and the tables where the
// catalog places them ("table" entries, in catalog.tables order; tables no entry places come
// last). Returns the tables' object ids, in catalog.tables order.
std::vector<std::int64_t> write_table_of_contents(Database& database,
                                                  const schema::Catalog& catalog,
                                                  archive::ArchiveWriter& writer) {
  std::vector<std::int64_t> table_ids;
  auto add_next_table = [&] {
    const auto& table = catalog.tables[table_ids.size()];
    table_ids.push_back(writer.add_table(table, database.dialect->create_table_sql(table)));
  };
  for (const auto& object : catalog.objects) {
    if (object.kind != "table") {
      writer.add_object(object);
    } else if (table_ids.size() < catalog.tables.size()) {
      add_next_table();
    }
  }
  while (table_ids.size() < catalog.tables.size()) add_next_table();
  return table_ids;
}

// Reads a table, or the slice of it that `filter` holds for (PostgreSQL through libpq only; ""
// for all), and writes its chunks to `sink`, finishing the table there.
TableResult back_up_table(Database& database, pg::Session* copy, mariadb::Session* stream,
                          const schema::Table& table, const std::string& filter,
                          std::int64_t object_id, ChunkSink& sink, const cli::Options& options,
                          Progress& progress) {
  const auto started = std::chrono::steady_clock::now();
  TableResult result{table.display_name()};

  std::deque<std::future<archive::EncodedChunk>> in_flight;
  auto write_chunk = [&](archive::EncodedChunk&& chunk) {
    result.raw_bytes += chunk.raw_bytes;
    result.stored_bytes += static_cast<std::int64_t>(chunk.payload.size());
    sink.write_chunk(object_id, std::move(chunk));
  };
  auto write_oldest = [&] {
    auto chunk = in_flight.front().get();
    in_flight.pop_front();
    write_chunk(std::move(chunk));
  };

  data::ReadLimits limits;
  limits.batch_bytes = options.chunk_bytes;
  limits.piece_bytes = archive::kPieceBytes;
  data::TableReader reader(database.connection, *database.dialect, table, limits);
  auto read = [&](const std::function<void(archive::Batch&&)>& on_batch,
                  const data::PieceSink& on_piece) {
    if (copy == nullptr && !filter.empty()) throw internal_error("a slice read through ODBC");
    if (copy != nullptr) {
      return pg::read_table(*copy, *database.dialect, table, on_batch, on_piece,
                            limits.batch_bytes, limits.piece_bytes, filter);
    }
    if (stream != nullptr && mariadb::streams(*database.dialect, table)) {
      return mariadb::read_table(*stream, *database.dialect, table, on_batch, limits.batch_bytes);
    }
    return reader.read(on_batch, on_piece);
  };
  // A row with long values is written in order with its pieces, on this thread, each piece as it
  // comes: the chunks before it first, then the row, then each piece as its own chunk.
  archive::Batch long_batch;
  archive::LongRowHasher long_row;
  std::uint64_t long_offset = 0;
  std::unique_lock<std::recursive_mutex> run;  // sink.hold_run(), from a long row to its last piece
  try {
    result.rows = read(
        [&](archive::Batch&& batch) {
          const auto raw = static_cast<std::int64_t>(batch.value_bytes());
          progress.advance(result.name, static_cast<std::int64_t>(batch.row_count()), raw);
          if (batch.has_long()) {
            while (!in_flight.empty()) write_oldest();
            run = sink.hold_run();
            long_batch = std::move(batch);
            write_chunk(archive::encode_chunk(long_batch, options.level));
            long_row.begin(long_batch);
            long_offset = 0;
            return;
          }
          in_flight.push_back(std::async(
              std::launch::async, [level = options.level, owned = std::move(batch)] {
                return archive::encode_chunk(owned, level);
              }));
          while (in_flight.size() > kChunksInFlight) write_oldest();
        },
        [&](std::size_t column_idx, std::string_view piece) {
          progress.advance(result.name, 0, static_cast<std::int64_t>(piece.size()));
          const std::size_t column_before = long_row.column();
          if (!long_row.piece(column_idx, piece)) {
            throw internal_error("backup: a piece of a long value out of place");
          }
          auto chunk = archive::encode_piece(column_idx, long_offset, piece, options.level);
          long_offset = long_row.pending() && long_row.column() != column_before
                            ? 0
                            : long_offset + piece.size();
          // The row's content hash is known with its last piece.
          if (!long_row.pending()) chunk.content_hash = long_row.hash();
          write_chunk(std::move(chunk));
          if (!long_row.pending() && run.owns_lock()) run.unlock();
        });
    while (!in_flight.empty()) write_oldest();
  } catch (...) {
    // Let the encoders finish before their batches' owner unwinds.
    for (auto& pending : in_flight) pending.wait();
    throw;
  }
  sink.finish_table(object_id);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

// The engine's estimate of each table's rows (catalog order), for the ETA and for handing the
// largest tables out first; empty when it has none.
std::vector<std::int64_t> estimate_rows(Database& database, const schema::Catalog& catalog) {
  odbc::ConnectionRunner runner(database.connection);
  std::vector<std::int64_t> estimates;
  for (const auto& table : catalog.tables) {
    const auto sql = database.dialect->estimate_rows_sql(table);
    if (sql.empty()) return {};
    const auto rows = runner.query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return {};
    estimates.push_back(std::stoll(*rows[0][0]));
  }
  return estimates;
}

// What one session reads at a time: a table, or one of its slices (a filter of pg::page_ranges).
struct ReadItem {
  std::size_t table_idx = 0;
  std::string filter;  // "" for the whole table
  std::size_t slices = 1;  // of the table, this one among them
};

// The items of `tables` (indices into catalog.tables, in reading order): each table of
// kMinSlicedPages or more in a slice per session, next to each other so that the sessions read
// them together; the others whole. Slices only on PostgreSQL 14 and later through libpq
// (pg::large_heaps).
std::vector<ReadItem> read_items(std::vector<Reader>& readers, const schema::Catalog& catalog,
                                 const std::vector<std::size_t>& tables) {
  const auto large = readers.size() > 1 && readers.front().copy
                         ? pg::large_heaps(*readers.front().copy, kMinSlicedPages)
                         : std::map<std::pair<std::string, std::string>, std::int64_t>{};
  std::vector<ReadItem> items;
  for (const auto table_idx : tables) {
    const auto& table = catalog.tables[table_idx];
    const auto found = large.find({table.schema, table.name});
    if (found == large.end()) {
      items.push_back({table_idx, "", 1});
      continue;
    }
    for (auto& filter : pg::page_ranges(found->second, readers.size())) {
      items.push_back({table_idx, std::move(filter), readers.size()});
    }
  }
  return items;
}

// Reads `items` with every session, the next item to whichever is free, and writes their chunks
// on this thread: results[table_idx] for each table, its slices' added up. On the first failure,
// a session's or the writer's, the other sessions stop (their running statements cancelled); it
// is thrown once every session has stopped.
void read_in_parallel(std::vector<Reader>& readers, const schema::Catalog& catalog,
                      const std::vector<ReadItem>& items,
                      const std::vector<std::int64_t>& table_ids, archive::ArchiveWriter& writer,
                      const cli::Options& options, Progress& progress,
                      std::vector<TableResult>& results) {
  ChunkQueue queue(readers.size() * kQueuedChunksPerSession, readers.size());
  std::map<std::size_t, SlicedTableSink> sliced;  // by table index
  for (const auto& item : items) {
    if (item.slices > 1) sliced.try_emplace(item.table_idx, queue, item.slices);
  }
  std::mutex results_mutex;
  std::atomic<std::size_t> next_item{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto fail = [&](std::exception_ptr error) {
    {
      std::lock_guard lock(failure_mutex);
      if (failure) return;  // what the first failure caused
      failure = std::move(error);
    }
    queue.stop();
    for (auto& reader : readers) {
      if (reader.copy) reader.copy->cancel();
      if (reader.stream) reader.stream->cancel();
    }
    odbc::cancel_running_calls();
  };
  auto fail_with_current = [&] {
    try {
      throw;
    } catch (const Error&) {
      fail(std::current_exception());
    } catch (const std::exception& other) {
      fail(std::make_exception_ptr(internal_error(other.what())));
    }
  };
  auto work = [&](Reader& reader) {
    try {
      for (auto at = next_item++; at < items.size(); at = next_item++) {
        const auto& item = items[at];
        const auto found = sliced.find(item.table_idx);
        ChunkSink& sink = found == sliced.end() ? static_cast<ChunkSink&>(queue) : found->second;
        auto result = back_up_table(*reader.database, reader.copy.get(), reader.stream.get(),
                                    catalog.tables[item.table_idx], item.filter,
                                    table_ids[item.table_idx], sink, options, progress);
        const std::lock_guard lock(results_mutex);
        auto& table_result = results[item.table_idx];
        table_result.name = result.name;
        table_result.rows += result.rows;
        table_result.raw_bytes += result.raw_bytes;
        table_result.stored_bytes += result.stored_bytes;
        table_result.seconds = std::max(table_result.seconds, result.seconds);
        table_result.sessions = item.slices;
      }
    } catch (...) {
      fail_with_current();
    }
    queue.session_done();
  };
  {
    std::vector<std::jthread> sessions;  // joined when the block ends, whatever happens
    for (auto& reader : readers) sessions.emplace_back(work, std::ref(reader));
    try {
      while (auto item = queue.pop()) {
        if (item->chunk) {
          writer.write_chunk(item->object_id, *item->chunk);
        } else {
          writer.finish_table(item->object_id);
        }
      }
    } catch (...) {
      fail_with_current();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

// Reads every table and writes it into the archive; the results in reading order. The tables
// outside the snapshot come first, read by the first session under the global read lock, which
// is then released; the others are read by one session or several (read_in_parallel).
std::vector<TableResult> read_tables(std::vector<Reader>& readers, Database& database,
                                     Snapshot& snapshot, const schema::Catalog& catalog,
                                     const std::vector<std::size_t>& order,
                                     const std::vector<std::int64_t>& table_ids,
                                     archive::ArchiveWriter& writer, const cli::Options& options,
                                     Progress& progress) {
  std::vector<TableResult> results(catalog.tables.size());
  DirectSink direct(writer);
  auto read_here = [&](std::size_t table_idx) {
    results[table_idx] = back_up_table(*readers[0].database, readers[0].copy.get(),
                                       readers[0].stream.get(),
                                       catalog.tables[table_idx], "", table_ids[table_idx], direct,
                                       options, progress);
  };
  std::size_t at = 0;
  for (; at < order.size() && snapshot.outside.count(catalog.tables[order[at]].name) != 0; ++at) {
    read_here(order[at]);
  }
  release_lock(database, snapshot);
  const std::vector<std::size_t> rest(order.begin() + static_cast<std::ptrdiff_t>(at), order.end());
  if (readers.size() == 1) {
    for (const auto table_idx : rest) read_here(table_idx);
  } else {
    read_in_parallel(readers, catalog, read_items(readers, catalog, rest), table_ids, writer,
                     options, progress, results);
  }
  std::vector<TableResult> in_order;
  for (const auto table_idx : order) in_order.push_back(std::move(results[table_idx]));
  return in_order;
}

void report(const cli::Options& options, const std::vector<TableResult>& results, double seconds,
            log::Log& log) {
  log::BackupSummary summary{.tables = results.size(), .seconds = seconds, .file = options.file};
  for (const auto& result : results) {
    log.table_done({.command = "backup",
                    .table = result.name,
                    .rows = result.rows,
                    .bytes = result.raw_bytes,
                    .stored_bytes = result.stored_bytes,
                    .sessions = result.sessions,
                    .seconds = result.seconds});
    summary.rows += result.rows;
    summary.bytes += result.raw_bytes;
    summary.stored_bytes += result.stored_bytes;
  }
  log.backup_done(summary);
}

}  // namespace

int backup(const cli::Options& options, log::Log& log) {
  const auto started = std::chrono::steady_clock::now();
  // A -DB bru cannot back up and a -FILE it cannot write are refused before any work.
  check_backup_target(options);
  archive::ArchiveWriter::check_target(options.file, writer_options(options));
  if (!options.check_restore.empty()) check_scratch_empty(options);
  // A kill -9 gives the writer no chance to delete <file>.partial: its guardian does. Forked
  // before anything is open, so it holds neither a connection nor the partial file's lock.
  Guardian guardian("backup", [&options] {
    if (archive::ArchiveWriter::remove_abandoned_partial(options.file)) {
      std::fprintf(stderr, "bru: the backup was killed; its guardian deleted \"%s.partial\"\n",
                   options.file.c_str());
    }
    return 0;
  });
  auto database = connect_database(options, /*create_sqlite_file=*/false);
  const int threads = backup_threads(options, *database.dialect, log);
  std::vector<Reader> readers;
  auto snapshot = begin_snapshot(database, options, log, [&](bool locked) {
    readers = open_readers(database, options, threads, locked);
    if (threads > 1 && !locked && database.dialect->export_snapshot_sql().empty()) {
      log.warning("snapshot-per-session",
                  fmt::format("-THREADS {}: each session reads in a snapshot of its own, begun "
                              "without the global read lock: a write committed meanwhile can be "
                              "in the tables one session reads and not in another's; back up "
                              "with -THREADS 1 (one snapshot), or as a user with RELOAD",
                              threads));
    }
  });
  const auto catalog = read_catalog(database, snapshot, options, log);
  warn_tables_read_whole(database, catalog, readers.front(), log);
  lock_tables(database, catalog, options);
  auto writer = create_archive(options, database, catalog);
  if (!snapshot.position.empty()) writer->set_meta("log_position", snapshot.position);
  const auto table_ids = write_table_of_contents(database, catalog, *writer);

  Progress progress(log, "backup");
  const auto estimates = progress.enabled() || threads > 1 ? estimate_rows(database, catalog)
                                                           : std::vector<std::int64_t>{};
  if (progress.enabled()) {
    progress.set_total(std::accumulate(estimates.begin(), estimates.end(), std::int64_t{0}));
  }
  const auto order =
      reading_order(catalog, snapshot, threads > 1 ? estimates : std::vector<std::int64_t>{});
  const auto results = read_tables(readers, database, snapshot, catalog, order, table_ids, *writer,
                                   options, progress);
  release_lock(database, snapshot);
  progress.finish();
  writer->seal();
  for (auto& reader : readers) reader.rollback();
  database.connection.rollback();  // the snapshot transaction only read
  if (!options.check_restore.empty()) {
    // Restored from the sealed .partial file; a failure deletes it (the writer's destructor).
    writer->amend_meta("restore_tested", check_restore(options, writer->partial_path(), log));
  }
  writer->finish();
  guardian.release();

  report(options, results,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), log);
  return 0;
}

}  // namespace bru::commands

#include "bru/commands/restore_parallel.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "bru/commands/restore_clean.h"
#include "bru/commands/restore_guardian.h"
#include "bru/commands/restore_session.h"
#include "bru/commands/restore_undo.h"
#include "bru/commands/restore_workers.h"
#include "bru/interrupt.h"
#include "bru/pg/session.h"
#include "bru/progress.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

// What the target's catalog holds: each table and object by identity ("table <qualified name>",
// "function s.f(integer)"), with its whole definition as JSON, so that a changed one shows too.
// Sequence positions are left out: they are a value, which other users move.
using CatalogImage = std::map<std::string, std::string>;

CatalogImage catalog_image(Database& database) {
  odbc::ConnectionRunner runner(database.connection);
  const auto catalog = database.dialect->read_catalog(runner, schema::CatalogFilter{});
  CatalogImage image;
  for (const auto& table : catalog.tables) {
    image["table " + database.dialect->qualified_name(table)] = schema::to_json(table).dump();
  }
  for (const auto& object : catalog.objects) {
    if (object.kind == "table" || object.kind == "sequence value") continue;
    image[object.identity()] = schema::to_json(object).dump();
  }
  return image;
}

// How `after` differs from `before`, each entry named ("table \"public.t\" is left").
std::vector<std::string> differences(const CatalogImage& before, const CatalogImage& after) {
  std::vector<std::string> found;
  for (const auto& [identity, definition] : after) {
    const auto it = before.find(identity);
    if (it == before.end()) {
      found.push_back(schema::escape_for_terminal(identity) + " is left");
    } else if (it->second != definition) {
      found.push_back(schema::escape_for_terminal(identity) + " was changed");
    }
  }
  for (const auto& [identity, definition] : before) {
    if (after.count(identity) == 0) found.push_back(schema::escape_for_terminal(identity) + " is gone");
  }
  return found;
}

// Everything a parallel restore needs to undo itself, taken before it changes anything; the
// guardian holds a copy (and shares the sessions' ids, restore_workers.h).
struct Undo {
  CatalogImage before;
  std::vector<std::string> drops;  // in an order that mostly works; see run_undo
  const RestoreSessions* sessions = nullptr;
};

// The names of the target's schemas (the catalog read leaves out public and the like).
std::set<std::string> schema_names(Database& database) {
  odbc::ConnectionRunner runner(database.connection);
  std::set<std::string> names;
  for (const auto& row : runner.query(pg::schema_names_sql())) {
    if (!row.empty() && row[0]) names.insert(*row[0]);
  }
  return names;
}

// The drops of every table and object the restore creates that the target did not hold before
// (`schemas_there`: the names of the schemas it had):
// the archive's foreign keys, objects and tables (restore_clean.h), the schemas an archive
// without objects creates for its tables, the extensions.
std::vector<std::string> postgres_undo_sql(const schema::Dialect& dialect,
                                           const std::vector<archive::ObjectEntry>& objects,
                                           const std::vector<const archive::TableEntry*>& tables,
                                           const CatalogImage& before,
                                           const std::set<std::string>& schemas_there) {
  std::set<std::string> existed;
  for (const auto& [identity, definition] : before) existed.insert(identity);
  auto drops = clean_sql(dialect, objects, tables, existed);
  for (auto it = objects.rbegin(); it != objects.rend(); ++it) {
    if (it->object.kind == "extension" && existed.count(it->object.identity()) == 0) {
      drops.push_back(pg::drop_extension_sql(it->object.name));
    }
  }
  std::set<std::string> schemas;
  for (const auto* entry : tables) {
    const auto& name = entry->table.schema;
    if (name.empty() || schemas_there.count(name) > 0 || !schemas.insert(name).second) continue;
    schema::SchemaObject made;
    made.kind = "schema";
    made.name = dialect.quote_identifier(name);
    drops.push_back(dialect.clean_object_sql(made));
  }
  return drops;
}

// The drops that undo the restore. Where DDL is not transactional (MariaDB) the target was empty
// (restore_undo.h): everything of the archive goes, as after a one-session restore.
std::vector<std::string> undo_sql(Database& database,
                                  const std::vector<archive::ObjectEntry>& objects,
                                  const std::vector<const archive::TableEntry*>& tables,
                                  const CatalogImage& before) {
  const auto& dialect = *database.dialect;
  if (!dialect.transactional_ddl()) {
    std::vector<schema::SchemaObject> made;
    for (const auto& entry : objects) made.push_back(entry.object);
    return restored_drops_sql(dialect, tables, made);
  }
  return postgres_undo_sql(dialect, objects, tables, before, schema_names(database));
}

// Drops what the restore created, then compares the catalog with the one before. The drops run
// in rounds: one that fails (a type still used by a function dropped later in the list) is tried
// again in the next round, until a round drops nothing more. Throws Error(kDatabase) naming what
// differs from before.
void run_undo(Database& database, const Undo& undo) {
  undo.sessions->end(database);
  auto left = undo.drops;
  std::string last_failure;
  while (!left.empty()) {
    std::vector<std::string> failed;
    for (const auto& sql : left) {
      try {
        database.connection.execute(sql);
      } catch (const Error& error) {
        failed.push_back(sql);
        last_failure = error.message();
      }
    }
    if (failed.size() == left.size()) break;
    left = std::move(failed);
  }
  const auto found = differences(undo.before, catalog_image(database));
  if (found.empty()) return;
  throw Error(ErrorKind::kDatabase,
              fmt::format("the failed restore could not bring {} back as it was: {}",
                          database.target.display, fmt::join(found, ", ")))
      .with_hint(last_failure.empty() ? "drop those objects yourself, or drop the database and "
                                        "create it again before the next restore"
                                      : "the last drop that failed: " + last_failure +
                                            "; drop those objects yourself, or drop the "
                                            "database and create it again");
}

// What a session throws when it stops because another one failed: never shown, the first
// failure is.
Error stopped_error() {
  return Error(ErrorKind::kInterrupted, "stopped: another session of the restore failed",
               {"the first failure is reported instead"});
}

// One session of the restore and its own handle on the archive (a reader is not shared between
// threads).
struct Worker {
  std::unique_ptr<WorkerSession> session;
  std::unique_ptr<archive::ArchiveReader> reader;
  const std::atomic<bool>* stop = nullptr;  // set once a session failed: stop between steps

  void check() const {
    if (stop->load()) throw stopped_error();
  }
  void execute_all(const std::vector<std::string>& statements) const {
    for (const auto& sql : statements) {
      check();
      session->execute(sql);
    }
  }
};

// A step of the restore for one session. It starts once every task of `after` (indices into the
// same list) has finished. Two tasks that name the same table in `locks` never run at the same
// time (ALTER TABLE ... ADD FOREIGN KEY locks both tables: two at once could deadlock).
struct Task {
  std::vector<std::string> locks;
  std::function<void(Worker&)> run;
  std::vector<std::size_t> after;
};

// Runs the tasks on the workers, each task on the first free one, in list order as far as `after`
// and the locks allow; returns when every task ran. On the first failure the others' statements
// are cancelled and no task starts; once every worker stopped, that failure is thrown (others
// are what it caused, and are dropped).
void run_tasks(std::vector<Worker>& workers, std::vector<Task>& tasks) {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<bool> started(tasks.size(), false);
  std::vector<bool> finished(tasks.size(), false);
  std::size_t not_started = tasks.size();
  std::multiset<std::string> held;
  std::exception_ptr failure;
  std::atomic<bool> stop{false};
  for (auto& worker : workers) worker.stop = &stop;

  auto next_task = [&]() -> std::optional<std::size_t> {
    for (std::size_t task_idx = 0; task_idx < tasks.size(); ++task_idx) {
      if (started[task_idx]) continue;
      const auto& task = tasks[task_idx];
      if (std::all_of(task.after.begin(), task.after.end(),
                      [&](std::size_t before) { return finished[before]; }) &&
          std::none_of(task.locks.begin(), task.locks.end(),
                       [&](const std::string& name) { return held.count(name) > 0; })) {
        return task_idx;
      }
    }
    return std::nullopt;
  };
  auto work = [&](Worker& worker) {
    std::unique_lock lock(mutex);
    while (!stop && not_started > 0) {
      const auto task_idx = next_task();
      if (!task_idx) {
        changed.wait(lock);
        continue;
      }
      started[*task_idx] = true;
      --not_started;
      const auto& locks = tasks[*task_idx].locks;
      held.insert(locks.begin(), locks.end());
      lock.unlock();
      std::exception_ptr error;
      try {
        tasks[*task_idx].run(worker);
      } catch (const Error&) {
        error = std::current_exception();
      } catch (const std::exception& other) {
        error = std::make_exception_ptr(internal_error(other.what()));
      }
      lock.lock();
      if (error && !stop) {
        failure = error;
        stop = true;
        for (auto& each : workers) each.session->cancel();
      }
      for (const auto& name : locks) held.erase(held.find(name));
      finished[*task_idx] = true;
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers.size());
  for (auto& worker : workers) threads.emplace_back(work, std::ref(worker));
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// The tables' order for loading: largest first, so that the last one to finish is a small one.
std::vector<std::size_t> by_size(const std::vector<const archive::TableEntry*>& tables) {
  std::vector<std::size_t> order(tables.size());
  for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) order[table_idx] = table_idx;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t left, std::size_t right) {
    return tables[left]->raw_bytes > tables[right]->raw_bytes;
  });
  return order;
}

std::string lock_name(const std::string& schema_name, const std::string& table_name) {
  return schema_name.empty() ? table_name : schema_name + "." + table_name;
}

// Reads a loaded table back on the worker's session, long values in pieces (if the load had
// any), and compares it with the archive (check_read_back).
void read_back(Worker& worker, const schema::Dialect& dialect, const archive::TableEntry& entry,
               bool long_values) {
  ReadBackChecksum checksum;
  const auto rows = worker.session->read_back(
      entry.table,
      [&](archive::Batch&& batch) {
        worker.check();
        checksum.batch(std::move(batch));
      },
      [&](std::size_t column_idx, std::string_view piece) { checksum.piece(column_idx, piece); },
      long_values);
  check_read_back(entry, rows, checksum.value(), dialect);
}

// Step 2, one table: loaded, read back and compared, committed.
void load_table(Worker& worker, const schema::Dialect& dialect, const archive::TableEntry& entry,
                const cli::Options& options, Progress& progress, RestoredTable& result) {
  const auto started = std::chrono::steady_clock::now();
  const auto name = entry.table.display_name();
  auto& session = *worker.session;
  session.begin();
  std::int64_t rows = 0;
  bool long_values = false;
  {
    const auto loader = session.loader(entry.table);
    worker.reader->read_table(
        entry,
        [&](const archive::Batch& batch) {
          worker.check();
          loader->write(batch);
          progress.advance(name, static_cast<std::int64_t>(batch.row_count()),
                           static_cast<std::int64_t>(batch.value_bytes()));
        },
        [&](std::size_t column_idx, std::string_view piece) {
          worker.check();
          long_values = true;
          loader->write_piece(column_idx, piece);
          progress.advance(name, 0, static_cast<std::int64_t>(piece.size()));
        });
    rows = loader->finish().rows;
  }
  if (!options.no_verify) read_back(worker, dialect, entry, long_values);
  session.commit();
  result = {name, rows, entry.raw_bytes, !options.no_verify,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 0,
            long_values};
}

// The tables every session loads together: the largest, while one holds more than a session's
// share of all the rows' bytes (alone on one session it would be the last to finish) and has a
// chunk for each session.
std::vector<std::size_t> striped_tables(const std::vector<const archive::TableEntry*>& tables,
                                        std::size_t sessions) {
  std::int64_t total = 0;
  for (const auto* entry : tables) total += entry->raw_bytes;
  std::vector<std::size_t> striped;
  for (const auto table_idx : by_size(tables)) {
    const auto& entry = *tables[table_idx];
    if (entry.raw_bytes * static_cast<std::int64_t>(sessions) <= total ||
        entry.chunk_count < static_cast<std::int64_t>(sessions)) {
      break;
    }
    striped.push_back(table_idx);
  }
  return striped;
}

// Step 2 for a table of striped_tables(): loaded by every session at once, each in a transaction
// of its own, committed together; verified afterwards (verify_table). The archive is read here,
// and each chunk's batch goes to the next session's thread, at most two waiting for each: memory
// stays a few chunks. The first failure cancels the other sessions and is thrown once all
// stopped.
void load_striped(std::vector<Worker>& workers, const archive::TableEntry& entry,
                  Progress& progress, RestoredTable& result) {
  const auto started = std::chrono::steady_clock::now();
  const auto name = entry.table.display_name();
  for (auto& worker : workers) worker.session->begin();
  std::mutex mutex;
  std::condition_variable changed;
  // A batch, or a piece of the long value of the batch before it in the same lane.
  struct Item {
    archive::Batch batch;
    std::size_t column_idx = 0;
    std::optional<std::string> piece;
  };
  std::vector<std::deque<Item>> waiting(workers.size());
  std::vector<std::int64_t> rows(workers.size(), 0);
  bool closed = false;
  bool long_values = false;  // a piece came: the table had a value longer than a piece
  std::exception_ptr failure;
  auto fail = [&](std::exception_ptr error) {
    const std::lock_guard lock(mutex);
    if (!failure) {
      failure = error;
      for (auto& worker : workers) worker.session->cancel();
    }
    changed.notify_all();
  };
  auto feed = [&](std::size_t lane) {
    try {
      const auto loader = workers[lane].session->loader(entry.table);
      while (true) {
        Item item;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return failure || closed || !waiting[lane].empty(); });
          if (failure) return;
          if (waiting[lane].empty()) break;  // closed, and everything sent
          item = std::move(waiting[lane].front());
          waiting[lane].pop_front();
        }
        changed.notify_all();
        if (item.piece) {
          loader->write_piece(item.column_idx, *item.piece);
          progress.advance(name, 0, static_cast<std::int64_t>(item.piece->size()));
          continue;
        }
        loader->write(item.batch);
        progress.advance(name, static_cast<std::int64_t>(item.batch.row_count()),
                         static_cast<std::int64_t>(item.batch.value_bytes()));
      }
      const auto loaded = loader->finish().rows;
      const std::lock_guard lock(mutex);
      rows[lane] = loaded;
    } catch (const Error&) {
      fail(std::current_exception());
    } catch (const std::exception& other) {
      fail(std::make_exception_ptr(internal_error(other.what())));
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers.size());
  for (std::size_t lane = 0; lane < workers.size(); ++lane) threads.emplace_back(feed, lane);
  try {
    std::size_t next = 0;
    std::size_t last = 0;  // the lane of the last batch: its long values' pieces follow it there
    auto hand_over = [&](std::size_t lane, Item&& item) {
      throw_if_interrupted();
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return failure || waiting[lane].size() < 2; });
      if (failure) throw stopped_error();
      waiting[lane].push_back(std::move(item));
      changed.notify_all();
    };
    workers.front().reader->read_table(
        entry,
        [&](const archive::Batch& batch) {
          last = next;
          next = (next + 1) % waiting.size();
          hand_over(last, Item{.batch = batch, .column_idx = 0, .piece = std::nullopt});
        },
        [&](std::size_t column_idx, std::string_view piece) {
          long_values = true;
          hand_over(last, Item{.batch = {}, .column_idx = column_idx, .piece = std::string(piece)});
        });
  } catch (const Error&) {
    fail(std::current_exception());  // kept only when it is the first failure
  }
  {
    const std::lock_guard lock(mutex);
    closed = true;
  }
  changed.notify_all();
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  std::int64_t total = 0;
  for (const auto lane_rows : rows) total += lane_rows;
  for (auto& worker : workers) worker.session->commit();
  result = {name, total, entry.raw_bytes, false,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 0,
            long_values};
}

// The read-back of a table loaded and committed before (load_striped).
void verify_table(Worker& worker, const schema::Dialect& dialect, const archive::TableEntry& entry,
                  RestoredTable& result) {
  const auto started = std::chrono::steady_clock::now();
  read_back(worker, dialect, entry, result.long_values);
  result.verified = true;
  result.seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

std::vector<Worker> open_workers(const Database& database, const cli::Options& options,
                                 int threads, RestoreSessions& sessions, log::Log& log) {
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  for (std::size_t worker_idx = 0; worker_idx < workers.size(); ++worker_idx) {
    auto& worker = workers[worker_idx];
    worker.session = sessions.open(worker_idx, database, options, !options.no_verify, log);
    worker.reader = archive::ArchiveReader::open(options.file, {.passphrase = options.key});
  }
  return workers;
}

}  // namespace

int restore_threads(const cli::Options& options, Database& database, RestoreEnd end,
                    log::Log& log) {
  const int asked = options.threads == 0 ? kDefaultRestoreThreads : options.threads;
  if (asked == 1) return 1;
  const bool given = options.threads > 1;
  if (options.clean || options.data_only) {
    if (!given) return 1;
    throw Error(ErrorKind::kUsage,
                fmt::format("-THREADS {} cannot be combined with {}", asked,
                            options.clean ? "-CLEAN" : "-DATA-ONLY"))
        .with_hint("a restore in several sessions undoes a failure by dropping what it created, "
                   "which cannot bring back the tables " +
                   std::string(options.clean ? "-CLEAN drops" : "-DATA-ONLY fills") +
                   ": leave out -THREADS (that restore runs in one transaction)");
  }
  // -ZERO-DATES null changes rows on their way in: only the one-session path does that.
  if (options.schema_only || end == RestoreEnd::kUndo || options.zero_dates_null) return 1;
  if (!runs_parallel(database, options)) {
    if (given) {
      log.warning("threads-ignored",
                  fmt::format("-THREADS {}: this restore runs in one session (several only into "
                              "PostgreSQL through libpq or MariaDB through libmariadb: -BULK auto "
                              "and a host/port connection)",
                              asked));
    }
    return 1;
  }
  return asked;
}

std::vector<RestoredTable> restore_parallel(Database& database, const cli::Options& options,
                                            const std::vector<const archive::TableEntry*>& tables,
                                            const std::vector<archive::ObjectEntry>& objects,
                                            const RestorePlan& plan, int threads, log::Log& log) {
  const auto& dialect = *database.dialect;
  RestoreSessions sessions(database, threads);
  Undo undo;
  undo.before = catalog_image(database);
  undo.drops = undo_sql(database, objects, tables, undo.before);
  undo.sessions = &sessions;
  RestoreGuardian guardian(options, [&undo](Database& own) {
    run_undo(own, undo);
    return fmt::format("dropped every table and object it had created in {}: its catalog is as "
                       "before the restore",
                       own.target.display);
  });

  std::vector<RestoredTable> results(tables.size());
  std::vector<Worker> workers;
  try {
    workers = open_workers(database, options, threads, sessions, log);
    auto& first = *workers.front().session;
    first.begin();
    for (const auto& sql : plan.pre_data) first.execute(sql);
    first.commit();

    Progress progress(log, "restore");
    std::int64_t total_rows = 0;
    for (const auto* entry : tables) total_rows += entry->rows;
    progress.set_total(total_rows);
    std::atomic<bool> not_stopped{false};
    for (auto& worker : workers) worker.stop = &not_stopped;
    const auto striped = first.loads_parts_of_a_table()
                             ? striped_tables(tables, workers.size())
                             : std::vector<std::size_t>{};
    for (const auto table_idx : striped) {
      load_striped(workers, *tables[table_idx], progress, results[table_idx]);
    }
    // One list, so that a session free of loading builds the keys of the tables loaded so far:
    // each table's keys once it is loaded (and read back), its foreign keys once the keys of
    // both sides are built. A table's keys come right after its load in the list, largest
    // table first: a free session builds the keys of a large table before it loads a smaller
    // one, and the longest index build does not wait for the end of the loads to begin.
    std::vector<Task> tasks;
    std::map<std::string, std::size_t> keyed;  // lock name -> the task that built its keys
    for (const auto table_idx : by_size(tables)) {
      std::optional<std::size_t> loaded;  // the task that ends the table's load
      if (std::find(striped.begin(), striped.end(), table_idx) == striped.end()) {
        loaded = tasks.size();
        tasks.push_back({{}, [&, table_idx](Worker& worker) {
                           load_table(worker, dialect, *tables[table_idx], options, progress,
                                      results[table_idx]);
                         }, {}});
      } else if (!options.no_verify) {
        loaded = tasks.size();
        tasks.push_back({{}, [&, table_idx](Worker& worker) {
                           verify_table(worker, dialect, *tables[table_idx], results[table_idx]);
                         }, {}});
      }
      const auto& table = tables[table_idx]->table;
      const auto own = lock_name(table.schema, table.name);
      if (!plan.table_keys[table_idx].empty()) {
        keyed[own] = tasks.size();
        std::vector<std::size_t> after;
        if (loaded) after.push_back(*loaded);
        tasks.push_back({{own}, [&plan, table_idx](Worker& worker) {
                           worker.execute_all(plan.table_keys[table_idx]);
                         }, after});
      } else if (loaded) {
        keyed[own] = *loaded;
      }
    }
    for (const auto table_idx : by_size(tables)) {
      if (plan.foreign_keys[table_idx].empty()) continue;
      const auto& table = tables[table_idx]->table;
      std::set<std::string> locks{lock_name(table.schema, table.name)};
      for (const auto& key : table.foreign_keys) locks.insert(lock_name(key.ref_schema, key.ref_table));
      std::vector<std::size_t> after;
      for (const auto& name : locks) {
        if (const auto found = keyed.find(name); found != keyed.end()) after.push_back(found->second);
      }
      tasks.push_back({{locks.begin(), locks.end()}, [&plan, table_idx](Worker& worker) {
                         worker.execute_all(plan.foreign_keys[table_idx]);
                       }, after});
    }
    run_tasks(workers, tasks);
    progress.finish();

    first.begin();
    for (const auto& sql : plan.data) first.execute(sql);
    for (const auto& sql : plan.post_data) first.execute(sql);
    first.commit();
    guardian.release();
  } catch (const Error& error) {
    workers.clear();  // every session rolled back and closed
    Error failed = error;
    try {
      run_undo(database, undo);
      failed.with_hint(fmt::format("every table and object this restore created in {} was "
                                   "dropped again: its catalog is as before the restore",
                                   database.target.display));
    } catch (const Error& undo_error) {
      failed.with_hint(undo_error.message() + "; " + undo_error.hints().back());
    }
    guardian.release();
    throw failed;
  }
  return results;
}

}  // namespace bru::commands

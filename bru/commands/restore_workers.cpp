#include "bru/commands/restore_workers.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bru/commands/restore_session.h"
#include "bru/mariadb/load_data_loader.h"
#include "bru/mariadb/session.h"
#include "bru/odbc/connection.h"
#include "bru/pg/copy_loader.h"
#include "bru/pg/session.h"
#include "schema/error.h"

namespace bru::commands {
namespace {

class PostgresWorker final : public WorkerSession {
 public:
  PostgresWorker(std::unique_ptr<pg::Session> session, const schema::Dialect& dialect)
      : session_(std::move(session)), dialect_(dialect) {}

  void begin() override { session_->begin(); }
  void commit() override { session_->commit(); }
  void execute(const std::string& sql) override { session_->execute(sql); }
  void cancel() noexcept override { session_->cancel(); }
  bool loads_parts_of_a_table() const noexcept override { return true; }
  std::unique_ptr<data::TableLoader> loader(const schema::Table& table) override {
    return std::make_unique<pg::CopyLoader>(*session_, dialect_, table);
  }
  std::int64_t read_back(const schema::Table& table,
                         const std::function<void(archive::Batch&&)>& on_batch,
                         const data::PieceSink& on_piece, bool long_values) override {
    return read_back_copy(*session_, dialect_, table, on_batch, on_piece, long_values);
  }

 private:
  std::unique_ptr<pg::Session> session_;
  const schema::Dialect& dialect_;
};

class MariadbWorker final : public WorkerSession {
 public:
  MariadbWorker(std::unique_ptr<mariadb::Session> session, std::optional<odbc::Connection> reader,
                const schema::Dialect& dialect)
      : session_(std::move(session)), reader_(std::move(reader)), dialect_(dialect) {}

  // DDL commits as it runs; a load's transaction is its loader's.
  void begin() override {}
  void commit() override {}
  void execute(const std::string& sql) override { session_->execute(sql); }
  void cancel() noexcept override { session_->cancel(); }
  bool loads_parts_of_a_table() const noexcept override { return false; }
  std::unique_ptr<data::TableLoader> loader(const schema::Table& table) override {
    return std::make_unique<mariadb::LoadDataLoader>(*session_, dialect_, table);
  }
  std::int64_t read_back(const schema::Table& table,
                         const std::function<void(archive::Batch&&)>& on_batch,
                         const data::PieceSink& on_piece, bool /*long_values*/) override {
    return read_back_load_data(*session_, reader_ ? &*reader_ : nullptr, dialect_, table, on_batch,
                               on_piece);
  }

 private:
  std::unique_ptr<mariadb::Session> session_;
  std::optional<odbc::Connection> reader_;
  const schema::Dialect& dialect_;
};

// Waits up to 60 s until the count `count_sql` gives is 0.
void wait_until_gone(odbc::ConnectionRunner& runner, const std::string& count_sql,
                     const std::vector<std::string>& params) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto rows = runner.query(count_sql, params);
    if (rows.empty() || rows[0].empty() || rows[0][0].value_or("0") == "0") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::uint64_t odbc_connection_id(odbc::Connection& connection) {
  odbc::ConnectionRunner runner(connection);
  const auto rows = runner.query(mariadb::connection_id_sql());
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return 0;
  return std::stoull(*rows[0][0]);
}

}  // namespace

bool runs_parallel(Database& database, const cli::Options& options) {
  if (options.bulk != "auto") return false;
  const int timeout = database.connect_options.login_timeout_seconds;
  if (database.target.dialect == "postgres") {
    return !pg::conninfo_of(database.target, timeout).empty();
  }
  if (database.target.dialect != "mariadb" ||
      !mariadb::connect_params_of(database.target, timeout)) {
    return false;
  }
  odbc::ConnectionRunner runner(database.connection);
  const auto rows = runner.query(mariadb::local_infile_sql());
  return !rows.empty() && !rows[0].empty() && rows[0][0].value_or("0") == "1";
}

RestoreSessions::RestoreSessions(const Database& database, int workers) {
  if (database.target.dialect != "mariadb") {
    application_name_ = fmt::format("bru restore {}", ::getpid());
    return;
  }
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                "the ids are shared with another process");
  id_count_ = 2 * static_cast<std::size_t>(workers);
  void* shared = ::mmap(nullptr, id_count_ * sizeof(std::atomic<std::uint64_t>),
                        PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) {
    throw Error(ErrorKind::kIo, fmt::format("cannot share the restore's session ids with its "
                                            "guardian: mmap: {}",
                                            std::strerror(errno)))
        .with_hint("nothing was changed: the system is out of memory; try again, or restore with "
                   "-THREADS 1");
  }
  ids_ = static_cast<std::atomic<std::uint64_t>*>(shared);
  for (std::size_t id_idx = 0; id_idx < id_count_; ++id_idx) {
    new (&ids_[id_idx]) std::atomic<std::uint64_t>(0);
  }
}

RestoreSessions::~RestoreSessions() {
  if (ids_ != nullptr) ::munmap(ids_, id_count_ * sizeof(std::atomic<std::uint64_t>));
}

std::unique_ptr<WorkerSession> RestoreSessions::open(std::size_t worker_idx,
                                                     const Database& database,
                                                     const cli::Options& options,
                                                     bool reads_back, log::Log& log) {
  if (ids_ == nullptr) {
    auto session = open_restore_copy_session(database, options);
    if (!session) throw internal_error("a parallel restore without a libpq session");
    session->set_application_name(application_name_);
    return std::make_unique<PostgresWorker>(std::move(session), *database.dialect);
  }
  if (2 * worker_idx + 1 >= id_count_) throw internal_error("a worker beyond the restore's count");
  auto session = open_load_data_session(database, options, log);
  if (!session) throw internal_error("a parallel restore without a libmariadb session");
  ids_[2 * worker_idx] = session->connection_id();
  std::optional<odbc::Connection> reader;
  if (reads_back) {
    reader.emplace(odbc::Connection::open(database.target, database.connect_options));
    ids_[2 * worker_idx + 1] = odbc_connection_id(*reader);
    for (const auto& sql : database.dialect->session_setup_sql()) reader->execute(sql);
  }
  return std::make_unique<MariadbWorker>(std::move(session), std::move(reader), *database.dialect);
}

void RestoreSessions::end(Database& database) const {
  if (ids_ != nullptr) {
    end_mariadb(database);
    return;
  }
  odbc::ConnectionRunner runner(database.connection);
  runner.query(pg::end_sessions_sql(), {application_name_});
  wait_until_gone(runner, pg::count_sessions_sql(), {application_name_});
}

void RestoreSessions::end_mariadb(Database& database) const {
  std::vector<std::uint64_t> ids;
  for (std::size_t id_idx = 0; id_idx < id_count_; ++id_idx) {
    if (const auto id = ids_[id_idx].load(); id != 0) ids.push_back(id);
  }
  if (ids.empty()) return;
  for (const auto id : ids) {
    try {
      database.connection.execute(mariadb::kill_connection_sql(id));
    } catch (const Error&) {
      // Gone already (1094, "Unknown thread id"): as wanted. Any other refusal shows as the
      // session still there, and the drops that wait on it as what is left.
    }
  }
  odbc::ConnectionRunner runner(database.connection);
  wait_until_gone(runner, mariadb::count_connections_sql(ids), {});
}

}  // namespace bru::commands

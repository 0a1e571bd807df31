// The history table, the session lock and the connection of the update commands.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "bru/commands/database.h"
#include "bru/update/update.h"
#include "schema/dialect_names.h"
#include "schema/error.h"

namespace bru::update {
namespace {

std::string text_of(const schema::Row& row, std::size_t column) {
  return column < row.size() && row[column] ? *row[column] : std::string();
}

int int_of(const schema::Row& row, std::size_t column) {
  const std::string text = text_of(row, column);
  return text.empty() ? 0 : std::atoi(text.c_str());
}

std::vector<std::string> split_checksums(const std::string& text) {
  std::vector<std::string> checksums;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t comma = std::min(text.find(',', begin), text.size());
    checksums.push_back(text.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return checksums;
}

std::string join_checksums(const std::vector<std::string>& checksums) {
  std::string text;
  for (const auto& checksum : checksums) {
    if (!text.empty()) text.push_back(',');
    text += checksum;
  }
  return text;
}

// SQLite cannot say which connection holds its write lock.
constexpr std::string_view kUnknownWriter = "another connection (SQLite does not say which)";

// Runs the engine's section brackets, or the driver's transaction when the engine has none.
bool uses_sql_brackets(const schema::UpdateDialect& dialect) {
  return !dialect.begin_section_sql().empty();
}

}  // namespace

UpdateSession open_update_session(const cli::Options& options, bool create_sqlite_file) {
  auto connect_options = commands::connect_options(options);
  connect_options.create_sqlite_file = create_sqlite_file;
  // SQLite has no session lock: begin_section polls for the write lock, one busy timeout at a
  // time, so that it can say it waits and give up after -LOCKWAIT.
  connect_options.sqlite_busy_timeout_ms = kSqliteBusyPollMs;
  auto target = commands::database_target(options, connect_options);
  auto dialect = schema::make_dialect(target.dialect);
  auto connection = odbc::Connection::open(target, connect_options);
  return UpdateSession{std::move(target), std::move(connection), std::move(dialect)};
}

bool History::exists() {
  odbc::ConnectionRunner runner(connection_);
  return !runner.query(dialect_.history_exists_sql()).empty();
}

bool History::migrated() {
  odbc::ConnectionRunner runner(connection_);
  return !runner.query(dialect_.history_migrated_sql()).empty();
}

void History::create_or_migrate() {
  if (!exists()) connection_.execute(dialect_.create_history_sql());
  if (!migrated()) {
    for (const auto& sql : dialect_.migrate_history_sql()) connection_.execute(sql);
  }
}

void History::ensure_exists() {
  const auto& dialect = dialect_;
  if (!uses_sql_brackets(dialect)) {
    create_or_migrate();
    return;
  }
  // No session lock: the write transaction keeps two first runs from both creating it.
  if (session_ != nullptr) {
    begin_section(*session_);
  } else {
    connection_.execute(dialect.begin_section_sql());
  }
  try {
    create_or_migrate();
    connection_.execute(dialect.commit_section_sql());
  } catch (...) {
    try {
      connection_.execute(dialect.rollback_section_sql());
    } catch (const Error&) {  // the first error is the one to report
    }
    throw;
  }
}

std::vector<HistoryRow> History::rows() {
  std::vector<HistoryRow> rows;
  if (!exists()) return rows;
  const bool has_new_columns = migrated();
  odbc::ConnectionRunner runner(connection_);
  for (const auto& row : runner.query(dialect_.select_history_sql(has_new_columns))) {
    HistoryRow history_row;
    history_row.rank = int_of(row, 0);
    history_row.version = text_of(row, 1);
    history_row.description = text_of(row, 2);
    history_row.script = text_of(row, 3);
    history_row.checksum = text_of(row, 4);
    history_row.success = int_of(row, 5) != 0;
    history_row.statement_count = int_of(row, 6);
    history_row.statements_done = int_of(row, 7);
    history_row.installed_by = text_of(row, 8);
    history_row.installed_on = text_of(row, 9);
    history_row.execution_ms = std::atoll(text_of(row, 10).c_str());
    const std::string kind = text_of(row, 11);
    if (!kind.empty()) history_row.kind = kind;
    history_row.statement_checksums = split_checksums(text_of(row, 12));
    rows.push_back(std::move(history_row));
  }
  return rows;
}

void History::insert(const HistoryRow& row, long long execution_ms) {
  odbc::ConnectionRunner runner(connection_);
  runner.execute(dialect_.insert_history_sql(),
                 {std::to_string(row.rank), row.version, row.description, row.script, row.checksum,
                  installed_by(), std::to_string(execution_ms), row.success ? "1" : "0",
                  std::to_string(row.statement_count), std::to_string(row.statements_done),
                  row.kind, join_checksums(row.statement_checksums)});
}

void History::update(const HistoryRow& row, long long execution_ms) {
  odbc::ConnectionRunner runner(connection_);
  runner.execute(dialect_.update_history_sql(),
                 {row.checksum, std::to_string(execution_ms), row.success ? "1" : "0",
                  std::to_string(row.statement_count), std::to_string(row.statements_done),
                  join_checksums(row.statement_checksums), std::to_string(row.rank)});
}

void History::repair_checksum(int rank, const std::string& checksum) {
  odbc::ConnectionRunner runner(connection_);
  runner.execute(dialect_.repair_checksum_sql(), {checksum, std::to_string(rank)});
}

const std::string& History::installed_by() {
  if (!installed_by_) {
    const std::string sql = dialect_.current_user_sql();
    if (sql.empty()) {
      const char* user = std::getenv("USER");
      installed_by_ = user != nullptr && *user != '\0' ? user : "unknown";
    } else {
      odbc::ConnectionRunner runner(connection_);
      const auto rows = runner.query(sql);
      installed_by_ = rows.empty() ? std::string("unknown") : text_of(rows[0], 0);
    }
  }
  return *installed_by_;
}

std::map<Version, const HistoryRow*> latest_by_version(const std::vector<HistoryRow>& rows) {
  std::map<Version, const HistoryRow*> latest;
  for (const auto& row : rows) {
    if (row.is_repeatable()) continue;
    const auto version = Version::parse(row.version);
    if (version) latest[*version] = &row;
  }
  return latest;
}

bool counts_as_applied(const HistoryRow& row) { return row.is_undo() ? !row.success : row.success; }

std::optional<Version> current_version(const std::vector<HistoryRow>& rows) {
  std::optional<Version> current;
  for (const auto& [version, row] : latest_by_version(rows)) {
    if (counts_as_applied(*row)) current = version;  // the map is in version order
  }
  return current;
}

std::string version_text(const std::optional<Version>& version) {
  return version ? version->text() : "none";
}

void begin_section(UpdateSession& session) {
  const auto& dialect = session.dialect->update();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(session.write_wait_seconds);
  bool told = false;
  for (;;) {
    try {
      session.connection.execute(dialect.begin_section_sql());
      return;
    } catch (const Error& error) {
      // Each attempt already waited one busy timeout inside the driver: no sleep between them.
      if (dialect.lock_busy_native_code() == 0 ||
          error.native_code() != dialect.lock_busy_native_code()) {
        throw;
      }
      if (!told && session.write_wait_log != nullptr) {
        session.write_wait_log->lock_wait({.lock = "the write lock",
                                           .target = session.target.display,
                                           .holder = std::string(kUnknownWriter),
                                           .wait_seconds = session.write_wait_seconds});
        told = true;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        throw Error(ErrorKind::kConflict,
                    fmt::format("cannot take the write lock of {}: held by {} (gave up after {} "
                                "s)",
                                session.target.display, kUnknownWriter,
                                session.write_wait_seconds))
            .with_hint("another bru -UPDATE (or another program) is writing to this database; "
                       "let it finish, or wait longer with -LOCKWAIT <seconds>");
      }
    }
  }
}

UpdateLock::UpdateLock(UpdateSession& session, int wait_seconds, log::Log& log)
    : session_(session) {
  const auto& dialect = session_.dialect->update();
  if (dialect.try_lock_sql().empty()) {
    session_.write_wait_seconds = wait_seconds;
    session_.write_wait_log = &log;
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::seconds(wait_seconds);
  bool told = false;
  while (!try_take()) {
    const std::string who = holder();
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error(ErrorKind::kConflict,
                  fmt::format("cannot take the update lock of {}: held by {} (gave up after {} "
                              "s)",
                              session_.target.display, who, wait_seconds))
          .with_hint("another bru -UPDATE is running on this database; let it finish, or wait "
                     "longer with -LOCKWAIT <seconds>");
    }
    if (!told) {
      log.lock_wait(
          {.target = session_.target.display, .holder = who, .wait_seconds = wait_seconds});
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  held_ = true;
}

UpdateLock::~UpdateLock() {
  if (!held_) return;
  try {
    odbc::ConnectionRunner runner(session_.connection);
    runner.query(session_.dialect->update().unlock_sql());
  } catch (const Error&) {
    // The server releases a session lock when the session ends, which follows at once.
  }
}

bool UpdateLock::try_take() {
  const auto& dialect = session_.dialect->update();
  odbc::ConnectionRunner runner(session_.connection);
  if (dialect.lock_report() == schema::LockReport::kError) {
    try {
      runner.execute(dialect.try_lock_sql());
      return true;
    } catch (const Error& error) {
      if (error.native_code() == dialect.lock_busy_native_code()) return false;
      throw;
    }
  }
  const auto rows = runner.query(dialect.try_lock_sql());
  return !rows.empty() && text_of(rows[0], 0) == "1";
}

std::string UpdateLock::holder() {
  try {
    odbc::ConnectionRunner runner(session_.connection);
    const auto rows = runner.query(session_.dialect->update().lock_holder_sql());
    if (!rows.empty()) {
      return fmt::format("{} since {}", text_of(rows[0], 0), text_of(rows[0], 1));
    }
  } catch (const Error&) {
    // Seeing other sessions may need privileges bru's user lacks; the wait goes on regardless.
  }
  return "another session (bru cannot see which)";
}

}  // namespace bru::update

#include "bru/commands/restore_sql.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bru/commands/commands.h"
#include "bru/commands/restore_plan.h"
#include "bru/commands/restore_zero_dates.h"
#include "bru/commands/restore_remap.h"
#include "bru/commands/restore_scope.h"
#include "bru/data/value_check.h"
#include "bru/interrupt.h"
#include "formats/archive.h"
#include "formats/file_env.h"
#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::commands {
namespace {

namespace fs = std::filesystem;

// Rows per INSERT at most, as -RESTORE binds them (SQL Server takes at most 1,000 per VALUES).
constexpr std::size_t kMaxRowsPerStatement = 1000;
// Script text buffered before a write.
constexpr std::size_t kWriteBufferBytes = std::size_t{1} << 20;

Error io_error(const fs::path& path, const char* what, int error_number) {
  return Error(ErrorKind::kIo, fmt::format("cannot {} script \"{}\": {}", what, path.string(),
                                           std::strerror(error_number)))
      .with_hint("no script was left; free space or fix the folder's permissions and run again");
}

// -SQL's file: refused before anything is read when it is a folder, not a regular file, exists
// without -FORCE, or its folder does not exist.
void check_script_target(const fs::path& path, bool force) {
  std::error_code status_error;
  const auto status = fs::status(path, status_error);
  if (fs::is_directory(status)) {
    throw Error(ErrorKind::kIo,
                fmt::format("cannot write script \"{}\": it is a folder", path.string()))
        .with_hint(fmt::format("give a file name in -SQL, e.g. {}", (path / "restore.sql").string()));
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw Error(ErrorKind::kConflict,
                fmt::format("cannot write script \"{}\": it is not a regular file", path.string()))
        .with_hint("give a file name in -SQL");
  }
  if (fs::exists(status) && !force) {
    throw Error(ErrorKind::kConflict, fmt::format("script \"{}\" already exists", path.string()))
        .with_hint("use -FORCE to replace it, or choose another -SQL file");
  }
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const auto folder_status = fs::status(folder, status_error);
  if (!fs::is_directory(folder_status)) {
    throw Error(ErrorKind::kIo,
                fmt::format("cannot write script \"{}\": \"{}\" {}", path.string(),
                            folder.string(),
                            fs::exists(folder_status) ? "is not a folder" : "does not exist"))
        .with_hint("create the folder first, or give another -SQL file");
  }
}

// "<path>.partial", flock()ed while written, renamed to <path> by finish(); deleted when
// destroyed unfinished.
class ScriptFile {
 public:
  explicit ScriptFile(fs::path path) : path_(std::move(path)), partial_(path_.string() + ".partial") {
    auto& env = files::file_env();
    fd_ = env.open(partial_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw io_error(partial_, "create", errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      env.close(fd_);
      fd_ = -1;
      throw Error(ErrorKind::kConflict,
                  fmt::format("script \"{}\" is being written by another bru", partial_.string()))
          .with_hint("wait for it to finish, or choose another -SQL file");
    }
    if (env.ftruncate(fd_, 0) != 0) {
      const int error_number = errno;
      discard();
      throw io_error(partial_, "write", error_number);
    }
    buffer_.reserve(kWriteBufferBytes + kMaxStatementBytes);
  }
  ~ScriptFile() { discard(); }
  ScriptFile(const ScriptFile&) = delete;
  ScriptFile& operator=(const ScriptFile&) = delete;

  void write(std::string_view text) {
    buffer_ += text;
    if (buffer_.size() >= kWriteBufferBytes) flush();
  }

  // Writes the rest, syncs, renames to the final name and syncs the folder.
  void finish() {
    flush();
    auto& env = files::file_env();
    if (env.fsync(fd_) != 0) fail("sync", errno);
    if (env.rename(partial_.c_str(), path_.c_str()) != 0) fail("rename", errno);
    renamed_ = true;
    const int fd = fd_;
    fd_ = -1;
    if (env.close(fd) != 0) throw io_error(path_, "close", errno);
    const fs::path folder = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
    const int folder_fd = env.open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (folder_fd >= 0) {
      env.fsync(folder_fd);
      env.close(folder_fd);
    }
  }

 private:
  void flush() {
    if (buffer_.empty()) return;
    if (const int error_number = files::write_all(fd_, buffer_.data(), buffer_.size(), offset_);
        error_number != 0) {
      fail("write", error_number);
    }
    offset_ += static_cast<off_t>(buffer_.size());
    buffer_.clear();
  }
  [[noreturn]] void fail(const char* what, int error_number) {
    discard();
    throw io_error(path_, what, error_number);
  }
  void discard() noexcept {
    auto& env = files::file_env();
    if (fd_ >= 0 && !renamed_) env.unlink(partial_.c_str());
    if (fd_ >= 0) env.close(fd_);
    fd_ = -1;
  }

  fs::path path_;
  fs::path partial_;
  int fd_ = -1;
  bool renamed_ = false;
  off_t offset_ = 0;
  std::string buffer_;
};

// The engine -DIALECT names (any spelling dialect_of_word takes).
std::unique_ptr<schema::Dialect> script_dialect(const std::string& word) {
  const auto name = schema::dialect_of_word(word);
  if (!name) throw schema::unknown_dialect(word, schema::dialect_names());
  return schema::make_dialect(*name);
}

// Per column, the empty strings an engine that takes '' as NULL turns into NULL.
using EmptyStrings = std::map<std::size_t, std::int64_t>;

class ScriptWriter {
 public:
  ScriptWriter(ScriptFile& file, const schema::Dialect& dialect)
      : file_(file), dialect_(dialect), forms_(dialect.sql_forms()) {}

  void comment(std::string_view text) {
    file_.write("-- ");
    file_.write(text);
    file_.write("\n");
  }
  void statement(std::string_view sql) {
    file_.write(sql);
    file_.write(";\n");
  }
  // DDL, as the engine's own client takes it (Dialect::script_statement).
  void statements(const std::vector<std::string>& all) {
    for (const auto& sql : all) file_.write(dialect_.script_statement(sql));
  }

  // The table's rows from the archive as INSERTs; returns the rows written. read_table checks
  // every chunk's checksum and the table's totals and content checksum (kArchiveCorrupt).
  std::int64_t rows(const archive::ArchiveReader& reader, const archive::TableEntry& entry,
                    const cli::Options& options, log::Log& log) {
    const auto& table = entry.table;
    const std::size_t columns = std::max<std::size_t>(table.columns.size(), 1);
    const std::size_t per_statement =
        std::clamp<std::size_t>(dialect_.max_parameters() / columns, 1, kMaxRowsPerStatement);
    const std::string quoted_table = dialect_.qualified_name(table);
    const bool explicit_identity =
        !forms_.explicit_identity_on.empty() &&
        std::any_of(table.columns.begin(), table.columns.end(),
                    [](const schema::Column& column) { return column.identity; });
    comment(fmt::format("rows of {} ({} in the archive)",
                        schema::escape_for_terminal(table.display_name()), entry.rows));
    if (explicit_identity) statement(fill(forms_.explicit_identity_on, quoted_table));
    std::int64_t written = 0;
    EmptyStrings empty_strings;
    std::vector<std::string> pending;
    std::size_t pending_bytes = 0;
    auto flush = [&] {
      if (pending.empty()) return;
      statement(dialect_.insert_literals_sql(table, pending));
      pending.clear();
      pending_bytes = 0;
    };
    auto zero_dates = zero_dates_to_null(entry, dialect_, options);
    reader.read_table(entry, [&](const archive::Batch& read) {
      throw_if_interrupted();
      const auto& batch = zero_dates ? zero_dates->apply(read, written + 1) : read;
      data::check_values_fit(table, batch, written + 1, dialect_.name());
      for (std::size_t row = 0; row < batch.row_count(); ++row) {
        pending.push_back(row_literals(table, batch, row, written + 1, empty_strings));
        pending_bytes += pending.back().size();
        ++written;
        if (pending.size() >= per_statement || pending_bytes >= kMaxStatementBytes) flush();
      }
    });
    flush();
    if (zero_dates) report_zero_dates(*zero_dates, table.display_name(), log);
    if (explicit_identity) statement(fill(forms_.explicit_identity_off, quoted_table));
    report_empty_strings(empty_strings, table, dialect_.name(), log);
    return written;
  }

 private:
  std::string row_literals(const schema::Table& table, const archive::Batch& batch,
                           std::size_t row, std::int64_t row_number, EmptyStrings& empty_strings) {
    std::string literals;
    for (std::size_t column_idx = 0; column_idx < table.columns.size(); ++column_idx) {
      const auto& values = batch.column(column_idx);
      const auto& column = table.columns[column_idx];
      schema::Dialect::LiteralValue value;
      if (values.is_null(row)) {
        value = std::monostate{};
      } else if (values.storage() == schema::Storage::kInt64) {
        value = values.int_at(row);
      } else if (values.storage() == schema::Storage::kFloat64) {
        value = values.double_at(row);
      } else {
        value = values.bytes_at(row);
        if (forms_.empty_string_is_null && values.bytes_at(row).empty()) {
          refuse_empty_in_not_null(table, column, row_number);
          ++empty_strings[column_idx];
        }
      }
      if (column_idx > 0) literals += ", ";
      literals += dialect_.literal_sql(table, column, value);
    }
    return literals;
  }

  void refuse_empty_in_not_null(const schema::Table& table, const schema::Column& column,
                                std::int64_t row_number) const {
    if (column.nullable) return;
    throw Error(ErrorKind::kTypeMapping,
                fmt::format("{} cannot hold the empty value of NOT NULL column \"{}\" of table "
                            "\"{}\" (row {}): it takes '' as NULL",
                            dialect_.name(), schema::escape_for_terminal(column.name),
                            schema::escape_for_terminal(table.display_name()), row_number))
        .with_hint("no script was left; put a value in the source and back it up again, or "
                   "restore this table into another engine");
  }

  static std::string fill(std::string_view form, const std::string& table) {
    return fmt::format(fmt::runtime(form), fmt::arg("table", table));
  }

  ScriptFile& file_;
  const schema::Dialect& dialect_;
  const schema::SqlForms& forms_;
};

}  // namespace

int restore_sql(const cli::Options& options, log::Log& log) {
  const auto started = std::chrono::steady_clock::now();
  const auto dialect = script_dialect(options.dialect);
  check_script_target(options.sql, options.force);
  const auto reader = archive::ArchiveReader::open(options.file, {.passphrase = options.key});
  const auto scope = settled_scope(*reader, *dialect, options, log);
  const auto plan = plan_ddl(*dialect, *reader, scope, options);

  ScriptFile file(options.sql);
  ScriptWriter script(file, *dialect);
  const auto source = reader->meta().find("source_dialect");
  script.comment(fmt::format("bru -RESTORE -SQL -DIALECT {}: archive {} ({}), {} table{}{}",
                             dialect->name(), fs::path(options.file).filename().string(),
                             source == reader->meta().end() ? "unknown engine" : source->second,
                             scope.tables.size(), scope.tables.size() == 1 ? "" : "s",
                             options.schema_only ? ", schema only"
                                                 : (options.data_only ? ", data only" : "")));
  script.statements(dialect->script_setup_sql());
  const bool transaction = dialect->transactional_ddl();
  if (transaction) script.statement(dialect->sql_forms().begin_transaction);
  if (options.data_only) script.statements(dialect->data_only_restore_sql());
  script.statements(plan.pre_data);
  std::int64_t rows = 0;
  if (!options.schema_only) {
    for (const auto* entry : scope.tables) rows += script.rows(*reader, *entry, options, log);
  }
  script.statements(plan.data);
  for (const auto& statements : plan.table_keys) script.statements(statements);
  for (const auto& statements : plan.foreign_keys) script.statements(statements);
  script.statements(plan.post_data);
  // Where DDL commits by itself the rows still wait for a COMMIT (Oracle's SQL*Plus, a client
  // with autocommit off).
  script.statement(transaction ? dialect->sql_forms().commit_transaction : "COMMIT");
  file.finish();
  log.restore_done(
      {.tables = scope.tables.size(),
       .rows = rows,
       .verified = !options.schema_only,
       .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
       .script = options.sql});
  return 0;
}

}  // namespace bru::commands

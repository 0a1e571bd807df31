#include "tools/sample/output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "bru/odbc/connection.h"
#include "schema/error.h"
#include "tools/sample/sql_writer.h"

namespace bru::sample {
namespace {

Error io_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  Error error(ErrorKind::kIo, fmt::format("cannot {} \"{}\": {}", what, path.string(),
                                          std::strerror(error_number)));
  if (error_number == ENOSPC) error.with_hint("free some space, or write the script elsewhere");
  if (error_number == ENOENT) error.with_hint("create the folder first, or choose another --out");
  if (error_number == EACCES) error.with_hint("choose a folder you may write to");
  return error;
}

// Removes the partial file unless released: the safety net when writing fails half way.
class PartialFile {
 public:
  explicit PartialFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~PartialFile() {
    if (!released_) ::unlink(path_.c_str());
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  void release() { released_ = true; }

 private:
  std::filesystem::path path_;
  bool released_ = false;
};

}  // namespace

void write_script_file(const Model& model, const SampleOptions& options, std::string_view dialect,
                       const std::filesystem::path& path, bool force) {
  require_sample_dialect(dialect);
  if (!force && std::filesystem::exists(path)) {
    throw Error(ErrorKind::kConflict, fmt::format("\"{}\" already exists", path.string()),
                {"use --force to replace it, or choose another --out"});
  }
  // The final rename would replace a device, FIFO or socket: as root, even /dev/null.
  if (std::filesystem::exists(path) && !std::filesystem::is_regular_file(path)) {
    throw Error(ErrorKind::kConflict,
                fmt::format("\"{}\" is not a regular file (a device, FIFO or socket)",
                            path.string()),
                {"give a file name in --out (the script is written beside it and renamed into "
                 "place)"});
  }
  const std::filesystem::path partial = path.string() + ".partial";
  PartialFile cleanup(partial);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error("create", partial, errno);
    try {
      write_script(model, options, dialect, out);
      out.close();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kIo) throw;
      throw io_error("write", partial, errno);
    }
    if (!out) throw io_error("write", partial, errno);
  }
  // The stream cannot sync: open the file again so a crash after the rename cannot leave a
  // script whose end never reached the disk.
  const int sync_fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
  if (sync_fd < 0 || ::fsync(sync_fd) != 0) {
    const int error_number = errno;
    if (sync_fd >= 0) ::close(sync_fd);
    throw io_error("sync", partial, error_number);
  }
  ::close(sync_fd);
  if (::rename(partial.c_str(), path.c_str()) != 0) throw io_error("rename", partial, errno);
  cleanup.release();
}

LoadSummary load_database(const Model& model, const SampleOptions& options,
                          std::string_view conn_text, const odbc::ConnectOptions& connect) {
  const auto target = odbc::parse_connection(conn_text, connect);
  auto connection = odbc::Connection::open(target, connect);
  // A raw odbc; string learns its engine from the driver once connected.
  const std::string dialect = connection.target().dialect;
  require_sample_dialect(dialect);

  LoadSummary summary{dialect, connection.target().display, 0};
  odbc::Transaction transaction(connection);
  generate_statements(model, options, dialect, [&](const SqlStatement& statement) {
    if (statement.kind == StatementKind::kSetup || statement.kind == StatementKind::kFinish) return;
    try {
      connection.execute(statement.text);
    } catch (Error& error) {
      error.with_context("table", statement.table);
      if (statement.kind == StatementKind::kCreate) {
        error.with_hint("bru-sample creates its own tables: load into an empty database");
      }
      throw;
    }
  });
  transaction.commit();
  summary.rows = total_rows(model, options.scale);
  return summary;
}

}  // namespace bru::sample

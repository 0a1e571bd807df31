// The one error type of bru. Every layer throws bru::Error for anything that ends the operation;
// expected conditions are return values, programmer errors are assertions.
//
// An Error carries a stable kind (which is also the process exit code), the message (what failed,
// with what), zero or more hints (what to do), the SQLSTATE and native code when a database said
// it, and context (dialect, table, archive path, script file and line) as ordered key/value pairs.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bru {

// Stable error kinds. The numeric value is the process exit code: never renumber a kind, only add.
enum class ErrorKind : int {
  kUsage = 2,           // bad command line or connection string
  kConnect = 3,         // cannot reach or log in to a database
  kDatabase = 4,        // a statement failed on the server
  kArchiveCorrupt = 5,  // archive unreadable, truncated, checksum mismatch, not an archive
  kArchiveVersion = 6,  // archive written by a newer (or unknown) format version
  kIo = 7,              // file system: cannot read/write/sync/rename, disk full
  kVerify = 8,          // restored data does not match the archive
  kScript = 9,          // update script cannot be parsed (syntax, order, placeholder)
  kConflict = 10,       // refusing to overwrite/clobber: existing output, non-empty target,
                        // changed checksum of an applied section, lock held
  kTypeMapping = 11,    // a value or type cannot be represented in the target
  kInterrupted = 12,    // SIGINT/SIGTERM: stopped on request, partial output removed
  kNotFound = 13,       // a named table, schema, file or version does not exist
  kIncomplete = 14,     // -MIGRATE stopped at its -DURATION budget with work left: run again
  kInternal = 70,       // a bug in bru
};

// The exit code name of a kind, for the README table and messages ("usage", "connect", ...).
std::string_view error_kind_name(ErrorKind kind);

class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string message, std::vector<std::string> hints = {});

  ErrorKind kind() const noexcept { return kind_; }
  int exit_code() const noexcept { return static_cast<int>(kind_); }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::string>& hints() const noexcept { return hints_; }
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  long native_code() const noexcept { return native_code_; }
  const std::vector<std::pair<std::string, std::string>>& context() const noexcept {
    return context_;
  }

  // Builders; return *this so a throw site reads as one expression.
  Error& with_hint(std::string hint);
  Error& with_sqlstate(std::string sqlstate, long native_code);
  Error& with_context(std::string key, std::string value);

  // "error: <message>" then one "hint: <hint>" line per hint; SQLSTATE and context, when present,
  // on a "detail:" line. Ends with a newline. This is what the CLI prints to stderr.
  std::string render() const;

  const char* what() const noexcept override { return message_.c_str(); }

 private:
  ErrorKind kind_;
  std::string message_;
  std::vector<std::string> hints_;
  std::string sqlstate_;
  long native_code_ = 0;
  std::vector<std::pair<std::string, std::string>> context_;
};

// Error(kInternal, message) with the hint every bug in bru gets: report it with the command run.
// For conditions bru's own code should never reach (a caller broke a contract).
Error internal_error(std::string message);

}  // namespace bru

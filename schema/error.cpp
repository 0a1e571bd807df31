#include "schema/error.h"

#include <fmt/format.h>

namespace bru {

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kConnect: return "connect";
    case ErrorKind::kDatabase: return "database";
    case ErrorKind::kArchiveCorrupt: return "archive-corrupt";
    case ErrorKind::kArchiveVersion: return "archive-version";
    case ErrorKind::kIo: return "io";
    case ErrorKind::kVerify: return "verify";
    case ErrorKind::kScript: return "script";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kTypeMapping: return "type-mapping";
    case ErrorKind::kInterrupted: return "interrupted";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kIncomplete: return "incomplete";
    case ErrorKind::kInternal: return "internal";
  }
  return "unknown";
}

Error::Error(ErrorKind kind, std::string message, std::vector<std::string> hints)
    : kind_(kind), message_(std::move(message)), hints_(std::move(hints)) {}

Error internal_error(std::string message) {
  return Error(ErrorKind::kInternal, std::move(message))
      .with_hint("this is a bug in bru; please report it with the command you ran");
}

Error& Error::with_hint(std::string hint) {
  hints_.push_back(std::move(hint));
  return *this;
}

Error& Error::with_sqlstate(std::string sqlstate, long native_code) {
  sqlstate_ = std::move(sqlstate);
  native_code_ = native_code;
  return *this;
}

Error& Error::with_context(std::string key, std::string value) {
  context_.emplace_back(std::move(key), std::move(value));
  return *this;
}

std::string Error::render() const {
  std::string out = fmt::format("error: {}\n", message_);
  std::string detail;
  if (!sqlstate_.empty()) detail += fmt::format("SQLSTATE {} (native {})", sqlstate_, native_code_);
  for (const auto& [key, value] : context_) {
    if (!detail.empty()) detail += ", ";
    detail += fmt::format("{} {}", key, value);
  }
  if (!detail.empty()) out += fmt::format("detail: {}\n", detail);
  for (const auto& hint : hints_) out += fmt::format("hint: {}\n", hint);
  return out;
}

}  // namespace bru

// libFuzzer harness: the update script splitter (schema/script/splitter.h).
//
// Input: byte 0 picks the dialect (postgres, mssql, oracle, sqlite, mariadb), the rest is the
// script. Every script must either split or throw bru::Error(kScript). What splits must obey the
// splitter's contract: statements are not empty, carry no edge blanks, come in order without
// overlapping, and each one's text is found verbatim in the LF-normalised script at its line and
// column; a repeat count is at least 1.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "schema/error.h"
#include "schema/script/splitter.h"

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Byte offsets of the start of each line (line 1 at index 0).
std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\n') starts.push_back(at + 1);
  }
  return starts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& dialects = bru::schema::script_dialects();
  const std::string_view dialect = dialects[data[0] % dialects.size()];
  const std::string_view script(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<bru::schema::Statement> statements;
  try {
    statements = bru::schema::split_statements(dialect, script, "fuzz.sql");
  } catch (const bru::Error& error) {
    bru::fuzz::check(error.kind() == bru::ErrorKind::kScript,
                     "the splitter threw an error other than kScript");
    return 0;
  }
  const std::string normalised = bru::schema::normalise_line_endings(script);
  const std::vector<std::size_t> starts = line_starts(normalised);
  std::size_t end_of_previous = 0;
  for (const bru::schema::Statement& statement : statements) {
    bru::fuzz::check(!statement.text.empty(), "an empty statement");
    bru::fuzz::check(!is_blank(statement.text.front()) && !is_blank(statement.text.back()),
                     "a statement with edge blanks");
    bru::fuzz::check(statement.file == "fuzz.sql", "a statement with another file name");
    bru::fuzz::check(statement.repeat >= 1, "a repeat count below 1");
    bru::fuzz::check(
        statement.line >= 1 && static_cast<std::size_t>(statement.line) <= starts.size(),
        "a statement line outside the script");
    bru::fuzz::check(statement.column >= 1, "a statement column below 1");
    const std::size_t offset = starts[statement.line - 1] + statement.column - 1;
    bru::fuzz::check(offset >= end_of_previous, "statements out of order or overlapping");
    bru::fuzz::check(normalised.compare(offset, statement.text.size(), statement.text) == 0,
                     "a statement's text is not in the script at its line and column");
    end_of_previous = offset + statement.text.size();
  }
  return 0;
}

// Statements that would end or open a transaction inside a section bru runs in one transaction
// (issue 10): a COMMIT there keeps the work before it when a later statement fails, while the
// history says the database stays at the last good version.
#include <fmt/format.h>

#include <cctype>
#include <string>
#include <vector>

#include "schema/error.h"
#include "schema/script/script.h"
#include "schema/text.h"

namespace bru::update {
namespace {

// The first `count` words of a statement, upper case, after leading blanks and comments (the
// splitters already drop comments before a statement's first token; this does not rely on it).
std::vector<std::string> leading_words(std::string_view text, std::size_t count) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size() && words.size() < count) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
      ++pos;
    } else if (text.compare(pos, 2, "--") == 0) {
      const auto end = text.find('\n', pos);
      pos = end == std::string_view::npos ? text.size() : end;
    } else if (text.compare(pos, 2, "/*") == 0) {
      const auto end = text.find("*/", pos + 2);
      pos = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      std::size_t end = pos;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) {
        ++end;
      }
      if (end == pos) break;  // punctuation: no more words of interest
      words.push_back(schema::to_upper(text.substr(pos, end - pos)));
      pos = end;
    }
  }
  return words;
}

// The transaction-control statement a statement starts with ("COMMIT", "BEGIN TRAN", ...), or ""
// when it is not one. Savepoints stay allowed: they live inside the section's transaction.
std::string transaction_control(std::string_view dialect, std::string_view text) {
  const auto words = leading_words(text, 3);
  if (words.empty()) return {};
  const std::string& first = words[0];
  const std::string second = words.size() > 1 ? words[1] : std::string();
  if (dialect == "mssql") {
    // BEGIN alone opens a BEGIN ... END block; SAVE TRAN is a savepoint.
    if (first == "BEGIN" &&
        (second == "TRAN" || second == "TRANSACTION" || second == "DISTRIBUTED")) {
      return first + " " + second;
    }
    // ROLLBACK TRAN <savepoint> goes back to a savepoint; without a name, the whole transaction.
    const bool named = (second == "TRAN" || second == "TRANSACTION") && words.size() > 2;
    if (first == "COMMIT" || (first == "ROLLBACK" && !named)) return first;
    if (first == "SET" && second == "IMPLICIT_TRANSACTIONS") return first + " " + second;
    return {};
  }
  if (first == "ROLLBACK" && second == "TO") return {};  // ROLLBACK TO SAVEPOINT
  if (first == "COMMIT" || first == "ROLLBACK" || first == "END" || first == "BEGIN" ||
      (dialect == "postgres" && first == "ABORT")) {
    return first;
  }
  if ((first == "START" && second == "TRANSACTION") || (first == "SET" && second == "AUTOCOMMIT")) {
    return first + " " + second;
  }
  return {};
}

}  // namespace

void refuse_transaction_control(const Script& script) {
  for (const Section& section : script.sections) {
    for (const auto& statement : section.statements) {
      const std::string found = transaction_control(script.dialect, statement.text);
      if (found.empty()) continue;
      throw Error(ErrorKind::kScript,
                  fmt::format("{}:{}: {} in version {}: bru runs each section in one "
                              "transaction, which this statement would end or open",
                              statement.file, statement.line, found, section.version.text()))
          .with_hint(
              "remove it: bru commits the section together with its history row, so a "
              "failure later in the section takes the whole section back");
    }
  }
}

}  // namespace bru::update

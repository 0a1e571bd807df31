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
    // `@` and `.` so that MariaDB's SET @@session.autocommit reads as SET SESSION AUTOCOMMIT.
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '@' || c == '.') {
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

// The SQL Server statement that opens a transaction or makes statements open one: BEGIN
// TRAN[SACTION], BEGIN DISTRIBUTED, SET IMPLICIT_TRANSACTIONS; or "". BEGIN alone opens a
// BEGIN ... END block; SAVE TRAN is a savepoint.
std::string mssql_opens(const std::vector<std::string>& words) {
  const std::string& first = words[0];
  const std::string second = words.size() > 1 ? words[1] : std::string();
  if (first == "BEGIN" &&
      (second == "TRAN" || second == "TRANSACTION" || second == "DISTRIBUTED")) {
    return first + " " + second;
  }
  if (first == "SET" && second == "IMPLICIT_TRANSACTIONS") return first + " " + second;
  return {};
}

// The transaction-control statement a statement of a section run in one transaction starts with
// ("COMMIT", "BEGIN TRAN", ...), or "" when it is not one. Savepoints stay allowed: they live
// inside the section's transaction.
std::string ends_or_opens(std::string_view dialect, const std::vector<std::string>& words) {
  const std::string& first = words[0];
  const std::string second = words.size() > 1 ? words[1] : std::string();
  if (dialect == "mssql") {
    const std::string opening = mssql_opens(words);
    if (!opening.empty()) return opening;
    // ROLLBACK TRAN <savepoint> goes back to a savepoint; without a name, the whole transaction.
    const bool named = (second == "TRAN" || second == "TRANSACTION") && words.size() > 2;
    if (first == "COMMIT" || (first == "ROLLBACK" && !named)) return first;
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

// The statement of a section run statement by statement (autocommit) that would open a
// transaction or turn autocommit off, or "". COMMIT and ROLLBACK have nothing to end there.
std::string opens(std::string_view dialect, const std::vector<std::string>& words) {
  const std::string& first = words[0];
  const std::string second = words.size() > 1 ? words[1] : std::string();
  if (dialect == "mssql") return mssql_opens(words);
  if (dialect == "oracle") {
    // Oracle opens transactions by itself; SET TRANSACTION starts one explicitly, and SET
    // AUTOCOMMIT is SQL*Plus, which bru does not interpret.
    if (first == "SET" && (second == "TRANSACTION" || second == "AUTOCOMMIT")) {
      return first + " " + second;
    }
    return {};
  }
  // MariaDB BEGIN NOT ATOMIC is a compound statement, not a transaction.
  if (first == "BEGIN" && second != "NOT")
    return words.size() > 1 && second == "WORK" ? "BEGIN WORK" : "BEGIN";
  if (first == "START" && second == "TRANSACTION") return first + " " + second;
  if (first == "XA" && (second == "START" || second == "BEGIN")) return first + " " + second;
  if (first == "SET") {
    // SET AUTOCOMMIT, SET SESSION autocommit, SET @@autocommit, SET @@session.autocommit.
    for (std::size_t at = 1; at < words.size(); ++at) {
      if (words[at] == "AUTOCOMMIT") return "SET AUTOCOMMIT";
      if (words[at] != "SESSION" && words[at] != "LOCAL") break;
    }
  }
  return {};
}

}  // namespace

void refuse_transaction_control(const Script& script, bool transactional_ddl) {
  const auto check = [&](const Section& section) {
    const bool one_transaction = transactional_ddl && section.transactional;
    for (const auto& statement : section.statements) {
      const auto words = leading_words(statement.text, 4);
      if (words.empty()) continue;
      const std::string found =
          one_transaction ? ends_or_opens(script.dialect, words) : opens(script.dialect, words);
      if (found.empty()) continue;
      if (one_transaction) {
        throw Error(ErrorKind::kScript,
                    fmt::format("{}:{}: {} in {}: bru runs each section in one "
                                "transaction, which this statement would end or open",
                                statement.file, statement.line, found, section.label()))
            .with_hint(
                "remove it: bru commits the section together with its history row, so a "
                "failure later in the section takes the whole section back");
      }
      throw Error(ErrorKind::kScript,
                  fmt::format("{}:{}: {} in {}: bru runs this section statement by statement and "
                              "records each as done when it returns, which an open transaction "
                              "would make untrue",
                              statement.file, statement.line, found, section.label()))
          .with_hint(
              "remove it: here each statement commits on its own; statements that must "
              "succeed or fail together belong in a section that runs in one transaction "
              "(PostgreSQL, SQLite, SQL Server, without -- bru:transaction off)");
    }
  };
  for (const auto* list : {&script.sections, &script.undos, &script.repeatables}) {
    for (const Section& section : *list) check(section);
  }
}

}  // namespace bru::update

// Running a section's statements and recording them, and the -DRYRUN listing.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <ostream>

#include "bru/interrupt.h"
#include "bru/odbc/cancel.h"
#include "bru/odbc/handle.h"
#include "bru/update/update.h"
#include "schema/error.h"

namespace bru::update {
namespace {

constexpr std::size_t kPreviewChars = 80;

long long milliseconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started)
      .count();
}

// Error(kDatabase) for a script statement, from all the statement handle's diagnostics.
Error statement_failed(SQLHSTMT handle, const schema::Statement& statement,
                       const std::string& stays_at) {
  if (interrupted()) return interrupted_error();  // cancelled by the interrupt watcher
  const auto records = odbc::read_diagnostics(SQL_HANDLE_STMT, handle);
  std::string driver_text;
  for (const auto& record : records) {
    if (!driver_text.empty()) driver_text += "; ";
    driver_text += record.text;
  }
  if (driver_text.empty()) driver_text = "the driver gave no reason";
  Error error(ErrorKind::kDatabase,
              fmt::format("{}:{}: statement failed: {}: {}", statement.file, statement.line,
                          odbc::statement_preview(statement.text, kPreviewChars), driver_text));
  error.with_hint(stays_at);
  for (auto& hint : odbc::hints_for(records)) error.with_hint(std::move(hint));
  if (!records.empty()) error.with_sqlstate(records.front().sqlstate, records.front().native_code);
  return error;
}

// Runs a script statement (a batch, on SQL Server) as often as its GO count says, reading every
// result so that an error in a later statement of a batch is not lost.
void run_statement(odbc::Connection& connection, const schema::Statement& statement,
                   const std::string& stays_at) {
  for (int run = 0; run < statement.repeat; ++run) {
    auto handle = connection.statement();
    // SIGINT cancels it (bru/interrupt.h) where the driver allows.
    const odbc::RunningCall running(handle.native(), handle.cancellable());
    SQLRETURN rc = odbc::calls().SQLExecDirect(
        handle.native(), reinterpret_cast<SQLCHAR*>(const_cast<char*>(statement.text.data())),
        static_cast<SQLINTEGER>(statement.text.size()));
    while (rc != SQL_NO_DATA) {
      if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) {
        throw statement_failed(handle.native(), statement, stays_at);
      }
      rc = odbc::calls().SQLMoreResults(handle.native());
    }
  }
}

void run_quietly(odbc::Connection& connection, const std::string& sql) noexcept {
  try {
    connection.execute(sql);
  } catch (const Error&) {  // rolling back after an error: the first error is the one to report
  }
}

std::string_view kind_of(const Section& section) {
  switch (section.kind) {
    case SectionKind::kRepeatable:
      return kRepeatableKind;
    case SectionKind::kUndo:
      return kUndoKind;
    case SectionKind::kVersioned:
      break;
  }
  return kVersionedKind;
}

HistoryRow applied_row(const Section& section, int rank) {
  HistoryRow row;
  row.rank = rank;
  row.kind = std::string(kind_of(section));
  // A repeatable section has no version: its row keeps the name there.
  row.version = section.kind == SectionKind::kRepeatable ? section.name : section.version.text();
  row.description = section.description;
  row.script = std::filesystem::path(section.file).filename().string();
  row.checksum = section.checksum;
  row.statement_count = static_cast<int>(section.statements.size());
  return row;
}

// Whether another run did this section while we waited for the write lock (SQLite, which locks
// per section): a versioned section is applied, an undo done, a repeatable one applied with this
// very text. An out-of-order section is older than the current version and still to be applied,
// so "applied" means a row of this very version.
bool already_done(History& history, const Section& section) {
  const auto rows = history.rows();
  if (section.kind == SectionKind::kRepeatable) {
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
      if (row->is_repeatable() && row->success && row->version == section.name) {
        return row->checksum == section.checksum;
      }
    }
    return false;
  }
  const auto latest = latest_by_version(rows);
  const auto found = latest.find(section.version);
  if (found == latest.end()) return false;
  const HistoryRow& row = *found->second;
  return section.kind == SectionKind::kUndo ? row.is_undo() && row.success
                                            : row.is_versioned() && row.success;
}

SectionResult apply_in_transaction(UpdateSession& session, History& history,
                                   const Section& section, int next_rank,
                                   const std::string& stays_at) {
  const auto started = std::chrono::steady_clock::now();
  const auto& dialect = session.dialect->update();
  const bool brackets = !dialect.begin_section_sql().empty();
  std::optional<odbc::Transaction> transaction;
  if (brackets) {
    begin_section(session);
  } else {
    transaction.emplace(session.connection);
  }
  try {
    // Without a session lock another run may have applied this section while we waited for the
    // write lock: the history is read again inside the transaction.
    if (dialect.try_lock_sql().empty() && already_done(history, section)) {
      if (brackets) session.connection.execute(dialect.rollback_section_sql());
      return SectionResult{false, 0};
    }
    if (dialect.try_lock_sql().empty()) {
      const auto rows = history.rows();
      next_rank = rows.empty() ? 1 : rows.back().rank + 1;
    }
    for (const auto& statement : section.statements) {
      run_statement(session.connection, statement, stays_at);
    }
    HistoryRow row = applied_row(section, next_rank);
    row.success = true;
    row.statements_done = row.statement_count;
    const long long execution_ms = milliseconds_since(started);
    history.insert(row, execution_ms);
    if (brackets) {
      session.connection.execute(dialect.commit_section_sql());
    } else {
      transaction->commit();
    }
    return SectionResult{true, execution_ms};
  } catch (...) {
    if (brackets) run_quietly(session.connection, dialect.rollback_section_sql());
    throw;  // the Transaction's destructor rolls back
  }
}

SectionResult apply_per_statement(History& history, UpdateSession& session,
                                  const Section& section, const std::optional<HistoryRow>& resume,
                                  int next_rank, const std::string& stays_at) {
  const auto started = std::chrono::steady_clock::now();
  HistoryRow row = applied_row(section, resume ? resume->rank : next_rank);
  row.statements_done = resume ? resume->statements_done : 0;
  // The statements done were checked against the script (or -REPAIR accepted them): record the
  // script's checksums for them, which also fills in a row an earlier bru wrote without them.
  row.statement_checksums.assign(
      section.statement_checksums.begin(),
      section.statement_checksums.begin() +
          std::min<std::ptrdiff_t>(row.statements_done, static_cast<std::ptrdiff_t>(
                                                            section.statement_checksums.size())));
  long long previous_ms = 0;
  if (resume) {
    history.update(row, 0);
  } else {
    history.insert(row, 0);
  }
  const auto total = static_cast<int>(section.statements.size());
  for (int statement_idx = row.statements_done; statement_idx < total; ++statement_idx) {
    const std::string hint = fmt::format(
        "{}; {} statement{} of {} succeeded and stay applied; a re-run "
        "resumes at the next one",
        stays_at, statement_idx, statement_idx == 1 ? "" : "s", section.label());
    run_statement(session.connection, section.statements[statement_idx], hint);
    row.statements_done = statement_idx + 1;
    row.statement_checksums.push_back(section.statement_checksums[statement_idx]);
    previous_ms = milliseconds_since(started);
    history.update(row, previous_ms);
  }
  row.success = true;
  const long long execution_ms = milliseconds_since(started);
  history.update(row, execution_ms);
  return SectionResult{true, execution_ms};
}

}  // namespace

SectionResult apply_section(UpdateSession& session, History& history, const Section& section,
                            const std::optional<HistoryRow>& resume, int next_rank,
                            const std::optional<Version>& current) {
  const std::string stays_at =
      fmt::format("the database stays at version {}; fix the script and run bru {} again",
                  version_text(current), section.kind == SectionKind::kUndo ? "-UNDO" : "-UPDATE");
  if (session.dialect->update().transactional_ddl() && section.transactional) {
    return apply_in_transaction(session, history, section, next_rank, stays_at);
  }
  return apply_per_statement(history, session, section, resume, next_rank, stays_at);
}

void print_plan(std::ostream& out, const schema::UpdateDialect& dialect,
                const std::vector<const Section*>& sections, int skip_statements) {
  for (const Section* section : sections) {
    switch (section->kind) {
      case SectionKind::kVersioned:
        out << "-- bru:version " << section->version.text();
        break;
      case SectionKind::kRepeatable:
        out << "-- bru:repeatable " << section->name;
        break;
      case SectionKind::kUndo:
        out << "-- bru:undo " << section->version.text();
        break;
    }
    if (!section->description.empty()) out << " (" << section->description << ")";
    out << '\n';
    if (!section->transactional) {
      out << "-- bru:transaction off (statement by statement, progress recorded after each)\n";
    }
    const auto first = static_cast<std::size_t>(section == sections.front() ? skip_statements : 0);
    if (first > 0) {
      out << fmt::format("-- resumes after statement {} of {} (applied by an earlier run)\n",
                         first, section->statements.size());
    }
    for (std::size_t statement_idx = first; statement_idx < section->statements.size();
         ++statement_idx) {
      const auto& statement = section->statements[statement_idx];
      out << "-- at " << statement.file << ':' << statement.line << '\n' << statement.text << '\n';
      out << dialect.plan_terminator(statement.repeat) << '\n';
    }
  }
}

}  // namespace bru::update

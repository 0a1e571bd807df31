// The update-script model (DESIGN §6, issue 3): a script is a list of versioned sections, each a
// list of statements split by the dialect's rules, with a checksum of the section as written.
// Pure: reads files, never a database. The -UPDATE command (bru/update/) applies it.
//
// Two sources, same meaning (SCRIPT-FORMAT.md has the user's view):
//  * one file of sections:
//        -- bru:version 8.5.200
//        -- bru:description add task sequences      (optional, on the very next line)
//        CREATE TABLE ...;
//    A marker line always ends the statement or batch before it. Versions must strictly increase
//    through the file. Before the first marker only comments and blank lines may appear. Any
//    other `-- bru:<word>` line is an error (a typo must not silently merge two sections).
//  * a folder of files named V<version>__<description>.sql (Flyway's convention: `_` in the
//    version reads as `.`, `_` in the description as a blank), one section per file, applied in
//    version order; R__<name>.sql files are repeatable sections and U<version>__<description>.sql
//    files undo sections. Other *.sql files are an error (silently skipping a misnamed file would
//    be worse); other files and sub-folders are ignored.
//
// Besides versioned sections a script holds (issue 10):
//  * repeatable sections, `-- bru:repeatable <name>`: applied after the versioned ones whenever
//    their checksum differs from the one last applied (views, functions, procedures);
//  * undo sections, `-- bru:undo <version>`: what bru -UNDO runs to take that version back.
// A section header may hold `-- bru:transaction off` (after the marker and description): the
// section runs statement by statement outside a transaction, with progress recorded after each.
//
// Placeholders: `{{name}}` (blanks allowed inside the braces; name = letter or _, then letters,
// digits, _ . -) is replaced by the -DEFINE value of name in statement text — strings and
// comments included, in one pass (a value is never scanned again). `${...}` and anything else in
// braces is left alone. A placeholder anywhere in a section (comments included) that has no
// value is an error. Values are substituted after splitting, so a value can never add or remove
// statement boundaries.
//
// Checksums are taken of the section *as written*, before placeholder substitution (Flyway's
// choice): the same script applied to differently named test and production schemas must verify
// against one history; a DBA who changes a -DEFINE value is changing the environment, not the
// script. See section_checksum for what is normalised.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/script/splitter.h"
#include "schema/script/version.h"

namespace bru::update {

// -DEFINE name=value pairs.
using Defines = std::map<std::string, std::string, std::less<>>;

enum class SectionKind {
  kVersioned,   // -- bru:version v
  kRepeatable,  // -- bru:repeatable name
  kUndo,        // -- bru:undo v
};

struct Section {
  SectionKind kind = SectionKind::kVersioned;
  Version version;          // versioned: its version; undo: the version it undoes; repeatable: 0
  std::string name;         // repeatable: its name; "" otherwise
  std::string description;  // "" when the section has none
  bool transactional = true;  // false: -- bru:transaction off (statement by statement)
  std::string file;         // the file holding the section
  int line = 0;             // line of its -- bru:version marker; 1 for a V<version>__ file
  std::string checksum;     // section_checksum of the body as written
  std::vector<schema::Statement> statements;  // placeholders replaced; may be empty
  // section_checksum of each statement's text as written (before placeholders), in order: what
  // a resumed section compares the statements an earlier run already ran with.
  std::vector<std::string> statement_checksums;

  // How messages name it: "version 1.2", "repeatable views", "undo of version 1.2".
  std::string label() const;
};

struct Script {
  std::string source;   // the file or folder it was read from
  std::string dialect;  // one of schema::script_dialects()
  std::vector<Section> sections;     // versioned; at least one; versions strictly increasing
  std::vector<Section> repeatables;  // in file (folder: name) order; names unique
  std::vector<Section> undos;        // each for a version of `sections`; versions unique

  // The section with exactly this version (8.5 finds 8.5.0), or nullptr.
  const Section* find(const Version& version) const;
  // The undo section of this version, or nullptr.
  const Section* find_undo(const Version& version) const;
  // Sections newer than current (all when nullopt), up to and including target (all when
  // nullopt), in order.
  std::vector<const Section*> pending(const std::optional<Version>& current,
                                      const std::optional<Version>& target) const;
};

// Reads a script file, or a folder of V<version>__<description>.sql files. Throws
// bru::Error(kNotFound) when path does not exist, kIo when it cannot be read, kUsage for an
// unknown dialect, kScript for anything wrong in the script (message starts "<file>:<line>: "
// when a line is to blame).
Script load_script(const std::filesystem::path& path, std::string_view dialect,
                   const Defines& defines);

// parse_script on text already read; file_name is used in messages and Statement::file.
Script parse_script(std::string_view text, std::string_view file_name, std::string_view dialect,
                    const Defines& defines);

// 16 lower-case hex digits: XXH3-64 of the body with a leading byte order mark dropped, CRLF read
// as LF, blanks (space, tab, CR, FF, VT) at the end of each line removed, and blank lines at the
// start and end removed. Any other change — a character, a line's indentation, an inner blank
// line — changes it.
std::string section_checksum(std::string_view body);

// Throws bru::Error(kScript, "<file>:<line>: <STATEMENT> in <section label>: ...") at the first
// statement that would break how bru runs its section (every section of every kind):
//  * a section run in one transaction (transactional_ddl engines — PostgreSQL, SQLite, SQL
//    Server — unless `-- bru:transaction off`): a statement that would end or open it — COMMIT,
//    ROLLBACK (not ROLLBACK TO a savepoint), END, BEGIN, START TRANSACTION, SET AUTOCOMMIT,
//    PostgreSQL ABORT; on SQL Server BEGIN TRAN[SACTION], BEGIN DISTRIBUTED, COMMIT, ROLLBACK
//    (not ROLLBACK TRAN <savepoint>) and SET IMPLICIT_TRANSACTIONS;
//  * a section run statement by statement (MariaDB, Oracle, `transaction off`): a statement that
//    would open a transaction or turn autocommit off, so that statements bru records as done
//    could still be rolled back — BEGIN [WORK] (not MariaDB BEGIN NOT ATOMIC), START
//    TRANSACTION, SET AUTOCOMMIT (also SET @@autocommit, SET SESSION autocommit), XA START;
//    Oracle SET TRANSACTION; SQL Server BEGIN TRAN[SACTION], BEGIN DISTRIBUTED and SET
//    IMPLICIT_TRANSACTIONS. COMMIT and ROLLBACK are allowed there (autocommit: nothing to end).
// Looks at how each statement (batch) begins: a CREATE PROCEDURE whose body commits is allowed,
// as is a COMMIT later inside a SQL Server batch (not detected).
void refuse_transaction_control(const Script& script, bool transactional_ddl);

// text with every {{name}} replaced from defines. Throws bru::Error(kScript,
// "<file>:<line>: placeholder {{name}} is not defined", hint "pass -DEFINE name=value"), where
// line is first_line plus the line of the placeholder within text.
std::string replace_placeholders(std::string_view text, const Defines& defines,
                                 std::string_view file_name, int first_line);

}  // namespace bru::update

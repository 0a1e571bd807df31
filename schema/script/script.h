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
//    version order. Other *.sql files are an error (R__ repeatable and U undo migrations are not
//    supported, and silently skipping them would be worse); other files and sub-folders are
//    ignored.
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

struct Section {
  Version version;
  std::string description;  // "" when the section has none
  std::string file;         // the file holding the section
  int line = 0;             // line of its -- bru:version marker; 1 for a V<version>__ file
  std::string checksum;     // section_checksum of the body as written
  std::vector<schema::Statement> statements;  // placeholders replaced; may be empty
};

struct Script {
  std::string source;   // the file or folder it was read from
  std::string dialect;  // one of schema::script_dialects()
  std::vector<Section> sections;  // at least one; versions strictly increasing

  // The section with exactly this version (8.5 finds 8.5.0), or nullptr.
  const Section* find(const Version& version) const;
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

// For engines that run each section in one transaction (PostgreSQL, SQLite, SQL Server): throws
// bru::Error(kScript, "<file>:<line>: <STATEMENT> in version v: ...") at the first statement
// that would end or open a transaction — COMMIT, ROLLBACK (not ROLLBACK TO a savepoint), END,
// BEGIN, START TRANSACTION, SET AUTOCOMMIT, PostgreSQL ABORT; on SQL Server BEGIN TRAN[SACTION],
// BEGIN DISTRIBUTED, COMMIT, ROLLBACK (not ROLLBACK TRAN <savepoint>) and SET
// IMPLICIT_TRANSACTIONS. Looks at how each statement (batch) begins: a CREATE PROCEDURE whose
// body commits is allowed, as is a COMMIT later inside a SQL Server batch (not detected).
void refuse_transaction_control(const Script& script);

// text with every {{name}} replaced from defines. Throws bru::Error(kScript,
// "<file>:<line>: placeholder {{name}} is not defined", hint "pass -DEFINE name=value"), where
// line is first_line plus the line of the placeholder within text.
std::string replace_placeholders(std::string_view text, const Defines& defines,
                                 std::string_view file_name, int first_line);

}  // namespace bru::update

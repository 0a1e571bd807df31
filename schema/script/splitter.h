// Splitting an update script into the units bru sends to the server, one set of rules per engine
// (DESIGN §6, issue 3). Pure text processing: no database, no file system.
//
// The unit is a *statement* everywhere except SQL Server, where it is a *batch* (the text between
// `GO` lines, which may hold several T-SQL statements). The rules, per dialect name:
//
//   postgres  `;` ends a statement outside '…' ('' escape), E'…' (backslash escapes; the E must
//             start a word, so DATE'…' is a plain string), "…", $$…$$ and $tag$…$tag$ (a `$` that
//             continues an identifier, as in a$b$, opens nothing), -- and nested /* */ comments,
//             and outside parentheses (CREATE RULE … DO (…; …)) and BEGIN ATOMIC … END bodies of
//             CREATE FUNCTION/PROCEDURE.
//   mssql     a batch ends at a line holding only `GO` (any case), optionally followed by a count
//             (`GO 5`: run the batch 5 times) and a `-- comment`. GO inside '…' / N'…', "…",
//             […] (]] escape), nested /* */ comments, or inside a longer name (c.LOGO) is text.
//             `;` does not end a batch and stays in its text. A batch of only `;` and comments is
//             dropped.
//   oracle    `;` ends a plain statement. A PL/SQL unit — CREATE [OR REPLACE]
//             [EDITIONABLE|NONEDITIONABLE] PROCEDURE|FUNCTION|PACKAGE [BODY]|TRIGGER|TYPE [BODY],
//             or an anonymous block starting with BEGIN or DECLARE — keeps its `;`s and runs to a
//             line holding only `/` (leading/trailing blanks allowed). A `/` line also ends a plain
//             statement; a `/` with nothing before it is ignored (it does not re-run anything,
//             unlike SQL*Plus). `a/b`, `j /` at the end of a line and a line `/ 2` are division.
//             Quotes: '…', q'[…]' (also {}, (), <> or any repeated character; nq'…' too), "…";
//             -- and /* */ comments (not nested).
//   sqlite    `;` outside '…', "…", `…`, […], -- and /* */ comments; a CREATE TRIGGER body
//             (BEGIN … END, CASE … END inside) keeps its `;`s.
//   mariadb   `;` outside '…' and "…" (backslash escapes and doubling), `…`, -- (followed by a
//             blank), # and /* */ comments. `DELIMITER <d>` on a line of its own, between
//             statements, makes <d> the terminator until `DELIMITER ;`. With the `;` delimiter,
//             BEGIN … END (and CASE … END) inside CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT and
//             BEGIN NOT ATOMIC blocks keep their `;`s. /*! … */ and /*M! … */ are executable and
//             count as a statement of their own.
//
// Common to all: CRLF and LF split identically (text is normalised to LF; a UTF-8 byte order mark
// is dropped). A statement's text is trimmed, without its terminator (`;`, the GO line, the `/`
// line, the DELIMITER string) and without the comments and blank lines before its first token;
// comments inside it are kept. Its line and column are those of its first token. Statements with
// no tokens (only comments or terminators) are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/statement.h"

namespace bru::schema {

// The dialect names split_statements accepts, in the order they are listed in messages: every
// engine of the registry (schema/engines/registry.h).
const std::vector<std::string_view>& script_dialects();

// Splits text (a whole file, or part of one starting at line first_line of file_name) into
// statements by the rules of the dialect ("postgres", "mssql", "oracle", "sqlite", "mariadb"),
// which its engine gives (Dialect::split_script).
// Throws bru::Error(kUsage) for an unknown dialect, and bru::Error(kScript,
// "<file>:<line>: unterminated <what> starting here") with a hint when a string, quoted name,
// comment or dollar quote is still open at the end of text; kScript also for a bad `GO <count>`
// or a DELIMITER line without a delimiter. Thread-safe (no shared state).
std::vector<Statement> split_statements(std::string_view dialect, std::string_view text,
                                        std::string_view file_name, int first_line = 1);

// The text with a leading UTF-8 byte order mark removed and every CRLF turned into LF. A lone CR
// is kept (it is blank space to every splitter). Used by the splitter and the script reader.
std::string normalise_line_endings(std::string_view text);

}  // namespace bru::schema

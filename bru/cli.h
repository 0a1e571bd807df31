// The command line: BRU-style switches (-BACKUP -DB "..." -FILE x.db, any case) and the usual
// long forms (--backup --db ... --file ...). Parses, then dispatches to one command.
#pragma once

#include <string>
#include <vector>

namespace bru::cli {

// Runs bru with the given arguments; returns the process exit code (0, or an ErrorKind value).
// Errors are printed to stderr as "error: ..." plus "hint: ..." lines.
int run(int argc, char** argv);

// Rewrites BRU-style switches into long options: "-BACKUP" -> "--backup", "-Password-File" ->
// "--password-file", "--DB" -> "--db". Values (anything that does not name a known option) are
// left alone. Exposed for tests.
std::vector<std::string> normalise_arguments(const std::vector<std::string>& args,
                                             const std::vector<std::string>& known_options);

}  // namespace bru::cli

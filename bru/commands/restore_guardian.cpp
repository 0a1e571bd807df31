#include "bru/commands/restore_guardian.h"

#include <cstdio>

#include "schema/error.h"

namespace bru::commands {

RestoreGuardian::RestoreGuardian(const cli::Options& options, Undo undo)
    : guardian_("restore", [&options, undo = std::move(undo)] {
        // bru died with the restore half done: the parent's connection belongs to it, so a
        // connection of our own.
        try {
          auto database = connect_database(options, /*create_sqlite_file=*/false);
          const auto done = undo(database);
          std::fprintf(stderr, "bru: the restore was killed; its guardian %s\n", done.c_str());
          return 0;
        } catch (const Error& error) {
          std::fprintf(stderr,
                       "bru: the restore was killed and its guardian could not undo it: %s\n",
                       error.message().c_str());
          for (const auto& hint : error.hints()) std::fprintf(stderr, "hint: %s\n", hint.c_str());
        } catch (...) {
          std::fprintf(stderr,
                       "bru: the restore was killed and its guardian could not undo it\n"
                       "hint: drop the database and create it again before the next restore\n");
        }
        return 1;
      }) {}

}  // namespace bru::commands

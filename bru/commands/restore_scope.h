// What a restore takes from the archive: with -TABLES / -EXCLUDE, the selected tables, what they
// need, and the other entries of the table of contents that need nothing left out.
//
//   - A partitioned table brings its partitions (-EXCLUDE of it leaves them out too).
//   - Every entry a selected table depends on comes along, and what that depends on, the closure
//     over the table of contents' depends: types, domains, sequences, functions used in defaults
//     and checks, the partitioned table a partition belongs to. When that closure reaches a table
//     not selected, the restore is refused (kUsage) naming the chain.
//   - Every other entry comes along when all it depends on is restored: schemas, extensions,
//     functions, views on the selected tables, their triggers, indexes, comments, owners, grants
//     and sequence positions; the rest is left out, as a backup with the same -TABLES would have
//     left it out. Each object left out that is not simply a part of a table not restored is named
//     in an "object-left-out" warning.
//   - A foreign key of a selected table to a table not restored is left out and named in a
//     "foreign-key-left-out" warning, so the restore neither fails on it nor drops it silently.
//   - With -DATA-ONLY (into a database that may be in use) only the sequences the selected tables
//     own or use are set to the archive's positions.
// Without -TABLES and -EXCLUDE the scope is the whole archive.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "bru/log.h"
#include "bru/options.h"
#include "formats/archive.h"

namespace bru::commands {

struct RestoreScope {
  std::deque<archive::TableEntry> selected;         // copies, foreign keys left out as named
  std::vector<const archive::TableEntry*> tables;   // into `selected`, in archive order
  std::vector<archive::ObjectEntry> objects;        // in archive order
};

// The parts of a qualified name as the source engine's catalog prints it: shop.film,
// "Odd ""Name""".film (inside double quotes a doubled quote is one quote, a dot no separator).
std::vector<std::string> name_parts(std::string_view qualified);

// Throws Error(kNotFound) for a -TABLES name the archive does not hold, Error(kUsage) when a
// selected table needs a table that is not selected. Warns through log as described above; with
// -STRICT those warnings are one Error(kTypeMapping) instead.
RestoreScope restore_scope(const archive::ArchiveReader& reader, const cli::Options& options,
                           log::Log& log);

}  // namespace bru::commands

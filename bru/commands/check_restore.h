// -BACKUP -CHECK-RESTORE <conn>: the new archive is restored into a scratch database, verified
// as -RESTORE verifies (row counts and checksums read back), and undone, before the archive gets
// its final name. A check that fails deletes the archive: no archive ever claims a success that
// was not proven. A check that passes records "restore tested <UTC date> into <engine>" in the
// archive's bru_meta (restore_tested), covered by the table of contents' digest (and, encrypted,
// sealed and covered by its MAC).
#pragma once

#include <filesystem>
#include <string>

#include "bru/log.h"
#include "bru/options.h"

namespace bru::commands {

// Before the backup reads anything: connects to options.check_restore and throws kConflict when
// it holds a table or a schema object (a scratch database must be empty; bru never touches one
// that is not), kUsage/kConnect as -RESTORE would for its -DB.
void check_scratch_empty(const cli::Options& options);

// Restores the complete archive at `archive` (the backup's .partial file) into the scratch
// database, verifies it and undoes it. Returns the value to record: "restore tested <UTC date>
// into <engine>". Throws what -RESTORE throws, with a hint that the archive is not kept.
std::string check_restore(const cli::Options& options, const std::filesystem::path& archive,
                          log::Log& log);

}  // namespace bru::commands

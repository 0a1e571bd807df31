// The commands. Each entry function is a short script of named steps; it tells `log` what
// happened, returns the exit code (0) or throws bru::Error.
#pragma once

#include "bru/log.h"
#include "bru/options.h"

namespace bru::commands {

int backup(const cli::Options& options, log::Log& log);
int restore(const cli::Options& options, log::Log& log);
// How restore_archive() ends once the restore is verified: committed (-RESTORE), or undone
// (-CHECK-RESTORE: rolled back, or its tables dropped where DDL is not transactional) without a
// summary in the log.
enum class RestoreEnd { kCommit, kUndo };
int restore_archive(const cli::Options& options, log::Log& log, RestoreEnd end);
// -RESTORE -SQL: the restore as one script for -DIALECT (restore_sql.h).
int restore_sql(const cli::Options& options, log::Log& log);
int list(const cli::Options& options, log::Log& log);
int verify(const cli::Options& options, log::Log& log);
int update(const cli::Options& options, log::Log& log);
int get_version(const cli::Options& options, log::Log& log);
// -INFO: one row per version of the script or the history (bru/update/status.h states); -JSON
// prints one document instead. Changes nothing. Throws as -UPDATE does before it applies.
int info(const cli::Options& options, log::Log& log);
// -VALIDATE: Error(kConflict) listing every disagreement between script and history (see
// update::validate), else one line on stdout. Changes nothing.
int validate(const cli::Options& options, log::Log& log);
// -UNDO -TARGET v: runs the undo section of every version above v in the database, newest first,
// each as -UPDATE runs a section, recording an undo row; validates first. Throws before changing
// anything when one of them has no undo section (kScript) or is the baseline (kConflict).
int undo(const cli::Options& options, log::Log& log);
int baseline(const cli::Options& options, log::Log& log);
// -MIGRATE: the map's mappings from -FROM into -DB in slices, resumable; exit 14 when the
// -DURATION budget ends first. -MIGRATE -STATUS prints the progress.
int migrate(const cli::Options& options, log::Log& log);

}  // namespace bru::commands

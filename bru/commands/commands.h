// The commands. Each entry function is a short script of named steps; it tells `log` what
// happened, returns the exit code (0) or throws bru::Error.
#pragma once

#include "bru/log.h"
#include "bru/options.h"

namespace bru::commands {

int backup(const cli::Options& options, log::Log& log);
int restore(const cli::Options& options, log::Log& log);
int list(const cli::Options& options, log::Log& log);
int verify(const cli::Options& options, log::Log& log);
int update(const cli::Options& options, log::Log& log);
int get_version(const cli::Options& options, log::Log& log);
int baseline(const cli::Options& options, log::Log& log);

}  // namespace bru::commands

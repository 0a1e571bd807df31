// The commands. Each entry function is a short script of named steps; it returns the exit code
// (0) or throws bru::Error.
#pragma once

#include "bru/options.h"

namespace bru::commands {

int backup(const cli::Options& options);
int restore(const cli::Options& options);
int list(const cli::Options& options);
int verify(const cli::Options& options);
int update(const cli::Options& options);
int get_version(const cli::Options& options);
int baseline(const cli::Options& options);

}  // namespace bru::commands

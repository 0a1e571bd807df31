// The parsed command line, as the commands see it. bru/cli.cpp fills it; nothing else parses argv.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bru::cli {

enum class Command { kNone, kBackup, kRestore, kList, kVerify };

struct Options {
  Command command = Command::kNone;
  std::string db;                 // -DB: connection in bru's grammar (may hold a password)
  std::string file;               // -FILE: the archive
  std::string driver;             // -DRIVER: ODBC driver name override
  std::optional<std::string> password;  // from -PASSWORD-FILE or -PASSWORD-ENV
  int timeout_seconds = 15;       // -TIMEOUT: login timeout
  std::vector<std::string> schemas;   // -SCHEMA a,b
  std::vector<std::string> tables;    // -TABLES a,b
  std::vector<std::string> exclude;   // -EXCLUDE c
  int level = 1;                  // -LEVEL: zstd level
  bool force = false;             // -FORCE: replace an existing archive
  bool clean = false;             // -CLEAN: drop the tables a restore creates, first
  bool quiet = false;             // -QUIET: no progress
  bool no_verify = false;         // -NO-VERIFY: restore without reading the data back
  std::size_t chunk_bytes = 4u << 20;  // -CHUNK-MB: raw bytes per archive chunk
};

}  // namespace bru::cli

// The parsed command line, as the commands see it. bru/cli.cpp fills it; nothing else parses argv.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bru/log.h"

namespace bru::cli {

enum class Command {
  kNone, kBackup, kRestore, kList, kVerify, kUpdate, kGetVersion, kBaseline, kInfo, kValidate,
  kUndo, kMigrate
};

struct Options {
  Command command = Command::kNone;
  std::string db;                 // -DB: connection in bru's grammar (may hold a password)
  std::string file;               // -FILE: the archive
  std::string driver;             // -DRIVER: ODBC driver name override
  std::optional<std::string> password;  // from -PASSWORD-FILE or -PASSWORD-ENV
  std::optional<std::string> key;       // from -KEY-FILE or -KEY-ENV: the archive passphrase
  int timeout_seconds = 15;       // -TIMEOUT: login timeout
  std::vector<std::string> schemas;   // -SCHEMA a,b
  std::vector<std::string> tables;    // -TABLES a,b
  std::vector<std::string> exclude;   // -EXCLUDE c
  int level = 1;                  // -LEVEL: zstd level
  bool force = false;             // -FORCE: replace an existing archive
  bool clean = false;             // -CLEAN: drop the tables a restore creates, first
  bool quiet = false;             // -QUIET: no progress
  log::Format log_format = log::Format::kText;  // -LOG-FORMAT text|json: how events look
  bool json = false;              // -JSON: -LIST / -GETVERSION print one JSON document
  bool no_verify = false;         // -NO-VERIFY: restore without reading the data back
  std::string bulk = "auto";      // -BULK auto|odbc: the restore's load path
  // -THREADS n (alias -JOBS n): a backup reads with n sessions sharing one snapshot
  // (bru/commands/backup.cpp; 0 = not given: one); a restore into PostgreSQL loads, indexes and
  // verifies with n sessions (bru/commands/restore_parallel.h); 0 = not given
  // (kDefaultRestoreThreads, or one session where a parallel restore does not apply).
  int threads = 0;
  bool verbose = false;           // -VERBOSE: -LIST shows each entry's DDL
  bool no_owner = false;          // -NO-OWNER: restore without the archive's owners
  bool no_privileges = false;     // -NO-PRIVILEGES: restore without the archive's grants
  bool schema_only = false;       // -SCHEMA-ONLY: restore every object, no rows
  bool data_only = false;         // -DATA-ONLY: restore the rows into existing tables of the same shape
  // -REMAP-SCHEMA old:new (several): restore what the archive holds in schema old into new.
  std::vector<std::pair<std::string, std::string>> remap_schemas;
  bool skip_unportable = false;   // -SKIP-UNPORTABLE: restore into another engine without what it cannot hold
  bool zero_dates_null = false;   // -ZERO-DATES null: MariaDB's zero dates restored as NULL into other engines
  std::string sql;                // -SQL <file>: -RESTORE writes the restore as a script for -DIALECT
  std::string check_restore;       // -CHECK-RESTORE <conn>: backup: restore into this empty scratch database, verify, undo
  bool strict = false;            // -STRICT: a warning (something not carried) is an error
  std::size_t chunk_bytes = 4u << 20;  // -CHUNK-MB: raw bytes per archive chunk
  // The update commands (-UPDATE, -GETVERSION, -BASELINE <v>).
  std::string script;             // -SCRIPT: a script file or a folder of V<v>__<d>.sql files
  std::string target;             // -TARGET: stop after this version ("" = the last)
  std::string baseline;           // -BASELINE <v>: the version to mark the database as being at
  std::string dialect;            // -DIALECT: the script's dialect for an offline -DRYRUN
  std::map<std::string, std::string, std::less<>> defines;  // -DEFINE name=value
  int lock_wait_seconds = 60;     // -LOCKWAIT: how long to wait for another update's lock
  bool repair = false;            // -REPAIR: accept changed checksums of applied sections
  bool dry_run = false;           // -DRYRUN: print the plan, change nothing
  bool out_of_order = false;      // -OUTOFORDER: also apply pending sections below the current version
  // -MIGRATE (bru/commands/migrate.cpp).
  std::string from;               // -FROM: the old database (may hold a password)
  std::string map;                // -MAP: the migration map ("" = the WFM 6.5 -> 8.5 map)
  std::string step = "all";       // -STEP base|performance|all
  int slice_rows = 50000;         // -SLICE: source rows per target transaction, 10..50000
  int duration_minutes = 0;       // -DURATION: time budget in minutes, 1..34560 (0 = none)
  bool status = false;            // -STATUS: print the progress, move nothing
};

}  // namespace bru::cli

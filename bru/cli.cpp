#include "bru/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "bru/commands/commands.h"
#include "bru/commands/database.h"
#include "bru/data/sqlite_pieces.h"
#include "bru/interrupt.h"
#include "bru/log.h"
#include "bru/options.h"
#include "schema/error.h"
#include "schema/text.h"

namespace po = boost::program_options;

namespace bru::cli {
namespace {

constexpr const char* kUsage =
    "usage: bru -BACKUP  -DB <conn> -FILE <archive> [-TABLES a,b] [-EXCLUDE c] [-SCHEMA s]\n"
    "                    [-KEY-FILE f | -KEY-ENV VAR]   (encrypts; -RESTORE, -LIST, -VERIFY take it too)\n"
    "       bru -RESTORE -DB <conn> -FILE <archive> [-CLEAN] [-TABLES a,b] [-EXCLUDE c]\n"
    "       bru -RESTORE -FILE <archive> -SQL <out.sql> -DIALECT <name> [-FORCE]   (a script, no -DB)\n"
    "       bru -LIST    -FILE <archive>\n"
    "       bru -VERIFY  -FILE <archive>\n"
    "       bru -UPDATE  -DB <conn> -SCRIPT <file|folder> [-TARGET v] [-DEFINE k=v] [-LOCKWAIT s]\n"
    "                    [-REPAIR] [-OUTOFORDER] [-DRYRUN]   (offline: -DIALECT <name> -DRYRUN, no -DB)\n"
    "       bru -INFO     -DB <conn> -SCRIPT <file|folder> [-JSON]\n"
    "       bru -VALIDATE -DB <conn> -SCRIPT <file|folder> [-OUTOFORDER]\n"
    "       bru -UNDO     -DB <conn> -SCRIPT <file|folder> -TARGET v [-DRYRUN] [-LOCKWAIT s]\n"
    "                    [-REPAIR]   (offline: -DIALECT <name> -DRYRUN, no -DB)\n"
    "       bru -GETVERSION -DB <conn>\n"
    "       bru -BASELINE <version> -DB <conn>\n"
    "       bru -MIGRATE -FROM <old conn> -DB <new conn> [-MAP f] [-STEP base|performance|all]\n"
    "                    [-SLICE rows] [-DURATION minutes]     bru -MIGRATE -STATUS -DB <conn> [-FROM c]\n"
    "\n"
    "<conn>: postgres;<server[:port]>;<database>;<user>;<password>\n"
    "        mariadb;<server[:port]>;<database>;<user>;<password>\n"
    "        mssql;<server>;<database>;<user>;<password>    oracle;<database>;<user>;<password>\n"
    "        sqlite;<file>                                  odbc;<ODBC connection string or DSN=...>\n"
    "Switches are case-insensitive; --backup, --db ... work too.\n";

// The exit codes --help lists, one per ErrorKind (the kind's value is the exit code), with what
// a script calling bru should read into each.
struct ExitCodeLine {
  ErrorKind kind;
  const char* meaning;
};
constexpr ExitCodeLine kExitCodes[] = {
    {ErrorKind::kUsage, "bad command line or connection string"},
    {ErrorKind::kConnect, "cannot reach the server, log in or stay connected"},
    {ErrorKind::kDatabase, "a statement failed on the server"},
    {ErrorKind::kArchiveCorrupt, "not an archive, incomplete, truncated, checksum mismatch"},
    {ErrorKind::kArchiveVersion, "archive written by a newer format version"},
    {ErrorKind::kIo, "cannot read, write, sync or rename a file; disk full"},
    {ErrorKind::kVerify, "restored data does not match the archive (nothing committed)"},
    {ErrorKind::kScript, "an update script cannot be parsed"},
    {ErrorKind::kConflict, "refusing to overwrite: existing archive, non-empty target, lock"},
    {ErrorKind::kTypeMapping, "a value or type cannot be represented in the target"},
    {ErrorKind::kInterrupted, "stopped by SIGINT/SIGTERM; nothing partial kept"},
    {ErrorKind::kNotFound, "a named table, file or version does not exist"},
    {ErrorKind::kIncomplete, "-MIGRATE used its -DURATION budget: run it again"},
    {ErrorKind::kInternal, "a bug in bru"},
};

// Which variables bru reads, and which driver variables still apply: bru passes host, port,
// database and user itself, but a password only when it has one, so the drivers' own password
// fallbacks stay in force (measured with psqlODBC 13.02 / libpq 15 and Connector/ODBC 3.1.15).
constexpr const char* kEnvironment =
    "environment:\n"
    "  BRU_PASSWORD  the password when neither -DB, -PASSWORD-FILE nor -PASSWORD-ENV gives one\n"
    "  USER          SQLite -UPDATE: the name recorded as installed_by\n"
    "  No variable gives an archive key by itself: -KEY-ENV <name> names the one to read.\n"
    "  When bru has no password at all, the driver's own fallbacks apply (bru leaves them alone):\n"
    "  PGPASSWORD, PGPASSFILE (default ~/.pgpass)  postgres, read by libpq\n"
    "  MYSQL_PWD                                   mariadb, read by Connector/C\n"
    "  PGHOST, PGPORT, PGDATABASE, PGUSER, MYSQL_HOST, MYSQL_TCP_PORT are never used: -DB names\n"
    "  host, port, database and user.\n";

// --help: the usage lines, every option, the exit codes, the environment.
void print_help(const po::options_description& table) {
  std::cout << kUsage << '\n' << table << "\nexit codes:\n  0   success\n";
  for (const auto& line : kExitCodes) {
    std::cout << fmt::format("  {:<3} {:<16} {}\n", static_cast<int>(line.kind),
                             error_kind_name(line.kind), line.meaning);
  }
  std::cout << '\n' << kEnvironment;
}

// The commands by their long option names (also their names in the log).
constexpr std::pair<const char*, Command> kCommands[] = {
    {"backup", Command::kBackup}, {"restore", Command::kRestore},
    {"list", Command::kList},     {"verify", Command::kVerify},
    {"update", Command::kUpdate}, {"getversion", Command::kGetVersion},
    {"baseline", Command::kBaseline}, {"info", Command::kInfo},
    {"validate", Command::kValidate}, {"undo", Command::kUndo},
    {"migrate", Command::kMigrate}};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::vector<std::string> split_lists(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const auto& value : values) {
    auto parts = split_list(value);
    items.insert(items.end(), parts.begin(), parts.end());
  }
  return items;
}

// A secret bru reads from a file: a password (-PASSWORD-FILE, its first line) or an archive
// passphrase (-KEY-FILE, the whole file but one final line break, so that a key of random bytes
// may hold any byte).
struct SecretFile {
  const char* what;    // "password", "key"
  const char* option;  // "-PASSWORD-FILE"
  const char* holds;   // "the password on its first line"
  bool first_line_only;
};
constexpr SecretFile kPasswordFile{"password", "-PASSWORD-FILE", "the password on its first line",
                                   true};
constexpr SecretFile kKeyFile{"key", "-KEY-FILE", "the archive's passphrase", false};

// A folder, a file bru cannot read and an empty secret are errors: connecting with an empty
// password (or encrypting with an empty key) instead would only fail later, or not at all.
std::string read_secret_file(const std::string& path, const SecretFile& kind) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    throw Error(ErrorKind::kUsage, fmt::format("{} file \"{}\" is a folder", kind.what, path))
        .with_hint(fmt::format("give {} the file that holds {}", kind.option, kind.holds));
  }
  const std::string read_hint =
      fmt::format("check the path given to {} and that bru may read it", kind.option);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw Error(ErrorKind::kUsage, fmt::format("cannot read {} file \"{}\": {}", kind.what, path,
                                               std::strerror(errno)))
        .with_hint(read_hint);
  }
  std::string secret;
  int ch = 0;
  while ((ch = std::fgetc(file)) != EOF && (ch != '\n' || !kind.first_line_only)) {
    secret.push_back(static_cast<char>(ch));
  }
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) {
    throw Error(ErrorKind::kUsage, fmt::format("cannot read {} file \"{}\": {}", kind.what, path,
                                               std::strerror(read_errno)))
        .with_hint(read_hint);
  }
  if (!kind.first_line_only && !secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) {
    if (kind.first_line_only) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("password file \"{}\" has an empty first line", path))
          .with_hint("write the password on the file's first line (a trailing newline is fine)");
    }
    throw Error(ErrorKind::kUsage, fmt::format("key file \"{}\" is empty", path))
        .with_hint("write the archive's passphrase into it (a trailing newline is fine)");
  }
  return secret;
}

// The value of the variable -PASSWORD-ENV or -KEY-ENV names; an unset one is an error.
std::string read_secret_env(const std::string& name, const char* option, const char* instead) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    throw Error(ErrorKind::kUsage,
                fmt::format("environment variable \"{}\" ({}) is not set", name, option))
        .with_hint(fmt::format("export it before running bru, or use {}", instead));
  }
  return value;
}

// -KEY-FILE / -KEY-ENV: the passphrase of an encrypted archive, for the archive commands only.
void read_key_options(const po::variables_map& values, Options& options) {
  const bool from_file = values.count("key-file") > 0;
  const bool from_env = values.count("key-env") > 0;
  if (!from_file && !from_env) return;
  if (from_file && from_env) {
    throw Error(ErrorKind::kUsage, "-KEY-FILE and -KEY-ENV both give the archive key")
        .with_hint("give one of them");
  }
  if (options.command != Command::kBackup && options.command != Command::kRestore &&
      options.command != Command::kList && options.command != Command::kVerify) {
    throw Error(ErrorKind::kUsage, "-KEY-FILE and -KEY-ENV apply to -BACKUP, -RESTORE, -LIST and "
                                   "-VERIFY only")
        .with_hint("they give the passphrase of an encrypted archive");
  }
  options.key = from_file ? read_secret_file(values["key-file"].as<std::string>(), kKeyFile)
                          : read_secret_env(values["key-env"].as<std::string>(), "-KEY-ENV",
                                            "-KEY-FILE");
  if (options.key->empty()) {
    throw Error(ErrorKind::kUsage, fmt::format("environment variable \"{}\" (-KEY-ENV) is empty",
                                               values["key-env"].as<std::string>()))
        .with_hint("set it to the archive's passphrase");
  }
}

// -THREADS n / -JOBS n (one of the two): a backup's or a restore's sessions, 1 to 64.
void read_threads_option(const po::variables_map& values, Options& options) {
  if (values.count("threads") && values.count("jobs")) {
    throw Error(ErrorKind::kUsage, "-THREADS and -JOBS are the same option: give one")
        .with_hint("-JOBS n is another name of -THREADS n, as pg_restore's -j");
  }
  const char* name = values.count("jobs") ? "jobs" : "threads";
  if (values.count(name) == 0) return;
  const int threads = values[name].as<int>();
  const auto given = "-" + schema::to_upper(name);
  if (options.command != Command::kRestore && options.command != Command::kBackup) {
    throw Error(ErrorKind::kUsage, fmt::format("{} applies to -BACKUP and -RESTORE only", given))
        .with_hint("it is the number of sessions that read (backup) or load (restore)");
  }
  if (threads < 1 || threads > 64) {
    throw Error(ErrorKind::kUsage, fmt::format("{} {} is out of range", given, threads))
        .with_hint(options.command == Command::kBackup
                       ? "use 1 (the default: one session) to 64 sessions sharing one snapshot"
                       : "use 1 (one transaction) to 64 sessions; the default is 2");
  }
  options.threads = threads;
}

// -SCHEMA-ONLY and -DATA-ONLY: each a part of a restore; together, on another command or with
// -CLEAN they would be ignored, so they are refused.
void read_restore_part_options(const po::variables_map& values, Options& options) {
  // What only a restore does with its target: on another command it would be ignored.
  for (const char* name : {"clean", "no-verify", "no-owner", "no-privileges", "skip-unportable"}) {
    if (values.count(name) == 0 || options.command == Command::kRestore) continue;
    throw Error(ErrorKind::kUsage,
                fmt::format("-{} applies to -RESTORE only", schema::to_upper(name)))
        .with_hint("it says how a restore treats its target; leave it out here");
  }
  options.schema_only = values.count("schema-only") > 0;
  options.data_only = values.count("data-only") > 0;
  if (!options.schema_only && !options.data_only) return;
  const char* given = options.schema_only ? "-SCHEMA-ONLY" : "-DATA-ONLY";
  if (options.command != Command::kRestore) {
    throw Error(ErrorKind::kUsage, fmt::format("{} applies to -RESTORE only", given))
        .with_hint("a backup always holds every object and every row; choose the part at "
                   "restore: bru -RESTORE -SCHEMA-ONLY, then bru -RESTORE -DATA-ONLY");
  }
  if (options.schema_only && options.data_only) {
    throw Error(ErrorKind::kUsage, "-SCHEMA-ONLY and -DATA-ONLY exclude each other")
        .with_hint("give neither for a full restore, or run the two restores one after the "
                   "other: -SCHEMA-ONLY first, then -DATA-ONLY");
  }
  if (options.data_only && values.count("clean") > 0) {
    throw Error(ErrorKind::kUsage, "-DATA-ONLY cannot be combined with -CLEAN")
        .with_hint("-DATA-ONLY loads into the tables the target already has and drops nothing; "
                   "for a fresh copy use -CLEAN without -DATA-ONLY");
  }
}

// -ZERO-DATES error|null: restore only.
void read_zero_dates_option(const po::variables_map& values, Options& options) {
  if (!values.count("zero-dates")) return;
  if (options.command != Command::kRestore) {
    throw Error(ErrorKind::kUsage, "-ZERO-DATES applies to -RESTORE only")
        .with_hint("a backup keeps MariaDB's zero dates as they are; choose at restore what "
                   "another engine gets");
  }
  const auto choice = schema::to_lower(values["zero-dates"].as<std::string>());
  if (choice != "null" && choice != "error") {
    throw Error(ErrorKind::kUsage,
                fmt::format("-ZERO-DATES \"{}\" is not error or null",
                            values["zero-dates"].as<std::string>()))
        .with_hint("-ZERO-DATES null restores MariaDB's zero dates as NULL; error (the default) "
                   "refuses them, naming table, column and row");
  }
  options.zero_dates_null = choice == "null";
}

// -REMAP-SCHEMA old:new[,old2:new2]: restore only; -SCHEMA names the schemas a backup reads and
// is refused on a restore rather than ignored.
void read_remap_options(const po::variables_map& values, Options& options) {
  if (options.command == Command::kRestore && values.count("schema")) {
    throw Error(ErrorKind::kUsage, "-SCHEMA applies to -BACKUP only")
        .with_hint("to restore into another schema use -REMAP-SCHEMA old:new; to restore some "
                   "tables, -TABLES schema.table");
  }
  if (!values.count("remap-schema")) return;
  if (options.command != Command::kRestore) {
    throw Error(ErrorKind::kUsage, "-REMAP-SCHEMA applies to -RESTORE only")
        .with_hint("a backup keeps each schema's name; choose the target schema at restore");
  }
  for (const auto& pair : split_lists(values["remap-schema"].as<std::vector<std::string>>())) {
    const auto colon = pair.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size() ||
        pair.find(':', colon + 1) != std::string::npos) {
      throw Error(ErrorKind::kUsage, fmt::format("-REMAP-SCHEMA \"{}\" is not old:new", pair))
          .with_hint("e.g. -REMAP-SCHEMA shop:shop_copy restores schema shop as shop_copy");
    }
    const auto from = pair.substr(0, colon);
    for (const auto& [known, to] : options.remap_schemas) {
      if (known == from) {
        throw Error(ErrorKind::kUsage,
                    fmt::format("-REMAP-SCHEMA names schema \"{}\" twice", from))
            .with_hint("give each schema of the archive one new name");
      }
    }
    options.remap_schemas.emplace_back(from, pair.substr(colon + 1));
  }
}

po::options_description option_table() {
  // 100 columns, as the rest of --help; boost would wrap the descriptions at 80.
  po::options_description table("options", 100);
  table.add_options()
      ("help,h", "show this help")
      ("version,V", "print bru's version")
      ("backup", "back up a database into an archive")
      ("restore", "restore an archive into a database")
      ("list", "list the archive's table of contents")
      ("verify", "read and check every chunk of an archive")
      ("update", "apply the pending sections of an update script")
      ("getversion", "print the database's schema version (last line of stdout)")
      ("baseline", po::value<std::string>(), "mark a database bru never updated as being at <v>")
      ("info", "show each version of the script and the history: state, installed on, by, ms")
      ("validate", "check the script against the history; exit 10 listing each disagreement")
      ("undo", "run the undo sections of every version above -TARGET, newest first")
      ("db", po::value<std::string>(), "connection, bru grammar (see above)")
      ("file", po::value<std::string>(), "archive file (.DB)")
      ("driver", po::value<std::string>(), "ODBC driver (default: the engine's, via unixODBC)")
      ("password-file", po::value<std::string>(), "read the password from this file's first line")
      ("password-env", po::value<std::string>(), "read the password from this environment variable")
      ("key-file", po::value<std::string>(), "encrypt (backup) or open an archive with the "
                                             "passphrase in this file")
      ("key-env", po::value<std::string>(), "the same, from this environment variable")
      ("timeout", po::value<int>(), "login timeout in seconds (default 15)")
      ("schema", po::value<std::vector<std::string>>()->composing(),
       "backup: schemas to read (a,b; default all user schemas)")
      ("tables", po::value<std::vector<std::string>>()->composing(), "only these tables (a,b)")
      ("exclude", po::value<std::vector<std::string>>()->composing(), "all tables but these (c,d)")
      ("level", po::value<int>(), "zstd compression level, 1-19 (default 1)")
      ("chunk-mb", po::value<int>(), "raw MiB of rows per archive chunk (default 4)")
      ("force", "replace an existing archive")
      ("clean", "restore: drop the archive's tables (PostgreSQL: all its objects, never CASCADE) first")
      ("no-verify", "restore: skip reading the restored data back against the archive")
      ("bulk", po::value<std::string>(), "backup, restore: auto (default; PostgreSQL reads and loads "
                                         "with COPY through libpq, MariaDB loads with LOAD DATA "
                                         "LOCAL through libmariadb) or odbc (through ODBC only)")
      ("threads", po::value<int>(), "backup: read with n sessions sharing one snapshot (default "
                                    "1); restore into PostgreSQL: load, index and verify with n "
                                    "sessions (default 2; 1: one transaction)")
      ("jobs", po::value<int>(), "the same as -THREADS")
      ("verbose", "-LIST: also each table's and object's DDL")
      ("no-owner", "restore: leave out the archive's owners (the restoring user owns all)")
      ("no-privileges", "restore: leave out the archive's grants")
      ("schema-only", "restore: every object, no rows (sequences at their start)")
      ("data-only", "restore: only the rows, into existing tables of the same shape (PostgreSQL)")
      ("remap-schema", po::value<std::vector<std::string>>()->composing(),
       "restore: what the archive holds in schema old into schema new (old:new,...)")
      ("strict", "backup, restore: a warning (something not carried exactly) is an error, before "
                 "anything is written")
      ("check-restore", po::value<std::string>(), "backup: restore the new archive into this "
                                                  "empty scratch database, verify, undo, and "
                                                  "record \"restore tested\" in the archive")
      ("skip-unportable", "restore into another engine: leave out, and name, the objects it "
                          "cannot hold (views, functions, triggers, partitioning, ...)")
      ("zero-dates", po::value<std::string>(), "restore into an engine other than MariaDB: "
                                               "null makes MariaDB's zero dates (0000-00-00) "
                                               "NULL; default error (exit 11)")
      ("quiet", "no progress output (drawn only when stderr is a terminal)")
      ("log-format", po::value<std::string>(), "text (default) or json: one JSON object per line "
                                               "on stderr for every event")
      ("json", "-LIST, -GETVERSION, -INFO: print one JSON document on stdout")
      ("script", po::value<std::string>(), "update script file, or folder of V<v>__<d>.sql files")
      ("target", po::value<std::string>(), "update: stop after this version; undo: go back to it")
      ("define", po::value<std::vector<std::string>>()->composing(), "update: name=value for {{name}}")
      ("lockwait", po::value<int>(), "update: seconds to wait for another update's lock; backup: for each table's lock (default 60)")
      ("repair", "update: accept the changed checksums of applied sections")
      ("outoforder", "update, validate: apply pending sections older than the current version")
      ("dryrun", "update: print the plan and every pending statement, change nothing")
      ("dialect", po::value<std::string>(), "update -DRYRUN without -DB: the script's dialect; "
                                            "restore -SQL: the script's engine")
      ("sql", po::value<std::string>(), "restore: write the whole restore as one SQL script for "
                                        "-DIALECT into this file, connect to nothing")
      ("migrate", "move an old database (-FROM) into a new one (-DB) by a map, resumable")
      ("from", po::value<std::string>(), "migrate: the old database, bru grammar")
      ("map", po::value<std::string>(), "migrate: the map (default sql/wfm/remap-6.5-to-8.5.json)")
      ("step", po::value<std::string>(), "migrate: base, performance or all (default all)")
      ("slice", po::value<int>(), "migrate: source rows per transaction, 10-50000 (default 50000)")
      ("duration", po::value<int>(), "migrate: stop after this many minutes, 1-34560; exit 14")
      ("status", "migrate: print each mapping's progress, move nothing");
  return table;
}

std::vector<std::string> known_option_names(const po::options_description& table) {
  std::vector<std::string> names;
  for (const auto& option : table.options()) names.push_back(option->long_name());
  return names;
}

// -DEFINE name=value (several, or comma lists are NOT split: a value may hold a comma).
std::map<std::string, std::string, std::less<>> parse_defines(const std::vector<std::string>& items) {
  std::map<std::string, std::string, std::less<>> defines;
  for (const auto& item : items) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Error(ErrorKind::kUsage, fmt::format("-DEFINE \"{}\" is not name=value", item))
          .with_hint("e.g. -DEFINE schema=sales replaces {{schema}} in the script");
    }
    defines[item.substr(0, equals)] = item.substr(equals + 1);
  }
  return defines;
}

void read_update_options(const po::variables_map& values, Options& options) {
  if (values.count("script")) options.script = values["script"].as<std::string>();
  if (values.count("target")) options.target = values["target"].as<std::string>();
  if (values.count("baseline")) options.baseline = values["baseline"].as<std::string>();
  if (values.count("dialect")) options.dialect = values["dialect"].as<std::string>();
  if (values.count("define")) {
    options.defines = parse_defines(values["define"].as<std::vector<std::string>>());
  }
  if (values.count("lockwait")) {
    options.lock_wait_seconds = values["lockwait"].as<int>();
    if (options.lock_wait_seconds < 0) {
      throw Error(ErrorKind::kUsage, "-LOCKWAIT must be 0 or more seconds")
          .with_hint("0 gives up at once when another update holds the lock; the default is 60");
    }
  }
  options.repair = values.count("repair") > 0;
  options.dry_run = values.count("dryrun") > 0;
  options.out_of_order = values.count("outoforder") > 0;
}

void read_migrate_options(const po::variables_map& values, Options& options) {
  if (values.count("from")) options.from = values["from"].as<std::string>();
  if (values.count("map")) options.map = values["map"].as<std::string>();
  if (values.count("step")) {
    options.step = schema::to_lower(values["step"].as<std::string>());
    if (options.step != "base" && options.step != "performance" && options.step != "all") {
      throw Error(ErrorKind::kUsage, fmt::format("-STEP \"{}\" is not base, performance or all",
                                                 values["step"].as<std::string>()))
          .with_hint("-STEP base moves everything but performance data, -STEP performance the "
                     "performance data after it; all (the default) both");
    }
  }
  if (values.count("slice")) {
    options.slice_rows = values["slice"].as<int>();
    if (options.slice_rows < 10 || options.slice_rows > 50000) {
      throw Error(ErrorKind::kUsage, "-SLICE must be from 10 to 50000 rows")
          .with_hint("rows per transaction; the default, 50000, was the fastest measured (tools/bench/migrate.sh)");
    }
  }
  if (values.count("duration")) {
    options.duration_minutes = values["duration"].as<int>();
    if (options.duration_minutes < 1 || options.duration_minutes > 34560) {
      throw Error(ErrorKind::kUsage, "-DURATION must be from 1 to 34560 minutes (24 days)")
          .with_hint("leave -DURATION out to run until the migration is done");
    }
  }
  options.status = values.count("status") > 0;
}

void read_output_options(const po::variables_map& values, Options& options) {
  if (values.count("log-format")) {
    const auto word = values["log-format"].as<std::string>();
    const auto format = log::parse_format(schema::to_lower(word));
    if (!format) {
      throw Error(ErrorKind::kUsage, fmt::format("-LOG-FORMAT \"{}\" is not text or json", word))
          .with_hint("use -LOG-FORMAT json for one JSON object per line on stderr; text is the "
                     "default");
    }
    options.log_format = *format;
  }
  options.json = values.count("json") > 0;
  if (options.json && options.command != Command::kList &&
      options.command != Command::kGetVersion && options.command != Command::kInfo) {
    throw Error(ErrorKind::kUsage, "-JSON applies to -LIST, -GETVERSION and -INFO only")
        .with_hint("for the events of the other commands use -LOG-FORMAT json (JSON lines on "
                   "stderr)");
  }
}

// -RESTORE -SQL <file> -DIALECT <name>: the restore as a script, connecting to nothing.
void read_script_output_options(const po::variables_map& values, Options& options) {
  if (values.count("sql")) options.sql = values["sql"].as<std::string>();
  if (options.sql.empty()) return;
  if (options.command != Command::kRestore) {
    throw Error(ErrorKind::kUsage, "-SQL applies to -RESTORE only")
        .with_hint("bru -RESTORE -FILE x.DB -SQL out.sql -DIALECT <name> writes a restore as a "
                   "script");
  }
  if (options.no_verify) {
    throw Error(ErrorKind::kUsage, "-NO-VERIFY cannot be combined with -SQL")
        .with_hint("a script is not run by bru, so there is nothing to read back; bru checks "
                   "the archive's checksums while it writes the script");
  }
}

Options to_options(const po::variables_map& values) {
  Options options;
  int commands = 0;
  for (const auto& [name, command] : kCommands) {
    if (values.count(name)) {
      options.command = command;
      ++commands;
    }
  }
  if (commands != 1) {
    throw Error(ErrorKind::kUsage, commands == 0 ? "no command given"
                                                 : "more than one command given")
        .with_hint("give exactly one of -BACKUP, -RESTORE, -LIST, -VERIFY, -UPDATE, -INFO, "
                   "-VALIDATE, -UNDO, -GETVERSION, -BASELINE, -MIGRATE; bru --help lists them");
  }
  if (values.count("db")) options.db = values["db"].as<std::string>();
  if (values.count("file")) options.file = values["file"].as<std::string>();
  if (values.count("driver")) options.driver = values["driver"].as<std::string>();
  if (values.count("password-file")) {
    options.password =
        read_secret_file(values["password-file"].as<std::string>(), kPasswordFile);
  }
  if (values.count("password-env")) {
    options.password = read_secret_env(values["password-env"].as<std::string>(), "-PASSWORD-ENV",
                                       "-PASSWORD-FILE");
  }
  if (values.count("timeout")) options.timeout_seconds = values["timeout"].as<int>();
  if (values.count("schema")) options.schemas = split_lists(values["schema"].as<std::vector<std::string>>());
  if (values.count("tables")) options.tables = split_lists(values["tables"].as<std::vector<std::string>>());
  if (values.count("exclude")) options.exclude = split_lists(values["exclude"].as<std::vector<std::string>>());
  if (values.count("level")) {
    options.level = values["level"].as<int>();
    if (options.level < 1 || options.level > 19) {
      throw Error(ErrorKind::kUsage, fmt::format("-LEVEL {} is out of range", options.level))
          .with_hint("use a zstd level from 1 (fastest, the default) to 19 (smallest)");
    }
  }
  if (values.count("chunk-mb")) {
    const int chunk_mb = values["chunk-mb"].as<int>();
    if (chunk_mb < 1 || chunk_mb > 256) {
      throw Error(ErrorKind::kUsage, fmt::format("-CHUNK-MB {} is out of range", chunk_mb))
          .with_hint("use 1 to 256 (MiB of raw row data per chunk; default 4)");
    }
    options.chunk_bytes = static_cast<std::size_t>(chunk_mb) << 20;
  }
  options.force = values.count("force") > 0;
  options.clean = values.count("clean") > 0;
  options.quiet = values.count("quiet") > 0;
  options.no_verify = values.count("no-verify") > 0;
  if (values.count("bulk")) {
    options.bulk = schema::to_lower(values["bulk"].as<std::string>());
    if (options.bulk != "auto" && options.bulk != "odbc") {
      throw Error(ErrorKind::kUsage,
                  fmt::format("-BULK \"{}\" is not auto or odbc", values["bulk"].as<std::string>()))
          .with_hint("-BULK auto (the default) uses the engine's bulk path where bru has one "
                     "(PostgreSQL COPY, MariaDB LOAD DATA LOCAL); -BULK odbc forces multi-row "
                     "INSERTs through ODBC");
    }
  }
  read_threads_option(values, options);
  options.no_owner = values.count("no-owner") > 0;
  options.verbose = values.count("verbose") > 0;
  options.no_privileges = values.count("no-privileges") > 0;
  options.skip_unportable = values.count("skip-unportable") > 0;
  read_zero_dates_option(values, options);
  read_restore_part_options(values, options);
  read_remap_options(values, options);
  options.strict = values.count("strict") > 0;
  if (values.count("check-restore")) {
    options.check_restore = values["check-restore"].as<std::string>();
    if (options.command != Command::kBackup) {
      throw Error(ErrorKind::kUsage, "-CHECK-RESTORE applies to -BACKUP only")
          .with_hint("to test an existing archive, restore it into a scratch database with "
                     "-RESTORE (it is verified against the archive)");
    }
  }
  read_output_options(values, options);
  read_update_options(values, options);
  read_script_output_options(values, options);
  read_migrate_options(values, options);
  read_key_options(values, options);
  if (options.timeout_seconds < 1) {
    throw Error(ErrorKind::kUsage, "-TIMEOUT must be at least 1 second")
        .with_hint("give the seconds to wait for a login, e.g. -TIMEOUT 30 (the default is 15)");
  }
  return options;
}

void require(bool present, const char* what, const char* hint) {
  if (!present) throw Error(ErrorKind::kUsage, what).with_hint(hint);
}

// The command's name in the log ("backup", ...): its long option without the dashes.
std::string command_name(Command command) {
  for (const auto& [name, known] : kCommands) {
    if (known == command) return name;
  }
  return "";
}

// The -LOG-FORMAT given, looked for before the command line is parsed so that an error in it is
// already reported in the format asked for; text when absent or not a format (parsing says why).
log::Format requested_log_format(const std::vector<std::string>& normalised_args) {
  constexpr std::string_view kOption = "--log-format";
  for (std::size_t arg_idx = 0; arg_idx < normalised_args.size(); ++arg_idx) {
    const std::string_view arg = normalised_args[arg_idx];
    std::string_view word;
    if (arg == kOption && arg_idx + 1 < normalised_args.size()) {
      word = normalised_args[arg_idx + 1];
    } else if (arg.rfind(kOption, 0) == 0 && arg.size() > kOption.size() &&
               arg[kOption.size()] == '=') {
      word = arg.substr(kOption.size() + 1);
    } else {
      continue;
    }
    return log::parse_format(schema::to_lower(word)).value_or(log::Format::kText);
  }
  return log::Format::kText;
}

int dispatch(const Options& options, log::Log& log) {
  switch (options.command) {
    case Command::kBackup:
      require(!options.db.empty(), "-BACKUP needs -DB <conn>", "e.g. bru -BACKUP -DB \"sqlite;app.sqlite\" -FILE app.DB");
      require(!options.file.empty(), "-BACKUP needs -FILE <archive>", "e.g. bru -BACKUP -DB \"sqlite;app.sqlite\" -FILE app.DB");
      return commands::backup(options, log);
    case Command::kRestore:
      if (!options.sql.empty()) {
        require(options.db.empty(), "-RESTORE -SQL takes no -DB",
                "-SQL writes the restore as a script and connects to nothing; give -DB without "
                "-SQL to restore into that database");
        require(!options.dialect.empty(), "-RESTORE -SQL needs -DIALECT <name>",
                "e.g. bru -RESTORE -FILE app.DB -SQL app.sql -DIALECT postgres (sqlite, "
                "postgres, mariadb, mssql or oracle)");
        require(!options.file.empty(), "-RESTORE needs -FILE <archive>",
                "e.g. bru -RESTORE -FILE app.DB -SQL app.sql -DIALECT postgres");
        return commands::restore_sql(options, log);
      }
      require(options.dialect.empty(), "-DIALECT applies to -RESTORE only with -SQL",
              "a restore into -DB speaks the database's dialect; -SQL out.sql -DIALECT <name> "
              "writes a script instead");
      require(!options.db.empty(), "-RESTORE needs -DB <conn>", "e.g. bru -RESTORE -DB \"sqlite;new.sqlite\" -FILE app.DB");
      require(!options.file.empty(), "-RESTORE needs -FILE <archive>", "e.g. bru -RESTORE -DB \"sqlite;new.sqlite\" -FILE app.DB");
      return commands::restore(options, log);
    case Command::kList:
      require(!options.file.empty(), "-LIST needs -FILE <archive>", "e.g. bru -LIST -FILE app.DB");
      return commands::list(options, log);
    case Command::kVerify:
      require(!options.file.empty(), "-VERIFY needs -FILE <archive>", "e.g. bru -VERIFY -FILE app.DB");
      return commands::verify(options, log);
    case Command::kUpdate:
      require(!options.script.empty(), "-UPDATE needs -SCRIPT <file or folder>",
              "e.g. bru -UPDATE -DB \"sqlite;app.sqlite\" -SCRIPT update.sql");
      require(!options.db.empty() || (options.dry_run && !options.dialect.empty()),
              "-UPDATE needs -DB <conn> (or -DIALECT <name> with -DRYRUN)",
              "e.g. bru -UPDATE -DB \"sqlite;app.sqlite\" -SCRIPT update.sql, or bru -UPDATE "
              "-DIALECT postgres -SCRIPT update.sql -DRYRUN to list the statements offline");
      require(options.db.empty() || options.dialect.empty(),
              "-UPDATE takes -DB or -DIALECT, not both",
              "with -DB the dialect is the database's; -DIALECT is for an offline -DRYRUN");
      return commands::update(options, log);
    case Command::kGetVersion:
      require(!options.db.empty(), "-GETVERSION needs -DB <conn>",
              "e.g. bru -GETVERSION -DB \"sqlite;app.sqlite\"");
      return commands::get_version(options, log);
    case Command::kInfo:
      require(!options.db.empty() && !options.script.empty(), "-INFO needs -DB <conn> and -SCRIPT <file or folder>",
              "e.g. bru -INFO -DB \"sqlite;app.sqlite\" -SCRIPT update.sql");
      return commands::info(options, log);
    case Command::kValidate:
      require(!options.db.empty() && !options.script.empty(),
              "-VALIDATE needs -DB <conn> and -SCRIPT <file or folder>",
              "e.g. bru -VALIDATE -DB \"sqlite;app.sqlite\" -SCRIPT update.sql");
      return commands::validate(options, log);
    case Command::kUndo:
      require((!options.db.empty() || (options.dry_run && !options.dialect.empty())) &&
                  !options.script.empty() && !options.target.empty(),
              "-UNDO needs -DB <conn> (or -DIALECT <name> with -DRYRUN), -SCRIPT <file or "
              "folder> and -TARGET <version>",
              "e.g. bru -UNDO -DB \"sqlite;app.sqlite\" -SCRIPT update.sql -TARGET 8.5.200 takes "
              "back every version above 8.5.200");
      return commands::undo(options, log);
    case Command::kBaseline:
      require(!options.db.empty(), "-BASELINE needs -DB <conn>",
              "e.g. bru -BASELINE 8.5.200 -DB \"sqlite;app.sqlite\"");
      return commands::baseline(options, log);
    case Command::kMigrate:
      require(!options.db.empty(), "-MIGRATE needs -DB <new conn>",
              "e.g. bru -MIGRATE -FROM \"sqlite;wfm65.sqlite\" -DB \"sqlite;wfm85.sqlite\"");
      require(options.status || !options.from.empty(), "-MIGRATE needs -FROM <old conn>",
              "e.g. bru -MIGRATE -FROM \"sqlite;wfm65.sqlite\" -DB \"sqlite;wfm85.sqlite\"");
      return commands::migrate(options, log);
    case Command::kNone:
      break;
  }
  return static_cast<int>(ErrorKind::kUsage);
}

}  // namespace

std::vector<std::string> normalise_arguments(const std::vector<std::string>& args,
                                             const std::vector<std::string>& known_options) {
  std::vector<std::string> normalised;
  normalised.reserve(args.size());
  for (const auto& arg : args) {
    const auto dashes = arg.rfind("--", 0) == 0 ? 2u : (arg.rfind('-', 0) == 0 ? 1u : 0u);
    std::string name = arg.substr(dashes);
    std::string value_part;
    if (const auto equals = name.find('='); dashes == 2 && equals != std::string::npos) {
      value_part = name.substr(equals);
      name.resize(equals);
    }
    const std::string lower = schema::to_lower(name);
    const bool known = dashes > 0 && !name.empty() &&
                       std::find(known_options.begin(), known_options.end(), lower) != known_options.end();
    normalised.push_back(known ? "--" + lower + value_part : arg);
  }
  return normalised;
}

namespace {

// Parses and runs; every error goes to `log`, which is replaced by the one the options ask for
// once they are read.
int parse_and_dispatch(const po::options_description& table, const std::vector<std::string>& args,
                       std::unique_ptr<log::Log>& log) {
  try {
    po::variables_map values;
    try {
      po::store(po::command_line_parser(args).options(table).run(), values);
      po::notify(values);
    } catch (const po::error& parse_error) {
      throw Error(ErrorKind::kUsage, parse_error.what())
          .with_hint("bru --help lists the options");
    }
    if (values.count("help")) {
      print_help(table);
      return 0;
    }
    if (values.count("version")) {
      std::cout << "bru " << BRU_VERSION << '\n';
      return 0;
    }
    const auto options = to_options(values);
    log = log::make_log(options.log_format, options.quiet);
    log->start({.command = command_name(options.command),
                .target = commands::target_display(options),
                .file = options.file,
                .script = options.script});
    return dispatch(options, *log);
  } catch (const Error& error) {
    log->error(error);
    return error.exit_code();
  } catch (const std::exception& unexpected) {
    log->error(internal_error(fmt::format("unexpected failure: {}", unexpected.what())));
    return static_cast<int>(ErrorKind::kInternal);
  }
}

}  // namespace

int run(int argc, char** argv) {
  install_interrupt_handlers();
  // Before any connection: SQLite databases opened through sqliteodbc get bru's piece functions.
  data::register_sqlite_piece_functions();
  const auto table = option_table();
  const auto args =
      normalise_arguments(std::vector<std::string>(argv + 1, argv + argc), known_option_names(table));
  // Until the options are read, a log in the format asked for, for the errors found reading them.
  auto log = log::make_log(requested_log_format(args), /*quiet=*/false);
  const int exit_code = parse_and_dispatch(table, args, log);
  log->end(exit_code);
  return exit_code;
}

}  // namespace bru::cli

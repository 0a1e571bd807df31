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
#include "bru/interrupt.h"
#include "bru/options.h"
#include "schema/error.h"
#include "schema/text.h"

namespace po = boost::program_options;

namespace bru::cli {
namespace {

constexpr const char* kUsage =
    "usage: bru -BACKUP  -DB <conn> -FILE <archive> [-TABLES a,b] [-EXCLUDE c] [-SCHEMA s]\n"
    "       bru -RESTORE -DB <conn> -FILE <archive> [-CLEAN] [-TABLES a,b] [-EXCLUDE c]\n"
    "       bru -LIST    -FILE <archive>\n"
    "       bru -VERIFY  -FILE <archive>\n"
    "       bru -UPDATE  -DB <conn> -SCRIPT <file|folder> [-TARGET v] [-DEFINE k=v] [-LOCKWAIT s]\n"
    "                    [-REPAIR] [-DRYRUN]      (offline: -DIALECT <name> -DRYRUN instead of -DB)\n"
    "       bru -GETVERSION -DB <conn>\n"
    "       bru -BASELINE <version> -DB <conn>\n"
    "\n"
    "<conn>: postgres;<server[:port]>;<database>;<user>;<password>\n"
    "        mariadb;<server[:port]>;<database>;<user>;<password>\n"
    "        mssql;<server>;<database>;<user>;<password>    oracle;<database>;<user>;<password>\n"
    "        sqlite;<file>                                  odbc;<ODBC connection string or DSN=...>\n"
    "Switches are case-insensitive; --backup, --db ... work too. bru --help lists every option.\n";

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

// The first line of the file. A folder, a file bru cannot read and an empty file are errors:
// connecting with an empty password instead would only fail later, as a puzzling login error.
std::string read_password_file(const std::string& path) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    throw Error(ErrorKind::kUsage, fmt::format("password file \"{}\" is a folder", path))
        .with_hint("give -PASSWORD-FILE the file that holds the password on its first line");
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw Error(ErrorKind::kUsage,
                fmt::format("cannot read password file \"{}\": {}", path, std::strerror(errno)))
        .with_hint("check the path given to -PASSWORD-FILE and that bru may read it");
  }
  std::string password;
  int ch = 0;
  while ((ch = std::fgetc(file)) != EOF && ch != '\n') password.push_back(static_cast<char>(ch));
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) {
    throw Error(ErrorKind::kUsage, fmt::format("cannot read password file \"{}\": {}", path,
                                               std::strerror(read_errno)))
        .with_hint("check the path given to -PASSWORD-FILE and that bru may read it");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    throw Error(ErrorKind::kUsage,
                fmt::format("password file \"{}\" has an empty first line", path))
        .with_hint("write the password on the file's first line (a trailing newline is fine)");
  }
  return password;
}

po::options_description option_table() {
  po::options_description table("options");
  table.add_options()
      ("help,h", "show this help")
      ("version", "print bru's version")
      ("backup", "back up a database into an archive")
      ("restore", "restore an archive into a database")
      ("list", "list the archive's table of contents")
      ("verify", "read and check every chunk of an archive")
      ("update", "apply the pending sections of an update script")
      ("getversion", "print the database's schema version (last line of stdout)")
      ("baseline", po::value<std::string>(), "mark a database bru never updated as being at <v>")
      ("db", po::value<std::string>(), "connection, bru grammar (see above)")
      ("file", po::value<std::string>(), "archive file (.DB)")
      ("driver", po::value<std::string>(), "ODBC driver name to use instead of the one found")
      ("password-file", po::value<std::string>(), "read the password from this file's first line")
      ("password-env", po::value<std::string>(), "read the password from this environment variable")
      ("timeout", po::value<int>(), "login timeout in seconds (default 15)")
      ("schema", po::value<std::vector<std::string>>()->composing(), "schemas to back up (a,b)")
      ("tables", po::value<std::vector<std::string>>()->composing(), "only these tables (a,b)")
      ("exclude", po::value<std::vector<std::string>>()->composing(), "all tables but these (c,d)")
      ("level", po::value<int>(), "zstd compression level, 1-19 (default 1)")
      ("chunk-mb", po::value<int>(), "raw MiB of rows per archive chunk (default 4)")
      ("force", "replace an existing archive")
      ("clean", "restore: drop the tables about to be created first")
      ("no-verify", "restore: skip reading the restored data back against the archive")
      ("quiet", "no progress output")
      ("script", po::value<std::string>(), "update script file, or folder of V<v>__<d>.sql files")
      ("target", po::value<std::string>(), "update: stop after this version")
      ("define", po::value<std::vector<std::string>>()->composing(), "update: name=value for {{name}}")
      ("lockwait", po::value<int>(), "update: seconds to wait for another update's lock (default 60)")
      ("repair", "update: accept the changed checksums of applied sections")
      ("dryrun", "update: print the plan and every pending statement, change nothing")
      ("dialect", po::value<std::string>(), "update -DRYRUN without -DB: the script's dialect");
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
}

Options to_options(const po::variables_map& values) {
  Options options;
  int commands = 0;
  for (const auto& [name, command] :
       {std::pair{"backup", Command::kBackup}, std::pair{"restore", Command::kRestore},
        std::pair{"list", Command::kList}, std::pair{"verify", Command::kVerify},
        std::pair{"update", Command::kUpdate}, std::pair{"getversion", Command::kGetVersion},
        std::pair{"baseline", Command::kBaseline}}) {
    if (values.count(name)) {
      options.command = command;
      ++commands;
    }
  }
  if (commands != 1) {
    throw Error(ErrorKind::kUsage, commands == 0 ? "no command given"
                                                 : "more than one command given")
        .with_hint("give exactly one of -BACKUP, -RESTORE, -LIST, -VERIFY, -UPDATE, -GETVERSION, "
                   "-BASELINE; bru --help lists them");
  }
  if (values.count("db")) options.db = values["db"].as<std::string>();
  if (values.count("file")) options.file = values["file"].as<std::string>();
  if (values.count("driver")) options.driver = values["driver"].as<std::string>();
  if (values.count("password-file")) {
    options.password = read_password_file(values["password-file"].as<std::string>());
  }
  if (values.count("password-env")) {
    const auto name = values["password-env"].as<std::string>();
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("environment variable \"{}\" (-PASSWORD-ENV) is not set", name))
          .with_hint("export it before running bru, or use -PASSWORD-FILE");
    }
    options.password = value;
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
  read_update_options(values, options);
  if (options.timeout_seconds < 1) {
    throw Error(ErrorKind::kUsage, "-TIMEOUT must be at least 1 second")
        .with_hint("give the seconds to wait for a login, e.g. -TIMEOUT 30 (the default is 15)");
  }
  return options;
}

void require(bool present, const char* what, const char* hint) {
  if (!present) throw Error(ErrorKind::kUsage, what).with_hint(hint);
}

int dispatch(const Options& options) {
  switch (options.command) {
    case Command::kBackup:
      require(!options.db.empty(), "-BACKUP needs -DB <conn>", "e.g. bru -BACKUP -DB \"sqlite;app.sqlite\" -FILE app.DB");
      require(!options.file.empty(), "-BACKUP needs -FILE <archive>", "e.g. bru -BACKUP -DB \"sqlite;app.sqlite\" -FILE app.DB");
      return commands::backup(options);
    case Command::kRestore:
      require(!options.db.empty(), "-RESTORE needs -DB <conn>", "e.g. bru -RESTORE -DB \"sqlite;new.sqlite\" -FILE app.DB");
      require(!options.file.empty(), "-RESTORE needs -FILE <archive>", "e.g. bru -RESTORE -DB \"sqlite;new.sqlite\" -FILE app.DB");
      return commands::restore(options);
    case Command::kList:
      require(!options.file.empty(), "-LIST needs -FILE <archive>", "e.g. bru -LIST -FILE app.DB");
      return commands::list(options);
    case Command::kVerify:
      require(!options.file.empty(), "-VERIFY needs -FILE <archive>", "e.g. bru -VERIFY -FILE app.DB");
      return commands::verify(options);
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
      return commands::update(options);
    case Command::kGetVersion:
      require(!options.db.empty(), "-GETVERSION needs -DB <conn>",
              "e.g. bru -GETVERSION -DB \"sqlite;app.sqlite\"");
      return commands::get_version(options);
    case Command::kBaseline:
      require(!options.db.empty(), "-BASELINE needs -DB <conn>",
              "e.g. bru -BASELINE 8.5.200 -DB \"sqlite;app.sqlite\"");
      return commands::baseline(options);
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

int run(int argc, char** argv) {
  install_interrupt_handlers();
  const auto table = option_table();
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    args = normalise_arguments(args, known_option_names(table));
    po::variables_map values;
    try {
      po::store(po::command_line_parser(args).options(table).run(), values);
      po::notify(values);
    } catch (const po::error& parse_error) {
      throw Error(ErrorKind::kUsage, parse_error.what())
          .with_hint("bru --help lists the options");
    }
    if (values.count("help")) {
      std::cout << kUsage << '\n' << table;
      return 0;
    }
    if (values.count("version")) {
      std::cout << "bru " << BRU_VERSION << '\n';
      return 0;
    }
    return dispatch(to_options(values));
  } catch (const Error& error) {
    std::fputs(error.render().c_str(), stderr);
    return error.exit_code();
  } catch (const std::exception& unexpected) {
    std::fputs(
        internal_error(fmt::format("unexpected failure: {}", unexpected.what())).render().c_str(),
        stderr);
    return static_cast<int>(ErrorKind::kInternal);
  }
}

}  // namespace bru::cli

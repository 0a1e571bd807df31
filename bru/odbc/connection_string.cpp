// Driver options bru puts in the strings it builds, and why (facts from the drivers' docs and
// measured on Debian 12: psqlODBC 13.02, sqliteodbc 0.9998, MariaDB Connector/ODBC 3.1.15).
//
// PostgreSQL (psqlODBC):
//   CommLog=0;Debug=0       Debian registers the driver with CommLog=1, which logs every
//                           connection, password included, into a world-readable
//                           /tmp/psqlodbc_<program>_<user><pid>.log. The string overrides that;
//                           psqlODBC still appends one "PQfinish: <address>" line there at
//                           disconnect (it falls back to odbcinst.ini's CommLog as the process-wide
//                           setting). bru therefore also hands unixODBC a copy of odbcinst.ini
//                           with CommLog=0 (bru/odbc/driver_config.cpp), so no file is written.
//   UseDeclareFetch=1;Fetch=N  read through a server cursor, N rows per round trip; without it
//                           the driver buffers the whole result set (1 GB RSS on 5M rows).
//   TextAsLongVarchar=1;UnknownsAsLongVarchar=1;ByteaAsLongVarBinary=1
//                           text, unknown types (arrays, ...) and bytea are *described* as long
//                           (unbounded) types, so code sizing buffers from SQLDescribeCol streams
//                           them rather than binding MaxVarcharSize (255) bytes and truncating.
//                           The values themselves are never cut by SQLGetData either way
//                           (checked: 3 MB text, 4 MB bytea with both settings).
//   BoolsAsChar=0           boolean is described as SQL_BIT (the default says SQL_VARCHAR).
//   LFConversion=0          never turn LF into CR/LF (the Windows default is 1: lossy).
//   UseServerSidePrepare=1  prepared multi-row INSERTs run at ~350k rows/s (issue 2 figures).
//   Protocol=7.4-0          no driver-made SAVEPOINT around every statement inside a transaction
//                           (the default, statement-level rollback, doubles round trips: 5000
//                           single-row inserts 0.38 s vs 0.15-0.20 s). A failed statement then
//                           aborts the transaction as in psql; bru rolls back (Transaction).
//   pqopt={application_name=bru}  so DBAs see bru's sessions in pg_stat_activity.
//   The login timeout is honoured through SQL_ATTR_LOGIN_TIMEOUT (libpq connect_timeout); checked
//   against a refused port (fails at once) and a listener that never answers (fails at -TIMEOUT).
//
// SQLite (sqliteodbc, driver "SQLite3"):
//   StepAPI=1               step through results with sqlite3_step; the default reads the whole
//                           result with sqlite3_get_table (1M rows of 200 bytes: 265 MB RSS
//                           against 6 MB).
//   BigInt=1                integer columns are 64-bit in SQLite: describe them as SQL_BIGINT.
//   NoTXN=0                 real transactions (a restore is one transaction).
//   Timeout=100000          wait up to 100 s for another process's lock (the driver default,
//                           stated so it is visible; ConnectOptions::sqlite_busy_timeout_ms).
//   NoCreat=1               only when ConnectOptions::create_sqlite_file is false.
//   FKSupport stays 0 (foreign keys not enforced on this connection) so a restore may load tables
//   in any order; the dialect checks foreign keys itself where it needs to.
//
// MariaDB (Connector/ODBC):
//   CHARSET=utf8mb4         4-byte UTF-8 (emoji) survive.
//   CONN_TIMEOUT=<-TIMEOUT> the driver ignores SQL_ATTR_LOGIN_TIMEOUT: without this a server that
//                           accepts TCP but never answers hangs the connect forever.
//   Result-set streaming (NO_CACHE/OPTION bit 20) needs Connector/ODBC 3.1.17; Debian 12 ships
//   3.1.15, which buffers whole result sets.
#include "bru/odbc/connection_string.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <mutex>

#include <fmt/format.h>

#include "bru/odbc/handle.h"
#include "schema/dialect_names.h"
#include "schema/error.h"

namespace bru::odbc {
namespace {

struct EngineForm {
  std::string_view dialect;
  std::string_view form;                // the grammar after the engine word
  std::vector<std::string_view> parts;  // names of the parts after the engine word
  std::size_t required;                 // parts that must be present (the password may be left out)
  int default_port;
};

const std::vector<EngineForm>& engine_forms() {
  static const std::vector<EngineForm> forms = {
      {"mssql",
       "mssql;<server>;<database>;<user>;<password>",
       {"<server>", "<database>", "<user>", "<password>"},
       3,
       1433},
      {"oracle",
       "oracle;<database>;<user>;<password>",
       {"<database>", "<user>", "<password>"},
       2,
       0},
      {"postgres",
       "postgres;<server[:port]>;<database>;<user>;<password>",
       {"<server[:port]>", "<database>", "<user>", "<password>"},
       3,
       5432},
      {"mariadb",
       "mariadb;<server[:port]>;<database>;<user>;<password>",
       {"<server[:port]>", "<database>", "<user>", "<password>"},
       3,
       3306},
      {"sqlite", "sqlite;<file>", {"<file>"}, 1, 0},
      {"odbc",
       "odbc;<ODBC connection string or DSN=...>",
       {"<ODBC connection string or DSN=...>"},
       1,
       0},
  };
  return forms;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

const EngineForm* find_form(std::string_view dialect) {
  for (const auto& form : engine_forms()) {
    if (form.dialect == dialect) return &form;
  }
  return nullptr;
}

std::string all_forms_hint() {
  std::string forms;
  for (const auto& form : engine_forms()) {
    if (!forms.empty()) forms += ", ";
    forms += form.form;
  }
  return "the forms are " + forms;
}

std::string form_hint(const EngineForm& form) {
  std::string hint = fmt::format("the form is {}", form.form);
  if (form.parts.back() == "<password>") {
    hint += " (the password may instead come from -PASSWORD-FILE or BRU_PASSWORD)";
  }
  return hint;
}

// Engine word -> dialect: the dialects' names and aliases (schema/dialect_names.h), and "odbc".
std::optional<std::string> dialect_of_word(std::string_view word) {
  if (lower(word) == "odbc") return std::string("odbc");
  return schema::dialect_of_word(word);
}

Error usage_error(std::string message, std::vector<std::string> hints) {
  return Error(ErrorKind::kUsage, std::move(message), std::move(hints));
}

int parse_port(std::string_view text, std::string_view dialect) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 1 ||
      port > 65535) {
    throw usage_error(fmt::format("bad port \"{}\" in the {} connection string: expected a number "
                                  "from 1 to 65535",
                                  text, dialect),
                      {form_hint(*find_form(dialect))});
  }
  return port;
}

// "host", "host:port", "[v6]", "[v6]:port"; a bare IPv6 address (several ':') has no port.
// SQL Server's own "host,port" is accepted too.
std::pair<std::string, int> split_host_port(std::string_view server, std::string_view dialect) {
  if (!server.empty() && server.front() == '[') {
    const auto close = server.find(']');
    if (close != std::string_view::npos) {
      const std::string host(server.substr(1, close - 1));
      const auto rest = server.substr(close + 1);
      if (rest.empty()) return {host, 0};
      if (rest.front() == ':') return {host, parse_port(rest.substr(1), dialect)};
    }
    throw usage_error(fmt::format("bad server \"{}\" in the {} connection string: expected "
                                  "[address] or [address]:port",
                                  server, dialect),
                      {form_hint(*find_form(dialect))});
  }
  auto separator = server.rfind(',');
  if (separator == std::string_view::npos && std::count(server.begin(), server.end(), ':') == 1) {
    separator = server.find(':');
  }
  if (separator == std::string_view::npos) return {std::string(server), 0};
  return {std::string(trim(server.substr(0, separator))),
          parse_port(trim(server.substr(separator + 1)), dialect)};
}

std::string display_host(std::string_view host) {
  return contains(host, ":") ? fmt::format("[{}]", host) : std::string(host);
}

// The installed driver for a dialect: the Unicode flavour of the engine's driver first.
std::string choose_driver(std::string_view dialect, const std::vector<std::string>& drivers) {
  auto first_matching = [&](auto&& predicate) -> std::optional<std::string> {
    for (const auto& driver : drivers) {
      if (predicate(lower(driver))) return driver;
    }
    return std::nullopt;
  };
  auto pick = [&](std::initializer_list<std::string_view> exact,
                  std::initializer_list<std::string_view> words,
                  std::string_view fallback) -> std::string {
    for (const auto name : exact) {
      if (auto found = first_matching([&](const std::string& l) { return l == lower(name); }))
        return *found;
    }
    for (const auto word : words) {
      if (auto found = first_matching(
              [&](const std::string& l) { return contains(l, word) && contains(l, "unicode"); }))
        return *found;
    }
    for (const auto word : words) {
      if (auto found = first_matching([&](const std::string& l) { return contains(l, word); }))
        return *found;
    }
    return std::string(fallback);
  };
  if (dialect == "postgres")
    return pick({"PostgreSQL Unicode"}, {"postgres", "psql"}, "PostgreSQL Unicode");
  if (dialect == "mariadb")
    return pick({"MariaDB Unicode"}, {"mariadb", "mysql"}, "MariaDB Unicode");
  if (dialect == "sqlite") return pick({"SQLite3"}, {"sqlite3"}, "SQLite3");
  if (dialect == "oracle") return pick({}, {"oracle"}, "Oracle");
  if (dialect == "mssql") {
    // Microsoft's drivers are named "ODBC Driver <N> for SQL Server": take the newest.
    std::optional<std::string> best;
    int best_version = -1;
    for (const auto& driver : drivers) {
      const std::string l = lower(driver);
      if (!contains(l, "sql server")) continue;
      int version = 0;
      if (l.rfind("odbc driver ", 0) == 0) version = std::atoi(l.c_str() + 12);
      if (version > best_version) {
        best = driver;
        best_version = version;
      }
    }
    if (best) return *best;
    return pick({}, {"freetds"}, "ODBC Driver 18 for SQL Server");
  }
  return {};
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The driver name is always braced, as ODBC documents it ("Driver={SQL Server}").
std::string pair_text(const std::string& key, const std::string& value) {
  if (lower(key) == "driver" && (value.empty() || value.front() != '{')) {
    std::string braced = odbc_value(value);
    if (braced.empty() || braced.front() != '{') braced = "{" + braced + "}";
    return fmt::format("{}={}", key, braced);
  }
  return fmt::format("{}={}", key, odbc_value(value));
}

std::string join_pairs(const Pairs& pairs) {
  std::string out;
  for (const auto& [key, value] : pairs) out += pair_text(key, value) + ";";
  return out;
}

bool is_password_key(std::string_view key) {
  const std::string l = lower(key);
  return l == "pwd" || l == "password";
}

const std::string* find_value(const Pairs& pairs, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : pairs) {
    for (const auto wanted : keys) {
      if (lower(key) == wanted) return &value;
    }
  }
  return nullptr;
}

// Options bru adds per engine (see the top of this file for why).
Pairs engine_options(std::string_view dialect, const ConnectOptions& options) {
  if (dialect == "postgres") {
    return {{"CommLog", "0"},
            {"Debug", "0"},
            {"UseDeclareFetch", "1"},
            {"Fetch", std::to_string(std::max(1, options.postgres_fetch_rows))},
            {"TextAsLongVarchar", "1"},
            {"UnknownsAsLongVarchar", "1"},
            {"ByteaAsLongVarBinary", "1"},
            {"BoolsAsChar", "0"},
            {"LFConversion", "0"},
            {"UseServerSidePrepare", "1"},
            {"Protocol", "7.4-0"},
            {"pqopt", "application_name=bru"}};
  }
  if (dialect == "sqlite") {
    Pairs pairs = {{"StepAPI", "1"},
                   {"BigInt", "1"},
                   {"NoTXN", "0"},
                   {"Timeout", std::to_string(options.sqlite_busy_timeout_ms)}};
    if (!options.create_sqlite_file) pairs.emplace_back("NoCreat", "1");
    return pairs;
  }
  if (dialect == "mariadb") {
    Pairs pairs = {{"CHARSET", "utf8mb4"}};
    if (options.login_timeout_seconds > 0) {
      pairs.emplace_back("CONN_TIMEOUT", std::to_string(options.login_timeout_seconds));
    }
    return pairs;
  }
  return {};
}

std::optional<std::string> password_from(std::optional<std::string_view> in_string,
                                         const ConnectOptions& options) {
  if (options.password) return *options.password;
  if (in_string && !in_string->empty()) return std::string(*in_string);
  if (const char* from_env = std::getenv("BRU_PASSWORD");
      from_env != nullptr && *from_env != '\0') {
    return std::string(from_env);
  }
  return std::nullopt;
}

ConnectTarget parse_raw(std::string_view raw, const ConnectOptions& options) {
  Pairs pairs = split_odbc_string(raw);
  if (pairs.empty()) {
    throw usage_error(
        "incomplete odbc connection string: <ODBC connection string or DSN=...> is missing",
        {form_hint(*find_form("odbc"))});
  }
  ConnectTarget target;
  target.dialect = "odbc";
  if (const auto* driver = find_value(pairs, {"driver"})) {
    target.driver = *driver;
    target.dialect = dialect_of_driver(*driver);
  } else if (const auto* dsn = find_value(pairs, {"dsn"})) {
    if (auto driver = driver_of_dsn(*dsn)) target.dialect = dialect_of_driver(*driver);
  }
  if (!options.driver.empty()) {
    std::erase_if(pairs, [](const auto& pair) { return lower(pair.first) == "driver"; });
    pairs.insert(pairs.begin(), {"Driver", options.driver});
    target.driver = options.driver;
    target.dialect = dialect_of_driver(options.driver);
  }

  // A password from -PASSWORD-FILE replaces the string's; BRU_PASSWORD only fills a gap.
  const auto* in_string = find_value(pairs, {"pwd", "password"});
  const bool string_has_password = in_string != nullptr && !in_string->empty();
  if (options.password || !string_has_password) {
    if (auto password = password_from(std::nullopt, options)) {
      std::erase_if(pairs, [](const auto& pair) { return is_password_key(pair.first); });
      pairs.emplace_back("PWD", *password);
    }
  }

  // The user's keys win; bru's options fill in what the user did not say.
  for (auto& option : engine_options(target.dialect, options)) {
    if (!find_value(pairs, {lower(option.first)})) pairs.push_back(std::move(option));
  }

  if (const auto* host = find_value(pairs, {"server", "servername", "host"})) target.host = *host;
  if (const auto* port = find_value(pairs, {"port"})) target.port = std::atoi(port->c_str());
  if (const auto* database = find_value(pairs, {"database", "dbq", "dbname"}))
    target.database = *database;
  if (const auto* user = find_value(pairs, {"uid", "user", "username"})) target.user = *user;

  target.connection_string = join_pairs(pairs);
  std::string shown;
  for (const auto& [key, value] : pairs) {
    shown += is_password_key(key) ? key + "=***;" : pair_text(key, value) + ";";
  }
  if (!shown.empty()) shown.pop_back();
  target.display = "odbc:" + shown;
  return target;
}

}  // namespace

std::string_view connection_grammar() {
  static const std::string grammar = [] {
    std::string lines;
    for (const auto& form : engine_forms()) lines += std::string(form.form) + "\n";
    return lines;
  }();
  return grammar;
}

std::string odbc_value(std::string_view value) {
  const bool needs_braces =
      value.find_first_of(";{}=") != std::string_view::npos ||
      (!value.empty() && (std::isspace(static_cast<unsigned char>(value.front())) ||
                          std::isspace(static_cast<unsigned char>(value.back()))));
  if (!needs_braces) return std::string(value);
  std::string out = "{";
  for (const char c : value) {
    out.push_back(c);
    if (c == '}') out.push_back('}');
  }
  out.push_back('}');
  return out;
}

std::vector<std::pair<std::string, std::string>> split_odbc_string(std::string_view text) {
  Pairs pairs;
  std::size_t pos = 0;
  int part_number = 0;
  while (pos < text.size()) {
    ++part_number;
    const auto part_end = text.find(';', pos);
    const auto equals = text.find('=', pos);
    if (equals == std::string_view::npos ||
        (part_end != std::string_view::npos && equals > part_end)) {
      const auto part =
          trim(text.substr(pos, part_end == std::string_view::npos ? text.npos : part_end - pos));
      if (!part.empty()) {
        throw usage_error(
            fmt::format("bad ODBC connection string: part {} is not KEY=value", part_number),
            {"a value containing ';' must be enclosed in braces, e.g. PWD={a;b}",
             "or leave the password out of -DB and give it with -PASSWORD-FILE <file>"});
      }
      if (part_end == std::string_view::npos) break;
      pos = part_end + 1;
      continue;
    }
    std::string key(trim(text.substr(pos, equals - pos)));
    std::size_t value_pos = equals + 1;
    while (value_pos < text.size() && text[value_pos] == ' ') ++value_pos;
    std::string value;
    if (value_pos < text.size() && text[value_pos] == '{') {
      std::size_t idx = value_pos + 1;
      bool closed = false;
      while (idx < text.size()) {
        if (text[idx] == '}') {
          if (idx + 1 < text.size() && text[idx + 1] == '}') {
            value.push_back('}');
            idx += 2;
            continue;
          }
          closed = true;
          ++idx;
          break;
        }
        value.push_back(text[idx++]);
      }
      if (!closed) {
        throw usage_error(
            fmt::format("bad ODBC connection string: the value of {} opens a brace that "
                        "is not closed",
                        key),
            {"close it with '}', and write a '}' inside a braced value as '}}'"});
      }
      while (idx < text.size() && text[idx] == ' ') ++idx;
      if (idx < text.size() && text[idx] != ';') {
        throw usage_error(
            fmt::format("bad ODBC connection string: text follows the braced value of {}", key),
            {"put a ';' after the closing '}'"});
      }
      pos = idx + 1;
    } else {
      const auto end = part_end == std::string_view::npos ? text.size() : part_end;
      value = std::string(trim(text.substr(value_pos, end - value_pos)));
      pos = end + 1;
    }
    if (key.empty()) {
      throw usage_error(
          fmt::format("bad ODBC connection string: part {} has no key before '='", part_number),
          {"write each part as KEY=value, e.g. DSN=wfm;UID=bru"});
    }
    pairs.emplace_back(std::move(key), std::move(value));
  }
  return pairs;
}

std::string dialect_of_driver(std::string_view driver_name) {
  const std::string l = lower(driver_name);
  if (contains(l, "postgres") || contains(l, "psql")) return "postgres";
  if (contains(l, "maria") || contains(l, "mysql") || contains(l, "maodbc")) return "mariadb";
  if (contains(l, "sqlite")) return "sqlite";
  if (contains(l, "sql server") || contains(l, "msodbcsql") || contains(l, "freetds") ||
      contains(l, "tdsodbc"))
    return "mssql";
  if (contains(l, "oracle") || contains(l, "sqora")) return "oracle";
  return "odbc";
}

std::string dialect_of_dbms(std::string_view dbms_name) { return dialect_of_driver(dbms_name); }

namespace {
// SQLDrivers and SQLDataSources keep their position in the environment: one caller at a time.
std::mutex& enumeration_mutex() {
  static std::mutex mutex;
  return mutex;
}

template <typename Enumerate>
void for_each_entry(Enumerate enumerate,
                    const std::function<void(const std::string&, const std::string&)>& on_entry) {
  const SQLHENV env = environment();
  std::lock_guard lock(enumeration_mutex());
  SQLUSMALLINT direction = SQL_FETCH_FIRST;
  for (;;) {
    SQLCHAR name[512] = {};
    SQLCHAR detail[2048] = {};
    SQLSMALLINT name_length = 0;
    SQLSMALLINT detail_length = 0;
    const SQLRETURN rc =
        enumerate(env, direction, name, static_cast<SQLSMALLINT>(sizeof name), &name_length, detail,
                  static_cast<SQLSMALLINT>(sizeof detail), &detail_length);
    if (!SQL_SUCCEEDED(rc)) break;
    on_entry(reinterpret_cast<const char*>(name), reinterpret_cast<const char*>(detail));
    direction = SQL_FETCH_NEXT;
  }
}
}  // namespace

std::vector<std::string> installed_drivers() {
  std::vector<std::string> drivers;
  for_each_entry(SQLDrivers,
                 [&](const std::string& name, const std::string&) { drivers.push_back(name); });
  return drivers;
}

std::optional<std::string> driver_of_dsn(std::string_view dsn) {
  std::optional<std::string> driver;
  const std::string wanted = lower(dsn);
  for_each_entry(SQLDataSources, [&](const std::string& name, const std::string& description) {
    if (!driver && lower(name) == wanted) driver = description;
  });
  return driver;
}

ConnectTarget parse_connection(std::string_view text, const ConnectOptions& options) {
  return parse_connection(text, options, installed_drivers());
}

ConnectTarget parse_connection(std::string_view text, const ConnectOptions& options,
                               const std::vector<std::string>& drivers) {
  if (trim(text).empty()) throw usage_error("empty connection string", {all_forms_hint()});
  const auto first_separator = text.find(';');
  const std::string_view word = trim(text.substr(0, first_separator));
  const auto dialect = dialect_of_word(word);
  if (!dialect) {
    if (contains(word, "=")) {
      throw usage_error("the connection string does not start with an engine word",
                        {"to pass an ODBC connection string as it is, start it with \"odbc;\", "
                         "e.g. odbc;DSN=wfm;UID=bru",
                         all_forms_hint()});
    }
    std::vector<std::string> hints;
    if (const auto suggestion = schema::suggest_dialect(word); !suggestion.empty()) {
      hints.push_back(fmt::format("did you mean {}?", suggestion));
    }
    hints.push_back(all_forms_hint());
    // The word is echoed only when it cannot be a secret: short and without '='.
    throw usage_error(
        word.size() <= 20
            ? fmt::format("unknown database engine \"{}\" in the connection string", word)
            : std::string("unknown database engine in the connection string"),
        std::move(hints));
  }
  const EngineForm& form = *find_form(*dialect);
  const std::string_view rest = first_separator == std::string_view::npos
                                    ? std::string_view{}
                                    : text.substr(first_separator + 1);

  if (*dialect == "odbc") {
    if (trim(rest).empty()) {
      throw usage_error(
          fmt::format("incomplete odbc connection string: {} is missing", form.parts[0]),
          {form_hint(form)});
    }
    return parse_raw(rest, options);
  }

  // Split into the form's parts; the last part (the password, or the SQLite file) takes the
  // remainder, ';' included.
  std::vector<std::string_view> parts;
  std::string_view remaining = rest;
  bool has_rest = first_separator != std::string_view::npos;
  while (has_rest && parts.size() + 1 < form.parts.size()) {
    const auto separator = remaining.find(';');
    if (separator == std::string_view::npos) {
      parts.push_back(remaining);
      has_rest = false;
      break;
    }
    parts.push_back(remaining.substr(0, separator));
    remaining.remove_prefix(separator + 1);
  }
  if (has_rest) parts.push_back(remaining);
  for (std::size_t part_idx = 0; part_idx < form.required; ++part_idx) {
    if (part_idx >= parts.size() || trim(parts[part_idx]).empty()) {
      throw usage_error(fmt::format("incomplete {} connection string: {} is missing", *dialect,
                                    form.parts[part_idx]),
                        {form_hint(form)});
    }
  }

  ConnectTarget target;
  target.dialect = *dialect;
  target.driver = options.driver.empty() ? choose_driver(*dialect, drivers) : options.driver;
  Pairs pairs = {{"Driver", target.driver}};

  if (*dialect == "sqlite") {
    target.database = std::string(trim(parts[0]));
    pairs.emplace_back("Database", target.database);
    target.display = "sqlite:" + target.database;
  } else {
    const bool has_server = *dialect != "oracle";
    const std::size_t first = has_server ? 1 : 0;
    bool port_given = false;
    if (has_server) {
      auto [host, port] = split_host_port(trim(parts[0]), *dialect);
      target.host = std::move(host);
      port_given = port != 0;
      target.port = port_given ? port : form.default_port;
    }
    target.database = std::string(trim(parts[first]));
    target.user = std::string(trim(parts[first + 1]));
    std::optional<std::string_view> given_password;
    if (parts.size() > first + 2) given_password = parts[first + 2];
    const auto password = password_from(given_password, options);

    if (*dialect == "postgres" || *dialect == "mariadb") {
      pairs.emplace_back("Server", target.host);
      pairs.emplace_back("Port", std::to_string(target.port));
      pairs.emplace_back("Database", target.database);
      target.display = fmt::format("{}://{}@{}:{}/{}", *dialect, target.user,
                                   display_host(target.host), target.port, target.database);
    } else if (*dialect == "mssql") {
      // SQL Server names a port as "host,port"; an instance ("host\SQLEXPRESS") is left as given.
      pairs.emplace_back("Server",
                         port_given ? fmt::format("{},{}", target.host, target.port) : target.host);
      pairs.emplace_back("Database", target.database);
      target.display = fmt::format("mssql://{}@{}{}/{}", target.user, display_host(target.host),
                                   port_given ? fmt::format(":{}", target.port) : std::string(),
                                   target.database);
    } else {
      pairs.emplace_back("DBQ", target.database);
      target.display = fmt::format("oracle://{}@{}", target.user, target.database);
    }
    pairs.emplace_back("UID", target.user);
    if (password) pairs.emplace_back("PWD", *password);
  }
  for (auto& option : engine_options(*dialect, options)) pairs.push_back(std::move(option));
  target.connection_string = join_pairs(pairs);
  return target;
}

}  // namespace bru::odbc

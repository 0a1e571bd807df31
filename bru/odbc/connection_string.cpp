// The connection strings bru builds, from each engine's driver profile (schema/driver_profile.h,
// filled in by schema/engines/<engine>/<engine>_profile.cpp, which also says why each driver
// option is there; the registry lists them). This file knows ODBC's syntax, not engines.
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
#include "schema/driver_profile.h"
#include "schema/engines/registry.h"
#include "schema/error.h"

namespace bru::odbc {
namespace {

struct EngineForm {
  std::string_view dialect;
  std::string_view form;                // the grammar after the engine word
  std::vector<std::string_view> parts;  // names of the parts after the engine word
  std::size_t required;                 // parts that must be present (the password may be left out)
  int default_port;
  const schema::DriverProfile* profile;  // nullptr for odbc;
};

// Every engine's form, in the registry's order, then odbc;.
const std::vector<EngineForm>& engine_forms() {
  static const std::vector<EngineForm> forms = [] {
    std::vector<EngineForm> list;
    for (const auto& engine : schema::engines()) {
      const schema::DriverProfile& profile = engine.driver_profile();
      list.push_back({engine.name, profile.form, profile.parts, profile.required_parts,
                      profile.default_port, &profile});
    }
    list.push_back({"odbc",
                    "odbc;<ODBC connection string or DSN=...>",
                    {"<ODBC connection string or DSN=...>"},
                    1,
                    0,
                    nullptr});
    return list;
  }();
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

// The installed driver for a dialect, as its profile says to choose it (schema/driver_profile.h).
std::string choose_driver(std::string_view dialect, const std::vector<std::string>& drivers) {
  const EngineForm* form = find_form(dialect);
  if (form == nullptr || form->profile == nullptr) return {};
  const schema::DriverProfile& profile = *form->profile;
  auto first_matching = [&](auto&& predicate) -> std::optional<std::string> {
    for (const auto& driver : drivers) {
      if (predicate(lower(driver))) return driver;
    }
    return std::nullopt;
  };
  for (const auto name : profile.driver_names) {
    if (auto found = first_matching([&](const std::string& l) { return l == lower(name); }))
      return *found;
  }
  if (!profile.numbered_driver_word.empty()) {
    // Microsoft's drivers are named "ODBC Driver <N> for SQL Server": take the newest.
    std::optional<std::string> best;
    int best_version = -1;
    for (const auto& driver : drivers) {
      const std::string l = lower(driver);
      if (!contains(l, profile.numbered_driver_word)) continue;
      int version = 0;
      if (l.rfind("odbc driver ", 0) == 0) version = std::atoi(l.c_str() + 12);
      if (version > best_version) {
        best = driver;
        best_version = version;
      }
    }
    if (best) return *best;
  }
  for (const auto word : profile.driver_words) {
    if (auto found = first_matching(
            [&](const std::string& l) { return contains(l, word) && contains(l, "unicode"); }))
      return *found;
  }
  for (const auto word : profile.driver_words) {
    if (auto found = first_matching([&](const std::string& l) { return contains(l, word); }))
      return *found;
  }
  return std::string(profile.fallback_driver);
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

// A profile's template filled in (schema/driver_profile.h says what it may name).
struct TemplateValues {
  std::string user, host, port, database;
  bool port_given = false;
  const ConnectOptions* options = nullptr;
};

std::string fill(std::string_view text, const TemplateValues& values) {
  std::string out;
  while (!text.empty()) {
    const auto open = text.find('{');
    const auto close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, open));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    const ConnectOptions& options = *values.options;
    if (name == "user") {
      out += values.user;
    } else if (name == "host") {
      out += values.host;
    } else if (name == "port") {
      out += values.port;
    } else if (name == "database") {
      out += values.database;
    } else if (name == ":port" || name == ",port") {
      if (values.port_given) out += name.front() + values.port;
    } else if (name == "fetch_rows") {
      out += std::to_string(std::max(1, options.postgres_fetch_rows));
    } else if (name == "busy_timeout_ms") {
      out += std::to_string(options.sqlite_busy_timeout_ms);
    } else if (name == "login_timeout_seconds") {
      out += std::to_string(options.login_timeout_seconds);
    } else {
      out.append(text.substr(open, close - open + 1));  // not a template: kept as written
    }
    text.remove_prefix(close + 1);
  }
  return out;
}

// Options bru adds per engine: its profile's (the engine's <engine>_profile.cpp says why), those
// of one driver only where the driver's name holds their word.
Pairs engine_options(std::string_view dialect, std::string_view driver,
                     const ConnectOptions& options) {
  const EngineForm* form = find_form(dialect);
  if (form == nullptr || form->profile == nullptr) return {};
  TemplateValues values;
  values.options = &options;
  Pairs pairs;
  for (const auto& option : form->profile->options) {
    if (option.when == schema::OptionWhen::kLoginTimeoutSet && options.login_timeout_seconds <= 0)
      continue;
    if (option.when == schema::OptionWhen::kNoCreate && options.create_sqlite_file) continue;
    if (!option.driver_word.empty() &&
        lower(driver).find(lower(option.driver_word)) == std::string::npos) {
      continue;
    }
    pairs.emplace_back(std::string(option.key), fill(option.value, values));
  }
  return pairs;
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
  for (auto& option : engine_options(target.dialect, target.driver, options)) {
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
  for (const auto& form : engine_forms()) {
    if (form.profile == nullptr) continue;
    for (const auto word : form.profile->recognise_words) {
      if (contains(l, word)) return std::string(form.dialect);
    }
  }
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

  const schema::DriverProfile& profile = *form.profile;
  TemplateValues values;
  values.options = &options;
  if (profile.locator == schema::Locator::kFile) {
    target.database = std::string(trim(parts[0]));
    values.database = target.database;
    pairs.emplace_back(std::string(profile.database_key), target.database);
  } else {
    const bool has_server = profile.locator == schema::Locator::kServer;
    const std::size_t first = has_server ? 1 : 0;
    if (has_server) {
      auto [host, port] = split_host_port(trim(parts[0]), *dialect);
      target.host = std::move(host);
      values.port_given = port != 0;
      target.port = values.port_given ? port : form.default_port;
    }
    target.database = std::string(trim(parts[first]));
    target.user = std::string(trim(parts[first + 1]));
    std::optional<std::string_view> given_password;
    if (parts.size() > first + 2) given_password = parts[first + 2];
    const auto password = password_from(given_password, options);

    values.user = target.user;
    values.host = target.host;
    values.port = std::to_string(target.port);
    values.database = target.database;
    if (has_server) pairs.emplace_back(std::string(profile.server_key), fill(profile.server_value, values));
    if (!profile.port_key.empty()) pairs.emplace_back(std::string(profile.port_key), values.port);
    pairs.emplace_back(std::string(profile.database_key), target.database);
    pairs.emplace_back("UID", target.user);
    if (password) pairs.emplace_back("PWD", *password);
    values.host = display_host(target.host);
  }
  target.display = fill(profile.display, values);
  for (auto& option : engine_options(*dialect, target.driver, options)) pairs.push_back(std::move(option));
  target.connection_string = join_pairs(pairs);
  return target;
}

}  // namespace bru::odbc

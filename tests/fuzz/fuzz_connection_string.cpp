// libFuzzer harness: the connection-string parser (bru/odbc/connection_string.h).
//
// Input: the text of -SOURCE/-TARGET. parse_connection() (with a fixed driver list, so unixODBC's
// configuration plays no part) and split_odbc_string() must either succeed or throw
// bru::Error(kUsage). Properties checked besides:
//   - no error message or hint of parse_connection() holds the password of a postgres/mariadb/
//     mssql/oracle string (the text after its last fixed ';'), when that is long enough to tell,
//     is not also part of the text before it, and is not in what bru shows anyway (the same
//     string with another password);
//   - the display form of a parsed string never holds that password either;
//   - odbc_value() quotes any value so that split_odbc_string() gives it back unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bru/odbc/connection_string.h"
#include "fuzz_check.h"
#include "schema/error.h"

namespace {

const std::vector<std::string> kDrivers = {"PostgreSQL Unicode", "MariaDB Unicode", "SQLite3",
                                           "ODBC Driver 18 for SQL Server",
                                           "Oracle 21 ODBC driver"};

// The password part of a string of the forms with a fixed number of parts before it, or "".
std::string password_of(std::string_view text) {
  const std::size_t engine_end = text.find(';');
  if (engine_end == std::string_view::npos) return "";
  const std::string_view engine = text.substr(0, engine_end);
  int parts_before = 0;
  if (engine == "postgres" || engine == "mariadb" || engine == "mssql") parts_before = 4;
  if (engine == "oracle") parts_before = 3;
  if (parts_before == 0) return "";
  std::size_t at = 0;
  for (int part = 0; part < parts_before; ++part) {
    at = text.find(';', at);
    if (at == std::string_view::npos) return "";
    ++at;
  }
  return std::string(text.substr(at));
}

bool holds(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Everything parse_connection() shows of the text: the display form, or the message and hints.
std::string shown(std::string_view text) {
  bru::odbc::ConnectOptions options;
  try {
    return bru::odbc::parse_connection(text, options, kDrivers).display;
  } catch (const bru::Error& error) {
    std::string all = error.message();
    for (const std::string& hint : error.hints()) all += "\n" + hint;
    return all;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Short passwords are words that messages use anyway ("host", "user"); and a password that is
  // also part of the server, database or user name may rightly be shown as that.
  const std::string password = password_of(text);
  const std::string_view before_password = text.substr(0, text.size() - password.size());
  // Nor is it a leak when bru's own words hold it: the same string with another password of
  // that length shows it too ("ssword may instead come from -P" is in a hint).
  const bool telling =
      password.size() >= 8 && !holds(before_password, password) &&
      !holds(shown(std::string(before_password) + std::string(password.size(), '\x01')),
             password);
  bru::odbc::ConnectOptions options;
  try {
    const bru::odbc::ConnectTarget target = bru::odbc::parse_connection(text, options, kDrivers);
    bru::fuzz::check(!telling || !holds(target.display, password),
                     "the display shows the password");
  } catch (const bru::Error& error) {
    bru::fuzz::check(error.kind() == bru::ErrorKind::kUsage,
                     "parse_connection threw an error other than kUsage");
    bru::fuzz::check(!telling || !holds(error.message(), password),
                     "an error message shows the password");
    for (const std::string& hint : error.hints()) {
      bru::fuzz::check(!telling || !holds(hint, password), "a hint shows the password");
    }
  }
  try {
    bru::odbc::split_odbc_string(text);
  } catch (const bru::Error& error) {
    bru::fuzz::check(error.kind() == bru::ErrorKind::kUsage,
                     "split_odbc_string threw an error other than kUsage");
  }
  const auto pairs = bru::odbc::split_odbc_string("KEY=" + bru::odbc::odbc_value(text));
  bru::fuzz::check(pairs.size() == 1 && pairs[0].first == "KEY" && pairs[0].second == text,
                   "odbc_value() then split_odbc_string() changed the value");
  return 0;
}

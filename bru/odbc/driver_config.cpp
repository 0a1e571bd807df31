// Why: Debian registers psqlODBC with CommLog=1 in /etc/odbcinst.ini. CommLog=0;Debug=0 in the
// connection string turn logging off while a connection is open, but psqlODBC falls back to the
// driver section's value (its "global" setting, read from odbcinst.ini) once the last connection
// closes, and writes "PQfinish: <address>" into a new /tmp/psqlodbc_<program>_<user><pid>.log at
// every disconnect: one file per bru run, hundreds on a busy machine. Measured with psqlODBC
// 13.02 and unixODBC 2.3.11: a Driver=<library path> in the string does not help (the global
// setting is still read from the [PostgreSQL Unicode] section); unixODBC's documented
// ODBCSYSINI/ODBCINSTINI variables, pointing at an odbcinst.ini with CommLog=0, do.
//
// ODBCSYSINI also names the folder of the system odbc.ini (the DSNs), so bru keeps it and sets
// only ODBCINSTINI, a file name unixODBC appends to that folder: "../" up to the root, then
// /proc/self/fd/<memfd>. unixODBC reads ODBCINSTINI once per process and keeps it (in
// odbcinst_system_file_name), so bru sets it, has unixODBC read it at once, and puts the
// variable back as it was: a child process, or a test that runs bru, inherits nothing that
// names this process's descriptor. Were a later unixODBC to stop keeping it, the system file
// would be read again: logs would come back, nothing would break.
#include "bru/odbc/driver_config.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "schema/text.h"

// Exported by libodbcinst and declared in unixODBC's odbcinstext.h (which cannot be included
// beside odbcinst.h): the folder of the system odbc.ini and odbcinst.ini (ODBCSYSINI, or the
// compiled-in default, /etc on Debian).
extern "C" char* odbcinst_system_file_path(char* buffer);
// The same header's: the odbcinst.ini file name in that folder (ODBCINSTINI, or "odbcinst.ini"),
// read from the environment at the first call and kept for the life of the process.
extern "C" char* odbcinst_system_file_name(char* buffer);

namespace bru::odbc {
namespace {

namespace fs = std::filesystem;

// The lines of an odbcinst.ini with every CommLog/Debug value set to 0; changed tells whether
// any line was not 0 already.
std::string without_logging(const std::string& ini, bool& changed) {
  std::istringstream in(ini);
  std::string out;
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) {
      auto key = line.substr(0, equals);
      auto value = line.substr(equals + 1);
      key.erase(0, key.find_first_not_of(" \t"));
      key.erase(key.find_last_not_of(" \t\r") + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t\r") + 1);
      const auto lower_key = schema::to_lower(key);
      if ((lower_key == "commlog" || lower_key == "debug") && value != "0") {
        line = key + "=0";
        changed = true;
      }
    }
    out += line;
    out += '\n';
  }
  return out;
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const auto rc = ::write(fd, text.data() + written, text.size() - written);
    if (rc <= 0) return false;
    written += static_cast<std::size_t>(rc);
  }
  return true;
}

}  // namespace

void quiet_driver_logs() {
  char folder_buffer[4096] = {};
  const char* folder_text = odbcinst_system_file_path(folder_buffer);
  if (folder_text == nullptr || *folder_text == '\0') return;
  std::error_code canonical_error;
  const fs::path folder = fs::canonical(folder_text, canonical_error);
  if (canonical_error) return;
  const char* name = std::getenv("ODBCINSTINI");
  std::ifstream in(folder / (name != nullptr && *name != '\0' ? name : "odbcinst.ini"));
  if (!in) return;
  std::ostringstream original;
  original << in.rdbuf();
  bool changed = false;
  const std::string quiet = without_logging(original.str(), changed);
  if (!changed) return;

  const int fd = ::memfd_create("bru-odbcinst.ini", MFD_CLOEXEC);
  if (fd < 0) return;
  if (!write_all(fd, quiet)) {
    ::close(fd);
    return;
  }
  // The descriptor stays open for the life of the process: unixODBC and the drivers open the
  // path again whenever they look a setting up.
  std::string relative;
  for (auto part = folder.begin(); part != folder.end(); ++part) {
    if (*part != "/") relative += "../";
  }
  relative += "proc/self/fd/" + std::to_string(fd);
  const std::optional<std::string> previous =
      name != nullptr ? std::optional<std::string>(name) : std::nullopt;
  ::setenv("ODBCINSTINI", relative.c_str(), 1);
  char name_buffer[4096] = {};
  odbcinst_system_file_name(name_buffer);
  if (previous) {
    ::setenv("ODBCINSTINI", previous->c_str(), 1);
  } else {
    ::unsetenv("ODBCINSTINI");
  }
}

}  // namespace bru::odbc

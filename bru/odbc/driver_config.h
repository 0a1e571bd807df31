// The driver configuration bru's process uses: unixODBC's own odbcinst.ini with the drivers'
// logging switched off, so that no run leaves log files in /tmp.
#pragma once

namespace bru::odbc {

// Makes unixODBC (and the drivers, which read their global settings through it) see a copy of
// the system odbcinst.ini in which every CommLog and Debug setting is 0, when the system file
// turns any of them on; leaves everything as it is otherwise. The copy lives in memory
// (memfd_create), is private to the process and is handed to unixODBC through ODBCINSTINI,
// which unixODBC reads once and keeps; the variable is then put back as it was. Call this before
// any ODBC call (environment() does). Best effort: when the file cannot be read or copied, nothing
// changes. Not thread-safe; environment() calls it once.
void quiet_driver_logs();

}  // namespace bru::odbc

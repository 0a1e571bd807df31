// What a MariaDB database holds, for tests of a restore's promise that a failed one leaves the
// target as it was (empty: bru restores into MariaDB only there).
#pragma once

#include <string>

namespace bru::test {

// Tables, views, routines, triggers and events in the connection's database, counted.
std::string object_count(const std::string& conn);

// The sessions on the database of `conn` other than the asking one, counted (a restore's, or
// its guardian's).
std::string other_sessions(const std::string& conn);

}  // namespace bru::test

// A MariaDB user for the tests of what a backup does without the RELOAD privilege (no FLUSH
// TABLES WITH READ LOCK): it may read one database, and no more.
#pragma once

#include <string>

namespace bru::test {

class MariadbUserWithoutReload {
 public:
  // Creates (or replaces) the user `user`@'%' with SELECT, SHOW VIEW, LOCK TABLES, TRIGGER and
  // EVENT on the database of `conn` (a bru connection string); throws bru::Error when the server
  // refuses. The destructor drops the user.
  MariadbUserWithoutReload(const std::string& conn, const std::string& user);
  ~MariadbUserWithoutReload();
  MariadbUserWithoutReload(const MariadbUserWithoutReload&) = delete;
  MariadbUserWithoutReload& operator=(const MariadbUserWithoutReload&) = delete;

  // `conn`, logged in as the user.
  const std::string& conn() const noexcept { return user_conn_; }

 private:
  std::string admin_conn_;
  std::string user_;
  std::string user_conn_;
};

}  // namespace bru::test

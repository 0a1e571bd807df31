#include "support/mariadb_user.h"

#include "support/sql_session.h"

namespace bru::test {
namespace {

constexpr const char* kPassword = "Noreload_1";

// conn ("mariadb;host:port;db;user;password") with another user and password.
std::string with_user(const std::string& conn, const std::string& user,
                      const std::string& password) {
  auto cut = conn.rfind(';');
  cut = conn.rfind(';', cut - 1);
  return conn.substr(0, cut + 1) + user + ";" + password;
}

}  // namespace

MariadbUserWithoutReload::MariadbUserWithoutReload(const std::string& conn,
                                                   const std::string& user)
    : admin_conn_(conn), user_(user), user_conn_(with_user(conn, user, kPassword)) {
  SqlSession db(conn);
  const std::string database = db.text("SELECT DATABASE()");
  db.exec("CREATE OR REPLACE USER " + user_ + "@'%' IDENTIFIED BY '" + kPassword + "'");
  db.exec("GRANT SELECT, SHOW VIEW, LOCK TABLES, TRIGGER, EVENT ON `" + database + "`.* TO " +
          user_ + "@'%'");
}

MariadbUserWithoutReload::~MariadbUserWithoutReload() {
  try {
    SqlSession(admin_conn_).exec("DROP USER IF EXISTS " + user_ + "@'%'");
  } catch (...) {
    // A user left behind is replaced by the next run (CREATE OR REPLACE).
  }
}

}  // namespace bru::test

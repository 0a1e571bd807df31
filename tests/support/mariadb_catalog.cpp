#include "support/mariadb_catalog.h"

#include "support/sql_session.h"

namespace bru::test {

std::string object_count(const std::string& conn) {
  SqlSession db(conn);
  return db.text(
      "SELECT (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()) + "
      "(SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()) + "
      "(SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()) + "
      "(SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE())");
}

std::string other_sessions(const std::string& conn) {
  SqlSession db(conn);
  return db.text("SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND "
                 "ID <> CONNECTION_ID()");
}

}  // namespace bru::test

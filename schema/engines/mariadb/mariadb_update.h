// MariaDB's update facet (schema/update_dialect.h): its history table, session lock and section
// transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "schema/engines/history_ddl.h"
#include "schema/update_dialect.h"

namespace bru::schema::dialects {

class MariadbUpdate final : public UpdateDialect {
 public:
  std::string_view name() const override { return "mariadb"; }
  bool transactional_ddl() const override { return false; }
  std::string history_exists_sql() const override {
    return "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
           "TABLE_NAME = 'bru_schema_history'";
  }
  std::string create_history_sql() const override {
    return history_ddl("INT", "BIGINT",
                       [](int n) { return fmt::format("VARCHAR({})", n); },
                       "TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
                       " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  }
  std::string history_migrated_sql() const override {
    return "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
           "TABLE_NAME = 'bru_schema_history' AND COLUMN_NAME = 'kind'";
  }
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD COLUMN kind VARCHAR(20)",
            "ALTER TABLE bru_schema_history ADD COLUMN statement_checksums MEDIUMTEXT"};
  }
  std::string current_user_sql() const override { return "SELECT CURRENT_USER()"; }
  std::string installed_on_text() const override {
    return "DATE_FORMAT(installed_on, '%Y-%m-%d %H:%i:%s')";
  }
  // GET_LOCK names are the server's, not a database's: the name carries the database (hashed,
  // as a lock name has at most 64 characters), so updates of two databases do not wait for
  // each other.
  std::string try_lock_sql() const override {
    return fmt::format("SELECT GET_LOCK({}, 0)", lock_name());
  }
  std::string unlock_sql() const override {
    return fmt::format("SELECT RELEASE_LOCK({})", lock_name());
  }
  // MariaDB does not keep when a session started or took the lock; the start of the holder's
  // current command (NOW() - TIME) is the closest it tells.
  std::string lock_holder_sql() const override {
    return fmt::format(
        "SELECT CONCAT(p.USER, '@', p.HOST, ' (connection ', p.ID, ')'), "
        "DATE_FORMAT(NOW() - INTERVAL p.TIME SECOND, '%Y-%m-%d %H:%i:%s') FROM "
        "information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK({})",
        lock_name());
  }

 private:
  static std::string lock_name() {
    return fmt::format("CONCAT('{}:', MD5(DATABASE()))", kLockName);
  }
};

}  // namespace bru::schema::dialects

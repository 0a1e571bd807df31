// SQLite's update facet (schema/update_dialect.h): its history table, session lock and section
// transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/history_ddl.h"
#include "schema/update_dialect.h"

namespace bru::schema::dialects {

class SqliteUpdate final : public UpdateDialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  bool transactional_ddl() const override { return true; }
  std::string history_exists_sql() const override {
    return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bru_schema_history'";
  }
  std::string create_history_sql() const override {
    return history_ddl("INTEGER", "INTEGER", [](int) { return std::string("TEXT"); },
                       "TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))", "");
  }
  std::string history_migrated_sql() const override {
    return "SELECT 1 FROM pragma_table_info('bru_schema_history') WHERE name = 'kind'";
  }
  // SQLite adds one column per ALTER TABLE.
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD COLUMN kind TEXT",
            "ALTER TABLE bru_schema_history ADD COLUMN statement_checksums TEXT"};
  }
  std::string current_user_sql() const override { return {}; }
  // strftime wrote it with milliseconds: the first 19 characters are the seconds.
  std::string installed_on_text() const override { return "substr(installed_on, 1, 19)"; }
  // A file database has no sessions to lock: BEGIN IMMEDIATE takes the write lock for each
  // section, and the busy timeout is the wait.
  std::string try_lock_sql() const override { return {}; }
  std::string unlock_sql() const override { return {}; }
  std::string lock_holder_sql() const override { return {}; }
  std::string begin_section_sql() const override { return "BEGIN IMMEDIATE"; }
  std::string commit_section_sql() const override { return "COMMIT"; }
  std::string rollback_section_sql() const override { return "ROLLBACK"; }
  long lock_busy_native_code() const override { return 5; }
};

}  // namespace bru::schema::dialects

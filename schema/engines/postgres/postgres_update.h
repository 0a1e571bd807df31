// PostgreSQL's update facet (schema/update_dialect.h): its history table, session lock and section
// transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "schema/engines/history_ddl.h"
#include "schema/update_dialect.h"

namespace bru::schema::dialects {

class PostgresUpdate final : public UpdateDialect {
 public:
  std::string_view name() const override { return "postgres"; }
  bool transactional_ddl() const override { return true; }
  std::string history_exists_sql() const override {
    return "SELECT 1 WHERE to_regclass('bru_schema_history') IS NOT NULL";
  }
  std::string create_history_sql() const override {
    return history_ddl("integer", "bigint",
                       [](int n) { return fmt::format("varchar({})", n); },
                       "timestamp with time zone DEFAULT CURRENT_TIMESTAMP", "");
  }
  std::string history_migrated_sql() const override {
    return "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('bru_schema_history') AND "
           "attname = 'kind' AND NOT attisdropped";
  }
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD COLUMN kind varchar(20)",
            "ALTER TABLE bru_schema_history ADD COLUMN statement_checksums text"};
  }
  // psqlODBC binds text parameters as varchar, which PostgreSQL will not put into an integer
  // column without a cast.
  std::string insert_history_sql() const override {
    return "INSERT INTO bru_schema_history (installed_rank, version, description, script, "
           "checksum, installed_by, execution_ms, success, statement_count, statements_done, "
           "kind, statement_checksums) VALUES (CAST(? AS integer), ?, ?, ?, ?, ?, CAST(? AS "
           "bigint), CAST(? AS integer), CAST(? AS integer), CAST(? AS integer), ?, ?)";
  }
  std::string update_history_sql() const override {
    return "UPDATE bru_schema_history SET checksum = ?, execution_ms = CAST(? AS bigint), "
           "success = CAST(? AS integer), statement_count = CAST(? AS integer), "
           "statements_done = CAST(? AS integer), statement_checksums = ? WHERE installed_rank = "
           "CAST(? AS integer)";
  }
  std::string repair_checksum_sql() const override {
    return "UPDATE bru_schema_history SET checksum = ? WHERE installed_rank = CAST(? AS integer)";
  }
  std::string current_user_sql() const override { return "SELECT current_user"; }
  std::string installed_on_text() const override {
    return "to_char(installed_on, 'YYYY-MM-DD HH24:MI:SS')";
  }
  std::string try_lock_sql() const override {
    return fmt::format("SELECT CASE WHEN pg_try_advisory_lock({}) THEN 1 ELSE 0 END",
                       kPostgresLockKey);
  }
  std::string unlock_sql() const override {
    return fmt::format("SELECT pg_advisory_unlock({})", kPostgresLockKey);
  }
  // A one-bigint advisory lock shows in pg_locks as classid (high 32 bits), objid (low 32 bits)
  // and objsubid 1, per database.
  std::string lock_holder_sql() const override {
    return fmt::format(
        "SELECT a.usename || COALESCE('@' || host(a.client_addr), '') || ' (pid ' || a.pid || "
        "')', to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') FROM pg_locks l JOIN "
        "pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
        "l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = {} AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database()) AND l.pid <> "
        "pg_backend_pid()",
        kPostgresLockKey);
  }
};

}  // namespace bru::schema::dialects

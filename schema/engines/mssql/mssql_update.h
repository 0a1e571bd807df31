// SQL Server's update facet (schema/update_dialect.h): its history table, session lock and section
// transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "schema/engines/history_ddl.h"
#include "schema/update_dialect.h"

namespace bru::schema::dialects {

class MssqlUpdate final : public UpdateDialect {
 public:
  std::string_view name() const override { return "mssql"; }
  bool transactional_ddl() const override { return true; }
  std::string history_exists_sql() const override {
    return "SELECT 1 WHERE OBJECT_ID(N'bru_schema_history', N'U') IS NOT NULL";
  }
  std::string create_history_sql() const override {
    return history_ddl("INT", "BIGINT",
                       [](int n) { return fmt::format("NVARCHAR({})", n); },
                       "DATETIME2 DEFAULT SYSDATETIME()", "");
  }
  std::string history_migrated_sql() const override {
    return "SELECT 1 WHERE COL_LENGTH(N'bru_schema_history', N'kind') IS NOT NULL";
  }
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD kind NVARCHAR(20) NULL",
            "ALTER TABLE bru_schema_history ADD statement_checksums NVARCHAR(MAX) NULL"};
  }
  std::string current_user_sql() const override { return "SELECT SUSER_SNAME()"; }
  // Style 120 is ODBC canonical, yyyy-mm-dd hh:mi:ss.
  std::string installed_on_text() const override {
    return "CONVERT(VARCHAR(19), installed_on, 120)";
  }
  // Polled with a zero timeout (bru does the waiting, so it can say who holds the lock);
  // sp_getapplock returns 0 or 1 when granted, negative when not.
  std::string try_lock_sql() const override {
    return fmt::format(
        "DECLARE @result INT;\n"
        "EXEC @result = sp_getapplock @Resource = N'{}', @LockMode = 'Exclusive', "
        "@LockOwner = 'Session', @LockTimeout = 0;\n"
        "SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END",
        kLockName);
  }
  std::string plan_terminator(int repeat) const override {
    return repeat > 1 ? fmt::format("GO {}", repeat) : "GO";
  }
  std::string unlock_sql() const override {
    return fmt::format("EXEC sp_releaseapplock @Resource = N'{}', @LockOwner = 'Session'",
                       kLockName);
  }
  std::string lock_holder_sql() const override {
    return fmt::format(
        "SELECT TOP 1 s.login_name + N'@' + ISNULL(s.host_name, N'') + N' (session ' + "
        "CAST(s.session_id AS NVARCHAR(10)) + N')', CONVERT(VARCHAR(19), s.login_time, 120) "
        "FROM sys.dm_tran_locks l JOIN sys.dm_exec_sessions s ON s.session_id = "
        "l.request_session_id WHERE l.resource_type = N'APPLICATION' AND "
        "l.resource_database_id = DB_ID() AND l.request_status = N'GRANT' AND "
        "l.resource_description LIKE N'%[[]{}]%' AND l.request_session_id <> "
        "@@SPID",
        kLockName);
  }
};

}  // namespace bru::schema::dialects

// Oracle's update facet (schema/update_dialect.h): its history table, session lock and section
// transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "schema/engines/history_ddl.h"
#include "schema/update_dialect.h"

namespace bru::schema::dialects {

class OracleUpdate final : public UpdateDialect {
 public:
  std::string_view name() const override { return "oracle"; }
  bool transactional_ddl() const override { return false; }
  std::string history_exists_sql() const override {
    return "SELECT 1 FROM user_tables WHERE table_name = 'BRU_SCHEMA_HISTORY'";
  }
  std::string create_history_sql() const override {
    return history_ddl("NUMBER(10)", "NUMBER(19)",
                       [](int n) { return fmt::format("NVARCHAR2({})", n); },
                       "TIMESTAMP DEFAULT CURRENT_TIMESTAMP", "");
  }
  std::string history_migrated_sql() const override {
    return "SELECT 1 FROM user_tab_columns WHERE table_name = 'BRU_SCHEMA_HISTORY' AND "
           "column_name = 'KIND'";
  }
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD kind NVARCHAR2(20)",
            "ALTER TABLE bru_schema_history ADD statement_checksums CLOB"};
  }
  std::string current_user_sql() const override { return "SELECT USER FROM dual"; }
  std::string installed_on_text() const override {
    return "TO_CHAR(installed_on, 'YYYY-MM-DD HH24:MI:SS')";
  }
  // DBMS_LOCK.REQUEST returns 0 (granted) or 4 (already ours); 1 is a timeout. The block raises
  // ORA-20001 instead, since an anonymous block returns no rows through ODBC.
  std::string try_lock_sql() const override {
    return fmt::format(
        "DECLARE\n"
        "  lock_handle VARCHAR2(128);\n"
        "  result INTEGER;\n"
        "BEGIN\n"
        "  DBMS_LOCK.ALLOCATE_UNIQUE('{0}', lock_handle);\n"
        "  result := DBMS_LOCK.REQUEST(lock_handle, DBMS_LOCK.X_MODE, 0, FALSE);\n"
        "  IF result NOT IN (0, 4) THEN\n"
        "    RAISE_APPLICATION_ERROR(-20001, '{0} lock is held (DBMS_LOCK.REQUEST returned ' || "
        "result || ')');\n"
        "  END IF;\n"
        "END;",
        kLockName);
  }
  LockReport lock_report() const override { return LockReport::kError; }
  std::string plan_terminator(int repeat) const override {
    (void)repeat;
    return "/";
  }
  long lock_busy_native_code() const override { return 20001; }
  std::string unlock_sql() const override {
    return fmt::format(
        "DECLARE\n"
        "  lock_handle VARCHAR2(128);\n"
        "  result INTEGER;\n"
        "BEGIN\n"
        "  DBMS_LOCK.ALLOCATE_UNIQUE('{}', lock_handle);\n"
        "  result := DBMS_LOCK.RELEASE(lock_handle);\n"
        "END;",
        kLockName);
  }
  // NVARCHAR2: character lengths whatever the database character set. V$LOCK and V$SESSION are
  // quoted (their public synonyms are upper case) so that parsers without `$` in names read them.
  // DBMS_LOCK locks show in V$LOCK as type UL with id1 the lock id DBMS_LOCK_ALLOCATED gave the
  // name (needs SELECT on those views; without it bru reports the holder as unknown).
  std::string lock_holder_sql() const override {
    return fmt::format(
        "SELECT s.username || '@' || s.machine || ' (sid ' || s.sid || ')', "
        "TO_CHAR(s.logon_time, 'YYYY-MM-DD HH24:MI:SS') FROM \"V$LOCK\" l JOIN \"V$SESSION\" s ON "
        "s.sid = l.sid WHERE l.type = 'UL' AND l.lmode = 6 AND l.id1 = (SELECT a.lockid FROM "
        "sys.dbms_lock_allocated a WHERE a.name = '{}') AND s.sid <> SYS_CONTEXT('USERENV', "
        "'SID')",
        kLockName);
  }
};

}  // namespace bru::schema::dialects

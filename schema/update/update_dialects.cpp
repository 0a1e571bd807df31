// The update facet of each engine (schema/update_dialect.h). One small class per engine; the
// history statements all engines share are the base class's defaults.
#include <functional>

#include <fmt/format.h>

#include "schema/dialect_names.h"
#include "schema/error.h"
#include "schema/update_dialect.h"

namespace bru::schema {

std::string UpdateDialect::select_history_sql(bool migrated) const {
  return fmt::format(
      "SELECT installed_rank, version, description, script, checksum, success, "
      "statement_count, statements_done, installed_by, {}, execution_ms{} FROM bru_schema_history "
      "ORDER BY installed_rank",
      installed_on_text(), migrated ? ", kind, statement_checksums" : "");
}

std::string UpdateDialect::insert_history_sql() const {
  return "INSERT INTO bru_schema_history (installed_rank, version, description, script, "
         "checksum, installed_by, execution_ms, success, statement_count, statements_done, kind, "
         "statement_checksums) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

std::string UpdateDialect::update_history_sql() const {
  return "UPDATE bru_schema_history SET checksum = ?, execution_ms = ?, success = ?, "
         "statement_count = ?, statements_done = ?, statement_checksums = ? WHERE "
         "installed_rank = ?";
}

std::string UpdateDialect::repair_checksum_sql() const {
  return "UPDATE bru_schema_history SET checksum = ? WHERE installed_rank = ?";
}

namespace {

// The columns, with each engine's types filled in: integer, text of n characters, timestamp
// with its default of "now", and the table's trailing options.
std::string history_ddl(std::string_view integer, std::string_view big_integer,
                        const std::function<std::string(int)>& text, std::string_view timestamp,
                        std::string_view options) {
  return fmt::format(
      "CREATE TABLE bru_schema_history (\n"
      "  installed_rank {0} NOT NULL PRIMARY KEY,\n"
      "  version {1} NOT NULL,\n"
      "  description {2} NOT NULL,\n"
      "  script {3} NOT NULL,\n"
      "  checksum {4} NOT NULL,\n"
      "  installed_by {5} NOT NULL,\n"
      "  installed_on {6} NOT NULL,\n"
      "  execution_ms {7} NOT NULL,\n"
      "  success {0} NOT NULL,\n"
      "  statement_count {0} NOT NULL,\n"
      "  statements_done {0} NOT NULL\n"
      "){8}",
      integer, text(50), text(200), text(1000), text(32), text(128), timestamp, big_integer,
      options);
}

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
  // psqlODBC binds text parameters as varchar, which PostgreSQL will not put into an integer
  // column without a cast.
  std::string history_migrated_sql() const override {
    return "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('bru_schema_history') AND "
           "attname = 'kind' AND NOT attisdropped";
  }
  std::vector<std::string> migrate_history_sql() const override {
    return {"ALTER TABLE bru_schema_history ADD COLUMN kind varchar(20)",
            "ALTER TABLE bru_schema_history ADD COLUMN statement_checksums text"};
  }
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
  std::string try_lock_sql() const override {
    return fmt::format("SELECT GET_LOCK('{}', 0)", kLockName);
  }
  std::string unlock_sql() const override {
    return fmt::format("SELECT RELEASE_LOCK('{}')", kLockName);
  }
  // MariaDB does not keep when a session started or took the lock; the start of the holder's
  // current command (NOW() - TIME) is the closest it tells.
  std::string lock_holder_sql() const override {
    return fmt::format(
        "SELECT CONCAT(p.USER, '@', p.HOST, ' (connection ', p.ID, ')'), "
        "DATE_FORMAT(NOW() - INTERVAL p.TIME SECOND, '%Y-%m-%d %H:%i:%s') FROM "
        "information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK('{}')",
        kLockName);
  }
};

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

}  // namespace

std::unique_ptr<UpdateDialect> make_update_dialect(std::string_view name) {
  if (name == "postgres") return std::make_unique<PostgresUpdate>();
  if (name == "sqlite") return std::make_unique<SqliteUpdate>();
  if (name == "mariadb") return std::make_unique<MariadbUpdate>();
  if (name == "mssql") return std::make_unique<MssqlUpdate>();
  if (name == "oracle") return std::make_unique<OracleUpdate>();
  throw unknown_dialect(name, dialect_names());
}

}  // namespace bru::schema

SELECT 1 FROM user_tables WHERE table_name = 'BRU_SCHEMA_HISTORY';
CREATE TABLE bru_schema_history (
  installed_rank NUMBER(10) NOT NULL PRIMARY KEY,
  version NVARCHAR2(50) NOT NULL,
  description NVARCHAR2(200) NOT NULL,
  script NVARCHAR2(1000) NOT NULL,
  checksum NVARCHAR2(32) NOT NULL,
  installed_by NVARCHAR2(128) NOT NULL,
  installed_on TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  execution_ms NUMBER(19) NOT NULL,
  success NUMBER(10) NOT NULL,
  statement_count NUMBER(10) NOT NULL,
  statements_done NUMBER(10) NOT NULL
);
SELECT 1 FROM user_tab_columns WHERE table_name = 'BRU_SCHEMA_HISTORY' AND column_name = 'KIND';
ALTER TABLE bru_schema_history ADD kind NVARCHAR2(20);
ALTER TABLE bru_schema_history ADD statement_checksums CLOB;
SELECT installed_rank, version, description, script, checksum, success, statement_count, statements_done, installed_by, TO_CHAR(installed_on, 'YYYY-MM-DD HH24:MI:SS'), execution_ms FROM bru_schema_history ORDER BY installed_rank;
SELECT installed_rank, version, description, script, checksum, success, statement_count, statements_done, installed_by, TO_CHAR(installed_on, 'YYYY-MM-DD HH24:MI:SS'), execution_ms, kind, statement_checksums FROM bru_schema_history ORDER BY installed_rank;
INSERT INTO bru_schema_history (installed_rank, version, description, script, checksum, installed_by, execution_ms, success, statement_count, statements_done, kind, statement_checksums) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
UPDATE bru_schema_history SET checksum = ?, execution_ms = ?, success = ?, statement_count = ?, statements_done = ?, statement_checksums = ? WHERE installed_rank = ?;
UPDATE bru_schema_history SET checksum = ? WHERE installed_rank = ?;
SELECT USER FROM dual;
SELECT s.username || '@' || s.machine || ' (sid ' || s.sid || ')', TO_CHAR(s.logon_time, 'YYYY-MM-DD HH24:MI:SS') FROM "V$LOCK" l JOIN "V$SESSION" s ON s.sid = l.sid WHERE l.type = 'UL' AND l.lmode = 6 AND l.id1 = (SELECT a.lockid FROM sys.dbms_lock_allocated a WHERE a.name = 'bru_update') AND s.sid <> SYS_CONTEXT('USERENV', 'SID');

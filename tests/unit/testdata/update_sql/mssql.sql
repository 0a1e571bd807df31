SELECT 1 WHERE OBJECT_ID(N'bru_schema_history', N'U') IS NOT NULL
GO
CREATE TABLE bru_schema_history (
  installed_rank INT NOT NULL PRIMARY KEY,
  version NVARCHAR(50) NOT NULL,
  description NVARCHAR(200) NOT NULL,
  script NVARCHAR(1000) NOT NULL,
  checksum NVARCHAR(32) NOT NULL,
  installed_by NVARCHAR(128) NOT NULL,
  installed_on DATETIME2 DEFAULT SYSDATETIME() NOT NULL,
  execution_ms BIGINT NOT NULL,
  success INT NOT NULL,
  statement_count INT NOT NULL,
  statements_done INT NOT NULL
)
GO
SELECT 1 WHERE COL_LENGTH(N'bru_schema_history', N'kind') IS NOT NULL
GO
ALTER TABLE bru_schema_history ADD kind NVARCHAR(20) NULL
GO
ALTER TABLE bru_schema_history ADD statement_checksums NVARCHAR(MAX) NULL
GO
SELECT installed_rank, version, description, script, checksum, success, statement_count, statements_done, installed_by, CONVERT(VARCHAR(19), installed_on, 120), execution_ms FROM bru_schema_history ORDER BY installed_rank
GO
SELECT installed_rank, version, description, script, checksum, success, statement_count, statements_done, installed_by, CONVERT(VARCHAR(19), installed_on, 120), execution_ms, kind, statement_checksums FROM bru_schema_history ORDER BY installed_rank
GO
INSERT INTO bru_schema_history (installed_rank, version, description, script, checksum, installed_by, execution_ms, success, statement_count, statements_done, kind, statement_checksums) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
GO
UPDATE bru_schema_history SET checksum = ?, execution_ms = ?, success = ?, statement_count = ?, statements_done = ?, statement_checksums = ? WHERE installed_rank = ?
GO
UPDATE bru_schema_history SET checksum = ? WHERE installed_rank = ?
GO
SELECT SUSER_SNAME()
GO
SELECT TOP 1 s.login_name + N'@' + ISNULL(s.host_name, N'') + N' (session ' + CAST(s.session_id AS NVARCHAR(10)) + N')', CONVERT(VARCHAR(19), s.login_time, 120) FROM sys.dm_tran_locks l JOIN sys.dm_exec_sessions s ON s.session_id = l.request_session_id WHERE l.resource_type = N'APPLICATION' AND l.resource_database_id = DB_ID() AND l.request_status = N'GRANT' AND l.resource_description LIKE N'%[[]bru_update]%' AND l.request_session_id <> @@SPID
GO

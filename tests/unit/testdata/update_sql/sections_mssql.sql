-- The update script behind plan_mssql.sql (tests/cli/update_offline_plan_test.cpp): a
-- transaction-off section, undo sections and a repeatable section for SQL Server.
-- bru:version 1.0
-- bru:description task table
CREATE TABLE task (id INT NOT NULL PRIMARY KEY, name NVARCHAR(100) NOT NULL)
GO
CREATE INDEX task_name ON task (name)
GO
-- bru:undo 1.0
-- bru:description drop the task table
DROP TABLE task
GO
-- bru:version 1.1
-- bru:description snapshot isolation
-- bru:transaction off
ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON
GO
ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE
GO
-- bru:undo 1.1
-- bru:transaction off
ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT OFF WITH ROLLBACK IMMEDIATE
GO
ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION OFF
GO
-- bru:repeatable task views
CREATE OR ALTER VIEW task_names AS SELECT id, name FROM task
GO

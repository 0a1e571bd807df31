-- offline plan (-DIALECT mssql): all 3 sections
-- bru:version 1.0 (task table)
-- at <script>:5
CREATE TABLE task (id INT NOT NULL PRIMARY KEY, name NVARCHAR(100) NOT NULL)
GO
-- at <script>:7
CREATE INDEX task_name ON task (name)
GO
-- bru:version 1.1 (snapshot isolation)
-- bru:transaction off (statement by statement, progress recorded after each)
-- at <script>:16
ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON
GO
-- at <script>:18
ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE
GO
-- bru:repeatable task views
-- at <script>:27
CREATE OR ALTER VIEW task_names AS SELECT id, name FROM task
GO
-- offline undo plan (-DIALECT mssql): 2 versions above 0
-- bru:undo 1.1
-- bru:transaction off (statement by statement, progress recorded after each)
-- at <script>:22
ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT OFF WITH ROLLBACK IMMEDIATE
GO
-- at <script>:24
ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION OFF
GO
-- bru:undo 1.0 (drop the task table)
-- at <script>:11
DROP TABLE task
GO

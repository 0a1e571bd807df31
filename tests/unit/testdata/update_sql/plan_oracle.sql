-- offline plan (-DIALECT oracle): all 3 sections
-- bru:version 1.0 (task table)
-- at <script>:6
CREATE TABLE task (id NUMBER(10) NOT NULL PRIMARY KEY, name NVARCHAR2(100) NOT NULL)
/
-- at <script>:7
CREATE INDEX task_name ON task (name)
/
-- bru:version 1.1 (done flag)
-- bru:transaction off (statement by statement, progress recorded after each)
-- at <script>:14
ALTER TABLE task ADD done NUMBER(1) DEFAULT 0 NOT NULL
/
-- at <script>:15
CREATE INDEX task_done ON task (done)
/
-- bru:repeatable task views
-- at <script>:20
CREATE OR REPLACE VIEW task_names AS SELECT id, name FROM task
/
-- offline undo plan (-DIALECT oracle): 2 versions above 0
-- bru:undo 1.1
-- at <script>:17
DROP INDEX task_done
/
-- at <script>:18
ALTER TABLE task DROP COLUMN done
/
-- bru:undo 1.0 (drop the task table)
-- at <script>:10
DROP TABLE task
/

-- The update script behind plan_oracle.sql (tests/cli/update_offline_plan_test.cpp): a
-- transaction-off section (Oracle runs every section statement by statement anyway), undo
-- sections and a repeatable section for Oracle.
-- bru:version 1.0
-- bru:description task table
CREATE TABLE task (id NUMBER(10) NOT NULL PRIMARY KEY, name NVARCHAR2(100) NOT NULL);
CREATE INDEX task_name ON task (name);
-- bru:undo 1.0
-- bru:description drop the task table
DROP TABLE task;
-- bru:version 1.1
-- bru:description done flag
-- bru:transaction off
ALTER TABLE task ADD done NUMBER(1) DEFAULT 0 NOT NULL;
CREATE INDEX task_done ON task (done);
-- bru:undo 1.1
DROP INDEX task_done;
ALTER TABLE task DROP COLUMN done;
-- bru:repeatable task views
CREATE OR REPLACE VIEW task_names AS SELECT id, name FROM task;

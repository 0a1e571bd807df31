CREATE INDEX task_name ON task (name);

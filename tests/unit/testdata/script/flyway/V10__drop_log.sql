
DROP TABLE task_log;

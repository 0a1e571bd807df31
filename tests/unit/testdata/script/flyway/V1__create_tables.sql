-- The first migration of the folder.
CREATE TABLE task (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL -- a name; never empty
);
CREATE TABLE task_log (task_id INTEGER, note TEXT);

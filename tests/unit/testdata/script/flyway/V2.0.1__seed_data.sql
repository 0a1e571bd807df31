INSERT INTO {{schema}}.task VALUES (1, 'first; of {{schema}}');
INSERT INTO task_log VALUES (1, '${not_a_placeholder}');

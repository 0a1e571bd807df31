SELECT COUNT(*) FROM sys.tables WHERE object_id = OBJECT_ID(N'bru_migrate_progress')
GO
CREATE TABLE bru_migrate_progress (part_id NVARCHAR(200) NOT NULL PRIMARY KEY, mapping NVARCHAR(100) NOT NULL, step NVARCHAR(12) NOT NULL, state NVARCHAR(12) NOT NULL, last_key NVARCHAR(1000) NULL, source_rows BIGINT NOT NULL, target_rows BIGINT NOT NULL, overlap_rows BIGINT NOT NULL, overlap_first NVARCHAR(40) NULL, overlap_last NVARCHAR(40) NULL, target_before BIGINT NULL, started_at NVARCHAR(20) NULL, finished_at NVARCHAR(20) NULL, updated_at NVARCHAR(20) NOT NULL, runs INTEGER NOT NULL)
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'business_unit', N'business_unit', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'business_unit'
GO
SELECT TOP (50000) f.vpabx_id AS c0, f.vpabx_name AS c1, f.time_zone AS c2 FROM virtual_pabx f ORDER BY f.vpabx_id
GO
SELECT TOP (50000) f.vpabx_id AS c0, f.vpabx_name AS c1, f.time_zone AS c2 FROM virtual_pabx f WHERE f.vpabx_id >= N'41' AND ((f.vpabx_id > N'41')) ORDER BY f.vpabx_id
GO
INSERT INTO business_unit (business_unit_id, name, time_zone) VALUES (N'1', N'2', N'3'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00')
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'business_unit'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'business_unit')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'site/pabx', N'site', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'site/pabx'
GO
SELECT TOP (50000) f.pabx_id AS c0, f.vpabx_id AS c1, f.pabx_name AS c2, f.time_zone AS c3 FROM pabx f ORDER BY f.pabx_id
GO
SELECT TOP (50000) f.pabx_id AS c0, f.vpabx_id AS c1, f.pabx_name AS c2, f.time_zone AS c3 FROM pabx f WHERE f.pabx_id >= N'41' AND ((f.pabx_id > N'41')) ORDER BY f.pabx_id
GO
INSERT INTO site (business_unit_id, name, site_id, time_zone) VALUES (N'1', N'2', N'3', N'4'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00', N'O''Brien, Zoë, 東京')
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'site/pabx'
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'site/location', N'site', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'site/location'
GO
SELECT TOP (50000) f.location_id AS c0, f.vpabx_id AS c1, f.location_name AS c2, f.time_zone AS c3 FROM location f ORDER BY f.location_id
GO
SELECT TOP (50000) f.location_id AS c0, f.vpabx_id AS c1, f.location_name AS c2, f.time_zone AS c3 FROM location f WHERE f.location_id >= N'41' AND ((f.location_id > N'41')) ORDER BY f.location_id
GO
INSERT INTO site (business_unit_id, name, site_id, time_zone) VALUES (N'1', N'2', N'3', N'4'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00', N'O''Brien, Zoë, 東京')
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'site/location'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'site')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'multi_site_activity_member', N'multi_site_activity_member', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'multi_site_activity_member'
GO
SELECT TOP (50000) f.virtual_activity_id AS c0, f.activity_id AS c1 FROM virtual_activity_member f ORDER BY f.virtual_activity_id, f.activity_id
GO
SELECT TOP (50000) f.virtual_activity_id AS c0, f.activity_id AS c1 FROM virtual_activity_member f WHERE f.virtual_activity_id >= N'41' AND ((f.virtual_activity_id > N'41') OR (f.virtual_activity_id = N'41' AND f.activity_id > N'42')) ORDER BY f.virtual_activity_id, f.activity_id
GO
INSERT INTO multi_site_activity_member (activity_id, multi_site_activity_id) VALUES (N'1', N'2'), (N'O''Brien, Zoë, 東京', NULL)
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41","42"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'multi_site_activity_member'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'multi_site_activity_member')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'user_permission', N'user_permission', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'user_permission'
GO
SELECT TOP (50000) f.supervisor_id AS c0, f.right_code AS c1 FROM supervisor_right f ORDER BY f.supervisor_id, f.right_code
GO
SELECT TOP (50000) f.supervisor_id AS c0, f.right_code AS c1 FROM supervisor_right f WHERE f.supervisor_id >= N'41' AND ((f.supervisor_id > N'41') OR (f.supervisor_id = N'41' AND f.right_code > N'42')) ORDER BY f.supervisor_id, f.right_code
GO
INSERT INTO user_permission (permission_id, user_id) VALUES (N'1', N'2'), (N'O''Brien, Zoë, 東京', NULL)
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41","42"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'user_permission'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'user_permission')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'agent_information', N'agent_information', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'agent_information'
GO
SELECT TOP (50000) f.employee_id AS c0, j.cti_login AS c1, j.cti_place AS c2, f.notes AS c3, f.seniority_date AS c4 FROM employee_information f LEFT JOIN cti_system_information j ON j.employee_id = f.employee_id ORDER BY f.employee_id
GO
SELECT TOP (50000) f.employee_id AS c0, j.cti_login AS c1, j.cti_place AS c2, f.notes AS c3, f.seniority_date AS c4 FROM employee_information f LEFT JOIN cti_system_information j ON j.employee_id = f.employee_id WHERE f.employee_id >= N'41' AND ((f.employee_id > N'41')) ORDER BY f.employee_id
GO
INSERT INTO agent_information (agent_id, cti_login, cti_place, notes, seniority_date) VALUES (N'1', N'2', N'3', N'4', N'5'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00', N'O''Brien, Zoë, 東京', NULL)
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'agent_information'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'agent_information')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'schedule', N'schedule', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'schedule'
GO
SELECT TOP (50000) f.schedule_id AS c0, f.activity_id AS c1, f.employee_id AS c2, f.end_time AS c3, f.start_time AS c4 FROM schedule f ORDER BY f.schedule_id
GO
SELECT TOP (50000) f.schedule_id AS c0, f.activity_id AS c1, f.employee_id AS c2, f.end_time AS c3, f.start_time AS c4 FROM schedule f WHERE f.schedule_id >= N'41' AND ((f.schedule_id > N'41')) ORDER BY f.schedule_id
GO
INSERT INTO schedule (activity_id, agent_id, end_at, schedule_id, start_at) VALUES (N'1', N'2', N'3', N'4', N'5'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00', N'O''Brien, Zoë, 東京', NULL)
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'schedule'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'schedule')
GO
INSERT INTO bru_migrate_progress (part_id, mapping, step, state, source_rows, target_rows, overlap_rows, updated_at, runs) VALUES (N'performance_data', N'performance_data', N'base', N'pending', 0, 0, 0, N'2026-12-02 13:00:00', 0)
GO
SELECT part_id, mapping, state, last_key, source_rows, target_rows, overlap_rows, overlap_first, overlap_last, target_before, started_at, finished_at, updated_at, runs FROM bru_migrate_progress WHERE part_id = N'performance_data'
GO
SELECT TOP (50000) f.activity_id AS c0, f.interval_start AS c1, f.handle_time AS c2, f.calls_handled AS c3, f.calls_offered AS c4 FROM interval_statistics f ORDER BY f.activity_id, f.interval_start
GO
SELECT TOP (50000) f.activity_id AS c0, f.interval_start AS c1, f.handle_time AS c2, f.calls_handled AS c3, f.calls_offered AS c4 FROM interval_statistics f WHERE f.activity_id >= N'41' AND ((f.activity_id > N'41') OR (f.activity_id = N'41' AND f.interval_start > N'42')) ORDER BY f.activity_id, f.interval_start
GO
INSERT INTO performance_data (activity_id, handle_seconds, handled, interval_start, offered) VALUES (N'1', N'2', N'3', N'4', N'5'), (N'O''Brien, Zoë, 東京', NULL, N'2026-03-29 02:30:00', N'O''Brien, Zoë, 東京', NULL)
GO
UPDATE bru_migrate_progress SET state = N'running', last_key = N'["41","42"]', source_rows = 50000, target_rows = 50000, overlap_rows = 0, overlap_first = NULL, overlap_last = NULL, target_before = NULL, started_at = N'2026-12-02 13:00:00', finished_at = NULL, updated_at = N'2026-12-02 13:00:05', runs = 1 WHERE part_id = N'performance_data'
GO
SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'performance_data')
GO
INSERT INTO document (document_id, content) VALUES (N'1', CONVERT(VARBINARY(MAX), '00ff275c', 2)), (N'2', CONVERT(VARBINARY(MAX), '', 2)), (N'3', NULL)
GO
SET IDENTITY_INSERT schedule ON
GO
SET IDENTITY_INSERT schedule OFF
GO

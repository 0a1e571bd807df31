-- wfm7_MARIADB.sql: The WFM database, MariaDB, as a bru update script.
--   bru -UPDATE -DB "mariadb;<server[:port]>;<database>;<user>;<password>"
--       -SCRIPT sql/wfm/wfm7_MARIADB.sql
-- takes an empty database, or one at any earlier version of this file, to the latest
-- (7.6 -> 8.0 -> 8.1 -> 8.5.0 -> 8.5.1 -> 8.5.2); sections already applied are skipped.
-- A database an older tool created has no bru history: record its version first with
-- bru -BASELINE <version> -DB <conn>. sql/wfm/README.md maps the WFM terms to the tables.
-- Statements end with ';'; the procedure's BEGIN ... END body is kept whole by bru's
-- splitter. MariaDB commits DDL at once: bru records each statement done, and a re-run
-- resumes after the last one. Needs MariaDB 10.5 or later (RENAME COLUMN).
-- The versions' sections are the same on every engine: same tables, columns, keys.

-- bru:version 7.6
-- bru:description WFM 7.6 base schema
-- Business units, their sites, and the daylight-saving information of each time zone.
CREATE TABLE business_unit (
    business_unit_id INT NOT NULL,
    name             VARCHAR(100) NOT NULL,
    time_zone        VARCHAR(64) NOT NULL,
    CONSTRAINT pk_business_unit PRIMARY KEY (business_unit_id),
    CONSTRAINT uq_business_unit_name UNIQUE (name)
) ENGINE = InnoDB;
CREATE TABLE site (
    site_id          INT NOT NULL,
    business_unit_id INT NOT NULL,
    name             VARCHAR(100) NOT NULL,
    time_zone        VARCHAR(64) NOT NULL,
    CONSTRAINT pk_site PRIMARY KEY (site_id),
    CONSTRAINT fk_site_business_unit FOREIGN KEY (business_unit_id)
        REFERENCES business_unit (business_unit_id)
) ENGINE = InnoDB;
CREATE TABLE dst_information (
    dst_information_id INT NOT NULL,
    time_zone          VARCHAR(64) NOT NULL,
    dst_year           SMALLINT NOT NULL,
    starts_at          DATETIME NOT NULL,
    ends_at            DATETIME NOT NULL,
    offset_minutes     SMALLINT NOT NULL,
    CONSTRAINT pk_dst_information PRIMARY KEY (dst_information_id),
    CONSTRAINT uq_dst_information UNIQUE (time_zone, dst_year),
    CONSTRAINT ck_dst_information_range CHECK (ends_at > starts_at)
) ENGINE = InnoDB;
-- Activities. work_type: immediate work (phone), deferred work (e-mail, back office), or
-- fixed-staff work. A multi-site activity (multi_site = 1, no site) groups activities of several
-- sites; an activity set is a group of activities of one site an agent works together.
CREATE TABLE activity (
    activity_id      INT NOT NULL,
    business_unit_id INT NOT NULL,
    name             VARCHAR(100) NOT NULL,
    work_type        VARCHAR(16) NOT NULL,
    multi_site       BOOLEAN DEFAULT 0 NOT NULL,
    site_id          INT NULL,
    CONSTRAINT pk_activity PRIMARY KEY (activity_id),
    CONSTRAINT fk_activity_business_unit FOREIGN KEY (business_unit_id)
        REFERENCES business_unit (business_unit_id),
    CONSTRAINT fk_activity_site FOREIGN KEY (site_id)
        REFERENCES site (site_id),
    CONSTRAINT ck_activity_work_type
        CHECK (work_type IN ('immediate', 'deferred', 'fixed_staff'))
) ENGINE = InnoDB;
CREATE TABLE multi_site_activity_member (
    multi_site_activity_id INT NOT NULL,
    activity_id            INT NOT NULL,
    CONSTRAINT pk_multi_site_activity_member PRIMARY KEY (multi_site_activity_id, activity_id),
    CONSTRAINT fk_msa_member_parent FOREIGN KEY (multi_site_activity_id)
        REFERENCES activity (activity_id),
    CONSTRAINT fk_msa_member_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id)
) ENGINE = InnoDB;
CREATE TABLE activity_set (
    activity_set_id INT NOT NULL,
    site_id         INT NOT NULL,
    name            VARCHAR(100) NOT NULL,
    start_date      DATE NULL,
    end_date        DATE NULL,
    CONSTRAINT pk_activity_set PRIMARY KEY (activity_set_id),
    CONSTRAINT fk_activity_set_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE activity_set_member (
    activity_set_id INT NOT NULL,
    activity_id     INT NOT NULL,
    CONSTRAINT pk_activity_set_member PRIMARY KEY (activity_set_id, activity_id),
    CONSTRAINT fk_as_member_activity_set FOREIGN KEY (activity_set_id)
        REFERENCES activity_set (activity_set_id),
    CONSTRAINT fk_as_member_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id)
) ENGINE = InnoDB;
-- Adherence: the agent states the switch reports (with their reasons) belong to schedule
-- state groups; an adherence rule says which state is adherent to which group, and after how long.
CREATE TABLE schedule_state_group (
    schedule_state_group_id INT NOT NULL,
    site_id                 INT NOT NULL,
    name                    VARCHAR(100) NOT NULL,
    CONSTRAINT pk_schedule_state_group PRIMARY KEY (schedule_state_group_id),
    CONSTRAINT fk_schedule_state_group_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE reason (
    reason_id        INT NOT NULL,
    business_unit_id INT NOT NULL,
    code             VARCHAR(20) NOT NULL,
    name             VARCHAR(100) NOT NULL,
    paid             BOOLEAN DEFAULT 0 NOT NULL,
    CONSTRAINT pk_reason PRIMARY KEY (reason_id),
    CONSTRAINT uq_reason_code UNIQUE (business_unit_id, code),
    CONSTRAINT fk_reason_business_unit FOREIGN KEY (business_unit_id)
        REFERENCES business_unit (business_unit_id)
) ENGINE = InnoDB;
CREATE TABLE agent_state (
    agent_state_id          INT NOT NULL,
    site_id                 INT NOT NULL,
    name                    VARCHAR(100) NOT NULL,
    event_code              VARCHAR(40) NOT NULL,
    schedule_state_group_id INT NULL,
    reason_id               INT NULL,
    CONSTRAINT pk_agent_state PRIMARY KEY (agent_state_id),
    CONSTRAINT fk_agent_state_site FOREIGN KEY (site_id)
        REFERENCES site (site_id),
    CONSTRAINT fk_agent_state_ssg FOREIGN KEY (schedule_state_group_id)
        REFERENCES schedule_state_group (schedule_state_group_id),
    CONSTRAINT fk_agent_state_reason FOREIGN KEY (reason_id)
        REFERENCES reason (reason_id)
) ENGINE = InnoDB;
CREATE TABLE adherence_rule (
    adherence_rule_id       INT NOT NULL,
    site_id                 INT NOT NULL,
    name                    VARCHAR(100) NOT NULL,
    schedule_state_group_id INT NOT NULL,
    agent_state_id          INT NOT NULL,
    threshold_seconds       INT DEFAULT 0 NOT NULL,
    CONSTRAINT pk_adherence_rule PRIMARY KEY (adherence_rule_id),
    CONSTRAINT fk_adherence_rule_site FOREIGN KEY (site_id)
        REFERENCES site (site_id),
    CONSTRAINT fk_adherence_rule_ssg FOREIGN KEY (schedule_state_group_id)
        REFERENCES schedule_state_group (schedule_state_group_id),
    CONSTRAINT fk_adherence_rule_agent_state FOREIGN KEY (agent_state_id)
        REFERENCES agent_state (agent_state_id)
) ENGINE = InnoDB;
-- Security: users, WFM users (users with rights in WFM, for one business unit or all), and
-- the permissions each user holds. Calendar rights are fine-grained: add, edit, delete items;
-- prefer, grant, decline requests.
CREATE TABLE user_account (
    user_id    INT NOT NULL,
    login_name VARCHAR(64) NOT NULL,
    full_name  VARCHAR(120) NOT NULL,
    active     BOOLEAN DEFAULT 1 NOT NULL,
    CONSTRAINT pk_user_account PRIMARY KEY (user_id),
    CONSTRAINT uq_user_account_login UNIQUE (login_name)
) ENGINE = InnoDB;
CREATE TABLE wfm_user (
    user_id          INT NOT NULL,
    business_unit_id INT NULL,
    all_sites        BOOLEAN DEFAULT 0 NOT NULL,
    CONSTRAINT pk_wfm_user PRIMARY KEY (user_id),
    CONSTRAINT fk_wfm_user_user_account FOREIGN KEY (user_id)
        REFERENCES user_account (user_id),
    CONSTRAINT fk_wfm_user_business_unit FOREIGN KEY (business_unit_id)
        REFERENCES business_unit (business_unit_id)
) ENGINE = InnoDB;
CREATE TABLE permission (
    permission_id INT NOT NULL,
    code          VARCHAR(40) NOT NULL,
    description   VARCHAR(200) NOT NULL,
    CONSTRAINT pk_permission PRIMARY KEY (permission_id),
    CONSTRAINT uq_permission_code UNIQUE (code)
) ENGINE = InnoDB;
CREATE TABLE user_permission (
    user_id       INT NOT NULL,
    permission_id INT NOT NULL,
    CONSTRAINT pk_user_permission PRIMARY KEY (user_id, permission_id),
    CONSTRAINT fk_user_permission_user FOREIGN KEY (user_id)
        REFERENCES user_account (user_id),
    CONSTRAINT fk_user_permission_permission FOREIGN KEY (permission_id)
        REFERENCES permission (permission_id)
) ENGINE = InnoDB;
-- Planning: time-off limits per site and day; hours of operation per site or activity (day 1 is
-- Monday, minutes after midnight); schedule planning periods of whole weeks.
CREATE TABLE time_off_limit (
    time_off_limit_id INT NOT NULL,
    site_id           INT NOT NULL,
    limit_date        DATE NOT NULL,
    max_agents        INT NULL,
    max_minutes       INT NULL,
    CONSTRAINT pk_time_off_limit PRIMARY KEY (time_off_limit_id),
    CONSTRAINT uq_time_off_limit_day UNIQUE (site_id, limit_date),
    CONSTRAINT fk_time_off_limit_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE hours_of_operation (
    hours_of_operation_id INT NOT NULL,
    site_id               INT NOT NULL,
    activity_id           INT NULL,
    day_of_week           SMALLINT NOT NULL,
    open_minute           SMALLINT NOT NULL,
    close_minute          SMALLINT NOT NULL,
    CONSTRAINT pk_hours_of_operation PRIMARY KEY (hours_of_operation_id),
    CONSTRAINT fk_hours_of_operation_site FOREIGN KEY (site_id)
        REFERENCES site (site_id),
    CONSTRAINT fk_hours_of_operation_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id),
    CONSTRAINT ck_hours_of_operation_day CHECK (day_of_week BETWEEN 1 AND 7),
    CONSTRAINT ck_hours_of_operation_range
        CHECK (open_minute >= 0 AND close_minute <= 1440 AND close_minute > open_minute)
) ENGINE = InnoDB;
CREATE TABLE schedule_planning_period (
    schedule_planning_period_id INT NOT NULL,
    site_id                     INT NOT NULL,
    start_date                  DATE NOT NULL,
    weeks                       SMALLINT NOT NULL,
    CONSTRAINT pk_schedule_planning_period PRIMARY KEY (schedule_planning_period_id),
    CONSTRAINT fk_planning_period_site FOREIGN KEY (site_id)
        REFERENCES site (site_id),
    CONSTRAINT ck_planning_period_weeks CHECK (weeks BETWEEN 1 AND 52)
) ENGINE = InnoDB;
-- Agents: contracts with their paid and unpaid hours per week; agent information (CTI login
-- and place with the employee facts, one row per agent); per agent and planning period the paid,
-- unpaid and carried-over hours.
CREATE TABLE contract (
    contract_id           INT NOT NULL,
    site_id               INT NOT NULL,
    name                  VARCHAR(100) NOT NULL,
    paid_hours_per_week   DECIMAL(5,2) NOT NULL,
    unpaid_hours_per_week DECIMAL(5,2) DEFAULT 0 NOT NULL,
    CONSTRAINT pk_contract PRIMARY KEY (contract_id),
    CONSTRAINT uq_contract_name UNIQUE (site_id, name),
    CONSTRAINT fk_contract_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE agent (
    agent_id        INT NOT NULL,
    site_id         INT NOT NULL,
    employee_number VARCHAR(20) NOT NULL,
    first_name      VARCHAR(60) NOT NULL,
    last_name       VARCHAR(60) NOT NULL,
    hire_date       DATE NOT NULL,
    hourly_rate     DECIMAL(9,2) NULL,
    active          BOOLEAN DEFAULT 1 NOT NULL,
    CONSTRAINT pk_agent PRIMARY KEY (agent_id),
    CONSTRAINT fk_agent_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE agent_information (
    agent_id       INT NOT NULL,
    cti_login      VARCHAR(40) NULL,
    cti_place      VARCHAR(40) NULL,
    seniority_date DATE NULL,
    notes          VARCHAR(400) NULL,
    CONSTRAINT pk_agent_information PRIMARY KEY (agent_id),
    CONSTRAINT fk_agent_information_agent FOREIGN KEY (agent_id)
        REFERENCES agent (agent_id)
) ENGINE = InnoDB;
CREATE TABLE agent_period_balance (
    agent_id                    INT NOT NULL,
    schedule_planning_period_id INT NOT NULL,
    paid_hours                  DECIMAL(7,2) NOT NULL,
    unpaid_hours                DECIMAL(7,2) DEFAULT 0 NOT NULL,
    hours_carried_over          DECIMAL(7,2) DEFAULT 0 NOT NULL,
    CONSTRAINT pk_agent_period_balance PRIMARY KEY (agent_id, schedule_planning_period_id),
    CONSTRAINT fk_agent_period_balance_agent FOREIGN KEY (agent_id)
        REFERENCES agent (agent_id),
    CONSTRAINT fk_agent_period_balance_period FOREIGN KEY (schedule_planning_period_id)
        REFERENCES schedule_planning_period (schedule_planning_period_id)
) ENGINE = InnoDB;
-- Calendar items (days off, time off, exceptions, availability, shifts) with their request
-- state; schedules; performance data per activity and 15-minute interval.
CREATE TABLE calendar_item (
    calendar_item_id INT NOT NULL,
    agent_id         INT NOT NULL,
    item_type        VARCHAR(20) NOT NULL,
    reason_id        INT NULL,
    start_at         DATETIME NOT NULL,
    end_at           DATETIME NOT NULL,
    status           VARCHAR(12) NOT NULL,
    CONSTRAINT pk_calendar_item PRIMARY KEY (calendar_item_id),
    CONSTRAINT fk_calendar_item_agent FOREIGN KEY (agent_id)
        REFERENCES agent (agent_id),
    CONSTRAINT fk_calendar_item_reason FOREIGN KEY (reason_id)
        REFERENCES reason (reason_id),
    CONSTRAINT ck_calendar_item_item_type
        CHECK (item_type IN ('day_off', 'time_off', 'exception', 'availability', 'shift')),
    CONSTRAINT ck_calendar_item_status
        CHECK (status IN ('preferred', 'granted', 'declined', 'scheduled'))
) ENGINE = InnoDB;
CREATE TABLE schedule (
    schedule_id INT NOT NULL AUTO_INCREMENT,
    agent_id    INT NOT NULL,
    activity_id INT NOT NULL,
    start_time  DATETIME NOT NULL,
    end_time    DATETIME NOT NULL,
    CONSTRAINT pk_schedule PRIMARY KEY (schedule_id),
    CONSTRAINT fk_schedule_agent FOREIGN KEY (agent_id)
        REFERENCES agent (agent_id),
    CONSTRAINT fk_schedule_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id)
) ENGINE = InnoDB;
CREATE TABLE performance_data (
    activity_id    INT NOT NULL,
    interval_start DATETIME NOT NULL,
    calls_offered  INT NOT NULL,
    calls_handled  INT NOT NULL,
    handle_time    INT NOT NULL,
    CONSTRAINT pk_performance_data PRIMARY KEY (activity_id, interval_start),
    CONSTRAINT fk_performance_data_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id)
) ENGINE = InnoDB;
-- The permissions every installation has.
INSERT INTO permission (permission_id, code, description) VALUES
    (1, 'calendar_add', 'Add calendar items'),
    (2, 'calendar_edit', 'Edit calendar items'),
    (3, 'calendar_delete', 'Delete calendar items'),
    (4, 'calendar_prefer', 'Enter calendar preferences'),
    (5, 'calendar_grant', 'Grant calendar requests'),
    (6, 'calendar_decline', 'Decline calendar requests'),
    (7, 'schedule_view', 'View schedules'),
    (8, 'schedule_edit', 'Edit schedules'),
    (9, 'schedule_publish', 'Publish schedules'),
    (10, 'forecast_edit', 'Edit forecasts'),
    (11, 'configuration_edit', 'Edit the configuration'),
    (12, 'performance_view', 'View performance data'),
    (13, 'adherence_view', 'View agent adherence'),
    (14, 'report_view', 'Run reports');

-- bru:version 8.0
-- bru:description tasks and task sequences; agent e-mail and contract; unique employee numbers
-- Tasks of an activity, and task sequences: tasks in order, per site.
CREATE TABLE task (
    task_id          INT NOT NULL,
    activity_id      INT NOT NULL,
    name             VARCHAR(100) NOT NULL,
    duration_minutes SMALLINT NOT NULL,
    CONSTRAINT pk_task PRIMARY KEY (task_id),
    CONSTRAINT fk_task_activity FOREIGN KEY (activity_id)
        REFERENCES activity (activity_id),
    CONSTRAINT ck_task_duration_minutes CHECK (duration_minutes > 0)
) ENGINE = InnoDB;
CREATE TABLE task_sequence (
    task_sequence_id INT NOT NULL,
    site_id          INT NOT NULL,
    name             VARCHAR(100) NOT NULL,
    CONSTRAINT pk_task_sequence PRIMARY KEY (task_sequence_id),
    CONSTRAINT fk_task_sequence_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;
CREATE TABLE task_sequence_item (
    task_sequence_id INT NOT NULL,
    seq_no           SMALLINT NOT NULL,
    task_id          INT NOT NULL,
    CONSTRAINT pk_task_sequence_item PRIMARY KEY (task_sequence_id, seq_no),
    CONSTRAINT fk_ts_item_task_sequence FOREIGN KEY (task_sequence_id)
        REFERENCES task_sequence (task_sequence_id),
    CONSTRAINT fk_ts_item_task FOREIGN KEY (task_id)
        REFERENCES task (task_id)
) ENGINE = InnoDB;
-- Agents get an e-mail address and a contract (NULL until one is assigned).
ALTER TABLE agent ADD COLUMN email VARCHAR(120) NULL;
ALTER TABLE agent ADD COLUMN contract_id INT NULL;
ALTER TABLE agent ADD CONSTRAINT fk_agent_contract FOREIGN KEY (contract_id)
    REFERENCES contract (contract_id);
-- Employee numbers were unique by convention; now by constraint. Duplicates stop this
-- section: fix them, then run bru -UPDATE again.
ALTER TABLE agent ADD CONSTRAINT uq_agent_employee_number UNIQUE (employee_number);
-- Renamed to the term the 7.x documents use: carried-over hours.
ALTER TABLE agent_period_balance RENAME COLUMN hours_carried_over TO carried_over_hours;
INSERT INTO permission (permission_id, code, description) VALUES
    (15, 'task_sequence_edit', 'Edit tasks and task sequences');

-- bru:version 8.1
-- bru:description schedule start/end renamed; agent adherence; the schedule detail view
-- start_at/end_at, as every other period in the schema (calendar_item, dst_information).
ALTER TABLE schedule RENAME COLUMN start_time TO start_at;
ALTER TABLE schedule RENAME COLUMN end_time TO end_at;
-- Agent adherence per day: scheduled time and the duration of nonadherence, in seconds.
CREATE TABLE agent_adherence (
    agent_id             INT NOT NULL,
    adherence_date       DATE NOT NULL,
    scheduled_seconds    INT NOT NULL,
    nonadherence_seconds INT DEFAULT 0 NOT NULL,
    CONSTRAINT pk_agent_adherence PRIMARY KEY (agent_id, adherence_date),
    CONSTRAINT fk_agent_adherence_agent FOREIGN KEY (agent_id)
        REFERENCES agent (agent_id)
) ENGINE = InnoDB;
-- Who works what, when: the schedules with agent and activity, for reports.
CREATE VIEW v_schedule_detail AS
SELECT s.schedule_id, s.agent_id, a.employee_number, a.site_id, s.activity_id,
       act.name AS activity_name, act.work_type, s.start_at, s.end_at
FROM schedule s
JOIN agent a ON a.agent_id = s.agent_id
JOIN activity act ON act.activity_id = s.activity_id;

-- bru:version 8.5.0
-- bru:description performance data counts work items, not calls; service level; purge procedure
-- Deferred work is not calls: the counters count work items.
ALTER TABLE performance_data RENAME COLUMN calls_offered TO offered;
ALTER TABLE performance_data RENAME COLUMN calls_handled TO handled;
ALTER TABLE performance_data RENAME COLUMN handle_time TO handle_seconds;
ALTER TABLE performance_data ADD COLUMN service_level DECIMAL(5,2) NULL;
-- An agent's schedule is read by agent and time.
CREATE INDEX ix_schedule_agent_start ON schedule (agent_id, start_at);
CREATE PROCEDURE purge_performance_data(IN p_before DATETIME)
BEGIN
    DELETE FROM performance_data WHERE interval_start < p_before;
END;

-- bru:version 8.5.1
-- bru:description schedules end after they start; WFM users limited to sites
ALTER TABLE schedule ADD CONSTRAINT ck_schedule_range
    CHECK (end_at > start_at);
-- The sites a WFM user without all_sites may see.
CREATE TABLE wfm_user_site (
    user_id INT NOT NULL,
    site_id INT NOT NULL,
    CONSTRAINT pk_wfm_user_site PRIMARY KEY (user_id, site_id),
    CONSTRAINT fk_wfm_user_site_wfm_user FOREIGN KEY (user_id)
        REFERENCES wfm_user (user_id),
    CONSTRAINT fk_wfm_user_site_site FOREIGN KEY (site_id)
        REFERENCES site (site_id)
) ENGINE = InnoDB;

-- bru:version 8.5.2
-- bru:description published schedules; daily performance view; interval index
-- When a schedule was published to the agent (NULL: not yet).
ALTER TABLE schedule ADD COLUMN published_at DATETIME NULL;
-- The purge and the two-step migration find performance data by interval.
CREATE INDEX ix_performance_data_interval ON performance_data (interval_start);
CREATE VIEW v_activity_daily_performance AS
SELECT activity_id, CAST(interval_start AS DATE) AS performance_date, COUNT(*) AS intervals,
       SUM(offered) AS offered, SUM(handled) AS handled,
       SUM(handle_seconds) AS handle_seconds
FROM performance_data
GROUP BY activity_id, CAST(interval_start AS DATE);
INSERT INTO permission (permission_id, code, description) VALUES
    (16, 'backup_restore', 'Back up and restore the database with bru');

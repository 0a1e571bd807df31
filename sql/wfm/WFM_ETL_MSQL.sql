-- WFM_ETL_MSQL.sql: The WFM ETL (reporting) database, SQL Server, as a bru update script.
--   bru -UPDATE -DB "mssql;<server>;<database>;<user>;<password>"
--       -SCRIPT sql/wfm/WFM_ETL_MSQL.sql
-- takes an empty database, or one at any earlier version of this file, to the latest
-- (7.6 -> 8.0 -> 8.1 -> 8.5.0 -> 8.5.1 -> 8.5.2); sections already applied are skipped.
-- A database an older tool created has no bru history: record its version first with
-- bru -BASELINE <version> -DB <conn>. sql/wfm/README.md maps the WFM terms to the tables.
-- Each statement is its own batch, ended by a GO line (CREATE VIEW and CREATE
-- PROCEDURE must start a batch).
-- The versions' sections are the same on every engine: same tables, columns, keys.

-- bru:version 7.6
-- bru:description WFM ETL 7.6 base schema
-- The reporting copy WFM's ETL service loads: the configuration as dimensions (business units,
-- sites, activities, agents, days), performance data per activity and 15-minute interval as
-- facts, and one row per load run.
CREATE TABLE etl_business_unit (
    business_unit_id int NOT NULL,
    name             nvarchar(100) NOT NULL,
    time_zone        nvarchar(64) NOT NULL,
    CONSTRAINT pk_etl_business_unit PRIMARY KEY (business_unit_id)
);
GO
CREATE TABLE etl_site (
    site_id          int NOT NULL,
    business_unit_id int NOT NULL,
    name             nvarchar(100) NOT NULL,
    time_zone        nvarchar(64) NOT NULL,
    CONSTRAINT pk_etl_site PRIMARY KEY (site_id),
    CONSTRAINT fk_etl_site_etl_business_unit FOREIGN KEY (business_unit_id)
        REFERENCES etl_business_unit (business_unit_id)
);
GO
CREATE TABLE etl_activity (
    activity_id      int NOT NULL,
    business_unit_id int NOT NULL,
    site_id          int NULL,
    name             nvarchar(100) NOT NULL,
    work_type        nvarchar(16) NOT NULL,
    multi_site       bit DEFAULT 0 NOT NULL,
    CONSTRAINT pk_etl_activity PRIMARY KEY (activity_id),
    CONSTRAINT fk_etl_activity_bu FOREIGN KEY (business_unit_id)
        REFERENCES etl_business_unit (business_unit_id)
);
GO
CREATE TABLE etl_agent (
    agent_id        int NOT NULL,
    site_id         int NOT NULL,
    employee_number nvarchar(20) NOT NULL,
    first_name      nvarchar(60) NOT NULL,
    last_name       nvarchar(60) NOT NULL,
    active          bit DEFAULT 1 NOT NULL,
    CONSTRAINT pk_etl_agent PRIMARY KEY (agent_id),
    CONSTRAINT fk_etl_agent_etl_site FOREIGN KEY (site_id)
        REFERENCES etl_site (site_id)
);
GO
-- One row per day; date_key is yyyymmdd, day_of_week 1 is Monday.
CREATE TABLE etl_date (
    date_key      int NOT NULL,
    calendar_date date NOT NULL,
    year_no       smallint NOT NULL,
    month_no      smallint NOT NULL,
    day_of_week   smallint NOT NULL,
    CONSTRAINT pk_etl_date PRIMARY KEY (date_key),
    CONSTRAINT uq_etl_date_calendar_date UNIQUE (calendar_date),
    CONSTRAINT ck_etl_date_month_no CHECK (month_no BETWEEN 1 AND 12),
    CONSTRAINT ck_etl_date_day_of_week CHECK (day_of_week BETWEEN 1 AND 7)
);
GO
CREATE TABLE etl_interval_performance (
    activity_id    int NOT NULL,
    interval_start datetime2(0) NOT NULL,
    date_key       int NOT NULL,
    calls_offered  int NOT NULL,
    calls_handled  int NOT NULL,
    handle_time    int NOT NULL,
    CONSTRAINT pk_etl_interval_performance PRIMARY KEY (activity_id, interval_start),
    CONSTRAINT fk_etl_perf_activity FOREIGN KEY (activity_id)
        REFERENCES etl_activity (activity_id),
    CONSTRAINT fk_etl_perf_date FOREIGN KEY (date_key)
        REFERENCES etl_date (date_key)
);
GO
CREATE TABLE etl_load_run (
    load_run_id int IDENTITY(1, 1) NOT NULL,
    started_at  datetime2(0) NOT NULL,
    finished_at datetime2(0) NULL,
    rows_loaded int DEFAULT 0 NOT NULL,
    status      nvarchar(16) NOT NULL,
    CONSTRAINT pk_etl_load_run PRIMARY KEY (load_run_id)
);
GO

-- bru:version 8.0
-- bru:description schedules in the ETL database; agent e-mail
CREATE TABLE etl_schedule (
    schedule_id int NOT NULL,
    agent_id    int NOT NULL,
    activity_id int NOT NULL,
    start_time  datetime2(0) NOT NULL,
    end_time    datetime2(0) NOT NULL,
    date_key    int NOT NULL,
    CONSTRAINT pk_etl_schedule PRIMARY KEY (schedule_id),
    CONSTRAINT fk_etl_schedule_etl_agent FOREIGN KEY (agent_id)
        REFERENCES etl_agent (agent_id),
    CONSTRAINT fk_etl_schedule_etl_activity FOREIGN KEY (activity_id)
        REFERENCES etl_activity (activity_id),
    CONSTRAINT fk_etl_schedule_etl_date FOREIGN KEY (date_key)
        REFERENCES etl_date (date_key)
);
GO
ALTER TABLE etl_agent ADD email nvarchar(120) NULL;
GO

-- bru:version 8.1
-- bru:description schedule start/end renamed as in the WFM database; agent adherence
EXEC sp_rename 'etl_schedule.start_time', 'start_at', 'COLUMN';
GO
EXEC sp_rename 'etl_schedule.end_time', 'end_at', 'COLUMN';
GO
CREATE TABLE etl_agent_adherence (
    agent_id             int NOT NULL,
    date_key             int NOT NULL,
    scheduled_seconds    int NOT NULL,
    nonadherence_seconds int DEFAULT 0 NOT NULL,
    CONSTRAINT pk_etl_agent_adherence PRIMARY KEY (agent_id, date_key),
    CONSTRAINT fk_etl_adherence_agent FOREIGN KEY (agent_id)
        REFERENCES etl_agent (agent_id),
    CONSTRAINT fk_etl_adherence_date FOREIGN KEY (date_key)
        REFERENCES etl_date (date_key)
);
GO

-- bru:version 8.5.0
-- bru:description performance counters renamed as in WFM; service level; daily view; purge
-- Deferred work is not calls: the counters count work items, as in the WFM database.
EXEC sp_rename 'etl_interval_performance.calls_offered', 'offered', 'COLUMN';
GO
EXEC sp_rename 'etl_interval_performance.calls_handled', 'handled', 'COLUMN';
GO
EXEC sp_rename 'etl_interval_performance.handle_time', 'handle_seconds', 'COLUMN';
GO
ALTER TABLE etl_interval_performance ADD service_level decimal(5,2) NULL;
GO
CREATE VIEW etl_v_activity_daily AS
SELECT activity_id, CAST(interval_start AS date) AS performance_date, COUNT(*) AS intervals,
       SUM(offered) AS offered, SUM(handled) AS handled,
       SUM(handle_seconds) AS handle_seconds
FROM etl_interval_performance
GROUP BY activity_id, CAST(interval_start AS date);
GO
CREATE PROCEDURE etl_purge_performance
    @before datetime2(0)
AS
BEGIN
    SET NOCOUNT ON;
    DELETE FROM etl_interval_performance WHERE interval_start < @before;
END;
GO

-- bru:version 8.5.1
-- bru:description load run states; unique employee numbers
-- A load run is running, succeeded or failed; nothing else.
ALTER TABLE etl_load_run ADD CONSTRAINT ck_etl_load_run_status
    CHECK (status IN ('running', 'succeeded', 'failed'));
GO
ALTER TABLE etl_agent ADD CONSTRAINT uq_etl_agent_employee_number UNIQUE (employee_number);
GO

-- bru:version 8.5.2
-- bru:description the WFM version each load read; interval index
ALTER TABLE etl_load_run ADD source_version nvarchar(20) NULL;
GO
CREATE INDEX ix_etl_perf_interval ON etl_interval_performance (interval_start);
GO

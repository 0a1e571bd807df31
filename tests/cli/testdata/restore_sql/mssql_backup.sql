SELECT DB_NAME(), CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)), snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()
GO
SELECT name FROM sys.schemas WHERE schema_id < 16384 AND name NOT IN (N'sys', N'INFORMATION_SCHEMA', N'guest') ORDER BY name
GO
SELECT t.object_id, s.name, t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE t.is_ms_shipped = 0 ORDER BY s.name, t.name
GO
SELECT c.object_id, c.name, TYPE_NAME(c.system_type_id), TYPE_NAME(c.user_type_id), c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, c.is_computed, d.definition, cc.definition, cc.is_persisted, CAST(ic.seed_value AS NVARCHAR(40)), CAST(ic.increment_value AS NVARCHAR(40)), CAST(ic.last_value AS NVARCHAR(40)), d.name FROM sys.columns c JOIN sys.tables t ON t.object_id = c.object_id LEFT JOIN sys.default_constraints d ON d.object_id = c.default_object_id LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id LEFT JOIN sys.identity_columns ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id WHERE t.is_ms_shipped = 0 ORDER BY c.object_id, c.column_id
GO
SELECT k.parent_object_id, k.name, k.type, c.name, ic.is_descending_key, i.type_desc FROM sys.key_constraints k JOIN sys.indexes i ON i.object_id = k.parent_object_id AND i.index_id = k.unique_index_id JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id ORDER BY k.parent_object_id, k.type, k.name, ic.key_ordinal
GO
SELECT f.parent_object_id, f.name, rs.name, rt.name, pc.name, rc.name, f.delete_referential_action_desc, f.update_referential_action_desc FROM sys.foreign_keys f JOIN sys.foreign_key_columns fc ON fc.constraint_object_id = f.object_id JOIN sys.columns pc ON pc.object_id = fc.parent_object_id AND pc.column_id = fc.parent_column_id JOIN sys.columns rc ON rc.object_id = fc.referenced_object_id AND rc.column_id = fc.referenced_column_id JOIN sys.tables rt ON rt.object_id = f.referenced_object_id JOIN sys.schemas rs ON rs.schema_id = rt.schema_id ORDER BY f.parent_object_id, f.name, fc.constraint_column_id
GO
SELECT i.object_id, i.name, i.is_unique, c.name, ic.is_included_column, ic.is_descending_key, i.filter_definition, i.type_desc FROM sys.indexes i JOIN sys.tables t ON t.object_id = i.object_id LEFT JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id LEFT JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id WHERE t.is_ms_shipped = 0 AND i.type > 0 AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 AND i.is_hypothetical = 0 ORDER BY i.object_id, i.name, ic.is_included_column, ic.key_ordinal, ic.index_column_id
GO
SELECT k.parent_object_id, k.name, k.definition FROM sys.check_constraints k JOIN sys.tables t ON t.object_id = k.parent_object_id WHERE t.is_ms_shipped = 0 ORDER BY k.parent_object_id, k.name
GO
SELECT RTRIM(o.type), s.name, o.name, m.definition, OBJECT_SCHEMA_NAME(o.parent_object_id), OBJECT_NAME(o.parent_object_id) FROM sys.sql_modules m JOIN sys.objects o ON o.object_id = m.object_id JOIN sys.schemas s ON s.schema_id = o.schema_id WHERE o.is_ms_shipped = 0 AND o.type IN ('V', 'P', 'FN', 'IF', 'TF', 'TR') ORDER BY o.object_id
GO
SET XACT_ABORT ON
GO
SET DATEFORMAT ymd
GO
SET TEXTSIZE 2147483647
GO
IF (SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()) = 1 SET TRANSACTION ISOLATION LEVEL SNAPSHOT ELSE SET TRANSACTION ISOLATION LEVEL SERIALIZABLE
GO
SELECT s.session_id, s.login_name, s.program_name, CONVERT(VARCHAR(23), t.transaction_begin_time, 121), SUBSTRING(q.text, 1, 200) FROM sys.dm_tran_locks l JOIN sys.dm_exec_sessions s ON s.session_id = l.request_session_id LEFT JOIN sys.dm_tran_session_transactions st ON st.session_id = s.session_id LEFT JOIN sys.dm_tran_active_transactions t ON t.transaction_id = st.transaction_id LEFT JOIN sys.dm_exec_connections c ON c.session_id = s.session_id OUTER APPLY sys.dm_exec_sql_text(c.most_recent_sql_handle) q WHERE l.resource_type = 'OBJECT' AND l.resource_database_id = DB_ID() AND l.resource_associated_entity_id = OBJECT_ID(N'[dbo].[audit]') AND l.request_session_id <> @@SPID ORDER BY s.session_id
GO
SELECT SUM(row_count) FROM sys.dm_db_partition_stats WHERE object_id = OBJECT_ID(N'[dbo].[audit]') AND index_id IN (0, 1)
GO
SELECT TOP (1) 1 FROM [dbo].[audit]
GO
SET LOCK_TIMEOUT 5000
GO
SELECT COUNT(*) FROM (SELECT TOP (1) 1 AS one FROM [dbo].[audit] WITH (REPEATABLEREAD)) AS first_row
GO
SELECT [id], LEFT(CONVERT(VARCHAR(27), [at], 121), 19) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), [at], 121), 20, 8), '0', ' ')), ' ', '0'), '.'), '') AS [at] FROM [dbo].[audit]
GO
SELECT TOP (1000) [id], LEFT(CONVERT(VARCHAR(27), [at], 121), 19) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), [at], 121), 20, 8), '0', ' ')), ' ', '0'), '.'), '') AS [at] FROM [dbo].[audit] ORDER BY [dbo].[audit].[id]
GO
SELECT TOP (1000) [id] FROM [dbo].[audit] WHERE [dbo].[audit].[id] >= 7 AND (([dbo].[audit].[id] > 7)) ORDER BY [dbo].[audit].[id]
GO
DROP TABLE IF EXISTS [dbo].[audit]
GO
CREATE TABLE [dbo].[audit] (
    [id] bigint IDENTITY(1000,10) NOT NULL,
    [at] datetime2(7) NOT NULL,
    CONSTRAINT [PK_audit] PRIMARY KEY NONCLUSTERED ([id])
)
GO
SET IDENTITY_INSERT [dbo].[audit] ON; INSERT INTO [dbo].[audit] ([id], [at]) VALUES (?, ?), (?, ?); SET IDENTITY_INSERT [dbo].[audit] OFF
GO
CREATE CLUSTERED INDEX [IX_audit_at] ON [dbo].[audit] ([at] DESC)
GO
SET LOCK_TIMEOUT 5000
GO
SELECT COUNT(*) FROM (SELECT TOP (1) 1 AS one FROM [sales].[orders] WITH (REPEATABLEREAD)) AS first_row
GO
SELECT [id], LOWER(CONVERT(CHAR(36), [customer])) AS [customer], LEFT(CONVERT(VARCHAR(27), CONVERT(DATETIME2(7), SWITCHOFFSET([placed], '+00:00')), 121), 19) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), CONVERT(DATETIME2(7), SWITCHOFFSET([placed], '+00:00')), 121), 20, 8), '0', ' ')), ' ', '0'), '.'), '') + '+00' AS [placed], CONVERT(VARCHAR(32), [amount], 2) AS [amount], [note], LEFT(CONVERT(VARCHAR(27), [created], 121), 19) + ISNULL(NULLIF(REPLACE(RTRIM(REPLACE(SUBSTRING(CONVERT(VARCHAR(27), [created], 121), 20, 8), '0', ' ')), ' ', '0'), '.'), '') AS [created], CAST([open] AS INT) AS [open] FROM [sales].[orders]
GO
SELECT TOP (1000) [id] FROM [sales].[orders] WHERE [sales].[orders].[id] >= 7 AND (([sales].[orders].[id] > 7)) ORDER BY [sales].[orders].[id]
GO
DROP TABLE IF EXISTS [sales].[orders]
GO
IF SCHEMA_ID(N'sales') IS NULL EXEC sp_executesql N'CREATE SCHEMA [sales]'
GO
CREATE TABLE [sales].[orders] (
    [id] int IDENTITY(1,1) NOT NULL,
    [customer] uniqueidentifier NOT NULL,
    [placed] datetimeoffset(7) NOT NULL CONSTRAINT [DF_orders_placed] DEFAULT (sysdatetimeoffset()),
    [amount] money NOT NULL CONSTRAINT [DF_orders_amount] DEFAULT ((0)),
    [note] nvarchar(max) NULL CONSTRAINT [DF_orders_note] DEFAULT (N'none'),
    [doubled] AS ([amount]*(2)),
    [created] datetime NOT NULL CONSTRAINT [DF_orders_created] DEFAULT (getdate()),
    [open] bit NOT NULL CONSTRAINT [DF_orders_open] DEFAULT ((1)),
    [version] rowversion,
    CONSTRAINT [PK_orders] PRIMARY KEY CLUSTERED ([id])
)
GO
SET IDENTITY_INSERT [sales].[orders] ON; INSERT INTO [sales].[orders] ([id], [customer], [placed], [amount], [note], [created], [open]) VALUES (?, ?, CONVERT(DATETIMEOFFSET(7), ? + ':00'), ?, ?, ?, ?), (?, ?, CONVERT(DATETIMEOFFSET(7), ? + ':00'), ?, ?, ?, ?); SET IDENTITY_INSERT [sales].[orders] OFF
GO
CREATE NONCLUSTERED INDEX [IX_orders_customer] ON [sales].[orders] ([customer]) INCLUDE ([placed]) WHERE ([note] IS NOT NULL)
GO
ALTER TABLE [sales].[orders] ADD CONSTRAINT [CK_orders_amount] CHECK ([amount]>=(0))
GO
SET LOCK_TIMEOUT 5000
GO
SELECT COUNT(*) FROM (SELECT TOP (1) 1 AS one FROM [sales].[lines] WITH (REPEATABLEREAD)) AS first_row
GO
SELECT [order_id], [line], [sku], CONVERT(VARCHAR(48), [qty]) AS [qty], [picture], CONVERT(NVARCHAR(MAX), [doc]) AS [doc], LEFT(CONVERT(VARCHAR(27), [at], 121), 19) AS [at], [code] FROM [sales].[lines]
GO
SELECT TOP (1000) [order_id], [line] FROM [sales].[lines] WHERE [sales].[lines].[order_id] >= 7 AND (([sales].[lines].[order_id] > 7) OR ([sales].[lines].[order_id] = 7 AND [sales].[lines].[line] > 7)) ORDER BY [sales].[lines].[order_id], [sales].[lines].[line]
GO
DROP TABLE IF EXISTS [sales].[lines]
GO
IF SCHEMA_ID(N'sales') IS NULL EXEC sp_executesql N'CREATE SCHEMA [sales]'
GO
CREATE TABLE [sales].[lines] (
    [order_id] int NOT NULL,
    [line] smallint NOT NULL,
    [sku] varchar(20) NULL,
    [qty] decimal(10,2) NOT NULL,
    [picture] varbinary(max) NULL,
    [doc] xml NULL,
    [at] smalldatetime NULL,
    [code] sysname NULL,
    CONSTRAINT [PK_lines] PRIMARY KEY CLUSTERED ([order_id], [line] DESC)
)
GO
INSERT INTO [sales].[lines] ([order_id], [line], [sku], [qty], [picture], [doc], [at], [code]) VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)
GO
ALTER TABLE [sales].[lines] ADD CONSTRAINT [UQ_lines_sku] UNIQUE ([sku])
GO
CREATE NONCLUSTERED INDEX [IX_lines_sku] ON [sales].[lines] ([sku])
GO
ALTER TABLE [sales].[lines] ADD CONSTRAINT [FK_lines_orders] FOREIGN KEY ([order_id]) REFERENCES [sales].[orders] ([id]) ON DELETE CASCADE
GO
CREATE FUNCTION sales.f_tax(@amount money) RETURNS money AS BEGIN RETURN @amount * 0.2 END
GO
CREATE VIEW sales.v_open AS SELECT id FROM sales.orders WHERE [open] = 1
GO
CREATE PROCEDURE sales.p_close @id int AS UPDATE sales.orders SET [open] = 0 WHERE id = @id
GO
DBCC CHECKIDENT (N'[sales].[orders]', RESEED, 42)
GO
CREATE TRIGGER sales.tr_orders ON sales.orders AFTER INSERT AS SET NOCOUNT ON
GO
CREATE TRIGGER dbo.tr_audit ON dbo.audit AFTER DELETE AS ROLLBACK
GO

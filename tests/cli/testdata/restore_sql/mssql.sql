-- bru -RESTORE -SQL -DIALECT mssql: archive sample.DB (sqlite), 2 tables
SET XACT_ABORT ON;
SET DATEFORMAT ymd;
SET TEXTSIZE 2147483647;
BEGIN TRANSACTION;
CREATE TABLE [customer] (
    [id] BIGINT IDENTITY(1,1),
    [name] NVARCHAR(40) NOT NULL,
    [email] NVARCHAR(80),
    [note] NVARCHAR(MAX),
    [active] BIT DEFAULT 1 NOT NULL,
    PRIMARY KEY ([id])
);
CREATE TABLE [kinds] (
    [id] BIGINT IDENTITY(1,1),
    [customer_id] BIGINT NOT NULL,
    [small] SMALLINT,
    [big] BIGINT,
    [f4] REAL,
    [f8] FLOAT,
    [price] DECIMAL(12,3),
    [code] NCHAR(4),
    [label] NVARCHAR(30) DEFAULT N'none',
    [body] NVARCHAR(MAX),
    [raw] VARBINARY(8),
    [data] VARBINARY(MAX),
    [day] DATE,
    [at_time] TIME(6),
    [at] DATETIME2(6),
    [at_tz] DATETIMEOFFSET(6),
    [uid] UNIQUEIDENTIFIER,
    [doc] NVARCHAR(MAX),
    [xml] NVARCHAR(MAX),
    PRIMARY KEY ([id])
);
-- rows of customer (3 in the archive)
SET IDENTITY_INSERT [customer] ON;
INSERT INTO [customer] ([id], [name], [email], [note], [active]) VALUES
  (1, N'O''Brien \ back', N'ob@example.com', N'Grüße, 日本', 1),
  (2, N'Zoë', NULL, N'', 0),
  (7, N'plain', N'p@example.com', NULL, 1);
SET IDENTITY_INSERT [customer] OFF;
-- rows of kinds (3 in the archive)
SET IDENTITY_INSERT [kinds] ON;
INSERT INTO [kinds] ([id], [customer_id], [small], [big], [f4], [f8], [price], [code], [label], [body], [raw], [data], [day], [at_time], [at], [at_tz], [uid], [doc], [xml]) VALUES
  (1, 1, -32768, 9007199254740993, 1.5, 0.10000000000000001, 12345.678, N'abcd', N'it''s', N'línea
dos', CONVERT(VARBINARY(MAX), '00FF10', 2), CONVERT(VARBINARY(MAX), 'DEADBEEF00', 2), '2024-02-29', '23:59:59.5', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05 +00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', N'{"a": [1, "x"]}', N'<r a="1">x</r>'),
  (2, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 7, 0, -1, -2.25, 1.0000000000000001e+300, -0.001, N'wxyz', N'', N'x', CONVERT(VARBINARY(MAX), '', 2), CONVERT(VARBINARY(MAX), '', 2), '0001-01-01', '00:00:00', '1999-12-31 23:59:59', '1970-01-01 00:00:00.5 +00:00', '00000000-0000-0000-0000-000000000000', N'1e2', N'<a/>');
SET IDENTITY_INSERT [kinds] OFF;
ALTER TABLE [customer] ADD UNIQUE ([email]);
CREATE INDEX [kinds_day] ON [kinds] ([day]);
ALTER TABLE [kinds] ADD FOREIGN KEY ([customer_id]) REFERENCES [customer] ([id]) ON DELETE CASCADE;
COMMIT TRANSACTION;

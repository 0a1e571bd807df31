-- with: (none)
-- bru -RESTORE -SQL -DIALECT mssql: archive mssql.DB (mssql), 1 table
SET XACT_ABORT ON;
SET DATEFORMAT ymd;
SET TEXTSIZE 2147483647;
BEGIN TRANSACTION;
IF SCHEMA_ID(N'sales') IS NULL EXEC sp_executesql N'CREATE SCHEMA [sales]';
GO
CREATE FUNCTION sales.tax(@amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) AS
BEGIN
  RETURN @amount * 0.2;
END
GO
CREATE TABLE [sales].[orders] (
    [id] INT IDENTITY(1,1),
    [amount] DECIMAL(10,2),
    CONSTRAINT [orders_pk] PRIMARY KEY ([id])
);
GO
CREATE VIEW [sales].[big_orders] AS SELECT id, sales.tax(amount) AS tax FROM sales.orders WHERE amount > 100
GO
GO
CREATE PROCEDURE sales.purge AS
BEGIN
  SET NOCOUNT ON;
  DELETE FROM [sales].[orders] WHERE amount < 0;
END
GO
-- rows of sales.orders (0 in the archive)
SET IDENTITY_INSERT [sales].[orders] ON;
SET IDENTITY_INSERT [sales].[orders] OFF;
GO
CREATE TRIGGER sales.orders_ai ON sales.orders AFTER INSERT AS
BEGIN
  SET NOCOUNT ON;
END
GO
COMMIT TRANSACTION;
GO
-- with: -CLEAN
-- bru -RESTORE -SQL -DIALECT mssql: archive mssql.DB (mssql), 1 table
SET XACT_ABORT ON;
SET DATEFORMAT ymd;
SET TEXTSIZE 2147483647;
BEGIN TRANSACTION;
DROP PROCEDURE IF EXISTS [sales].[purge];
DROP VIEW IF EXISTS [sales].[big_orders];
DROP TABLE IF EXISTS [sales].[orders];
DROP FUNCTION IF EXISTS [sales].[tax];
IF SCHEMA_ID(N'sales') IS NULL EXEC sp_executesql N'CREATE SCHEMA [sales]';
GO
CREATE FUNCTION sales.tax(@amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) AS
BEGIN
  RETURN @amount * 0.2;
END
GO
CREATE TABLE [sales].[orders] (
    [id] INT IDENTITY(1,1),
    [amount] DECIMAL(10,2),
    CONSTRAINT [orders_pk] PRIMARY KEY ([id])
);
GO
CREATE VIEW [sales].[big_orders] AS SELECT id, sales.tax(amount) AS tax FROM sales.orders WHERE amount > 100
GO
GO
CREATE PROCEDURE sales.purge AS
BEGIN
  SET NOCOUNT ON;
  DELETE FROM [sales].[orders] WHERE amount < 0;
END
GO
-- rows of sales.orders (0 in the archive)
SET IDENTITY_INSERT [sales].[orders] ON;
SET IDENTITY_INSERT [sales].[orders] OFF;
GO
CREATE TRIGGER sales.orders_ai ON sales.orders AFTER INSERT AS
BEGIN
  SET NOCOUNT ON;
END
GO
COMMIT TRANSACTION;
GO
-- with: -DATA-ONLY
-- bru -RESTORE -SQL -DIALECT mssql: archive mssql.DB (mssql), 1 table, data only
SET XACT_ABORT ON;
SET DATEFORMAT ymd;
SET TEXTSIZE 2147483647;
BEGIN TRANSACTION;
-- rows of sales.orders (0 in the archive)
SET IDENTITY_INSERT [sales].[orders] ON;
SET IDENTITY_INSERT [sales].[orders] OFF;
COMMIT TRANSACTION;
GO
-- with: -REMAP-SCHEMA
-- bru -RESTORE -SQL -DIALECT mssql: archive mssql.DB (mssql), 1 table
SET XACT_ABORT ON;
SET DATEFORMAT ymd;
SET TEXTSIZE 2147483647;
BEGIN TRANSACTION;
IF SCHEMA_ID(N'shop') IS NULL EXEC sp_executesql N'CREATE SCHEMA [shop]';
IF SCHEMA_ID(N'shop') IS NULL EXEC sp_executesql N'CREATE SCHEMA [shop]';
GO
CREATE FUNCTION [shop].tax(@amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) AS
BEGIN
  RETURN @amount * 0.2;
END
GO
CREATE TABLE [shop].[orders] (
    [id] INT IDENTITY(1,1),
    [amount] DECIMAL(10,2),
    CONSTRAINT [orders_pk] PRIMARY KEY ([id])
);
GO
CREATE VIEW [shop].[big_orders] AS SELECT id, [shop].tax(amount) AS tax FROM [shop].orders WHERE amount > 100
GO
GO
CREATE PROCEDURE [shop].purge AS
BEGIN
  SET NOCOUNT ON;
  DELETE FROM [shop].[orders] WHERE amount < 0;
END
GO
-- rows of shop.orders (0 in the archive)
SET IDENTITY_INSERT [shop].[orders] ON;
SET IDENTITY_INSERT [shop].[orders] OFF;
GO
CREATE TRIGGER [shop].orders_ai ON [shop].orders AFTER INSERT AS
BEGIN
  SET NOCOUNT ON;
END
GO
COMMIT TRANSACTION;
GO

DECLARE @result INT;
EXEC @result = sp_getapplock @Resource = N'bru_update', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END
GO
EXEC sp_releaseapplock @Resource = N'bru_update', @LockOwner = 'Session'
GO

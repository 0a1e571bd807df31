DECLARE
  lock_handle VARCHAR2(128);
  result INTEGER;
BEGIN
  DBMS_LOCK.ALLOCATE_UNIQUE('bru_update', lock_handle);
  result := DBMS_LOCK.REQUEST(lock_handle, DBMS_LOCK.X_MODE, 0, FALSE);
  IF result NOT IN (0, 4) THEN
    RAISE_APPLICATION_ERROR(-20001, 'bru_update lock is held (DBMS_LOCK.REQUEST returned ' || result || ')');
  END IF;
END;
/
DECLARE
  lock_handle VARCHAR2(128);
  result INTEGER;
BEGIN
  DBMS_LOCK.ALLOCATE_UNIQUE('bru_update', lock_handle);
  result := DBMS_LOCK.RELEASE(lock_handle);
END;
/

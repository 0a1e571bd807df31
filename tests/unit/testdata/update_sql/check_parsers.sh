#!/bin/sh
# Parses the golden SQL bru generates for SQL Server and Oracle with two independent parsers
# (run by CTest as update_sql_parsers, label unit). Fails when either reports an unparsable part.
#
# What each can and cannot catch:
#  * sqlfluff parse --dialect tsql|oracle: a full grammar; reports any "unparsable section", so it
#    catches syntax errors in the DDL, the history statements and the lock-holder queries. It
#    knows nothing of the catalog: wrong column or view names (sys.dm_tran_locks, v$lock) pass.
#    Its oracle dialect rejects PL/SQL blocks and `/` lines, so oracle_lock.sql (the DBMS_LOCK
#    blocks) is NOT parsed by it: that file is checked byte for byte by the golden test only.
#  * sqlglot (tsql / oracle): a second, lenient opinion; it turns some statements it does not
#    know into opaque commands instead of failing, so it catches less than sqlfluff, but it does
#    reject broken expressions and unbalanced parentheses. It cannot read `EXEC @result = proc`
#    (valid T-SQL), so mssql_lock.sql (sp_getapplock) is checked by sqlfluff only.
# sqlfluff 2.x does not take `VARCHAR2(n CHAR)` or `DEFAULT SYSTIMESTAMP` in oracle, so bru's
# Oracle DDL uses NVARCHAR2(n) and CURRENT_TIMESTAMP, both plain Oracle.
# `?` parameter markers are replaced by 0 first: neither parser takes ODBC markers.
# plan_mssql.sql and plan_oracle.sql are bru's offline -DRYRUN plans (-UPDATE and -UNDO) of
# sections_*.sql (tests/cli/update_offline_plan_test.cpp). Neither parser reads SQL Server's
# ALTER DATABASE (sqlfluff 1.4 tsql, sqlglot): those batches are taken out before parsing and are
# checked byte for byte by the golden test only. The Oracle plan ends each statement with a `/`
# line, which sqlfluff's oracle dialect rejects: it is read as `;`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/.sqlfluff" "$work/.sqlfluff"
status=0
for pair in mssql.sql:tsql mssql_lock.sql:tsql oracle.sql:oracle plan_mssql.sql:tsql \
            plan_oracle.sql:oracle; do
  file=${pair%%:*}
  dialect=${pair##*:}
  case $file in
    plan_mssql.sql) sed '/^ALTER DATABASE /d' "$here/$file" > "$work/$file" ;;
    plan_oracle.sql) sed 's#^/$#;#' "$here/$file" > "$work/$file" ;;
    *) sed 's/?/0/g' "$here/$file" > "$work/$file" ;;
  esac
  if [ "$file" = plan_mssql.sql ] && [ "$(grep -c '^CREATE' "$work/$file")" -ne 3 ]; then
    echo "$file: expected its three CREATE batches to be left for the parsers"; status=1
  fi
  if ! (cd "$work" && sqlfluff parse --dialect "$dialect" "$file" > "$work/$file.parse" 2>&1); then
    echo "sqlfluff ($dialect) failed on $file:"; cat "$work/$file.parse"; status=1
  elif grep -q "unparsable" "$work/$file.parse"; then
    echo "sqlfluff ($dialect) found unparsable sections in $file:"
    grep -n -B2 -A8 "unparsable" "$work/$file.parse" | head -60
    status=1
  fi
  [ "$file" = mssql_lock.sql ] && continue
  if ! /usr/bin/python3 - "$work/$file" "$dialect" <<'PY'
import re, sys
import sqlglot
path, dialect = sys.argv[1], sys.argv[2]
text = open(path).read()
# sqlglot does not know GO lines: parse each batch on its own.
batches = re.split(r"(?im)^\s*GO\s*$", text) if dialect == "tsql" else [text]
for batch in batches:
    if batch.strip():
        sqlglot.parse(batch, read=dialect)
PY
  then
    echo "sqlglot ($dialect) failed on $file"; status=1
  fi
done
exit $status

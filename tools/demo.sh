#!/usr/bin/env bash
# bru's main job on a sample database, start to end, on a Debian 12 machine:
#   installs what it needs (apt-get; nothing when already installed), builds bru and bru-sample
#   (build-demo/, Release), makes bru's own WFM sample (contact centre: business units, sites,
#   activities, agents, schedules, 15-minute performance data) in an SQLite file with bru-sample
#   through ODBC, then
#     bru -BACKUP   the database into a .DB archive
#     bru -LIST     the archive's table of contents
#     bru -VERIFY   every chunk and checksum of the archive
#     bru -RESTORE  the archive into a new SQLite file
#   and compares source and restored database table by table (row counts and a checksum of each
#   table's rows in order), with the sqlite3 command-line shell, independently of bru.
#   Then the WFM story: a WFM 6.5 database (tools/wfm-sample.sh), its backup, the two-step
#   migration into a new WFM 8.5 database (bru -MIGRATE -STEP base, then -STEP performance), its
#   version (-GETVERSION), and the rollback: the 6.5 backup restored, the same as the original.
# Safe to run again: it starts from a fresh sample each time.
# Needs nothing beside the clone: the sample is generated, not read from a file.
# Usage: tools/demo.sh          Environment: BRU_DEMO_DIR (default build-demo/demo),
#                               BRU_DEMO_SCALE (sample size, default 1: about 15,000 rows)
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BRU_ROOT"
# One stream, in order, for a reader piping the demo into a pager or a file.
exec 2>&1

readonly PACKAGES=(
  build-essential cmake pkg-config g++
  unixodbc unixodbc-dev libsqliteodbc
  libzstd-dev libsqlite3-dev libboost-program-options-dev libfmt-dev nlohmann-json3-dev
  libxxhash-dev libsodium-dev sqlite3
)
readonly BUILD_DIR=build-demo
readonly BRU="$BUILD_DIR/bru"
readonly BRU_SAMPLE="$BUILD_DIR/tools/sample/bru-sample"
DEMO_DIR="${BRU_DEMO_DIR:-$BUILD_DIR/demo}"
readonly DEMO_DIR
readonly SCALE="${BRU_DEMO_SCALE:-1}"
readonly SOURCE_DB="$DEMO_DIR/wfm.sqlite"
readonly ARCHIVE="$DEMO_DIR/wfm.DB"
readonly RESTORED_DB="$DEMO_DIR/restored.sqlite"

# Prints a command the way one would type it, then runs it; stops the demo if it fails.
run() {
  local shown="" arg
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=,+-]+$ ]]; then shown+=" $arg"; else shown+=" \"$arg\""; fi
  done
  printf '\n$%s\n' "$shown"
  local rc=0
  "$@" || rc=$?
  if [[ $rc -ne 0 ]]; then
    die "the command above failed with exit code $rc" "see README.md, section Exit codes"
  fi
}

# stdin from /dev/null: inside the compare loop sqlite3 would otherwise eat the table list.
sql() { sqlite3 -batch -bail "$@" </dev/null; }

tables_of() {
  sql "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
}

# A checksum of a table's rows sorted on every column, each value printed as an SQL literal (so a
# changed type, 1 vs '1' vs 1.0, changes the checksum as much as a changed value does).
table_checksum() {
  local db="$1" table="$2" columns order
  columns="$(sql "$db" "SELECT count(*) FROM pragma_table_info('$table')")"
  order="$(seq -s, 1 "$columns")"
  sql -cmd '.mode quote' "$db" "SELECT * FROM \"$table\" ORDER BY $order" | sha256sum | cut -c1-16
}

# compare [source restored]: the two databases table by table (default: the sample and its restore).
compare() {
  local source_db="${1:-$SOURCE_DB}" restored_db="${2:-$RESTORED_DB}"
  local source_tables restored_tables table rows_a rows_b sum_a sum_b verdict
  local total_rows=0 tables=0 bad=0
  source_tables="$(tables_of "$source_db")"
  restored_tables="$(tables_of "$restored_db")"
  if [[ $source_tables != "$restored_tables" ]]; then
    diff <(echo "$source_tables") <(echo "$restored_tables") >&2 || true
    die "the restored database does not have the same tables as the source (diff above: < source, > restored)"
  fi
  printf '\n%-26s %12s %12s   %-16s  %s\n' table "source rows" "restored" "checksum" result
  while IFS= read -r table; do
    rows_a="$(sql "$source_db" "SELECT count(*) FROM \"$table\"")"
    rows_b="$(sql "$restored_db" "SELECT count(*) FROM \"$table\"")"
    sum_a="$(table_checksum "$source_db" "$table")"
    sum_b="$(table_checksum "$restored_db" "$table")"
    if [[ $rows_a == "$rows_b" && $sum_a == "$sum_b" ]]; then
      verdict=same
    else
      verdict="DIFFERENT (restored checksum $sum_b)"
      bad=$((bad + 1))
    fi
    printf '%-26s %12s %12s   %-16s  %s\n' "$table" "$rows_a" "$rows_b" "$sum_a" "$verdict"
    total_rows=$((total_rows + rows_a))
    tables=$((tables + 1))
  done <<<"$source_tables"
  if [[ $bad -ne 0 ]]; then
    die "$bad of $tables tables differ between $source_db and $restored_db"
  fi
  printf '\nThe restored database matches the source: %d tables, %d rows, same rows and values.\n' \
    "$tables" "$total_rows"
}

section "1. Install what bru needs"
ensure_packages "${PACKAGES[@]}"
info "build tools, unixODBC with the SQLite ODBC driver, zstd, xxhash, fmt, json, boost, sqlite3"

section "2. Build bru and bru-sample (Release)"
# The demo needs no test framework: BUILD_TESTING=OFF leaves GTest out.
build_bru "$BUILD_DIR" Release -DBUILD_TESTING=OFF
info "built $BRU ($("$BRU" --version 2>/dev/null | head -n 1)) and $BRU_SAMPLE"

section "3. A sample database: WFM (contact centre) in SQLite, made by bru-sample"
mkdir -p "$DEMO_DIR"
rm -f "$SOURCE_DB" "$RESTORED_DB" "$ARCHIVE"
run "$BRU_SAMPLE" --scale "$SCALE" --db "sqlite;$SOURCE_DB"
info "$SOURCE_DB: $(tables_of "$SOURCE_DB" | wc -l) tables, $(du -h "$SOURCE_DB" | cut -f1)"

section "4. Back up the database into an archive"
run "$BRU" -BACKUP -DB "sqlite;$SOURCE_DB" -FILE "$ARCHIVE" -FORCE

section "5. List the archive's contents"
run "$BRU" -LIST -FILE "$ARCHIVE"

section "6. Verify the archive (every chunk, every checksum)"
run "$BRU" -VERIFY -FILE "$ARCHIVE"

section "7. Restore the archive into a new SQLite database"
run "$BRU" -RESTORE -DB "sqlite;$RESTORED_DB" -FILE "$ARCHIVE"

section "8. Compare source and restored database (sqlite3, independent of bru)"
compare

printf '\nFiles: %s (source), %s (archive, %s), %s (restored)\n' \
  "$SOURCE_DB" "$ARCHIVE" "$(du -h "$ARCHIVE" | cut -f1)" "$RESTORED_DB"

section "9. The WFM story: a WFM 6.5 database (the old system), made by tools/wfm-sample.sh"
readonly WFM65_DB="$DEMO_DIR/wfm65.sqlite" WFM85_DB="$DEMO_DIR/wfm85.sqlite"
readonly WFM65_ARCHIVE="$DEMO_DIR/wfm65.DB" ROLLBACK_DB="$DEMO_DIR/wfm65-rollback.sqlite"
rm -f "$WFM65_DB" "$WFM85_DB" "$WFM65_ARCHIVE" "$ROLLBACK_DB"
BRU_BUILD_DIR="$BUILD_DIR" run tools/wfm-sample.sh -DB "sqlite;$WFM65_DB" -VERSION 6.5 -SCALE "$SCALE"
run sqlite3 "$WFM65_DB" "SELECT db_version FROM wm_db_version"

section "10. Back up the 6.5 database before migrating"
run "$BRU" -BACKUP -DB "sqlite;$WFM65_DB" -FILE "$WFM65_ARCHIVE" -FORCE -QUIET

section "11. Migrate into a new WFM 8.5 database, in two steps"
info "first everything but the performance data (the new Data Aggregator can start collecting),"
run "$BRU" -MIGRATE -FROM "sqlite;$WFM65_DB" -DB "sqlite;$WFM85_DB" -STEP base -QUIET
info "then the old performance data, never over what the new system collected meanwhile"
run "$BRU" -MIGRATE -FROM "sqlite;$WFM65_DB" -DB "sqlite;$WFM85_DB" -STEP performance -QUIET

section "12. The new database's version, and the old terms under their new names"
run "$BRU" -GETVERSION -DB "sqlite;$WFM85_DB"
run sqlite3 "$WFM85_DB" "SELECT work_type, COUNT(*) FROM activity GROUP BY work_type"
run sqlite3 "$WFM85_DB" "SELECT p.code, COUNT(*) FROM user_permission up JOIN permission p ON p.permission_id = up.permission_id WHERE p.code LIKE 'calendar%' GROUP BY p.code"

section "13. Rollback: restore the 6.5 backup, and compare it with the original"
run "$BRU" -RESTORE -DB "sqlite;$ROLLBACK_DB" -FILE "$WFM65_ARCHIVE" -QUIET
compare "$WFM65_DB" "$ROLLBACK_DB"

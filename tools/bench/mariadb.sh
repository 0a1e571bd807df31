#!/usr/bin/env bash
# bru against mydumper/myloader, mysqldump and pgloader on MariaDB, in one run (issue 12 item 4):
#   1. installs what it needs (apt-get; nothing when already installed) and builds bru
#      (build-bench/, Release) unless BRU_BIN names a bru to use,
#   2. starts its own MariaDB server with MariaDB's default durability (the redo log flushed at
#      every commit, the doublewrite buffer on, the binary log on: what a DBA's server runs; the
#      test servers run without) and a PostgreSQL 15 cluster with PostgreSQL's (fsync on), each
#      on a free loopback port (tools/lib/servers.sh),
#   3. loads two tables into MariaDB: `orders`, $ROWS rows of 12 mixed-type columns with a
#      secondary index, and `events`, 2 x $ROWS narrow rows with a foreign key to it,
#   4. times, each after the servers wrote their dirty pages:
#        bru -BACKUP [-THREADS $BACKUP_THREADS] vs  mydumper -t $THREADS -c, mysqldump
#        bru -RESTORE (into an empty database)  vs  myloader -t $THREADS, mariadb < dump
#        bru -RESTORE of that archive into PostgreSQL   vs  pgloader mysql:// -> pgsql://
#        bru -BACKUP + -RESTORE of a SQLite copy into PostgreSQL  vs  pgloader sqlite -> pgsql
#   5. checks that bru's restores hold the source's rows (MariaDB: CHECKSUM TABLE; PostgreSQL
#      and SQLite: row counts),
#   6. prints a table: wall seconds, client and server CPU seconds, bru's peak RSS, ratios.
# Not a test and not run by CI: a measurement.
#
# Environment:
#   ROWS=1000000   rows of orders (events has twice as many)
#   THREADS=2      the thread count of mydumper and myloader
#   BACKUP_THREADS=  -THREADS of bru -BACKUP; empty = bru's default
#   RESTORE_THREADS= -THREADS of bru -RESTORE (into MariaDB and PostgreSQL); empty = bru's default
#   PGLOADER=1     time pgloader (package pgloader); 0 leaves it out
#   REPEAT=1       runs of each timed step; the table shows the fastest (shared machines are noisy)
#   BRU_BIN=path   use this bru instead of building one
#   BRU_BENCH_BUILD_DIR=build-bench
# The table goes to stdout, progress to stderr: tools/bench/mariadb.sh > figures.txt
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tools/lib/servers.sh
source "$BRU_ROOT/tools/lib/servers.sh"
# shellcheck source=tools/lib/bench.sh
source "$BRU_ROOT/tools/lib/bench.sh"
cd "$BRU_ROOT"

ROWS="${ROWS:-1000000}"
THREADS="${THREADS:-2}"
BACKUP_THREADS="${BACKUP_THREADS:-}"
RESTORE_THREADS="${RESTORE_THREADS:-}"
PGLOADER="${PGLOADER:-1}"
REPEAT="${REPEAT:-1}"
BUILD_DIR="${BRU_BENCH_BUILD_DIR:-build-bench}"
readonly ROWS THREADS BACKUP_THREADS RESTORE_THREADS PGLOADER REPEAT BUILD_DIR

readonly PACKAGES=(
  build-essential cmake pkg-config g++
  unixodbc unixodbc-dev libpq-dev libmariadb-dev odbc-postgresql odbc-mariadb libsqliteodbc sqlite3
  postgresql-15 postgresql-client-15 mariadb-server mariadb-client mydumper pgloader
  libzstd-dev libsqlite3-dev libboost-program-options-dev libfmt-dev nlohmann-json3-dev
  libxxhash-dev libsodium-dev time
)
readonly SOURCE_DB=bench_src

[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS=$ROWS is not a positive whole number" "e.g. ROWS=1000000"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS=$THREADS is not a positive whole number" "e.g. THREADS=2"
[[ -z $BACKUP_THREADS || $BACKUP_THREADS =~ ^[1-9][0-9]*$ ]] ||
  die "BACKUP_THREADS=$BACKUP_THREADS is not a positive whole number" "e.g. BACKUP_THREADS=2"
[[ -z $RESTORE_THREADS || $RESTORE_THREADS =~ ^[1-9][0-9]*$ ]] ||
  die "RESTORE_THREADS=$RESTORE_THREADS is not a positive whole number" "e.g. RESTORE_THREADS=2"
[[ $PGLOADER == 0 || $PGLOADER == 1 ]] || die "PGLOADER=$PGLOADER: expected 0 or 1"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT=$REPEAT is not a positive whole number" "e.g. REPEAT=3"

# ---------------------------------------------------------------------------------------------
# Servers and clients

WORK=""  # archives, dumps, per-step logs and timings: inside the run folder

on_exit() {
  local rc=$?
  [[ -n ${BRU_RUN_DIR:-} && -d $BRU_RUN_DIR ]] && servers_stop "$BRU_RUN_DIR"
  exit "$rc"
}

start_servers() {
  BRU_RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bru-servers.XXXXXX")"
  chmod 755 "$BRU_RUN_DIR"
  export BRU_RUN_DIR
  WORK="$BRU_RUN_DIR/bench"
  mkdir -p "$WORK"
  trap 'on_exit' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_start
  # One password for both, so that BRU_PASSWORD serves every bru connection string below.
  BRU_TEST_MARIADB_PASSWORD="$BRU_TEST_PG_PASSWORD"
  # Later lines of the option file win: MariaDB's own defaults back, over the test settings.
  mariadb_start mariadb BRU_TEST_MARIADB_PORT "innodb_flush_log_at_trx_commit = 1
innodb_doublewrite = 1"
  export PGHOST=127.0.0.1 PGPORT="$BRU_TEST_PG_PORT" PGUSER=bru
  export PGPASSWORD="$BRU_TEST_PG_PASSWORD" BRU_PASSWORD="$BRU_TEST_PG_PASSWORD"
  pg_admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  DURABILITY="MariaDB $(my "" -N -e "SELECT CONCAT('innodb_flush_log_at_trx_commit=',
    @@innodb_flush_log_at_trx_commit, ' innodb_doublewrite=', @@innodb_doublewrite,
    ' log_bin=', @@log_bin)");"
  DURABILITY+=" PostgreSQL $(pg_admin -c "SELECT 'fsync=' || current_setting('fsync') ||
    ' synchronous_commit=' || current_setting('synchronous_commit')")"
  [[ $DURABILITY == *"innodb_flush_log_at_trx_commit=1 innodb_doublewrite=ON"*"fsync=on synchronous_commit=on"* ]] ||
    die "the bench servers did not switch to default durability: $DURABILITY"
}

# The MariaDB client as bru on database $1 ("" for none), the rest are its arguments.
my() {
  local db="$1"
  shift
  mariadb --no-defaults -h 127.0.0.1 -P "$BRU_TEST_MARIADB_PORT" -u bru \
    -p"$BRU_TEST_MARIADB_PASSWORD" ${db:+"$db"} "$@"
}

# psql as the superuser through the cluster's private socket (CHECKPOINT needs it).
pg_admin() {
  "$BRU_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$BRU_RUN_DIR/pg/sock" -U postgres \
    -d postgres "$@"
}
pg_sql() {
  local db="$1"
  shift
  "$BRU_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

bru_mariadb() { echo "mariadb;127.0.0.1:$BRU_TEST_MARIADB_PORT;$1;bru"; }
bru_postgres() { echo "postgres;127.0.0.1:$BRU_TEST_PG_PORT;$1;bru"; }

# CPU seconds both servers used so far: mariadbd's own (one process, its threads included:
# fields 14 and 15 of /proc/PID/stat) and the PostgreSQL postmaster's reaped children (ended
# backends: fields 16 and 17), after the client backends ended.
server_cpu() {
  local waited pg_pid my_pid
  for ((waited = 0; waited < 50; waited++)); do
    [[ $(pg_admin -c "SELECT count(*) FROM pg_stat_activity
                      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()") == 0 ]] &&
      break
    sleep 0.1
  done
  pg_pid="$(head -n 1 "$BRU_RUN_DIR/pg/data/postmaster.pid")"
  my_pid="$(cat "$BRU_RUN_DIR/mariadb/launched.pid")"
  awk -v tick="$(getconf CLK_TCK)" 'FNR == 1 && NR == 1 { my = $14 + $15 } FNR == 1 && NR > 1 { pg = $16 + $17 }
    END { printf "%.2f", (my + pg) / tick }' "/proc/$my_pid/stat" "/proc/$pg_pid/stat"
}

# Both servers write their dirty pages, so no run pays for the one before: a CHECKPOINT, and
# InnoDB flushing until (at most 30 s) no dirty page is left.
settle() {
  local waited
  pg_admin -c "CHECKPOINT"
  my "" -e "SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001, GLOBAL innodb_max_dirty_pages_pct = 0"
  for ((waited = 0; waited < 300; waited++)); do
    [[ $(my "" -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}') -le 0 ]] &&
      break
    sleep 0.1
  done
  my "" -e "SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT, GLOBAL innodb_max_dirty_pages_pct_lwm = DEFAULT"
}

# ---------------------------------------------------------------------------------------------
# Data

load_data() {
  section "Data: $ROWS rows in orders, $((2 * ROWS)) in events"
  local start=$SECONDS
  # Deterministic values from the SEQUENCE engine: the same data on every run; NULLs in a few
  # columns, text that compresses like text.
  if ! my "" >/dev/null <<SQL
CREATE DATABASE $SOURCE_DB;
USE $SOURCE_DB;
CREATE TABLE orders (
  id       bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  qty      int,
  small    smallint,
  amount   decimal(12,2),
  ratio    double,
  flag     tinyint(1),
  code     varchar(40) NOT NULL,
  note     text,
  day      date,
  created  datetime(6),
  status   enum('new','paid','shipped','returned') NOT NULL,
  ref      char(36),
  KEY orders_day (day)
) ENGINE=InnoDB;
INSERT INTO orders
SELECT seq,
       IF(seq % 50 = 0, NULL, CAST((seq * 7919) % 2000003 AS SIGNED) - 1000000),
       CAST((seq * 31) % 65535 AS SIGNED) - 32767,
       ((seq * 104729) % 10000000000) / 100,
       IF(seq % 97 = 0, NULL, SIN(seq) * 1e6 / (1 + seq % 1000)),
       IF(seq % 13 = 0, NULL, seq % 3 = 0),
       CONCAT('C-', HEX((seq * 2654435761) % 4294967296), '-', seq % 997),
       LEFT(CONCAT(MD5(seq), ' ', MD5(seq * 3), ' ', MD5(seq * 7)), 60 + seq % 31),
       '2000-01-01' + INTERVAL (seq % 9000) DAY,
       '2000-01-01' + INTERVAL (seq * 317) SECOND + INTERVAL ((seq * 7919) % 1000000) MICROSECOND,
       ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
       CONCAT_WS('-', LEFT(MD5(seq), 8), MID(MD5(seq), 9, 4), MID(MD5(seq), 13, 4),
                 MID(MD5(seq), 17, 4), RIGHT(MD5(seq), 12))
FROM seq_1_to_$ROWS;
CREATE TABLE events (
  id       int NOT NULL PRIMARY KEY,
  order_id bigint NOT NULL,
  kind     tinyint unsigned NOT NULL,
  at       datetime NOT NULL,
  CONSTRAINT events_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB;
INSERT INTO events
SELECT seq, 1 + (seq * 7) % $ROWS, seq % 200, '2010-01-01' + INTERVAL (seq * 13) SECOND
FROM seq_1_to_$((2 * ROWS));
ANALYZE TABLE orders, events;
SQL
  then
    die "could not create and fill $SOURCE_DB (the mariadb error is above)"
  fi
  info "$SOURCE_DB: $((SECONDS - start)) s, $(my "" -N -e "SELECT ROUND(SUM(data_length + index_length) / 1e6, 1)
    FROM information_schema.tables WHERE table_schema = '$SOURCE_DB'") MB"
}

# Each restore run goes into a new empty database, named by RESTORE_DB.
RESTORE_DB=""
fresh_mariadb() { my "" -e "DROP DATABASE IF EXISTS $RESTORE_DB; CREATE DATABASE $RESTORE_DB"; }
fresh_postgres() {
  pg_sql postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $RESTORE_DB" \
    -c "CREATE DATABASE $RESTORE_DB"
}

# "table rows checksum" lines of database $1 (CHECKSUM TABLE reads every row).
mariadb_fingerprints() {
  local table
  for table in orders events; do
    printf '%s %s %s\n' "$table" "$(my "$1" -N -e "SELECT COUNT(*) FROM $table")" \
      "$(my "$1" -N -e "CHECKSUM TABLE $table" | awk '{print $2}')"
  done
}
postgres_counts() {
  local table
  for table in orders events; do
    printf '%s %s\n' "$table" "$(pg_sql "$1" -c "SELECT count(*) FROM $2$table")"
  done
}

# ---------------------------------------------------------------------------------------------
# Main

section "Packages"
ensure_packages "${PACKAGES[@]}"

if [[ -n ${BRU_BIN:-} ]]; then
  [[ -x $BRU_BIN ]] || die "BRU_BIN=$BRU_BIN is not an executable file"
  BRU="$(cd "$(dirname "$BRU_BIN")" && pwd)/$(basename "$BRU_BIN")"
else
  section "Build"
  build_bru "$BUILD_DIR" Release -DBUILD_TESTING=OFF
  BRU="$BRU_ROOT/$BUILD_DIR/bru"
  [[ $BUILD_DIR == /* ]] && BRU="$BUILD_DIR/bru"
fi
readonly BRU
info "bru: $BRU ($("$BRU" --version 2>&1 | head -n 1))"

section "Servers"
start_servers
LOAD_START="$(uptime | sed 's/.*load average: //')"
load_data

section "Backup"
readonly ARCHIVE="$WORK/bench.DB" DUMP_DIR="$WORK/mydumper" DUMP="$WORK/mysqldump.sql"
backup="bru -BACKUP"
backup_args=()
if [[ -n $BACKUP_THREADS ]]; then
  backup+=" -THREADS $BACKUP_THREADS"
  backup_args=(-THREADS "$BACKUP_THREADS")
fi
measure "$backup" : "$BRU" -BACKUP -QUIET -FORCE "${backup_args[@]}" \
  -DB "$(bru_mariadb "$SOURCE_DB")" -FILE "$ARCHIVE"
remove_dump_dir() { rm -rf "$DUMP_DIR"; }
measure "mydumper -t $THREADS -c" remove_dump_dir mydumper -h 127.0.0.1 -P "$BRU_TEST_MARIADB_PORT" \
  -u bru -p "$BRU_TEST_MARIADB_PASSWORD" -B "$SOURCE_DB" -o "$DUMP_DIR" -t "$THREADS" -c
# shellcheck disable=SC2016  # expanded by the inner sh
measure "mysqldump --single-transaction" : sh -c 'mariadb-dump --no-defaults -h 127.0.0.1 \
  -P "$1" -u bru -p"$2" --single-transaction --quick "$3" > "$4"' sh \
  "$BRU_TEST_MARIADB_PORT" "$BRU_TEST_MARIADB_PASSWORD" "$SOURCE_DB" "$DUMP"

section "Restore"
restore="bru -RESTORE"
restore_args=()
if [[ -n $RESTORE_THREADS ]]; then
  restore+=" -THREADS $RESTORE_THREADS"
  restore_args=(-THREADS "$RESTORE_THREADS")
fi
RESTORE_DB=bench_bru
measure "$restore" fresh_mariadb "$BRU" -RESTORE -QUIET "${restore_args[@]}" \
  -DB "$(bru_mariadb bench_bru)" -FILE "$ARCHIVE"
RESTORE_DB=bench_bru_noverify
measure "$restore -NO-VERIFY" fresh_mariadb "$BRU" -RESTORE -QUIET -NO-VERIFY \
  "${restore_args[@]}" -DB "$(bru_mariadb bench_bru_noverify)" -FILE "$ARCHIVE"
RESTORE_DB=bench_myloader
measure "myloader -t $THREADS" fresh_mariadb myloader -h 127.0.0.1 -P "$BRU_TEST_MARIADB_PORT" \
  -u bru -p "$BRU_TEST_MARIADB_PASSWORD" -d "$DUMP_DIR" -B bench_myloader -t "$THREADS"
RESTORE_DB=bench_mysql
# shellcheck disable=SC2016  # expanded by the inner sh
measure "mariadb < mysqldump" fresh_mariadb sh -c 'mariadb --no-defaults -h 127.0.0.1 -P "$1" \
  -u bru -p"$2" "$3" < "$4"' sh "$BRU_TEST_MARIADB_PORT" "$BRU_TEST_MARIADB_PASSWORD" \
  bench_mysql "$DUMP"

section "Into PostgreSQL"
RESTORE_DB=bench_bru_pg
measure "$restore into postgres" fresh_postgres "$BRU" -RESTORE -QUIET "${restore_args[@]}" \
  -DB "$(bru_postgres bench_bru_pg)" -FILE "$ARCHIVE"
readonly SQLITE_FILE="$WORK/bench.sqlite" SQLITE_ARCHIVE="$WORK/sqlite.DB"
rm -f "$SQLITE_FILE"
info "a SQLite copy of $SOURCE_DB (bru -RESTORE), for the SQLite -> PostgreSQL steps"
"$BRU" -RESTORE -QUIET -DB "sqlite;$SQLITE_FILE" -FILE "$ARCHIVE" >"$WORK/sqlite_copy.log" 2>&1 ||
  die "bru could not restore $ARCHIVE into $SQLITE_FILE (log: $WORK/sqlite_copy.log)"
measure "bru -BACKUP sqlite" : "$BRU" -BACKUP -QUIET -FORCE -DB "sqlite;$SQLITE_FILE" \
  -FILE "$SQLITE_ARCHIVE"
RESTORE_DB=bench_bru_sqlite_pg
measure "bru -RESTORE sqlite into postgres" fresh_postgres "$BRU" -RESTORE -QUIET \
  -DB "$(bru_postgres bench_bru_sqlite_pg)" -FILE "$SQLITE_ARCHIVE"
if [[ $PGLOADER == 1 ]]; then
  RESTORE_DB=bench_pgloader
  measure "pgloader mariadb -> postgres" fresh_postgres pgloader --no-ssl-cert-verification \
    "mysql://bru:$BRU_TEST_MARIADB_PASSWORD@127.0.0.1:$BRU_TEST_MARIADB_PORT/$SOURCE_DB" \
    "pgsql://bru:$BRU_TEST_PG_PASSWORD@127.0.0.1:$BRU_TEST_PG_PORT/bench_pgloader"
  RESTORE_DB=bench_pgloader_sqlite
  measure "pgloader sqlite -> postgres" fresh_postgres pgloader "sqlite://$SQLITE_FILE" \
    "pgsql://bru:$BRU_TEST_PG_PASSWORD@127.0.0.1:$BRU_TEST_PG_PORT/bench_pgloader_sqlite"
fi
LOAD_END="$(uptime | sed 's/.*load average: //')"

section "Check: bru's restores against the source"
mariadb_fingerprints "$SOURCE_DB" >"$WORK/source.tables"
mariadb_fingerprints bench_bru >"$WORK/restored.tables"
diff -u "$WORK/source.tables" "$WORK/restored.tables" >&2 ||
  die "bru's restore differs from the source (table, rows, CHECKSUM TABLE; - source, + restored)"
awk '{ print $1, $2 }' "$WORK/source.tables" >"$WORK/source.counts"
postgres_counts bench_bru_pg "" >"$WORK/postgres.counts"
diff -u "$WORK/source.counts" "$WORK/postgres.counts" >&2 ||
  die "bru's restore into PostgreSQL does not hold the source's rows"
postgres_counts bench_bru_sqlite_pg "" >"$WORK/sqlite_postgres.counts"
diff -u "$WORK/source.counts" "$WORK/sqlite_postgres.counts" >&2 ||
  die "bru's SQLite -> PostgreSQL restore does not hold the source's rows"
CHECK="$(awk '{n++; rows += $2} END { printf "%d tables, %d rows: counts and CHECKSUM TABLE equal", n, rows }' \
  "$WORK/source.tables")"
info "$CHECK"

# ---------------------------------------------------------------------------------------------
# The table

peak_rss="$(bru_peak_rss)"
# Issue 12's MariaDB target: backup and restore no slower than mydumper/myloader.
backup_ok="$(at_most "${WALL[$backup]}" "${WALL[mydumper -t $THREADS -c]}" 1.0)"
restore_ok="$(at_most "${WALL[$restore]}" "${WALL[myloader -t $THREADS]}" 1.0)"
rss_ok="$( ((peak_rss < 256 * 1024)) && echo yes || echo NO)"
{
  printf '\nbru MariaDB benchmark: %s rows of orders + %s rows of events; %s threads\n' \
    "$ROWS" "$((2 * ROWS))" "$THREADS"
  printf 'machine: %s cores; load average at start %s, at end %s\n' "$(nproc)" "$LOAD_START" "$LOAD_END"
  printf 'servers: %s\n' "$DURABILITY"
  printf 'server CPU: mariadbd and the ended PostgreSQL backends during the step\n'
  print_steps
  printf '\nratios (bru / competitor, wall time; below 1 = bru faster)\n'
  printf '  backup   %-36s / mydumper -t %s -c       %s\n' "$backup" "$THREADS" \
    "$(ratio "${WALL[$backup]}" "${WALL[mydumper -t $THREADS -c]}")"
  printf '  backup   %-36s / mysqldump               %s\n' "$backup" \
    "$(ratio "${WALL[$backup]}" "${WALL[mysqldump --single-transaction]}")"
  printf '  restore  %-36s / myloader -t %s          %s\n' "$restore" "$THREADS" \
    "$(ratio "${WALL[$restore]}" "${WALL[myloader -t $THREADS]}")"
  printf '  restore  %-36s / myloader -t %s          %s\n' "$restore -NO-VERIFY" "$THREADS" \
    "$(ratio "${WALL[$restore -NO-VERIFY]}" "${WALL[myloader -t $THREADS]}")"
  printf '  restore  %-36s / mariadb < mysqldump     %s\n' "$restore" \
    "$(ratio "${WALL[$restore]}" "${WALL[mariadb < mysqldump]}")"
  if [[ $PGLOADER == 1 ]]; then
    local_both() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
    both="$(local_both "${WALL[$backup]}" "${WALL[$restore into postgres]}")"
    printf '  move     %-36s / pgloader mariadb        %s  (%s s against %s s)\n' \
      "bru -BACKUP + -RESTORE into postgres" "$(ratio "$both" "${WALL[pgloader mariadb -> postgres]}")" \
      "$both" "${WALL[pgloader mariadb -> postgres]}"
    both="$(local_both "${WALL[bru -BACKUP sqlite]}" "${WALL[bru -RESTORE sqlite into postgres]}")"
    printf '  move     %-36s / pgloader sqlite         %s  (%s s against %s s)\n' \
      "bru -BACKUP sqlite + -RESTORE" "$(ratio "$both" "${WALL[pgloader sqlite -> postgres]}")" \
      "$both" "${WALL[pgloader sqlite -> postgres]}"
  fi
  printf '\narchives\n'
  printf '  bru .DB         %8s MB\n' "$(mb "$(stat -c %s "$ARCHIVE")")"
  printf '  mydumper -c     %8s MB\n' "$(mb "$(du -sb "$DUMP_DIR" | awk '{print $1}')")"
  printf '  mysqldump       %8s MB (not compressed)\n' "$(mb "$(stat -c %s "$DUMP")")"
  printf '\ncheck: %s\n' "$CHECK"
  printf 'targets: backup <= 1.0x mydumper: %s;  restore <= 1.0x myloader: %s;  bru peak RSS < 256 MiB: %s (%s MiB)\n' \
    "$backup_ok" "$restore_ok" "$rss_ok" "$(mib "$peak_rss")"
} | tee "$WORK/figures.txt"

#!/usr/bin/env bash
# bru against pg_dump/pg_restore/pgcopydb on one PostgreSQL cluster, in one run (issue 2 item 11,
# issue 12 item 4):
#   1. installs what it needs (apt-get; nothing when already installed) and builds bru
#      (build-bench/, Release) unless BRU_BIN names a bru to use,
#   2. starts its own PostgreSQL 15 cluster on a free loopback port (tools/lib/servers.sh), then
#      switches it to PostgreSQL's default durability (fsync, synchronous_commit and
#      full_page_writes on: what a DBA's server runs; the test clusters run with them off),
#   3. loads `pgbench -i -s $SCALE`, a $ROWS-row table of 12 mixed-type columns and bru's own WFM
#      sample (bru-sample --scale $WFM_SCALE: non-ASCII text, decimals, timestamps, foreign
#      keys, an identity column), VACUUM ANALYZE,
#      and, unless WIDE_ROWS=0, a second database of $WIDE_ROWS documents of 1 MiB (bytea),
#   4. times, each after a CHECKPOINT, with autovacuum off (it would vacuum one step's database
#      while the next is timed):
#        bru -BACKUP           vs  pg_dump -Fc, pg_dump -Fd -j2      (same database)
#        bru -BACKUP -BULK odbc    (the portable path: psqlODBC's reads)
#        bru -BACKUP -THREADS 2    (two sessions sharing one snapshot)
#        the COPY floors: binary COPY of every table out to /dev/null, and in (into the tables
#        alone, no key or index), with one session and with two
#        bru -RESTORE          vs  pg_restore, pg_restore -j2        (each into a new empty database)
#        bru -RESTORE -NO-VERIFY   (the same restore without bru's read-back check)
#        bru -RESTORE -THREADS n   for each n of $THREADS_STEPS (bru -RESTORE runs the default)
#        bru -RESTORE -BULK odbc   (the portable path: multi-row INSERTs through psqlODBC)
#        bru -BACKUP + -RESTORE  vs  pgcopydb clone --table-jobs 2 --index-jobs 2 (db to db)
#        the wide-row database: bru -BACKUP vs pg_dump -Fc, bru -RESTORE vs pg_restore -j2
#   5. checks that bru's restore has the source's row counts and row content (order-free hash),
#   6. prints a table: wall seconds, client and server CPU seconds, bru's peak RSS, ratios,
#      archive sizes, and whether the targets of issues 2 and 12 are met.
# Not a test and not run by CI: a measurement. Expect a few minutes at full size. Two scales in
# one go (is the cost linear in rows?): tools/bench/two_scales.sh.
#
# Environment:
#   SCALE=50          pgbench scale (100,000 pgbench_accounts rows per unit)
#   ROWS=1000000      rows of the mixed table bench_mixed
#   WFM_SCALE=20      bru-sample scale (about 15,000 rows per unit); 0 leaves the sample out
#   WIDE_ROWS=300     rows of 1 MiB documents in the wide-row database; 0 leaves it out
#   PGCOPYDB=1        time pgcopydb clone (package pgcopydb); 0 leaves it out
#   LEVEL=            bru -LEVEL (zstd level); empty = bru's default
#   THREADS_STEPS="1 3"  the -THREADS values timed besides bru's default (2); "" for none
#   REPEAT=1          runs of each timed step; the table shows the fastest (shared machines are noisy)
#   KEEP=1            leave the cluster and the archives running/on disk, print how to reach them
#   BRU_BIN=path      use this bru instead of building one (bru-sample: tools/sample/ beside it)
#   BRU_BENCH_BUILD_DIR=build-bench
# The table goes to stdout, progress to stderr: tools/bench/backup_restore.sh > figures.txt
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tools/lib/servers.sh
source "$BRU_ROOT/tools/lib/servers.sh"
# shellcheck source=tools/lib/bench.sh
source "$BRU_ROOT/tools/lib/bench.sh"
cd "$BRU_ROOT"

SCALE="${SCALE:-50}"
ROWS="${ROWS:-1000000}"
WFM_SCALE="${WFM_SCALE:-20}"
WIDE_ROWS="${WIDE_ROWS:-300}"
PGCOPYDB="${PGCOPYDB:-1}"
LEVEL="${LEVEL:-}"
THREADS_STEPS="${THREADS_STEPS-1 3}"
KEEP="${KEEP:-0}"
REPEAT="${REPEAT:-1}"
BUILD_DIR="${BRU_BENCH_BUILD_DIR:-build-bench}"
readonly SCALE ROWS WFM_SCALE WIDE_ROWS PGCOPYDB LEVEL THREADS_STEPS KEEP REPEAT BUILD_DIR

readonly PACKAGES=(
  build-essential cmake pkg-config g++
  unixodbc unixodbc-dev libpq-dev libmariadb-dev odbc-postgresql postgresql-15 postgresql-client-15
  libzstd-dev libsqlite3-dev libboost-program-options-dev libfmt-dev nlohmann-json3-dev
  libxxhash-dev libsodium-dev time
)
readonly SOURCE_DB=bench_src
readonly MIXED_TABLE=bench_mixed
readonly WIDE_DB=bench_wide

[[ $SCALE =~ ^[1-9][0-9]*$ ]] || die "SCALE=$SCALE is not a positive whole number" "e.g. SCALE=50"
[[ $ROWS =~ ^[0-9]+$ ]] || die "ROWS=$ROWS is not a whole number" "e.g. ROWS=1000000"
[[ $WFM_SCALE =~ ^[0-9]+$ ]] || die "WFM_SCALE=$WFM_SCALE is not a whole number" "e.g. WFM_SCALE=20"
[[ $WIDE_ROWS =~ ^[0-9]+$ ]] || die "WIDE_ROWS=$WIDE_ROWS is not a whole number" "e.g. WIDE_ROWS=300"
[[ $PGCOPYDB == 0 || $PGCOPYDB == 1 ]] || die "PGCOPYDB=$PGCOPYDB: expected 0 or 1"
[[ -z $LEVEL || $LEVEL =~ ^[0-9]+$ ]] || die "LEVEL=$LEVEL is not a whole number" "e.g. LEVEL=1"
[[ $THREADS_STEPS =~ ^[0-9\ ]*$ ]] || die "THREADS_STEPS=$THREADS_STEPS: whole numbers separated by spaces" "e.g. THREADS_STEPS=\"1 3\""
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT=$REPEAT is not a positive whole number" "e.g. REPEAT=3"
[[ $KEEP == 0 || $KEEP == 1 ]] || die "KEEP=$KEEP: expected 0 or 1"

# ---------------------------------------------------------------------------------------------
# Cluster and clients

WORK=""  # archives, dumps, per-step logs and timings: inside the run folder

on_exit() {
  local rc=$?
  if [[ -n ${BRU_RUN_DIR:-} && -d $BRU_RUN_DIR ]]; then
    if [[ $KEEP == 1 ]]; then
      info "KEEP=1: the cluster keeps running; for your shell:"
      info "  export PGHOST=127.0.0.1 PGPORT=$BRU_TEST_PG_PORT PGUSER=bru PGPASSWORD='$BRU_TEST_PG_PASSWORD'"
      info "  archives and logs: $WORK"
      info "stop and remove it: tools/test.sh --stop-servers $BRU_RUN_DIR"
    else
      servers_stop "$BRU_RUN_DIR"
    fi
  fi
  exit "$rc"
}

start_cluster() {
  [[ -x $BRU_PG_BIN/initdb ]] ||
    die "PostgreSQL $BRU_PG_VERSION server binaries not found in $BRU_PG_BIN" "apt-get install postgresql-$BRU_PG_VERSION"
  # Named like tools/test.sh's run folders so `tools/test.sh --stop-servers` accepts it (KEEP=1).
  BRU_RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bru-servers.XXXXXX")"
  chmod 755 "$BRU_RUN_DIR"
  export BRU_RUN_DIR
  WORK="$BRU_RUN_DIR/bench"
  mkdir -p "$WORK"
  trap 'on_exit' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_start
  # For --stop-servers and KEEP=1: the same file tools/test.sh writes (PostgreSQL part only).
  printf "export PGHOST=127.0.0.1\nexport PGPORT=%s\n" "$BRU_TEST_PG_PORT" >"$BRU_RUN_DIR/env.sh"

  # Every client below logs in as bru over TCP; the password travels in the environment only
  # (BRU_PASSWORD fills the empty password field of bru's connection string).
  export PGHOST=127.0.0.1 PGPORT="$BRU_TEST_PG_PORT" PGUSER=bru
  export PGPASSWORD="$BRU_TEST_PG_PASSWORD" BRU_PASSWORD="$BRU_TEST_PG_PASSWORD"

  # The test cluster runs without durability (servers.sh); a DBA's server has PostgreSQL's
  # defaults, which is where a restore pays for its WAL flushes. All three take a reload.
  admin_sql -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  DURABILITY="$(admin_sql -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' ||
    current_setting('synchronous_commit') || ' full_page_writes=' || current_setting('full_page_writes')")"
  [[ $DURABILITY == "fsync=on synchronous_commit=on full_page_writes=on" ]] ||
    die "the bench cluster did not switch to default durability: $DURABILITY"
}

# psql as bru on database $1, the rest are psql arguments; unaligned, tuples only.
sql() {
  local db="$1"
  shift
  "$BRU_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# psql as the superuser through the cluster's private socket (CHECKPOINT needs it).
admin_sql() {
  "$BRU_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$BRU_RUN_DIR/pg/sock" -U postgres \
    -d postgres "$@"
}

bru_conn() { echo "postgres;127.0.0.1:$BRU_TEST_PG_PORT;$1;bru"; }

# ---------------------------------------------------------------------------------------------
# Data

load_data() {
  section "Data: pgbench -i -s $SCALE + $ROWS rows in $MIXED_TABLE + bru-sample --scale $WFM_SCALE"
  sql postgres -c "CREATE DATABASE $SOURCE_DB"
  local start=$SECONDS
  if ! "$BRU_PG_BIN/pgbench" -i -s "$SCALE" -q "$SOURCE_DB" >"$WORK/pgbench.log" 2>&1; then
    tail -n 20 "$WORK/pgbench.log" >&2
    die "pgbench -i -s $SCALE failed (log: $WORK/pgbench.log)"
  fi
  info "pgbench -i: $((SECONDS - start)) s"

  start=$SECONDS
  # Deterministic values (no random()): the same data on every run. NULLs in a few columns, as
  # real tables have them. Text ~100 chars of hex, so it compresses like text, not like padding.
  if ! sql "$SOURCE_DB" <<SQL
CREATE TABLE $MIXED_TABLE (
  id       bigint PRIMARY KEY,
  qty      integer,
  small    smallint,
  amount   numeric(12,2),
  ratio    double precision,
  flag     boolean,
  code     varchar(40),
  note     text,
  day      date,
  created  timestamp,
  updated  timestamptz,
  ref      uuid
);
INSERT INTO $MIXED_TABLE
SELECT g,
       CASE WHEN g % 50 = 0 THEN NULL ELSE ((g * 7919) % 2000003)::integer - 1000000 END,
       ((g * 31) % 65535 - 32767)::smallint,
       ((g * 104729) % 10000000000)::numeric / 100,
       CASE WHEN g % 97 = 0 THEN NULL ELSE sin(g::double precision) * 1e6 / (1 + g % 1000) END,
       CASE WHEN g % 13 = 0 THEN NULL ELSE g % 3 = 0 END,
       'C-' || to_hex((g * 2654435761) % 4294967296) || '-' || (g % 997),
       left(md5(g::text) || ' ' || md5((g * 3)::text) || ' ' || md5((g * 7)::text) || ' '
            || md5((g * 11)::text), 90 + (g % 21)::integer),
       date '2000-01-01' + (g % 9000)::integer,
       timestamp '2000-01-01' + g * interval '317 seconds' + (g * 7919) % 1000000 * interval '1 microsecond',
       CASE WHEN g % 29 = 0 THEN NULL
            ELSE timestamptz '2010-01-01 00:00:00+00' + g * interval '53 seconds'
                 + (g * 104729) % 1000000 * interval '1 microsecond' END,
       md5('u' || g)::uuid
FROM generate_series(1::bigint, $ROWS) AS g;
CREATE INDEX ${MIXED_TABLE}_day ON $MIXED_TABLE (day);
VACUUM (FREEZE, ANALYZE) $MIXED_TABLE;
SQL
  then
    die "could not create and fill $MIXED_TABLE (the psql error is above)"
  fi
  # pgbench -i ran VACUUM ANALYZE on its own tables already.
  info "$MIXED_TABLE: $((SECONDS - start)) s"

  if [[ $WFM_SCALE -gt 0 ]]; then
    start=$SECONDS
    # psql stops at the first error (ON_ERROR_STOP): a partial sample never gets timed.
    if ! "$BRU_SAMPLE" --dialect postgres --scale "$WFM_SCALE" | sql "$SOURCE_DB" >/dev/null; then
      die "could not load bru-sample --scale $WFM_SCALE (the psql error is above)"
    fi
    sql "$SOURCE_DB" -c "VACUUM ANALYZE"
    info "bru-sample --scale $WFM_SCALE: $((SECONDS - start)) s"
  fi
  info "source database: $(sql "$SOURCE_DB" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
}

# $WIDE_ROWS documents of 1 MiB each: 65,536 md5 digests (bytes, not hex) per row, so they
# neither compress nor dedupe; deterministic, the same on every run.
load_wide() {
  section "Wide rows: $WIDE_ROWS documents of 1 MiB in $WIDE_DB"
  sql postgres -c "CREATE DATABASE $WIDE_DB"
  local start=$SECONDS
  if ! sql "$WIDE_DB" <<SQL
CREATE TABLE docs (id integer PRIMARY KEY, name text NOT NULL, body bytea NOT NULL);
INSERT INTO docs
SELECT g, 'document ' || g,
       (SELECT string_agg(decode(md5(g || ':' || i), 'hex'), ''::bytea)
        FROM generate_series(1, 65536) AS i)
FROM generate_series(1, $WIDE_ROWS) AS g;
VACUUM ANALYZE docs;
SQL
  then
    die "could not create and fill $WIDE_DB.docs (the psql error is above)"
  fi
  info "$WIDE_DB: $((SECONDS - start)) s, $(sql "$WIDE_DB" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
}

# "table rows hash" lines for every table of database $1, sorted by name. The hash is a sum of
# per-row hashes of the row's text form: independent of row order, sensitive to any value.
table_fingerprints() {
  local db="$1" table
  for table in $(sql "$db" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    sql "$db" -F ' ' -c "SELECT '$table', count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM $table AS t"
  done
}

# ---------------------------------------------------------------------------------------------
# Timing

# CPU seconds the cluster's ended backends used so far: the postmaster's reaped children (their
# utime+stime, fields 16 and 17 of /proc/PID/stat). Waits first for the client backends to end.
server_cpu() {
  local pid waited
  for ((waited = 0; waited < 50; waited++)); do
    [[ $(admin_sql -c "SELECT count(*) FROM pg_stat_activity
                       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()") == 0 ]] &&
      break
    sleep 0.1
  done
  pid="$(head -n 1 "$BRU_RUN_DIR/pg/data/postmaster.pid")"
  awk -v tick="$(getconf CLK_TCK)" '{ printf "%.2f", ($16 + $17) / tick }' "/proc/$pid/stat"
}

settle() { admin_sql -c "CHECKPOINT"; }

# The COPY floors (issue 12): the server's own binary COPY of every table of the source, out to
# /dev/null and in from files into a database of the tables alone (no key, index or constraint
# to build), with one session and with two (the tables dealt largest first to the session with
# the fewest bytes so far). Nothing a backup or restore tool can do through COPY is cheaper.
readonly FLOOR_DIR_NAME=floor
floor_tables() {
  sql "$SOURCE_DB" -c "SELECT format('%I.%I', schemaname, relname) || ' ' || pg_relation_size(relid)
                       FROM pg_stat_user_tables ORDER BY pg_relation_size(relid) DESC, 1"
}
# floor_scripts DIRECTION SESSIONS: writes $WORK/floor/<direction>_<i>.sql, one per session,
# each the \copy commands of its tables (out: TO /dev/null; in: FROM the files `out` wrote).
floor_scripts() {
  local direction="$1" sessions="$2" i
  for ((i = 0; i < sessions; i++)); do : >"$WORK/$FLOOR_DIR_NAME/${direction}_$i.sql"; done
  floor_tables | awk -v sessions="$sessions" -v dir="$WORK/$FLOOR_DIR_NAME" -v direction="$direction" '
    {
      best = 0
      for (i = 1; i < sessions; i++) if (load[i] < load[best]) best = i
      load[best] += $2
      file = dir "/" NR ".bin"
      where = direction == "out" ? "TO '\''/dev/null'\''" : "FROM '\''" file "'\''"
      printf "\\copy %s %s WITH (FORMAT binary)\n", $1, where >> (dir "/" direction "_" best ".sql")
    }'
}
# floor_runner DIRECTION SESSIONS DB: writes, and prints the path of, a script that runs the
# scripts floor_scripts wrote, the sessions at once (measure times a program, not a function).
floor_runner() {
  local direction="$1" sessions="$2" db="$3" i
  local runner="$WORK/$FLOOR_DIR_NAME/run_${direction}_$sessions.sh"
  {
    echo '#!/usr/bin/env bash'
    echo 'pids=()'
    for ((i = 0; i < sessions; i++)); do
      printf '"%s/psql" -X -q -v ON_ERROR_STOP=1 -d %s -f "%s" & pids+=($!)\n' "$BRU_PG_BIN" "$db" \
        "$WORK/$FLOOR_DIR_NAME/${direction}_$i.sql"
    done
    echo 'for pid in "${pids[@]}"; do wait "$pid" || exit 1; done'
  } >"$runner"
  chmod +x "$runner"
  echo "$runner"
}
# The files the COPY in floors read, and their database: the source's tables without their
# keys, indexes and constraints (pg_dump --section=pre-data), emptied before each run.
floor_prepare() {
  mkdir -p "$WORK/$FLOOR_DIR_NAME"
  floor_tables | awk -v dir="$WORK/$FLOOR_DIR_NAME" '{
      printf "\\copy %s TO '\''%s/%d.bin'\'' WITH (FORMAT binary)\n", $1, dir, NR }' \
    >"$WORK/$FLOOR_DIR_NAME/export.sql"
  sql "$SOURCE_DB" -f "$WORK/$FLOOR_DIR_NAME/export.sql"
  sql postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench_floor" \
    -c "CREATE DATABASE bench_floor"
  "$BRU_PG_BIN/pg_dump" --section=pre-data --no-owner -d "$SOURCE_DB" | sql bench_floor >/dev/null
}
empty_floor_tables() {
  floor_tables | awk '{ printf "TRUNCATE %s;\n", $1 }' | sql bench_floor
}

# Each restore run goes into a new empty database, named by RESTORE_DB.
RESTORE_DB=""
fresh_database() {
  sql postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $RESTORE_DB" \
    -c "CREATE DATABASE $RESTORE_DB"
}


# ---------------------------------------------------------------------------------------------
# Main

section "Packages"
ensure_packages "${PACKAGES[@]}"

if [[ -n ${BRU_BIN:-} ]]; then
  [[ -x $BRU_BIN ]] || die "BRU_BIN=$BRU_BIN is not an executable file"
  BRU="$(cd "$(dirname "$BRU_BIN")" && pwd)/$(basename "$BRU_BIN")"
  BRU_SAMPLE="$(dirname "$BRU")/tools/sample/bru-sample"
else
  section "Build"
  # Only bru itself: the tests are not needed here.
  build_bru "$BUILD_DIR" Release -DBUILD_TESTING=OFF
  BRU="$BRU_ROOT/$BUILD_DIR/bru"
  [[ $BUILD_DIR == /* ]] && BRU="$BUILD_DIR/bru"
  BRU_SAMPLE="$(dirname "$BRU")/tools/sample/bru-sample"
fi
readonly BRU BRU_SAMPLE
[[ $WFM_SCALE -eq 0 || -x $BRU_SAMPLE ]] || die "bru-sample not found at $BRU_SAMPLE" \
  "build it (cmake --build <dir> --target bru-sample) or set WFM_SCALE=0"
info "bru: $BRU ($("$BRU" --version 2>&1 | head -n 1))"

section "Cluster"
start_cluster
LOAD_START="$(uptime | sed 's/.*load average: //')"

load_data
[[ $WIDE_ROWS -gt 0 ]] && load_wide
# Each restore step loads a database of its own, and autovacuum, waking within a minute, then
# works through those rows while the NEXT step is timed: on 2 cores that took CPU from whichever
# step followed a large restore (pg_restore -j2 ran while pg_restore's database was vacuumed).
# Off for the timed steps, so each is measured on a quiet server; the data loaded above was
# vacuumed and analyzed already.
admin_sql -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null

level_args=()
[[ -n $LEVEL ]] && level_args=(-LEVEL "$LEVEL")

section "Backup"
readonly ARCHIVE="$WORK/bench.DB" DUMP="$WORK/bench.dump"
measure "bru -BACKUP" : "$BRU" -BACKUP -QUIET -FORCE -DB "$(bru_conn "$SOURCE_DB")" -FILE "$ARCHIVE" \
  "${level_args[@]}"
measure "bru -BACKUP -BULK odbc" : "$BRU" -BACKUP -QUIET -FORCE -BULK odbc \
  -DB "$(bru_conn "$SOURCE_DB")" -FILE "$WORK/bench_odbc.DB" "${level_args[@]}"
measure "bru -BACKUP -THREADS 2" : "$BRU" -BACKUP -QUIET -FORCE -THREADS 2 \
  -DB "$(bru_conn "$SOURCE_DB")" -FILE "$WORK/bench_threads2.DB" "${level_args[@]}"
measure "pg_dump -Fc" : "$BRU_PG_BIN/pg_dump" -Fc -d "$SOURCE_DB" -f "$DUMP"
readonly DUMP_DIR="$WORK/bench.dumpdir"
remove_dump_dir() { rm -rf "$DUMP_DIR"; }
measure "pg_dump -Fd -j2" remove_dump_dir "$BRU_PG_BIN/pg_dump" -Fd -j2 -d "$SOURCE_DB" -f "$DUMP_DIR"

section "COPY floors"
floor_prepare
for sessions in 1 2; do
  floor_scripts out "$sessions"
  floor_scripts in "$sessions"
  measure "COPY out, $sessions session(s)" : "$(floor_runner out "$sessions" "$SOURCE_DB")"
  measure "COPY in, $sessions session(s)" empty_floor_tables "$(floor_runner in "$sessions" bench_floor)"
done

section "Restore"
RESTORE_DB=bench_bru
measure "bru -RESTORE" fresh_database "$BRU" -RESTORE -QUIET -DB "$(bru_conn bench_bru)" -FILE "$ARCHIVE"
RESTORE_DB=bench_bru_noverify
measure "bru -RESTORE -NO-VERIFY" fresh_database "$BRU" -RESTORE -QUIET -NO-VERIFY \
  -DB "$(bru_conn bench_bru_noverify)" -FILE "$ARCHIVE"
for threads in $THREADS_STEPS; do
  RESTORE_DB="bench_bru_threads$threads"
  measure "bru -RESTORE -THREADS $threads" fresh_database "$BRU" -RESTORE -QUIET -THREADS "$threads" \
    -DB "$(bru_conn "$RESTORE_DB")" -FILE "$ARCHIVE"
done
RESTORE_DB=bench_bru_odbc
measure "bru -RESTORE -BULK odbc" fresh_database "$BRU" -RESTORE -QUIET -BULK odbc \
  -DB "$(bru_conn bench_bru_odbc)" -FILE "$ARCHIVE"
RESTORE_DB=bench_pgr
measure "pg_restore" fresh_database "$BRU_PG_BIN/pg_restore" -d bench_pgr "$DUMP"
RESTORE_DB=bench_pgr_j2
measure "pg_restore -j2" fresh_database "$BRU_PG_BIN/pg_restore" -j2 -d bench_pgr_j2 "$DUMP"

if [[ $PGCOPYDB == 1 ]]; then
  section "Database to database"
  RESTORE_DB=bench_pgcopydb
  readonly PGCOPYDB_DIR="$WORK/pgcopydb"
  fresh_pgcopydb() { fresh_database && rm -rf "$PGCOPYDB_DIR"; }
  measure "pgcopydb clone -j2" fresh_pgcopydb pgcopydb clone \
    --source "postgres://bru@127.0.0.1:$BRU_TEST_PG_PORT/$SOURCE_DB" \
    --target "postgres://bru@127.0.0.1:$BRU_TEST_PG_PORT/bench_pgcopydb" \
    --table-jobs 2 --index-jobs 2 --dir "$PGCOPYDB_DIR" --no-owner --no-acl --skip-extensions
fi

if [[ $WIDE_ROWS -gt 0 ]]; then
  section "Wide rows"
  readonly WIDE_ARCHIVE="$WORK/wide.DB" WIDE_DUMP="$WORK/wide.dump"
  measure "wide: bru -BACKUP" : "$BRU" -BACKUP -QUIET -FORCE -DB "$(bru_conn "$WIDE_DB")" \
    -FILE "$WIDE_ARCHIVE" "${level_args[@]}"
  measure "wide: pg_dump -Fc" : "$BRU_PG_BIN/pg_dump" -Fc -d "$WIDE_DB" -f "$WIDE_DUMP"
  RESTORE_DB=bench_wide_bru
  measure "wide: bru -RESTORE" fresh_database "$BRU" -RESTORE -QUIET \
    -DB "$(bru_conn bench_wide_bru)" -FILE "$WIDE_ARCHIVE"
  RESTORE_DB=bench_wide_pgr_j2
  measure "wide: pg_restore -j2" fresh_database "$BRU_PG_BIN/pg_restore" -j2 \
    -d bench_wide_pgr_j2 "$WIDE_DUMP"
fi
LOAD_END="$(uptime | sed 's/.*load average: //')"

section "Check: bru's restore against the source"
table_fingerprints "$SOURCE_DB" >"$WORK/source.tables"
table_fingerprints bench_bru >"$WORK/restored.tables"
if ! diff -u "$WORK/source.tables" "$WORK/restored.tables" >"$WORK/tables.diff"; then
  cat "$WORK/tables.diff" >&2
  die "bru's restore differs from the source (table, rows, row hash; - source, + restored)"
fi
table_fingerprints bench_bru_odbc >"$WORK/restored_odbc.tables"
diff -u "$WORK/source.tables" "$WORK/restored_odbc.tables" >&2 ||
  die "bru's -BULK odbc restore differs from the source (table, rows, row hash)"
if [[ $WIDE_ROWS -gt 0 ]]; then
  [[ "$(table_fingerprints "$WIDE_DB")" == "$(table_fingerprints bench_wide_bru)" ]] ||
    die "bru's restore of $WIDE_DB differs from the source"
fi
CHECK="$(awk '{n++; rows += $2} END { printf "%d tables, %d rows: counts and row hashes equal", n, rows }' \
  "$WORK/source.tables")"
info "$CHECK"

# ---------------------------------------------------------------------------------------------
# The table

bru_size="$(stat -c %s "$ARCHIVE")"
dump_size="$(stat -c %s "$DUMP")"
src_size="$(sql "$SOURCE_DB" -c "SELECT pg_database_size(current_database())")"
peak_rss="$(bru_peak_rss)"
# Issue 12's targets: backup <= 0.5x pg_dump -Fc, restore (verified) <= 1.0x pg_restore -j2.
backup_ok="$(at_most "${WALL[bru -BACKUP]}" "${WALL[pg_dump -Fc]}" 0.5)"
restore_ok="$(at_most "${WALL[bru -RESTORE]}" "${WALL[pg_restore -j2]}" 1.0)"
rss_ok="$( ((peak_rss < 256 * 1024)) && echo yes || echo NO)"
# ... and both within 1.5x of the COPY floors: each with the floor of as many sessions.
backup_floor_ok="$(at_most "${WALL[bru -BACKUP]}" "${WALL[COPY out, 1 session(s)]}" 1.5)"
restore_floor_ok="$(at_most "${WALL[bru -RESTORE]}" "${WALL[COPY in, 2 session(s)]}" 1.5)"

{
  printf '\nbru benchmark: pgbench scale %s + %s rows of %s + bru-sample scale %s; source database %s MB; bru -LEVEL %s\n' \
    "$SCALE" "$ROWS" "$MIXED_TABLE" "$WFM_SCALE" "$(mb "$src_size")" "${LEVEL:-default}"
  printf 'machine: %s cores; load average at start %s, at end %s\n' "$(nproc)" "$LOAD_START" "$LOAD_END"
  printf 'server: PostgreSQL %s, %s; autovacuum off during the timed steps\n' "$BRU_PG_VERSION" \
    "$DURABILITY"
  printf 'server CPU: the backends of the step, autovacuum workers included\n'
  print_steps
  printf '\nratios (bru / competitor, wall time; below 1 = bru faster)\n'
  printf '  backup   bru -BACKUP             / pg_dump -Fc     %s\n' "$(ratio "${WALL[bru -BACKUP]}" "${WALL[pg_dump -Fc]}")"
  printf '  restore  bru -RESTORE            / pg_restore      %s\n' "$(ratio "${WALL[bru -RESTORE]}" "${WALL[pg_restore]}")"
  printf '  restore  bru -RESTORE            / pg_restore -j2  %s\n' "$(ratio "${WALL[bru -RESTORE]}" "${WALL[pg_restore -j2]}")"
  printf '  restore  bru -RESTORE -NO-VERIFY / pg_restore      %s\n' \
    "$(ratio "${WALL[bru -RESTORE -NO-VERIFY]}" "${WALL[pg_restore]}")"
  printf '  restore  bru -RESTORE -NO-VERIFY / pg_restore -j2  %s\n' \
    "$(ratio "${WALL[bru -RESTORE -NO-VERIFY]}" "${WALL[pg_restore -j2]}")"
  for threads in $THREADS_STEPS; do
    printf '  restore  %-22s / pg_restore -j2  %s\n' "bru -RESTORE -THREADS $threads" \
      "$(ratio "${WALL[bru -RESTORE -THREADS $threads]}" "${WALL[pg_restore -j2]}")"
  done
  printf '  backup   bru -BACKUP             / pg_dump -Fd -j2 %s\n' "$(ratio "${WALL[bru -BACKUP]}" "${WALL[pg_dump -Fd -j2]}")"
  printf '  backup   bru -BACKUP -THREADS 2  / pg_dump -Fc     %s\n' \
    "$(ratio "${WALL[bru -BACKUP -THREADS 2]}" "${WALL[pg_dump -Fc]}")"
  printf '  backup   bru -BACKUP -THREADS 2  / pg_dump -Fd -j2 %s\n' \
    "$(ratio "${WALL[bru -BACKUP -THREADS 2]}" "${WALL[pg_dump -Fd -j2]}")"
  printf '  backup   bru -BACKUP -BULK odbc  / pg_dump -Fc     %s\n' \
    "$(ratio "${WALL[bru -BACKUP -BULK odbc]}" "${WALL[pg_dump -Fc]}")"
  printf '  backup   bru -BACKUP (COPY)      / -BULK odbc      %s\n' \
    "$(ratio "${WALL[bru -BACKUP]}" "${WALL[bru -BACKUP -BULK odbc]}")"
  printf '  restore  bru -RESTORE -BULK odbc / pg_restore -j2  %s\n' \
    "$(ratio "${WALL[bru -RESTORE -BULK odbc]}" "${WALL[pg_restore -j2]}")"
  printf '  restore  bru -RESTORE (COPY)     / -BULK odbc      %s\n' \
    "$(ratio "${WALL[bru -RESTORE]}" "${WALL[bru -RESTORE -BULK odbc]}")"
  if [[ $PGCOPYDB == 1 ]]; then
    both="$(awk -v a="${WALL[bru -BACKUP]}" -v b="${WALL[bru -RESTORE]}" 'BEGIN { printf "%.2f", a + b }')"
    printf '  copy     bru -BACKUP + -RESTORE  / pgcopydb -j2    %s  (%s s against %s s)\n' \
      "$(ratio "$both" "${WALL[pgcopydb clone -j2]}")" "$both" "${WALL[pgcopydb clone -j2]}"
  fi
  if [[ $WIDE_ROWS -gt 0 ]]; then
    printf '  wide     bru -BACKUP             / pg_dump -Fc     %s\n' \
      "$(ratio "${WALL[wide: bru -BACKUP]}" "${WALL[wide: pg_dump -Fc]}")"
    printf '  wide     bru -RESTORE            / pg_restore -j2  %s\n' \
      "$(ratio "${WALL[wide: bru -RESTORE]}" "${WALL[wide: pg_restore -j2]}")"
  fi
  printf '  floor    bru -BACKUP             / COPY out, 1 session   %s\n' \
    "$(ratio "${WALL[bru -BACKUP]}" "${WALL[COPY out, 1 session(s)]}")"
  printf '  floor    bru -BACKUP -THREADS 2  / COPY out, 2 sessions  %s\n' \
    "$(ratio "${WALL[bru -BACKUP -THREADS 2]}" "${WALL[COPY out, 2 session(s)]}")"
  printf '  floor    bru -RESTORE            / COPY in, 2 sessions   %s  (bru also builds keys and indexes, and verifies)\n' \
    "$(ratio "${WALL[bru -RESTORE]}" "${WALL[COPY in, 2 session(s)]}")"
  printf '  floor    bru -RESTORE -NO-VERIFY / COPY in, 2 sessions   %s\n' \
    "$(ratio "${WALL[bru -RESTORE -NO-VERIFY]}" "${WALL[COPY in, 2 session(s)]}")"
  printf '\narchives\n'
  printf '  bru .DB       %12s bytes  %8s MB\n' "$bru_size" "$(mb "$bru_size")"
  printf '  pg_dump -Fc   %12s bytes  %8s MB\n' "$dump_size" "$(mb "$dump_size")"
  printf '  size ratio bru / pg_dump -Fc: %s\n' "$(ratio "$bru_size" "$dump_size")"
  if [[ $WIDE_ROWS -gt 0 ]]; then
    wide_bru="$(stat -c %s "$WIDE_ARCHIVE")" wide_dump="$(stat -c %s "$WIDE_DUMP")"
    printf '  wide: bru .DB %s MB, pg_dump -Fc %s MB, ratio %s\n' "$(mb "$wide_bru")" \
      "$(mb "$wide_dump")" "$(ratio "$wide_bru" "$wide_dump")"
  fi
  printf '\ncheck: %s\n' "$CHECK"
  printf 'targets: backup <= 0.5x pg_dump -Fc: %s;  restore <= 1.0x pg_restore -j2: %s;  bru peak RSS < 256 MiB: %s (%s MiB)\n' \
    "$backup_ok" "$restore_ok" "$rss_ok" "$(mib "$peak_rss")"
  printf '         backup <= 1.5x COPY out floor: %s;  restore <= 1.5x COPY in floor (2 sessions): %s\n' \
    "$backup_floor_ok" "$restore_floor_ok"
} | tee "$WORK/figures.txt"

#!/usr/bin/env bash
# bru -MIGRATE of a WFM 6.5 sample, PostgreSQL -> PostgreSQL, next to bru -BACKUP + -RESTORE of
# the same source (issue 9, item 5):
#   for each scale of SCALES: a 6.5 sample (bru-sample --model wfm65; 4,608 performance rows and
#   about 10,300 rows in all per scale unit), then, each into a new empty database,
#     bru -MIGRATE -FROM <6.5> -DB <new>           (the 8.5 schema first, then every mapping)
#     bru -BACKUP <6.5> ; bru -RESTORE <copy>      (the same rows, no remap)
#   rows per second of each and the ratio; two scales show whether the cost is linear;
#   then -SLICE 500 / 5000 / 50000 at the first scale: the effect of the transaction size.
# Needs a PostgreSQL server: the one `tools/test.sh --keep-servers` starts (source its env.sh
# first: BRU_TEST_PG_ADMIN, BRU_TEST_PG_PORT, BRU_TEST_PG_PASSWORD). It switches that server to
# PostgreSQL's default durability (fsync, synchronous_commit, full_page_writes on, as a DBA's
# server runs; the test servers run with them off) and checks it. Not a test; a measurement.
# Environment: SCALES="100 200", SLICES="500 5000 50000", BRU_BUILD_DIR=build
# The table goes to stdout, progress to stderr.
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$BRU_ROOT"

SCALES="${SCALES:-100 200}"
SLICES="${SLICES:-500 5000 50000}"
BUILD="${BRU_BUILD_DIR:-build}"
BRU="$BUILD/bru"
[[ -x $BRU ]] || die "no bru at $BRU" "build it: cmake --build $BUILD --target bru bru-sample"
[[ -n ${BRU_TEST_PG_ADMIN:-} && -n ${BRU_TEST_PG_PORT:-} && -n ${BRU_TEST_PG_PASSWORD:-} ]] ||
  die "no PostgreSQL server named" "run tools/test.sh --keep-servers and source the env.sh it prints"

admin() { psql "$BRU_TEST_PG_ADMIN" -qAt -v ON_ERROR_STOP=1 "$@"; }
admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
  -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
durability="$(admin -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' ||
  current_setting('synchronous_commit') || ' full_page_writes=' || current_setting('full_page_writes')")"
[[ $durability == "fsync=on synchronous_commit=on full_page_writes=on" ]] ||
  die "the server kept $durability" "check that the admin connection may ALTER SYSTEM"
echo "server: $durability; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
admin_in() { local db="$1"; shift; psql "$BRU_TEST_PG_ADMIN dbname=$db" -qAt -v ON_ERROR_STOP=1 "$@"; }
fresh_db() {
  admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER bru TEMPLATE template0 ENCODING 'UTF8'" 2>/dev/null
  printf 'postgres;127.0.0.1:%s;%s;bru;%s' "$BRU_TEST_PG_PORT" "$1" "$BRU_TEST_PG_PASSWORD"
}
# Wall seconds of a command, to stderr's log; stdout of the command discarded.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
rate() { echo "scale=0; $1 / $2" | bc; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%-6s %10s %10s %12s %10s %12s %10s %8s\n' scale rows perf-rows migrate-s rows/s backup+restore-s rows/s ratio
first_scale=""
for scale in $SCALES; do
  section "scale $scale: the 6.5 sample" >&2
  src="$(fresh_db bench_m65)"
  "$BUILD/tools/sample/bru-sample" --model wfm65 --scale "$scale" --db "$src" >&2
  rows=$(admin_in bench_m65 -c "SELECT (SELECT count(*) FROM interval_statistics)")
  total=$("$BUILD/tools/sample/bru-sample" --model wfm65 --scale "$scale" --dialect sqlite --out "$work/count.sql" --force 2>&1 | sed -n 's/.*tables, \([0-9]*\) rows.*/\1/p')
  dst="$(fresh_db bench_m85)"
  migrate_s=$(seconds "$BRU" -MIGRATE -FROM "$src" -DB "$dst" -QUIET)
  copy="$(fresh_db bench_copy)"
  backup_s=$(seconds "$BRU" -BACKUP -DB "$src" -FILE "$work/m65.DB" -FORCE -QUIET)
  restore_s=$(seconds "$BRU" -RESTORE -DB "$copy" -FILE "$work/m65.DB" -QUIET)
  both=$(echo "$backup_s + $restore_s" | bc)
  printf '%-6s %10s %10s %12.1f %10s %12.1f %10s %8.2f\n' "$scale" "$total" "$rows" "$migrate_s" \
    "$(rate "$total" "$migrate_s")" "$both" "$(rate "$total" "$both")" "$(echo "$migrate_s / $both" | bc -l)"
  [[ -n $first_scale ]] || first_scale=$scale
done

section "-SLICE at scale $first_scale" >&2
src="$(fresh_db bench_m65)"
"$BUILD/tools/sample/bru-sample" --model wfm65 --scale "$first_scale" --db "$src" >&2
printf '\n%-8s %12s\n' slice migrate-s
for slice in $SLICES; do
  dst="$(fresh_db bench_m85)"
  printf '%-8s %12.1f\n' "$slice" "$(seconds "$BRU" -MIGRATE -FROM "$src" -DB "$dst" -QUIET -SLICE "$slice")"
done
admin -c "DROP DATABASE IF EXISTS bench_m65 WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_m85 WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_copy WITH (FORCE)"

#!/usr/bin/env bash
# tools/bench/backup_restore.sh at two data scales, one after the other, then how bru's times
# grew against the rows (issue 12: cost linear in rows). Each run starts its own cluster with
# default durability; the wide-row set runs with the small scale only.
# Environment:
#   SMALL=10 LARGE=40   pgbench scales; the mixed table and the WFM sample scale with them
#   WIDE_ROWS=300       1 MiB documents in the small run (0: none)
#   BRU_BIN, REPEAT, LEVEL as for backup_restore.sh
# The two tables and the comparison go to stdout: tools/bench/two_scales.sh > figures.txt
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

SMALL="${SMALL:-10}"
LARGE="${LARGE:-40}"
[[ $SMALL =~ ^[1-9][0-9]*$ && $LARGE =~ ^[1-9][0-9]*$ && $LARGE -gt $SMALL ]] ||
  die "SMALL=$SMALL LARGE=$LARGE: two whole numbers, LARGE above SMALL" "e.g. SMALL=10 LARGE=40"
readonly SMALL LARGE
OUT="$(mktemp -d "${TMPDIR:-/tmp}/bru-bench.XXXXXX")"
readonly OUT

bench() {
  local scale="$1" wide="$2"
  SCALE="$scale" ROWS=$((scale * 20000)) WFM_SCALE=$(((scale + 2) / 3)) WIDE_ROWS="$wide" \
    "$BRU_ROOT/tools/bench/backup_restore.sh" | tee "$OUT/scale$scale.txt"
}
bench "$SMALL" "${WIDE_ROWS:-300}"
bench "$LARGE" 0

# The wall seconds of a step, and the rows checked, from a run's table.
wall() { awk -v step="$2" 'index($0, step " ") == 1 && $(NF-3) ~ /^[0-9.]+$/ { print $(NF-3); exit }' "$1"; }
rows() { sed -n 's/^check: [0-9]* tables, \([0-9]*\) rows.*/\1/p' "$1"; }
small_rows="$(rows "$OUT/scale$SMALL.txt")" large_rows="$(rows "$OUT/scale$LARGE.txt")"
printf '\nlinearity: rows x%s (%s -> %s)\n' \
  "$(awk -v a="$large_rows" -v b="$small_rows" 'BEGIN { printf "%.2f", a / b }')" "$small_rows" "$large_rows"
for step in "bru -BACKUP" "bru -BACKUP -BULK odbc" "bru -RESTORE" "bru -RESTORE -BULK odbc" "pg_dump -Fc" "pg_restore -j2"; do
  a="$(wall "$OUT/scale$SMALL.txt" "$step")" b="$(wall "$OUT/scale$LARGE.txt" "$step")"
  printf '  %-26s %8s s -> %8s s  x%s\n' "$step" "$a" "$b" \
    "$(awk -v a="$b" -v b="$a" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
done
info "tables: $OUT"

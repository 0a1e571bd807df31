#!/usr/bin/env bash
# A WFM sample database in the shape of a given WFM version, through bru-sample:
#   tools/wfm-sample.sh -DB <conn> -VERSION 6.5 [-SCALE n] [-SEED s]     the 6.5 legacy database
#   tools/wfm-sample.sh -DB <conn> -VERSION 8.5 [-SCALE n] [-SEED s]     the 8.5 core tables
# <conn> is bru's connection grammar ("sqlite;wfm65.sqlite", "postgres;host:port;db;user;pw",
# "mariadb;host:port;db;user;pw"); the database must be empty. Scale 1 is about 10,000 rows for
# 6.5; the performance data (interval statistics) grows linearly with the scale. The same seed
# and scale give the same rows. sql/wfm/legacy/ holds the 6.5 tables alone, as scripts.
# Environment: BRU_BUILD_DIR (default build) is where bru-sample was built.
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

db="" version="" scale=1 seed=1
while [[ $# -gt 0 ]]; do
  case "${1^^}" in
    -DB) db="${2:-}"; shift 2 ;;
    -VERSION) version="${2:-}"; shift 2 ;;
    -SCALE) scale="${2:-}"; shift 2 ;;
    -SEED) seed="${2:-}"; shift 2 ;;
    -H | -HELP | --HELP) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option \"$1\"" "usage: tools/wfm-sample.sh -DB <conn> -VERSION 6.5|8.5 [-SCALE n] [-SEED s]" ;;
  esac
done
[[ -n $db ]] || die "-DB is missing" "give the database to fill, e.g. -DB \"sqlite;wfm65.sqlite\""
case "$version" in
  6.5 | 6.5.*) model=wfm65 ;;
  8.5 | 8.5.*) model=wfm ;;
  *) die "-VERSION \"$version\" is not a sample this script makes" "use -VERSION 6.5 (the legacy database) or -VERSION 8.5" ;;
esac

sample="${BRU_BUILD_DIR:-$BRU_ROOT/build}/tools/sample/bru-sample"
[[ -x $sample ]] || die "bru-sample not found at $sample" "build it: cmake --build build --target bru-sample (or set BRU_BUILD_DIR)"
exec "$sample" --model "$model" --scale "$scale" --seed "$seed" --db "$db"

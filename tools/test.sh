#!/usr/bin/env bash
# Runs bru's whole test suite on a Debian 12 machine, from nothing:
#   1. installs the build tools, libraries, ODBC drivers and database servers (apt-get; quick and
#      offline when they are already installed),
#   2. builds bru and its tests (build/, RelWithDebInfo); in a full run (no ctest args) also
#      packages that build as a .deb (tools/package.sh --from) and checks the package
#      (tools/check_package.sh: dpkg-deb fields and contents, the unpacked binary, man -l),
#   3. starts its own PostgreSQL and MariaDB servers on free loopback ports,
#   4. runs ctest (labels unit, odbc, cli, slow) with BRU_TEST_PG / BRU_TEST_MARIADB set,
#   5. stops the servers and removes their files, also on failure or Ctrl-C;
#   in a full run, between 2 and 3, also (BRU_SKIP_SANITIZE=1 leaves these out):
#   S. builds the unit tests and the fuzz harnesses with clang, AddressSanitizer and
#      UndefinedBehaviorSanitizer (build-sanitize/) and runs the unit tests there,
#   F. fuzzes each harness of tests/fuzz for BRU_FUZZ_SECONDS, from its seed corpus.
# Exit code: ctest's (0 when every test passed).
#
# Usage:
#   tools/test.sh [ctest args...]     e.g. tools/test.sh -L unit    tools/test.sh -R Archive
#   tools/test.sh --keep-servers      only start the servers, print their export lines, and leave
#                                     them running (for development); then
#   tools/test.sh --stop-servers DIR  stops servers left running by --keep-servers
#   tools/test.sh --sanitize          only steps S and F (no servers needed)
# Environment:
#   BRU_SKIP_SLOW=1   leave out the tests labelled slow (CI runs them)
#   BRU_BUILD_DIR     build folder (default: build)
#   BRU_SKIP_SANITIZE=1  leave out steps S and F in a full run (CI runs them)
#   BRU_FUZZ_SECONDS  how long step F fuzzes each harness (default: 60)
#   BRU_TEST_NO_SKIP=1  a test that would skip itself (no root for its tmpfs) fails instead (.ci/run)
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=tools/lib/servers.sh
source "$BRU_ROOT/tools/lib/servers.sh"
cd "$BRU_ROOT"

readonly PACKAGES=(
  "${BRU_BUILD_PACKAGES[@]}"
  odbc-postgresql libsqliteodbc odbc-mariadb
  postgresql postgresql-15 postgresql-contrib mariadb-server mariadb-client
  libgtest-dev googletest
  sqlfluff python3-sqlglot sqlite3 zstd
  dpkg-dev file man-db groff-base
  clang libclang-rt-14-dev
)
readonly ODBC_DRIVERS=("PostgreSQL Unicode" "MariaDB Unicode" "SQLite3")

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; }

check_odbc_drivers() {
  local driver
  for driver in "${ODBC_DRIVERS[@]}"; do
    odbcinst -q -d -n "$driver" >/dev/null 2>&1 ||
      die "the ODBC driver \"$driver\" is not registered with unixODBC" \
        "reinstall its package (odbc-postgresql, odbc-mariadb, libsqliteodbc) or check /etc/odbcinst.ini"
  done
}

print_env() {
  grep '^export' "$BRU_RUN_DIR/env.sh"
}

keep_servers() {
  section "Packages"
  ensure_packages "${PACKAGES[@]}"
  check_odbc_drivers
  section "Servers"
  # Until both are up, a failure or Ctrl-C stops whatever did start.
  trap 'on_exit' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  servers_start
  trap - EXIT INT TERM
  section "Servers left running; for your shell:"
  print_env
  printf '# or: source %s/env.sh\n# stop them with: %s/tools/test.sh --stop-servers %s\n' \
    "$BRU_RUN_DIR" "$BRU_ROOT" "$BRU_RUN_DIR"
}

stop_servers() {
  local dir="${1:-}"
  [[ -n $dir ]] || die "--stop-servers needs the folder that --keep-servers printed"
  [[ -f $dir/env.sh && $(basename "$dir") == bru-servers.* ]] ||
    die "$dir is not a server folder made by tools/test.sh --keep-servers"
  servers_stop "$dir"
  info "stopped the servers of $dir and removed it"
}

readonly SANITIZE_BUILD_DIR=build-sanitize

# Step S: the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang; any finding
# ends its test with an error). The same build holds the fuzz harnesses, so one extra build serves
# both steps. The parser checks of the generated SQL (*_sql_parsers) are left out: they run
# sqlfluff, not bru code.
sanitized_unit_tests() {
  section "Sanitizer build (ASan + UBSan, clang)"
  BRU_BUILD_TARGETS="unit_tests fuzz_harnesses" build_bru "$SANITIZE_BUILD_DIR" RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DBRU_SANITIZE=ON -DBRU_FUZZ=ON
  section "Unit tests under the sanitizers"
  local log="$SANITIZE_BUILD_DIR/ctest.log"
  info "ctest --test-dir $SANITIZE_BUILD_DIR -L unit -E _sql_parsers\$"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$SANITIZE_BUILD_DIR" --output-on-failure -j2 --timeout 600 \
    --no-tests=error -L unit -E '_sql_parsers$' --output-log "$log" >/dev/null; then
    sed -n '/tests passed/,$p' "$log" >&2
    die "unit tests failed under the sanitizers (log, with each report: $log)" \
      "rerun one: $SANITIZE_BUILD_DIR/tests/unit_tests --gtest_filter=<Suite.Test>"
  fi
  info "$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1)"
}

# Step F: each harness (one per folder of tests/fuzz/corpus) for BRU_FUZZ_SECONDS, starting from
# its committed seeds plus what earlier runs found (kept in build-sanitize/fuzz/<harness>/corpus).
# A crash, leak, timeout or broken property stops the run, naming the saved input.
fuzz_harnesses() {
  local seconds="${BRU_FUZZ_SECONDS:-60}" seeds harness
  section "Fuzzing (${seconds} s per harness)"
  for seeds in tests/fuzz/corpus/*/; do
    harness="$(basename "$seeds")"
    local work="$SANITIZE_BUILD_DIR/fuzz/$harness"
    mkdir -p "$work/corpus" "$work/found"
    info "fuzz_$harness"
    if ! "$SANITIZE_BUILD_DIR/tests/fuzz/fuzz_$harness" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$work/found/" "$work/corpus" \
      "$seeds" >"$work/log" 2>&1; then
      grep -v -E '^#[0-9]+' "$work/log" | tail -n 40 >&2
      die "fuzz_$harness failed; the input is in $work/found/ (log: $work/log)" \
        "reproduce: $SANITIZE_BUILD_DIR/tests/fuzz/fuzz_$harness <that file>; fix it, add a unit test"
    fi
    info "$(grep -E '^#[0-9]+' "$work/log" | tail -n 1)"
  done
}

sanitize_steps() {
  section "Packages"
  ensure_packages "${PACKAGES[@]}"
  sanitized_unit_tests
  fuzz_harnesses
}

CTEST_PID=""

# On any exit before the normal end (failure, Ctrl-C, kill): end the tests, stop the servers.
on_exit() {
  local rc=$?
  if [[ -n $CTEST_PID ]] && kill -0 "$CTEST_PID" 2>/dev/null; then
    kill -TERM -- "-$CTEST_PID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$CTEST_PID" 2>/dev/null || true
  fi
  servers_stop
  exit "$rc"
}

run_suite() {
  local build_dir="${BRU_BUILD_DIR:-build}"

  section "Packages"
  ensure_packages "${PACKAGES[@]}"
  check_odbc_drivers

  section "Build"
  build_bru "$build_dir" RelWithDebInfo

  if [[ $# -eq 0 ]]; then
    # The build just made, packaged (seconds) rather than a second, Release build (minutes): the
    # packaged binary is stripped either way, and -O2 against -O3 changes no behaviour.
    section "Debian package"
    local deb
    deb="$("$BRU_ROOT/tools/package.sh" --from "$build_dir" | tail -n 1)"
    "$BRU_ROOT/tools/check_package.sh" "$deb"
  fi

  if [[ $# -eq 0 && ${BRU_SKIP_SANITIZE:-0} != 1 ]]; then
    sanitized_unit_tests
    fuzz_harnesses
  fi

  section "Servers"
  trap 'on_exit' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  servers_start

  section "Tests"
  local args=(--test-dir "$build_dir" --output-on-failure -j2 --timeout 600)
  # The full run must run tests: zero tests found is a broken build, not a pass.
  [[ $# -eq 0 ]] && args+=(--no-tests=error)
  [[ ${BRU_SKIP_SLOW:-0} == 1 ]] && args+=(-LE slow)
  info "ctest ${args[*]} $*"
  local log="$build_dir/ctest.log" rc=0
  # ctest runs in its own session, in the background: bash runs a signal's trap only once the
  # foreground command ends, but interrupts `wait` at once; and on_exit can end ctest's whole
  # process group, tests included. A background job starts with SIGINT and SIGQUIT ignored, and
  # the tests would inherit that: env --default-signal gives them back their default action.
  setsid env --default-signal=INT,QUIT ctest "${args[@]}" "$@" --output-log "$log" &
  CTEST_PID=$!
  wait "$CTEST_PID" || rc=$?
  CTEST_PID=""

  section "Cleanup"
  servers_stop
  info "servers stopped"
  trap - EXIT
  # ctest's closing line again, last, so it is what a reader (or CI) sees at the end.
  local summary
  summary="$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1 || true)"
  [[ -n $summary ]] && printf '\n%s\n' "$summary"
  [[ $rc -ne 0 ]] && printf 'tools/test.sh: ctest exited with %d (log: %s)\n' "$rc" "$log" >&2
  return "$rc"
}

case "${1:-}" in
  -h | --help) usage ;;
  --keep-servers) keep_servers ;;
  --stop-servers) stop_servers "${2:-}" ;;
  --sanitize) sanitize_steps ;;
  *) run_suite "$@" ;;
esac

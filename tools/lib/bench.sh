# shellcheck shell=bash
# What the benchmarks in tools/bench/ share: timing a step, and the ratios of the table they
# print. Sourced after tools/lib/common.sh, never run.
#
# The sourcing script defines, before its first `measure`:
#   WORK            the folder for each step's log and timing
#   REPEAT          runs of each step; the fastest counts
#   settle          a function run before each run (PostgreSQL: CHECKPOINT), so that no run pays
#                   for the dirty pages of the one before
#   server_cpu      a function printing the CPU seconds the server used so far

# Per step name: wall seconds, client user+system CPU seconds, server CPU seconds (all three of
# the fastest run), peak client RSS in KiB (the largest of all runs).
declare -A WALL CPU SERVER_CPU RSS
STEPS=()

# measure NAME PREPARE CMD...: runs CMD $REPEAT times under /usr/bin/time, each run after PREPARE
# (a function, or :) and settle, and keeps the fastest. CMD's output goes to $WORK/<NAME>.log.
# Stops the benchmark if CMD fails.
measure() {
  local name="$1" prepare="$2"
  shift 2
  local slug="${name//[^A-Za-z0-9]/_}" run rc wall user sys rss cpu server cpu0 cpu1 peak=0 best=""
  for ((run = 1; run <= REPEAT; run++)); do
    "$prepare"
    settle
    info "$name (run $run of $REPEAT) ..."
    cpu0="$(server_cpu)"
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/$slug.time" "$@" >"$WORK/$slug.log" 2>&1 || rc=$?
    if [[ $rc -ne 0 ]]; then
      tail -n 20 "$WORK/$slug.log" >&2
      die "$name failed with exit code $rc (log: $WORK/$slug.log)"
    fi
    cpu1="$(server_cpu)"
    # The last line: GNU time puts a "Command exited with non-zero status" line first on failure.
    read -r wall user sys rss < <(tail -n 1 "$WORK/$slug.time")
    cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    server="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')"
    info "$name: $wall s wall, $cpu s CPU, $server s server CPU, $((rss / 1024)) MiB peak RSS"
    ((rss > peak)) && peak=$rss
    if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best="$wall"
      WALL[$name]="$wall" CPU[$name]="$cpu" SERVER_CPU[$name]="$server"
    fi
  done
  RSS[$name]="$peak"
  STEPS+=("$name")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mb() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# yes when $1 <= $3 x $2
at_most() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { print (b > 0 && a <= f * b) ? "yes" : "NO" }'; }

# The steps' table: wall, client CPU, server CPU, peak RSS.
print_steps() {
  local step
  printf '\n%-34s %8s %8s %13s %13s\n' "step" "wall s" "CPU s" "server CPU s" "peak RSS MiB"
  for step in "${STEPS[@]}"; do
    printf '%-34s %8s %8s %13s %13s\n' "$step" "${WALL[$step]}" "${CPU[$step]}" \
      "${SERVER_CPU[$step]}" "$(mib "${RSS[$step]}")"
  done
  printf '(wall: fastest of %s run(s); CPU: the client process, user+system; server CPU: see\n' "$REPEAT"
  printf ' the header; peak RSS: the client, largest run)\n'
}

# The largest peak RSS of the steps whose name holds "bru", in KiB.
bru_peak_rss() {
  local step peak=0
  for step in "${STEPS[@]}"; do
    [[ $step == *bru* ]] && ((RSS[$step] > peak)) && peak=${RSS[$step]}
  done
  echo "$peak"
}

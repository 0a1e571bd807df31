# shellcheck shell=bash
# Shared helpers for tools/*.sh: messages, privileges, Debian packages, building bru.
# Sourced, never run. Callers set `set -euo pipefail` themselves.

# The repository root: tools/lib/.. /..
BRU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BRU_ROOT

# Section titles and messages go to stderr so a script's stdout stays for its real output.
section() { printf '\n== %s ==\n' "$*" >&2; }
info() { printf '   %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$1" >&2
  [[ $# -gt 1 ]] && printf 'hint: %s\n' "$2" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*" "run this script as root, or install sudo"
  fi
}

# What building bru needs on Debian 12 (tools/test.sh and tools/package.sh add their own).
# shellcheck disable=SC2034  # used by the scripts that source this file
readonly BRU_BUILD_PACKAGES=(
  build-essential cmake pkg-config g++
  unixodbc unixodbc-dev libpq-dev libmariadb-dev
  libzstd-dev libsqlite3-dev libboost-program-options-dev libfmt-dev nlohmann-json3-dev
  libxxhash-dev libsodium-dev
)

# Installs the named Debian packages that are missing. Does nothing (and needs no network) when
# all are installed; runs `apt-get update` once, only when something is missing. Services that
# the packages would start (postgresql, mariadb) are kept from starting during the install: the
# scripts start their own servers on free ports.
ensure_packages() {
  local missing=() pkg installed
  # One dpkg-query for all: the names of those fully installed ("ii").
  installed=" $(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
    awk '$2 == "ii" {printf "%s ", $1}' || true) "
  for pkg in "$@"; do
    [[ $installed == *" $pkg "* ]] || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages: ${missing[*]}" "this script expects Debian 12 (apt-get); install them by hand"
  info "installing: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    # policy-rc.d exit 101 = "action not allowed": invoke-rc.d then starts no service.
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    added_policy=1
  fi
  local rc=0 log
  log="$(mktemp)"
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
  } >"$log" 2>&1 || rc=$?
  [[ $added_policy -eq 1 ]] && as_root rm -f "$policy"
  if [[ $rc -ne 0 ]]; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    die "apt-get could not install: ${missing[*]}" "see the apt-get output above"
  fi
  rm -f "$log"
}

# Configures and builds bru in $1 (a build dir, relative to the repo root or absolute) with the
# CMake build type $2 and any further cmake -D arguments. Prints only the build's errors. Builds
# every target, or only those named (space-separated) in BRU_BUILD_TARGETS.
build_bru() {
  local dir="$1" type="$2"
  shift 2
  local log="$dir/build.log"
  mkdir -p "$dir"
  info "cmake -S . -B $dir -DCMAKE_BUILD_TYPE=$type $*"
  if ! cmake -S "$BRU_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "cmake configure failed (full log: $log)"
  fi
  local targets=()
  [[ -n ${BRU_BUILD_TARGETS:-} ]] && read -r -a targets <<<"--target $BRU_BUILD_TARGETS"
  info "cmake --build $dir -j$(nproc) ${targets[*]}"
  if ! cmake --build "$dir" -j"$(nproc)" "${targets[@]}" >>"$log" 2>&1; then
    # The compiler's errors, else the end of the log.
    grep -E -A4 'error:|undefined reference|\*\*\* ' "$log" | head -n 60 >&2 || tail -n 40 "$log" >&2
    die "build failed (full log: $log)"
  fi
}

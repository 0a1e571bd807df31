#!/usr/bin/env bash
# Checks a bru Debian package without installing it (tools/test.sh runs it on the .deb that
# tools/package.sh made):
#   - dpkg-deb --info/--contents are sane: the files bru ships, owned by root, nothing else;
#   - Depends: names the shared libraries bru links (libodbc, libzstd, ...), Recommends: the
#     ODBC drivers;
#   - unpacked with dpkg-deb -x, the binary runs (--version, -V, --help), man -l formats the page
#     without a warning and within 80 columns, and the bash completion loads;
#   - every file of the repository's sql/ folder is in /usr/share/bru/, byte for byte.
# Prints one line per check; exits 1 at the first failure.
#
# Usage: tools/check_package.sh build-pkg/bru_<version>_<arch>.deb
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

readonly DEB="${1:-}"
[[ -f $DEB ]] || die "no package to check: \"$DEB\"" "usage: tools/check_package.sh build-pkg/bru_<version>_<arch>.deb"

# man -l needs man-db and groff (tools/test.sh installs them with the rest).
ensure_packages man-db groff-base

UNPACKED="$(mktemp -d)"
trap 'rm -rf "$UNPACKED"' EXIT

ok() { info "ok  $*"; }
fail() { die "package check failed: $1" "${2:-inspect it with dpkg-deb --info / --contents $DEB}"; }

# The value of a control field, "" when absent.
field() { dpkg-deb -f "$DEB" "$1" 2>/dev/null || true; }

check_control() {
  dpkg-deb --info "$DEB" >/dev/null || fail "dpkg-deb --info cannot read $DEB"
  [[ $(field Package) == bru ]] || fail "Package: is \"$(field Package)\", not bru"
  [[ $(basename "$DEB") == "bru_$(field Version)_$(field Architecture).deb" ]] ||
    fail "file name $(basename "$DEB") does not match Version: $(field Version) and Architecture: $(field Architecture)"
  local depends recommends lib driver
  depends="$(field Depends)"
  [[ -n $depends ]] || fail "Depends: is empty (dpkg-shlibdeps did not run?)"
  for lib in libodbc libpq5 libmariadb3 libzstd libsqlite3 libxxhash libsodium libfmt libboost-program-options libstdc++6 libc6; do
    [[ $depends == *"$lib"* ]] || fail "Depends: lacks $lib: $depends"
  done
  ok "Depends: $depends"
  recommends="$(field Recommends)"
  for driver in odbc-postgresql odbc-mariadb libsqliteodbc tdsodbc; do
    [[ $recommends == *"$driver"* ]] || fail "Recommends: lacks $driver: $recommends"
  done
  ok "Recommends: $recommends"
}

# The expected file list: bru's own files plus every file of sql/.
expected_files() {
  printf '%s\n' ./usr/bin/bru ./usr/share/man/man1/bru.1.gz \
    ./usr/share/bash-completion/completions/bru
  if [[ -d $BRU_ROOT/sql ]]; then
    (cd "$BRU_ROOT/sql" && find . -type f | sed 's|^\./|./usr/share/bru/|')
  fi
}

check_contents() {
  local listing files unexpected
  listing="$(dpkg-deb --contents "$DEB")" || fail "dpkg-deb --contents cannot read $DEB"
  awk '$2 != "root/root" {bad = 1; print "   not root/root: " $0 > "/dev/stderr"} END {exit bad}' \
    <<<"$listing" || fail "files not owned by root/root"
  files="$(awk '$1 !~ /^d/ {print $6}' <<<"$listing" | sort)"
  unexpected="$(diff <(expected_files | sort) <(echo "$files") || true)"
  [[ -z $unexpected ]] ||
    fail "the package's files differ from the expected ones (< missing, > extra):"$'\n'"$unexpected"
  ok "contents: $(wc -l <<<"$files") files, all owned by root"
}

check_unpacked() {
  dpkg-deb -x "$DEB" "$UNPACKED"
  local bru="$UNPACKED/usr/bin/bru" version out
  version="$(field Version)"
  for switch in --version -V; do
    out="$("$bru" "$switch")" || fail "the unpacked bru $switch failed"
    [[ $out == "bru $version" ]] || fail "bru $switch printed \"$out\", expected \"bru $version\""
  done
  out="$("$bru" --help)" || fail "the unpacked bru --help failed"
  [[ $out == *$'\nexit codes:\n'* && $out == *$'\nenvironment:\n'* ]] ||
    fail "bru --help lacks its exit codes or environment sections"
  ok "unpacked /usr/bin/bru runs: --version, -V, --help"

  local page="$UNPACKED/usr/share/man/man1/bru.1.gz" warnings
  gzip -t "$page" || fail "bru.1.gz is not gzip"
  # Read whole, not piped into grep -q: grep stops at the match and zcat's next write would die
  # of SIGPIPE, which pipefail reports as a failure (the page outgrew one 32 KiB write).
  local source
  source="$(zcat "$page")" || fail "bru.1.gz does not decompress"
  grep -q "^\.TH BRU 1 .*\"bru $version\"" <<<"$source" || fail "bru(1) does not name version $version"
  # man's own warnings (groff's -ww), as lintian checks a page.
  warnings="$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
    "$page" 2>&1 >/dev/null)" || fail "man -l cannot format bru.1.gz"
  [[ -z $warnings ]] || fail "man -l warns about bru.1.gz:"$'\n'"$warnings"
  out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null)" || fail "man -l bru.1.gz failed"
  [[ $out == *"bru - back up, restore and update databases"* ]] || fail "man -l shows no NAME line"
  local wide
  wide="$(awk 'length > 80' <<<"$out")"
  [[ -z $wide ]] || fail "bru(1) has lines wider than 80 columns:"$'\n'"$wide"
  ok "man -l bru.1.gz: formats without warnings, 80 columns"

  bash -c 'source "$1" && complete -p bru' _ "$UNPACKED/usr/share/bash-completion/completions/bru" \
    >/dev/null 2>&1 || fail "the bash completion does not load (complete -p bru)"
  ok "bash completion loads"

  local sql_files=0 file
  if [[ -d $BRU_ROOT/sql ]]; then
    while IFS= read -r -d '' file; do
      cmp -s "$BRU_ROOT/sql/$file" "$UNPACKED/usr/share/bru/$file" ||
        fail "sql/$file differs from /usr/share/bru/$file in the package"
      sql_files=$((sql_files + 1))
    done < <(cd "$BRU_ROOT/sql" && find . -type f -printf '%P\0')
  fi
  ok "sql/: $sql_files files, each in /usr/share/bru/ unchanged"
}

section "Package check: $DEB"
check_control
check_contents
check_unpacked

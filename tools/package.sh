#!/usr/bin/env bash
# Builds bru's Debian package, build-pkg/bru_<version>_<arch>.deb, on a Debian 12 machine:
#   1. installs the build tools and libraries, dpkg-dev and file (apt-get; CPack's
#      dpkg-shlibdeps computes Depends: from the binary's shared libraries),
#   2. builds bru in build-pkg/ (Release, without the tests), unless --from names a build,
#   3. runs cpack (tools/package.cmake says what goes into the package).
# Prints the path of the .deb as the last line of stdout. Install it with
#   sudo apt-get install ./build-pkg/bru_<version>_<arch>.deb    (pulls in Depends: too)
#
# Usage:
#   tools/package.sh               a fresh Release build (about 2.5 minutes on 2 cores)
#   tools/package.sh --from DIR    package the bru already built in DIR (tools/test.sh passes its
#                                  RelWithDebInfo build/ to save a second build; the packaged
#                                  binary is stripped either way)
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BRU_ROOT"

readonly PACKAGE_DIR=build-pkg

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; }

require_configured() {
  [[ -f $1/CPackConfig.cmake ]] ||
    die "$1 holds no configured bru build (no CPackConfig.cmake)" \
      "run tools/package.sh without --from, or build first: tools/test.sh builds build/"
}

# Runs cpack on the configured build in $1, writing the package into $PACKAGE_DIR.
make_package() {
  local build_dir="$1" log="$PACKAGE_DIR/cpack.log"
  require_configured "$build_dir"
  mkdir -p "$PACKAGE_DIR"
  rm -f "$PACKAGE_DIR"/bru_*.deb
  info "cpack --config $build_dir/CPackConfig.cmake -B $PACKAGE_DIR"
  if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$(realpath "$PACKAGE_DIR")" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "cpack failed (full log: $log)"
  fi
  local debs=("$PACKAGE_DIR"/bru_*.deb)
  [[ -f ${debs[0]} ]] || die "cpack made no $PACKAGE_DIR/bru_*.deb (log: $log)"
  echo "${debs[0]}"
}

main() {
  local from=""
  case "${1:-}" in
    -h | --help) usage; return 0 ;;
    --from) from="${2:-}"; [[ -n $from ]] || die "--from needs a build folder, e.g. --from build" ;;
    "") ;;
    *) die "unknown argument: $1" "see tools/package.sh --help" ;;
  esac

  section "Packages"
  ensure_packages "${BRU_BUILD_PACKAGES[@]}" dpkg-dev file
  if [[ -z $from ]]; then
    section "Build (Release)"
    build_bru "$PACKAGE_DIR" Release -DBUILD_TESTING=OFF
    from="$PACKAGE_DIR"
  else
    require_configured "$from"
    section "Build"
    # Brings the build up to date (the man page included); a no-op when tools/test.sh just built it.
    info "cmake --build $from --target bru bru_man_page"
    cmake --build "$from" -j"$(nproc)" --target bru bru_man_page >/dev/null ||
      die "building bru in $from failed" "run cmake --build $from to see why"
  fi
  section "Debian package"
  local deb
  deb="$(make_package "$from")"
  info "$(dpkg-deb -f "$deb" Package Version Architecture Installed-Size | tr '\n' ' ')"
  echo "$deb"
}

main "$@"

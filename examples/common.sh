# Shared by examples/*/run: where the vigil build is and how to reach its libvigil.
# VIGIL_BUILD_DIR (default: <repo>/build) must hold a built libvigil (ninja -C build).
here_common="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VIGIL_ROOT="$(cd "$here_common/.." && pwd)"
VIGIL_BUILD_DIR="${VIGIL_BUILD_DIR:-${VIGIL_BUILD_ROOT:-$VIGIL_ROOT/build}}"
VIGIL_BUILD_DIR="$(cd "$VIGIL_BUILD_DIR" && pwd)"
if [ ! -e "$VIGIL_BUILD_DIR/libvigil.so" ]; then
  echo "examples: no libvigil.so in $VIGIL_BUILD_DIR (build vigil first: ninja -C build)" >&2
  exit 2
fi
export PKG_CONFIG_PATH="$VIGIL_BUILD_DIR/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$VIGIL_BUILD_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
EXAMPLES_OUT="$VIGIL_BUILD_DIR/examples"
mkdir -p "$EXAMPLES_OUT"
# newer SRC... than OUT?
stale() {
  local out="$1"; shift
  [ -e "$out" ] || return 0
  local f
  for f in "$@"; do [ "$f" -nt "$out" ] && return 0; done
  return 1
}

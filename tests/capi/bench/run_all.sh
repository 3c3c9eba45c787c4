#!/usr/bin/env bash
# Per-message cost of the C ABI and of each binding on the same 140-byte messages, single calls
# and batches of 1000, on the one-rule pack (isolates the binding's overhead) and on the default
# pack (realistic). Figures are the best of 15 rounds (Java's after 30 warm-up rounds).
# Usage (after ninja -C build and scripts/setup-bindings):  tests/capi/bench/run_all.sh [build-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
msgs="$root/tests/capi/bench/messages140.txt"
export PKG_CONFIG_PATH="$build/meson-uninstalled" LD_LIBRARY_PATH="$build"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
site="$build/bench-python"
rm -rf "$site"
python3 -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps --target "$site" "$root/bindings/python"
(cd "$root/bindings/go" && go build -o "$build/vigil-go-bench" ./bench)
mvn -B -q -o -f "$root/bindings/java/pom.xml" -DskipTests package >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for pack in "$root/tests/capi/bench/tiny.toml" ""; do
  "$build/tests/capi/vigil-capi-bench" "$msgs" $pack
  PYTHONPATH="$site" python3 "$root/bindings/python/bench/bench.py" "$msgs" $pack
  "$build/vigil-go-bench" "$msgs" $pack
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dvigil.library="$build/libvigil.so" \
    -cp "$root/bindings/java/target/vigil-0.1.0.jar" "$root/bindings/java/bench/Bench.java" "$msgs" $pack
done

#!/usr/bin/env python3
"""Python binding against the C ABI, interleaved in one run: medians over repeated runs.

Usage: python_vs_c.py [--build DIR] [--runs N] [--pack PACK.toml | --default-pack] [--cpu-time]
Runs build/tests/capi/vigil-capi-bench and bindings/python/bench/bench.py alternately N times
(each prints its best of 15 rounds), then prints the medians, the Python batch throughput as a
share of C's (C batch ns / Python batch ns) and the single-call overhead (Python - C single).
The binding is installed into DIR/bench-python first, as tests/capi/bench/run_all.sh does.
A benchmark, not a test: nothing is asserted.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIGURES = re.compile(r"single (\d+) ns/msg; batch (\d+) ns/msg")


def figures(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    m = FIGURES.search(out)
    if m is None:
        sys.exit(f"no figures in the output of {' '.join(cmd)}:\n{out}")
    return int(m.group(1)), int(m.group(2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pack", default=os.path.join(ROOT, "tests", "capi", "bench", "tiny.toml"))
    ap.add_argument("--default-pack", action="store_true", help="the embedded default pack")
    ap.add_argument("--cpu-time", action="store_true",
                    help="time with each process's CPU time (VIGIL_BENCH_CPU_TIME=1)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    site = os.path.join(build, "bench-python")
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(build, "meson-uninstalled"),
               LD_LIBRARY_PATH=build)
    if args.cpu_time:
        env["VIGIL_BENCH_CPU_TIME"] = "1"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "--no-build-isolation", "--no-deps", "--upgrade", "--target", site,
                    os.path.join(ROOT, "bindings", "python")], env=env, check=True)
    msgs = os.path.join(ROOT, "tests", "capi", "bench", "messages140.txt")
    pack = [] if args.default_pack else [args.pack]
    c_cmd = [os.path.join(build, "tests", "capi", "vigil-capi-bench"), msgs, *pack]
    py_cmd = [sys.executable, os.path.join(ROOT, "bindings", "python", "bench", "bench.py"),
              msgs, *pack]
    py_env = dict(env, PYTHONPATH=site)
    with open("/proc/loadavg") as f:
        print(f"load average: {' '.join(f.read().split()[:3])} on {os.cpu_count()} cores")
    c, py = [], []
    for run in range(args.runs):
        c.append(figures(c_cmd, env))
        py.append(figures(py_cmd, py_env))
        print(f"run {run + 1}: C single/batch {c[-1][0]}/{c[-1][1]} ns, "
              f"Python {py[-1][0]}/{py[-1][1]} ns, batch ratio {c[-1][1] / py[-1][1]:.0%}")
    med = [statistics.median(x[i] for x in runs) for runs in (c, py) for i in (0, 1)]
    ratios = [b[1] / a[1] for a, b in zip(py, c)]
    clock = "CPU time" if args.cpu_time else "wall clock"
    print(f"median over {args.runs} runs ({'default pack' if args.default_pack else args.pack}, "
          f"{clock}): "
          f"C single {med[0]:.0f} / batch {med[1]:.0f} ns/msg; Python single {med[2]:.0f} / "
          f"batch {med[3]:.0f} ns/msg; Python batch throughput {med[1] / med[3]:.0%} of C's "
          f"(median of per-run ratios {statistics.median(ratios):.0%}, "
          f"range {min(ratios):.0%}-{max(ratios):.0%}); single-call overhead "
          f"{med[2] - med[0]:.0f} ns")


if __name__ == "__main__":
    main()

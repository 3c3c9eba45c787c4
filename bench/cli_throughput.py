#!/usr/bin/env python3
"""Time `vigil scan --jsonl` on ~20 MB of real messages against the library on the same input.

Usage: bench/cli_throughput.py [--build build] [--mb 20] [--runs 5]
Messages are fortunes (package fortunes) cut into ~1 KB pieces. The CLI is timed end to end
(process start, default-pack compile, JSON in and out); the library figure comes from
bench-scan's BM_VigilScan_DefaultPack_JsonlFile on the same file. Prints medians and the ratio.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time


def fortunes_text():
    d = "/usr/share/games/fortunes"
    parts = []
    for name in sorted(os.listdir(d)):
        if "." in name:
            continue
        with open(os.path.join(d, name), "rb") as f:
            parts.append(f.read().decode("utf-8", "replace"))
    return "".join(parts)


def write_messages(path, megabytes):
    text = fortunes_text()
    target = megabytes * 1_000_000
    written, i, n = 0, 0, 0
    with open(path, "w") as out:
        while written < target:
            start = (i * 1024) % max(1, len(text) - 1100)
            msg = text[start:start + 1024]
            line = json.dumps({"id": n, "text": msg}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            i += 1
            n += 1
    return written, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--mb", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "messages.jsonl")
        size, count = write_messages(path, a.mb)
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            subprocess.run([os.path.join(a.build, "cli/vigil"), "scan", "--jsonl", path],
                           stdout=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - t0)
        cli = statistics.median(times)
        out = subprocess.run([os.path.join(a.build, "bench/bench-scan"),
                              "--benchmark_filter=JsonlFile", "--benchmark_format=json",
                              f"--benchmark_repetitions={a.runs}",
                              "--benchmark_report_aggregates_only=true"],
                             env={**os.environ, "VIGIL_BENCH_JSONL": path},
                             capture_output=True, text=True, check=True).stdout
        runs = json.loads(out)["benchmarks"]
        med = next(b for b in runs if b.get("aggregate_name") == "median")
        lib = med["real_time"] / 1000.0  # ms -> s
        print(f"input: {size / 1e6:.1f} MB, {count} messages")
        print(f"vigil scan --jsonl (median of {a.runs}): {cli:.3f} s, {size / cli / 1e6:.1f} MB/s")
        print(f"library scan of the same texts (median): {lib:.3f} s, {size / lib / 1e6:.1f} MB/s")
        print(f"CLI / library time: {cli / lib:.2f}x (goal: <= 2x)")


if __name__ == "__main__":
    main()

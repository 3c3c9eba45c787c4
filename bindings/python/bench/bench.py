"""ns per 140-byte message through the Python binding: single scans and batches of 1000.

Usage: python bench.py MESSAGES140.TXT [PACK.toml]   (compare with tests/capi/bench's C figure;
VIGIL_BENCH_CPU_TIME=1 to time with CPU time, as that program does then)
"""
import os
import sys
import time

import vigil

#: VIGIL_BENCH_CPU_TIME=1: this process's CPU time instead of the wall clock, as the C program.
clock = time.process_time if os.environ.get("VIGIL_BENCH_CPU_TIME") == "1" else time.perf_counter


def main() -> None:
    msgs = [l.rstrip(b"\n").decode("utf-8") for l in open(sys.argv[1], "rb")]
    engine = vigil.Engine.from_pack_file(sys.argv[2]) if len(sys.argv) > 2 else vigil.Engine.default()
    for m in msgs:
        engine.scan(m)
    sink = 0
    single = batch = batch_iter = float("inf")
    for _ in range(15):  # best of 15 rounds of each (the machine may be shared)
        t0 = clock()
        for m in msgs:
            sink += engine.scan(m).decision
        single = min(single, (clock() - t0) * 1e9 / len(msgs))
        t0 = clock()
        for s in range(0, len(msgs), 1000):
            sink += sum(engine.scan_batch(msgs[s:s + 1000]).decisions)
        batch = min(batch, (clock() - t0) * 1e9 / len(msgs))
        t0 = clock()
        for s in range(0, len(msgs), 1000):
            sink += sum(v.decision for v in engine.scan_batch(msgs[s:s + 1000]))
        batch_iter = min(batch_iter, (clock() - t0) * 1e9 / len(msgs))
    print(f"Python ({sys.argv[2] if len(sys.argv) > 2 else 'default pack'}): {len(msgs)} messages "
          f"of 140 bytes; single {single:.0f} ns/msg; batch {batch:.0f} ns/msg "
          f"({1e9 / batch:.0f} msg/s); batch iterating Verdicts {batch_iter:.0f} ns/msg [{sink}]")


if __name__ == "__main__":
    main()

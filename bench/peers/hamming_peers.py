"""Hamming range queries over 256-bit codes: vigil's multi-index and flat scan against faiss's
IndexBinaryFlat and IndexBinaryMultiHash(256, 16, 16) with nflip=1 (as Meta's
Hasher-Matcher-Actioner indexes PDQ), one query at a time, one thread, radius 31.

Banks are uniformly random codes; each query is a stored code with 10 bits flipped, so it has
one true match, as in production look-ups. Before timing, every query's result (the ids within
the radius) must be the same from all four.
"""
import os
import time

import faiss
import numpy as np

from common import HarnessError, median, run_json_lines

RADIUS = 31


def _codes_and_queries(n, n_queries, seed):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    picks = rng.integers(0, n, size=n_queries)
    queries = codes[picks].copy()
    bits = np.unpackbits(queries, axis=1)
    for row in bits:
        row[rng.choice(256, size=10, replace=False)] ^= 1
    return codes, np.packbits(bits, axis=1)


def _faiss_indexes(codes):
    indexes = {}
    t0 = time.perf_counter()
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    indexes["faiss IndexBinaryFlat"] = (flat, time.perf_counter() - t0)
    t0 = time.perf_counter()
    multi = faiss.IndexBinaryMultiHash(256, 16, 16)
    multi.nflip = 1
    multi.add(codes)
    indexes["faiss IndexBinaryMultiHash"] = (multi, time.perf_counter() - t0)
    return indexes


def _faiss_query(index, query):
    # faiss returns distances strictly below its radius argument
    lims, _, ids = index.range_search(query.reshape(1, 32), RADIUS + 1)
    return sorted(int(i) for i in ids[lims[0]:lims[1]])


def _time_faiss(index, queries, repeat):
    micros, results = [], []
    for q in queries:
        for r in range(repeat):
            t0 = time.perf_counter()
            ids = _faiss_query(index, q)
            micros.append((time.perf_counter() - t0) * 1e6)
            if r == 0:
                results.append(ids)
    return micros, results


def run_size(ctx, n, n_queries, repeat):
    codes, queries = _codes_and_queries(n, n_queries, seed=n)
    codes_path = os.path.join(ctx.workdir, "codes.bin")
    queries_path = os.path.join(ctx.workdir, "queries.bin")
    out = os.path.join(ctx.workdir, "hamming-results.txt")
    codes.tofile(codes_path)
    queries.tofile(queries_path)
    [vigil], _ = run_json_lines([ctx.peers_bench, "hamming", codes_path, queries_path,
                                 str(RADIUS), str(repeat), out])
    os.remove(codes_path)
    with open(out) as f:
        vigil_ids = [sorted(int(x) for x in line.split()) for line in f.read().split("\n")[:-1]]
    os.remove(out)
    if vigil["mismatches"]:
        raise HarnessError(f"vigil's MIH and flat scan disagree on {vigil['mismatches']} queries")
    row = {"codes": n, "queries": n_queries,
           "vigil MIH": {"p50_us": median(vigil["mih_us"]), "build_s": vigil["mih_build_s"],
                         "bytes_per_code": vigil["mih_bytes"] / n},
           "vigil flat scan": {"p50_us": median(vigil["flat_us"])},
           "hits_per_query": sum(len(v) for v in vigil_ids) / n_queries}
    faiss.omp_set_num_threads(1)
    for name, (index, build_s) in _faiss_indexes(codes).items():
        micros, results = _time_faiss(index, queries, repeat)
        if results != vigil_ids:
            bad = next(k for k, (a, b) in enumerate(zip(results, vigil_ids)) if a != b)
            raise HarnessError(f"{name} disagrees with vigil on query {bad} of {n} codes: "
                               f"{results[bad][:5]} vs {vigil_ids[bad][:5]}")
        row[name] = {"p50_us": median(micros), "build_s": build_s}
    os.remove(queries_path)
    return row


def run(ctx):
    if ctx.quick:
        plan = [(10_000, 50, 2), (100_000, 50, 2)]
    else:
        plan = [(10_000, 500, 5), (100_000, 500, 5), (1_000_000, 500, 3), (10_000_000, 100, 1)]
    rows = []
    for n, n_queries, repeat in plan:
        ctx.log(f"hamming: {n} codes, {n_queries} queries x {repeat}")
        rows.append(run_size(ctx, n, n_queries, repeat))
    return {"radius": RADIUS, "rows": rows}

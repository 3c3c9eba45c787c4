"""Multi-term matching: vigil against Hyperscan (C and Python), pyahocorasick, ahocorasick-rs
and RE2's Set, on the same terms and messages.

The peers match raw literals (no normalisation, no word boundaries, no scoring). Before any
timing, every peer's set of matched terms per message must equal raw Hyperscan's (run by
vigil-peers-bench on the same files); a peer that disagrees is reported and not timed. vigil
matches whole words of normalised text, so its hits are compared with the peers' matches that
fall on word boundaries (an agreement rate, not an equality).
"""
import os

import ahocorasick
import ahocorasick_rs
import hyperscan
import re2

from common import HarnessError, best_of, median, messages, run_json_lines, terms


def _hyperscan_py(term_list):
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[t.encode() for t in term_list], ids=list(range(len(term_list))),
               elements=len(term_list), flags=hyperscan.HS_FLAG_CASELESS, literal=True)

    def scan(msg):
        found = set()
        db.scan(msg.encode(), match_event_handler=lambda i, a, b, f, c: found.add(i))
        return found
    return scan


def _pyahocorasick(term_list):
    automaton = ahocorasick.Automaton()
    for i, t in enumerate(term_list):
        automaton.add_word(t, i)
    automaton.make_automaton()
    return lambda msg: {i for _, i in automaton.iter(msg)}


def _ahocorasick_rs(term_list):
    ac = ahocorasick_rs.AhoCorasick(term_list)
    return lambda msg: {m[0] for m in ac.find_matches_as_indexes(msg, overlapping=True)}


def _re2_set(term_list):
    options = re2.Options()
    options.max_mem = 2 << 30  # the default budget is too small for 100k alternatives
    rset = re2.Set.SearchSet(options)
    for t in term_list:
        rset.Add(re2.escape(t))
    rset.Compile()
    return lambda msg: set(rset.Match(msg) or ())


# name -> builder(terms) returning scan(lowercased message) -> set of term ids
PEERS = {
    "hyperscan (Python)": _hyperscan_py,
    "pyahocorasick": _pyahocorasick,
    "ahocorasick-rs": _ahocorasick_rs,
    "RE2 Set (Python)": _re2_set,
}


def _write_inputs(workdir, tag, term_list, msgs):
    terms_path = os.path.join(workdir, f"terms-{tag}.txt")
    msgs_path = os.path.join(workdir, f"messages-{tag}.bin")
    with open(terms_path, "w") as f:
        f.write("\n".join(term_list))
    with open(msgs_path, "w") as f:
        f.write("\0".join(msgs))
    return terms_path, msgs_path


def _read_lines(path):
    with open(path) as f:
        return f.read().split("\n")[:-1]


def _word_bounded(term_list, lowered):
    """The (start, end) spans of term matches on word boundaries: what vigil should report."""
    automaton = ahocorasick.Automaton()
    for i, t in enumerate(term_list):
        automaton.add_word(t, i)
    automaton.make_automaton()
    out = []
    for msg in lowered:
        spans = set()
        for end, i in automaton.iter(msg):
            start = end - len(term_list[i]) + 1
            before = msg[start - 1] if start > 0 else " "
            after = msg[end + 1] if end + 1 < len(msg) else " "
            if not before.isalnum() and not after.isalnum():
                spans.add((start, end + 1))
        out.append(spans)
    return out


def _vigil_agreement(term_list, lowered, vigil_lines):
    expected = _word_bounded(term_list, lowered)
    both = only_peer = only_vigil = 0
    for spans, line in zip(expected, vigil_lines):
        got = {tuple(int(x) for x in s.split("-")) for s in line.split()}
        both += len(spans & got)
        only_peer += len(spans - got)
        only_vigil += len(got - spans)
    return {"both": both, "only_word_bounded_peer": only_peer, "only_vigil": only_vigil}


def _check_peer(name, scan, lowered, hs_sets):
    for k, msg in enumerate(lowered):
        got = scan(msg)
        if got != hs_sets[k]:
            missing = sorted(hs_sets[k] - got)[:5]
            extra = sorted(got - hs_sets[k])[:5]
            return f"{name} disagrees with Hyperscan on message {k}: missing {missing}, extra {extra}"
    return None


def run_case(ctx, tag, term_list, msgs, repeat):
    """Everything measured on one (terms, messages) input: a dict of per-peer medians."""
    terms_path, msgs_path = _write_inputs(ctx.workdir, tag, term_list, msgs)
    out = os.path.join(ctx.workdir, f"scan-{tag}")
    [vigil], _ = run_json_lines([ctx.peers_bench, "scan", terms_path, msgs_path,
                                 str(max(3, repeat)), out])
    hs_sets = [set(int(x) for x in line.split()) for line in _read_lines(out + ".hs")]
    if len(hs_sets) != len(msgs):
        raise HarnessError(f"{out}.hs: {len(hs_sets)} lines for {len(msgs)} messages")
    lowered = [m.lower() for m in msgs]
    result = {"terms": len(term_list), "messages": len(msgs),
              "bytes": sum(len(m) for m in msgs),
              "hits": sum(len(s) for s in hs_sets),
              "vigil": {"compile_s": vigil["vigil_compile_s"], "scan_s": median(vigil["vigil_runs_s"])},
              "hyperscan (C)": {"compile_s": vigil["hs_compile_s"], "scan_s": median(vigil["hs_runs_s"])},
              "vigil_agreement": _vigil_agreement(term_list, lowered, _read_lines(out + ".vigil")),
              "disagreements": []}
    for name, builder in PEERS.items():
        build_s, scan = best_of(lambda: builder(term_list), 1)
        problem = _check_peer(name, scan, lowered, hs_sets)
        if problem:
            result["disagreements"].append(problem)
            continue
        scan_s, _ = best_of(lambda: [scan(m) for m in lowered], repeat)
        result[name] = {"compile_s": build_s, "scan_s": scan_s}
    for path in (terms_path, msgs_path, out + ".hs", out + ".vigil"):
        os.remove(path)
    return result


def run(ctx, text):
    """Throughput against the number of terms, and latency against the message size."""
    q = ctx.quick
    term_counts = [100, 1000] if q else [100, 1000, 10000, 100000]
    by_terms = []
    msgs_1k = messages(text, 1024, 200 if q else 4000)
    for n in term_counts:
        ctx.log(f"scan: {n} terms, {len(msgs_1k)} x 1 KB messages")
        by_terms.append(run_case(ctx, f"t{n}", terms(n), msgs_1k, 1 if q else 5))
    sizes = [64, 140, 1024, 16384] if q else [64, 140, 1024, 4096, 16384, 65536]
    n_terms = 1000 if q else 10000
    by_size = []
    for size in sizes:
        count = max(20, (200_000 if q else 4_000_000) // size)
        count = min(count, 20000)
        ctx.log(f"scan: {n_terms} terms, {count} x {size} B messages")
        by_size.append(run_case(ctx, f"s{size}", terms(n_terms), messages(text, size, count),
                                1 if q else 5))
    return {"by_terms": by_terms, "by_size": by_size, "size_terms": n_terms}

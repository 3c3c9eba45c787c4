"""Run the peer benchmarks and write bench/RESULTS.md and bench/figures/*.png.

Called by bench/report/run (which makes the venv and builds vigil's tools); see that script.
  report.py --build DIR --work DIR [--quick] [--only scan,hamming,pdq,text]
"""
import argparse
import datetime
import os
import pickle
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(BENCH, "peers"))

import common  # noqa: E402
import figures  # noqa: E402
import markdown  # noqa: E402


class Context:
    def __init__(self, args):
        self.quick = args.quick
        self.workdir = os.path.abspath(args.work)
        self.peers_bench = os.path.join(args.build, "bench", "vigil-peers-bench")
        self.vigil = os.path.join(args.build, "cli", "vigil")
        self.t0 = time.time()
        for tool in (self.peers_bench, self.vigil):
            if not os.access(tool, os.X_OK):
                raise common.HarnessError(f"{tool} not built (bench/report/run builds it)")
        os.makedirs(self.workdir, exist_ok=True)

    def log(self, message):
        print(f"[{time.time() - self.t0:7.1f}s] {message}", file=sys.stderr, flush=True)


def run_sections(ctx, only):
    import hamming_peers
    import pdq_peers
    import scan_peers
    import text_peers
    sections = {"scan": lambda: scan_peers.run(ctx, common.fortunes_text()),
                "hamming": lambda: hamming_peers.run(ctx), "pdq": lambda: pdq_peers.run(ctx),
                "text": lambda: text_peers.run(ctx)}
    results, seconds = {}, {}
    for name, fn in sections.items():
        if name in only:
            t0 = time.time()
            results[name] = fn()
            seconds[name] = time.time() - t0
    results["seconds"] = seconds
    return results


ALL_SECTIONS = "scan,hamming,pdq,text"


def _merge_previous(saved, results, quick):
    """With --only, the other sections come from the last run of the same size (quick or not)."""
    with open(saved, "rb") as f:
        _, previous, previous_quick = pickle.load(f)
    if previous_quick != quick:
        return results
    merged = {**previous, **results}
    merged["seconds"] = {**previous.get("seconds", {}), **results["seconds"]}
    # Results saved before sections carried their own date have one date for all of them.
    old_dates = previous.get("dates") or {k: previous.get("date") for k in previous.get("seconds", {})}
    merged["dates"] = {**{k: v for k, v in old_dates.items() if v}, **results.get("dates", {})}
    return merged


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="vigil build dir with bench/vigil-peers-bench and cli/vigil")
    ap.add_argument("--work", required=True, help="scratch dir for generated inputs")
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke test of the whole report")
    ap.add_argument("--only", default=ALL_SECTIONS,
                    help="sections to run; the others are kept from the last run of the same size")
    ap.add_argument("--out", help="default bench/RESULTS.md; with --quick WORK/quick/RESULTS.md")
    ap.add_argument("--figures", help="default bench/figures; with --quick WORK/quick/figures")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite the report from the last run's results (WORK/results.pickle)")
    args = ap.parse_args()
    # a smoke test must not overwrite the committed report
    out_root = os.path.join(args.work, "quick") if args.quick else BENCH
    args.out = args.out or os.path.join(out_root, "RESULTS.md")
    args.figures = args.figures or os.path.join(out_root, "figures")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    saved = os.path.join(args.work, "results-quick.pickle" if args.quick else "results.pickle")
    try:
        ctx = Context(args)
        if args.render_only:
            with open(saved, "rb") as f:
                machine, results, args.quick = pickle.load(f)
        else:
            machine = common.machine()
            results = run_sections(ctx, set(args.only.split(",")))
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            results["dates"] = {name: now for name in results["seconds"]}
            if args.only != ALL_SECTIONS and os.path.exists(saved):
                results = _merge_previous(saved, results, args.quick)
                results.pop("date", None)
    except (common.HarnessError, OSError) as e:
        print(f"report: {e}", file=sys.stderr)
        return 1
    # the date of the measurements (kept in the results, so --render-only does not change it)
    date = results.setdefault(
        "date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    with open(saved, "wb") as f:
        pickle.dump((machine, results, args.quick), f)
    command = "bench/report/run" + (" --quick" if args.quick else "")
    dates = results.get("dates", {})
    made = figures.write_all(results, args.figures,
                             lambda key: f"{machine} | {command} | {dates.get(key, date)}")
    with open(os.path.join(HERE, "hand-measured.md")) as f:
        hand = f.read()
    text = markdown.render(results, made, machine=machine, command=command, date=date,
                           minutes=sum(results.get("seconds", {}).values()) / 60, hand_measured=hand,
                           section_dates=dates,
                           fig_rel=os.path.relpath(args.figures, os.path.dirname(args.out)))
    with open(args.out, "w") as f:
        f.write(text)
    ctx.log(f"wrote {args.out} and {len(made)} figures in {args.figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

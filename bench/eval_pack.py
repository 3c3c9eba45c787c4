#!/usr/bin/env python3
"""Evaluate a vigil rule pack (default: rules/default.toml) with the `vigil` CLI.

Measures
  (a) the development set /work/shared/eval/dev.jsonl (expect = flag | allow):
      flag recall (flag expected, verdict review or block) and allow specificity;
  (b) held-out-style labelled cases in bench/eval/*.jsonl (same format);
  (c) large benign text from Debian packages, cut into message-sized pieces:
      fortunes (/usr/share/games/fortunes), the KJV Bible (the `bible` program of bible-kjv),
      /usr/share/dict/american-english words joined into pseudo-messages (wamerican), and man
      pages (/usr/share/man/man1/*.gz, roff stripped) -- benign review and block rates.

Prints a markdown table (for bench/RESULTS.md) and the false positives / negatives with the rules
that fired. Standard library only (Python 3.11).

    python3 bench/eval_pack.py [--vigil build/cli/vigil] [--pack rules/default.toml]
                               [--corpora fortunes,bible,dict,man] [--show 25] [--json OUT]
"""
from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_DEFAULT = Path("/work/shared/eval/dev.jsonl")
FORTUNE_DIR = Path("/usr/share/games/fortunes")
DICT_FILE = Path("/usr/share/dict/american-english")
MAN_DIR = Path("/usr/share/man/man1")


# --------------------------------------------------------------------------------------------
# running the CLI
# --------------------------------------------------------------------------------------------

def run_vigil(vigil: str, pack: str, messages: list[tuple[str, str]]) -> dict[str, dict]:
    """Scan (id, text) pairs with `vigil scan --jsonl --pack PACK -`; return results by id."""
    with tempfile.TemporaryFile("w+b") as inp:
        for mid, text in messages:
            inp.write(json.dumps({"id": mid, "text": text}, ensure_ascii=False).encode("utf-8"))
            inp.write(b"\n")
        inp.seek(0)
        proc = subprocess.run([vigil, "scan", "--jsonl", "--pack", pack, "-"], stdin=inp,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"vigil exited with status {proc.returncode}")
    results: dict[str, dict] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        results[str(obj.get("id"))] = obj
    missing = [mid for mid, _ in messages if mid not in results]
    if missing:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"vigil returned no result for {len(missing)} messages (first: {missing[0]})")
    return results


def rules_of(result: dict, limit: int = 8) -> str:
    """Compact 'rule(+w)' list of the hits that contributed, for error listings."""
    seen: dict[str, float] = {}
    for h in result.get("hits", []):
        seen[h["rule"]] = seen.get(h["rule"], 0.0) + float(h.get("weight", 0.0))
    parts = [f"{r}({w:+g})" for r, w in seen.items() if w != 0]
    if len(parts) > limit:
        parts = parts[:limit] + ["..."]
    return ", ".join(parts) or "-"


def short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------------------------
# labelled sets
# --------------------------------------------------------------------------------------------

def load_labelled(paths: list[Path]) -> list[dict]:
    cases = []
    for p in paths:
        with p.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                obj = json.loads(line)
                if obj.get("expect") not in ("flag", "allow"):
                    raise SystemExit(f"{p}:{n}: expect must be flag or allow")
                obj["_src"] = p.name
                cases.append(obj)
    return cases


def eval_labelled(name: str, cases: list[dict], vigil: str, pack: str):
    msgs = [(f"{name}:{c['id']}", c["text"]) for c in cases]
    res = run_vigil(vigil, pack, msgs)
    flag = [c for c in cases if c["expect"] == "flag"]
    allow = [c for c in cases if c["expect"] == "allow"]
    errors = []
    tp = blocks_pos = 0
    tn = blocks_neg = 0
    for c in cases:
        r = res[f"{name}:{c['id']}"]
        v = r["verdict"]
        if c["expect"] == "flag":
            if v != "allow":
                tp += 1
                blocks_pos += v == "block"
            else:
                errors.append(("FN", c, r))
        else:
            if v == "allow":
                tn += 1
            else:
                blocks_neg += v == "block"
                errors.append(("FP", c, r))
    row = {
        "set": name, "cases": len(cases),
        "flag": len(flag), "recall": tp / len(flag) if flag else None,
        "pos_block": blocks_pos / len(flag) if flag else None,
        "allow": len(allow), "specificity": tn / len(allow) if allow else None,
        "neg_block": blocks_neg,
    }
    return row, errors, res


# --------------------------------------------------------------------------------------------
# benign corpora
# --------------------------------------------------------------------------------------------

def corpus_fortunes() -> list[str]:
    out = []
    for p in sorted(FORTUNE_DIR.rglob("*")):
        if not p.is_file() or p.suffix in (".dat", ".u8") or p.is_symlink():
            continue
        try:
            data = p.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for piece in re.split(r"^%\s*$", data, flags=re.M):
            piece = piece.strip()
            if piece:
                out.append(piece)
    return out


def corpus_bible() -> list[str]:
    """KJV verses from the `bible` program (package bible-kjv), one verse a message."""
    try:
        proc = subprocess.run(["bible", "Gen1:1-Rev22:21"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return []
    verses, cur = [], []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        m = re.match(r"^\s{1,3}(\d+) (.*)$", line)
        if m:
            if cur:
                verses.append(" ".join(cur))
            cur = [m.group(2).strip()]
        elif not line.strip() or re.match(r"^[1-3]?\s?[A-Z][A-Za-z ]+ \d+$", line.strip()):
            if cur:
                verses.append(" ".join(cur))
                cur = []
        elif cur:
            cur.append(line.strip())
    if cur:
        verses.append(" ".join(cur))
    return verses


def corpus_dict(n_messages: int = 20000, seed: int = 7) -> list[str]:
    """Dictionary words (wamerican) joined into pseudo-messages of 8..40 words."""
    try:
        words = [w.strip() for w in DICT_FILE.read_text(encoding="utf-8", errors="replace").split("\n") if w.strip()]
    except OSError:
        return []
    rng = random.Random(seed)
    out = []
    for _ in range(n_messages):
        k = rng.randint(8, 40)
        out.append(" ".join(rng.choice(words) for _ in range(k)))
    return out


_ROFF_TEXT_MACROS = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB", "SH", "SS", "TP", "IP",
                     "Nm", "Nd", "Ar", "Fl", "Pa", "Sh", "Xr", "Em", "Dq", "Ql", "Sy", "It", "Op"}


def strip_roff(src: str) -> str:
    lines = []
    for line in src.splitlines():
        if line.startswith(('.\\"', "'\\\"", '\\"')):
            continue
        if line.startswith((".", "'")):
            parts = line[1:].split(None, 1)
            if not parts or parts[0] not in _ROFF_TEXT_MACROS:
                if parts and parts[0] in ("PP", "LP", "P", "sp", "br", "Pp"):
                    lines.append("")
                continue
            line = parts[1] if len(parts) > 1 else ""
            line = line.replace('"', "")
        line = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", line)
        line = re.sub(r"\\s[+-]?\d", "", line)
        line = re.sub(r"\\\*(\[[^\]]*\]|\(..|.)", "", line)
        line = re.sub(r"\\\((..)", " ", line)
        line = re.sub(r"\\\[[^\]]*\]", " ", line)
        line = line.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\").replace("\\ ", " ")
        line = re.sub(r"\\.", "", line)
        lines.append(line)
    return "\n".join(lines)


def chunk(text: str, size: int = 400) -> list[str]:
    """Cut text into message-sized pieces on paragraph, then word boundaries."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        while len(para) > size:
            cut = para.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            out.append(para[:cut])
            para = para[cut:].strip()
        if len(para) >= 20:
            out.append(para)
    return out


def corpus_man(max_pages: int = 0, seed: int = 11) -> list[str]:
    pages = sorted(MAN_DIR.glob("*.gz"))
    rng = random.Random(seed)
    if 0 < max_pages < len(pages):
        pages = sorted(rng.sample(pages, max_pages))
    out = []
    for p in pages:
        try:
            with gzip.open(p, "rt", encoding="utf-8", errors="replace") as f:
                src = f.read()
        except (OSError, EOFError):
            continue
        if src.startswith(".so "):
            continue
        out.extend(chunk(strip_roff(src)))
    return out


CORPORA = {
    "fortunes": ("fortunes (fortune cookies, package fortunes)", corpus_fortunes),
    "bible": ("KJV Bible verses (bible-kjv)", corpus_bible),
    "dict": ("dictionary words joined, 8-40 words (wamerican)", corpus_dict),
    "man": ("man pages (section 1), roff stripped, ≤400-char chunks", corpus_man),
}


def eval_corpus(key: str, texts: list[str], vigil: str, pack: str):
    msgs = [(f"{key}:{i}", t) for i, t in enumerate(texts)]
    t0 = time.time()
    res = run_vigil(vigil, pack, msgs)
    secs = time.time() - t0
    flagged = []
    n_rev = n_blk = 0
    for mid, text in msgs:
        r = res[mid]
        if r["verdict"] == "review":
            n_rev += 1
        elif r["verdict"] == "block":
            n_blk += 1
        else:
            continue
        flagged.append((mid, text, r))
    row = {"set": key, "messages": len(msgs), "bytes": sum(len(t.encode()) for t in texts),
           "review": n_rev, "block": n_blk, "seconds": secs}
    return row, flagged


# --------------------------------------------------------------------------------------------

def pct(x):
    return "–" if x is None else f"{100.0 * x:.1f}%"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigil", default=str(REPO / "build/cli/vigil"), help="path of the vigil CLI")
    ap.add_argument("--pack", default=str(REPO / "rules/default.toml"), help="rule pack to evaluate")
    ap.add_argument("--dev", default=str(DEV_DEFAULT), help="development set (JSONL)")
    ap.add_argument("--extra", default=str(REPO / "bench/eval/*.jsonl"), help="glob of extra labelled sets")
    ap.add_argument("--corpora", default="fortunes,bible,dict,man", help="benign corpora to run ('' for none)")
    ap.add_argument("--man-pages", type=int, default=0, help="man pages to sample (0: all)")
    ap.add_argument("--dict-messages", type=int, default=50000, help="pseudo-messages built from dictionary words")
    ap.add_argument("--show", type=int, default=25, help="benign flags listed per corpus")
    ap.add_argument("--json", help="also write all figures as JSON here")
    args = ap.parse_args()

    if not os.access(args.vigil, os.X_OK):
        raise SystemExit(f"vigil CLI not found at {args.vigil} (build it, or pass --vigil)")

    labelled_rows, corpus_rows, listings = [], [], []

    sets = []
    if args.dev and Path(args.dev).exists():
        sets.append(("dev", [Path(args.dev)]))
    for p in sorted(Path(p) for p in glob.glob(args.extra)):
        sets.append((f"bench/eval/{p.name}", [p]))
    for name, paths in sets:
        cases = load_labelled(paths)
        row, errors, _ = eval_labelled(Path(name).stem, cases, args.vigil, args.pack)
        row["set"] = name
        labelled_rows.append(row)
        if errors:
            listings.append(f"\n#### {name}: {len(errors)} error(s)\n")
            for kind, c, r in errors:
                listings.append(f"- **{kind}** `{c['id']}` ({r['verdict']}, {r['score']:g}): "
                                f"{short(c['text'])} — {rules_of(r)}")

    wanted = [c.strip() for c in args.corpora.split(",") if c.strip()]
    for key in wanted:
        if key not in CORPORA:
            raise SystemExit(f"unknown corpus {key!r} (have {', '.join(CORPORA)})")
        desc, fn = CORPORA[key]
        texts = fn(args.man_pages) if key == "man" else fn(args.dict_messages) if key == "dict" else fn()
        if not texts:
            sys.stderr.write(f"corpus {key}: no text found, skipped\n")
            continue
        row, flagged = eval_corpus(key, texts, args.vigil, args.pack)
        row["desc"] = desc
        corpus_rows.append(row)
        if flagged:
            rulecount = Counter()
            for _, _, r in flagged:
                for h in r.get("hits", []):
                    if float(h.get("weight", 0)) > 0:
                        rulecount[h["rule"]] += 1
            listings.append(f"\n#### {key}: {len(flagged)} flagged of {row['messages']} "
                            f"(top rules: {', '.join(f'{k} ×{v}' for k, v in rulecount.most_common(6))})\n")
            flagged.sort(key=lambda x: -float(x[2]["score"]))
            for mid, text, r in flagged[: args.show]:
                listings.append(f"- {r['verdict']} {r['score']:g} `{mid}`: {short(text)} — {rules_of(r)}")

    print(f"Pack `{os.path.relpath(args.pack, REPO) if args.pack.startswith(str(REPO)) else args.pack}`, "
          f"CLI `{args.vigil}`.\n")
    if labelled_rows:
        print("| labelled set | cases | flag cases | flag recall (review+block) | flag → block | allow cases | allow specificity | allow cases blocked |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in labelled_rows:
            print(f"| {r['set']} | {r['cases']} | {r['flag']} | {pct(r['recall'])} | {pct(r['pos_block'])} | "
                  f"{r['allow']} | {pct(r['specificity'])} | {r['neg_block']} |")
        print()
    if corpus_rows:
        print("| benign corpus | messages | MB | review | block | review rate | block rate | scan s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        tot = Counter()
        for r in corpus_rows:
            print(f"| {r['desc']} | {r['messages']} | {r['bytes'] / 1e6:.1f} | {r['review']} | {r['block']} | "
                  f"{100.0 * r['review'] / r['messages']:.3f}% | {100.0 * r['block'] / r['messages']:.3f}% | {r['seconds']:.1f} |")
            for k in ("messages", "bytes", "review", "block"):
                tot[k] += r[k]
        if len(corpus_rows) > 1:
            print(f"| **all benign** | {tot['messages']} | {tot['bytes'] / 1e6:.1f} | {tot['review']} | {tot['block']} | "
                  f"{100.0 * tot['review'] / tot['messages']:.3f}% | {100.0 * tot['block'] / tot['messages']:.3f}% | |")
        print()
    if listings:
        print("### Errors and benign flags")
        print("\n".join(listings))
    if args.json:
        Path(args.json).write_text(json.dumps({"labelled": labelled_rows, "corpora": corpus_rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Near-duplicate text: vigil's text fingerprint (`vigil hash --algo text`: XXH3-128 of the normal form),
SimHash-64 (radius 6) and MinHash-128 (similarity >= 0.5) against the PyPI packages simhash
(distance <= 3, its index's default), datasketch (MinHash 128 permutations in a MinHashLSH at
threshold 0.5) and py-tlsh (distance <= 50).

Real text: fortunes (package fortunes) and KJV verses (package bible-kjv). Each base text gets
one edited copy per kind of edit; recall is the share of edited copies matched to their own
base, precision the share of all (edited copy, base) matches that are right.
"""
import os
import random

import numpy as np
import tlsh
from datasketch import MinHash, MinHashLSH
from simhash import Simhash

from common import HarnessError, dictionary_words, fortunes, kjv_verses

HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}


def _insert(words, rng, vocab):
    for _ in range(2):
        words.insert(rng.randrange(len(words) + 1), rng.choice(vocab))
    return words


def _delete(words, rng, _):
    for _ in range(2):
        if len(words) > 6:
            del words[rng.randrange(len(words))]
    return words


def _reorder(words, rng, _):
    k = rng.randrange(max(1, len(words) - 3))
    chunk, rest = words[k:k + 3], words[:k] + words[k + 3:]
    j = rng.randrange(len(rest) + 1)
    return rest[:j] + chunk + rest[j:]


def _homoglyphs(words, rng, _):
    return ["".join(HOMOGLYPHS[c] if c in HOMOGLYPHS and rng.random() < 0.3 else c for c in w)
            for w in words]


def _case_spacing(words, rng, _):
    styled = [rng.choice([w.upper(), w.title(), w.lower(), w]) for w in words]
    return [w + rng.choice(["", "", " ", "\n", "  \t"]) for w in styled]


EDITS = {"insert 2 words": _insert, "delete 2 words": _delete, "move 3 words": _reorder,
         "homoglyphs (30% of letters)": _homoglyphs, "case and spacing": _case_spacing}


def edit(text, kinds, rng, vocab):
    words = text.split()
    for kind in kinds:
        words = EDITS[kind](words, rng, vocab)
    return " ".join(words)


def _vigil(ctx, texts):
    path = os.path.join(ctx.workdir, "texts.bin")
    with open(path, "w") as f:
        f.write("\0".join(texts))
    import subprocess
    out = subprocess.run([ctx.peers_bench, "text", path], capture_output=True, text=True)
    os.remove(path)
    lines = out.stdout.splitlines()
    if out.returncode or len(lines) != len(texts):
        raise HarnessError(f"vigil-peers-bench text: {out.stderr.strip() or 'wrong line count'}")
    fp = [line.split()[0] for line in lines]
    sim = np.array([int(line.split()[1], 16) for line in lines], dtype=np.uint64)
    mh = np.array([np.frombuffer(bytes.fromhex(line.split()[2]), dtype=">u4") for line in lines])
    return fp, sim, mh


def _popcount64(x):
    x = x.astype(np.uint64)
    bytes_ = x.view(np.uint8).reshape(x.shape + (8,))
    return np.unpackbits(bytes_, axis=-1).sum(axis=-1)


def _matrix_simhash(q, b, radius):
    return _popcount64(q[:, None] ^ b[None, :]) <= radius


def _matrix_minhash(q, b, threshold):
    sims = np.stack([(q[i][None, :] == b).mean(axis=1) for i in range(len(q))])
    return sims >= threshold


def _scores(match):
    """Recall and precision of a boolean (edited, base) match matrix."""
    n = match.shape[0]
    tp = int(np.diag(match).sum())
    total = int(match.sum())
    return {"recall": tp / n, "precision": tp / total if total else 1.0, "false": total - tp}


def _peer_matrices(bases, edited):
    n = len(bases)
    out = {}
    sb = np.array([Simhash(t).value for t in bases], dtype=np.uint64)
    se = np.array([Simhash(t).value for t in edited], dtype=np.uint64)
    out["simhash (PyPI), distance ≤ 3"] = _matrix_simhash(se, sb, 3)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, t in enumerate(bases):
        lsh.insert(str(i), _datasketch(t))
    m = np.zeros((n, n), dtype=bool)
    for i, t in enumerate(edited):
        for key in lsh.query(_datasketch(t)):
            m[i, int(key)] = True
    out["datasketch MinHashLSH, threshold 0.5"] = m
    tb = [tlsh.hash(t.encode()) for t in bases]
    te = [tlsh.hash(t.encode()) for t in edited]
    m = np.zeros((n, n), dtype=bool)
    for i, h in enumerate(te):
        if h in ("", "TNULL"):
            continue
        for j, g in enumerate(tb):
            if g not in ("", "TNULL") and tlsh.diff(h, g) <= 50:
                m[i, j] = True
    out["py-tlsh, distance ≤ 50"] = m
    return out


def _datasketch(text):
    words = text.lower().split()
    m = MinHash(num_perm=128)
    for k in range(max(1, len(words) - 2)):
        m.update(" ".join(words[k:k + 3]).encode())
    return m


def _vigil_matrices(ctx, bases, edited):
    fb, sb, mb = _vigil(ctx, bases)
    fe, se, me = _vigil(ctx, edited)
    index = {}
    for j, f in enumerate(fb):
        index.setdefault(f, []).append(j)
    exact = np.zeros((len(edited), len(bases)), dtype=bool)
    for i, f in enumerate(fe):
        exact[i, index.get(f, [])] = True
    return {"vigil normalised fingerprint (exact)": exact,
            "vigil SimHash-64, distance ≤ 6": _matrix_simhash(se, sb, 6),
            "vigil MinHash-128, similarity ≥ 0.5": _matrix_minhash(me, mb, 0.5)}


def _distinct(texts):
    """One of each text up to case and spacing (the KJV repeats some verses word for word)."""
    seen, out = set(), []
    for t in texts:
        key = " ".join(t.lower().split())
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def run(ctx):
    n = 100 if ctx.quick else 600
    rng = random.Random(11)
    bases = rng.sample(_distinct(fortunes()), n) + rng.sample(_distinct(kjv_verses()), n)
    vocab = dictionary_words()
    ctx.log(f"text: {len(bases)} texts x {len(EDITS) + 1} kinds of edit")
    table = {}
    for kind in list(EDITS) + ["all five together"]:
        kinds = list(EDITS) if kind == "all five together" else [kind]
        edited = [edit(t, kinds, rng, vocab) for t in bases]
        matrices = {**_vigil_matrices(ctx, bases, edited), **_peer_matrices(bases, edited)}
        table[kind] = {name: _scores(m) for name, m in matrices.items()}
    return {"texts": len(bases), "table": table}

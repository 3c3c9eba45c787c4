"""Shared pieces of the peer harness: corpora from Debian packages, timing, and vigil's tools."""
import json
import os
import platform
import random
import statistics
import subprocess
import time

FORTUNES_DIR = "/usr/share/games/fortunes"  # package fortunes
DICT_FILE = "/usr/share/dict/american-english"  # package wamerican


class HarnessError(RuntimeError):
    """A missing input or a disagreement between vigil and a peer: the report must not go on."""


def median(values):
    return statistics.median(values) if values else float("nan")


def best_of(fn, repeat):
    """Run fn() `repeat` times; return (median seconds, last result)."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return median(times), result


def machine():
    """One line naming the machine the numbers come from."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GiB, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, load {load:.1f}")


def fortunes_text():
    """All fortunes as one string, non-ASCII characters replaced by spaces (so byte and
    character offsets agree across the peers, and lower() is ASCII lowering everywhere)."""
    if not os.path.isdir(FORTUNES_DIR):
        raise HarnessError(f"{FORTUNES_DIR} missing: install the Debian package fortunes")
    parts = []
    for name in sorted(os.listdir(FORTUNES_DIR)):
        if "." in name:
            continue
        with open(os.path.join(FORTUNES_DIR, name), "rb") as f:
            parts.append(f.read().decode("utf-8", "replace"))
    text = "".join(parts)
    return "".join(c if c < "\x80" and c != "\0" else " " for c in text)


def fortunes():
    """Individual fortunes (split at the '%' lines), whitespace-collapsed, 40-400 characters."""
    out = []
    for chunk in fortunes_text().split("\n%\n"):
        t = " ".join(chunk.split())
        if 40 <= len(t) <= 400:
            out.append(t)
    return out


def kjv_verses():
    """KJV verses, one per line as the `bible` program of package bible-kjv prints them
    ("Ge1:1 In the beginning ..."), at least 40 characters."""
    try:
        out = subprocess.run(["bible", "-f", "Gen1:1-Rev22:21"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=300).stdout
    except OSError as e:
        raise HarnessError(f"`bible` not runnable ({e}): install the Debian package bible-kjv")
    verses = []
    for line in out.splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2 and ":" in parts[0] and len(parts[1]) >= 40:
            verses.append(" ".join(parts[1].split()))
    if len(verses) < 1000:
        raise HarnessError("`bible` printed too few verses: is bible-kjv installed?")
    return verses


def dictionary_words():
    if not os.path.exists(DICT_FILE):
        raise HarnessError(f"{DICT_FILE} missing: install the Debian package wamerican")
    with open(DICT_FILE) as f:
        words = [w.strip() for w in f]
    return sorted({w for w in words if len(w) >= 4 and w.isascii() and w.isalpha() and w.islower()})


def terms(n, seed=7):
    """n distinct terms: half dictionary words, half two-word phrases."""
    words = dictionary_words()
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        t = rng.choice(words)
        if len(out) % 2:
            t += " " + rng.choice(words)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def messages(text, size, count, seed=3):
    """`count` messages of about `size` characters cut from text at spaces, from random offsets."""
    rng = random.Random(seed + size)
    out = []
    limit = max(1, len(text) - size - 64)
    for _ in range(count):
        start = text.find(" ", rng.randrange(limit)) + 1
        end = text.find(" ", start + size)
        end = start + size if end < 0 or end > start + size + 32 else end
        out.append(text[start:end])
    return out


def run_json_lines(cmd, timeout=3600):
    """Run a command that prints one JSON object per line; fail loudly with its stderr."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode not in (0, 1):
        raise HarnessError(f"{' '.join(cmd[:3])} ... exited {proc.returncode}: {proc.stderr.strip()}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()], proc

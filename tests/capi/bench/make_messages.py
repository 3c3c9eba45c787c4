#!/usr/bin/env python3
"""Write messages140.txt: 2000 messages of exactly 140 bytes, one per line, for the binding
benchmarks (the dev evaluation texts, cut or padded with ordinary chat, deterministic)."""
import json
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
dev = os.path.join(here, "..", "..", "..", "..", "shared", "eval", "dev.jsonl")
texts = [json.loads(l)["text"] for l in open(dev, encoding="utf-8") if l.strip()]
filler = ("thanks for the update see you at the meeting tomorrow the weather was great and "
          "the match ended two all so we will talk later about the plans for the weekend").split()
rng = random.Random(140)
out = []
for i in range(2000):
    base = texts[i % len(texts)] if i % 4 == 0 else " ".join(rng.choice(filler) for _ in range(30))
    b = base.replace("\n", " ").encode("utf-8")
    while len(b) < 140:
        b += (" " + rng.choice(filler)).encode()
    b = b[:140]
    while True:  # do not cut a UTF-8 sequence
        try:
            b.decode("utf-8")
            break
        except UnicodeDecodeError:
            b = b[:-1] + b" "
            b = b[:140]
            if len(b) < 140:
                b += b" " * (140 - len(b))
            b = b[:-2] + b"  " if b[-2] >= 0x80 else b
    out.append(b.ljust(140)[:140])
with open(os.path.join(here, "messages140.txt"), "wb") as f:
    for b in out:
        f.write(b + b"\n")

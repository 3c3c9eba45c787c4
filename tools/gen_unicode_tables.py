#!/usr/bin/env python3
"""Generate include/vigil/text/detail/unicode_tables.inc for vigil's text normaliser.

Inputs (Debian's unicode-data package, /usr/share/unicode): UnicodeData.txt, CaseFolding.txt,
DerivedCoreProperties.txt, Scripts.txt; and confusables.json from the PyPI wheel
confusable-homoglyphs==3.3.1 (located with --confusables PATH or by importing the package).

Output: a two-stage table code point -> entry index, a list of distinct entries
(class | continua flag | folded length | pool offset) and a pool of folded UTF-8 strings.
The output is deterministic; --check compares it with the committed file.
"""
import argparse
import hashlib
import json
import os
import re
import sys

UCD = "/usr/share/unicode"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include", "vigil", "text",
                   "detail", "unicode_tables.inc")

# Classes; keep in sync with detail/unicode.hpp.
SEP, REMOVE, LETTER, DIGIT, MARK, APOS, LEETSYM = range(7)
BLOCK_SHIFT = 7
MAX_CP = 0x110000

GENERIC_MARK_BLOCKS = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                       (0xFE20, 0xFE2F)]
ARABIC_REMOVED = [(0x064B, 0x065F), (0x0670, 0x0670), (0x0640, 0x0640)]
# Quranic annotation marks; U+06DE and U+06E9 are symbols and stay separators.
QURANIC = [(0x06D6, 0x06ED)]
ARABIC_VARIANTS = {0x0622: 0x0627, 0x0623: 0x0627, 0x0625: 0x0627, 0x0671: 0x0627,
                   0x0629: 0x0647, 0x0649: 0x064A, 0x06CC: 0x064A, 0x06A9: 0x0643}
APOSTROPHES = {0x0027, 0x2019, 0x02BC, 0x0060, 0x00B4}
LEET_SYMBOLS = {ord("@"): "a", ord("$"): "s", ord("!"): "i", ord("|"): "l"}
CONTINUA_SCRIPTS = {"Han", "Hiragana", "Katakana", "Bopomofo", "Thai", "Lao", "Khmer", "Myanmar",
                    "Tibetan", "Tai_Tham", "New_Tai_Lue", "Tai_Le", "Tai_Viet", "Yi"}
LOOKALIKE_SCRIPTS = {"Cyrillic", "Greek"}


def in_ranges(cp, ranges):
    return any(a <= cp <= b for a, b in ranges)


def version_of(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline().strip()
    return first.lstrip("# ").strip() or os.path.basename(path)


def parse_unicode_data(path):
    gc, decomp = {}, {}
    first = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp, name, cat, dec = int(fields[0], 16), fields[1], fields[2], fields[5]
            if name.endswith(", First>"):
                first = cp
                continue
            if name.endswith(", Last>"):
                for c in range(first, cp + 1):
                    gc[c] = cat
                continue
            gc[cp] = cat
            if dec:
                parts = dec.split()
                compat = parts[0].startswith("<")
                if compat:
                    parts = parts[1:]
                decomp[cp] = (compat, [int(p, 16) for p in parts])
    return gc, decomp


def parse_ranges(path, wanted=None):
    """Yields (lo, hi, value) from a UCD property file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            rng, val = [x.strip() for x in line.split(";")[:2]]
            if wanted and val != wanted:
                continue
            lo, _, hi = rng.partition("..")
            yield int(lo, 16), int(hi or lo, 16), val


def parse_case_folding(path):
    fold = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            code, status, mapping = [x.strip() for x in line.split(";")[:3]]
            if status in ("C", "F"):
                fold[int(code, 16)] = [int(x, 16) for x in mapping.split()]
    return fold


def find_confusables(arg):
    if arg:
        return arg
    import confusable_homoglyphs  # noqa: F401  (installed wheel)
    return os.path.join(os.path.dirname(confusable_homoglyphs.__file__), "confusables.json")


class Folder:
    def __init__(self, gc, decomp, fold, scripts):
        self.gc, self.decomp, self.fold, self.scripts = gc, decomp, fold, scripts
        self.lookalike = {}

    def dropped(self, cp):
        return (in_ranges(cp, GENERIC_MARK_BLOCKS) or in_ranges(cp, ARABIC_REMOVED)
                or (in_ranges(cp, QURANIC) and self.gc.get(cp, "Cn")[0] in "MC"))

    def decompose(self, cp):
        if cp in ARABIC_VARIANTS:
            return [ARABIC_VARIANTS[cp]]
        d = self.decomp.get(cp)
        # Arabic letters with hamza (U+0624, U+0626, ...) stay whole, as in Lucene's normaliser.
        if d is None or (not d[0] and self.scripts.get(cp) == "Arabic"):
            return [cp]
        out = []
        for c in d[1]:
            out.extend(self.decompose(c))
        return out

    def step(self, cps):
        out = []
        for cp in cps:
            for c in self.decompose(cp):
                if self.dropped(c):
                    continue
                for f in self.fold.get(c, [c]):
                    out.append(self.lookalike.get(f, f))
        return out

    def full(self, cp):
        cur = [cp]
        for _ in range(6):  # decomposition and folding reach a fixed point in a few rounds
            nxt = self.step(cur)
            if nxt == cur:
                break
            cur = nxt
        return cur


def lookalike_options(folder, entries):
    options = set()
    for entry in entries:
        proto = []
        for ch in entry["c"]:
            proto.extend(folder.full(ord(ch)))
        s = "".join(chr(c) for c in proto)
        kept = [c for c in entry["c"] if not folder.dropped(ord(c))]
        # Length-changing prototypes (beta ~ sharp s -> "ss") are not look-alikes any more.
        if s and len(s) == len(kept) and all("a" <= ch <= "z" for ch in s):
            options.add(s)
    return options


def build_lookalikes(folder, confusables):
    """Cyrillic/Greek letters (as they are after case folding) whose prototype folds to ASCII.

    A folded letter's own prototype wins; failing that, the prototype of an uppercase letter
    that folds to it (CYRILLIC CAPITAL EN ~ H gives en -> h), so mixed-case evasions fold too.
    """
    own, upper = {}, {}
    for key in sorted(confusables):
        if len(key) != 1:
            continue
        cp = ord(key)
        if folder.scripts.get(cp) not in LOOKALIKE_SCRIPTS or not folder.gc.get(cp, "Cn").startswith("L"):
            continue
        folded = folder.full(cp)
        options = lookalike_options(folder, confusables[key])
        if not options:
            continue
        if folded == [cp]:
            own[cp] = options
        elif len(folded) == 1 and folder.scripts.get(folded[0]) in LOOKALIKE_SCRIPTS:
            upper.setdefault(folded[0], set()).update(options)
    table = {}
    for cp in sorted(set(own) | set(upper)):
        options = own.get(cp) or upper[cp]
        table[cp] = min(options, key=lambda s: (len(s), s))
    return table


def classify(folder, cp, cps):
    gc = folder.gc.get(cp, "Cn")
    if gc in ("Cs", "Cn", "Co", "Cc"):
        return SEP, None
    if cp in folder.ignorable or gc == "Cf":
        return REMOVE, None
    if cp in APOSTROPHES or (len(cps) == 1 and cps[0] in APOSTROPHES):
        return APOS, None
    if not cps:
        return REMOVE, None
    if len(cps) == 1 and cps[0] in LEET_SYMBOLS:
        return LEETSYM, LEET_SYMBOLS[cps[0]]
    cats = [folder.gc.get(c, "Cn") for c in cps]
    if not all(c[0] in "LM" or c == "Nd" for c in cats):
        return SEP, None
    if cats[0] == "Nd":
        return DIGIT, "".join(chr(c) for c in cps)
    if cats[0][0] == "M":
        return MARK, "".join(chr(c) for c in cps)
    return LETTER, "".join(chr(c) for c in cps)


def build(args):
    gc, decomp = parse_unicode_data(os.path.join(UCD, "UnicodeData.txt"))
    fold = parse_case_folding(os.path.join(UCD, "CaseFolding.txt"))
    scripts = {}
    for lo, hi, val in parse_ranges(os.path.join(UCD, "Scripts.txt")):
        for c in range(lo, hi + 1):
            scripts[c] = val
    folder = Folder(gc, decomp, fold, scripts)
    folder.ignorable = set()
    for lo, hi, _ in parse_ranges(os.path.join(UCD, "DerivedCoreProperties.txt"),
                                  "Default_Ignorable_Code_Point"):
        folder.ignorable.update(range(lo, hi + 1))
    conf_path = find_confusables(args.confusables)
    with open(conf_path, "rb") as f:
        raw = f.read()
    confusables = json.loads(raw.decode("utf-8"))
    folder.lookalike = build_lookalikes(folder, confusables)
    # Look-alike targets may be multi-letter; step() needs single code points, so expand here.
    multi = {k: v for k, v in folder.lookalike.items() if len(v) != 1}
    folder.lookalike = {k: ord(v) for k, v in folder.lookalike.items() if len(v) == 1}
    entries, entry_index, pool, pool_index = [], {}, bytearray(), {}
    cp_entry = [0] * MAX_CP
    for cp in range(MAX_CP):
        cps = folder.full(cp) if 0xD800 > cp or cp > 0xDFFF else [cp]
        expanded = []
        for c in cps:
            if c in multi:
                expanded.extend(ord(x) for x in multi[c])
            else:
                expanded.append(c)
        cls, text = classify(folder, cp, expanded)
        cont = 1 if scripts.get(cp) in CONTINUA_SCRIPTS else 0
        length, offset = 0, 0
        if text is not None and text != chr(cp):
            raw = text.encode("utf-8")
            if raw not in pool_index:
                pool_index[raw] = len(pool)
                pool.extend(raw)
            length, offset = len(raw), pool_index[raw]
        assert length < 32 and offset < (1 << 23)
        value = cls | (cont << 3) | (length << 4) | (offset << 9)
        if value not in entry_index:
            entry_index[value] = len(entries)
            entries.append(value)
        cp_entry[cp] = entry_index[value]
    blocks, block_index, stage1 = [], {}, []
    size = 1 << BLOCK_SHIFT
    for b in range(MAX_CP >> BLOCK_SHIFT):
        blk = tuple(cp_entry[b * size:(b + 1) * size])
        if blk not in block_index:
            block_index[blk] = len(blocks)
            blocks.append(blk)
        stage1.append(block_index[blk])
    inputs = [version_of(os.path.join(UCD, n)) for n in
              ("CaseFolding.txt", "DerivedCoreProperties.txt", "Scripts.txt")]
    inputs.append("UnicodeData.txt (unicode-data, same version)")
    inputs.append("confusables.json from the confusable-homoglyphs 3.3.1 wheel (derived from Unicode"
                  " confusables.txt), sha256 %s" % hashlib.sha256(raw).hexdigest()[:16])
    return render(inputs, entries, stage1, blocks, pool)


def c_string(data):
    out, line = [], ""
    for b in data:
        ch = chr(b)
        piece = ch if 32 <= b < 127 and ch not in '"\\?' else "\\%03o" % b
        line += piece
        if len(line) > 90:
            out.append('"%s"' % line)
            line = ""
    if line:
        out.append('"%s"' % line)
    return "\n".join(out)


def numbers(values, per_line=16):
    rows = []
    for i in range(0, len(values), per_line):
        rows.append(",".join(str(v) for v in values[i:i + per_line]) + ",")
    return "\n".join(rows)


def render(inputs, entries, stage1, blocks, pool):
    flat = [v for blk in blocks for v in blk]
    head = ["// GENERATED by tools/gen_unicode_tables.py -- do not edit.",
            "// Inputs:"] + ["//   " + s for s in inputs] + [
            "// Entry: class (bits 0-2) | continua (bit 3) | folded length (bits 4-8) |",
            "//        pool offset (bits 9-31); length 0 means the code point maps to itself.", ""]
    body = [
        "constexpr unsigned kBlockShift = %d;" % BLOCK_SHIFT,
        "constexpr std::uint32_t kEntries[%d] = {\n%s\n};" % (len(entries), numbers(entries, 8)),
        "constexpr std::uint16_t kStage1[%d] = {\n%s\n};" % (len(stage1), numbers(stage1, 24)),
        "constexpr std::uint16_t kStage2[%d] = {\n%s\n};" % (len(flat), numbers(flat, 32)),
        "constexpr char kPool[%d] =\n%s;" % (len(pool) + 1, c_string(pool)),
    ]
    return "\n".join(head + body) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--confusables", help="path to confusable_homoglyphs/confusables.json")
    ap.add_argument("--output", default=OUT)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args()
    text = build(args)
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        print("unicode tables %s" % ("up to date" if same else "DIFFER: rerun the generator"))
        return 0 if same else 1
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""PDQ: vigil against pdqhash (Python wrapper of Meta's reference C++), speed and agreement on
the same decoded pixels, then robustness to transforms on real photographs, in the manner of
Thorn's perception benchmarks: recall at >= 99.99% precision per transform, with and without
dihedral matching, and the distance distribution between distinct images.

Photographs: the JPEG/PNG photos of the PDQ test data (/work/shared/testdata/pdq) and the
wallpapers of the Debian packages mate-backgrounds and ukui-wallpapers. Each is first reduced
to at most 1024 pixels a side and stored as PNG: that is the "original" the bank holds. The
bank also holds distractors, non-flat 256x256 tiles cut from the full-resolution photographs,
so that precision is measured against many more distinct images than the originals alone.
"""
import glob
import os
import time

import numpy as np
import pdqhash
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from common import HarnessError, median, run_json_lines

PDQ_TESTDATA = "/work/shared/testdata/pdq/upstream/data"
PHOTO_GLOBS = [
    PDQ_TESTDATA + "/reg-test-input/labelme-subset/*.jpg",
    PDQ_TESTDATA + "/reg-test-input/dih/bridge-1-original.jpg",
    PDQ_TESTDATA + "/reg-test-input/pen-and-coaster.png",
    "/usr/share/backgrounds/mate/nature/*.jpg",        # package mate-backgrounds
    "/usr/share/backgrounds/mate/abstract/Elephants.jpg",
    "/usr/share/backgrounds/*.jpg",                    # package ukui-wallpapers
    "/usr/share/backgrounds/*.png",
]
PRECISION = 0.9999


def photo_paths():
    paths = sorted({p for g in PHOTO_GLOBS for p in glob.glob(g)})
    if len(paths) < 20:
        raise HarnessError(f"only {len(paths)} photographs found: install mate-backgrounds and "
                           "ukui-wallpapers, and check /work/shared/testdata/pdq")
    return paths


def _jpeg(q):
    def f(im, path):
        im.save(path + ".jpg", quality=q)
        return Image.open(path + ".jpg").convert("RGB")
    return f


def _text(im, _):
    out = im.copy()
    draw = ImageDraw.Draw(out)
    size = max(12, im.height // 8)
    font = ImageFont.load_default(size=size)
    draw.text((im.width // 20, im.height // 2 - size // 2), "SHARE THIS NOW 2026", fill="white",
              font=font, stroke_width=max(1, size // 12), stroke_fill="black")
    return out


def _crop(frac):
    def f(im, _):
        dx, dy = int(im.width * frac / 2), int(im.height * frac / 2)
        return im.crop((dx, dy, im.width - dx, im.height - dy))
    return f


def _pad(im, _):
    dx, dy = int(im.width * 0.1), int(im.height * 0.1)
    out = Image.new("RGB", (im.width + 2 * dx, im.height + 2 * dy))
    out.paste(im, (dx, dy))
    return out


def _noise(im, _):
    rng = np.random.default_rng(im.width * 7919 + im.height)
    a = np.asarray(im).astype(np.float32) + rng.normal(0, 12, (im.height, im.width, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _gamma(g):
    lut = [int(255 * (i / 255) ** g + 0.5) for i in range(256)] * 3
    return lambda im, _: im.point(lut)


T = Image.Transpose
TRANSFORMS = {
    "JPEG q95": _jpeg(95), "JPEG q75": _jpeg(75), "JPEG q50": _jpeg(50),
    "resize 0.5": lambda im, _: im.resize((im.width // 2, im.height // 2), Image.BILINEAR),
    "resize 0.25": lambda im, _: im.resize((im.width // 4, im.height // 4), Image.BILINEAR),
    "blur (Gaussian r=2)": lambda im, _: im.filter(ImageFilter.GaussianBlur(2)),
    "gamma 0.5": _gamma(0.5), "gamma 2": _gamma(2.0),
    "noise (Gaussian σ=12)": _noise,
    "text overlay": _text,
    "crop 5%": _crop(0.05), "crop 10%": _crop(0.10),
    "pad 20%": _pad,
    "rotate 4°": lambda im, _: im.rotate(4, resample=Image.BILINEAR, expand=True),
    "rotate 90": lambda im, _: im.transpose(T.ROTATE_90),
    "rotate 180": lambda im, _: im.transpose(T.ROTATE_180),
    "rotate 270": lambda im, _: im.transpose(T.ROTATE_270),
    "mirror left-right": lambda im, _: im.transpose(T.FLIP_LEFT_RIGHT),
    "flip top-bottom": lambda im, _: im.transpose(T.FLIP_TOP_BOTTOM),
    "transpose": lambda im, _: im.transpose(T.TRANSPOSE),
    "transverse": lambda im, _: im.transpose(T.TRANSVERSE),
}


def _tiles(im, limit):
    """Up to `limit` non-overlapping 256x256 tiles of a full-resolution photograph, skipping
    flat ones (sky, walls): distinct real content to fill the bank with distractors. Only from
    photographs of at least 1024x768, so that no tile is most of its photograph."""
    out = []
    if min(im.size) < 768 or max(im.size) < 1024:
        return out
    for y in range(0, im.height - 255, 256):
        for x in range(0, im.width - 255, 256):
            tile = im.crop((x, y, x + 256, y + 256))
            if np.asarray(tile.convert("L")).std() >= 20:
                out.append(tile)
    step = max(1, len(out) // limit) if out else 1
    return out[::step][:limit]


def _prepare(ctx, paths, tiles_per_photo):
    """The originals (<= 1024 px a side), the distractor tiles, and every transform of each
    original, all as PNG files."""
    root = os.path.join(ctx.workdir, "pdq")
    os.makedirs(root, exist_ok=True)
    originals, distractors, variants = [], [], {name: [] for name in TRANSFORMS}
    for k, src in enumerate(paths):
        full = Image.open(src).convert("RGB")
        base = os.path.join(root, f"img{k:03d}")
        for j, tile in enumerate(_tiles(full, tiles_per_photo)):
            tile.save(f"{base}-d{j:02d}.png", compress_level=1)
            distractors.append(f"{base}-d{j:02d}.png")
        im = full.copy()
        im.thumbnail((1024, 1024), Image.LANCZOS)
        im.save(base + ".png", compress_level=1)
        originals.append(base + ".png")
        for t, (name, fn) in enumerate(TRANSFORMS.items()):
            out = f"{base}-t{t:02d}.png"
            fn(im, f"{base}-t{t:02d}").save(out, compress_level=1)
            variants[name].append(out)
    return originals, distractors, variants


def _words(hex_hash):
    return np.frombuffer(bytes.fromhex(hex_hash), dtype=">u8").astype(np.uint64)


def _vigil_hashes(ctx, files):
    """vigil's production hashing (`vigil hash --algo pdq --dihedral`, 512 squash): the 8 hashes
    of each file as a (n, 8, 4) array of 64-bit words, and the quality of each."""
    rows, proc = run_json_lines([ctx.vigil, "hash", "--algo", "pdq", "--dihedral", *files])
    if len(rows) != len(files):
        raise HarnessError(f"vigil hash: {len(rows)} results for {len(files)} files: {proc.stderr}")
    names = ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"]
    return (np.array([[_words(r["dihedral"][n]) for n in names] for r in rows]),
            np.array([r["quality"] for r in rows]))


def _pdqhash_hashes(files):
    out, qualities = [], []
    for f in files:
        hashes, quality = pdqhash.compute_dihedral(np.asarray(Image.open(f).convert("RGB")))
        out.append([_words(np.packbits(h.astype(np.uint8)).tobytes().hex()) for h in hashes])
        qualities.append(quality)
    return np.array(out), np.array(qualities)


def _distances(queries, originals, dihedral):
    """(n_queries, n_bank) Hamming distances: the query's own hash, or the least over its 8
    dihedral hashes, against each bank entry's hash."""
    q = queries if dihedral else queries[:, :1]
    d = np.bitwise_count(q[:, :, None, :] ^ originals[None, None, :, 0, :]).sum(axis=3)
    return d.min(axis=1)


def recall_at_precision(d, usable=None):
    """Largest threshold with precision >= PRECISION over all (query, bank entry) pairs; recall
    there, recall at vigil's match distance 31, and that recall over the originals in `usable`
    (those whose PDQ quality is at least 50, the only ones vigil matches). Query i's own
    original is bank entry i."""
    n = d.shape[0]
    pos = np.diag(d)
    mask = np.ones(d.shape, dtype=bool)
    mask[np.arange(n), np.arange(n)] = False
    neg = d[mask]
    best_t, best_recall = -1, 0.0
    for t in range(257):
        tp, fp = int((pos <= t).sum()), int((neg <= t).sum())
        if tp and tp / (tp + fp) >= PRECISION:
            best_t, best_recall = t, tp / n
    usable = np.ones(n, dtype=bool) if usable is None else usable
    return {"threshold": best_t, "recall": best_recall, "recall_at_31": float((pos <= 31).mean()),
            "recall_at_31_usable": float((pos[usable] <= 31).mean()),
            "false_at_31": int((neg <= 31).sum())}


def check_and_time(ctx, originals):
    """pdqhash and vigil (full resolution, no squash) must give the same hashes on the same
    pixels; then time both on them (decoding excluded)."""
    square = os.path.join(ctx.workdir, "pdq", "square-512.png")
    Image.open(originals[0]).convert("RGB").resize((512, 512), Image.LANCZOS).save(square)
    rows, _ = run_json_lines([ctx.peers_bench, "pdq", "3" if ctx.quick else "5", square, *originals])
    vigil_s = [median(r["pdq_s"]) for r in rows]
    vigil_dih_s = [median(r["dihedral_s"]) for r in rows]
    peer_s, peer_dih_s, mismatched = [], [], []
    for r in rows:
        pixels = np.asarray(Image.open(r["file"]).convert("RGB"))
        bits, quality = pdqhash.compute(pixels)
        if np.packbits(bits.astype(np.uint8)).tobytes().hex() != r["hash"] or quality != r["quality"]:
            mismatched.append(os.path.basename(r["file"]))
        peer_s.append(_time(lambda: pdqhash.compute(pixels), 3 if ctx.quick else 5))
        peer_dih_s.append(_time(lambda: pdqhash.compute_dihedral(pixels), 3 if ctx.quick else 5))
    if mismatched:
        raise HarnessError(f"pdqhash and vigil disagree on {len(mismatched)} images: {mismatched[:5]}")
    pixels = [r["width"] * r["height"] for r in rows[1:]]
    return {"images": len(rows) - 1, "median_pixels": median(pixels),
            "vigil_s": median(vigil_s[1:]), "vigil_dihedral_s": median(vigil_dih_s[1:]),
            "pdqhash_s": median(peer_s[1:]), "pdqhash_dihedral_s": median(peer_dih_s[1:]),
            "square512": {"vigil_s": vigil_s[0], "vigil_dihedral_s": vigil_dih_s[0],
                          "pdqhash_s": peer_s[0], "pdqhash_dihedral_s": peer_dih_s[0]}}


def _time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return median(times)


def run(ctx):
    paths = photo_paths()
    if ctx.quick:
        paths = paths[::3]
    tiles = 8 if ctx.quick else 150
    ctx.log(f"pdq: {len(paths)} photographs, {len(TRANSFORMS)} transforms, up to {tiles} "
            "distractor tiles each")
    originals, distractors, variants = _prepare(ctx, paths, tiles)
    speed = check_and_time(ctx, originals)
    hashers = {"vigil": lambda files: _vigil_hashes(ctx, files), "pdqhash": _pdqhash_hashes}
    bank, usable = {}, {}
    for name, h in hashers.items():
        bank[name], quality = h(originals + distractors)
        usable[name] = quality[:len(originals)] >= 50
    table = {}
    for tname, files in variants.items():
        table[tname] = {}
        for name, h in hashers.items():
            q, _ = h(files)
            for dih in (False, True):
                table[tname][(name, dih)] = recall_at_precision(_distances(q, bank[name], dih),
                                                                usable[name])
    distinct = {}
    n = len(originals)
    for dih in (False, True):
        d = _distances(bank["vigil"][:n], bank["vigil"], dih)
        mask = np.ones(d.shape, dtype=bool)
        mask[np.arange(n), np.arange(n)] = False
        distinct[("vigil", dih)] = d[mask]
    return {"photos": [os.path.relpath(p, "/") for p in paths], "distractors": len(distractors),
            "usable": int(usable["vigil"].sum()),
            "speed": speed, "robustness": table, "distinct": distinct}

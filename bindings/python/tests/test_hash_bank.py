"""pytest suite of the hashing, bank and scanner API (vigil._hash, vigil._bank)."""
import csv
import io
import os
import subprocess
import threading

import pytest

import vigil

SHARED = os.environ.get("VIGIL_SHARED_DIR",
                        os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared"))
PDQ_DIR = os.path.join(SHARED, "testdata", "pdq")
BRIDGE = os.path.join(PDQ_DIR, "upstream", "data", "reg-test-input", "dih", "bridge-1-original.jpg")
ROTATED = os.path.join(PDQ_DIR, "upstream", "data", "reg-test-input", "dih", "bridge-2-rotate-90.jpg")
BRIDGE_PNG = os.path.join(PDQ_DIR, "decoded", "data", "reg-test-input", "dih", "bridge-1-original.png")
PALETTE_PNG = os.path.join(PDQ_DIR, "decoded", "data", "misc-images", "modes", "L.png")
REF_BRIDGE = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
needs_data = pytest.mark.skipif(not os.path.exists(BRIDGE), reason="shared/testdata/pdq absent")


def reference_rows():
    path = os.path.join(PDQ_DIR, "expected_hashes.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["decoded_png"]]


# ---- digests and text ----

def test_digests_known_vectors(tmp_path):
    assert vigil.digest(b"abc", "md5").hex() == "900150983cd24fb0d6963f7d28e17f72"
    assert vigil.digest("abc").hex() == \
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert vigil.digest(b"", "xxh3_128").hex() == "99aa06d3014798d86001c324468d497f"
    f = tmp_path / "data.bin"
    f.write_bytes(b"abc" * 100000)
    for algo in ("md5", "sha256", "xxh3"):
        assert vigil.digest_file(f, algo) == vigil.digest(b"abc" * 100000, algo)
    with pytest.raises(ValueError):
        vigil.digest(b"x", "sha1")
    with pytest.raises(vigil.VigilError) as e:
        vigil.digest_file(tmp_path / "missing")
    assert e.value.name == "VIGIL_E_IO" and "missing" in str(e.value)
    with pytest.raises(TypeError):
        vigil.digest(12)


def test_text_sketches():
    assert vigil.normalize("JOIN the c@r@v@n!!").startswith("join the caravan")
    assert vigil.simhash64("JOIN the c@r@v@n!!") == vigil.simhash64("join the caravan") != 0
    assert vigil.simhash64("") == 0
    a = vigil.minhash("JOIN the c@r@v@n today")
    assert len(a) == 128
    assert vigil.minhash_similarity(a, vigil.minhash("join the caravan today")) == 1.0
    assert vigil.minhash_similarity(a, vigil.minhash("tea in the garden at noon")) < 0.2
    with pytest.raises(vigil.VigilError):
        vigil.simhash64("x", -1)
    with pytest.raises(ValueError):
        vigil.minhash_similarity(a, a[:10])


def test_hamming_distance():
    assert vigil.hamming_distance("00ff", "01ff") == 1
    assert vigil.hamming_distance(bytes(32), b"\xff" * 32) == 256
    with pytest.raises(ValueError):
        vigil.hamming_distance("00", "0000")


# ---- PDQ ----

@pytest.mark.parametrize("row", reference_rows(), ids=lambda r: os.path.basename(r["decoded_png"]))
def test_pdq_reference_pngs(row):
    path = os.path.join(PDQ_DIR, row["decoded_png"])
    r = vigil.pdq(path)
    assert (r.hex, r.quality) == (row["ref_hash"], int(row["ref_quality"]))
    with open(path, "rb") as f:
        assert vigil.pdq(f.read()).hash == r.hash


@needs_data
def test_pdq_from_pil_and_numpy():
    np = pytest.importorskip("numpy")
    Image = pytest.importorskip("PIL.Image")
    expected = vigil.pdq(BRIDGE_PNG)
    assert expected.hex == REF_BRIDGE
    with Image.open(BRIDGE_PNG) as im:
        assert vigil.pdq(im).hash == expected.hash
        assert vigil.pdq(im.convert("RGBA")).hash == expected.hash
        arr = np.asarray(im.convert("RGB"))
    assert vigil.pdq(arr).hash == expected.hash
    assert vigil.pdq(arr[:, :, ::-1], order="bgr").hash == expected.hash     # OpenCV order
    rgba = np.concatenate([arr, np.full(arr.shape[:2] + (1,), 9, np.uint8)], axis=2)
    assert vigil.pdq(rgba).hash == expected.hash
    padded = np.zeros((arr.shape[0], arr.shape[1] + 7, 3), np.uint8)         # a crop: row stride
    padded[:, :arr.shape[1]] = arr
    assert vigil.pdq(padded[:, :arr.shape[1]]).hash == expected.hash
    with Image.open(PALETTE_PNG) as pal:                                    # mode "P"
        assert pal.mode == "P" and vigil.pdq(pal).hash == vigil.pdq(PALETTE_PNG).hash
    with Image.open(BRIDGE_PNG) as im:                                      # grey: H x W
        grey = im.convert("L")
    g = np.asarray(grey)
    encoded = io.BytesIO()
    grey.save(encoded, format="PNG")
    assert vigil.pdq(g).hash == vigil.pdq(grey).hash == vigil.pdq(encoded.getvalue()).hash
    assert vigil.pdq(g[:, :, None]).hash == vigil.pdq(g).hash
    assert vigil.hamming_distance(vigil.pdq(g).hash, expected.hash) <= 31


@needs_data
def test_pdq_jpeg_like_the_cli():
    r = vigil.pdq(BRIDGE, dihedral=True)
    assert r.quality == 100 and vigil.hamming_distance(r.hash, REF_BRIDGE) <= 10
    assert list(r.dihedral) == list(vigil.DIHEDRALS) and r.dihedral["orig"] == r.hash
    assert vigil.hamming_distance(vigil.pdq(ROTATED).hash, r.dihedral["rot90"]) <= 31
    full = vigil.pdq(BRIDGE, squash=False)
    assert full.hash != r.hash and full.dihedral is None
    cli = os.environ.get("VIGIL_CLI")
    if cli:
        out = subprocess.run([cli, "hash", "--algo", "pdq", BRIDGE], capture_output=True,
                             text=True, check=True).stdout
        assert f'"hash":"{r.hex}","quality":100' in out
    with pytest.raises(vigil.VigilError) as e:
        vigil.pdq(BRIDGE, max_pixels=1000)
    assert e.value.name == "VIGIL_E_IMAGE"


def test_pdq_bad_input():
    np = pytest.importorskip("numpy")
    with pytest.raises(vigil.VigilError) as e:
        vigil.pdq(b"not an image")
    assert e.value.name == "VIGIL_E_IMAGE"
    with pytest.raises(TypeError):
        vigil.pdq(np.zeros((16, 16), np.float32))
    with pytest.raises(ValueError):
        vigil.pdq(np.zeros((16, 16, 2), np.uint8))
    with pytest.raises(ValueError):
        vigil.pdq(np.zeros((16, 16, 3), np.uint8), order="grb")
    with pytest.raises(vigil.VigilError):
        vigil.pdq(np.zeros((0, 16), np.uint8))
    with pytest.raises(TypeError):
        vigil.pdq(42)
    tiny = vigil.pdq(np.full((4, 4), 200, np.uint8))
    assert tiny.quality == 0 and tiny.hash == bytes(32)


# ---- banks ----

PDQ_A3 = "a" + REF_BRIDGE[1:]  # 3 bits from REF_BRIDGE


def test_bank_load_errors_name_the_line():
    bank = vigil.Bank()
    text = "# known images\n" + REF_BRIDGE + ",bridge\n" + REF_BRIDGE[:-1] + ",short\n"
    with pytest.raises(vigil.VigilError) as e:
        bank.load_text(text, "upload", signal="pdq")
    assert e.value.code == -20 and e.value.name == "VIGIL_E_BANK"
    assert "upload:3:" in e.value.message
    assert len(bank) == 0 and bank.banks == []
    with pytest.raises(vigil.VigilError) as e:
        bank.load_text(REF_BRIDGE + "\n", "ambiguous")           # PDQ or SHA-256?
    assert "ambiguous:1:" in e.value.message
    with pytest.raises(vigil.VigilError):
        bank.load_file("/nonexistent/bank.txt")
    with pytest.raises(ValueError):
        bank.load_text("", "x", action="delete")


def test_bank_define_add_query(tmp_path):
    with vigil.Bank() as bank:
        f = tmp_path / "tve.csv"
        f.write_text("hash,label,signal_type\n" + REF_BRIDGE + ",\"bridge, photo\",pdq\n")
        bank.load_file(f)
        assert bank.banks == [vigil.BankInfo("tve", vigil.Signal.PDQ, vigil.BankAction.BLOCK, 31, 1)]
        v = bank.query(PDQ_A3, "pdq")
        assert v.decision == vigil.Decision.BLOCK and v.banks_checked
        assert v.bank_hits == [vigil.BankHit("tve", "pdq", 3, "bridge, photo",
                                             vigil.BankAction.BLOCK, False, "")]
        assert bank.query(PDQ_A3, vigil.Signal.PDQ, radius=2).bank_hits == []
        bank.define("news", "pdq", "allow", radius=0)
        bank.add(bytes.fromhex(PDQ_A3), "press photo", bank="news")
        v = bank.query(PDQ_A3, "pdq")
        assert v.decision == vigil.Decision.ALLOW
        assert [(h.bank, h.suppressed) for h in v.bank_hits] == [("tve", True), ("news", False)]
        assert '"suppressed":true' in v.to_json("q")
        bank.define("texts", vigil.Signal.SIMHASH64, vigil.BankAction.REVIEW)
        bank.add(vigil.simhash64("join the caravan"), "slogan", bank="texts")
        assert len(bank) == 3
        assert bank.query(vigil.simhash64("JOIN the c@r@v@n"), "simhash64").decision == \
            vigil.Decision.REVIEW
        with pytest.raises(vigil.VigilError) as e:
            bank.add("abc", bank="tve")
        assert e.value.name == "VIGIL_E_BANK"
        with pytest.raises(vigil.VigilError) as e:
            bank.add(REF_BRIDGE)                                   # three banks: which?
        assert e.value.name == "VIGIL_E_INVALID"
        with pytest.raises(vigil.VigilError) as e:
            bank.query("xyz", "pdq")
        assert e.value.name == "VIGIL_E_HASH"
    with pytest.raises(ValueError):
        len(bank)


# ---- scanners ----

@pytest.fixture(scope="module")
def default_engine():
    return vigil.Engine.default()


def test_scanner_text(default_engine, tmp_path):
    bank = vigil.Bank()
    bank.load_text("md5 " + vigil.digest(b"hello world", "md5").hex() + " greeting\n", "known",
                   action="review")
    scanner = vigil.Scanner(default_engine, bank)
    v = scanner.scan("hello world")
    assert v.decision == vigil.Decision.REVIEW
    assert v.bank_hits[0][:4] == ("known", "md5", 0, "greeting")
    assert v.to_json(1).startswith('{"id":1,"verdict":"review"')
    plain = scanner.scan("a quiet afternoon")
    assert plain.banks_checked and plain.bank_hits == []
    assert plain.to_json("x") == default_engine.scan("a quiet afternoon").to_json("x")[:-1] + \
        ',"bank_hits":[]}'
    no_banks = vigil.Scanner(default_engine)
    assert not no_banks.scan("hello world").banks_checked


@needs_data
def test_scanner_images_like_the_cli(default_engine, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    bank_file = tmp_path / "tve.txt"
    bank_file.write_text(f"pdq {REF_BRIDGE} bridge photo\n")
    bank = vigil.Bank()
    bank.load_file(bank_file)
    scanner = vigil.Scanner(default_engine, bank, dihedral=True)
    v = scanner.scan_file(ROTATED)
    assert v.decision == vigil.Decision.BLOCK and v.bank_hits[0].transform
    with open(ROTATED, "rb") as f:
        data = f.read()
    assert scanner.scan_bytes(data).to_json("x") == v.to_json("x")
    with Image.open(ROTATED) as im:
        pixels = scanner.scan_image(im, data)
    assert pixels.bank_hits == v.bank_hits
    cli = os.environ.get("VIGIL_CLI")
    if cli:
        line = subprocess.run([cli, "scan", "--dihedral", "--bank", str(bank_file), ROTATED],
                              capture_output=True, text=True).stdout.rstrip("\n")
        assert v.to_json(ROTATED, key="file") == line
    with pytest.raises(vigil.VigilError) as e:
        scanner.scan_bytes(b"\xff\xd8\xff broken")
    assert e.value.name == "VIGIL_E_IMAGE"
    with pytest.raises(TypeError):
        scanner.scan_image(b"bytes")


def test_bank_grows_while_threads_scan(default_engine):
    bank = vigil.Bank()
    bank.define("grow", "simhash64")
    scanner = vigil.Scanner(default_engine, bank)
    errors = []

    def scan():
        try:
            for _ in range(200):
                scanner.scan("join the caravan today")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=scan) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(500):
        bank.add(i * 0x9E3779B97F4A7C15 % (1 << 64), f"entry {i}")
    for t in threads:
        t.join()
    assert not errors and len(bank) == 500
    target = vigil.simhash64("join the caravan today")
    bank.add(target, "now known")
    assert any(h.label == "now known" for h in scanner.scan("join the caravan today").bank_hits)

"""Behaviour of the `vigil` command-line tool: output schema, input order, exit codes, errors."""
import hashlib
import json
import os
import struct
import subprocess
import tempfile
import unittest
import zlib

VIGIL = os.environ.get("VIGIL", "build/cli/vigil")
ROOT = os.environ.get("VIGIL_SOURCE_ROOT", ".")
SHARED = os.environ.get("VIGIL_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
PDQ_DATA = os.path.join(SHARED, "testdata", "pdq", "upstream", "data")
BRIDGE = os.path.join(PDQ_DATA, "reg-test-input", "dih", "bridge-1-original.jpg")
BRIDGE_90 = os.path.join(PDQ_DATA, "reg-test-input", "dih", "bridge-2-rotate-90.jpg")
BRIDGE_PDQ = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
BRIDGE_PDQ_FULLRES = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"

PACK = """[pack]
name = "cli"
version = "1"
[policy]
review = 1.0
block = 3.0
[[rule]]
id = "org"
category = "org"
weight = 2.0
terms = ["daesh"]
[[rule]]
id = "join"
category = "recruit"
weight = 1.5
terms = ["join"]
"""


def run(*args, stdin=b""):
    p = subprocess.run([VIGIL, *args], input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class TempDirTest(unittest.TestCase):
    """A test with a temporary directory of its own, removed after it."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name, content=None):
        """The path of `name` in the directory, written with `content` (str or bytes) if given."""
        p = os.path.join(self.dir.name, name)
        if content is not None:
            with open(p, "wb" if isinstance(content, bytes) else "w") as f:
                f.write(content)
        return p


class CliTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.pack = self.path("pack.toml", PACK)

    def test_stdin_message_gets_one_verdict_with_the_documented_fields(self):
        rc, out, _ = run("scan", "--pack", self.pack, stdin="join daesh now".encode())
        self.assertEqual(rc, 1)
        v = json.loads(out)
        self.assertEqual(v["file"], "-")
        self.assertEqual(v["verdict"], "block")
        self.assertEqual(v["score"], 3.5)
        self.assertEqual(v["categories"], {"org": 2.0, "recruit": 1.5})
        self.assertEqual(v["hits"][0], {"rule": "join", "category": "recruit", "weight": 1.5,
                                        "start": 0, "end": 4, "text": "join"})

    def test_allowed_input_exits_zero(self):
        rc, out, _ = run("scan", "--pack", self.pack, stdin=b"nothing to see")
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["verdict"], "allow")

    def test_jsonl_echoes_ids_in_input_order(self):
        lines = [{"id": "a", "text": "daesh"}, {"id": 7, "text": "hello"},
                 {"text": "join", "id": "c\"q"}]
        data = "\n".join(json.dumps(l) for l in lines) + "\n\n"
        rc, out, err = run("scan", "--pack", self.pack, "--jsonl", stdin=data.encode())
        self.assertEqual(rc, 1, err)
        got = [json.loads(l) for l in out.splitlines()]
        self.assertEqual([g["id"] for g in got], ["a", 7, "c\"q"])
        self.assertEqual([g["verdict"] for g in got], ["review", "allow", "review"])

    def test_bad_jsonl_lines_are_named_and_the_rest_still_scanned(self):
        f = self.path("in.jsonl", '{"id": 1, "text": "daesh"}\nnot json\n{"id": 3}\n'
                                  '{"id": 4, "text": "ok"}\n')
        rc, out, err = run("scan", "--pack", self.pack, "--jsonl", f)
        self.assertEqual(rc, 2)
        self.assertIn("in.jsonl:2:", err)
        self.assertIn("in.jsonl:3:", err)
        self.assertIn("text", err)
        self.assertEqual([json.loads(l)["id"] for l in out.splitlines()], [1, 4])

    def test_each_file_is_one_message_and_missing_files_are_named(self):
        a = self.path("a.txt", "join us")
        rc, out, err = run("scan", "--pack", self.pack, a, self.path("missing.txt"))
        self.assertEqual(rc, 2)
        self.assertIn("missing.txt", err)
        self.assertEqual(json.loads(out)["file"], a)

    def test_empty_and_invalid_utf8_files_are_scanned(self):
        empty = self.path("empty.txt", "")
        bad = self.path("bad.txt", b"\xff\xfe daesh \xc0")
        rc, out, _ = run("scan", "--pack", self.pack, empty, bad)
        self.assertEqual(rc, 1)
        got = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(got[0]["verdict"], "allow")
        self.assertEqual(got[1]["hits"][0]["text"], "daesh")
        self.assertEqual(got[1]["invalid_utf8"], 3)

    def test_table_format_has_one_row_per_message(self):
        rc, out, _ = run("scan", "--pack", self.pack, "--format", "table", stdin=b"join daesh")
        self.assertEqual(rc, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("block", lines[1])
        self.assertIn("org(5-10)", lines[1])

    def test_usage_errors_exit_two_with_a_hint(self):
        for args in (["scan", "--bogus"], ["frobnicate"], ["scan", "--format", "xml"],
                     ["scan", "--pack"], [], ["compile", "--pack", self.pack]):
            rc, _, err = run(*args)
            self.assertEqual(rc, 2, args)
            self.assertTrue(err.startswith("vigil:") or err.startswith("usage"), err)

    def test_a_bad_pack_is_refused_naming_file_line_and_rule(self):
        bad = self.path("bad.toml", PACK + '[[rule]]\nid = "org"\ncategory = "x"\nterms = ["y"]\n')
        rc, out, err = run("scan", "--pack", bad, stdin=b"daesh")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("bad.toml:", err)
        self.assertIn("org", err)

    def test_compiled_engine_scans_like_its_pack_and_corruption_is_refused(self):
        eng = self.path("pack.vgl")
        rc, _, err = run("compile", "--pack", self.pack, "-o", eng)
        self.assertEqual(rc, 0, err)
        msg = b"join daesh"
        self.assertEqual(run("scan", "--engine", eng, stdin=msg)[1],
                         run("scan", "--pack", self.pack, stdin=msg)[1])
        data = bytearray(open(eng, "rb").read())
        data[len(data) // 2] ^= 0xFF
        bad = self.path("bad.vgl", bytes(data))
        rc, _, err = run("scan", "--engine", bad, stdin=msg)
        self.assertEqual(rc, 2)
        self.assertIn("bad.vgl", err)
        self.assertIn("checksum", err)
        rc, _, err = run("scan", "--engine", self.pack, stdin=msg)
        self.assertIn("not a vigil engine file", err)

    def test_default_pack_scans_the_examples(self):
        rc, out, err = run("scan", "--jsonl", os.path.join(ROOT, "examples/inputs/messages.jsonl"))
        self.assertEqual(rc, 1, err)
        got = {v["id"]: v["verdict"] for v in map(json.loads, out.splitlines())}
        self.assertEqual(got["ex-3"], "allow")
        self.assertNotEqual(got["ex-1"], "allow")


def png_bytes(width, height, pixel):
    """A truecolour PNG whose pixel (x, y) is pixel(x, y) -> (r, g, b)."""
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) +
            chunk(b"IEND", b""))


def stripes(x, y):
    v = 255 if (x // 8 + y // 16) % 2 else 0
    return (v, (x * 3) % 256, (y * 5) % 256)


class HashTest(TempDirTest):
    def hash(self, *args):
        rc, out, err = run("hash", *args)
        return rc, [json.loads(l) for l in out.splitlines()], err

    def test_digests_of_each_file_in_order(self):
        a, b = self.path("a.txt", b"hello"), self.path("b.bin", b"\x00\xff")
        for algo, fn in (("md5", hashlib.md5), ("sha256", hashlib.sha256)):
            rc, got, err = self.hash("--algo", algo, a, b)
            self.assertEqual(rc, 0, err)
            self.assertEqual(got, [{"file": a, "algo": algo, "hash": fn(b"hello").hexdigest()},
                                   {"file": b, "algo": algo, "hash": fn(b"\x00\xff").hexdigest()}])
        rc, got, _ = self.hash("--algo", "xxh3", a)
        self.assertEqual(rc, 0)
        self.assertRegex(got[0]["hash"], "^[0-9a-f]{32}$")
        rc, got, _ = run("hash", "--algo", "md5", stdin=b"hello")
        self.assertEqual(json.loads(got), {"file": "-", "algo": "md5", "hash": hashlib.md5(b"hello").hexdigest()})

    def test_text_sketches_hash_the_normal_form(self):
        a = self.path("a.txt", "Join the caravan, brothers".encode())
        b = self.path("b.txt", "JOIN  the c@r@v@n... BROTHERS!!".encode())
        rc, got, _ = self.hash("--algo", "simhash", a, b)
        self.assertEqual(rc, 0)
        self.assertRegex(got[0]["hash"], "^[0-9a-f]{16}$")
        self.assertEqual(got[0]["hash"], got[1]["hash"])
        rc, got, _ = self.hash("--algo", "minhash", a, b)
        self.assertEqual(rc, 0)
        self.assertRegex(got[0]["hash"], "^[0-9a-f]{1024}$")
        self.assertEqual(got[0]["hash"], got[1]["hash"])

    def test_text_fingerprint_ignores_evasion_but_not_wording(self):
        a = self.path("a.txt", "Join the caravan, brothers".encode())
        b = self.path("b.txt", "  JOIN\u200b the c@r@v@n... BROTHERS!!\n".encode())
        c = self.path("c.txt", "Join the caravan, sisters".encode())
        rc, got, err = self.hash("--algo", "text", a, b, c)
        self.assertEqual(rc, 0, err)
        self.assertRegex(got[0]["hash"], "^[0-9a-f]{32}$")
        self.assertEqual(got[0]["hash"], got[1]["hash"])
        self.assertNotEqual(got[0]["hash"], got[2]["hash"])

    def test_pdq_of_a_png_has_quality_and_optional_dihedral_hashes(self):
        img = self.path("img.dat", png_bytes(64, 48, stripes))  # detected by content, not name
        rc, got, err = self.hash("--algo", "pdq", img)
        self.assertEqual(rc, 0, err)
        self.assertEqual(set(got[0]), {"file", "algo", "hash", "quality"})
        self.assertRegex(got[0]["hash"], "^[0-9a-f]{64}$")
        self.assertGreaterEqual(got[0]["quality"], 50)
        rc, got2, _ = self.hash("--algo", "pdq", "--dihedral", img)
        self.assertEqual(list(got2[0]["dihedral"]),
                         ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"])
        self.assertEqual(got2[0]["dihedral"]["orig"], got[0]["hash"])
        self.assertEqual(got2[0]["hash"], got[0]["hash"])

    @unittest.skipUnless(os.path.exists(BRIDGE), "shared PDQ test images not found")
    def test_pdq_of_a_jpeg_matches_the_reference_tool_and_library(self):
        rc, got, _ = self.hash("--algo", "pdq", BRIDGE)
        self.assertEqual((rc, got[0]["hash"], got[0]["quality"]), (0, BRIDGE_PDQ, 100))
        rc, got, _ = self.hash("--algo", "pdq", "--no-squash", BRIDGE)
        self.assertEqual((rc, got[0]["hash"]), (0, BRIDGE_PDQ_FULLRES))

    def test_errors_name_the_file_and_exit_two_after_the_others(self):
        good = self.path("good.png", png_bytes(16, 16, stripes))
        text = self.path("notes.jpg", b"just text")
        broken = self.path("broken.png", png_bytes(16, 16, stripes)[:60])
        rc, got, err = self.hash("--algo", "pdq", text, good, broken, os.path.join(self.dir.name, "nope"))
        self.assertEqual(rc, 2)
        self.assertEqual([g["file"] for g in got], [good])
        self.assertIn("notes.jpg: not a JPEG or PNG image", err)
        self.assertIn("broken.png: invalid PNG", err)
        self.assertIn("nope: No such file", err)
        for args in (["hash"], ["hash", "--algo", "crc32", good], ["hash", "--algo", "md5", "--dihedral", good],
                     ["hash", "--algo"], ["hash", "--algo", "md5", "--frob"]):
            rc, out, err = run(*args)
            self.assertEqual((rc, out), (2, ""), args)
            self.assertTrue(err.startswith("vigil:"), err)


class BankScanTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.pack = self.path("pack.toml", PACK.encode())

    def scan(self, *args, stdin=b""):
        rc, out, err = run("scan", "--pack", self.pack, *args, stdin=stdin)
        return rc, [json.loads(l) for l in out.splitlines()], err

    def simhash(self, text):
        f = self.path("sim.txt", text.encode())
        return json.loads(run("hash", "--algo", "simhash", f)[1])["hash"]

    def test_no_bank_output_is_unchanged(self):
        _, out, _ = run("scan", "--pack", self.pack, stdin=b"join daesh")
        self.assertNotIn("bank_hits", out)

    def test_text_messages_hit_text_and_digest_banks(self):
        post = "the ranks are waiting for you, brother"
        bank = self.path("known.csv", ("hash,label,signal_type\n%s,post 17,simhash\n%s,file 9,md5\n" % (
            self.simhash(post), hashlib.md5(post.encode()).hexdigest())).encode())
        rc, got, err = self.scan("--bank", bank, stdin=post.encode())
        self.assertEqual(rc, 1, err)
        self.assertEqual(got[0]["verdict"], "block")
        self.assertEqual(got[0]["bank_hits"], [
            {"bank": "known-md5", "signal": "md5", "distance": 0, "label": "file 9", "action": "block"},
            {"bank": "known-simhash64", "signal": "simhash64", "distance": 0, "label": "post 17",
             "action": "block"}])
        lines = '{"id": 1, "text": "The RANKS are waiting for you... brother!"}\n{"id": 2, "text": "hi"}\n'
        rc, got, _ = self.scan("--review-bank", bank, "--jsonl", stdin=lines.encode())
        self.assertEqual(rc, 1)
        self.assertEqual([g["verdict"] for g in got], ["review", "allow"])
        self.assertEqual([len(g["bank_hits"]) for g in got], [1, 0])
        self.assertEqual(got[0]["bank_hits"][0]["action"], "review")

    def test_allow_list_suppresses_bank_hits_of_its_signal(self):
        post = "the ranks are waiting for you"
        line = "simhash %s known\n" % self.simhash(post)
        block, allow = self.path("tve.txt", line.encode()), self.path("news.txt", line.encode())
        rc, got, _ = self.scan("--bank", block, "--allow-bank", allow, stdin=post.encode())
        self.assertEqual((rc, got[0]["verdict"]), (0, "allow"))
        self.assertEqual(got[0]["bank_hits"], [
            {"bank": "tve", "signal": "simhash64", "distance": 0, "label": "known", "action": "block",
             "suppressed": True},
            {"bank": "news", "signal": "simhash64", "distance": 0, "label": "known", "action": "allow"}])

    def test_images_are_scanned_by_content_with_pdq(self):
        img = png_bytes(64, 48, stripes)
        f = self.path("upload.bin", img)
        pdq = json.loads(run("hash", "--algo", "pdq", f)[1])["hash"]
        bank = self.path("img.txt", ("pdq %s stripes\nsha256 %s stripes file\n" % (
            pdq, hashlib.sha256(img).hexdigest())).encode())
        rc, got, err = self.scan("--bank", bank, f)
        self.assertEqual(rc, 1, err)
        self.assertEqual(got[0]["verdict"], "block")
        self.assertEqual(got[0]["hits"], [])
        self.assertEqual([(h["signal"], h["distance"]) for h in got[0]["bank_hits"]],
                         [("sha256", 0), ("pdq", 0)])
        broken = self.path("broken.png", img[:50])
        rc, got, err = self.scan("--bank", bank, broken, f)
        self.assertEqual(rc, 2)
        self.assertIn("broken.png: invalid PNG", err)
        self.assertEqual(len(got), 1)

    @unittest.skipUnless(os.path.exists(BRIDGE_90), "shared PDQ test images not found")
    def test_rotated_image_matches_with_dihedral(self):
        bank = self.path("tve.txt", ("pdq %s bridge\n" % BRIDGE_PDQ).encode())
        rc, got, _ = self.scan("--bank", bank, BRIDGE, BRIDGE_90)
        self.assertEqual([g["verdict"] for g in got], ["block", "allow"])
        rc, out, _ = run("scan", "--bank", bank, "--dihedral", BRIDGE_90, "--format", "table")
        self.assertEqual(rc, 1)
        self.assertIn("tve:bridge[", out.splitlines()[1])
        rc, got, _ = self.scan("--bank", bank, "--dihedral", BRIDGE_90)
        self.assertEqual(got[0]["bank_hits"][0]["transform"], "rot270")
        self.assertLessEqual(got[0]["bank_hits"][0]["distance"], 31)

    def test_bad_bank_file_exits_two_naming_file_and_line(self):
        good = self.path("good.txt", b"md5 0cc175b9c0f1b6a831c399e269772661\n")
        bad = self.path("bad.csv", b"hash,label,signal_type\n0cc175b9c0f1b6a831c399e269772661,a,md5\nzz,b,md5\n")
        rc, out, err = run("scan", "--pack", self.pack, "--bank", good, "--bank", bad, stdin=b"a")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("bad.csv:3:", err)
        rc, out, err = run("scan", "--pack", self.pack, "--bank", os.path.join(self.dir.name, "missing.csv"),
                           stdin=b"a")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("missing.csv", err)
        rc, _, err = run("scan", "--bank", good, "--allow-bank", good, stdin=b"a")
        self.assertEqual(rc, 2)
        self.assertIn("already loaded as block", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)

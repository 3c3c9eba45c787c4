"""Behaviour of the `vigil` command-line tool: output schema, input order, exit codes, errors."""
import json
import os
import subprocess
import tempfile
import unittest

VIGIL = os.environ.get("VIGIL", "build/cli/vigil")
ROOT = os.environ.get("VIGIL_SOURCE_ROOT", ".")

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


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.pack = self.path("pack.toml", PACK)

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name, content=None, binary=False):
        p = os.path.join(self.dir.name, name)
        if content is not None:
            with open(p, "wb" if binary else "w") as f:
                f.write(content)
        return p

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
        bad = self.path("bad.txt", b"\xff\xfe daesh \xc0", binary=True)
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
        bad = self.path("bad.vgl", bytes(data), binary=True)
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


if __name__ == "__main__":
    unittest.main(verbosity=2)

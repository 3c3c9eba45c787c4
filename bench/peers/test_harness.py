"""Unit tests of the harness's own logic (metrics, edits, agreement), run by bench/report/run
before any measurement:  build-peers/venv/bin/python -m unittest discover -s bench/peers
They need the venv (the modules import the peers) but no vigil build and no network."""
import os
import random
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report"))

import markdown  # noqa: E402
import pdq_peers  # noqa: E402
import scan_peers  # noqa: E402
import text_peers  # noqa: E402


class RecallAtPrecision(unittest.TestCase):
    def test_threshold_stops_below_the_closest_wrong_pair(self):
        d = np.array([[3, 40, 90], [50, 10, 90], [90, 35, 60]])
        r = pdq_peers.recall_at_precision(d)
        self.assertEqual(r["threshold"], 34)  # at 35 the wrong pair (2, 1) would match
        self.assertAlmostEqual(r["recall"], 2 / 3)
        self.assertAlmostEqual(r["recall_at_31"], 2 / 3)
        self.assertEqual(r["false_at_31"], 0)
        usable = np.array([True, False, True])
        self.assertAlmostEqual(pdq_peers.recall_at_precision(d, usable)["recall_at_31_usable"], 0.5)

    def test_no_threshold_when_a_wrong_pair_is_closest(self):
        d = np.array([[20, 0], [30, 5]])
        r = pdq_peers.recall_at_precision(d)
        self.assertEqual(r["threshold"], -1)
        self.assertEqual(r["recall"], 0.0)

    def test_dihedral_distance_takes_the_least_of_eight(self):
        rng = np.random.default_rng(0)
        bank = rng.integers(0, 2**63, size=(2, 8, 4), dtype=np.uint64)
        query = bank[:1].copy()
        query[0, 0, 0] ^= np.uint64(0xFF)  # the "orig" hash is 8 bits off ...
        query[0, 3] = bank[0, 0]        # ... but a rotation matches exactly
        self.assertEqual(pdq_peers._distances(query, bank, False)[0, 0], 8)
        self.assertEqual(pdq_peers._distances(query, bank, True)[0, 0], 0)


class TextEdits(unittest.TestCase):
    def test_each_edit_changes_the_text_as_named(self):
        rng, text = random.Random(1), "the quick brown fox jumps over the lazy dog again"
        inserted = text_peers.edit(text, ["insert 2 words"], rng, ["zebra"])
        self.assertEqual(len(inserted.split()), 12)
        self.assertEqual(len(text_peers.edit(text, ["delete 2 words"], rng, []).split()), 8)
        moved = text_peers.edit(text, ["move 3 words"], rng, [])
        self.assertEqual(sorted(moved.split()), sorted(text.split()))
        glyphs = text_peers.edit(text, ["homoglyphs (30% of letters)"], rng, [])
        self.assertTrue(any(c in glyphs for c in text_peers.HOMOGLYPHS.values()))
        spaced = text_peers.edit(text, ["case and spacing"], rng, [])
        self.assertEqual(spaced.lower().split(), text.split())

    def test_scores(self):
        m = np.array([[True, True], [False, False]])
        self.assertEqual(text_peers._scores(m), {"recall": 0.5, "precision": 0.5, "false": 1})


class ScanAgreement(unittest.TestCase):
    def test_word_bounded_spans(self):
        spans = scan_peers._word_bounded(["cat", "cat food"], ["a cat, catalog; cat food"])
        self.assertEqual(spans, [{(2, 5), (16, 19), (16, 24)}])

    def test_peers_agree_on_a_small_case(self):
        terms, msgs = ["abc", "bcd", "x y"], ["zabcd x y", "nothing", "bcdabc"]
        expected = [{0, 1, 2}, set(), {0, 1}]
        for name, builder in scan_peers.PEERS.items():
            scan = builder(terms)
            self.assertIsNone(scan_peers._check_peer(name, scan, msgs, expected), name)


class Rendering(unittest.TestCase):
    def test_hand_measured_sections_are_kept(self):
        hand = "# old title\n\nintro\n\n## Section A\n\n| a | b |\n"
        text = markdown.render({}, [], machine="m", command="bench/report/run", date="d",
                               minutes=1, hand_measured=hand, fig_rel="figures")
        self.assertIn("## Section A", text)
        self.assertIn("intro", text)
        self.assertNotIn("# old title", text)
        self.assertIn("bench/report/run", text)


if __name__ == "__main__":
    unittest.main()

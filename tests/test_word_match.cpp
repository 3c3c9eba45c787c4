// The whole-word literal database (ASCII messages) and compile errors that name their rule.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

using vigil_test::engine_from;
using vigil_test::pack_of;

namespace {

/// The engine file of `e` without its whole-word literal database: what files written before
/// it existed hold, and an engine that scans every message with the plain literals.
std::string without_word_literals(const vigil::Engine& e) {
  const std::string bytes = e.serialize();
  vigil::EngineFileParts parts = vigil::read_engine_file(bytes, "<test>");
  std::string_view words;
  vigil::match::detail::split_blobs(vigil::match::detail::kLiteralPairMagic, parts.databases[0],
                                    words, "<test>", "literal");
  REQUIRE_FALSE(words.empty());  // the compiled engine has one
  return vigil::write_engine_file(parts);
}

std::string verdict_json(const vigil::Verdict& v) {
  std::string out;
  vigil::append_verdict_json(out, v, "id", "0");
  return out;
}

const char* const kPack = R"(
[[rule]]
id = "words"
category = "a"
weight = 1.0
max_hits = 2
terms = ["kill", "isis", "attack", "glory to", "pipe bomb", "7", "jihad", "crisis talks"]
[[rule]]
id = "parts"
category = "b"
weight = 0.5
fullword = false
terms = ["bomb", "kill", "ter"]
[[rule]]
id = "arabic"
category = "a"
weight = 2.0
terms = ["جهاد", "الدولة"]
[[rule]]
id = "han"
category = "b"
weight = 1.0
terms = ["圣战", "kill"]
[[rule]]
id = "rx"
category = "a"
weight = 1.5
regex = "at+ack\\s+\\w+"
)";

std::vector<std::string> sample_texts() {
  std::vector<std::string> texts = {
      "kill", " kill ", "killer skills", "Kill ALL!!", "crisis talks", "the crisis  talks",
      "ISIS", "i.s.i.s", "k1ll them", "glory to the martyrs", "pipe  bomb", "pipebomb",
      "bombers", "issue 7 of 7", "777", "中文kill", "kill中文", "圣战kill圣战", "والجهاد",
      "للدولة", "jihad\u200bist", "café kill", "attack   plans", "attttack now", "", "   "};
  const char* words[] = {"kill", "isis", "crisis", "talks", "glory", "to", "pipe", "bomb",
                         "7", "attack", "jihad", "skills", "terror", "the", "a", "cafe",
                         "café", "中文", "圣战", "الدولة", "جهاد", "Kill!", "(isis)", "x7"};
  std::mt19937 rng(11);
  for (int k = 0; k < 600; ++k) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 14);
    for (int w = 0; w < n; ++w) {
      s += words[rng() % (sizeof words / sizeof *words)];
      const unsigned sep = rng() % 8;
      s += sep == 0 ? "" : sep == 1 ? ", " : sep == 2 ? "  " : " ";
    }
    texts.push_back(s);
  }
  return texts;
}

}  // namespace

TEST_CASE("the whole-word literal database gives the verdicts of the plain literals") {
  auto e = engine_from(pack_of(kPack), false);
  auto plain = vigil::Engine::deserialize(without_word_literals(*e), "<plain>",
                                          vigil::EngineOptions{false});
  auto reloaded = vigil::Engine::deserialize(e->serialize(), "<reloaded>",
                                             vigil::EngineOptions{false});
  int with_hits = 0;
  for (const std::string& t : sample_texts()) {
    const vigil::Verdict a = e->scan(t);
    CHECK_MESSAGE(verdict_json(a) == verdict_json(plain->scan(t)), t);
    CHECK_MESSAGE(verdict_json(a) == verdict_json(reloaded->scan(t)), t);
    with_hits += !a.hits.empty();
  }
  CHECK(with_hits > 300);  // the texts do hit
}

TEST_CASE("the match limit counts whole-word matches alike on both paths") {
  vigil::EngineOptions tight{false};
  tight.max_matches = 4;
  auto e = vigil::Engine::compile(vigil::rules::load_pack_string(pack_of(kPack)), tight);
  auto plain = vigil::Engine::deserialize(without_word_literals(*e), "<plain>", tight);
  for (const char* t : {"isis isis isis isis", "isis isis isis isis isis", "isis, kill; isis"}) {
    const vigil::Verdict a = e->scan(t), b = plain->scan(t);
    CHECK(a.truncated == b.truncated);
    CHECK(verdict_json(a) == verdict_json(b));
  }
  CHECK_FALSE(e->scan("isis isis isis isis").truncated);
  CHECK(e->scan("isis isis isis isis isis").truncated);
  // In ASCII text a term inside longer words is no match at all, so it no longer counts.
  const char* inside = "crisis crisis crisis crisis crisis";
  CHECK(plain->scan(inside).truncated);
  CHECK_FALSE(e->scan(inside).truncated);
  CHECK(e->scan(inside).hits.empty());
}

TEST_CASE("a whole-word literal padded for ASCII text keeps its spans") {
  auto e = engine_from(pack_of(kPack), false);
  const vigil::Verdict v = e->scan("We will ATTACK... and pipe bomb; kill!");
  REQUIRE(v.hits.size() >= 3);
  for (const vigil::Hit& h : v.hits) {
    if (h.composite) continue;
    CHECK(std::string("We will ATTACK... and pipe bomb; kill!").substr(h.start, h.end - h.start) ==
          h.text);
  }
}

TEST_CASE("a pattern Hyperscan refuses names its rule, pack file and line") {
  const std::string pack = pack_of(R"(
[[rule]]
id = "fine"
category = "a"
terms = ["kill"]
[[rule]]
id = "huge"
category = "a"
regex = "a.{5000}b"
)");
  try {
    engine_from(pack, false);
    FAIL("compiled a regex Hyperscan refuses");
  } catch (const vigil::rules::PackError& err) {
    CHECK(err.rule_id() == "huge");
    CHECK(err.where().file == "<test pack>");
    CHECK(err.where().line == 12);  // the rule's [[rule]] line
    CHECK(std::string(err.what()).find("regex 'a.{5000}b' cannot be compiled") != std::string::npos);
  }
}

TEST_CASE("a database-level compile error is blamed on the pattern that tips the set over") {
  using vigil::match::detail::blame_pattern;
  int calls = 0;
  // Any prefix holding pattern 37 fails (as a set too big for a resource limit would).
  auto from_37 = [&](std::size_t n) { return ++calls, n > 37; };
  CHECK(blame_pattern(100, from_37) == 37);
  CHECK(calls <= 9);  // bisection, not one compile per pattern
  CHECK(blame_pattern(100, [](std::size_t n) { return n > 0; }) == 0);
  CHECK(blame_pattern(100, [](std::size_t n) { return n == 100; }) == 99);
  CHECK(blame_pattern(100, [](std::size_t) { return false; }) == 100);  // not reproducible
  CHECK(blame_pattern(0, [](std::size_t) { return true; }) == 0);
}

TEST_CASE("a corrupt literal database pair in an engine file is refused") {
  auto e = engine_from(pack_of(kPack), false);
  const std::string bytes = e->serialize();
  vigil::EngineFileParts parts = vigil::read_engine_file(bytes, "<test>");
  std::string pair(parts.databases[0]);
  REQUIRE(pair.compare(0, 8, "VGLLWW01") == 0);
  pair[15] = '\x7F';  // literal database length past the end
  parts.databases[0] = pair;
  CHECK_THROWS_WITH_AS(vigil::Engine::deserialize(vigil::write_engine_file(parts), "x.eng"),
                       doctest::Contains("bad literal database pair"), vigil::EngineFileError);
}

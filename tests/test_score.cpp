// Scoring: weights per category, max_hits, caps, composites, negative context, thresholds.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "vigil/score/json.hpp"

using vigil_test::engine_from;
using vigil_test::hit_rules;
using vigil_test::pack_of;

namespace {

const char* kPack = R"PACK(
[pack]
name = "score"
version = "1"
[policy]
review = 3.0
block = 8.0
[categories.org]
cap = 4.0
[[rule]]
id = "org"
category = "org"
weight = 2.5
terms = ["islamic state", "daesh"]
max_hits = 3
[[rule]]
id = "join"
category = "recruit"
weight = 1.0
terms = ["join", "pledge allegiance"]
[[rule]]
id = "news"
category = "context"
weight = -4.0
terms = ["police said", "court heard"]
[[rule]]
id = "a"
category = "parts"
weight = 0.0
terms = ["alpha"]
[[rule]]
id = "b"
category = "parts"
weight = 0.0
terms = ["beta"]
[[rule]]
id = "c"
category = "parts"
weight = 0.0
terms = ["gamma"]
[[composite]]
id = "join_org"
category = "recruit"
weight = 5.0
expr = "join & org & !news"
[[composite]]
id = "two_parts"
category = "parts"
weight = 3.5
expr = "2 of (a, b, c)"
[[composite]]
id = "close"
category = "near"
weight = 3.0
expr = "near(a, c, 10)"
)PACK";

double category(const vigil::Verdict& v, const std::string& name) {
  for (const auto& c : v.categories)
    if (c.name == name) return c.score;
  return 0.0;
}

}  // namespace

TEST_CASE("a rule adds its weight at most max_hits times and its category is capped") {
  auto e = engine_from(kPack);
  auto v = e->scan("daesh daesh islamic state daesh daesh");
  CHECK(hit_rules(v) == std::vector<std::string>{"org", "org", "org"});
  CHECK(category(v, "org") == doctest::Approx(4.0));  // 3 x 2.5 = 7.5, capped at 4
  CHECK(v.score == doctest::Approx(4.0));
  CHECK(v.decision == vigil::Decision::review);
}

TEST_CASE("a composite fires on its expression and blocks past the threshold") {
  auto e = engine_from(kPack);
  auto v = e->scan("Join the Islamic State today");
  CHECK(v.decision == vigil::Decision::block);  // 1 + 2.5 + 5 = 8.5
  CHECK(v.score == doctest::Approx(8.5));
  auto rules = hit_rules(v);
  CHECK(std::find(rules.begin(), rules.end(), "join_org") != rules.end());
  for (const auto& h : v.hits) {
    if (h.rule != "join_org") continue;
    CHECK(h.composite);
    CHECK(h.start == 0);
    CHECK(h.text == "Join the Islamic State");
  }
}

TEST_CASE("negative context weight turns reporting into allow and blocks a composite") {
  auto e = engine_from(kPack);
  auto v = e->scan("Police said the man tried to join Islamic State");
  auto rules = hit_rules(v);
  CHECK(std::find(rules.begin(), rules.end(), "join_org") == rules.end());
  CHECK(v.score == doctest::Approx(2.5 + 1.0 - 4.0));
  CHECK(v.decision == vigil::Decision::allow);
}

TEST_CASE("N of and near() composites") {
  auto e = engine_from(kPack);
  CHECK(hit_rules(e->scan("alpha only")).empty());
  auto two = e->scan("alpha and beta");
  CHECK(hit_rules(two) == std::vector<std::string>{"two_parts"});
  CHECK(category(two, "parts") == doctest::Approx(3.5));
  auto near = e->scan("alpha x gamma");
  auto rules = hit_rules(near);
  CHECK(std::find(rules.begin(), rules.end(), "close") != rules.end());
  auto far = e->scan("alpha and a long stretch of words before gamma");
  rules = hit_rules(far);
  CHECK(std::find(rules.begin(), rules.end(), "close") == rules.end());
}

TEST_CASE("zero-weight rules feed composites but are not listed as contributions") {
  auto e = engine_from(kPack);
  auto v = e->scan("beta gamma");
  CHECK(hit_rules(v) == std::vector<std::string>{"two_parts"});
}

TEST_CASE("the minimal pack from the documentation loads and scores") {
  auto e = engine_from(R"(
[pack]
name = "example"
version = "1"
[policy]
review = 3.0
block = 8.0
[[rule]]
id = "t"
category = "test"
weight = 1.0
terms = ["caliphate"]
fullword = true
)");
  auto v = e->scan("the caliphate");
  CHECK(v.score == doctest::Approx(1.0));
  CHECK(v.decision == vigil::Decision::allow);
}

TEST_CASE("a hitless scan gets the verdict full evaluation gives (composites true on no hits)") {
  // "!quiet" is true on every message without the word; the hitless verdict is precomputed,
  // so it must equal what evaluating the composites would give, and messages with hits must
  // still be scored in full.
  auto e = engine_from(pack_of(R"(
[[rule]]
id = "quiet"
category = "ctx"
weight = 0.0
terms = ["quiet"]
[[rule]]
id = "loud"
category = "noise"
weight = 0.5
terms = ["loud"]
[[composite]]
id = "not_quiet"
category = "mood"
weight = 1.5
expr = "!quiet"
[[composite]]
id = "loud_not_quiet"
category = "mood"
weight = 2.0
expr = "loud & not_quiet"
)"));
  auto plain = e->scan("nothing to see \xFF here");
  CHECK(plain.decision == vigil::Decision::review);
  CHECK(plain.score == doctest::Approx(1.5));
  CHECK(plain.invalid_bytes == 1);
  REQUIRE(hit_rules(plain) == std::vector<std::string>{"not_quiet"});
  CHECK(plain.hits[0].composite);
  CHECK(plain.hits[0].text.empty());
  auto quiet = e->scan("a quiet day");
  CHECK(quiet.decision == vigil::Decision::allow);
  CHECK(quiet.hits.empty());
  auto loud = e->scan("a loud day");
  CHECK(loud.score == doctest::Approx(4.0));
  CHECK(hit_rules(loud) == std::vector<std::string>{"not_quiet", "loud", "loud_not_quiet"});
  CHECK(e->scan("nothing again").invalid_bytes == 0);
}

TEST_CASE("a pack whose composites need hits gives hitless scans a plain allow") {
  auto e = engine_from(kPack);
  auto v = e->scan("an ordinary sentence");
  CHECK(v.decision == vigil::Decision::allow);
  CHECK(v.score == 0.0);
  CHECK(v.hits.empty());
  CHECK(v.categories.empty());
}

namespace {

std::string json_of(const vigil::Verdict& v) {
  std::string out;
  vigil::append_verdict_json(out, v, "id", "0");
  return out;
}

/// kPack plus a composite that fires on hitless messages and one built on it.
std::string reuse_pack() {
  return std::string(kPack) + R"(
[[rule]]
id = "quiet"
category = "ctx"
weight = 0.0
terms = ["quiet"]
[[composite]]
id = "not_quiet"
category = "mood"
weight = 1.5
expr = "!quiet"
[[composite]]
id = "join_not_quiet"
category = "mood"
weight = 0.5
expr = "join & not_quiet"
)";
}

}  // namespace

TEST_CASE("scanning into a reused Verdict gives every message its fresh verdict, in any order") {
  auto e = engine_from(reuse_pack());
  std::vector<std::string> messages = {
      "", "nothing to see here", "Join the Islamic State today", "alpha x gamma",
      "a quiet alpha and beta", "daesh daesh islamic state daesh daesh join join",
      "police said \xFF daesh", "quiet", "join", "alpha beta gamma quiet join daesh"};
  for (int pass = 0; pass < 2; ++pass) {
    vigil::Verdict reused;
    reused.bank_hits.emplace_back();  // fields a scan must overwrite
    reused.banks_checked = true;
    reused.truncated = true;
    for (const std::string& m : messages) {
      e->scan(m, reused);
      const vigil::Verdict fresh = e->scan(m);
      CAPTURE(m);
      CHECK(json_of(reused) == json_of(fresh));
      CHECK(reused.bank_hits.empty());
      CHECK_FALSE(reused.banks_checked);
      REQUIRE(reused.hits.size() == fresh.hits.size());
      for (std::size_t i = 0; i < fresh.hits.size(); ++i)
        CHECK(reused.hits[i].composite == fresh.hits[i].composite);
    }
    std::reverse(messages.begin(), messages.end());
  }
}

namespace {

// A reference scorer for the differential test below: messages are words from a fixed
// vocabulary separated by single spaces (their own normal form), rule k has the single term
// kWords[k], and every composite is evaluated, in composite order, over rule facts worked out
// from the words directly.
const char* const kWords[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
constexpr std::size_t kRules = 8;

struct Occurrence {
  std::uint64_t begin, end;
};

class WordFacts final : public vigil::rules::ExprContext {
 public:
  WordFacts(const std::vector<std::vector<vigil::rules::Position>>& pos, const std::vector<char>& comp)
      : pos_(pos), comp_(comp) {}
  bool fired(std::size_t s) const override { return s < kRules ? !pos_[s].empty() : comp_[s - kRules] != 0; }
  const std::vector<vigil::rules::Position>& positions(std::size_t r) const override { return pos_[r]; }

 private:
  const std::vector<std::vector<vigil::rules::Position>>& pos_;
  const std::vector<char>& comp_;
};

std::string random_expr(std::mt19937& rng, std::size_t earlier, int depth) {
  auto rule = [&] { return "r" + std::to_string(rng() % kRules); };
  const unsigned pick = depth <= 0 ? rng() % 2 : rng() % 7;
  switch (pick) {
    case 0: return rule();
    case 1: return earlier > 0 && rng() % 2 ? "k" + std::to_string(rng() % earlier) : rule();
    case 2: return "!" + random_expr(rng, earlier, depth - 1);
    case 3: return "(" + random_expr(rng, earlier, depth - 1) + " & " + random_expr(rng, earlier, depth - 1) + ")";
    case 4: return "(" + random_expr(rng, earlier, depth - 1) + " | " + random_expr(rng, earlier, depth - 1) + ")";
    case 5:
      return "2 of (" + random_expr(rng, earlier, depth - 1) + ", " + random_expr(rng, earlier, depth - 1) +
             ", " + random_expr(rng, earlier, depth - 1) + ")";
    default: return "near(" + rule() + ", " + rule() + ", " + std::to_string(rng() % 20) + ")";
  }
}

std::string random_pack(std::mt19937& rng) {
  const double weights[] = {0.0, 0.0, 1.0, 2.5, -1.5, 0.5};
  std::string p = "[categories.c0]\ncap = 3.0\n";
  for (std::size_t k = 0; k < kRules; ++k) {
    p += "[[rule]]\nid = \"r" + std::to_string(k) + "\"\ncategory = \"c" + std::to_string(rng() % 3) +
         "\"\nweight = " + std::to_string(weights[rng() % 6]) + "\nmax_hits = " +
         std::to_string(1 + rng() % 3) + "\nterms = [\"" + kWords[k] + "\"]\n";
  }
  for (std::size_t c = 0; c < 12; ++c) {
    p += "[[composite]]\nid = \"k" + std::to_string(c) + "\"\ncategory = \"c" + std::to_string(rng() % 3) +
         "\"\nweight = " + std::to_string(weights[rng() % 6]) + "\nexpr = \"" + random_expr(rng, c, 3) + "\"\n";
  }
  return vigil_test::pack_of(p);
}

/// (id, start, end, composite) of every hit, sorted, for comparing as a set.
using HitKey = std::tuple<std::string, std::uint64_t, std::uint64_t, bool>;

/// The reference verdict's hits and score for `words`.
std::pair<std::vector<HitKey>, double> reference(const vigil::rules::Pack& pack,
                                                 const std::vector<std::size_t>& words) {
  std::vector<std::vector<vigil::rules::Position>> pos(kRules);
  std::uint64_t at = 0;
  for (std::size_t w : words) {
    const std::uint64_t len = w < kRules ? std::string_view(kWords[w]).size() : 4;  // filler: "zulu"
    if (w < kRules) pos[w].push_back({at, at + len});
    at += len + 1;
  }
  std::vector<HitKey> hits;
  std::vector<double> sums(pack.categories.size(), 0.0);
  std::vector<char> touched(pack.categories.size(), 0);
  auto add = [&](const std::string& cat, double w) {
    sums[pack.category_index(cat)] += w;
    touched[pack.category_index(cat)] = 1;
  };
  for (std::size_t r = 0; r < kRules; ++r) {
    const auto& rule = pack.rules[r];
    for (std::size_t k = 0; k < pos[r].size() && k < rule.max_hits && rule.weight != 0.0; ++k) {
      hits.emplace_back(rule.id, pos[r][k].begin, pos[r][k].end, false);
      add(rule.category, rule.weight);
    }
  }
  std::vector<char> fired(pack.composites.size(), 0);
  std::vector<Occurrence> span(pack.composites.size(), {UINT64_MAX, 0});
  const WordFacts facts(pos, fired);
  for (std::size_t c : pack.composite_order) {
    fired[c] = pack.composites[c].expr.evaluate(facts);
    if (!fired[c]) continue;
    for (std::uint32_t s : pack.composites[c].expr.references()) {
      std::vector<Occurrence> parts;
      if (s >= kRules) parts.push_back(span[s - kRules]);
      else for (const auto& p : pos[s]) parts.push_back({p.begin, p.end});
      for (const auto& o : parts) span[c] = {std::min(span[c].begin, o.begin), std::max(span[c].end, o.end)};
    }
    const auto& comp = pack.composites[c];
    if (comp.weight == 0.0) continue;
    const bool empty = span[c].begin > span[c].end;
    hits.emplace_back(comp.id, empty ? 0 : span[c].begin, empty ? 0 : span[c].end, true);
    add(comp.category, comp.weight);
  }
  double score = 0.0;
  for (std::size_t c = 0; c < sums.size(); ++c)
    if (touched[c]) score += std::clamp(sums[c], -pack.categories[c].cap, pack.categories[c].cap);
  std::sort(hits.begin(), hits.end());
  return {hits, score};
}

}  // namespace

TEST_CASE("composites re-evaluated only where hits reach them score as full evaluation does") {
  std::mt19937 rng(20261126);
  for (int p = 0; p < 12; ++p) {
    const std::string toml = random_pack(rng);
    auto e = engine_from(toml, false);
    vigil::Verdict reused;
    for (int m = 0; m < 150; ++m) {
      std::vector<std::size_t> words(rng() % 9);
      for (auto& w : words) w = rng() % (kRules + 2);  // the last two are fillers
      std::string text;
      for (std::size_t w : words) text += (text.empty() ? "" : " ") + std::string(w < kRules ? kWords[w] : "zulu");
      const auto [want_hits, want_score] = reference(e->pack(), words);
      e->scan(text, reused);
      std::vector<HitKey> got;
      for (const auto& h : reused.hits) got.emplace_back(h.rule, h.start, h.end, h.composite);
      std::sort(got.begin(), got.end());
      CAPTURE(toml);
      CAPTURE(text);
      CHECK(got == want_hits);
      CHECK(reused.score == doctest::Approx(want_score));
    }
  }
}

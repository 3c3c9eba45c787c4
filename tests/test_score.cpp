// Scoring: weights per category, max_hits, caps, composites, negative context, thresholds.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "test_support.hpp"

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

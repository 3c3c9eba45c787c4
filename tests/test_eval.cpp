// The shared development set: engine-level evasion cases and the default pack's dev cases.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "vigil/default_pack.hpp"

#ifndef VIGIL_SHARED_DIR
#define VIGIL_SHARED_DIR "../shared"
#endif

namespace {

struct Case {
  std::string a, b;  // evasions: term, text; dev: id, text
  bool positive = false;
};

std::vector<Case> read_cases(const std::string& file, bool dev) {
  std::ifstream in(std::string(VIGIL_SHARED_DIR) + "/eval/" + file);
  REQUIRE_MESSAGE(in.good(), "cannot read " << VIGIL_SHARED_DIR << "/eval/" << file);
  simdjson::ondemand::parser parser;
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::padded_string json(line);
    auto doc = parser.iterate(json);
    Case c;
    if (dev) {
      c.a = std::string(std::string_view(doc["id"]));
      c.positive = std::string_view(doc["expect"]) == "flag";
    } else {
      c.a = std::string(std::string_view(doc["term"]));
      c.positive = bool(doc["match"]);
    }
    c.b = std::string(std::string_view(doc["text"]));
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

TEST_CASE("every shared evasion case matches or not as labelled, in block and stream mode") {
  auto cases = read_cases("evasions.jsonl", false);
  CHECK(cases.size() >= 20);
  for (const Case& c : cases) {
    auto e = vigil_test::engine_from(vigil_test::single_term_pack(c.a));
    bool hit = !e->scan(c.b).hits.empty();
    CHECK_MESSAGE(hit == c.positive, "term '" << c.a << "' in '" << c.b << "'");
    for (std::size_t cut = 0; cut <= c.b.size(); ++cut) {
      bool streamed = !vigil_test::scan_in_chunks(*e, c.b, {cut}).hits.empty();
      CHECK_MESSAGE(streamed == hit, "split at " << cut << ": '" << c.b << "'");
    }
  }
}

TEST_CASE("the default pack flags every dev positive and allows every dev negative") {
  auto e = vigil::default_engine();
  auto cases = read_cases("dev.jsonl", true);
  CHECK(cases.size() >= 40);
  for (const Case& c : cases) {
    auto v = e->scan(c.b);
    bool flagged = v.decision != vigil::Decision::allow;
    CHECK_MESSAGE(flagged == c.positive, c.a << " scored " << v.score << " ("
                                             << vigil::to_string(v.decision) << "): " << c.b);
  }
}

TEST_CASE("the default engine precompiled at build time scans exactly like the pack compiled now") {
  vigil::EngineOptions block_only;
  block_only.streaming = false;
  auto loaded = vigil::default_engine(block_only);  // the embedded image on this machine
  auto fresh = vigil::Engine::compile(
      vigil::rules::load_pack_string(vigil::default_pack_source(), "<default pack>"), block_only);
  CHECK(loaded->pack().hash == fresh->pack().hash);
  CHECK(loaded->serialize() == fresh->serialize());
  for (const Case& c : read_cases("dev.jsonl", true)) {
    auto a = loaded->scan(c.b), b = fresh->scan(c.b);
    CHECK(a.score == b.score);
    CHECK(a.hits.size() == b.hits.size());
  }
}

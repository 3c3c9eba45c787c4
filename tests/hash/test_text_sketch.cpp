// SimHash-64 and MinHash: SIMD equals a scalar reference, similarity behaviour on measured
// examples (the numbers quoted in simhash.hpp / minhash.hpp), LSH lookup.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/bank/mih_index.hpp"
#include "vigil/bank/minhash_index.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/simhash.hpp"

namespace vh = vigil::hash;
namespace vb = vigil::bank;

namespace {

const char* kParagraph =
    "join the brothers of the eastern front today the call has come for every able man to leave "
    "his home and take up the struggle against the enemies of our people the time of waiting is "
    "over the leaders have spoken and the victory is promised to those who answer now share this "
    "message with everyone you trust";

const char* kUnrelated =
    "the city council met on tuesday evening to discuss the new bicycle lanes on the main road "
    "several residents spoke in favour of the plan while shop owners worried about parking and "
    "deliveries the council will vote next month after a public consultation closes at the end "
    "of the week online";

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}

std::string join(const std::vector<std::string>& w) {
  std::string out;
  for (const auto& s : w) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string replace_words(const std::string& text, int count, std::mt19937& rng) {
  auto w = words_of(text);
  std::set<std::size_t> used;
  while (static_cast<int>(used.size()) < count) used.insert(rng() % w.size());
  for (auto i : used) w[i] = "xword" + std::to_string(i);
  return join(w);
}

std::uint64_t scalar_simhash(const std::string& text, int k) {
  int votes[64] = {};
  vh::for_each_simhash_feature(text, k, [&](std::uint64_t h) {
    for (int b = 0; b < 64; ++b) votes[b] += ((h >> b) & 1) ? 1 : -1;
  });
  std::uint64_t out = 0;
  for (int b = 0; b < 64; ++b) if (votes[b] > 0) out |= std::uint64_t{1} << b;
  return out;
}

vh::MinHashSignature scalar_minhash(const std::string& text, int k) {
  const auto& p = vh::detail::minhash_parameters();
  vh::MinHashSignature s;
  s.slots.fill(0xFFFFFFFFU);
  vh::for_each_shingle(text, k, [&](std::uint64_t sh) {
    const auto x = static_cast<std::uint32_t>(sh ^ (sh >> 32));
    for (std::size_t i = 0; i < vh::kMinHashSlots; ++i) {
      const std::uint32_t h = (x ^ p.seed[i]) * p.multiplier[i];
      s.slots[i] = std::min(s.slots[i], h);
    }
  });
  return s;
}

}  // namespace

TEST_CASE("text sketches: shingles") {
  CHECK(vh::shingle_hashes("", 3).empty());
  CHECK(vh::shingle_hashes("a b", 3).size() == 1);
  CHECK(vh::shingle_hashes("a b c d", 3).size() == 2);
  CHECK(vh::shingle_hashes("a  b c d ", 3).size() == 2);  // extra spaces separate words too
  CHECK(vh::shingle_hashes("a b c", 1).size() == 3);
  CHECK(vh::shingle_hashes("a b c", 3)[0] != vh::shingle_hashes("a b d", 3)[0]);
}

TEST_CASE("text sketches: SIMD equals scalar reference") {
  std::mt19937 rng(3);
  for (const std::string& text : {std::string(kParagraph), std::string(kUnrelated), std::string("one"), std::string("")}) {
    for (int k : {1, 2, 3}) {
      CHECK(vh::simhash64(text, k) == scalar_simhash(text, k));
      CHECK(vh::minhash(text, k) == scalar_minhash(text, k));
    }
  }
  CHECK(vh::simhash64("") == 0);
}

TEST_CASE("text sketches: measured similarity examples") {
  std::mt19937 rng(11);
  const std::string base = kParagraph;
  const auto sh = vh::simhash64(base);
  const auto mh = vh::minhash(base);
  const std::string one = replace_words(base, 1, rng), five = replace_words(base, 5, rng);
  const std::string embedded = std::string(kUnrelated) + " " + base;
  const int d_one = vh::hamming_distance(sh, vh::simhash64(one));
  const int d_five = vh::hamming_distance(sh, vh::simhash64(five));
  const int d_emb = vh::hamming_distance(sh, vh::simhash64(embedded));
  const int d_unrel = vh::hamming_distance(sh, vh::simhash64(kUnrelated));
  const double j_one = mh.similarity(vh::minhash(one)), j_five = mh.similarity(vh::minhash(five));
  const double j_emb = mh.similarity(vh::minhash(embedded)), j_unrel = mh.similarity(vh::minhash(kUnrelated));
  MESSAGE("simhash distance: 1 word " << d_one << ", 5 words " << d_five << ", embedded " << d_emb
                                      << ", unrelated " << d_unrel);
  MESSAGE("minhash similarity: 1 word " << j_one << ", 5 words " << j_five << ", embedded " << j_emb
                                        << ", unrelated " << j_unrel);
  CHECK(d_one <= 8);
  CHECK(d_five < d_unrel);
  CHECK(d_unrel >= 20);
  CHECK(j_one >= 0.75);
  CHECK(j_five > j_unrel);
  CHECK(j_emb >= 0.3);
  CHECK(j_unrel <= 0.1);
}

TEST_CASE("text sketches: MinHash estimates Jaccard on sets of known overlap") {
  for (int shared : {100, 300, 600}) {
    // Two 800-word texts of distinct words sharing `shared` words: J = shared / (1600 - shared).
    std::vector<std::string> a, b;
    for (int i = 0; i < 800; ++i) a.push_back("w" + std::to_string(i));
    for (int i = 0; i < 800; ++i) b.push_back(i < shared ? a[i] : "v" + std::to_string(i));
    const double truth = shared / (1600.0 - shared);
    const double est = vh::minhash(join(a), 1).similarity(vh::minhash(join(b), 1));
    CAPTURE(truth);
    CHECK(std::abs(est - truth) < 0.15);
  }
}

TEST_CASE("text sketches: LSH index and SimHash bank index") {
  std::mt19937 rng(5);
  vb::MinHashIndex index;
  vb::MihIndex64 simhashes;
  index.add(vh::minhash(kUnrelated));
  simhashes.add({vh::simhash64(kUnrelated)});
  for (int i = 0; i < 200; ++i) {
    const std::string filler = replace_words(kUnrelated, 30, rng);
    index.add(vh::minhash(filler));
    simhashes.add({vh::simhash64(filler)});
  }
  const auto target = index.add(vh::minhash(kParagraph));
  simhashes.add({vh::simhash64(kParagraph)});
  const std::string probe = replace_words(kParagraph, 1, rng);
  const auto hits = index.query(vh::minhash(probe), 0.5);
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].index == target);
  // The SimHash index finds the post exactly when a probe is within the radius, and then as the
  // nearest entry (the 200 fillers are near-duplicates of an unrelated text). Whether a given
  // one-word edit stays within 6 bits depends on how close the post's vote totals are to zero
  // (for this post about half of them do); the next test case measures that rate over many
  // texts. So: 20 edits, each found exactly when within 6 bits, and some found.
  int found = 0;
  for (int edit = 0; edit < 20; ++edit) {
    const std::uint64_t probe_simhash = vh::simhash64(replace_words(kParagraph, 1, rng));
    const auto near = simhashes.query({probe_simhash}, 6);
    CHECK(near.empty() == (vh::hamming_distance(probe_simhash, vh::simhash64(kParagraph)) > 6));
    if (near.empty()) continue;
    ++found;
    CHECK(near.back().index == target);
  }
  CHECK(found >= 3);
  CHECK_THROWS(vb::MinHashIndex(3));
}

TEST_CASE("text sketches: SimHash distances of edits over many texts") {
  // 400 random 58-word texts (words from the two paragraphs above, with a digit so that texts
  // differ): the averages are properties of SimHash with a random-like feature hash, not of one
  // text. Measured with the current feature hash: one replaced word 4.9 bits (within the bank
  // radius 6 for 77% of texts), five 11.6, an unrelated text 31 (random: 32); XXH3-64 features
  // give the same within sampling error (4.9, 11.4, 31; 77%).
  std::mt19937 rng(99);
  auto vocabulary = words_of(std::string(kParagraph) + " " + kUnrelated);
  const auto random_text = [&] {
    std::vector<std::string> w;
    for (int j = 0; j < 58; ++j) w.push_back(vocabulary[rng() % vocabulary.size()] + std::to_string(rng() % 3));
    return join(w);
  };
  constexpr int kTexts = 400;
  double one = 0, five = 0, unrelated = 0;
  int within = 0;
  for (int t = 0; t < kTexts; ++t) {
    const std::string text = random_text();
    const std::uint64_t h = vh::simhash64(text);
    const int d = vh::hamming_distance(h, vh::simhash64(replace_words(text, 1, rng)));
    one += d;
    within += d <= 6;
    five += vh::hamming_distance(h, vh::simhash64(replace_words(text, 5, rng)));
    unrelated += vh::hamming_distance(h, vh::simhash64(random_text()));
  }
  one /= kTexts;
  five /= kTexts;
  unrelated /= kTexts;
  MESSAGE("mean simhash distance: 1 word " << one << ", 5 words " << five << ", unrelated " << unrelated
                                           << "; 1 word within 6: " << within << "/" << kTexts);
  CHECK(one < 5.5);
  CHECK(five < 13);
  CHECK(unrelated > 29);
  CHECK(unrelated < 34);
  CHECK(within >= kTexts * 7 / 10);
}

// Multi-index hashing: exact against brute force on random, clustered, skewed (bucket groups past
// 16-bit offsets) and reference data, and through the add/tail/rebuild paths.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "vigil/bank/flat_index.hpp"
#include "vigil/bank/mih_index.hpp"
#include "vigil/hash/hamming_scan.hpp"
#include "mih_test_support.hpp"

namespace {

namespace vh = vigil::hash;
namespace vb = vigil::bank;

using mih_test::brute_force;
using mih_test::flip;
using mih_test::same;

/// Clustered codes: centres with members a few to many bits away, plus uniform noise.
template <std::size_t W>
std::vector<std::array<std::uint64_t, W>> clustered(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::array<std::uint64_t, W>> codes;
  std::array<std::uint64_t, W> centre{};
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 50 == 0 || rng() % 7 == 0) {
      for (auto& w : centre) w = rng();
      codes.push_back(centre);
    } else {
      codes.push_back(flip(centre, static_cast<int>(rng() % (W == 4 ? 70 : 16)), rng));
    }
  }
  return codes;
}

}  // namespace

TEST_CASE("mih: 256-bit exact against brute force (random + clustered, radius 0..80)") {
  std::mt19937_64 rng(1234);
  for (int trial = 0; trial < 2; ++trial) {
    auto codes = clustered<4>(trial == 0 ? 3000 : 40000, rng);
    vb::MihIndex256 index;
    index.add_many(codes);
    // Some codes added one by one (the tail path and automatic re-indexing).
    for (int i = 0; i < 5000; ++i) {
      codes.push_back(flip(codes[rng() % codes.size()], static_cast<int>(rng() % 40), rng));
      index.add(codes.back());
    }
    for (auto strategy : {vb::MihStrategy::automatic, vb::MihStrategy::always_probe}) {
      index.set_strategy(strategy);
      for (int radius : {0, 1, 15, 16, 31, 32, 47, 63, 80}) {
        for (int k = 0; k < 12; ++k) {
          const auto q = flip(codes[rng() % codes.size()], static_cast<int>(rng() % 48), rng);
          CAPTURE(radius);
          CHECK(same(index.query(q, radius), brute_force(codes, q, radius)));
        }
      }
    }
  }
}

TEST_CASE("mih: 64-bit exact against brute force") {
  std::mt19937_64 rng(99);
  auto codes = clustered<1>(20000, rng);
  vb::MihIndex64 index;
  for (const auto& c : codes) index.add(c);  // one by one
  index.set_strategy(vb::MihStrategy::always_probe);
  for (int radius : {0, 2, 3, 4, 7, 10, 16, 24}) {
    for (int k = 0; k < 20; ++k) {
      const auto q = flip(codes[rng() % codes.size()], static_cast<int>(rng() % 10), rng);
      CAPTURE(radius);
      CHECK(same(index.query(q, radius), brute_force(codes, q, radius)));
    }
  }
}

TEST_CASE("mih: every kernel set gives the same answers") {
  std::mt19937_64 rng(5);
  const auto codes = clustered<4>(20000, rng);
  vb::MihIndex256 index;
  index.add_many(codes);
  for (const auto& name : vh::kernel_names()) {
    const auto* set = vh::find_kernels(name);
    if (!set) continue;
    CAPTURE(name);
    for (int radius : {31, 63}) {
      const auto q = flip(codes[rng() % codes.size()], 20, rng);
      CHECK(same(index.query(q, radius, *set), brute_force(codes, q, radius)));
    }
  }
}

TEST_CASE("mih: reference needles x haystack (250 pairs within 31)") {
  const std::string dir = std::string(VIGIL_SHARED_DIR) + "/testdata/pdq/upstream/data/reg-test-input/";
  const auto read = [](const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::array<std::uint64_t, 4>> out;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) out.push_back(vh::Hash256::from_hex(line.substr(0, 64)).words);
    }
    return out;
  };
  const auto needles = read(dir + "needles.txt");
  const auto haystack = read(dir + "haystack.txt");
  REQUIRE(needles.size() == 100);
  REQUIRE(haystack.size() == 1350);
  vb::MihIndex256 index;
  index.add_many(haystack);
  index.set_strategy(vb::MihStrategy::always_probe);
  const std::pair<int, std::size_t> expected[] = {{0, 50}, {16, 152}, {31, 250}, {32, 250}, {47, 287}, {63, 352}};
  for (const auto& [radius, pairs] : expected) {
    std::size_t total = 0, brute = 0;
    for (const auto& n : needles) {
      total += index.query(n, radius).size();
      brute += brute_force(haystack, n, radius).size();
    }
    CAPTURE(radius);
    CHECK(total == pairs);
    CHECK(brute == pairs);
  }
}

TEST_CASE("flat index agrees with MIH and brute force") {
  std::mt19937_64 rng(21);
  const auto codes = clustered<4>(9000, rng);
  vb::MihIndex256 mih;
  vb::FlatIndex256 flat;
  mih.add_many(codes);
  for (const auto& c : codes) flat.add(vh::Hash256{c});
  std::vector<vh::Hash256> queries;
  for (int k = 0; k < 8; ++k) queries.push_back(vh::Hash256{flip(codes[rng() % codes.size()], k * 5, rng)});
  for (int radius : {0, 31, 63}) {
    const auto batch = flat.query_batch(queries, radius);
    for (std::size_t k = 0; k < queries.size(); ++k) {
      const auto expected = brute_force(codes, queries[k].words, radius);
      CHECK(same(flat.query(queries[k], radius), expected));
      CHECK(same(batch[k], expected));
      CHECK(same(mih.query(queries[k].words, radius), expected));
    }
  }
}

namespace {

constexpr std::size_t kGroupSize = vb::detail::BucketStarts::kGroupSize;

/// Queries near stored codes (and a few random ones), checked against brute force.
template <std::size_t W>
void check_against_brute_force(const vb::MihIndex<W>& index,
                               const std::vector<std::array<std::uint64_t, W>>& codes,
                               std::initializer_list<int> radii, int queries, std::mt19937_64& rng) {
  for (int radius : radii) {
    for (int k = 0; k < queries; ++k) {
      auto q = codes[rng() % codes.size()];
      if (k % 5 == 4) {
        for (auto& w : q) w = rng();
      } else {
        q = flip(q, static_cast<int>(rng() % (W == 4 ? 32 : 8)), rng);
      }
      CAPTURE(radius);
      CAPTURE(k);
      REQUIRE(same(index.query(q, radius), brute_force(codes, q, radius)));
    }
  }
}

/// A 64-bit code whose table-`t` substring is `bucket`; its other substrings are random in the
/// upper half of the buckets, so the lower-half groups hold exactly what a test puts there.
std::array<std::uint64_t, 1> code_in_bucket(int t, std::uint32_t bucket, std::mt19937_64& rng) {
  std::uint64_t c = 0;
  for (int s = 0; s < 4; ++s) {
    const std::uint64_t sub = s == t ? bucket : (0x8000u | (rng() & 0x7FFFu));
    c |= sub << (16 * s);
  }
  return {c};
}

}  // namespace

TEST_CASE("mih: skewed 64-bit bank, groups past 16-bit offsets (exact counts at the boundary)") {
  std::mt19937_64 rng(77);
  std::vector<std::array<std::uint64_t, 1>> codes;
  const auto put = [&](int t, std::uint32_t first_bucket, std::uint32_t buckets, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      codes.push_back(code_in_bucket(t, first_bucket + static_cast<std::uint32_t>(i % buckets), rng));
    }
  };
  put(0, 0, 1, 70000);                       // one bucket, first of its group: dense
  put(1, 4 * kGroupSize + 63, 1, 70000);     // one bucket, last of its group: 16-bit offsets still fit
  put(2, 7 * kGroupSize, 63, 66000);         // spread over a group's first 63 buckets: dense
  put(3, 9 * kGroupSize, 63, 65535);         // exactly the largest 16-bit offset: not dense
  put(3, 10 * kGroupSize, 63, 65536);        // one more: dense
  std::shuffle(codes.begin(), codes.end(), rng);
  vb::MihIndex64 index;
  index.add_many(codes);
  CHECK(index.dense_bucket_groups() == 3);

  // Every container counted: codes, the id map, 3-byte ids per table, the sparse starts and the
  // dense groups' 32-bit starts.
  const std::size_t n = codes.size();
  const std::size_t starts = vb::detail::BucketStarts::kGroups + 1;
  const std::size_t expected = n * 8 + n * 4 + 4 * n * 3 + 4 * (starts * 8 + (vb::detail::kBuckets + 1) * 2) +
                               3 * kGroupSize * 4;
  CHECK(index.memory_bytes() >= expected);
  CHECK(index.memory_bytes() < expected + expected / 100);

  for (auto strategy : {vb::MihStrategy::always_probe, vb::MihStrategy::automatic}) {
    index.set_strategy(strategy);
    check_against_brute_force(index, codes, {0, 3, 4, 7, 12}, 25, rng);
  }
}

TEST_CASE("mih: 256-bit bank with 70000 copies of one code (every table dense)") {
  std::mt19937_64 rng(78);
  const std::array<std::uint64_t, 4> zero{};  // e.g. the hash of blank images
  std::vector<std::array<std::uint64_t, 4>> codes(70000, zero);
  for (int i = 0; i < 30000; ++i) codes.push_back({rng(), rng(), rng(), rng()});
  for (int i = 0; i < 2000; ++i) codes.push_back(flip(zero, static_cast<int>(rng() % 40), rng));
  std::shuffle(codes.begin(), codes.end(), rng);
  vb::MihIndex256 index;
  index.add_many(codes);
  CHECK(index.dense_bucket_groups() == 16);  // group 0 of every table
  index.set_strategy(vb::MihStrategy::always_probe);
  for (int radius : {0, 5, 31}) CHECK(same(index.query(zero, radius), brute_force(codes, zero, radius)));
  check_against_brute_force(index, codes, {0, 16, 31, 40}, 8, rng);
}

TEST_CASE("mih: empty index") {
  vb::MihIndex256 index;
  const std::array<std::uint64_t, 4> q{1, 2, 3, 4};
  CHECK(index.empty());
  CHECK(index.query(q, 31).empty());
  CHECK(index.memory_bytes() >= sizeof(index));
  index.rebuild();  // tables over no codes
  index.add_many({});
  CHECK(index.dense_bucket_groups() == 0);
  for (auto strategy :
       {vb::MihStrategy::automatic, vb::MihStrategy::always_probe, vb::MihStrategy::always_scan}) {
    index.set_strategy(strategy);
    CHECK(index.query(q, 256).empty());
  }
  CHECK(index.add(q) == 0);  // then one code, found through the tail
  const std::vector<vh::HammingMatch> only_itself{vh::HammingMatch{0, 0}};
  CHECK(same(index.query(q, 0), only_itself));
  vb::MihIndex64 simhashes;
  CHECK(simhashes.query({7}, 64).empty());
}

TEST_CASE("mih: codes added one by one (tail, automatic re-indexing, rebuild) growing dense") {
  std::mt19937_64 rng(79);
  std::vector<std::array<std::uint64_t, 1>> codes;
  vb::MihIndex64 index;
  index.set_strategy(vb::MihStrategy::always_probe);
  // Random codes, then 75000 codes in one bucket: the tables are rebuilt several times on the way
  // and the bucket's group turns dense at some rebuild; every stage must stay exact.
  for (int stage = 0; stage < 6; ++stage) {
    for (int i = 0; i < 15000; ++i) {
      codes.push_back(stage == 0 ? std::array<std::uint64_t, 1>{rng()} : code_in_bucket(0, 5, rng));
      CHECK(index.add(codes.back()) == codes.size() - 1);
    }
    CAPTURE(stage);
    check_against_brute_force(index, codes, {0, 3, 7}, 6, rng);
  }
  index.rebuild();
  CHECK(index.dense_bucket_groups() == 1);
  check_against_brute_force(index, codes, {0, 3, 7, 11}, 10, rng);
}

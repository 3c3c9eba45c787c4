// Multi-index hashing: exact against brute force on random, clustered and reference data.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "vigil/bank/flat_index.hpp"
#include "vigil/bank/mih_index.hpp"
#include "vigil/hash/hamming_scan.hpp"

namespace {

namespace vh = vigil::hash;
namespace vb = vigil::bank;

template <std::size_t W>
std::vector<vh::HammingMatch> brute_force(const std::vector<std::array<std::uint64_t, W>>& codes,
                                          const std::array<std::uint64_t, W>& q, int radius) {
  std::vector<vh::HammingMatch> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    int d = 0;
    for (std::size_t w = 0; w < W; ++w) d += __builtin_popcountll(codes[i][w] ^ q[w]);
    if (d <= radius) out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(d)});
  }
  return out;
}

bool same(const std::vector<vh::HammingMatch>& a, const std::vector<vh::HammingMatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].distance != b[i].distance) return false;
  }
  return true;
}

template <std::size_t W>
std::array<std::uint64_t, W> flip(std::array<std::uint64_t, W> c, int bits, std::mt19937_64& rng) {
  for (int i = 0; i < bits; ++i) {
    const auto b = rng() % (64 * W);
    c[b / 64] ^= std::uint64_t{1} << (b % 64);
  }
  return c;
}

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

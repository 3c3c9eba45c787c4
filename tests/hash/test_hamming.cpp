// Hamming kernels: every kernel set the CPU supports gives exactly the scalar results.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "vigil/hash/hamming_scan.hpp"

namespace {

namespace vh = vigil::hash;

vh::Hash256 random_hash(std::mt19937_64& rng) {
  vh::Hash256 h;
  for (auto& w : h.words) w = rng();
  return h;
}

vh::Hash256 flip_bits(vh::Hash256 h, int count, std::mt19937_64& rng) {
  for (int i = 0; i < count; ++i) h.flip_bit(static_cast<int>(rng() % 256));
  return h;
}

bool same(const std::vector<vh::HammingMatch>& a, const std::vector<vh::HammingMatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].distance != b[i].distance) return false;
  }
  return true;
}

std::vector<const vh::HammingKernelTable*> available_sets() {
  std::vector<const vh::HammingKernelTable*> sets;
  for (const auto& name : vh::kernel_names()) {
    if (const auto* t = vh::find_kernels(name)) sets.push_back(t);
  }
  sets.push_back(vh::find_kernels("header"));
  return sets;
}

}  // namespace

TEST_CASE("hamming: kernel sets agree with scalar on random 256-bit codes") {
  std::mt19937_64 rng(42);
  const auto sets = available_sets();
  MESSAGE("kernel sets here: " << [&] {
    std::string s;
    for (auto* t : sets) s += std::string(t->name) + " ";
    return s;
  }() << "| active: " << std::string(vh::active_kernels().name));
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 100u, 4095u, 4097u, 10001u}) {
    vh::CodeArray256 codes;
    std::vector<vh::Hash256> plain;
    for (std::size_t i = 0; i < n; ++i) {
      // Mix of random codes and near-duplicates of earlier ones, so every radius sees hits.
      const vh::Hash256 h = (i > 0 && rng() % 3 == 0) ? flip_bits(plain[rng() % i], static_cast<int>(rng() % 80), rng)
                                                     : random_hash(rng);
      codes.push_back(h);
      plain.push_back(h);
    }
    for (std::size_t i = 0; i < n; ++i) REQUIRE(codes[i] == plain[i]);
    for (int radius : {0, 5, 31, 47, 63, 100, 128, 256}) {
      const vh::Hash256 q = n ? flip_bits(plain[rng() % n], static_cast<int>(rng() % 64), rng) : random_hash(rng);
      // Brute force by definition.
      std::vector<vh::HammingMatch> expected;
      for (std::size_t i = 0; i < n; ++i) {
        const int d = vh::hamming_distance(q, plain[i]);
        if (d <= radius) expected.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(d)});
      }
      std::vector<vh::Hash256> queries{q};
      for (int k = 0; k < 7; ++k) queries.push_back(n ? flip_bits(plain[rng() % n], k * 9, rng) : random_hash(rng));
      const auto scalar_batch = vh::range_scan_batch(codes, queries, radius, *vh::find_kernels("scalar"));
      CHECK(same(scalar_batch[0], expected));
      for (const auto* set : sets) {
        CAPTURE(set->name);
        CAPTURE(n);
        CAPTURE(radius);
        CHECK(same(vh::range_scan(codes, q, radius, *set), expected));
        const auto batch = vh::range_scan_batch(codes, queries, radius, *set);
        for (std::size_t k = 0; k < queries.size(); ++k) CHECK(same(batch[k], scalar_batch[k]));
      }
    }
  }
}

TEST_CASE("hamming: kernel sets agree with scalar on 64-bit codes and sub-ranges") {
  std::mt19937_64 rng(7);
  const auto sets = available_sets();
  std::vector<std::uint64_t> codes(5003);
  for (auto& c : codes) c = rng();
  for (std::size_t i = 1; i < codes.size(); i += 3) codes[i] = codes[i - 1] ^ (rng() & rng() & rng());
  for (int radius : {0, 3, 10, 20, 32, 64}) {
    const std::uint64_t q = codes[rng() % codes.size()] ^ (rng() & rng());
    const auto expected = vh::range_scan(codes, q, radius, *vh::find_kernels("scalar"));
    for (const auto* set : sets) {
      CAPTURE(set->name);
      CHECK(same(vh::range_scan(codes, q, radius, *set), expected));
      // Unaligned sub-range directly through the kernel.
      std::vector<vh::HammingMatch> a(codes.size()), b(codes.size());
      const std::size_t na = set->scan64(codes.data(), 3, 4001, q, static_cast<std::uint32_t>(radius), a.data());
      const std::size_t nb = vh::find_kernels("scalar")->scan64(codes.data(), 3, 4001, q,
                                                               static_cast<std::uint32_t>(radius), b.data());
      a.resize(na);
      b.resize(nb);
      CHECK(same(a, b));
    }
  }
}

TEST_CASE("hamming: forcing kernels") {
  CHECK(vh::force_kernels("scalar"));
  CHECK(std::string(vh::active_kernels().name) == "scalar");
  CHECK_FALSE(vh::force_kernels("no-such-isa"));
  CHECK(std::string(vh::active_kernels().name) == "scalar");
  CHECK(vh::force_kernels(""));
  CHECK(std::string(vh::active_kernels().name) == vh::best_kernels().name);
  vh::Hash256 a, b;
  b.set_bit(3);
  b.set_bit(200);
  CHECK(vh::hamming_distance(a, b) == 2);
  CHECK(vh::hamming_distance(std::uint64_t{0xff}, std::uint64_t{0x0f}) == 4);
  CHECK(vh::range_scan(vh::CodeArray256{}, a, 31).empty());
  vh::CodeArray256 one;
  one.push_back(b);
  CHECK(vh::range_scan(one, a, -1).empty());
  CHECK(vh::range_scan(one, a, 1000).size() == 1);
}

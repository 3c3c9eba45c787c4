// Text kernels (SimHash, MinHash, XXH3-128 per instruction set): every set the CPU supports gives
// exactly the reference values on texts built to hit the tokenizer's edge cases (64-byte chunk
// boundaries, runs of spaces, long words, batches of words, fewer words than the shingle size);
// the SimHash feature hash matches its definition at every shingle length and behaves like a
// random function; the MinHash estimate keeps the accuracy the theory promises.
#include <doctest/doctest.h>

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "vigil/hash/digest.hpp"
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/simhash.hpp"

namespace vh = vigil::hash;

namespace {

std::vector<const vh::TextKernelTable*> text_sets() {
  std::vector<const vh::TextKernelTable*> sets{vh::find_text_kernels("header")};
  for (const auto& name : vh::kernel_names()) {
    if (const auto* t = vh::find_text_kernels(name)) sets.push_back(t);
  }
  return sets;
}

/// Random words of 1..`max_word` letters separated by 1..`max_gap` spaces, optionally padded.
std::string random_text(std::mt19937& rng, std::size_t words, int max_word, int max_gap, bool pad) {
  std::string t = pad ? std::string(rng() % 70, ' ') : std::string();
  for (std::size_t w = 0; w < words; ++w) {
    if (w) t += std::string(1 + rng() % static_cast<unsigned>(max_gap), ' ');
    const auto len = 1 + rng() % static_cast<unsigned>(max_word);
    for (unsigned i = 0; i < len; ++i) t.push_back(static_cast<char>('a' + rng() % 26));
  }
  if (pad) t += std::string(rng() % 70, ' ');
  return t;
}

std::vector<std::string> edge_texts() {
  std::vector<std::string> texts{"", " ", "     ", "a", " a", "a ", "ab cd", std::string(64, 'x'),
                                 std::string(63, 'x') + " y", std::string(64, 'x') + " y",
                                 std::string(65, 'x') + " y", std::string(63, ' ') + "z",
                                 std::string(200, 'q') + " " + std::string(100, 'r'), std::string(128, ' ') + "a b"};
  std::mt19937 rng(17);
  for (std::size_t words : {1u, 2u, 3u, 5u, 63u, 64u, 65u, 255u, 256u, 257u, 600u, 2000u}) {
    texts.push_back(random_text(rng, words, 9, 1, false));
    texts.push_back(random_text(rng, words, 30, 4, true));
    texts.push_back(random_text(rng, words, 2, 1, false));  // many words per 64 bytes
  }
  return texts;
}

}  // namespace

TEST_CASE("text kernels: every set equals the reference SimHash and MinHash") {
  const auto sets = text_sets();
  REQUIRE(sets.size() >= 1);
  for (const std::string& text : edge_texts()) {
    for (std::size_t k : {1u, 2u, 3u, 5u, 64u}) {
      const std::uint64_t sim = vh::detail::simhash64_reference(text, static_cast<int>(k));
      const vh::MinHashSignature mh = vh::detail::minhash_reference(text, static_cast<int>(k));
      const auto& p = vh::detail::minhash_parameters();
      for (const auto* set : sets) {
        CAPTURE(set->name);
        CAPTURE(text.size());
        CAPTURE(k);
        CHECK(set->simhash64(text.data(), text.size(), k) == sim);
        vh::MinHashSignature got;
        set->minhash128(text.data(), text.size(), k, p.seed.data(), p.multiplier.data(), got.slots.data());
        CHECK(got == mh);
      }
    }
  }
}

TEST_CASE("text kernels: SimHash on groups mixing short and long shingles, ties and counter widths") {
  // Long (> 16-byte) shingles at every position of a SIMD group and in the last, partial group;
  // texts whose feature counts straddle 255 (the byte counters' capacity) with every bit's vote
  // tied (two words repeated, so each differing bit gets exactly half the votes: bit clear).
  std::mt19937 rng(41);
  std::vector<std::string> texts;
  for (std::size_t words = 1; words <= 40; ++words) {
    std::string t;
    for (std::size_t w = 0; w < words; ++w) {
      if (w) t += ' ';
      t += std::string(rng() % 4 == 0 ? 12 + rng() % 10 : 1 + rng() % 5, static_cast<char>('a' + rng() % 26));
    }
    texts.push_back(t);
  }
  for (std::size_t words : {2u, 254u, 255u, 256u, 510u, 511u, 512u, 766u}) {
    std::string t;
    for (std::size_t w = 0; w < words; ++w) t += w % 2 ? "beta " : "alpha ";
    texts.push_back(t);
  }
  const auto sets = text_sets();
  for (const std::string& text : texts) {
    for (std::size_t k : {1u, 2u, 3u}) {
      const std::uint64_t want = vh::detail::simhash64_reference(text, static_cast<int>(k));
      for (const auto* set : sets) {
        CAPTURE(set->name);
        CAPTURE(text);
        CAPTURE(k);
        CHECK(set->simhash64(text.data(), text.size(), k) == want);
      }
    }
  }
}

TEST_CASE("text kernels: SimHash vote counting gives the same bits through 64-bit totals") {
  // The 32-bit totals spill into 64-bit ones only after ~4 billion features; a small spill limit
  // runs that path here. Every variant must equal a direct count of the +1/-1 votes.
  struct Tag {};
  using Counters = vh::detail::SimHashCountersSwar<Tag>;
  std::mt19937_64 rng(43);
  for (std::size_t count : {1u, 2u, 254u, 255u, 256u, 700u, 3000u}) {
    std::vector<std::uint64_t> hashes(count);
    for (auto& h : hashes) h = rng() & rng();  // biased bits, so votes are not all near zero
    if (count % 4 == 0) {  // second half the complement of the first: every vote tied, no bit set
      for (std::size_t i = count / 2; i < count; ++i) hashes[i] = ~hashes[i - count / 2];
    }
    std::uint64_t want = 0;
    for (int b = 0; b < 64; ++b) {
      std::int64_t votes = 0;
      for (const std::uint64_t h : hashes) votes += (h >> b) & 1 ? 1 : -1;
      want |= static_cast<std::uint64_t>(votes > 0) << b;
    }
    vh::detail::SimHashCounting<Counters> plain;
    vh::detail::SimHashCounting<Counters, 0> spill_every_drain;
    vh::detail::SimHashCounting<Counters, 600> spill_sometimes;
    for (std::size_t at = 0; at < count; at += 100) {  // consume() in pieces, as hash_shingles does
      const std::size_t piece = std::min<std::size_t>(100, count - at);
      plain.consume(hashes.data() + at, piece);
      spill_every_drain.consume(hashes.data() + at, piece);
      spill_sometimes.consume(hashes.data() + at, piece);
    }
    CAPTURE(count);
    CHECK(plain.finish() == want);
    CHECK(spill_every_drain.finish() == want);
    CHECK(spill_sometimes.finish() == want);
  }
}

TEST_CASE("text kernels: SimHash feature hash at every shingle length, bytes >= 0x80 included") {
  // One word of L bytes (no spaces) is one feature, so simhash64(word, 1) is its feature hash:
  // every set must give simhash_feature_hash. Both load paths are covered: the word at the very
  // end of the text (fewer than 16 bytes left to read) and followed by spaces (16 read in place).
  std::mt19937 rng(37);
  const auto sets = text_sets();
  for (std::size_t len = 0; len <= 40; ++len) {
    for (int trial = 0; trial < 8; ++trial) {
      std::string word;
      for (std::size_t i = 0; i < len; ++i) {
        const auto byte = static_cast<unsigned char>(trial % 2 ? 0x80 + rng() % 0x80 : 0x21 + rng() % 0xDF);
        word.push_back(static_cast<char>(byte));  // never a space
      }
      const std::uint64_t want = len == 0 ? 0 : vh::simhash_feature_hash(word.data(), word.size());
      for (const std::string& text : {word, word + std::string(20, ' '), std::string(len % 7, ' ') + word}) {
        for (const auto* set : sets) {
          CAPTURE(set->name);
          CAPTURE(len);
          CHECK(set->simhash64(text.data(), text.size(), 1) == want);
        }
      }
      // Multi-word texts with shingles around 16 bytes: kernels equal the reference.
      const std::string text = word + " " + word.substr(0, len / 2) + " x " + word;
      for (std::size_t k : {1u, 2u, 3u}) {
        const std::uint64_t ref = vh::detail::simhash64_reference(text, static_cast<int>(k));
        for (const auto* set : sets) CHECK(set->simhash64(text.data(), text.size(), k) == ref);
      }
    }
  }
}

TEST_CASE("text kernels: SimHash feature hash golden values") {
  // The definition in shingles.hpp pins these values (banks store SimHashes made from them).
  // Recomputed from the reference (simhash_feature_hash) when the short hash was introduced;
  // 16 bytes and less take the short hash, 17 and more XXH3-64 with kShingleSeed.
  const std::pair<std::string, std::uint64_t> golden[] = {
      {"", 0x3e348b66b462ce14ULL},
      {"a", 0x90c1516dd1256250ULL},
      {"join the", 0x7f331c3fa825bb07ULL},
      {"the caravan", 0x842cd03d35aac141ULL},
      {"brothers of the", 0x1cbe70510b098401ULL},
      {"0123456789abcdef", 0xeb2325ac4faeef6fULL},
      {"0123456789abcdefg", 0xb5d8a1d9090b95f2ULL},
      {"\xd8\xa7\xd9\x84\xd8\xac\xd9\x87\xd8\xa7\xd8\xaf", 0xa12c32f8f4eb6f7aULL},
  };
  for (const auto& [text, want] : golden) {
    CAPTURE(text);
    CHECK(vh::simhash_feature_hash(text.data(), text.size()) == want);
  }
  CHECK(vh::simhash_feature_hash("0123456789abcdefg", 17) == XXH3_64bits_withSeed("0123456789abcdefg", 17, vh::kShingleSeed));
  CHECK(vh::detail::simhash64_reference("join the brothers of the eastern front today", 2) == 0x6ac2696da83b2093ULL);
}

TEST_CASE("text kernels: SimHash feature hash bits are unbiased, independent and avalanche") {
  // What SimHash needs from its feature hash, per input length 1..40: over distinct inputs each
  // output bit is set half the time, pairs of bits are uncorrelated, and flipping any one input
  // bit flips each output bit with probability 1/2. Bounds are 6 or more standard errors wide.
  // One-byte inputs: all 256 of them; longer: 600 random ones.
  std::mt19937_64 rng(41);
  for (std::size_t len = 1; len <= 40; ++len) {
    CAPTURE(len);
    const int inputs = len == 1 ? 256 : 600;
    int ones[64] = {};
    std::vector<std::uint64_t> hashes;
    std::vector<int> flips(len * 8 * 64, 0);
    for (int t = 0; t < inputs; ++t) {
      std::string in(len, '\0');
      for (auto& c : in) c = static_cast<char>(len == 1 ? t : static_cast<int>(rng()));
      const std::uint64_t h = vh::simhash_feature_hash(in.data(), len);
      hashes.push_back(h);
      for (int b = 0; b < 64; ++b) ones[b] += static_cast<int>((h >> b) & 1);
      for (std::size_t bit = 0; bit < len * 8; ++bit) {
        std::string flipped = in;
        flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
        const std::uint64_t d = h ^ vh::simhash_feature_hash(flipped.data(), len);
        for (int b = 0; b < 64; ++b) flips[bit * 64 + b] += static_cast<int>((d >> b) & 1);
      }
    }
    const double se = 0.5 / std::sqrt(static_cast<double>(inputs));  // standard error of a fraction near 1/2
    double worst_bias = 0, worst_flip = 0, worst_corr = 0;
    for (int b = 0; b < 64; ++b) worst_bias = std::max(worst_bias, std::abs(ones[b] / static_cast<double>(inputs) - 0.5));
    for (int f : flips) worst_flip = std::max(worst_flip, std::abs(f / static_cast<double>(inputs) - 0.5));
    for (int a = 0; a < 64; ++a) {
      for (int b = a + 1; b < 64; ++b) {
        int agree = 0;
        for (auto h : hashes) agree += static_cast<int>(((h >> a) ^ (h >> b) ^ 1) & 1);
        worst_corr = std::max(worst_corr, std::abs(agree / static_cast<double>(inputs) - 0.5));
      }
    }
    CAPTURE(worst_bias);
    CAPTURE(worst_flip);
    CAPTURE(worst_corr);
    CHECK(worst_bias < 6 * se);
    CHECK(worst_corr < 6 * se);
    CHECK(worst_flip < 7 * se);
  }
}

TEST_CASE("text kernels: XXH3-128 equals the xxHash library at every length class") {
  std::mt19937 rng(23);
  std::string data(300000, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  std::vector<std::size_t> sizes;
  for (std::size_t n = 0; n <= 300; ++n) sizes.push_back(n);
  for (std::size_t n : {1023u, 1024u, 4096u, 100000u, 299999u}) sizes.push_back(n);
  for (const auto* set : text_sets()) {
    CAPTURE(set->name);
    for (std::size_t n : sizes) {
      CAPTURE(n);
      XXH128_canonical_t want;
      XXH128_canonicalFromHash(&want, XXH3_128bits(data.data() + 1, n));  // unaligned start
      std::uint8_t got[16];
      set->xxh3_128(data.data() + 1, n, got);
      CHECK(std::equal(got, got + 16, want.digest));
    }
  }
}

TEST_CASE("text kernels: shingles longer than the kernels take use the reference path") {
  std::mt19937 rng(29);
  const std::string text = random_text(rng, 300, 6, 1, false);
  CHECK(vh::simhash64(text, 65) == vh::detail::simhash64_reference(text, 65));
  CHECK(vh::minhash(text, 100) == vh::detail::minhash_reference(text, 100));
  CHECK(vh::simhash64(text, 0) == vh::simhash64(text, 1));  // k < 1 means 1
}

TEST_CASE("text kernels: forcing a set switches the text kernels too") {
  CHECK(vh::force_kernels("scalar"));
  CHECK(std::string(vh::active_text_kernels().name) == "header");
  const auto best = std::string(vh::best_text_kernels().name);
  CHECK(vh::force_kernels(""));
  CHECK(std::string(vh::active_text_kernels().name) == best);
  if (vh::find_text_kernels("avx2") != nullptr) {
    CHECK(vh::force_kernels("avx2"));
    CHECK(std::string(vh::active_text_kernels().name) == "avx2");
    CHECK(vh::to_hex(vh::xxh3_128("")) == "99aa06d3014798d86001c324468d497f");
    CHECK(vh::force_kernels(""));
  }
}

TEST_CASE("text kernels: MinHash estimate error matches sqrt(J(1-J)/128)") {
  // Pairs of random word sets of known Jaccard similarity; the RMS error of the estimate over
  // 300 pairs must be within 20% of the theoretical standard error (sampling noise of an RMS
  // over 300 pairs is about 4%), and the mean error small.
  std::mt19937 rng(31);
  for (std::size_t size : {20u, 60u, 300u}) {
    for (double jaccard : {0.1, 0.5, 0.8}) {
      const auto shared = static_cast<std::size_t>(std::lround(2.0 * size * jaccard / (1 + jaccard)));
      const double truth = static_cast<double>(shared) / static_cast<double>(2 * size - shared);
      double squared = 0, bias = 0;
      constexpr int kPairs = 300;
      for (int pair = 0; pair < kPairs; ++pair) {
        std::string a, b;
        for (std::size_t i = 0; i < size; ++i) {
          const std::string common = "w" + std::to_string(rng());
          a += common + " ";
          b += (i < shared ? common : "v" + std::to_string(rng())) + " ";
        }
        const double error = vh::minhash(a, 1).similarity(vh::minhash(b, 1)) - truth;
        squared += error * error;
        bias += error;
      }
      const double rms = std::sqrt(squared / kPairs), theory = std::sqrt(truth * (1 - truth) / 128);
      CAPTURE(size);
      CAPTURE(truth);
      CAPTURE(rms);
      CAPTURE(theory);
      CHECK(rms < 1.2 * theory);
      CHECK(std::abs(bias / kPairs) < 0.01);
    }
  }
}

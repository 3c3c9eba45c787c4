// vigil: MinHash signatures (Broder 1997) of the word-shingle set of normalised text.
//
// What it detects: texts sharing a large fraction of their shingles — re-posts with edits,
// excerpts padded with other text, reordered paragraphs. For shingle sets A and B each of the 128
// slots agrees with probability J = |A n B| / |A u B| (Jaccard similarity), so the fraction of
// equal slots estimates J with standard error <= sqrt(J(1-J)/128) (<= 0.045). Default shingles
// are 3 words: word order matters locally, single-word swaps remove 3 shingles.
//
// Measured on a 58-word paragraph (tests/hash/test_text_sketch.cpp; averages of 50 random edits):
//   shingles  1 word replaced  5 replaced  pasted after 50 unrelated words  unrelated text
//   3 words   0.91             0.64        0.46 (true Jaccard: 0.52)        0.00
//   1 word    0.96             0.83        0.52                             0.02
// Lookup: minhash_index.hpp (LSH banding, then the estimate; threshold 0.5 by default).
//
// Slot i maps each shingle's hash x (XXH3-64 folded to 32 bits: low ^ high) to
// (x ^ seed_i) * multiplier_i mod 2^32 (odd multiplier: a bijection) and keeps the minimum. The
// inputs are already uniformly random hashes, so one xor and one multiply per slot suffice: on
// random sets of 20-300 shingles the estimate's RMS error matches sqrt(J(1-J)/128) within
// sampling noise, as did the earlier two-round mixing (tests/hash/test_text_sketch.cpp measures
// it), at less than half the work. The 128 slots are computed in SIMD batches across slots by the
// text kernel set of the CPU (AVX-512: 16 slots per instruction; text_kernels.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/hash/shingles.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

inline constexpr std::size_t kMinHashSlots = 128;

/// 128 minima; an empty text gives all 0xFFFFFFFF.
struct MinHashSignature {
  std::array<std::uint32_t, kMinHashSlots> slots;

  /// Estimated Jaccard similarity: the fraction of equal slots.
  double similarity(const MinHashSignature& other) const noexcept {
    std::size_t same = 0;
    for (std::size_t i = 0; i < kMinHashSlots; ++i) same += slots[i] == other.slots[i];
    return static_cast<double>(same) / kMinHashSlots;
  }
  friend bool operator==(const MinHashSignature& a, const MinHashSignature& b) { return a.slots == b.slots; }
};

namespace detail {

/// Fixed per-slot seeds and odd multipliers (splitmix64 stream): signatures are stable across
/// builds and machines, so they can be stored in bank files.
struct MinHashParameters {
  alignas(64) std::array<std::uint32_t, kMinHashSlots> seed;
  alignas(64) std::array<std::uint32_t, kMinHashSlots> multiplier;

  MinHashParameters() {
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    const auto next = [&state] {
      std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    for (std::size_t i = 0; i < kMinHashSlots; ++i) {
      const std::uint64_t r = next();
      seed[i] = static_cast<std::uint32_t>(r);
      multiplier[i] = static_cast<std::uint32_t>(r >> 32) | 1U;
    }
  }
};

inline const MinHashParameters& minhash_parameters() {
  static const MinHashParameters p;
  return p;
}

}  // namespace detail

/// Accumulates shingle hashes into a signature, kLanes slots per SIMD step.
template <class Arch = xsimd::default_arch>
class MinHasher {
 public:
  using batch = xsimd::batch<std::uint32_t, Arch>;
  static constexpr std::size_t kLanes = batch::size;

  MinHasher() { reset(); }

  void reset() {
    for (auto& m : minima_) m = batch(0xFFFFFFFFU);
  }

  void add(std::uint64_t shingle_hash) {
    const detail::MinHashParameters& p = detail::minhash_parameters();
    const batch x(static_cast<std::uint32_t>(shingle_hash ^ (shingle_hash >> 32)));
    for (std::size_t c = 0; c < kMinHashSlots / kLanes; ++c) {
      const batch h = (x ^ batch::load_aligned(&p.seed[c * kLanes])) * batch::load_aligned(&p.multiplier[c * kLanes]);
      minima_[c] = xsimd::min(minima_[c], h);
    }
  }

  MinHashSignature finish() const {
    MinHashSignature s;
    for (std::size_t c = 0; c < kMinHashSlots / kLanes; ++c) minima_[c].store_unaligned(&s.slots[c * kLanes]);
    return s;
  }

 private:
  batch minima_[kMinHashSlots / kLanes];
};

namespace detail {
/// One shingle at a time through MinHasher (also the path for very long shingles).
inline MinHashSignature minhash_reference(std::string_view text, int words_per_shingle) {
  MinHasher<> hasher;
  for_each_shingle(text, words_per_shingle, [&](std::uint64_t h) { hasher.add(h); });
  return hasher.finish();
}
}  // namespace detail

/// MinHash signature of the k-word shingle set of `text` (default 3-word shingles). Runs on the
/// active text kernels (kernel_dispatch.hpp); every kernel set gives the same signature.
inline MinHashSignature minhash(std::string_view text, int words_per_shingle = 3) {
  const std::size_t k = words_per_shingle < 1 ? 1 : static_cast<std::size_t>(words_per_shingle);
  if (k > kMaxKernelShingleWords) return detail::minhash_reference(text, words_per_shingle);
  const detail::MinHashParameters& p = detail::minhash_parameters();
  MinHashSignature s;
  active_text_kernels().minhash128(text.data(), text.size(), k, p.seed.data(), p.multiplier.data(), s.slots.data());
  return s;
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil

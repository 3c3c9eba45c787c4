// vigil: SimHash-64 (Charikar 2002; Manku, Jain & Das Sarma 2007) of normalised text.
//
// What it detects: near-identical texts — the same message with a few words changed, added or
// removed. Each word shingle (default: 2 consecutive words, counted with repetition) votes +1/-1
// on each of 64 bits by its feature hash; bit b is set when the votes for b are positive. The
// feature hash (simhash_feature_hash, shingles.hpp) is a branch-free multiply-xorshift hash of
// the shingle's bytes up to 16 bytes (most 2-word shingles) and XXH3-64 beyond; the AVX-512
// kernels compute it eight shingles at a time, the AVX2 kernels four. For feature vectors at angle theta each bit
// differs with probability theta/pi, so the Hamming distance estimates 64*theta/pi (cosine
// similarity of shingle counts).
//
// Measured over 400 random 58-word texts (tests/hash/test_text_sketch.cpp, "over many texts"):
// one replaced word moves 4.9 bits on average (within 6 bits for 77% of texts), five 11.6, an
// unrelated text 31 (random: 32) — the same as with XXH3-64 features, within sampling error.
// Single texts vary around that, because a bit flips easily when its vote total is near zero; on
// one 58-word paragraph (averages of 50 random edits):
//   shingles  1 word replaced  5 replaced  pasted after 50 unrelated words  unrelated text
//   2 words   6.8 bits         14.9        14                               33
//   1 word    1.7              4.3         5                                18
// Single words make unrelated English texts look alike (function words dominate), hence the
// 2-word default. Bank radius default 6: catches one- or two-word edits of short posts; for
// broader edits use MinHash (minhash.hpp), which measures shared shingles directly.
#pragma once

#include <cstdint>
#include <string_view>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/hash256.hpp"  // hamming_distance(uint64_t, uint64_t)
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/hash/shingles.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// 64 per-bit vote counters, advanced a SIMD batch of bits at a time.
template <class Arch = xsimd::default_arch>
class SimHashAccumulator {
 public:
  using batch = xsimd::batch<std::int32_t, Arch>;
  static constexpr std::size_t kLanes = batch::size;
  static constexpr std::size_t kChunks = 64 / kLanes;

  SimHashAccumulator() {
    alignas(64) std::int32_t bits[kLanes];
    for (std::size_t l = 0; l < kLanes; ++l) bits[l] = static_cast<std::int32_t>(1U << l);
    lane_bit_ = batch::load_aligned(bits);
    for (auto& c : votes_) c = batch(0);
  }

  /// One feature's votes: +1 for its set bits, -1 for its clear bits.
  void add(std::uint64_t feature_hash) {
    // Lane l of chunk c tests bit (c * lanes + l) with a mask (no per-lane shifts: SSE2 lacks them).
    const batch plus(1), minus(-1), zero(0);
    for (std::size_t c = 0; c < kChunks; ++c) {
      const auto word = static_cast<std::int32_t>(static_cast<std::uint32_t>(feature_hash >> (c * kLanes)));
      votes_[c] = votes_[c] + xsimd::select((batch(word) & lane_bit_) != zero, plus, minus);
    }
  }

  std::uint64_t finish() const {
    alignas(64) std::int32_t v[64];
    for (std::size_t c = 0; c < kChunks; ++c) votes_[c].store_aligned(v + c * kLanes);
    std::uint64_t h = 0;
    for (int b = 0; b < 64; ++b) {
      if (v[b] > 0) h |= std::uint64_t{1} << b;
    }
    return h;
  }

 private:
  batch lane_bit_;
  batch votes_[kChunks];
};

namespace detail {
/// The definition, one feature at a time (also the path for shingles longer than the kernels take).
inline std::uint64_t simhash64_reference(std::string_view text, int words_per_shingle) {
  SimHashAccumulator<> acc;
  for_each_simhash_feature(text, words_per_shingle, [&](std::uint64_t h) { acc.add(h); });
  return acc.finish();
}
}  // namespace detail

/// SimHash-64 of the k-word shingles of `text`; 0 for empty text. Runs on the active text
/// kernels (kernel_dispatch.hpp); every kernel set gives the same value.
inline std::uint64_t simhash64(std::string_view text, int words_per_shingle = 2) {
  const std::size_t k = words_per_shingle < 1 ? 1 : static_cast<std::size_t>(words_per_shingle);
  if (k > kMaxKernelShingleWords) return detail::simhash64_reference(text, words_per_shingle);
  return active_text_kernels().simhash64(text.data(), text.size(), k);
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil

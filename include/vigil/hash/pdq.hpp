// vigil: the PDQ perceptual image hash (Meta's photo hash used by industry hash-sharing databases),
// bit-exact with the reference C++ implementation (facebook/ThreatExchange pdq/cpp).
//
//   hash::PdqHasher hasher;                       // reuse per thread: owns the work buffers
//   hash::PdqResult r = hasher.hash(view);        // view: hash::ImageView over 8-bit pixels
//   r.hash.to_hex(); r.quality;                   // quality < 50: usually discard
//   hash::PdqDihedral all = hasher.hash_dihedral(view);   // 8 rotations/flips, same cost
//
// Float rules: see float_mode.hpp (-ffp-contract=off, no -ffast-math) — required for bit-exactness.
// The reference CLI squashes images with a side over 512 to 512x512 first; to reproduce CLI
// output call squash_to_512() (image_view.hpp) before hashing.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/float_mode.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/hash/image_view.hpp"
#include "vigil/hash/pdq_dct.hpp"
#include "vigil/hash/pdq_downscale.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// Hamming distance at or under which two PDQ hashes are conventionally the same image.
inline constexpr int kPdqMatchDistance = 31;
/// Quality under which a PDQ hash is conventionally too unreliable to match or share.
inline constexpr int kPdqMinQuality = 50;
/// Images with a side under this hash to all zeros with quality 0 (as in the reference).
inline constexpr int kPdqMinSide = 5;

struct PdqResult {
  Hash256 hash;
  int quality = 0;
};

/// Hashes of the image and of its 7 rotations/flips, indexed by Dihedral.
struct PdqDihedral {
  std::array<Hash256, 8> hashes{};
  int quality = 0;

  const Hash256& operator[](Dihedral d) const { return hashes[static_cast<int>(d)]; }
};

inline const char* dihedral_name(Dihedral d) {
  static constexpr const char* kNames[] = {"orig",  "rot90", "rot180", "rot270",
                                           "flipx", "flipy", "flipp",  "flipm"};
  return kNames[static_cast<int>(d)];
}

/// Computes PDQ hashes; holds reusable scratch, so use one per thread (not thread-safe itself).
template <class Arch = xsimd::default_arch>
class BasicPdqHasher {
 public:
  /// The hash of the pixels as given (no resize). Throws ImageError for an invalid view.
  PdqResult hash(const ImageView& image) {
    PdqResult result;
    detail::Matrix16x16 dct;
    if (!transform(image, /*filter_64x64=*/false, dct, result.quality)) return result;
    result.hash = detail::bits_above_median(dct);
    return result;
  }

  /// All eight dihedral hashes. As in the reference, a 64x64 image is box-filtered here but not
  /// by hash(), so for 64x64 input `hash_dihedral().hashes[0]` may differ slightly from hash().
  PdqDihedral hash_dihedral(const ImageView& image) {
    PdqDihedral result;
    detail::Matrix16x16 dct;
    if (!transform(image, /*filter_64x64=*/true, dct, result.quality)) return result;
    for (int d = 0; d < 8; ++d) {
      result.hashes[d] = detail::bits_above_median(detail::dihedral_dct(dct, Dihedral(d)));
    }
    return result;
  }

 private:
  /// Luma -> 64x64 -> quality and 16x16 DCT. False (all-zero hash, quality 0) for tiny images.
  bool transform(const ImageView& image, bool filter_64x64, detail::Matrix16x16& dct,
                 int& quality) {
    image.validate();
    if (image.width < kPdqMinSide || image.height < kPdqMinSide) {
      quality = 0;
      return false;
    }
    const std::size_t pixels = static_cast<std::size_t>(image.width) * image.height;
    luma_.resize(pixels);
    detail::fill_luma(image, luma_.data());
    alignas(64) std::array<float, 64 * 64> block;
    if (!filter_64x64 && image.width == 64 && image.height == 64) {
      std::copy(luma_.begin(), luma_.end(), block.begin());  // already 64x64: no filter
    } else {
      detail::jarosz_downscale_64<Arch>(luma_, image.height, image.width, buffers_, block.data());
    }
    quality = detail::pdq_quality(block.data());
    detail::dct64_to_16<Arch>(block.data(), dct);
    return true;
  }

  std::vector<float> luma_;
  detail::DownscaleBuffers buffers_;
};

using PdqHasher = BasicPdqHasher<>;

/// The reference CLI's output line: "hash,quality,filename" (what bank files accept back).
inline std::string pdq_line(const PdqResult& r, std::string_view filename) {
  return r.hash.to_hex() + "," + std::to_string(r.quality) + "," + std::string(filename);
}

/// One-shot helpers using a per-thread hasher.
inline PdqResult pdq_hash(const ImageView& image) {
  thread_local PdqHasher hasher;
  return hasher.hash(image);
}

inline PdqDihedral pdq_hash_dihedral(const ImageView& image) {
  thread_local PdqHasher hasher;
  return hasher.hash_dihedral(image);
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil

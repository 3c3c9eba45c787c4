// vigil: one multi-index table's id array (mih_index.hpp), stored in 3 bytes per id while every
// id fits in 24 bits (banks under 16,777,216 codes) and in 4 bytes beyond. At 16 tables per PDQ
// code that is 48 bytes per code instead of 64, which pays for the index's id map and keeps it
// under 100 bytes per code; a 3-byte id is read as an unaligned 4-byte load and a mask.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vigil/hash/code_array.hpp"  // AlignedVector
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

class PackedIds {
 public:
  static constexpr std::size_t kNarrowLimit = std::size_t{1} << 24;

  /// Sizes the array for `count` ids below `id_limit` (at most 2^32); contents are unspecified.
  void resize(std::size_t count, std::size_t id_limit) {
    width_ = id_limit <= kNarrowLimit ? 3 : 4;
    bytes_.clear();
    bytes_.resize(count * width_ + kPadding);  // the last 3-byte id is read with a 4-byte load
    bytes_.shrink_to_fit();
  }

  void set(std::size_t i, std::uint32_t id) noexcept {
    if (width_ == 4) {
      std::memcpy(&bytes_[i * 4], &id, 4);
    } else {
      std::memcpy(&bytes_[i * 3], &id, 3);  // constant sizes: inlined stores, not library calls
    }
  }

  std::uint32_t operator[](std::size_t i) const noexcept {
    std::uint32_t id;
    std::memcpy(&id, &bytes_[i * width_], sizeof id);
    return width_ == 4 ? id : id & 0xFFFFFFu;
  }

  /// Writes ids [first, last) to dst; returns the end of what it wrote.
  std::uint32_t* copy_to(std::uint32_t first, std::uint32_t last, std::uint32_t* dst) const noexcept {
    const unsigned char* src = bytes_.data() + std::size_t{first} * width_;
    const std::size_t count = last - first;
    if (width_ == 4) {
      std::memcpy(dst, src, count * 4);
      return dst + count;
    }
    for (std::size_t k = 0; k < count; ++k, src += 3) {
      std::uint32_t id;
      std::memcpy(&id, src, sizeof id);
      dst[k] = id & 0xFFFFFFu;
    }
    return dst + count;
  }

  /// Prefetches the cache lines of ids [first, last).
  void prefetch(std::uint32_t first, std::uint32_t last) const noexcept {
    const unsigned char* end = bytes_.data() + std::size_t{last} * width_;
    for (const unsigned char* p = bytes_.data() + std::size_t{first} * width_; p < end; p += 64) __builtin_prefetch(p);
  }

  std::size_t width() const noexcept { return width_; }
  std::size_t memory_bytes() const noexcept { return bytes_.capacity(); }

 private:
  static constexpr std::size_t kPadding = 1;
  hash::detail::AlignedVector<unsigned char> bytes_;
  std::size_t width_ = 3;
};

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil

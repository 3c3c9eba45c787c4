// vigil: contiguous, SIMD-aligned storage of 256-bit codes in the blocked layout the Hamming
// kernels scan (see hamming_kernels.hpp), with append and random access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

/// 64-byte aligned allocation, so whole AVX-512 loads of a block never split a cache line.
/// Arrays of 2 MiB and more are aligned to 2 MiB and advised to use transparent huge pages
/// (Linux, THP mode "madvise"): index lookups touch codes at random, and with 4 KiB pages each
/// such touch in a large bank would also miss the TLB. Only the whole huge pages inside the
/// array are advised, so the partial last one stays in small pages and no untouched memory
/// past the array's end becomes resident.
template <class T>
struct CacheAlignedAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  CacheAlignedAllocator() = default;
  template <class U>
  CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > (static_cast<std::size_t>(-1) - kHugePage) / sizeof(T)) throw std::bad_alloc();
    const bool huge = n * sizeof(T) >= kHugePage;
    const std::size_t align = huge ? kHugePage : 64;
    const std::size_t bytes = (n * sizeof(T) + 63) / 64 * 64;
    void* p = nullptr;
    if (posix_memalign(&p, align, bytes == 0 ? 64 : bytes) != 0) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Advice only: failure changes nothing.
    if (huge) (void)madvise(p, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const CacheAlignedAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const CacheAlignedAllocator<U>&) const noexcept { return false; }
};

/// A vector on that allocator: the storage of codes and index tables.
template <class T>
using AlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace detail

/// 256-bit codes, 8 per 256-byte block, word-major inside a block. 32 bytes per code (plus at
/// most 7 codes of padding at the end).
class CodeArray256 {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const std::uint64_t* blocks() const noexcept { return words_.data(); }
  std::size_t memory_bytes() const noexcept { return words_.capacity() * sizeof(std::uint64_t); }

  void reserve(std::size_t codes) {
    words_.reserve((codes + kCodesPerBlock - 1) / kCodesPerBlock * kWordsPerBlock);
  }

  void push_back(const Hash256& h) {
    if (size_ % kCodesPerBlock == 0) words_.resize(words_.size() + kWordsPerBlock, 0);
    std::uint64_t* block = words_.data() + (size_ / kCodesPerBlock) * kWordsPerBlock;
    for (std::size_t w = 0; w < 4; ++w) block[w * kCodesPerBlock + size_ % kCodesPerBlock] = h.words[w];
    ++size_;
  }

  Hash256 operator[](std::size_t i) const noexcept {
    const std::uint64_t* block = words_.data() + (i / kCodesPerBlock) * kWordsPerBlock;
    Hash256 h;
    for (std::size_t w = 0; w < 4; ++w) h.words[w] = block[w * kCodesPerBlock + i % kCodesPerBlock];
    return h;
  }

  void clear() noexcept {
    words_.clear();
    size_ = 0;
  }

 private:
  std::vector<std::uint64_t, detail::CacheAlignedAllocator<std::uint64_t>> words_;
  std::size_t size_ = 0;
};

}  // namespace hash
}  // namespace v1
}  // namespace vigil

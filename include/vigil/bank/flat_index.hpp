// vigil: flat (brute-force) Hamming indexes: every query scans all codes with the SIMD kernels
// (hamming_scan.hpp). Exact, no build step, 32 bytes per PDQ code; the right choice for banks up
// to ~100k codes, for batched queries (e.g. 8 dihedral hashes in one pass) and as a cross-check
// of MihIndex, which answers single queries on large banks faster.
#pragma once

#include <cstdint>
#include <vector>

#include "vigil/hash/code_array.hpp"
#include "vigil/hash/hamming_scan.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

class FlatIndex256 {
 public:
  std::size_t size() const noexcept { return codes_.size(); }
  std::uint32_t add(const hash::Hash256& h) {
    codes_.push_back(h);
    return static_cast<std::uint32_t>(codes_.size() - 1);
  }
  void reserve(std::size_t n) { codes_.reserve(n); }
  hash::Hash256 code(std::size_t i) const { return codes_[i]; }

  /// Every code within `radius`, in index order.
  std::vector<hash::HammingMatch> query(const hash::Hash256& q, int radius) const {
    return hash::range_scan(codes_, q, radius);
  }

  /// Many queries in one cache-blocked pass; result[k] belongs to queries[k].
  std::vector<std::vector<hash::HammingMatch>> query_batch(const std::vector<hash::Hash256>& queries,
                                                           int radius) const {
    return hash::range_scan_batch(codes_, queries, radius);
  }

  std::size_t memory_bytes() const noexcept { return codes_.memory_bytes(); }

 private:
  hash::CodeArray256 codes_;
};

class FlatIndex64 {
 public:
  std::size_t size() const noexcept { return codes_.size(); }
  std::uint32_t add(std::uint64_t code) {
    codes_.push_back(code);
    return static_cast<std::uint32_t>(codes_.size() - 1);
  }
  std::vector<hash::HammingMatch> query(std::uint64_t q, int radius) const {
    return hash::range_scan(codes_, q, radius);
  }
  std::size_t memory_bytes() const noexcept { return codes_.capacity() * sizeof(std::uint64_t); }

 private:
  std::vector<std::uint64_t> codes_;
};

}  // namespace bank
}  // namespace v1
}  // namespace vigil

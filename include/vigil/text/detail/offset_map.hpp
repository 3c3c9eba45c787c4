// vigil: the map from normalised bytes back to original byte offsets.
//
// Segments, sorted by normalised offset, of two kinds:
//  - run: normalised and original offsets advance together byte for byte, except that the
//    first normalised byte may stand for 1 + skip original bytes (a space for a separator run,
//    'a' for Cyrillic 'а'). Plain ASCII text needs one segment for a whole run, and a folded
//    one-byte character or a separator run just opens the next run.
//  - extent: every normalised byte maps to the whole original extent [orig, orig + olen): a
//    multi-byte folding (ligature, Arabic letter with harakat), a collapsed stretch, a joined
//    letter.
//  - window: up to 64 original ASCII bytes from the SIMD kernel, as bit masks: `keep` marks the
//    bytes that produced a normalised byte (in order); a dropped byte belongs to the kept byte
//    before it (a separator run's tail), or to the one after it when it is in `fwd` (a dropped
//    apostrophe). One segment per window instead of one per separator run; spans are worked
//    out from the masks only when asked for.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/version.hpp"

#if defined(__GNUC__)
#define VIGIL_TEXT_HOT inline __attribute__((always_inline))
#else
#define VIGIL_TEXT_HOT inline
#endif

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

/// Set bits of every byte value (a table: builds without -mpopcnt would call a library routine).
struct BitsInByte {
  std::uint8_t n[256] = {};
  constexpr BitsInByte() {
    for (unsigned b = 1; b < 256; ++b) n[b] = static_cast<std::uint8_t>(n[b >> 1] + (b & 1));
  }
};
inline constexpr BitsInByte kBitsInByte{};

struct Seg {
  static constexpr std::uint32_t kRun = 0x80000000u;
  static constexpr std::uint32_t kWin = 0x40000000u;
  static constexpr std::uint32_t kMaxExtent = kWin - 1;
  std::uint64_t norm;  ///< stream offset of the first normalised byte
  std::uint64_t orig;  ///< stream offset of the first original byte
  std::uint32_t nlen;  ///< normalised bytes covered
  std::uint32_t olen;  ///< run: kRun | skip; window: kWin | length; extent: length (< kWin)
  std::uint64_t keep;  ///< window only
  std::uint64_t fwd;   ///< window only

  bool run() const { return (olen & kRun) != 0; }
  bool window() const { return (olen >> 30) == 1; }
  std::uint32_t skip() const { return olen & ~kRun; }

  /// Original position (relative to orig) of the k-th kept byte of a window (which must
  /// exist): whole bytes of the mask are skipped by their bit counts first, so this takes at
  /// most 8 + 7 steps instead of one per kept byte before it.
  unsigned kept_at(std::uint64_t k) const {
    std::uint64_t m = keep;
    unsigned base = 0;
    while (base < 56 && k >= kBitsInByte.n[m & 0xFF]) {
      k -= kBitsInByte.n[m & 0xFF];
      m >>= 8;
      base += 8;
    }
    for (; k != 0; --k) m &= m - 1;
    return base + static_cast<unsigned>(__builtin_ctzll(m));
  }
  std::uint64_t win_begin(std::uint64_t k) const {
    unsigned p = kept_at(k);
    while (p != 0 && ((fwd >> (p - 1)) & 1)) --p;
    return orig + p;
  }
  std::uint64_t win_end(std::uint64_t k) const {
    unsigned p = kept_at(k) + 1;
    const unsigned len = olen & kMaxExtent;
    while (p < len && !((keep | fwd) >> p & 1)) ++p;
    return orig + p;
  }
};

class OffsetMap {
 public:
  /// Record `nlen` normalised bytes at stream offset `norm`, produced by original [ob, oe).
  /// `ident`: byte k of the output corresponds to byte ob + k (same length, one code point).
  VIGIL_TEXT_HOT void add(std::uint64_t norm, std::uint32_t nlen, std::uint64_t ob,
                          std::uint64_t oe, bool ident) {
    if (ident) {
      // Extends the last segment when it is a run ending exactly here.
      if (norm == run_norm_end_ && ob == run_orig_end_ && segs_.back().nlen < kMaxRun) {
        segs_.back().nlen += nlen;
      } else {
        push(norm, ob, nlen, Seg::kRun);
      }
      run_norm_end_ = norm + nlen;
      run_orig_end_ = ob + nlen;
      return;
    }
    const std::uint64_t ext = oe - ob;
    if (nlen == 1 && ext < kMaxRun) {  // one byte for a wider extent: opens a run
      push(norm, ob, 1, Seg::kRun | std::uint32_t(ext - 1));
      run_norm_end_ = norm + 1;
      run_orig_end_ = oe;
      return;
    }
    run_norm_end_ = ~std::uint64_t(0);
    // A wider extent than 1 GiB (a separator run that long) is clamped; spans stay inside it.
    push(norm, ob, nlen, ext > Seg::kMaxExtent ? Seg::kMaxExtent : std::uint32_t(ext));
  }

  /// A window of `olen` (<= 64) original bytes at `ob` (see the header comment).
  VIGIL_TEXT_HOT void add_window(std::uint64_t norm, std::uint32_t nlen, std::uint64_t ob,
                                 unsigned olen, std::uint64_t keep, std::uint64_t fwd) {
    push(norm, ob, nlen, Seg::kWin | olen);
    segs_.back().keep = keep;
    segs_.back().fwd = fwd;
    run_norm_end_ = ~std::uint64_t(0);
  }

  /// Segment holding normalised stream offset `n` (which must be mapped).
  const Seg& find(std::uint64_t n) const {
    auto it = std::upper_bound(segs_.begin(), segs_.end(), n,
                               [](std::uint64_t v, const Seg& s) { return v < s.norm; });
    return *(it == segs_.begin() ? it : it - 1);
  }

  std::uint64_t begin_of(std::uint64_t n) const {
    const Seg& s = find(n);
    if (s.window()) return s.win_begin(n - s.norm);
    if (!s.run() || n == s.norm) return s.orig;
    return s.orig + s.skip() + (n - s.norm);
  }
  std::uint64_t end_of(std::uint64_t n) const {
    const Seg& s = find(n);
    if (s.window()) return s.win_end(n - s.norm);
    if (!s.run()) return s.orig + s.olen;
    return s.orig + s.skip() + (n - s.norm) + 1;
  }

  /// Drop segments that end at or before `n` (the one containing `n` stays).
  void discard_before(std::uint64_t n) {
    std::size_t k = 0;
    while (k < segs_.size() && segs_[k].norm + segs_[k].nlen <= n) ++k;
    segs_.erase(segs_.begin(), segs_.begin() + static_cast<std::ptrdiff_t>(k));
    if (segs_.empty()) run_norm_end_ = ~std::uint64_t(0);
  }

  void clear() {
    segs_.clear();
    run_norm_end_ = ~std::uint64_t(0);
  }
  bool empty() const { return segs_.empty(); }
  std::size_t size() const { return segs_.size(); }
  const std::vector<Seg>& segments() const { return segs_; }

 private:
  static constexpr std::uint32_t kMaxRun = 0x7FFFFFFFu;

  // Field by field into place: a Seg built on the stack and copied stalls on store forwarding.
  void push(std::uint64_t norm, std::uint64_t orig, std::uint32_t nlen, std::uint32_t olen) {
    segs_.emplace_back();
    Seg& s = segs_.back();
    s.norm = norm;
    s.orig = orig;
    s.nlen = nlen;
    s.olen = olen;
  }

  std::vector<Seg> segs_;
  // Where the last segment ends when it is a run (else ~0): checked without touching the
  // vector.
  std::uint64_t run_norm_end_ = ~std::uint64_t(0);
  std::uint64_t run_orig_end_ = 0;
};

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil

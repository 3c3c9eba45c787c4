// vigil: text normalisation against evasion, with a map back to original byte offsets.
//
// CONTRACT (implemented by the text module; other modules rely on exactly this API).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/version.hpp"
#include "vigil/text/detail/offset_map.hpp"
#include "vigil/text/detail/lane.hpp"
#include "vigil/text/detail/pipeline.hpp"
#include "vigil/text/detail/short_lane.hpp"
#include "vigil/text/detail/unicode.hpp"
#ifndef VIGIL_TEXT_NO_SIMD
#include "vigil/text/detail/ascii_simd.hpp"
#include "vigil/text/detail/ascii_x86.hpp"
#endif

namespace vigil {
inline namespace v1 {
namespace text {

/// A byte range [begin, end) in the original input.
struct Span {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// Normalised text plus the map from every normalised byte back to the original input.
///
/// The canonical form: UTF-8; case-folded; compatibility-folded; look-alikes folded to Latin;
/// invisible characters, overlays, Latin diacritics, harakat and tatweel removed; leetspeak
/// folded; letters of a separated run joined; stretched letters collapsed; every run of
/// whitespace, punctuation and symbols becomes exactly one ASCII space. So a normalised byte is a
/// word byte unless it is ' '.
///
/// For streaming, a NormalizedText is a window: `norm_base` is the stream offset of text[0];
/// the caller may drop a prefix with discard_before().
class NormalizedText {
 public:
  std::string text;               ///< normalised UTF-8 (window)
  std::uint64_t norm_base = 0;    ///< stream offset (in normalised bytes) of text[0]
  std::uint64_t invalid_bytes = 0;///< invalid UTF-8 bytes replaced so far (counted once each)

  /// Original span of the normalised stream range [norm_begin, norm_end) (stream offsets, must
  /// lie inside the window and be non-empty). begin is where the first contributing original
  /// character starts, end where the last one ends.
  Span original_span(std::uint64_t norm_begin, std::uint64_t norm_end) const;

  /// Forget text and map before stream offset `norm_offset` (keeps everything from it on).
  void discard_before(std::uint64_t norm_offset);

  /// Empty the window and reset norm_base to 0 (keeps capacity, for reuse across messages).
  void clear();

  /// The offset map's segments (for tests and diagnostics).
  const detail::OffsetMap& offset_map() const { return map_; }

 private:
  friend class Normalizer;
  detail::OffsetMap map_;
};

/// Incremental normaliser. Block use: normalize(). Streaming use: feed() each chunk, then
/// finish(). A chunk may end inside a UTF-8 sequence or inside a separated-letter run; the
/// normaliser holds back the few bytes it needs to decide and emits them later, so the
/// concatenated output equals normalize() of the concatenated input (tested).
/// Not thread-safe; one per stream. Cheap to construct and reset.
class Normalizer {
 public:
  Normalizer();
  /// Start a new input; original offsets of the next feed() start at `original_base`.
  void reset(std::uint64_t original_base = 0);
  /// Append the normalised form of `chunk` (the next bytes of the input) to `out`.
  void feed(std::string_view chunk, NormalizedText& out);
  /// Flush what was held back (a trailing partial UTF-8 sequence counts as invalid).
  void finish(NormalizedText& out);

  /// Use the fast paths where they apply (default): the SIMD ASCII kernel, the letter lanes and
  /// the skip over stretched letters.
  /// Off gives the scalar state machine only; both produce identical results (tested).
  void set_simd(bool enabled) { simd_ = enabled; }
  /// Input bytes the SIMD kernel has handled since construction (diagnostics and tests).
  std::uint64_t simd_bytes() const { return simd_bytes_; }
  /// Input bytes the short letter lane (runs of one- and two-byte letters) has emitted.
  std::uint64_t short_lane_bytes() const { return short_lane_bytes_; }

 private:
  void feed_partial(const unsigned char*& p, std::size_t& n, detail::Sink& sink,
                    NormalizedText& out);
  void feed_bytes(const unsigned char* p, std::size_t n, detail::Sink& sink,
                  NormalizedText& out);
  std::size_t letter_lane(const unsigned char* p, std::size_t i, std::size_t n, detail::Peek x,
                          detail::Sink& sink);
  bool lane_separators(const unsigned char* p, std::size_t& i, std::size_t n, std::size_t& xb,
                       std::size_t j, detail::Peek& x, const detail::Peek& y,
                       detail::PendingRun& run, detail::Sink& sink);
  std::size_t ascii_kernel(const unsigned char* p, std::size_t avail, std::uint64_t orig,
                           detail::Sink& sink);
  bool stretch(const unsigned char* p, std::size_t& i, std::size_t n, const detail::Peek& x);
  void code_point_peek(const detail::Peek& x, std::uint64_t off, detail::Sink& sink);
  void invalid_byte(std::uint64_t off, detail::Sink& sink, NormalizedText& out);

  detail::Pipeline pipe_;
  std::uint64_t orig_ = 0;        // stream offset of the next input byte
  std::size_t fast_retry_ = 0;    // chunk position before which the fast path is not retried
  bool idle_ = false;  // pipeline idle inside a word; the next code point is a different letter
  unsigned char partial_[4] = {};
  unsigned npartial_ = 0;         // bytes of an unfinished UTF-8 sequence held back
  bool simd_ = true;
  std::uint64_t simd_bytes_ = 0;
  std::uint64_t short_lane_bytes_ = 0;
};

/// Normalise a whole message into `out` (cleared first; buffers reused).
void normalize(std::string_view input, NormalizedText& out);
/// Convenience form.
NormalizedText normalize(std::string_view input);

/// Normalise a rule term exactly as text is normalised (a term matches the text whose normal
/// form contains the term's normal form). Leading and trailing spaces are trimmed.
std::string normalize_term(std::string_view term);

/// Is the code point that starts at `p` in a script written without spaces between words
/// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, ...)? Whole-word checks treat such
/// text as always at a word boundary. `p` points into valid normalised UTF-8.
bool in_scriptio_continua(const char* p, const char* end);

}  // namespace text
}  // namespace v1
}  // namespace vigil

#include "vigil/text/detail/normalize_impl.hpp"

// vigil: rule hits, from raw Hyperscan matches to spans in the original input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vigil/match/boundary.hpp"
#include "vigil/match/patterns.hpp"
#include "vigil/text/normalize.hpp"

namespace vigil {
inline namespace v1 {
namespace match {

/// A match as Hyperscan reports it, in normalised stream offsets.
struct RawMatch {
  std::uint32_t pattern = 0;
  bool whole_word = false;  ///< its word boundaries are known to hold (ModeDatabases::word_literals)
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// A rule hit that passed its word-boundary check.
struct RuleHit {
  std::uint32_t rule = 0;
  std::uint64_t norm_begin = 0, norm_end = 0;  ///< normalised bytes
  std::uint64_t char_begin = 0, char_end = 0;  ///< normalised code points (for near())
  text::Span original;                         ///< bytes of the original input
  std::string text;                            ///< the original bytes of that span
};

namespace detail {

struct MatchSink {
  const PatternTable* table = nullptr;
  std::vector<RawMatch>* out = nullptr;
  std::size_t limit = SIZE_MAX;  ///< matches recorded at most; the rest are counted only
  std::size_t dropped = 0;
};

/// Hyperscan match callback: records every match; literal starts come from their length.
inline int record_match(unsigned id, unsigned long long from, unsigned long long to, unsigned,
                        void* ctx) noexcept {
  auto* sink = static_cast<MatchSink*>(ctx);
  const PatternInfo& p = sink->table->info[id];
  std::uint64_t begin = p.literal ? to - p.length : from;
  if (sink->out->size() >= sink->limit) {
    ++sink->dropped;
    return 0;
  }
  try {
    sink->out->push_back({id, false, begin, to});
  } catch (...) {
    return 1;  // out of memory: stop the scan rather than throw through Hyperscan
  }
  return 0;
}

/// The same for ModeDatabases::word_literals, scanned over the text with a space added at each
/// end: offsets move back by that leading space, and a whole-word literal's match also covers
/// the space after it.
inline int record_word_match(unsigned id, unsigned long long, unsigned long long to, unsigned,
                             void* ctx) noexcept {
  auto* sink = static_cast<MatchSink*>(ctx);
  const PatternInfo& p = sink->table->info[id];
  const std::uint64_t end = to - 1 - (p.fullword ? 1 : 0);
  if (sink->out->size() >= sink->limit) {
    ++sink->dropped;
    return 0;
  }
  try {
    sink->out->push_back({id, p.fullword, end - p.length, end});
  } catch (...) {
    return 1;
  }
  return 0;
}

/// A reusable byte buffer. Unlike std::string::resize it does not zero the bytes it hands out,
/// which the caller overwrites anyway.
class ByteBuffer {
 public:
  /// Room for `n` bytes (contents unspecified); keeps the storage for the next call.
  char* prepare(std::size_t n) {
    if (n > capacity_) {
      const std::size_t grown = std::max(n, capacity_ + capacity_ / 2);
      data_.reset(new char[grown]);
      capacity_ = grown;
    }
    return data_.get();
  }
  const char* data() const noexcept { return data_.get(); }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
};

/// Copies `t` into `padded` with a space before and after it when `t` is all ASCII; returns
/// whether it was (else `padded` holds unspecified bytes).
inline bool pad_if_ascii(std::string_view t, ByteBuffer& padded) {
  char* out = padded.prepare(t.size() + 2);
  out[0] = ' ';
  std::size_t i = 0;
  bool ascii = true;
#if defined(__SSE2__)
  __m128i high16 = _mm_setzero_si128();
  for (; i + 16 <= t.size(); i += 16) {  // sixteen bytes at a time: OR them together
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 1 + i), v);
    high16 = _mm_or_si128(high16, v);
  }
  ascii = _mm_movemask_epi8(high16) == 0;
#endif
  std::uint64_t high = 0;
  for (; i + 8 <= t.size(); i += 8) {  // eight bytes at a time: OR their top bits together
    std::uint64_t word;
    std::memcpy(&word, t.data() + i, 8);
    std::memcpy(out + 1 + i, &word, 8);
    high |= word;
  }
  for (; i < t.size(); ++i) {
    out[1 + i] = t[i];
    high |= static_cast<unsigned char>(t[i]);
  }
  out[t.size() + 1] = ' ';
  return ascii && (high & 0x8080808080808080ull) == 0;
}

inline std::uint64_t count_code_points(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return n;
}

}  // namespace detail

/// Turns accepted matches into RuleHits over a normalised window and the matching window of
/// original bytes, and keeps them until the message or stream is done.
class HitCollector {
 public:
  void clear() {
    hits_.clear();
    quote_ = false;
    limit_ = SIZE_MAX;
    dropped_ = 0;
    cursor_pos_ = 0;
    cursor_chars_ = 0;
    chars_before_window_ = 0;
    ascii_ = false;
  }

  /// The window is all ASCII (a code point per byte): positions need no counting.
  void set_ascii(bool ascii) { ascii_ = ascii; }

  /// Quote each hit's original bytes as it is recorded (streams, whose window moves on).
  /// Block scans leave it off: the scorer quotes only the hits that contribute.
  void set_quote(bool quote) { quote_ = quote; }

  /// Keep at most `limit` hits (a stream can run for ever); the rest are counted in dropped().
  void set_limit(std::size_t limit) { limit_ = limit; }
  std::size_t dropped() const { return dropped_; }

  /// The window is about to drop its first `bytes`: remember how many code points they held.
  void window_discards(const text::NormalizedText& window, std::uint64_t new_base) {
    std::uint64_t drop = new_base - window.norm_base;
    chars_before_window_ += detail::count_code_points(std::string_view(window.text).substr(0, drop));
    cursor_pos_ = 0;
    cursor_chars_ = 0;
  }

  /// Check a match's boundaries and record it. `at_start`/`at_end`: the window's ends are the
  /// input's ends. Returns false when the match sits at the window's end and must wait.
  bool offer(const PatternTable& table, const RawMatch& m, const text::NormalizedText& window,
             std::string_view original, std::uint64_t original_base, bool at_start,
             bool at_end) {
    const PatternInfo& p = table.info[m.pattern];
    std::string_view t = window.text;
    std::uint64_t begin = std::max(m.begin, window.norm_base);  // regex SOM beyond the window
    std::size_t b = static_cast<std::size_t>(begin - window.norm_base);
    std::size_t e = static_cast<std::size_t>(m.end - window.norm_base);
    if (e == b) return true;  // empty match: nothing to report
    if (p.fullword && !m.whole_word) {
      if (e >= t.size() && !at_end) return false;
      if (!starts_word(t, b, at_start && window.norm_base == 0) || !ends_word(t, e, at_end))
        return true;
    }
    if (hits_.size() >= limit_) {
      ++dropped_;
      return true;
    }
    RuleHit& hit = hits_.emplace_back();  // built in place: no RuleHit moved
    hit.rule = p.rule;
    hit.norm_begin = begin;
    hit.norm_end = m.end;
    hit.char_begin = ascii_ ? chars_before_window_ + b : chars_at(t, b);
    hit.char_end = hit.char_begin + (ascii_ ? e - b : detail::count_code_points(t.substr(b, e - b)));
    hit.original = window.original_span(begin, m.end);
    std::uint64_t ob = std::max(hit.original.begin, original_base);
    std::uint64_t oe = std::min<std::uint64_t>(hit.original.end, original_base + original.size());
    if (quote_ && oe > ob) hit.text.assign(original.substr(ob - original_base, oe - ob));
    return true;
  }

  /// The hits, sorted by rule then position; overlapping hits of one rule (a regex reported
  /// at several ends, two terms of a rule over the same words) are merged into the first.
  std::vector<RuleHit>& finish() {
    if (hits_.size() < 2) return hits_;  // most messages: nothing to order or merge
    std::sort(hits_.begin(), hits_.end(), [](const RuleHit& a, const RuleHit& b) {
      if (a.rule != b.rule) return a.rule < b.rule;
      if (a.norm_begin != b.norm_begin) return a.norm_begin < b.norm_begin;
      return a.norm_end > b.norm_end;
    });
    std::size_t out = 0;
    for (std::size_t i = 0; i < hits_.size(); ++i) {
      if (out > 0 && hits_[out - 1].rule == hits_[i].rule &&
          hits_[i].norm_begin < hits_[out - 1].norm_end)
        continue;
      if (out != i) hits_[out] = std::move(hits_[i]);
      ++out;
    }
    hits_.resize(out);
    return hits_;
  }

 private:
  std::uint64_t chars_at(std::string_view t, std::size_t pos) {
    if (pos < cursor_pos_) {
      cursor_pos_ = 0;
      cursor_chars_ = 0;
    }
    cursor_chars_ += detail::count_code_points(t.substr(cursor_pos_, pos - cursor_pos_));
    cursor_pos_ = pos;
    return chars_before_window_ + cursor_chars_;
  }

  std::vector<RuleHit> hits_;
  bool quote_ = false;
  std::size_t limit_ = SIZE_MAX;
  std::size_t dropped_ = 0;
  std::size_t cursor_pos_ = 0;
  std::uint64_t cursor_chars_ = 0;
  std::uint64_t chars_before_window_ = 0;
  bool ascii_ = false;
};

}  // namespace match
}  // namespace v1
}  // namespace vigil

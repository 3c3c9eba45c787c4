// vigil: inline definitions for vigil/text/normalize.hpp (included at its end).
//
// Flow: feed() decodes code points; a letter met while the pipeline is idle inside a word goes
// down the letter lane (direct emission, or the SIMD kernel for ASCII); everything else goes
// through the scalar state machine (detail/pipeline.hpp), which owns every contextual decision.
#pragma once

#include "vigil/text/normalize.hpp"

namespace vigil {
inline namespace v1 {
namespace text {

inline Span NormalizedText::original_span(std::uint64_t norm_begin, std::uint64_t norm_end) const {
  if (map_.empty() || norm_end <= norm_begin) return Span{};
  return Span{map_.begin_of(norm_begin), map_.end_of(norm_end - 1)};
}

inline void NormalizedText::discard_before(std::uint64_t norm_offset) {
  if (norm_offset <= norm_base) return;
  const std::uint64_t end = norm_base + text.size();
  if (norm_offset > end) norm_offset = end;
  text.erase(0, static_cast<std::size_t>(norm_offset - norm_base));
  map_.discard_before(norm_offset);
  norm_base = norm_offset;
}

inline void NormalizedText::clear() {
  text.clear();
  map_.clear();
  norm_base = 0;
  invalid_bytes = 0;
}

inline Normalizer::Normalizer() = default;

inline void Normalizer::reset(std::uint64_t original_base) {
  pipe_.reset();
  orig_ = original_base;
  npartial_ = 0;
  idle_ = false;
}

inline void Normalizer::feed(std::string_view chunk, NormalizedText& out) {
  detail::Sink sink(out.text, out.map_, out.norm_base, chunk.size() + chunk.size() / 8 + 64);
  const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
  std::size_t n = chunk.size();
  if (npartial_ != 0) feed_partial(p, n, sink, out);
  if (n != 0) feed_bytes(p, n, sink, out);
  sink.done();
}

// Completes a UTF-8 sequence that the previous chunk ended inside.
inline void Normalizer::feed_partial(const unsigned char*& p, std::size_t& n, detail::Sink& sink,
                                     NormalizedText& out) {
  unsigned char tmp[8];
  const unsigned k = npartial_;
  const std::size_t take = std::min<std::size_t>(n, 3);
  std::memcpy(tmp, partial_, k);
  std::memcpy(tmp + k, p, take);
  const std::size_t avail = k + take;
  const std::uint64_t base = orig_ - k;  // stream offset of tmp[0]
  std::size_t j = 0;
  while (j < k) {
    const detail::Decoded d = detail::utf8_decode(tmp + j, avail - j);
    if (d.need_more) {  // the chunk was too short to finish it: keep waiting
      npartial_ = static_cast<unsigned>(avail - j);
      std::memcpy(partial_, tmp + j, npartial_);
      orig_ += n;
      p += n;
      n = 0;
      return;
    }
    if (d.invalid) {
      invalid_byte(base + j, sink, out);
      ++j;
    } else {
      code_point_peek(detail::peek(tmp, j, avail), base + j, sink);
      j += d.len;
    }
  }
  const std::size_t used = j - k;
  p += used;
  n -= used;
  orig_ += used;
  npartial_ = 0;
}

// With the pipeline idle and a letter `x` at p[i] that differs from the letter before it, emit
// directly while nothing contextual can involve what is emitted: the next code point (after
// removed ones, absorbed into x) is another letter, or the same letter once followed at once by
// a different one (a double stays; only three or more collapse), or an apostrophe and then a
// different letter (the apostrophe is dropped: its bytes start that letter's extent), or a
// separator run (removed code points inside it belong to it) follows and then a word of >= 2
// letters. ASCII text goes to the SIMD kernel, plain runs of one- and two-byte letters to the
// short lane (detail/short_lane.hpp). Returns the position after what was consumed.
inline std::size_t Normalizer::letter_lane(const unsigned char* p, std::size_t i, std::size_t n,
                                           detail::Peek x, detail::Sink& sink) {
  using detail::kLetter;
  detail::PendingRun run;
  std::size_t xb = i;  // where x's extent starts: before i when an apostrophe joined it
  for (;;) {
    if (xb == i) {
#ifndef VIGIL_TEXT_NO_SIMD
      if (x.len() == 1 && simd_ && n - i >= 16 && i >= fast_retry_ && detail::ascii16(p + i)) {
        run.flush(sink);
        const std::size_t used = ascii_kernel(p + i, n - i, orig_ + i, sink);
        simd_bytes_ += used;
        if (used != 0) return i + used;  // it stops before a different letter: still idle
        fast_retry_ = i + 16;
      }
#endif
      const std::size_t at = i;
      i = detail::short_lane(p, i, n, x, orig_, sink, run);
      short_lane_bytes_ += i - at;
      xb = i;
      if (i != at && x.len() == 1) continue;  // ASCII may follow: the SIMD kernel first
    }
    detail::Peek y;
    const std::size_t j = detail::after_letter(p, i + x.len(), n, y);
    if (j >= n || j - xb > 64) break;
    const auto olen = static_cast<unsigned>(j - xb);
    if (y.cls() == kLetter) {
      if (!y.same_text(x)) {
        detail::lane_put(sink, run, x, orig_ + xb, olen);
        x = y;
        i = xb = j;
        continue;
      }
      detail::Peek w;
      const std::size_t m = detail::after_letter(p, j + y.len(), n, w);
      if (m >= n || m - j > 64 || w.cls() != kLetter || w.same_text(y)) break;
      detail::lane_put(sink, run, x, orig_ + xb, olen);
      detail::lane_put(sink, run, y, orig_ + j, static_cast<unsigned>(m - j));
      x = w;
      i = xb = m;
      continue;
    }
    if (y.cls() == detail::kApos) {
      detail::Peek z;
      const std::size_t k = detail::after_letter(p, j + y.len(), n, z);
      if (k >= n || z.cls() != kLetter || z.same_text(x)) break;
      detail::lane_put(sink, run, x, orig_ + xb, olen);
      x = z;
      xb = j;
      i = k;
      continue;
    }
    if (y.cls() != detail::kSep || !lane_separators(p, i, n, xb, j, x, y, run, sink)) break;
  }
  run.flush(sink);
  idle_ = false;
  detail::Unit& u = pipe_.begin_unit(sink);
  u = detail::unit_of(x, orig_ + i);
  if (xb != i) u.widen_begin(orig_ + xb);
  pipe_.end_unit();
  return i + x.len();
}

// The letter lane's step over separators: x (extent from xb, then removed code points to j)
// ends a word, separators from j on, then a word of >= 2 letters starting with two different
// ones, z and w: emits x, one space and z; w is the next x. False when that is not the case.
inline bool Normalizer::lane_separators(const unsigned char* p, std::size_t& i, std::size_t n,
                                        std::size_t& xb, std::size_t j, detail::Peek& x,
                                        const detail::Peek& y, detail::PendingRun& run,
                                        detail::Sink& sink) {
  using detail::kLetter;
  detail::Peek z;
  const std::size_t k = detail::skip_separators(p, j + y.len(), n, z);
  if (k >= n || z.cls() != kLetter) return false;
  detail::Peek w;
  const std::size_t m = detail::after_letter(p, k + z.len(), n, w);
  if (m >= n || m - k > 64 || w.cls() != kLetter || w.same_text(z)) return false;
  // x ends a word, separators, then z starts a word of >= 2 letters: no run, no stretch.
  detail::lane_put(sink, run, x, orig_ + xb, static_cast<unsigned>(j - xb));
  run.flush(sink);
  sink.put_space(orig_ + j, orig_ + k);
  detail::lane_put(sink, run, z, orig_ + k, static_cast<unsigned>(m - k));
  x = w;
  i = xb = m;
  return true;
}

#ifndef VIGIL_TEXT_NO_SIMD
// The SIMD kernel needs 66 readable bytes; a shorter rest (the end of a short message) is copied
// into a buffer padded with 0x80, which the kernel treats as a stop, so it ends before it
// exactly as it would before real non-ASCII bytes.
inline std::size_t Normalizer::ascii_kernel(const unsigned char* p, std::size_t avail,
                                            std::uint64_t orig, detail::Sink& sink) {
  unsigned char buf[64 + 66 + 2];
  if (avail < 66) {
    std::memcpy(buf, p, avail);
    std::memset(buf + avail, 0x80, 66);
    p = buf;
    avail += 66;
  }
#ifdef VIGIL_TEXT_X86_DISPATCH
  return detail::g_ascii_kernel(p, avail, orig, sink);
#else
  return detail::AsciiKernel{}(xsimd::default_arch{}, p, avail, orig, sink);
#endif
}
#endif

inline void Normalizer::feed_bytes(const unsigned char* p, std::size_t n, detail::Sink& sink,
                                   NormalizedText& out) {
  std::size_t i = 0;
  fast_retry_ = 0;
  while (i < n) {
    const detail::Peek x = detail::peek(p, i, n);
    if (x.cls() == detail::kLetter) {
      if (simd_ && !idle_ && stretch(p, i, n, x)) continue;
      if (simd_ && (idle_ || (idle_ = pipe_.drain_before(detail::unit_of(x, orig_ + i), sink)))) {
        i = letter_lane(p, i, n, x, sink);
        continue;
      }
      pipe_.begin_unit(sink) = detail::unit_of(x, orig_ + i);
      pipe_.end_unit();
      i += x.len();
      continue;
    }
    if (x.cls() != 0xFF) {
      code_point_peek(x, orig_ + i, sink);
      i += x.len();
      continue;
    }
    if (detail::utf8_decode(p + i, n - i).need_more) {
      npartial_ = static_cast<unsigned>(n - i);
      std::memcpy(partial_, p + i, npartial_);
      break;
    }
    invalid_byte(orig_ + i, sink, out);
    ++i;
  }
  orig_ += n;
}

// A stretched letter (the third or later copy of it in a row): skips every further copy at once
// (linear scans of long runs of one letter at memory speed; the result is the same).
inline bool Normalizer::stretch(const unsigned char* p, std::size_t& i, std::size_t n,
                                const detail::Peek& x) {
  const detail::Unit u = detail::unit_of(x, orig_ + i);
  if (i + 2 * x.len() > n || !pipe_.stretching(u)) return false;
  const std::size_t copies = detail::repeat_count(p, i, x.len(), n);
  pipe_.extend_stretch(u, copies);
  i += copies * x.len();
  return true;
}

inline void Normalizer::code_point_peek(const detail::Peek& x, std::uint64_t off,
                                        detail::Sink& sink) {
  idle_ = false;
  if (x.cls() == detail::kRemove) {
    pipe_.push_removed(off, off + x.len());
    return;
  }
  detail::Unit& u = pipe_.begin_unit(sink);
  u = detail::unit_of(x, off);
  if (x.cls() == detail::kSep || x.cls() == detail::kApos) {
    u.text4 = ' ';
    u.n = 1;
    u.ident = false;
  }
  pipe_.end_unit();
}

inline void Normalizer::invalid_byte(std::uint64_t off, detail::Sink& sink, NormalizedText& out) {
  idle_ = false;
  ++out.invalid_bytes;
  detail::Unit& u = pipe_.begin_unit(sink);
  u.ob = off;
  u.oe = off + 1;
  u.cls = detail::kSep;
  u.text4 = ' ';
  u.pool = 0;
  u.n = 1;
  u.ident = false;
  pipe_.end_unit();
}

inline void Normalizer::finish(NormalizedText& out) {
  detail::Sink sink(out.text, out.map_, out.norm_base, 64);
  const std::uint64_t base = orig_ - npartial_;
  for (unsigned j = 0; j < npartial_; ++j) invalid_byte(base + j, sink, out);
  npartial_ = 0;
  idle_ = false;
  pipe_.finish(sink);
  sink.done();
}

inline void normalize(std::string_view input, NormalizedText& out) {
  out.clear();
  Normalizer n;
  n.feed(input, out);
  n.finish(out);
}

inline NormalizedText normalize(std::string_view input) {
  NormalizedText out;
  normalize(input, out);
  return out;
}

inline std::string normalize_term(std::string_view term) {
  NormalizedText t = normalize(term);
  std::string& s = t.text;
  const std::size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return std::string();
  const std::size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

inline bool in_scriptio_continua(const char* p, const char* end) {
  if (p >= end) return false;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  if (*u < 0x80) return false;
  const detail::Decoded d = detail::utf8_decode(u, static_cast<std::size_t>(end - p));
  if (d.invalid || d.need_more) return false;
  return detail::entry_continua(detail::table_entry(d.cp));
}

}  // namespace text
}  // namespace v1
}  // namespace vigil

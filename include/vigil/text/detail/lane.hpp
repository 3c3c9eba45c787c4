// vigil: building units from code points, and the register-sized view the letter lane uses.
#pragma once

#include <cstdint>
#include <cstring>

#include "vigil/text/detail/pipeline.hpp"
#include "vigil/text/detail/unicode.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

/// A code point as the letter lane sees it, packed in one 64-bit word so that it lives in a
/// register (built with shifts: field-by-field stores then a wide reload stall the CPU):
/// bits 0-31 folded text (up to 4 bytes inline, else a kPool offset), 32-39 its length,
/// 40-47 class (0xFF: invalid or unfinished sequence), 48-55 original length, 56 identity,
/// 57 "run letter" and 58-59 its kept-bytes mask (set only in kShortPeeks: see make_peek).
/// The original length is also kept apart, set from the lead byte alone: the next position then
/// does not wait for the table load (the lane's loop is otherwise one long dependency chain).
struct Peek {
  std::uint64_t v = std::uint64_t(0xFF) << 40;
  unsigned olen = 0;

  std::uint32_t text() const { return static_cast<std::uint32_t>(v); }
  unsigned n() const { return (v >> 32) & 0xFF; }
  unsigned cls() const { return (v >> 40) & 0xFF; }
  unsigned len() const { return olen; }
  bool ident() const { return (v >> 56) & 1; }
  bool same_text(const Peek& o) const { return ((v ^ o.v) & 0xFFFFFFFFFFull) == 0; }
};

/// The first `len` (1..4) bytes at p as a little-endian word, zero-padded.
inline std::uint32_t load_le(const unsigned char* p, unsigned len) {
  std::uint32_t t = 0;
  for (unsigned k = 0; k < len; ++k) t |= std::uint32_t(p[k]) << (8 * k);
  return t;
}

/// The Peek of a code point below U+0800 (1- and 2-byte sequences: ASCII, Latin, Greek,
/// Cyrillic, Hebrew, Arabic...), computed from the tables at compile time: one load instead of
/// decoding and three dependent table loads.
constexpr std::uint64_t make_peek(std::uint32_t cp) {
  const std::uint32_t e = table_entry(cp);
  const std::uint32_t len = cp < 0x80 ? 1 : 2;
  const std::uint32_t flen = entry_len(e);
  std::uint32_t text = cp < 0x80 ? cp : (0xC0 | (cp >> 6)) | ((0x80 | (cp & 0x3F)) << 8);
  bool ident = true;
  if (flen != 0) {
    text = 0;
    for (std::uint32_t k = 0; k < flen && k < 4; ++k)
      text |= std::uint32_t(static_cast<unsigned char>(kPool[entry_off(e) + k])) << (8 * k);
    if (flen > 4) text = entry_off(e);
    ident = flen == len && utf8_seq_len(static_cast<unsigned char>(kPool[entry_off(e)])) == len;
  }
  // A run letter is a letter the two-byte loop may put in a pending run as it is: identity, or
  // folded to one byte (Cyrillic 'а' -> 'a'). One bit, so that the loop tests it in one step.
  const std::uint32_t outlen = flen == 0 ? len : flen;
  const bool run_letter = entry_class(e) == kLetter && (ident || outlen == 1);
  return text | (std::uint64_t(outlen) << 32) | (std::uint64_t(entry_class(e)) << 40) |
         (std::uint64_t(len) << 48) | (std::uint64_t(ident) << 56) |
         (std::uint64_t(run_letter) << 57) |
         (std::uint64_t(run_letter ? (1u << outlen) - 1 : 0) << 58);
}

struct ShortPeeks {
  std::uint64_t v[0x800] = {};
  constexpr ShortPeeks() {
    for (std::uint32_t cp = 0; cp < 0x800; ++cp) v[cp] = make_peek(cp);
  }
};
inline constexpr ShortPeeks kShortPeeks{};

/// Decodes and classifies the code point at p[j] (j < n).
VIGIL_TEXT_HOT Peek peek(const unsigned char* p, std::size_t j, std::size_t n) {
  Peek r;
  const unsigned char b = p[j];
  if (b < 0x80) {
    r.v = kShortPeeks.v[b];
    r.olen = 1;
    return r;
  }
  if (b >= 0xC2 && b < 0xE0 && j + 1 < n && (p[j + 1] & 0xC0) == 0x80) {
    r.v = kShortPeeks.v[((b & 0x1Fu) << 6) | (p[j + 1] & 0x3Fu)];
    r.olen = 2;
    return r;
  }
  const Decoded d = utf8_decode(p + j, n - j);
  if (d.invalid || d.need_more) return r;
  r.olen = d.len;
  const std::uint32_t e = table_entry(d.cp);
  const std::uint64_t meta = (std::uint64_t(entry_class(e)) << 40) | (std::uint64_t(d.len) << 48);
  const unsigned flen = entry_len(e);
  if (flen == 0) {
    r.v = load_le(p + j, d.len) | (std::uint64_t(d.len) << 32) | meta | (std::uint64_t(1) << 56);
    return r;
  }
  const auto* f = reinterpret_cast<const unsigned char*>(kPool + entry_off(e));
  const bool ident = flen == d.len && utf8_seq_len(*f) == d.len;
  const std::uint32_t text = flen <= 4 ? load_le(f, flen) : entry_off(e);
  r.v = text | (std::uint64_t(flen) << 32) | meta | (std::uint64_t(ident) << 56);
  return r;
}

/// Emits a letter seen by the lane at original [off, oe) (oe > its own end when the lane
/// absorbed removed code points after it).
VIGIL_TEXT_HOT void put_peek(Sink& o, const Peek& x, std::uint64_t off, std::uint64_t oe) {
  const unsigned n = x.n();
  char* d = o.room(n);
  if (n <= 4) {
    const std::uint32_t t = x.text();
    std::memcpy(d, &t, 4);  // the sink keeps 8 spare bytes
  } else {
    std::memcpy(d, kPool + x.text(), n);
  }
  o.map->add(o.base + o.w, n, off, oe, x.ident() && oe == off + x.len());
  o.w += n;
}

/// Letters the lane has written but not yet recorded in the map: identity letters and letters
/// folded to one byte (Cyrillic 'а' -> 'a') over up to 64 original bytes become one map entry,
/// a plain run or a window segment (a map call per letter dominated the lane). Every other
/// write to the sink must flush first, so that the run stays contiguous in both texts.
struct PendingRun {
  std::uint64_t norm = 0, orig = 0;
  std::uint64_t keep = 0;  // original bytes (from orig) that produced an output byte
  std::uint32_t len = 0;   // output bytes
  std::uint32_t olen = 0;  // original bytes

  VIGIL_TEXT_HOT void flush(Sink& o) {
    if (len == 0) return;
    if (len == olen) {
      o.map->add(norm, len, orig, orig + len, true);
    } else {
      o.map->add_window(norm, len, orig, olen, keep, 0);
    }
    len = olen = 0;
    keep = 0;
  }
};

/// Emits letter `x` standing for original [off, off + olen) (olen > x.len() when removed code
/// points were absorbed into it).
VIGIL_TEXT_HOT void lane_put(Sink& o, PendingRun& run, const Peek& x, std::uint64_t off,
                             unsigned olen) {
  const unsigned n = x.n();
  const bool ident = x.ident() && olen == x.len();
  if (!ident && n != 1) {
    run.flush(o);
    return put_peek(o, x, off, off + olen);
  }
  if (run.olen + olen > 64 || (run.len != 0 && off != run.orig + run.olen)) run.flush(o);
  if (run.len == 0) {
    run.norm = o.base + o.w;
    run.orig = off;
  }
  const std::uint32_t t = x.text();  // identity or one byte: at most 4 bytes inline
  std::memcpy(o.room(n), &t, 4);
  o.w += n;
  run.keep |= (ident ? (std::uint64_t(1) << n) - 1 : 1) << run.olen;
  run.len += n;
  run.olen += olen;
}

VIGIL_TEXT_HOT void lane_put(Sink& o, PendingRun& run, const Peek& x, std::uint64_t off) {
  lane_put(o, run, x, off, x.len());
}

/// Position after the removed code points (harakat, tatweel, ...) that follow a letter ending
/// at p[k]: the letter absorbs them. `next` is the code point there (unset when that is n).
VIGIL_TEXT_HOT std::size_t after_letter(const unsigned char* p, std::size_t k, std::size_t n,
                                        Peek& next) {
  while (k < n && (next = peek(p, k, n)).cls() == kRemove) k += next.len();
  return k;
}

/// Position after a separator run from p[k] on; removed code points inside it belong to it
/// (the scalar path widens the separator over them). `next` is the code point there.
VIGIL_TEXT_HOT std::size_t skip_separators(const unsigned char* p, std::size_t k, std::size_t n,
                                           Peek& next) {
  while (k < n && ((next = peek(p, k, n)).cls() == kSep || next.cls() == kRemove))
    k += next.len();
  return k;
}

inline Unit unit_of(const Peek& x, std::uint64_t off) {
  Unit u;
  u.pool = 0;
  u.ob = off;
  u.oe = off + x.len();
  u.cls = static_cast<std::uint8_t>(x.cls());
  u.n = static_cast<std::uint8_t>(x.n());
  u.ident = x.ident();
  u.text4 = u.n <= 4 ? x.text() : 0;
  if (u.n > 4) u.pool = x.text();
  return u;
}

}  // namespace detail

}  // namespace text
}  // namespace v1
}  // namespace vigil

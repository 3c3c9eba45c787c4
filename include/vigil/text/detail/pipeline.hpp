// vigil: the scalar normalisation state machine (contextual rules over a stream of units).
//
// Stages, each holding back only what its rule needs to decide:
//   1. absorb   — removed code points widen the previous unit's original extent;
//   2. context  — apostrophes and @ $ ! | between word characters; leet digits next to letters;
//   3. join     — runs of >= 3 single word characters separated by single separators;
//   4. collapse — >= 3 identical letters become one; separator runs become one space; emit.
// Every decision depends only on the units, never on where a chunk ended, so any chunking of the
// input gives the same output.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "vigil/text/detail/offset_map.hpp"
#include "vigil/text/detail/unicode.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

/// Where output goes: the window's text and map, and the stream offset of text[0]. The text is
/// grown ahead and written through a raw pointer (appending byte by byte costs too much); the
/// owner calls done() to trim it.
struct Sink {
  std::string* text;
  OffsetMap* map;
  std::uint64_t base;
  std::size_t w;
  char* buf = nullptr;
  std::size_t cap = 0;

  Sink(std::string& t, OffsetMap& m, std::uint64_t b, std::size_t expect)
      : text(&t), map(&m), base(b), w(t.size()) {
    grow(expect);
  }
  /// Room for `more` bytes plus 8 spare (short texts are stored as whole 4-byte words).
  VIGIL_TEXT_HOT char* room(std::size_t more) {
    if (w + more + 8 > cap) grow(more);
    return buf + w;
  }
  void grow(std::size_t more) {
    text->resize(std::max(w + more + 64, text->size() + text->size() / 2));
    buf = &(*text)[0];
    cap = text->size();
  }
  void put(const char* p, std::size_t n, std::uint64_t ob, std::uint64_t oe, bool ident) {
    std::memcpy(room(n), p, n);
    map->add(base + w, static_cast<std::uint32_t>(n), ob, oe, ident);
    w += n;
  }
  /// One space standing for the separators at original [ob, oe).
  void put_space(std::uint64_t ob, std::uint64_t oe) {
    *room(1) = ' ';
    map->add(base + w, 1, ob, oe, oe - ob == 1);
    ++w;
  }
  void done() { text->resize(w); }
};

/// One original code point (plus what was absorbed into it) on its way to the output.
/// Trivial on purpose: the pipeline keeps ~40 slots that are filled only when used, and a
/// Normalizer must stay cheap to construct (one per message).
struct Unit {
  std::uint64_t ob, oe;  ///< original extent
  std::uint32_t text4;   ///< folded text when n <= 4 (zero-padded)
  std::uint32_t pool;    ///< offset of the folded text in kPool when n > 4
  std::uint8_t n;        ///< folded text length
  std::uint8_t cls;
  bool ident;            ///< output byte k corresponds to original byte ob + k

  const char* data() const {
    return n <= 4 ? reinterpret_cast<const char*>(&text4) : kPool + pool;
  }
  /// The pool holds each distinct string once, so offsets compare like strings.
  bool same_text(const Unit& o) const {
    return n == o.n && (n <= 4 ? text4 == o.text4 : pool == o.pool);
  }
  void set_text(const char* p, unsigned len) {
    n = static_cast<std::uint8_t>(len);
    if (len <= 4) {
      text4 = 0;
      std::memcpy(&text4, p, len);
    } else {
      pool = static_cast<std::uint32_t>(p - kPool);
    }
  }
  void set_char(char c) {
    text4 = static_cast<unsigned char>(c);
    n = 1;
    ident = ident && oe - ob == 1;
  }
  void widen_begin(std::uint64_t b) { ob = b; ident = false; }
  void widen_end(std::uint64_t e) { oe = e; ident = false; }
};

/// Emits a unit's text; short texts are copied as one 4-byte word (the sink keeps 8 bytes spare).
inline void put_unit(Sink& o, const Unit& u, std::uint64_t ob, std::uint64_t oe, bool ident) {
  if (u.n > 4) return o.put(u.data(), u.n, ob, oe, ident);
  std::memcpy(o.room(4), &u.text4, 4);
  o.map->add(o.base + o.w, u.n, ob, oe, ident);
  o.w += u.n;
}

inline bool is_word(std::uint8_t c) { return c == kLetter || c == kDigit || c == kMark; }

/// Letter a leetspeak digit stands for, or 0.
inline char leet_letter(char d) {
  switch (d) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '8': return 'b';
    default: return 0;
  }
}

class Pipeline {
 public:
  static constexpr unsigned kMaxLeetRun = 32;  // longer digit runs are numbers: bounded memory

  void reset() {
    has_held_ = has_lead_ = has_conn_ = digits_left_letter_ = joined_ = in_multi_ = false;
    prev_ = kPrevNone;
    ndigits_ = njb_ = singles_ = 0;
    gkind_ = kGroupNone;
  }

  /// Stage 1: the slot for the next unit that is not removed (releases the one held before).
  /// The caller fills every field in place, then calls end_unit().
  Unit& begin_unit(Sink& o) {
    if (has_held_) context(held_, o);
    has_held_ = true;
    return held_;
  }
  void end_unit() {
    if (has_lead_) {
      held_.widen_begin(lead_);
      has_lead_ = false;
    }
  }
  /// Stage 1: a removed code point at original [ob, oe).
  void push_removed(std::uint64_t ob, std::uint64_t oe) {
    if (has_held_) {
      held_.widen_end(oe);
    } else if (!has_lead_) {
      lead_ = ob;
      has_lead_ = true;
    }
  }

  void finish(Sink& o) {
    if (has_held_) context(held_, o);
    has_held_ = has_lead_ = false;
    if (has_conn_) {
      has_conn_ = false;
      to_sep(conn_);
      ctx_sep(conn_, o);
    }
    flush_digits(digits_left_letter_, o);
    join_finish(o);
    flush_group(o);
    reset();
  }

  /// A stretch shortcut. stretching(): the held unit is the same letter as `next` (a letter, not
  /// widened), ending where it starts, and stage 4 is already collapsing a stretch of it, so
  /// another copy would only lengthen the stretch. extend_stretch() then applies `copies`
  /// identical units back to back from `next` on at once, exactly as begin_unit / end_unit per
  /// copy would.
  bool stretching(const Unit& next) const {
    if (!has_held_ || has_lead_ || has_conn_ || ndigits_ != 0 || !in_multi_ || njb_ != 0)
      return false;
    if (held_.cls != kLetter || !held_.same_text(next) || held_.oe != next.ob) return false;
    return gkind_ == kGroupLetter && g1_.same_text(held_) && gcount_ >= 2;
  }
  void extend_stretch(const Unit& next, std::size_t copies) {
    const std::uint64_t len = next.oe - next.ob;
    // What context(held_) and then each copy but the last do: the group swallows them.
    digits_left_letter_ = false;
    prev_ = kPrevLetter;
    gcount_ = 3;  // only ">= 3" matters from here on (and it cannot overflow)
    goe_ = next.ob + (copies - 1) * len;
    held_ = next;
    held_.ob = goe_;
    held_.oe = goe_ + len;
  }

  /// Fast lanes (the letter lane and the SIMD kernel) may take over when the next unit is a
  /// letter. Releases the held unit (what the scalar path would do on `next`) and reports whether
  /// every stage is then idle inside a word of >= 2 characters, with nothing `next` could
  /// still collapse with.
  bool drain_before(const Unit& next, Sink& o) {
    if (!has_held_) return false;
    has_held_ = false;
    context(held_, o);
    if (has_conn_ || ndigits_ != 0 || !in_multi_ || njb_ != 0 || prev_ != kPrevLetter) return false;
    if (gkind_ == kGroupLetter && g1_.same_text(next)) return false;
    flush_group(o);
    return true;
  }

 private:
  enum Prev : std::uint8_t { kPrevNone, kPrevLetter, kPrevDigit };
  enum Group : std::uint8_t { kGroupNone, kGroupSep, kGroupLetter };

  static void to_sep(Unit& u) {
    u.cls = kSep;
    u.text4 = ' ';
    u.n = 1;
  }

  // ---- stage 2: context -------------------------------------------------------------------
  void context(Unit& u, Sink& o) {
    if (has_conn_) resolve_conn(u, o);
    switch (u.cls) {
      case kApos:
      case kLeetSym:
        if (prev_ != kPrevNone) {  // maybe between word characters: wait for the next unit
          conn_ = u;
          has_conn_ = true;
          return;
        }
        to_sep(u);
        ctx_sep(u, o);
        return;
      case kLetter:
      case kMark:
        ctx_letter(u, o);
        return;
      case kDigit:
        ctx_digit(u, o);
        return;
      default:
        ctx_sep(u, o);
    }
  }

  void resolve_conn(Unit& next, Sink& o) {
    has_conn_ = false;
    if (!is_word(next.cls)) {
      to_sep(conn_);
      ctx_sep(conn_, o);
    } else if (conn_.cls == kApos) {
      next.widen_begin(conn_.ob);  // dropped: its bytes belong to the next character
    } else {
      conn_.cls = kLetter;  // the table's folded text is already the letter
      ctx_letter(conn_, o);
    }
  }

  void ctx_letter(Unit& u, Sink& o) {
    flush_digits(true, o);
    join(u, o);
    prev_ = kPrevLetter;
  }

  void ctx_digit(Unit& u, Sink& o) {
    const char leet = u.n == 1 ? leet_letter(u.data()[0]) : 0;
    if (!leet) {
      flush_digits(digits_left_letter_, o);
      join(u, o);
      prev_ = kPrevDigit;
      return;
    }
    if (ndigits_ == 0) digits_left_letter_ = prev_ == kPrevLetter;
    if (digits_left_letter_) {  // touches a letter on the left: folds whatever follows
      u.set_char(leet);
      u.cls = kLetter;
      join(u, o);
      prev_ = kPrevLetter;
      return;
    }
    if (ndigits_ == kMaxLeetRun) flush_digits(false, o);
    digits_[ndigits_++] = u;
    prev_ = kPrevDigit;
  }

  void ctx_sep(Unit& u, Sink& o) {
    flush_digits(digits_left_letter_, o);
    join(u, o);
    prev_ = kPrevNone;
  }

  void flush_digits(bool fold, Sink& o) {
    for (unsigned k = 0; k < ndigits_; ++k) {
      Unit& d = digits_[k];
      if (fold) {
        d.set_char(leet_letter(d.data()[0]));
        d.cls = kLetter;
      }
      join(d, o);
    }
    ndigits_ = 0;
    digits_left_letter_ = false;
  }

  // ---- stage 3: join separated single characters ------------------------------------------
  void join(Unit& u, Sink& o) {
    if (is_word(u.cls)) {
      join_word(u, o);
    } else {
      join_sep(u, o);
    }
  }

  void join_word(Unit& u, Sink& o) {
    if (in_multi_) return collapse(u, o);
    if (njb_ == 0 || jb_[njb_ - 1].cls == kSep) {  // a word starts: maybe a single
      jb_[njb_++] = u;
      return;
    }
    // The buffered word has a second character: it was no single; release all as they are.
    release_buffer(o);
    in_multi_ = true;
    collapse(u, o);
  }

  void join_sep(Unit& u, Sink& o) {
    in_multi_ = false;
    if (njb_ == 0) return collapse(u, o);
    if (jb_[njb_ - 1].cls == kSep) {  // two separators: the run (if any) ends
      release_buffer(o);
      return collapse(u, o);
    }
    if (joined_) {  // buffer is [sep, single]: the single continues the joined run
      Unit w = jb_[1];
      w.widen_begin(jb_[0].ob);
      collapse(w, o);
      jb_[0] = u;
      njb_ = 1;
      return;
    }
    if (++singles_ < 3) {
      jb_[njb_++] = u;
      return;
    }
    emit_joined(o);
    jb_[0] = u;
    njb_ = 1;
    joined_ = true;
  }

  /// Buffer is [w s w s w]: emit the words, each separator absorbed into the word after it.
  void emit_joined(Sink& o) {
    collapse(jb_[0], o);
    for (unsigned k = 1; k + 1 < njb_; k += 2) {
      Unit w = jb_[k + 1];
      w.widen_begin(jb_[k].ob);
      collapse(w, o);
    }
  }

  void release_buffer(Sink& o) {
    for (unsigned k = 0; k < njb_; ++k) collapse(jb_[k], o);
    njb_ = 0;
    singles_ = 0;
    joined_ = false;
  }

  void join_finish(Sink& o) {
    if (njb_ != 0 && jb_[njb_ - 1].cls != kSep) {  // the last word ended with the input
      if (joined_) {
        Unit w = jb_[1];
        w.widen_begin(jb_[0].ob);
        collapse(w, o);
        njb_ = 0;
      } else if (++singles_ >= 3) {
        emit_joined(o);
        njb_ = 0;
      }
    }
    release_buffer(o);
  }

  // ---- stage 4: collapse stretches and separator runs, emit -------------------------------
  void collapse(const Unit& u, Sink& o) {
    if (u.cls == kSep) {
      if (gkind_ == kGroupSep) {
        goe_ = u.oe;
        return;
      }
      flush_group(o);
      gkind_ = kGroupSep;
      g1_ = u;
      goe_ = u.oe;
      return;
    }
    if (u.cls == kLetter) {
      if (gkind_ == kGroupLetter && g1_.same_text(u)) {
        if (++gcount_ == 2) g2_ = u;
        goe_ = u.oe;
        return;
      }
      flush_group(o);
      gkind_ = kGroupLetter;
      g1_ = u;
      gcount_ = 1;
      goe_ = u.oe;
      return;
    }
    flush_group(o);
    put_unit(o, u, u.ob, u.oe, u.ident);
  }

  void flush_group(Sink& o) {
    if (gkind_ == kGroupSep) {
      o.put_space(g1_.ob, goe_);
    } else if (gkind_ == kGroupLetter) {
      if (gcount_ >= 3) {
        put_unit(o, g1_, g1_.ob, goe_, false);
      } else {
        put_unit(o, g1_, g1_.ob, g1_.oe, g1_.ident);
        if (gcount_ == 2) put_unit(o, g2_, g2_.ob, g2_.oe, g2_.ident);
      }
    }
    gkind_ = kGroupNone;
  }

  // stage 1
  Unit held_;
  std::uint64_t lead_ = 0;
  bool has_held_ = false;
  bool has_lead_ = false;
  // stage 2
  bool has_conn_ = false;
  bool digits_left_letter_ = false;
  Prev prev_ = kPrevNone;
  std::uint8_t ndigits_ = 0;
  Unit conn_;
  Unit digits_[kMaxLeetRun];
  // stage 3
  Unit jb_[6];
  std::uint8_t njb_ = 0;
  std::uint8_t singles_ = 0;
  bool joined_ = false;
  bool in_multi_ = false;
  // stage 4
  Group gkind_ = kGroupNone;
  std::uint32_t gcount_ = 0;
  std::uint64_t goe_ = 0;
  Unit g1_, g2_;
};

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil

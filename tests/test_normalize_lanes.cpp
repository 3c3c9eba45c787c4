// Tests for the normaliser's fast paths that are not the SIMD ASCII kernel: the short letter
// lane (runs of one- and two-byte letters: Cyrillic, Greek, Arabic, Latin ...) and the skip over
// stretched letters. Each must give exactly the scalar state machine's result (text, the
// original span of every normalised byte, invalid-byte count), in blocks and in streams.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "text_test_support.hpp"
#include "vigil/text/normalize.hpp"

namespace vt = vigil::text;
using vigil_test::utf8;

namespace {

struct Result {
  std::string text;
  std::vector<vt::Span> spans;  // original span of every normalised byte
  std::uint64_t invalid = 0;
  std::uint64_t short_lane_bytes = 0;
};

/// Normalises `in` fed in pieces ending at `cuts` (stream offsets, increasing).
Result run(const std::string& in, bool fast, const std::vector<std::size_t>& cuts = {}) {
  vt::Normalizer n;
  n.set_simd(fast);
  vt::NormalizedText out;
  std::size_t prev = 0;
  for (std::size_t c : cuts) {
    n.feed(std::string_view(in).substr(prev, c - prev), out);
    prev = c;
  }
  n.feed(std::string_view(in).substr(prev), out);
  n.finish(out);
  Result r{out.text, {}, out.invalid_bytes, n.short_lane_bytes()};
  for (std::uint64_t k = 0; k < out.text.size(); ++k)
    r.spans.push_back(out.original_span(k, k + 1));
  return r;
}

void check_same(const Result& fast, const Result& scalar, const std::string& what) {
  INFO(what);
  REQUIRE(fast.text == scalar.text);
  CHECK(fast.invalid == scalar.invalid);
  for (std::size_t k = 0; k < fast.spans.size(); ++k) {
    if (fast.spans[k].begin != scalar.spans[k].begin || fast.spans[k].end != scalar.spans[k].end) {
      FAIL_CHECK("span of normalised byte " << k << " differs: [" << fast.spans[k].begin << ", "
                                            << fast.spans[k].end << ") vs ["
                                            << scalar.spans[k].begin << ", "
                                            << scalar.spans[k].end << ")");
      return;
    }
  }
}

/// A random word in one script: letters drawn from a small alphabet (so doubles and stretches
/// occur), sometimes with harakat, tatweel, combining marks or an evasion inside.
std::string random_word(std::mt19937& rng) {
  static const std::vector<std::uint32_t> cyrillic = {0x430, 0x431, 0x432, 0x436, 0x438, 0x43E,
                                                      0x440, 0x441, 0x442, 0x445, 0x410, 0x41C,
                                                      0x451, 0x456, 0x4D9};
  static const std::vector<std::uint32_t> arabic = {0x627, 0x628, 0x62C, 0x62F, 0x647, 0x644,
                                                    0x645, 0x633, 0x625, 0x623, 0x629, 0x649,
                                                    0x6CC, 0x6A9};
  static const std::vector<std::uint32_t> greek = {0x3B1, 0x3B2, 0x3BF, 0x3C2, 0x3C3, 0x391, 0x3A3};
  static const std::vector<std::uint32_t> latin = {'a', 'b', 'e', 'o', 's', 'A', 'E', 0xE9, 0xDF};
  static const std::vector<std::uint32_t> removed = {0x64B, 0x64E, 0x650, 0x651, 0x652, 0x640,
                                                     0x301, 0x200B, 0xAD};
  const std::vector<std::uint32_t>* sets[] = {&cyrillic, &arabic, &greek, &latin};
  const auto& letters = *sets[rng() % 4];
  std::string w;
  const unsigned len = 1 + rng() % 9;
  for (unsigned k = 0; k < len; ++k) {
    w += utf8(letters[rng() % letters.size()]);
    const unsigned r = rng() % 20;
    if (r == 0) w += utf8(removed[rng() % removed.size()]);  // harakat, tatweel, marks ...
    if (r == 1) w += utf8(0x94D);                              // a kept combining mark
    if (r == 2) w += letters[0] < 0x80 ? "4" : "";             // leetspeak next to letters
    if (r == 3) w += rng() % 2 ? "'" : "\u2019";               // an apostrophe inside
  }
  return w;
}

/// Random text that exercises where the short lane must stop or hand over: every script,
/// single letters and letter-spaced words, Arabic proclitics, separators of all kinds, emoji,
/// invalid bytes, sequences split by chunk boundaries (the streamed variants).
std::string random_mixed(std::mt19937& rng, std::size_t size) {
  const char* extras[] = {"\xD0",     "\x80",          "\xFF",         "\xD8\xA7\xD9",
                          "وال",      "بال",           "لل",           "فالجهاد",
                          "д ж и х а д", "ج ه ا د",   "j i h a d",    "it's",
                          "o'o",      "🔥",            "👍🏽",           "❤️",
                          "ـــ",      "\xE2\x80\x8B",  "ааааа",        "ссс",
                          "ллл ж",    "1984",          "a",            "ж",
                          "\u0301",   "ﻻ",             "ǅ",            "İ"};
  const char* seps[] = {" ", " ", " ", " ", "  ", ", ", ". ", "\n", "-", "'", "\t", ""};
  std::string s;
  while (s.size() < size) {
    if (rng() % 6 == 0) {
      s += extras[rng() % (sizeof extras / sizeof *extras)];
    } else {
      s += random_word(rng);
    }
    s += seps[rng() % (sizeof seps / sizeof *seps)];
  }
  return s;
}

std::vector<std::size_t> random_cuts(std::mt19937& rng, std::size_t size, unsigned max_step) {
  std::vector<std::size_t> cuts;
  for (std::size_t at = 1 + rng() % max_step; at < size; at += 1 + rng() % max_step)
    cuts.push_back(at);
  return cuts;
}

}  // namespace

TEST_CASE("the short lane gives the scalar path's result on random mixed-script text") {
  std::mt19937 rng(23);
  std::uint64_t lane_bytes = 0, total = 0;
  for (int round = 0; round < 1500; ++round) {
    const std::string s = random_mixed(rng, 20 + rng() % 600);
    const Result scalar = run(s, false);
    const Result fast = run(s, true);
    check_same(fast, scalar, "round " + std::to_string(round));
    lane_bytes += fast.short_lane_bytes;
    total += s.size();
    if (round % 8 == 0) {  // streamed, in small pieces and in 4 KB-like pieces
      check_same(run(s, true, random_cuts(rng, s.size(), 9)), scalar,
                 "small chunks " + std::to_string(round));
      check_same(run(s, true, random_cuts(rng, s.size(), 200)), scalar,
                 "large chunks " + std::to_string(round));
    }
  }
  // The lane must actually run on this text, or this test proves nothing.
  CHECK(lane_bytes > total / 5);
  CHECK(run(random_mixed(rng, 4096), false).short_lane_bytes == 0);
}

TEST_CASE("the short lane gives the scalar path's result for every 1- and 2-byte code point") {
  // Each context puts the code point inside a long word, next to itself (double, triple), at
  // a word start after one space, before a space and a short word, before harakat, and across
  // a window edge of the lane (64 original bytes).
  const std::string run_of = "жбвгдежзиклмнопрстуфхцчшщ";  // 25 different letters
  const char* contexts[] = {"абвгд%cежз ийк",   "абвгд%c%cежз ийк", "абв %c%c%c где",
                            "абвг %cд ежз",     "абвг %c ежз",      "абвгд%c ж ийк",
                            "абвгд%c\u064e ийк", "abcde %cfg hij",  "abcdefghijklmnopqrs%c tuv",
                            "جهاد %cجها د",     "x%c"};
  for (std::uint32_t cp = 1; cp < 0x800; ++cp) {
    if (cp >= 0x80 && cp < 0xA0) continue;  // C1 controls: separators like many others
    const std::string c = utf8(cp);
    for (const char* ctx : contexts) {
      const std::string s = vigil_test::in_context(ctx, c);
      check_same(run(s, true), run(s, false), "U+" + std::to_string(cp) + " in " + ctx);
      const std::string longer = run_of + run_of + s + " " + run_of;
      check_same(run(longer, true), run(longer, false), "U+" + std::to_string(cp) + " long");
    }
  }
}

TEST_CASE("a long run of one letter collapses to it and maps back to the whole run") {
  const char* letters[] = {"a", "A", "\xD0\xB0" /* Cyrillic а */, "\xD0\x96" /* Ж */,
                           "\xD8\xA8" /* Arabic ب */, "\xE2\x84\x8C" /* ℌ */, "\xF0\x9D\x90\x9A"};
  const std::size_t lengths[] = {1, 2, 3, 4, 7, 8, 9, 63, 64, 65, 1000, 65537, std::size_t{1} << 20};
  for (const char* letter : letters) {
    const std::string one = letter;
    const std::string folded = vt::normalize_term(one);
    REQUIRE(folded.size() >= 1);
    for (std::size_t len : lengths) {
      std::string stretch;
      for (std::size_t k = 0; k < len; ++k) stretch += one;
      const std::string s = "go " + stretch + " now";
      INFO("letter " << one << " x " << len);
      const Result fast = run(s, true);
      std::string expected_word;
      for (std::size_t k = 0; k < (len >= 3 ? 1 : len); ++k) expected_word += folded;
      CHECK(fast.text == "go " + expected_word + " now");
      if (len >= 3) {  // every byte of the collapsed letter stands for the whole run
        for (std::size_t k = 3; k < 3 + folded.size(); ++k) {
          CHECK(fast.spans[k].begin == 3);
          CHECK(fast.spans[k].end == 3 + stretch.size());
        }
      }
      if (len <= 65537) check_same(fast, run(s, false), "fast vs scalar");
      std::mt19937 rng(static_cast<unsigned>(len));
      check_same(run(s, true, random_cuts(rng, s.size(), len > 1000 ? 4096 : 5)), fast,
                 "streamed");
    }
  }
}

namespace {

/// The fast path on `s` whole and cut in two at every byte gives the scalar path's result.
void check_whole_and_split_anywhere(const std::string& s) {
  const Result scalar = run(s, false);
  check_same(run(s, true), scalar, s);
  for (std::size_t cut = 1; cut < s.size(); ++cut)
    check_same(run(s, true, {cut}), scalar, s + " cut at " + std::to_string(cut));
}

}  // namespace

TEST_CASE("stretches next to harakat, apostrophes, digits and case changes match the scalar path") {
  const char* texts[] = {
      "aaaaaaaaaa'aaaa b",      "aaaaaAAAAAaaaa bb",        "xaaaaaaa4aaaa y",
      "ааааа\u064eааааа ж",     "ббббб\u0640ббб\u0640 жж",  "jiiiiiiiiiihaaaaad now",
      "a a a a a a a a aaaaaa", "زززززز ززز زز ز",         "ooooo0000ooooo p",
      "aaaa\xD0\xB0\xD0\xB0" "aa", "\xD0\xB0\xD0\xB0\xD0\xB0\xD0", "aaa\xFF" "aaaa",
      "ммммммм\u0301ммммм",     "ǅǅǅǅǅǅ dž",               "ssßßßss ſſſſ"};
  for (const char* t : texts) check_whole_and_split_anywhere(t);
}

TEST_CASE("apostrophes inside words match the scalar path, whole and split anywhere") {
  // The letter lane drops an apostrophe between two different letters and starts the second
  // one's extent at it; everything else around apostrophes is left to the scalar path.
  const char* texts[] = {
      "don't stop it's Aaron's", "rock'n'roll is", "o'o oo'o o'oo x", "l'homme d'abord",
      "м'ясо п’ять сім'я", "ab'َcd ef", "abَ'cd ef", "xy'́z w",
      "ab'4b cd", "ab''cd ef", "ab' cd", "ab'", "ab`cd ef", "جه'اد في", "ab'ж жж",
      "ab'Жx yz", "abc'ǅ dž", "ab'cd'ef'gh ij", "ab'c d e f", "ab'cc'cd", "ab'ccc de",
      "ab'ÿ" "cd", "ab'Ð", "aa'bb'aa", "ab'🔥 cd", "ab'c, de"};
  for (const char* t : texts) {
    const std::string s = t;
    check_whole_and_split_anywhere(s);
    // Again deep inside a long run of letters and words (the lanes are warm, windows full).
    const std::string longer = "абвгдежз ийклмноп " + s + " абвгд ежзий";
    check_same(run(longer, true), run(longer, false), s + " in a longer text");
  }
}

// Tests for vigil/text/normalize.hpp: the canonical form, the offset map, invalid input,
// streaming equivalence, SIMD == scalar, and the Unicode table generator's --check.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "text_test_support.hpp"
#include "vigil/text/normalize.hpp"

namespace vt = vigil::text;

namespace {

struct Result {
  std::string text;
  std::vector<vt::Span> spans;  // original span of every normalised byte
  std::uint64_t invalid = 0;
};

Result snapshot(const vt::NormalizedText& t) {
  Result r{t.text, {}, t.invalid_bytes};
  for (std::uint64_t k = 0; k < t.text.size(); ++k)
    r.spans.push_back(t.original_span(t.norm_base + k, t.norm_base + k + 1));
  return r;
}

Result run_chunks(const std::string& in, const std::vector<std::size_t>& cuts, bool simd) {
  vt::Normalizer n;
  n.set_simd(simd);
  vt::NormalizedText out;
  std::size_t prev = 0;
  for (std::size_t c : cuts) {
    n.feed(std::string_view(in).substr(prev, c - prev), out);
    prev = c;
  }
  n.feed(std::string_view(in).substr(prev), out);
  n.finish(out);
  return snapshot(out);
}

Result block(const std::string& in, bool simd = true) { return run_chunks(in, {}, simd); }

void check_same(const Result& a, const Result& b, const std::string& what) {
  INFO(what);
  REQUIRE(a.text == b.text);
  CHECK(a.invalid == b.invalid);
  for (std::size_t k = 0; k < a.spans.size(); ++k) {
    if (a.spans[k].begin != b.spans[k].begin || a.spans[k].end != b.spans[k].end) {
      FAIL_CHECK("span of normalised byte " << k << " differs");
      return;
    }
  }
}

/// Whole-word position of `word` in normalised `text` (npos if absent).
std::size_t find_word(const std::string& text, const std::string& word) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || text[at - 1] == ' ';
    const bool right = at + word.size() == text.size() || text[at + word.size()] == ' ';
    if (left && right) return at;
  }
  return std::string::npos;
}

struct Evasion {
  const char* name;
  const char* input;
  const char* normal;     // expected normal form
  const char* key;        // normalised key word
  const char* original;   // the original bytes the key word must map back to
};

const Evasion kEvasions[] = {
    {"fullwidth", "the \xEF\xBD\x83\xEF\xBD\x81\xEF\xBD\x8C\xEF\xBD\x89\xEF\xBD\x90\xEF\xBD\x88"
     "\xEF\xBD\x81\xEF\xBD\x94\xEF\xBD\x85 rises", "the caliphate rises", "caliphate",
     "\xEF\xBD\x83\xEF\xBD\x81\xEF\xBD\x8C\xEF\xBD\x89\xEF\xBD\x90\xEF\xBD\x88\xEF\xBD\x81"
     "\xEF\xBD\x94\xEF\xBD\x85"},
    {"mathematical bold", "the 𝐜𝐚𝐥𝐢𝐩𝐡𝐚𝐭𝐞 rises", "the caliphate rises", "caliphate",
     "𝐜𝐚𝐥𝐢𝐩𝐡𝐚𝐭𝐞"},
    {"circled", "the ⓒⓐⓛⓘⓟⓗⓐⓣⓔ rises", "the caliphate rises", "caliphate", "ⓒⓐⓛⓘⓟⓗⓐⓣⓔ"},
    {"cyrillic look-alikes", "the саlірhаtе rises", "the caliphate rises", "caliphate",
     "саlірhаtе"},
    {"uppercase cyrillic", "САLІРНАТЕ now", "caliphate now", "caliphate", "САLІРНАТЕ"},
    {"greek look-alikes", "jοin ιsιs", "join isis", "isis", "ιsιs"},
    {"zero-width", "the cal\u200Biph\u200Date rises", "the caliphate rises", "caliphate",
     "cal\u200Biph\u200Date"},
    {"soft hyphen and bidi", "x kil\u00ADl\u202E y", "x kill y", "kill", "kil\u00ADl\u202E"},
    {"overlay", "the c̶a̶l̶i̶p̶h̶a̶t̶e̶ rises", "the caliphate rises", "caliphate", "c̶a̶l̶i̶p̶h̶a̶t̶e̶"},
    {"diacritics", "Çàlïphâtë!", "caliphate ", "caliphate", "Çàlïphâtë"},
    {"decomposed diacritics", "cal\u0301iphate", "caliphate", "caliphate", "cal\u0301iphate"},
    {"ligature", "ﬁghter", "fighter", "fighter", "ﬁghter"},
    {"uppercase", "the CALIPHATE", "the caliphate", "caliphate", "CALIPHATE"},
    {"leet mixed", "the c@l1ph4te rises", "the caliphate rises", "caliphate", "c@l1ph4te"},
    {"leet digits", "sh4h33d", "shaheed", "shaheed", "sh4h33d"},
    {"leet leading digit", "J0in 7he", "join the", "join", "J0in"},
    {"leet bang", "k!ll them", "kill them", "kill", "k!ll"},
    {"leet pipe", "ki||", "ki ", "ki", "ki"},
    {"numbers stay", "kill -9 in 2014 1488", "kill 9 in 2014 1488", "2014", "2014"},
    {"separated spaces", "D A B I Q magazine", "dabiq magazine", "dabiq", "D A B I Q"},
    {"separated hyphens", "k-h-i-l-a-f-a-h", "khilafah", "khilafah", "k-h-i-l-a-f-a-h"},
    {"separated dots", "A.m.a.q agency", "amaq agency", "amaq", "A.m.a.q"},
    {"separated after word", "join i.s.i.s now", "join isis now", "isis", "i.s.i.s"},
    {"two singles not joined", "e.g this", "e g this", "this", "this"},
    {"stretched", "hijraaaah", "hijrah", "hijrah", "hijraaaah"},
    {"doubles kept", "kill allah shaheed", "kill allah shaheed", "allah", "allah"},
    {"apostrophe", "bay'ah and Mu’minin", "bayah and muminin", "muminin", "Mu’minin"},
    {"whitespace run", "martyrdom \t\n  operation", "martyrdom operation",
     "martyrdom operation", "martyrdom \t\n  operation"},
    {"punctuation", "National-Action", "national action", "action", "Action"},
    {"edges", "  hi  ", " hi ", "hi", "hi"},
    {"harakat", "الجِهَاد في", "الجهاد في", "الجهاد", "الجِهَاد"},
    {"tatweel", "الجهـــاد", "الجهاد", "الجهاد", "الجهـــاد"},
    {"alef variants", "أمير إمام آمن ٱلله", "امير امام امن الله", "امير", "أمير"},
    {"ta marbuta", "دولة الخلافة", "دوله الخلافه", "الخلافه", "الخلافة"},
    {"alef maqsura", "مصطفى", "مصطفي", "مصطفي", "مصطفى"},
    {"persian yeh keheh", "یک", "يك", "يك", "یک"},
    {"arabic presentation forms", "\xEF\xBB\xA3\xEF\xBB\xA0", "مل", "مل",
     "\xEF\xBB\xA3\xEF\xBB\xA0"},
    {"devanagari marks kept", "नमस्ते", "नमस्ते", "नमस्ते", "नमस्ते"},
};

std::string example_corpus() {
  std::string s;
  for (const Evasion& e : kEvasions) (s += e.input) += '\n';
  std::ifstream f("/work/shared/eval/evasions.jsonl");
  std::string line;
  while (std::getline(f, line)) (s += line) += '\n';
  return s;
}

}  // namespace

TEST_CASE("evasions normalise to the expected form and map back to the original word") {
  for (const Evasion& e : kEvasions) {
    INFO(e.name << ": " << e.input);
    const vt::NormalizedText t = vt::normalize(e.input);
    CHECK(t.text == e.normal);
    const std::size_t at = find_word(t.text, e.key);
    REQUIRE(at != std::string::npos);
    const vt::Span sp = t.original_span(at, at + std::strlen(e.key));
    const std::string in = e.input;
    const std::size_t want = in.find(e.original);
    REQUIRE(want != std::string::npos);
    CHECK(sp.begin == want);
    CHECK(sp.end == want + std::strlen(e.original));
  }
}

TEST_CASE("rule terms go through the same normalisation, trimmed") {
  CHECK(vt::normalize_term("  Caliphate ") == "caliphate");
  CHECK(vt::normalize_term("MARTYRDOM   Operation") == "martyrdom operation");
  CHECK(vt::normalize_term("إسلامية") == "اسلاميه");
  CHECK(vt::normalize_term("") == "");
  CHECK(vt::normalize_term(" \t ") == "");
}

TEST_CASE("compatibility and case folding come from the generated tables") {
  CHECK(vt::normalize("Straße").text == "strasse");
  CHECK(vt::normalize("İstanbul").text == "istanbul");
  CHECK(vt::normalize("a\u00A0b").text == "a b");     // no-break space is a separator
  CHECK(vt::normalize("１２３").text == "123");         // fullwidth digits fold to ASCII
  CHECK(vt::normalize("٣").text == "٣");               // other digits stay what they are
  CHECK(vt::normalize("go 🔥 now").text == "go now");  // emoji are separators
  CHECK(vt::normalize("\uFE0F").text == "");           // a lone variation selector vanishes
}

TEST_CASE("engine evasion cases: term forms occur (or not) as whole words") {
  std::ifstream f("/work/shared/eval/evasions.jsonl");
  if (!f) return;  // shared eval data not present in this checkout
  std::string line;
  int cases = 0;
  while (std::getline(f, line)) {
    auto field = [&](const std::string& k) {
      const std::size_t at = line.find("\"" + k + "\": \"");
      std::string v;
      for (std::size_t i = at + k.size() + 5; line[i] != '"'; ++i) {
        if (line[i] != '\\') {
          v += line[i];
        } else if (line[++i] == 'n') {
          v += '\n';
        } else {
          v += line[i];
        }
      }
      return v;
    };
    const bool match = line.find("\"match\": true") != std::string::npos;
    const std::string term = vt::normalize_term(field("term"));
    const std::string text = vt::normalize(field("text")).text;
    bool found = find_word(text, term) != std::string::npos;
    for (const char* pre : {"ال", "وال", "بال", "لل", "فال", "و", "ب", "ل", "ف"})
      found = found || find_word(text, pre + term) != std::string::npos;
    INFO(line << " -> [" << text << "] term [" << term << "]");
    CHECK(found == match);
    ++cases;
  }
  CHECK(cases > 0);
}

TEST_CASE("invalid UTF-8 is counted per byte and becomes a separator") {
  struct Bad {
    const char* name;
    std::string in;
    const char* out;
    std::uint64_t invalid;
  };
  const Bad bad[] = {
      {"bad lead", "a\xFF" "b", "a b", 1},
      {"lead above F4", "a\xF5\x80\x80\x80" "b", "a b", 4},
      {"stray continuation", "a\x80\xBF" "b", "a b", 2},
      {"overlong 2-byte", "a\xC0\xAF" "b", "a b", 2},
      {"overlong 3-byte", "a\xE0\x80\xAF" "b", "a b", 3},
      {"surrogate", "a\xED\xA0\x80" "b", "a b", 3},
      {"above U+10FFFF", "a\xF4\x90\x80\x80" "b", "a b", 4},
      {"truncated in the middle", "a\xE2\x82" "b", "a b", 2},
      {"truncated at the end", "ab\xF0\x9F\x98", "ab ", 3},
      {"only garbage", "\xFF\xFE\xFD", " ", 3},
  };
  for (const Bad& b : bad) {
    INFO(b.name);
    const vt::NormalizedText t = vt::normalize(b.in);
    CHECK(t.text == b.out);
    CHECK(t.invalid_bytes == b.invalid);
  }
  // The separator standing for invalid bytes maps to exactly those bytes.
  const vt::NormalizedText t = vt::normalize(std::string("ab\xFF\xFE" "cd"));
  CHECK(t.original_span(2, 3).begin == 2);
  CHECK(t.original_span(2, 3).end == 4);
}

TEST_CASE("random bytes never crash and keep the output canonical") {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string s(static_cast<std::size_t>(rng() % 200), '\0');
    for (char& c : s) c = static_cast<char>(rng());
    const vt::NormalizedText t = vt::normalize(s);
    CHECK(t.text.find("  ") == std::string::npos);
    CHECK(t.text.find('\0') == std::string::npos);
    for (std::size_t k = 0; k < t.text.size(); ++k) {
      const vt::Span sp = t.original_span(k, k + 1);
      REQUIRE(sp.begin < sp.end);
      REQUIRE(sp.end <= s.size());
    }
  }
}

TEST_CASE("NUL bytes are separators; empty input gives empty output") {
  CHECK(vt::normalize(std::string("kill\0them", 9)).text == "kill them");
  CHECK(vt::normalize(std::string("\0", 1)).text == " ");
  const vt::NormalizedText e = vt::normalize("");
  CHECK(e.text.empty());
  CHECK(e.invalid_bytes == 0);
}

TEST_CASE("streaming equals block normalisation at every split point") {
  std::vector<std::string> inputs;
  for (const Evasion& e : kEvasions) inputs.emplace_back(e.input);
  inputs.emplace_back("a b c d e f ggg hh 1 2 3 x'y z' 'q 4@b c@1 ab4 5$ 9!a");
  inputs.emplace_back("ok \xE2\x82 bad \xF0\x9F\x98");
  for (const std::string& in : inputs) {
    const Result whole = block(in);
    for (std::size_t cut = 0; cut <= in.size(); ++cut)
      check_same(whole, run_chunks(in, {cut}, true), in + " split at " + std::to_string(cut));
    for (std::size_t a = 0; a <= in.size() && in.size() < 40; ++a)
      for (std::size_t b = a; b <= in.size(); ++b)
        check_same(whole, run_chunks(in, {a, b}, false), in + " two splits");
  }
}

TEST_CASE("streaming equals block normalisation over random chunkings of a long text") {
  std::string text;
  const std::string corpus = example_corpus();
  for (int k = 0; k < 8; ++k) text += corpus;
  const Result whole = block(text);
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = rng() % 70; at < text.size(); at += 1 + rng() % (round < 20 ? 9 : 300))
      cuts.push_back(at);
    check_same(whole, run_chunks(text, cuts, round % 2 == 0), "random chunking");
  }
}

TEST_CASE("offsets are stream offsets from reset(base) and survive discard_before") {
  vt::Normalizer n;
  n.reset(1000);
  vt::NormalizedText out;
  n.feed("first words here ", out);
  n.feed("D A B I Q", out);
  n.finish(out);
  const std::uint64_t cut = out.norm_base + out.text.find("dabiq");
  out.discard_before(cut);
  CHECK(out.norm_base == cut);
  CHECK(out.text == "dabiq");
  const vt::Span sp = out.original_span(cut, cut + 5);
  CHECK(sp.begin == 1000 + 17);
  CHECK(sp.end == 1000 + 17 + 9);
}

TEST_CASE("a stream that discards as it goes keeps bounded memory and correct spans") {
  std::string text;
  for (int k = 0; k < 20; ++k) text += example_corpus();
  const Result whole = block(text);
  vt::Normalizer n;
  vt::NormalizedText out;
  std::size_t peak = 0;
  for (std::size_t at = 0; at < text.size(); at += 97) {
    n.feed(std::string_view(text).substr(at, 97), out);
    for (std::uint64_t k = out.norm_base; k < out.norm_base + out.text.size(); ++k) {
      const vt::Span sp = out.original_span(k, k + 1);
      REQUIRE(sp.begin == whole.spans[k].begin);
      REQUIRE(sp.end == whole.spans[k].end);
      REQUIRE(out.text[k - out.norm_base] == whole.text[k]);
    }
    out.discard_before(out.norm_base + out.text.size());
    peak = std::max(peak, out.offset_map().size());
  }
  n.finish(out);
  CHECK(out.norm_base + out.text.size() == whole.text.size());
  CHECK(peak < 200);
}

TEST_CASE("SIMD fast path gives byte-identical results to the scalar path") {
  std::vector<std::string> texts;
  for (const char* path : {"/usr/share/games/fortunes/fortunes", "/usr/share/dict/american-english"}) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    if (!ss.str().empty()) texts.push_back(ss.str().substr(0, 400000));
  }
  std::mt19937 rng(3);
  const std::string alphabet = "aAbBcCdeE   ,.\n-'`@$!|0134589\t";
  for (int round = 0; round < 40; ++round) {
    std::string s;
    for (int k = 0; k < 3000; ++k) {
      if (rng() % 5 == 0) {
        s += "Words in a plain English sentence, again and again ";
      } else {
        s += alphabet[rng() % alphabet.size()];
      }
    }
    texts.push_back(s);
  }
  // Words of a tiny alphabet: doubles, stretches, single letters, apostrophes and symbols inside
  // words, separator runs -- every case the kernel must either handle exactly or leave alone.
  for (int round = 0; round < 60; ++round) {
    std::string s;
    while (s.size() < 4000) {
      const int len = 1 + static_cast<int>(rng() % (round % 3 == 0 ? 3 : 9));
      for (int k = 0; k < len; ++k) {
        const unsigned r = rng() % 40;
        s += r < 34 ? "aAbBlLsSxy"[r % 10] : "'`!|@$"[r - 34];
      }
      const int seps = 1 + static_cast<int>(rng() % 4 == 0);
      for (int k = 0; k < seps; ++k) s += " ., \n-'!"[rng() % 9];
      if (rng() % 50 == 0) s += "1";
    }
    texts.push_back(s);
  }
  texts.push_back(example_corpus());
  for (const std::string& t : texts) check_same(block(t, true), block(t, false), "simd vs scalar");
  // The fast path must actually take over on plain text, or this test proves nothing.
#ifndef VIGIL_TEXT_NO_SIMD
  std::string prose;
  while (prose.size() < 20000)
    prose += "Plain English words, going on and on. Nothing special in them at all!\n";
  vt::Normalizer n;
  vt::NormalizedText out;
  n.feed(prose, out);
  n.finish(out);
  CHECK(n.simd_bytes() > prose.size() * 9 / 10);
#endif
}

/// Texts aimed at the kernel's digit and separator handling: digit runs next to letters,
/// apostrophes, symbols, separators and window edges; single characters; stretches.
std::vector<std::string> kernel_texts() {
  std::vector<std::string> texts;
  std::mt19937 rng(11);
  const char* pieces[] = {"word", "Other", "ab", "a", "1", "42", "1984", "3l1t3", "4ll", "x7",
                          "'", "$", "@", "!", "|", " ", "  ", ", ", ".\n", "\t", "-", "9 9",
                          "s0", "zzz", "oo", "é", "тест", "2'3", "5$5", "0", "(12)", "a.b",
                          "جِهَاد", "الجهـــاد", "جِج", "ج ِج", "مُسْلِم", "ааа", "Москва", "❤️"};
  for (int round = 0; round < 300; ++round) {
    std::string s;
    const unsigned len = 70 + rng() % 400;
    while (s.size() < len) {
      const unsigned r = rng() % 4;
      s += r == 0 ? pieces[rng() % (sizeof pieces / sizeof *pieces)] : r == 1 ? " the " : "text ";
    }
    texts.push_back(s);
  }
  return texts;
}

TEST_CASE("every SIMD kernel this CPU runs gives the scalar path's result") {
  std::vector<std::string> texts = kernel_texts();
  for (const char* path : {"/usr/share/games/fortunes/fortunes", "/usr/share/dict/american-english"}) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    if (!ss.str().empty()) texts.push_back(ss.str().substr(0, 200000));
  }
  std::vector<Result> scalar;
  for (const std::string& t : texts) scalar.push_back(block(t, false));
#ifdef VIGIL_TEXT_X86_DISPATCH
  namespace d = vt::detail;
  const d::AsciiKernelFn saved = d::g_ascii_kernel;
  std::vector<d::AsciiKernelFn> kernels = {&d::ascii_kernel_default};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"))
    kernels.push_back(&d::ascii_kernel_avx2);
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2"))
    kernels.push_back(&d::ascii_kernel_avx512);
#else
  std::vector<int> kernels = {0};
#endif
  for (std::size_t k = 0; k < kernels.size(); ++k) {
#ifdef VIGIL_TEXT_X86_DISPATCH
    d::g_ascii_kernel = kernels[k];
#endif
    for (std::size_t t = 0; t < texts.size(); ++t)
      check_same(block(texts[t], true), scalar[t], "kernel " + std::to_string(k));
  }
#ifdef VIGIL_TEXT_X86_DISPATCH
  d::g_ascii_kernel = saved;
#endif
}

/// The UTF-8 bytes of a code point below U+0800.
TEST_CASE("the letter lane gives the scalar path's result for every 2-byte code point") {
  // Each context puts the code point where the lane decides something: inside a word, doubled,
  // tripled, after a separator, with harakat after it, after an apostrophe.
  const char* contexts[] = {"ab%cd",       "a%c%cb",      "%c%c%c",     "ab %c cd",
                            "ab%c\u064e%cb", "ab %c\u064e  cd", "ab'%cd", "%c'%c'%c x",
                            "ab\u064e%c\u064e%c\u064ecd", "xy %c%c, zw", "q, %c\u0651%c r"};
  for (std::uint32_t cp = 0x80; cp < 0x800; ++cp) {
    const std::string c = vigil_test::utf8(cp);
    for (const char* ctx : contexts) {
      const std::string s = vigil_test::in_context(ctx, c);
      check_same(block(s, true), block(s, false), "U+" + std::to_string(cp) + " in " + ctx);
    }
  }
}

TEST_CASE("the letter lane gives the scalar path's result on random mixed-script text") {
  // Cyrillic and Arabic words (doubles, harakat at word ends and after first letters, tatweel),
  // emoji with modifiers and variation selectors, apostrophes, accents, single letters.
  const char* pieces[] = {"word",  "ab",     "a",        "1",       "'",     "\u2019",
                          "$",     " ",      "  ",       ", ",      "тест",  "сс",
                          "ллл",   "Москва", "Россия",   "жжж ж",   "جِهَاد", "الجهـــاد",
                          "جِج",   "ج ِج",   "مُسْلِم",   "اللَّهِ",  "بِسْمِ",  "ааа",
                          "❤️",    "🔥",     "👍🏽",       "\u0301", "é",     "e\u0301",
                          "ﻻ",     "ﬁ",      "ǅ",        "ß",       "İ",     "ΣΑΣ",
                          "ς",     "aa",     "it's",     "o'o",     "ـ",     "\u064b",
                          "\u0651\u0650", "ÀÀ", "ﾀ", "ℌ", "\xC3", "\xD8\xA7\xD9"};
  std::mt19937 rng(5);
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const unsigned len = 10 + rng() % 300;
    while (s.size() < len) s += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    check_same(block(s, true), block(s, false), "mixed " + std::to_string(round));
    if (round % 16 == 0) {  // streamed in small chunks too
      std::vector<std::size_t> cuts;
      for (std::size_t at = 1 + rng() % 7; at < s.size(); at += 1 + rng() % 9) cuts.push_back(at);
      check_same(run_chunks(s, cuts, true), block(s, false), "mixed chunks " + std::to_string(round));
    }
  }
}

TEST_CASE("scriptio continua covers Han, kana and Thai but not Latin or Arabic") {
  auto cont = [](const std::string& s) { return vt::in_scriptio_continua(s.data(), s.data() + s.size()); };
  CHECK(cont("日本"));
  CHECK(cont("カタカナ"));
  CHECK(cont("ไทย"));
  CHECK_FALSE(cont("a"));
  CHECK_FALSE(cont("جهاد"));
  CHECK_FALSE(cont(""));
}

TEST_CASE("the committed Unicode tables match the generator (--check)") {
  // Find tools/ from wherever the test runs: meson's data dir, or this file's (possibly
  // build-relative) path seen from the working directory or its parent.
  std::vector<std::string> roots;
#ifdef VIGIL_TEST_DATA_DIR
  roots.push_back(std::string(VIGIL_TEST_DATA_DIR) + "/../..");
#endif
  std::string file = __FILE__;
  const std::size_t slash = file.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash);
  roots.push_back(dir + "/..");
  roots.push_back("../" + dir + "/..");
  std::string script;
  for (const std::string& r : roots) {
    if (std::ifstream(r + "/tools/gen_unicode_tables.py")) {
      script = r + "/tools/gen_unicode_tables.py";
      break;
    }
  }
  REQUIRE_MESSAGE(!script.empty(), "tools/gen_unicode_tables.py not found from " << dir);
  CHECK(std::system(("python3 " + script + " --check").c_str()) == 0);
}

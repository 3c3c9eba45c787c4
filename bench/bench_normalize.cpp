// Benchmarks for vigil::text::normalize (Google Benchmark).
//
// English: the fortune(6) databases (real English prose with punctuation, digits and layout),
// falling back to /usr/share/dict words; EnglishWords: dictionary words as plain running text. Mixed: real Russian and Arabic words (some with harakat and
// tatweel), emoji and English dictionary words, interleaved pseudo-randomly with a fixed seed.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/text/normalize.hpp"

namespace {

std::string read_file(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> dict_words() {
  std::vector<std::string> words;
  std::istringstream in(read_file("/usr/share/dict/american-english"));
  for (std::string w; std::getline(in, w);)
    if (!w.empty()) words.push_back(w);
  if (words.empty()) words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"};
  return words;
}

const std::string& english_text() {
  static const std::string text = [] {
    std::string s;
    for (const char* f : {"fortunes", "computers", "cookie", "people", "science", "politics",
                          "work", "songs-poems", "definitions"})
      s += read_file((std::string("/usr/share/games/fortunes/") + f).c_str());
    if (s.size() < (1u << 20)) {  // no fortunes installed: dictionary words as sentences
      const std::vector<std::string> words = dict_words();
      std::mt19937 rng(1);
      while (s.size() < (4u << 20)) (s += words[rng() % words.size()]) += rng() % 9 ? " " : ". ";
    }
    return s;
  }();
  return text;
}

/// Running prose without the fortune files' layout (tabs, blank lines, attributions):
/// dictionary words, single spaces, a sentence end every dozen words.
const std::string& english_words() {
  static const std::string text = [] {
    const std::vector<std::string> words = dict_words();
    std::mt19937 rng(3);
    std::string s;
    while (s.size() < (2u << 20)) (s += words[rng() % words.size()]) += rng() % 12 ? " " : ". ";
    return s;
  }();
  return text;
}

const std::string& mixed_text() {
  static const std::string text = [] {
    const std::vector<std::string> russian = {
        "привет", "мир", "сегодня", "новости", "город", "война", "граница", "время", "люди",
        "страна", "правительство", "говорит", "который", "может", "после", "против", "работа",
        "Москва", "Россия", "история", "вопрос", "неделя", "сообщение", "армия", "свобода"};
    const std::vector<std::string> arabic = {
        "السلام", "عليكم", "الدولة", "الإسلامية", "جِهَاد", "الخلافة", "مدينة", "الأخبار",
        "اليوم", "الحكومة", "قال", "الرئيس", "في", "على", "من", "إلى", "الجهـــاد", "مُسْلِم",
        "بِسْمِ", "اللَّهِ", "الرَّحْمَنِ", "كتاب", "مدرسة", "سيارة", "شكرا"};
    const std::vector<std::string> emoji = {"🔥", "😀", "👍🏽", "🇺🇸", "❤️", "🙏", "💣", "🚀"};
    const std::vector<std::string> english = dict_words();
    std::mt19937 rng(2);
    std::string s;
    while (s.size() < (2u << 20)) {
      const unsigned pick = rng() % 10;
      if (pick < 4) {
        s += russian[rng() % russian.size()];
      } else if (pick < 8) {
        s += arabic[rng() % arabic.size()];
      } else if (pick < 9) {
        s += emoji[rng() % emoji.size()];
      } else {
        s += english[rng() % english.size()];
      }
      s += rng() % 8 ? " " : ", ";
    }
    return s;
  }();
  return text;
}

void run_block(benchmark::State& state, const std::string& text, bool simd) {
  vigil::text::NormalizedText out;
  for (auto _ : state) {
    out.clear();
    vigil::text::Normalizer n;
    n.set_simd(simd);
    n.feed(text, out);
    n.finish(out);
    benchmark::DoNotOptimize(out.text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["segments_per_KB"] =
      static_cast<double>(out.offset_map().size()) * 1024.0 / static_cast<double>(text.size());
}

void BM_English(benchmark::State& s) { run_block(s, english_text(), true); }
void BM_EnglishScalar(benchmark::State& s) { run_block(s, english_text(), false); }
void BM_EnglishWords(benchmark::State& s) { run_block(s, english_words(), true); }
void BM_Mixed(benchmark::State& s) { run_block(s, mixed_text(), true); }
void BM_MixedScalar(benchmark::State& s) { run_block(s, mixed_text(), false); }

/// Short messages (the common case for posts): normalize() per 1 KB message, buffers reused.
void BM_EnglishMessages1K(benchmark::State& state) {
  const std::string& text = english_text();
  vigil::text::NormalizedText out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (std::size_t at = 0; at + 1024 <= text.size(); at += 1024) {
      vigil::text::normalize(std::string_view(text).substr(at, 1024), out);
      benchmark::DoNotOptimize(out.text.data());
      bytes += 1024;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

/// Streaming in 4 KB chunks with the window discarded after each chunk (bounded memory), as the
/// streaming scanner feeds it.
void stream_4k(benchmark::State& state, const std::string& text) {
  vigil::text::NormalizedText out;
  for (auto _ : state) {
    out.clear();
    vigil::text::Normalizer n;
    for (std::size_t at = 0; at < text.size(); at += 4096) {
      n.feed(std::string_view(text).substr(at, 4096), out);
      out.discard_before(out.norm_base + out.text.size());
    }
    n.finish(out);
    benchmark::DoNotOptimize(out.text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_EnglishStream4K(benchmark::State& state) { stream_4k(state, english_text()); }
void BM_MixedStream4K(benchmark::State& state) { stream_4k(state, mixed_text()); }

/// One letter repeated for 1 MiB (a stretched-letter evasion taken to the extreme): it collapses
/// to a single letter, so this measures the cost of recognising the stretch.
void run_repeat(benchmark::State& state, const std::string& letter) {
  std::string text;
  while (text.size() < (1u << 20)) text += letter;
  run_block(state, text, true);
}
void BM_RepeatLatin1M(benchmark::State& s) { run_repeat(s, "a"); }
void BM_RepeatCyrillic1M(benchmark::State& s) { run_repeat(s, "\xD0\xB0"); }  // U+0430

}  // namespace

BENCHMARK(BM_English);
BENCHMARK(BM_EnglishScalar);
BENCHMARK(BM_EnglishWords);
BENCHMARK(BM_Mixed);
BENCHMARK(BM_MixedScalar);
BENCHMARK(BM_EnglishMessages1K);
BENCHMARK(BM_EnglishStream4K);
BENCHMARK(BM_MixedStream4K);
BENCHMARK(BM_RepeatLatin1M);
BENCHMARK(BM_RepeatCyrillic1M);

BENCHMARK_MAIN();

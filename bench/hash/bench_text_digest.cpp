// Text sketches (SimHash features/s, MinHash shingles/s) and digests (XXH3-128, SHA-256, MD5
// throughput).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "vigil/hash/digest.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/simhash.hpp"

namespace {

namespace vh = vigil::hash;

/// ~`words` words from a 5000-word vocabulary, single-spaced like vigil's normaliser output.
std::string synthetic_text(std::size_t words) {
  std::mt19937 rng(9);
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    if (i) text.push_back(' ');
    text += "w" + std::to_string(rng() % 5000);
  }
  return text;
}

void BM_SimHash64(benchmark::State& state) {
  const std::string text = synthetic_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(vh::simhash64(text));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));  // features
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SimHash64)->Arg(60)->Arg(1000);

/// Words of 1..10 random letters: shingle lengths vary as in real text (3..21 bytes), so
/// length-dependent branches in the feature hash mispredict.
void BM_SimHash64VariedWords(benchmark::State& state) {
  std::mt19937 rng(13);
  std::string text;
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    if (i) text.push_back(' ');
    for (unsigned n = 1 + rng() % 10; n > 0; --n) text.push_back(static_cast<char>('a' + rng() % 26));
  }
  for (auto _ : state) benchmark::DoNotOptimize(vh::simhash64(text));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));  // features
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SimHash64VariedWords)->Arg(60)->Arg(1000);

void BM_MinHash128(benchmark::State& state) {
  const std::string text = synthetic_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(vh::minhash(text));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));  // shingles
}
BENCHMARK(BM_MinHash128)->Arg(60)->Arg(1000);

void BM_Digest(benchmark::State& state, vh::DigestKind kind) {
  std::string data(1 << 20, '\0');
  std::mt19937 rng(1);
  for (auto& c : data) c = static_cast<char>(rng());
  for (auto _ : state) benchmark::DoNotOptimize(vh::digest_hex(kind, data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK_CAPTURE(BM_Digest, xxh3_128, vh::DigestKind::xxh3_128);
BENCHMARK_CAPTURE(BM_Digest, sha256, vh::DigestKind::sha256);
BENCHMARK_CAPTURE(BM_Digest, md5, vh::DigestKind::md5);

}  // namespace

BENCHMARK_MAIN();

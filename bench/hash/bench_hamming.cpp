// Hamming search: MIH range queries at 1M PDQ-sized codes, uniform and clustered (p50/p99 per
// query as counters), flat SIMD scans per kernel set (GB/s), batched scans (ns per query-code
// pair), index build cost and memory per code.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "vigil/bank/mih_index.hpp"
#include "vigil/hash/hamming_scan.hpp"

namespace {

namespace vh = vigil::hash;
namespace vb = vigil::bank;

constexpr std::size_t kCodes = 1000000;

const std::vector<vb::MihIndex256::Code>& random_codes() {
  static const auto codes = [] {
    std::mt19937_64 rng(1);
    std::vector<vb::MihIndex256::Code> c(kCodes);
    for (auto& code : c) for (auto& w : code) w = rng();
    return c;
  }();
  return codes;
}

/// Noisy variants of 400 random centres (2500 codes each, 4..31 bits flipped), as near-duplicate
/// images make: the 10M benchmark's clustered set at 1M.
const std::vector<vb::MihIndex256::Code>& clustered_codes() {
  static const auto codes = [] {
    std::mt19937_64 rng(6);
    std::vector<vb::MihIndex256::Code> centres(kCodes / 2500), c(kCodes);
    for (auto& centre : centres) for (auto& w : centre) w = rng();
    for (auto& code : c) {
      code = centres[rng() % centres.size()];
      for (int f = 4 + static_cast<int>(rng() % 28); f > 0; --f) {
        const auto b = rng() % 256;
        code[b / 64] ^= std::uint64_t{1} << (b % 64);
      }
    }
    return c;
  }();
  return codes;
}

enum class CodeSet { uniform, clustered };

const std::vector<vb::MihIndex256::Code>& codes_of(CodeSet set) {
  return set == CodeSet::uniform ? random_codes() : clustered_codes();
}

const vb::MihIndex256& mih(CodeSet set = CodeSet::uniform) {
  static const auto make = [](CodeSet s) {
    vb::MihIndex256 i;
    i.add_many(codes_of(s));
    return i;
  };
  if (set == CodeSet::uniform) {
    static const auto index = make(CodeSet::uniform);
    return index;
  }
  static const auto index = make(CodeSet::clustered);
  return index;
}

const vh::CodeArray256& blocked() {
  static const auto array = [] {
    vh::CodeArray256 a;
    a.reserve(kCodes);
    for (const auto& c : random_codes()) a.push_back(vh::Hash256{c});
    return a;
  }();
  return array;
}

/// A query near a stored code (10 bits flipped): one true match (uniform set), as in production
/// lookups.
vb::MihIndex256::Code near_query(std::mt19937_64& rng, CodeSet set = CodeSet::uniform) {
  auto q = codes_of(set)[rng() % kCodes];
  for (int f = 0; f < 10; ++f) {
    const auto b = rng() % 256;
    q[b / 64] ^= std::uint64_t{1} << (b % 64);
  }
  return q;
}

void BM_MihQuery1M(benchmark::State& state, CodeSet set) {
  const int radius = static_cast<int>(state.range(0));
  const auto& index = mih(set);
  std::mt19937_64 rng(2);
  std::vector<double> micros, cpu_micros;  // wall and this thread's CPU time per query
  std::size_t hits = 0;
  for (auto _ : state) {
    const auto q = near_query(rng, set);
    timespec c0{}, c1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    const auto t0 = std::chrono::steady_clock::now();
    hits += index.query(q, radius).size();
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    cpu_micros.push_back(static_cast<double>(c1.tv_sec - c0.tv_sec) * 1e6 + static_cast<double>(c1.tv_nsec - c0.tv_nsec) / 1e3);
  }
  std::sort(micros.begin(), micros.end());
  std::sort(cpu_micros.begin(), cpu_micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["p50_cpu_us"] = cpu_micros[cpu_micros.size() / 2];
  state.counters["hits_per_query"] = static_cast<double>(hits) / static_cast<double>(micros.size());
}
BENCHMARK_CAPTURE(BM_MihQuery1M, uniform, CodeSet::uniform)
    ->Arg(31)->Arg(47)->Arg(63)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_MihQuery1M, clustered, CodeSet::clustered)->Arg(31)->Unit(benchmark::kMicrosecond);

void BM_FlatScan1M(benchmark::State& state, const char* kernel) {
  const auto* set = vh::find_kernels(kernel);
  if (set == nullptr) {
    state.SkipWithError("kernel set not available on this CPU/build");
    return;
  }
  const auto& codes = blocked();
  std::mt19937_64 rng(3);
  const vh::Hash256 q{near_query(rng)};
  for (auto _ : state) benchmark::DoNotOptimize(vh::range_scan(codes, q, 31, *set));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kCodes * 32));
}
BENCHMARK_CAPTURE(BM_FlatScan1M, scalar, "scalar")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FlatScan1M, sse4_2, "sse4_2")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FlatScan1M, avx2, "avx2")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FlatScan1M, avx512bw, "avx512bw")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FlatScan1M, avx512vpopcnt, "avx512vpopcnt")->Unit(benchmark::kMicrosecond);

/// The 8 dihedral hashes against 1M codes in one cache-blocked pass.
void BM_FlatBatch8x1M(benchmark::State& state, const char* kernel) {
  const auto* set = vh::find_kernels(kernel);
  if (set == nullptr) {
    state.SkipWithError("kernel set not available on this CPU/build");
    return;
  }
  std::mt19937_64 rng(4);
  std::vector<vh::Hash256> queries;
  for (int i = 0; i < 8; ++i) queries.push_back(vh::Hash256{near_query(rng)});
  const auto& codes = blocked();
  for (auto _ : state) benchmark::DoNotOptimize(vh::range_scan_batch(codes, queries, 31, *set));
  state.counters["ns_per_pair"] = benchmark::Counter(static_cast<double>(state.iterations() * kCodes * 8),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(BM_FlatBatch8x1M, scalar, "scalar")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FlatBatch8x1M, avx2, "avx2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FlatBatch8x1M, avx512vpopcnt, "avx512vpopcnt")->Unit(benchmark::kMillisecond);

void BM_MihBuild1M(benchmark::State& state) {
  const auto& codes = random_codes();
  double bytes = 0;
  std::size_t dense_groups = 0;
  for (auto _ : state) {
    vb::MihIndex256 index;
    index.add_many(codes);
    bytes = static_cast<double>(index.memory_bytes());
    dense_groups = index.dense_bucket_groups();
    benchmark::DoNotOptimize(index);
  }
  state.counters["bytes_per_code"] = bytes / kCodes;
  state.counters["dense_groups"] = static_cast<double>(dense_groups);
}
BENCHMARK(BM_MihBuild1M)->Unit(benchmark::kMillisecond);

void BM_FlatQuery64bit1M(benchmark::State& state) {
  std::mt19937_64 rng(5);
  std::vector<std::uint64_t> codes(kCodes);
  for (auto& c : codes) c = rng();
  for (auto _ : state) benchmark::DoNotOptimize(vh::range_scan(codes, codes[rng() % kCodes], 6));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kCodes * 8));
}
BENCHMARK(BM_FlatQuery64bit1M)->Unit(benchmark::kMicrosecond);

}  // namespace

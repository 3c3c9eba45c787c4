// Hamming search at 10M 256-bit codes, on two code sets: uniform random codes, and a clustered
// set (noisy variants of a few thousand centres, as near-duplicate images make). Multi-index and
// flat range queries report p50/p99 per query as counters, plus the index build time and the
// machine's memory read bandwidth measured in the same run (the yardstick for flat scans).
//
// The sets are generated on first use (about 1 GB per set with its index); filter to the cases
// wanted, e.g. --benchmark_filter='10M|MemoryRead'.
#include <benchmark/benchmark.h>

#include <immintrin.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "vigil/bank/mih_index.hpp"
#include "vigil/hash/hamming_scan.hpp"

namespace {

namespace vh = vigil::hash;
namespace vb = vigil::bank;

constexpr std::size_t kCodes10M = 10000000;
constexpr std::size_t kCentres = 4000;

enum class CodeSet { uniform, clustered };

/// splitmix64: fast, and good enough for synthetic codes.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t operator()() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

void flip_random_bits(vb::MihIndex256::Code& code, int count, SplitMix& rng) {
  for (int f = 0; f < count; ++f) {
    const auto b = rng() % 256;
    code[b / 64] ^= std::uint64_t{1} << (b % 64);
  }
}

/// Uniform: independent random codes. Clustered: each code is one of 4000 random centres with
/// 4..31 random bits flipped (2500 codes per centre on average).
std::vector<vb::MihIndex256::Code> make_codes(CodeSet set) {
  SplitMix rng{set == CodeSet::uniform ? 11u : 12u};
  std::vector<vb::MihIndex256::Code> codes(kCodes10M);
  if (set == CodeSet::uniform) {
    for (auto& c : codes) for (auto& w : c) w = rng();
    return codes;
  }
  std::vector<vb::MihIndex256::Code> centres(kCentres);
  for (auto& c : centres) for (auto& w : c) w = rng();
  for (auto& c : codes) {
    c = centres[rng() % kCentres];
    flip_random_bits(c, 4 + static_cast<int>(rng() % 28), rng);
  }
  return codes;
}

/// One code set with both indexes; built once per process.
struct Bank10M {
  vb::MihIndex256 mih;
  vh::CodeArray256 flat;
  double build_seconds = 0;

  explicit Bank10M(CodeSet set) {
    const auto codes = make_codes(set);
    const auto t0 = std::chrono::steady_clock::now();
    mih.add_many(codes);
    build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    flat.reserve(codes.size());
    for (const auto& c : codes) flat.push_back(vh::Hash256{c});
  }
};

const Bank10M& bank(CodeSet set) {
  static std::unique_ptr<Bank10M> banks[2];
  auto& b = banks[set == CodeSet::uniform ? 0 : 1];
  if (!b) b = std::make_unique<Bank10M>(set);
  return *b;
}

/// A stored code with 10 bits flipped: a production lookup of a near-duplicate.
vb::MihIndex256::Code near_query(const Bank10M& b, SplitMix& rng) {
  auto q = b.flat[rng() % b.flat.size()].words;
  flip_random_bits(q, 10, rng);
  return q;
}

/// This thread's CPU time in microseconds: on a shared machine, wall time per query mostly
/// measures the other processes; both are reported.
double thread_cpu_micros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

void report_percentiles(benchmark::State& state, std::vector<double>& micros, const char* p50, const char* p99) {
  std::sort(micros.begin(), micros.end());
  state.counters[p50] = micros[micros.size() / 2];
  state.counters[p99] = micros[micros.size() * 99 / 100];
}

template <class Query>
void time_queries(benchmark::State& state, const Bank10M& b, Query&& query) {
  SplitMix rng{21};
  std::vector<double> wall, cpu;
  std::size_t hits = 0;
  for (auto _ : state) {
    const auto q = near_query(b, rng);
    const double c0 = thread_cpu_micros();
    const auto t0 = std::chrono::steady_clock::now();
    hits += query(q);
    wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    cpu.push_back(thread_cpu_micros() - c0);
  }
  report_percentiles(state, wall, "p50_us", "p99_us");
  report_percentiles(state, cpu, "p50_cpu_us", "p99_cpu_us");
  state.counters["hits_per_query"] = static_cast<double>(hits) / static_cast<double>(wall.size());
}

void BM_MihQuery10M(benchmark::State& state, CodeSet set) {
  const Bank10M& b = bank(set);
  const int radius = static_cast<int>(state.range(0));
  time_queries(state, b, [&](const vb::MihIndex256::Code& q) { return b.mih.query(q, radius).size(); });
  state.counters["build_s"] = b.build_seconds;
  state.counters["bytes_per_code"] = static_cast<double>(b.mih.memory_bytes()) / static_cast<double>(b.mih.size());
  state.counters["dense_groups"] = static_cast<double>(b.mih.dense_bucket_groups());
}
BENCHMARK_CAPTURE(BM_MihQuery10M, uniform, CodeSet::uniform)->Arg(31)->Arg(47)->Arg(63)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_MihQuery10M, clustered, CodeSet::clustered)->Arg(31)->Arg(47)->Arg(63)->Unit(benchmark::kMicrosecond);

/// Flat scan of all 10M codes with the best kernel set; bytes/s is the scan rate.
void BM_FlatQuery10M(benchmark::State& state, CodeSet set) {
  const Bank10M& b = bank(set);
  const int radius = static_cast<int>(state.range(0));
  time_queries(state, b, [&](const vb::MihIndex256::Code& q) { return vh::range_scan(b.flat, vh::Hash256{q}, radius).size(); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kCodes10M * 32));
}
BENCHMARK_CAPTURE(BM_FlatQuery10M, uniform, CodeSet::uniform)->Arg(31)->Arg(47)->Arg(63)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FlatQuery10M, clustered, CodeSet::clustered)->Arg(31)->Arg(63)->Unit(benchmark::kMicrosecond);

/// Building the multi-index over 10M codes from scratch (codes already in memory).
void BM_MihBuild10M(benchmark::State& state) {
  const auto codes = make_codes(CodeSet::uniform);
  for (auto _ : state) {
    vb::MihIndex256 index;
    index.add_many(codes);
    benchmark::DoNotOptimize(index);
  }
  state.counters["s_per_1M_codes"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 10, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MihBuild10M)->Unit(benchmark::kMillisecond)->Iterations(1);

/// XOR of every word, four 512-bit accumulators: the widest reads this CPU can issue.
__attribute__((target("avx512f"))) std::uint64_t xor_reduce_avx512(const std::uint64_t* p, std::size_t words) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
  for (std::size_t i = 0; i + 32 <= words; i += 32) {
    a0 = _mm512_xor_si512(a0, _mm512_load_si512(p + i));
    a1 = _mm512_xor_si512(a1, _mm512_load_si512(p + i + 8));
    a2 = _mm512_xor_si512(a2, _mm512_load_si512(p + i + 16));
    a3 = _mm512_xor_si512(a3, _mm512_load_si512(p + i + 24));
  }
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, _mm512_xor_si512(_mm512_xor_si512(a0, a1), _mm512_xor_si512(a2, a3)));
  return lanes[0] ^ lanes[1] ^ lanes[2] ^ lanes[3] ^ lanes[4] ^ lanes[5] ^ lanes[6] ^ lanes[7];
}

std::uint64_t xor_reduce_plain(const std::uint64_t* p, std::size_t words) {
  std::uint64_t acc[8] = {};
  for (std::size_t i = 0; i + 8 <= words; i += 8) {
    for (std::size_t l = 0; l < 8; ++l) acc[l] ^= p[i + l];
  }
  return acc[0] ^ acc[1] ^ acc[2] ^ acc[3] ^ acc[4] ^ acc[5] ^ acc[6] ^ acc[7];
}

/// Memory read bandwidth: XOR-reduce a buffer the size of 1M (32 MB) or 10M (320 MB) codes, as
/// a scan reads it (AVX-512 loads when the CPU has them, else what the compiler makes of a loop).
void BM_MemoryRead(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0)) << 20;
  std::vector<std::uint64_t, vh::detail::CacheAlignedAllocator<std::uint64_t>> buffer(bytes / 8);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = i * 0x9E3779B97F4A7C15ULL;
  const bool wide = __builtin_cpu_supports("avx512f");
  for (auto _ : state) {
    benchmark::DoNotOptimize(wide ? xor_reduce_avx512(buffer.data(), buffer.size())
                                  : xor_reduce_plain(buffer.data(), buffer.size()));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_MemoryRead)->Arg(32)->Arg(320)->Unit(benchmark::kMicrosecond);

/// memcpy of the same sizes (reads and writes: bytes/s counts the bytes copied).
void BM_Memcpy(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0)) << 20;
  std::vector<char> from(bytes, 1), to(bytes, 0);
  for (auto _ : state) {
    std::memcpy(to.data(), from.data(), bytes);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_Memcpy)->Arg(32)->Arg(320)->Unit(benchmark::kMicrosecond);

}  // namespace

// PDQ hashing speed on a synthetic 512x512 RGB photo-like buffer (decode excluded), 1 hash vs
// all 8 dihedral hashes; plus the larger inputs the reference timings list.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "vigil/hash/pdq.hpp"

namespace {

namespace vh = vigil::hash;

/// Smooth gradients plus noise: realistic work for the filter, quality 100 like a photo.
std::vector<std::uint8_t> photo_like(int w, int h) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 3);
  std::mt19937 rng(7);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        const double v = 128 + 60 * std::sin(x * 0.02 * (c + 1)) * std::cos(y * 0.015) + (rng() % 32);
        px[(static_cast<std::size_t>(y) * w + x) * 3 + c] = static_cast<std::uint8_t>(std::clamp(v, 0.0, 255.0));
      }
    }
  }
  return px;
}

void BM_PdqHash(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const auto px = photo_like(side, side);
  const vh::ImageView view{px.data(), px.size(), side, side, 0, vh::PixelFormat::rgb8};
  vh::PdqHasher hasher;
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash(view));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PdqHash)->Arg(512)->Arg(256)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_PdqHashDihedral(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const auto px = photo_like(side, side);
  const vh::ImageView view{px.data(), px.size(), side, side, 0, vh::PixelFormat::rgb8};
  vh::PdqHasher hasher;
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash_dihedral(view));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PdqHashDihedral)->Arg(512)->Unit(benchmark::kMicrosecond);

void BM_PdqSquashAndHash4032x3024(benchmark::State& state) {
  const auto px = photo_like(4032, 3024);
  const vh::ImageView view{px.data(), px.size(), 4032, 3024, 0, vh::PixelFormat::rgb8};
  vh::PdqHasher hasher;
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash(vh::squash_to_512(view).view()));
}
BENCHMARK(BM_PdqSquashAndHash4032x3024)->Unit(benchmark::kMicrosecond);

}  // namespace

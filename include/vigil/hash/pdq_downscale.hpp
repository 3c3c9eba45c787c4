// vigil: PDQ's luma conversion and Jarosz (box-filter) downscale to 64x64, bit-exact with Meta's
// reference and vectorised across independent rows/columns with xsimd.
//
// Why this shape: each 1-D box filter is a running float sum whose rounding depends on the exact
// order `sum += in[r]; sum -= in[l]; out = sum / count`. We never split one running sum; instead
// one SIMD lane carries one column, and the sums of many columns advance together down the rows
// (contiguous loads). A filter along rows is run as a filter down the columns of the transposed
// matrix. Only the 64 columns the decimation samples are filtered in the last pass.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/float_mode.hpp"
#include "vigil/hash/image_view.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

inline constexpr float kLumaR = 0.299f;
inline constexpr float kLumaG = 0.587f;
inline constexpr float kLumaB = 0.114f;

/// Products of every 8-bit value with each luma coefficient: the same float values the
/// reference computes per pixel, looked up instead of converted and multiplied.
struct LumaTables {
  float r[256], g[256], b[256];
};

inline const LumaTables& luma_tables() {
  static const LumaTables t = [] {
    LumaTables x{};
    for (int v = 0; v < 256; ++v) {
      x.r[v] = kLumaR * static_cast<float>(v);
      x.g[v] = kLumaG * static_cast<float>(v);
      x.b[v] = kLumaB * static_cast<float>(v);
    }
    return x;
  }();
  return t;
}

template <int kBytesPerPixel, int kROffset, int kBOffset>
inline void fill_luma_row(const std::uint8_t* p, int width, float* out) {
  const LumaTables& t = luma_tables();
  for (int j = 0; j < width; ++j, p += kBytesPerPixel) {
    out[j] = (t.r[p[kROffset]] + t.g[p[1]]) + t.b[p[kBOffset]];  // left to right, as the reference
  }
}

/// Float luma, row-major (height x width): `0.299f*R + 0.587f*G + 0.114f*B` summed left to right,
/// or the grey value itself.
inline void fill_luma(const ImageView& img, float* luma) {
  for (int i = 0; i < img.height; ++i) {
    const std::uint8_t* p = img.data + static_cast<std::size_t>(i) * img.row_stride();
    float* out = luma + static_cast<std::size_t>(i) * img.width;
    switch (img.format) {
      case PixelFormat::grey8:
        for (int j = 0; j < img.width; ++j) out[j] = static_cast<float>(p[j]);
        break;
      case PixelFormat::rgb8: fill_luma_row<3, 0, 2>(p, img.width, out); break;
      case PixelFormat::bgr8: fill_luma_row<3, 2, 0>(p, img.width, out); break;
      case PixelFormat::rgba8: fill_luma_row<4, 0, 2>(p, img.width, out); break;
      case PixelFormat::bgra8: fill_luma_row<4, 2, 0>(p, img.width, out); break;
    }
  }
}

/// out (cols x rows) = transpose of in (rows x cols), in cache-sized tiles.
inline void transpose(const float* in, float* out, int rows, int cols) {
  constexpr int kTile = 32;
  for (int ib = 0; ib < rows; ib += kTile) {
    const int ie = std::min(rows, ib + kTile);
    for (int jb = 0; jb < cols; jb += kTile) {
      const int je = std::min(cols, jb + kTile);
      for (int i = ib; i < ie; ++i) {
        for (int j = jb; j < je; ++j) {
          out[static_cast<std::size_t>(j) * rows + i] = in[static_cast<std::size_t>(i) * cols + j];
        }
      }
    }
  }
}

/// One step of the running sums of `n` columns: sums += add; sums -= sub; out = sums / count.
/// Lane j only ever touches column j, so every column's sum rounds exactly as a scalar loop would.
template <class Arch, bool kAdd, bool kSub, bool kWrite>
inline void box_step(float* sums, const float* add, const float* sub, float* out, int n,
                     int count) {
  using batch = xsimd::batch<float, Arch>;
  constexpr int kLanes = static_cast<int>(batch::size);
  const float divisor = static_cast<float>(count);
  const batch vdivisor(divisor);
  int j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    batch s = batch::load_unaligned(sums + j);
    if (kAdd) s = s + batch::load_unaligned(add + j);
    if (kSub) s = s - batch::load_unaligned(sub + j);
    s.store_unaligned(sums + j);
    if (kWrite) (s / vdivisor).store_unaligned(out + j);
  }
  for (; j < n; ++j) {
    float s = sums[j];
    if (kAdd) s += add[j];
    if (kSub) s -= sub[j];
    sums[j] = s;
    if (kWrite) out[j] = s / divisor;
  }
}

/// Box filter of width `window` down every column of `in` (rows x cols, row-major), the
/// reference's four phases: warm up, growing window, full window, shrinking window.
template <class Arch = xsimd::default_arch>
inline void box_down_columns(const float* in, float* out, int rows, int cols, int window,
                             std::vector<float>& sums) {
  const int half = (window + 2) / 2;
  const std::size_t n = static_cast<std::size_t>(cols);
  sums.assign(n, 0.0f);
  float* s = sums.data();
  int ri = 0, li = 0, oi = 0, count = 0;
  for (int k = 0; k < half - 1; ++k, ++ri) {
    box_step<Arch, true, false, false>(s, in + ri * n, nullptr, nullptr, cols, ++count);
  }
  for (int k = 0; k < window - half + 1; ++k, ++ri, ++oi) {
    box_step<Arch, true, false, true>(s, in + ri * n, nullptr, out + oi * n, cols, ++count);
  }
  for (int k = 0; k < rows - window; ++k, ++ri, ++li, ++oi) {
    box_step<Arch, true, true, true>(s, in + ri * n, in + li * n, out + oi * n, cols, count);
  }
  for (int k = 0; k < half - 1; ++k, ++li, ++oi) {
    box_step<Arch, false, true, true>(s, nullptr, in + li * n, out + oi * n, cols, --count);
  }
}

/// The reference's window per axis: (old + 2*64 - 1) / (2*64).
inline int jarosz_window(int old_dimension) { return (old_dimension + 127) / 128; }

/// The reference's decimation index for output cell `out_index` of 64: computed in double.
inline int decimation_index(int out_index, int old_dimension) {
  return static_cast<int>(((out_index + 0.5) * old_dimension) / 64);
}

/// Scratch reused between hashes of one thread.
struct DownscaleBuffers {
  std::vector<float> a, picked, strip_in, strip_out, sums;
};

/// Rows per strip of the row filter: the strip is transposed into a small buffer that stays in
/// L1, where its rows become columns and advance together, one per SIMD lane.
inline constexpr std::size_t kStripRows = 16;

/// 4-lane float batches for register transposes: xsimd 8.1's zip_lo/zip_hi interleave within
/// 128-bit lanes on AVX/AVX-512, so wider transposes would need per-ISA shuffles.
template <class Arch>
using TileArch = std::conditional_t<(xsimd::batch<float, Arch>::size <= 4), Arch,
#if XSIMD_WITH_SSE2
                                    xsimd::sse2
#else
                                    Arch
#endif
                                    >;

/// Transposes one 4x4 tile in registers (pure data movement: float values are untouched).
template <class Arch>
inline void transpose_tile4(const float* in, std::size_t in_stride, float* out,
                            std::size_t out_stride) {
  using batch = xsimd::batch<float, TileArch<Arch>>;
  static_assert(batch::size == 4, "4x4 tiles need 4-lane float batches");
  const batch r0 = batch::load_unaligned(in), r1 = batch::load_unaligned(in + in_stride),
              r2 = batch::load_unaligned(in + 2 * in_stride),
              r3 = batch::load_unaligned(in + 3 * in_stride);
  const batch a = xsimd::zip_lo(r0, r2), b = xsimd::zip_hi(r0, r2);  // a0 c0 a1 c1 | a2 c2 a3 c3
  const batch c = xsimd::zip_lo(r1, r3), d = xsimd::zip_hi(r1, r3);  // b0 d0 b1 d1 | b2 d2 b3 d3
  xsimd::zip_lo(a, c).store_unaligned(out);
  xsimd::zip_hi(a, c).store_unaligned(out + out_stride);
  xsimd::zip_lo(b, d).store_unaligned(out + 2 * out_stride);
  xsimd::zip_hi(b, d).store_unaligned(out + 3 * out_stride);
}

/// out (cols x 16) = transpose of in (16 rows of `in_stride`, `cols` used), by register tiles.
template <class Arch>
inline void transpose_strip_in(const float* in, std::size_t in_stride, int cols, float* out) {
  std::size_t c = 0;
  const std::size_t n = static_cast<std::size_t>(cols);
  for (; c + 4 <= n; c += 4) {
    for (std::size_t r = 0; r < kStripRows; r += 4) {
      transpose_tile4<Arch>(in + r * in_stride + c, in_stride, out + c * kStripRows + r, kStripRows);
    }
  }
  for (; c < n; ++c) {
    for (std::size_t r = 0; r < kStripRows; ++r) out[c * kStripRows + r] = in[r * in_stride + c];
  }
}

/// out (16 rows of `out_stride`) = transpose of in (cols x 16).
template <class Arch>
inline void transpose_strip_out(const float* in, int cols, float* out, std::size_t out_stride) {
  std::size_t c = 0;
  const std::size_t n = static_cast<std::size_t>(cols);
  for (; c + 4 <= n; c += 4) {
    for (std::size_t r = 0; r < kStripRows; r += 4) {
      transpose_tile4<Arch>(in + c * kStripRows + r, kStripRows, out + r * out_stride + c, out_stride);
    }
  }
  // GCC 12 warns falsely about this tail after inlining with a constant width of 64.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"
#endif
  for (; c < n; ++c) {
    for (std::size_t r = 0; r < kStripRows; ++r) out[r * out_stride + c] = in[c * kStripRows + r];
  }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
}

/// The box filter down a 16-wide strip (n x 16) with the 16 running sums held in registers.
/// Same four phases and the same per-lane operation order as box_down_columns.
template <class Arch>
inline void box_down_strip(const float* in, float* out, int n, int window) {
  using batch = xsimd::batch<float, Arch>;
  constexpr int kLanes = static_cast<int>(batch::size);
  constexpr int kParts = static_cast<int>(kStripRows) / kLanes;
  batch sum[kParts];
  for (int k = 0; k < kParts; ++k) sum[k] = batch(0.0f);
  const auto row = [](const float* m, int i, int k) {
    return batch::load_unaligned(m + i * kStripRows + k * kLanes);
  };
  const auto emit = [&](int oi, int count) {
    const batch divisor(static_cast<float>(count));
    for (int k = 0; k < kParts; ++k) (sum[k] / divisor).store_unaligned(out + oi * kStripRows + k * kLanes);
  };
  const int half = (window + 2) / 2;
  int ri = 0, li = 0, oi = 0, count = 0;
  for (int s = 0; s < half - 1; ++s, ++ri, ++count) {
    for (int k = 0; k < kParts; ++k) sum[k] = sum[k] + row(in, ri, k);
  }
  for (int s = 0; s < window - half + 1; ++s, ++ri, ++oi) {
    for (int k = 0; k < kParts; ++k) sum[k] = sum[k] + row(in, ri, k);
    emit(oi, ++count);
  }
  for (int s = 0; s < n - window; ++s, ++ri, ++li, ++oi) {
    for (int k = 0; k < kParts; ++k) sum[k] = (sum[k] + row(in, ri, k)) - row(in, li, k);
    emit(oi, count);
  }
  for (int s = 0; s < half - 1; ++s, ++li, ++oi) {
    for (int k = 0; k < kParts; ++k) sum[k] = sum[k] - row(in, li, k);
    emit(oi, --count);
  }
}

/// Box filter along every row of `in` (rows x cols). With `picked_cols` set, only those 64
/// output columns are written, as `out[i * 64 + k]`; otherwise `out` is rows x cols.
template <class Arch>
inline void box_along_rows(const float* in, float* out, int rows, int cols, int window,
                           DownscaleBuffers& buf, const int* picked_cols = nullptr) {
  const std::size_t n = static_cast<std::size_t>(cols);
  buf.strip_in.resize(std::max<std::size_t>(n, 64) * kStripRows);
  buf.strip_out.resize(std::max<std::size_t>(n, 64) * kStripRows);
  float* strip_in = buf.strip_in.data();
  float* strip_out = buf.strip_out.data();
  const std::size_t out_stride = picked_cols ? 64 : n;
  int r0 = 0;
  for (; r0 + static_cast<int>(kStripRows) <= rows; r0 += static_cast<int>(kStripRows)) {
    transpose_strip_in<Arch>(in + r0 * n, n, cols, strip_in);
    box_down_strip<Arch>(strip_in, strip_out, cols, window);
    if (picked_cols) {  // gather the sampled columns (rows of the strip) in place, then transpose
      for (int k = 0; k < 64; ++k) {
        std::copy_n(strip_out + picked_cols[k] * kStripRows, kStripRows, strip_in + k * kStripRows);
      }
      transpose_strip_out<Arch>(strip_in, 64, out + r0 * out_stride, out_stride);
    } else {
      transpose_strip_out<Arch>(strip_out, cols, out + r0 * out_stride, out_stride);
    }
  }
  // Leftover rows (fewer than a strip): the general path, one column per lane.
  const int left = rows - r0;
  if (left == 0) return;
  transpose(in + r0 * n, strip_in, left, cols);
  box_down_columns<Arch>(strip_in, strip_out, cols, left, window, buf.sums);
  for (int i = 0; i < left; ++i) {
    for (int k = 0; k < (picked_cols ? 64 : cols); ++k) {
      const int c = picked_cols ? picked_cols[k] : k;
      out[(r0 + i) * out_stride + k] = strip_out[static_cast<std::size_t>(c) * left + i];
    }
  }
}

/// Two Jarosz passes (rows then columns, twice) over `luma` (rows x cols, row-major, clobbered)
/// and the 64x64 decimation into `out64`. The second pass filters only the 64 sampled columns:
/// the others never reach the output.
template <class Arch = xsimd::default_arch>
inline void jarosz_downscale_64(std::vector<float>& luma, int rows, int cols,
                                DownscaleBuffers& buf, float* out64) {
  const int window_along_rows = jarosz_window(cols);
  const int window_along_cols = jarosz_window(rows);
  int sampled_cols[64];
  for (int k = 0; k < 64; ++k) sampled_cols[k] = decimation_index(k, cols);
  buf.a.resize(static_cast<std::size_t>(rows) * std::max(cols, 64));
  buf.picked.resize(static_cast<std::size_t>(rows) * 64);
  float* l = luma.data();
  float* a = buf.a.data();
  box_along_rows<Arch>(l, a, rows, cols, window_along_rows, buf);
  box_down_columns<Arch>(a, l, rows, cols, window_along_cols, buf.sums);
  box_along_rows<Arch>(l, buf.picked.data(), rows, cols, window_along_rows, buf, sampled_cols);
  box_down_columns<Arch>(buf.picked.data(), a, rows, 64, window_along_cols, buf.sums);
  for (int k = 0; k < 64; ++k) {
    const float* row = a + static_cast<std::size_t>(decimation_index(k, rows)) * 64;
    std::copy(row, row + 64, out64 + k * 64);
  }
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil

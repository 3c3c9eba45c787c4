// vigil: PDQ's 64x64 -> 16x16 DCT, quality metric, median threshold and dihedral transforms,
// bit-exact with Meta's reference.
//
// The DCT keeps the reference's single float accumulator per output, summed over k = 0..63 in
// ascending order; SIMD lanes hold different output columns j, so no sum is re-associated.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/float_mode.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// The eight symmetries of the square, in the reference's output order.
enum class Dihedral { original, rotate90, rotate180, rotate270, flip_x, flip_y, flip_plus1, flip_minus1 };

namespace detail {

using Matrix16x64 = std::array<float, 16 * 64>;
using Matrix64x16 = std::array<float, 64 * 16>;
using Matrix16x16 = std::array<float, 16 * 16>;

/// D[i][j] = sqrt(2/64) * cos(pi/128 * (i+1) * (2j+1)), i = 0..15 (DC skipped), j = 0..63: the
/// scale is rounded to float first and the product is formed in double, as the reference does.
inline Matrix16x64 make_dct_matrix() {
  constexpr double kPi = 3.14159265358979323846;
  const float scale = static_cast<float>(std::sqrt(2.0 / 64.0));
  Matrix16x64 d{};
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) {
      const double angle = (kPi / 2.0 / 64.0) * static_cast<double>(i + 1) * (2 * j + 1);
      d[i * 64 + j] = static_cast<float>(scale * std::cos(angle));
    }
  }
  return d;
}

struct DctTables {
  Matrix16x64 d;   // D, row-major
  Matrix64x16 dt;  // D transposed, so the second product also runs along contiguous memory
};

inline const DctTables& dct_tables() {
  static const DctTables tables = [] {
    DctTables t{make_dct_matrix(), {}};
    for (int i = 0; i < 16; ++i)
      for (int k = 0; k < 64; ++k) t.dt[k * 16 + i] = t.d[i * 64 + k];
    return t;
  }();
  return tables;
}

/// acc[0..n) = sum over k of scalars[k * scalar_stride] * rows[k * row_stride + 0..n), k ascending.
template <class Arch>
inline void dot_rows(const float* scalars, int scalar_stride, const float* rows, int row_stride,
                     int n, float* acc) {
  using batch = xsimd::batch<float, Arch>;
  constexpr int kLanes = static_cast<int>(batch::size);
  static_assert(64 % kLanes == 0 && 16 % kLanes == 0, "lane count must divide 16");
  for (int j = 0; j < n; j += kLanes) {
    batch sum(0.0f);
    for (int k = 0; k < 64; ++k) {
      sum = sum + batch(scalars[k * scalar_stride]) * batch::load_unaligned(rows + k * row_stride + j);
    }
    sum.store_unaligned(acc + j);
  }
}

/// B = D * A * D^T for the 64x64 image-domain block A; B is 16x16.
template <class Arch = xsimd::default_arch>
inline void dct64_to_16(const float* a64, Matrix16x16& out) {
  const DctTables& t = dct_tables();
  alignas(64) std::array<float, 16 * 64> tmp;  // T = D * A
  for (int i = 0; i < 16; ++i) dot_rows<Arch>(&t.d[i * 64], 1, a64, 64, 64, &tmp[i * 64]);
  // B[i][j] = sum_k T[i][k] * D[j][k] = sum_k T[i][k] * Dt[k][j]
  for (int i = 0; i < 16; ++i) dot_rows<Arch>(&tmp[i * 64], 1, t.dt.data(), 16, 16, &out[i * 16]);
}

/// The reference's gradient-count heuristic over the 64x64 block: 0..100.
inline int pdq_quality(const float* a64) {
  int gradient_sum = 0;
  for (int i = 0; i < 63; ++i) {
    for (int j = 0; j < 64; ++j) {
      const float u = a64[i * 64 + j], v = a64[(i + 1) * 64 + j];
      gradient_sum += std::abs(static_cast<int>(((u - v) * 100.0f) / 255.0f));
    }
  }
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 63; ++j) {
      const float u = a64[i * 64 + j], v = a64[i * 64 + j + 1];
      gradient_sum += std::abs(static_cast<int>(((u - v) * 100.0f) / 255.0f));
    }
  }
  return std::min(gradient_sum / 90, 100);
}

/// Bit (16i + j) is set iff B[i][j] exceeds the lower median (the 128th smallest value, which is
/// what the reference's Torben median returns for 256 values).
inline Hash256 bits_above_median(const Matrix16x16& b) {
  Matrix16x16 sorted = b;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  const float median = sorted[127];
  Hash256 h;
  for (int k = 0; k < 256; ++k) {
    if (b[k] > median) h.set_bit(k);
  }
  return h;
}

/// The DCT of the transformed image, from the DCT of the original: transposes and sign flips of
/// odd frequencies (the reference's sign tables).
inline Matrix16x16 dihedral_dct(const Matrix16x16& a, Dihedral which) {
  Matrix16x16 b{};
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      const float v = a[i * 16 + j];
      const bool i_odd = i & 1, j_odd = j & 1, sum_odd = (i + j) & 1;
      switch (which) {
        case Dihedral::original: b[i * 16 + j] = v; break;
        case Dihedral::rotate90: b[j * 16 + i] = j_odd ? v : -v; break;
        case Dihedral::rotate180: b[i * 16 + j] = sum_odd ? -v : v; break;
        case Dihedral::rotate270: b[j * 16 + i] = i_odd ? v : -v; break;
        case Dihedral::flip_x: b[i * 16 + j] = i_odd ? v : -v; break;
        case Dihedral::flip_y: b[i * 16 + j] = j_odd ? v : -v; break;
        case Dihedral::flip_plus1: b[j * 16 + i] = v; break;
        case Dihedral::flip_minus1: b[j * 16 + i] = sum_odd ? -v : v; break;
      }
    }
  }
  return b;
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil

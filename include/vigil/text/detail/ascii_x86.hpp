// vigil: AVX2 and AVX-512BW builds of the ASCII kernel, chosen at run time on x86-64.
//
// Header-only users are usually compiled for baseline x86-64 (SSE2), where the xsimd kernel
// classifies a 64-byte window in four 16-byte steps and six movemasks each. These versions are
// compiled for their ISA with function target attributes (raw intrinsics: xsimd 8.1 batches
// don't work under target attributes) and picked once with __builtin_cpu_supports, so every
// user gets them without special flags. Define VIGIL_TEXT_NO_DISPATCH to use only the xsimd
// kernel for the compile flags' ISA.
#pragma once

#if !defined(VIGIL_TEXT_NO_DISPATCH) && defined(__x86_64__) && \
    (defined(__GNUC__) || defined(__clang__))
#define VIGIL_TEXT_X86_DISPATCH 1
#include <immintrin.h>

#include "vigil/text/detail/ascii_simd.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

#define VIGIL_TEXT_AVX2 __attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt")))
#define VIGIL_TEXT_AVX512 \
  __attribute__((target("avx512f,avx512bw,avx512vbmi2,avx2,bmi,bmi2,lzcnt,popcnt")))

struct Avx2Classify : ScalarEmit {
  VIGIL_TEXT_AVX2 static std::uint32_t bits(__m256i m) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(m));
  }
  // Unsigned a < b for bytes: min(a, b - 1) == a, with b >= 1 constant.
  VIGIL_TEXT_AVX2 static __m256i lt(__m256i a, unsigned char b) {
    return _mm256_cmpeq_epi8(_mm256_min_epu8(a, _mm256_set1_epi8(char(b - 1))), a);
  }
  VIGIL_TEXT_AVX2 static __m256i eq(__m256i a, char c) {
    return _mm256_cmpeq_epi8(a, _mm256_set1_epi8(c));
  }
  VIGIL_TEXT_AVX2 static void half(const unsigned char* p, unsigned char* low, unsigned k,
                                   AsciiWindow& w) {
    const __m256i sp = _mm256_set1_epi8(0x20);
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
    const __m256i lower = _mm256_or_si256(v, sp);
    const __m256i alpha = lt(_mm256_sub_epi8(lower, _mm256_set1_epi8('a')), 26);
    const __m256i digit = lt(_mm256_sub_epi8(v, _mm256_set1_epi8('0')), 10);
    const __m256i apos = _mm256_or_si256(eq(v, '\''), eq(v, '`'));
    const __m256i sym = _mm256_or_si256(_mm256_or_si256(eq(v, '@'), eq(v, '$')),
                                        _mm256_or_si256(eq(v, '!'), eq(v, '|')));
    const __m256i n1 = _mm256_or_si256(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k + 1)), sp);
    const __m256i n2 = _mm256_or_si256(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k + 2)), sp);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(low + k),
                        _mm256_blendv_epi8(_mm256_blendv_epi8(sp, v, digit), lower, alpha));
    w.letter |= std::uint64_t(bits(alpha)) << k;
    w.digit |= std::uint64_t(bits(digit)) << k;
    w.stop |= std::uint64_t(bits(v)) << k;
    w.apos |= std::uint64_t(bits(apos)) << k;
    w.sym |= std::uint64_t(bits(sym)) << k;
    w.eq |= std::uint64_t(bits(_mm256_cmpeq_epi8(lower, n1))) << k;
    w.eq2 |= std::uint64_t(bits(_mm256_cmpeq_epi8(lower, n2))) << k;
  }
  VIGIL_TEXT_AVX2 static AsciiWindow classify(const unsigned char* p, unsigned char* low) {
    AsciiWindow w;
    half(p, low, 0, w);
    half(p, low, 32, w);
    return w;
  }
};

/// Keeps the window's output in a register and closes it up with VPCOMPRESSB: no round trip
/// through memory (16-byte reloads of a 64-byte store defeat store forwarding).
struct Avx512Classify {
  __m512i out;

  VIGIL_TEXT_AVX512 void copy(const unsigned char*, char* dst) const {
    _mm512_storeu_si512(dst, out);
  }
  VIGIL_TEXT_AVX512 unsigned compact(const unsigned char*, std::uint64_t keep, unsigned,
                                     char* dst) const {
    _mm512_storeu_si512(dst, _mm512_maskz_compress_epi8(keep, out));
    return static_cast<unsigned>(__builtin_popcountll(keep));
  }
  VIGIL_TEXT_AVX512 static __mmask64 eq(__m512i a, char c) {
    return _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8(c));
  }
  VIGIL_TEXT_AVX512 AsciiWindow classify(const unsigned char* p, unsigned char*) {
    const __m512i sp = _mm512_set1_epi8(0x20);
    const __m512i v = _mm512_loadu_si512(p);
    const __m512i lower = _mm512_or_si512(v, sp);
    AsciiWindow w;
    const __mmask64 alpha = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lower, _mm512_set1_epi8('a')),
                                                   _mm512_set1_epi8(26));
    w.letter = alpha;
    const __mmask64 digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
                                                   _mm512_set1_epi8(10));
    w.digit = digit;
    w.stop = _mm512_movepi8_mask(v);
    w.apos = eq(v, '\'') | eq(v, '`');
    w.sym = eq(v, '@') | eq(v, '$') | eq(v, '!') | eq(v, '|');
    w.eq = _mm512_cmpeq_epi8_mask(lower, _mm512_or_si512(_mm512_loadu_si512(p + 1), sp));
    w.eq2 = _mm512_cmpeq_epi8_mask(lower, _mm512_or_si512(_mm512_loadu_si512(p + 2), sp));
    out = _mm512_mask_blend_epi8(alpha, _mm512_mask_blend_epi8(digit, sp, v), lower);
    return w;
  }
};

using AsciiKernelFn = std::size_t (*)(const unsigned char*, std::size_t, std::uint64_t, Sink&);

VIGIL_TEXT_AVX2 inline std::size_t ascii_kernel_avx2(const unsigned char* p, std::size_t avail,
                                                     std::uint64_t orig, Sink& o) {
  return ascii_kernel_loop<Avx2Classify>(p, avail, orig, o);
}
VIGIL_TEXT_AVX512 inline std::size_t ascii_kernel_avx512(const unsigned char* p,
                                                         std::size_t avail, std::uint64_t orig,
                                                         Sink& o) {
  return ascii_kernel_loop<Avx512Classify>(p, avail, orig, o);
}
inline std::size_t ascii_kernel_default(const unsigned char* p, std::size_t avail,
                                        std::uint64_t orig, Sink& o) {
  return AsciiKernel{}(xsimd::default_arch{}, p, avail, orig, o);
}

/// The best kernel this CPU runs.
inline AsciiKernelFn best_ascii_kernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2"))
    return &ascii_kernel_avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) return &ascii_kernel_avx2;
  return &ascii_kernel_default;
}

/// The kernel in use, chosen at static initialisation (tests switch it to compare them all).
inline AsciiKernelFn g_ascii_kernel = best_ascii_kernel();

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil
#endif

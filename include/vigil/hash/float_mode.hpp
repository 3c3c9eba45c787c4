// vigil: compile-time guards for the floating-point rules PDQ bit-exactness depends on.
//
// PDQ is only interoperable if every float operation rounds exactly as in Meta's reference:
// 32-bit IEEE float, no re-association (-ffast-math) and no fused multiply-add contraction.
// Build every translation unit that includes PDQ with `-ffp-contract=off` and never with
// `-ffast-math`. Fast-math is detected here; FMA contraction cannot be detected by the
// preprocessor, so when the target has FMA instructions the build must state that contraction is
// off by defining VIGIL_FP_CONTRACT_OFF (the meson build does, together with -ffp-contract=off).
#pragma once

#if defined(__FAST_MATH__)
#error "vigil PDQ: -ffast-math changes float results; PDQ hashes would not match the reference."
#endif

#if defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
#error "vigil PDQ: -ffinite-math-only is not supported (compile without fast-math options)."
#endif

#if (defined(__FMA__) || defined(__FMA4__) || defined(__ARM_FEATURE_FMA)) && \
    !defined(VIGIL_FP_CONTRACT_OFF)
#error "vigil PDQ: the target has FMA; compile with -ffp-contract=off and define VIGIL_FP_CONTRACT_OFF."
#endif

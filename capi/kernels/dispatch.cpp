// vigil kernel dispatcher: compiled without instruction-set flags. Picks the Hamming kernel set
// by name or the best one the CPU supports; the per-ISA sets live in <isa>.cpp, each built with
// its own -m flags and called only after the checks below (GCC's __builtin_cpu_supports also
// checks that the OS saves the AVX/AVX-512 registers).
#include <cstring>

#include "vigil/hash/hamming_kernels.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

#if defined(VIGIL_KERNELS_X86)
const HammingKernelTable& kernels_sse4_2();
const HammingKernelTable& kernels_avx2();
const HammingKernelTable& kernels_avx512bw();
const HammingKernelTable& kernels_avx512vpopcnt();
#endif

namespace {
#if defined(VIGIL_KERNELS_X86)

struct KernelChoice {
  const char* name;
  bool (*supported)();
  const HammingKernelTable& (*table)();
};

bool cpu_has_sse4_2() {
  return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("ssse3") &&
         __builtin_cpu_supports("popcnt");
}
bool cpu_has_avx2() { return cpu_has_sse4_2() && __builtin_cpu_supports("avx2"); }
bool cpu_has_avx512bw() {
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
}
bool cpu_has_avx512vpopcnt() {
  return cpu_has_avx512bw() && __builtin_cpu_supports("avx512vpopcntdq");
}

// Best first.
const KernelChoice kChoices[] = {
    {"avx512vpopcnt", &cpu_has_avx512vpopcnt, &kernels_avx512vpopcnt},
    {"avx512bw", &cpu_has_avx512bw, &kernels_avx512bw},
    {"avx2", &cpu_has_avx2, &kernels_avx2},
    {"sse4_2", &cpu_has_sse4_2, &kernels_sse4_2},
};
#else
struct KernelChoice {
  const char* name;
  bool (*supported)();
  const HammingKernelTable& (*table)();
};
const KernelChoice kChoices[] = {{"scalar", nullptr, &scalar_kernel_table}};  // no SIMD sets here
#endif

}  // namespace
}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil

extern "C" __attribute__((visibility("default"))) const vigil::hash::HammingKernelTable*
vigil_hash_kernels_lookup(const char* name) {
  using namespace vigil::hash::detail;
  const bool best = name == nullptr || *name == '\0';
  for (const KernelChoice& c : kChoices) {
    if ((best || std::strcmp(name, c.name) == 0) && (c.supported == nullptr || c.supported())) {
      return &c.table();
    }
  }
  return best || std::strcmp(name, "scalar") == 0 ? &scalar_kernel_table() : nullptr;
}

// vigil kernel dispatcher: compiled without instruction-set flags. Picks the Hamming and text
// kernel sets by name or the best ones the CPU supports; the per-ISA sets live in <isa>.cpp and
// text_<isa>.cpp, each built with its own -m flags and called only after the checks below (GCC's
// __builtin_cpu_supports also checks that the OS saves the AVX/AVX-512 registers).
#include <cstring>

#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/hash/text_kernels.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

#if defined(VIGIL_KERNELS_X86)
const HammingKernelTable& kernels_sse4_2();
const HammingKernelTable& kernels_avx2();
const HammingKernelTable& kernels_avx512bw();
const HammingKernelTable& kernels_avx512vpopcnt();
const TextKernelTable& text_kernels_sse4_2();
const TextKernelTable& text_kernels_avx2();
const TextKernelTable& text_kernels_avx512bw();
#endif

namespace {
#if defined(VIGIL_KERNELS_X86)

struct KernelChoice {
  const char* name;
  bool (*supported)();
  const HammingKernelTable& (*table)();
  const TextKernelTable& (*text_table)();
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
    {"avx512vpopcnt", &cpu_has_avx512vpopcnt, &kernels_avx512vpopcnt, &text_kernels_avx512bw},
    {"avx512bw", &cpu_has_avx512bw, &kernels_avx512bw, &text_kernels_avx512bw},
    {"avx2", &cpu_has_avx2, &kernels_avx2, &text_kernels_avx2},
    {"sse4_2", &cpu_has_sse4_2, &kernels_sse4_2, &text_kernels_sse4_2},
};
#else
struct KernelChoice {
  const char* name;
  bool (*supported)();
  const HammingKernelTable& (*table)();
  const TextKernelTable& (*text_table)();
};
const KernelChoice kChoices[] = {{"scalar", nullptr, &scalar_kernel_table, nullptr}};  // no SIMD sets here
#endif

/// The supported choice called `name` (empty: the best), or null.
const KernelChoice* find_choice(const char* name) {
  const bool best = name == nullptr || *name == '\0';
  for (const KernelChoice& c : kChoices) {
    if ((best || std::strcmp(name, c.name) == 0) && (c.supported == nullptr || c.supported())) return &c;
  }
  return nullptr;
}

}  // namespace
}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil

extern "C" __attribute__((visibility("default"))) const vigil::hash::HammingKernelTable*
vigil_hash_kernels_lookup(const char* name) {
  using namespace vigil::hash::detail;
  if (const KernelChoice* c = find_choice(name)) return &c->table();
  const bool best = name == nullptr || *name == '\0';
  return best || std::strcmp(name, "scalar") == 0 ? &scalar_kernel_table() : nullptr;
}

/// The text kernels of the set called `name` (empty: the best), or null when that set has none
/// here (then the header's portable kernels apply).
extern "C" __attribute__((visibility("default"))) const vigil::hash::TextKernelTable*
vigil_text_kernels_lookup(const char* name) {
  using namespace vigil::hash::detail;
  const KernelChoice* c = find_choice(name);
  return c != nullptr && c->text_table != nullptr ? &c->text_table() : nullptr;
}

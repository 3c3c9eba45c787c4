// vigil.h compiles as C++ (built as C++98 with -Wpedantic -Werror), and the version macros
// agree with the library actually linked.
#include "vigil.h"

#include <cstdio>
#include <cstring>

int main() {
  int failed = 0;
  if (vigil_version_number() != VIGIL_VERSION_NUMBER) {
    std::printf("header %d, library %u\n", VIGIL_VERSION_NUMBER, vigil_version_number());
    ++failed;
  }
  if (std::strcmp(vigil_version_string(), VIGIL_VERSION_STRING) != 0) {
    std::printf("header %s, library %s\n", VIGIL_VERSION_STRING, vigil_version_string());
    ++failed;
  }
  vigil_engine_options eo = VIGIL_ENGINE_OPTIONS_INIT;
  vigil_batch_options bo = VIGIL_BATCH_OPTIONS_INIT;
  if (eo.struct_size != sizeof eo || bo.struct_size != sizeof bo) ++failed;
  // The hashing and bank structs' initialisers are C++98 too, and name their own sizes.
  vigil_image im = VIGIL_IMAGE_INIT;
  vigil_pdq_options po = VIGIL_PDQ_OPTIONS_INIT;
  vigil_bank_load_options lo = VIGIL_BANK_LOAD_OPTIONS_INIT;
  vigil_scanner_options so = VIGIL_SCANNER_OPTIONS_INIT;
  if (im.struct_size != sizeof im || po.struct_size != sizeof po || lo.struct_size != sizeof lo ||
      so.struct_size != sizeof so || po.squash != 1 || lo.signal != VIGIL_SIGNAL_AUTO)
    ++failed;
  vigil_engine* e = 0;
  if (vigil_engine_open_pack_string(0, 0, 0, 0, &eo, &e) != VIGIL_E_PACK || e != 0) ++failed;
  std::printf("%d passed, %d failed\n", 5 - failed, failed);
  return failed ? 1 : 0;
}

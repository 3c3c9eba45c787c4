// Build tool: load a rule pack (validating it whole) and write its canonical, self-contained
// form as a C source defining vigil_default_pack_data / vigil_default_pack_size.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

#include "vigil/rules/pack.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PACK.toml OUT.c\n", argv[0]);
    return 2;
  }
  try {
    vigil::rules::Pack pack = vigil::rules::load_pack_file(argv[1]);
    const std::string& src = pack.canonical_source;
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << "/* Generated from " << argv[1] << " (pack " << pack.name << " " << pack.version
        << ", sha256 " << pack.hash << "). Do not edit. */\n"
        << "#include <stddef.h>\n"
        << "__attribute__((visibility(\"hidden\"))) const unsigned char vigil_default_pack_data[] = {";
    for (std::size_t i = 0; i < src.size(); ++i) {
      if (i % 20 == 0) out << "\n ";
      out << static_cast<unsigned>(static_cast<unsigned char>(src[i])) << ',';
    }
    out << "0};\n__attribute__((visibility(\"hidden\"))) const size_t vigil_default_pack_size = "
        << src.size() << ";\n";
    if (!out) {
      std::fprintf(stderr, "%s: cannot write\n", argv[2]);
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}

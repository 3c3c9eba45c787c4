// Build tool: load a rule pack (validating it whole) and write, as a C source, its canonical
// self-contained form (vigil_default_pack_data/_size) and the engine compiled from it for this
// machine without streaming databases (vigil_default_engine_data/_size), so programs start
// without compiling the pack. A machine whose Hyperscan or CPU refuses that engine compiles the
// pack instead.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

#include "vigil/engine.hpp"
#include "vigil/rules/pack.hpp"

static void write_array(std::ofstream& out, const char* name, const std::string& bytes) {
  out << "__attribute__((visibility(\"hidden\"))) const unsigned char " << name << "_data[] = {";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i % 20 == 0) out << "\n ";
    out << static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << ',';
  }
  out << "0};\n__attribute__((visibility(\"hidden\"))) const size_t " << name
      << "_size = " << bytes.size() << ";\n";
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PACK.toml OUT.c\n", argv[0]);
    return 2;
  }
  try {
    vigil::rules::Pack pack = vigil::rules::load_pack_file(argv[1]);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << "/* Generated from " << argv[1] << " (pack " << pack.name << " " << pack.version
        << ", sha256 " << pack.hash << "). Do not edit. */\n#include <stddef.h>\n";
    std::string source = pack.canonical_source;
    vigil::EngineOptions options;
    options.streaming = false;
    std::string engine = vigil::Engine::compile(std::move(pack), options)->serialize();
    write_array(out, "vigil_default_pack", source);
    write_array(out, "vigil_default_engine", engine);
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

// vigil compile --pack FILE -o OUT: validate a pack and write a serialised engine.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"

namespace vigil_cli {

int run_compile(const std::vector<std::string>& args) {
  EngineSource src;
  std::string out;
  bool streaming = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) {
      if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--pack") src.pack_path = value("--pack");
    else if (a == "-o" || a == "--output") out = value("-o");
    else if (a == "--no-streaming") streaming = false;
    else throw UsageError("compile: unknown argument '" + a + "'");
  }
  if (src.pack_path.empty()) throw UsageError("compile: --pack FILE is required");
  if (out.empty()) throw UsageError("compile: -o OUT is required");
  auto t0 = std::chrono::steady_clock::now();
  auto engine = open_engine(src, streaming);
  engine->save(out);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "vigil: compiled %s (%zu rules, %zu patterns) into %s in %.2f s\n",
               src.pack_path.c_str(), engine->pack().rules.size(),
               engine->patterns().patterns.size(), out.c_str(), secs);
  return kAllowed;
}

}  // namespace vigil_cli

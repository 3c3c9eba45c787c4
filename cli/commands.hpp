// vigil CLI: the subcommands and what they share.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "vigil/engine.hpp"

namespace vigil_cli {

/// Exit codes: 0 all allowed, 1 something flagged, 2 usage or input error.
enum Exit { kAllowed = 0, kFlagged = 1, kError = 2 };

/// A usage error: printed with a hint to `vigil help`, exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// --pack FILE | --engine FILE | neither (the embedded default pack).
struct EngineSource {
  std::string pack_path;
  std::string engine_path;
};

/// Build the engine a command asked for. Throws PackError / EngineFileError with clear text.
std::shared_ptr<const vigil::Engine> open_engine(const EngineSource& src, bool streaming);

int run_scan(const std::vector<std::string>& args);
int run_compile(const std::vector<std::string>& args);
int run_hash(const std::vector<std::string>& args);

}  // namespace vigil_cli

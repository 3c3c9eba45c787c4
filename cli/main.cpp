// vigil: the command-line tool.
#include <hs/hs.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.hpp"
#include "vigil/default_pack.hpp"

namespace vigil_cli {

std::shared_ptr<const vigil::Engine> open_engine(const EngineSource& src, bool streaming) {
  vigil::EngineOptions options;
  options.streaming = streaming;
  if (!src.engine_path.empty()) return vigil::Engine::load(src.engine_path);
  if (!src.pack_path.empty()) return vigil::Engine::from_pack_file(src.pack_path, options);
  return vigil::default_engine(options);
}

}  // namespace vigil_cli

namespace {

const char kUsage[] =
    "usage: vigil <command> [options]\n"
    "\n"
    "commands:\n"
    "  scan [--pack FILE | --engine FILE] [--format jsonl|table] [--jsonl]\n"
    "       [--bank FILE] [--review-bank FILE] [--allow-bank FILE] [--dihedral] [--no-squash]\n"
    "       [FILE ...]\n"
    "        Scan messages and print one verdict per message. Each FILE is one message;\n"
    "        no FILE or '-' reads standard input. --jsonl reads one JSON object per line\n"
    "        and scans its \"text\" field, echoing its \"id\".\n"
    "        Banks of known hashes (each option repeatable): a hit in a --bank blocks, in a\n"
    "        --review-bank asks for review; an --allow-bank hit overrides the others' hits of\n"
    "        that signal. With banks, JPEG and PNG files are scanned as images (PDQ; with\n"
    "        --dihedral also rotated and flipped; --no-squash skips the 512x512 pre-squash).\n"
    "        Exit status: 0 all allowed, 1 something flagged (review or block), 2 error.\n"
    "  hash --algo md5|sha256|xxh3|text|pdq|simhash|minhash [--dihedral] [--no-squash] [FILE ...]\n"
    "        Print one JSON object per file: {\"file\", \"algo\", \"hash\"}, with \"quality\"\n"
    "        for pdq and \"dihedral\" (8 hashes) with --dihedral. simhash and minhash hash the\n"
    "        normalised text. pdq reads JPEG and PNG and squashes images over 512 pixels to\n"
    "        512x512 as the reference tool does, unless --no-squash.\n"
    "  compile --pack FILE -o OUT [--no-streaming]\n"
    "        Validate and compile a rule pack into an engine file for fast loading.\n"
    "  version\n"
    "        Print the vigil and Hyperscan versions.\n"
    "  help\n"
    "        Print this text.\n"
    "\n"
    "Without --pack or --engine, the embedded default pack is used.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return vigil_cli::kError;
  }
  std::string command = args.front();
  args.erase(args.begin());
  try {
    if (command == "scan") return vigil_cli::run_scan(args);
    if (command == "compile") return vigil_cli::run_compile(args);
    if (command == "hash") return vigil_cli::run_hash(args);
    if (command == "version" || command == "--version") {
      std::printf("vigil %s (Hyperscan %s)\n", vigil::version_string, hs_version());
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    throw vigil_cli::UsageError("unknown command '" + command + "'");
  } catch (const vigil_cli::UsageError& e) {
    std::fprintf(stderr, "vigil: %s\n(run 'vigil help' for usage)\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil: %s\n", e.what());
  }
  return vigil_cli::kError;
}

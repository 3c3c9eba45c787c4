// vigil's side of the peer comparison (bench/peers): times vigil on input files written by the
// Python harness, so vigil and the peers see exactly the same terms, messages, codes and images,
// and writes vigil's results so the harness can check they agree before comparing times.
//
//   vigil-peers-bench scan TERMS MESSAGES REPEAT OUT
//       TERMS: one term per line; MESSAGES: messages separated by NUL bytes. Times vigil's
//       engine (normalise + match + score) and raw Hyperscan (the same terms as CASELESS
//       literals, the raw messages) over every message, REPEAT passes each, interleaved.
//       OUT.hs: per message, the sorted ids of the terms raw Hyperscan found;
//       OUT.vigil: per message, the byte spans (start-end) of vigil's hits.
//   vigil-peers-bench hamming CODES QUERIES RADIUS REPEAT OUT
//       CODES, QUERIES: packed 256-bit codes (32 bytes each). Times the multi-index (MIH) and
//       the flat SIMD scan, REPEAT times per query. OUT: per query, the sorted ids within RADIUS.
//   vigil-peers-bench text MESSAGES
//       Per NUL-separated message, one line: its text fingerprint (the exact "normalised
//       fingerprint"), its SimHash-64 and its 128 MinHash slots, in hex — what
//       `vigil hash --algo text|simhash|minhash` gives for a file holding that message.
//   vigil-peers-bench pdq REPEAT FILE...
//       PDQ of each JPEG/PNG at full resolution (the reference library's hash, `--no-squash`),
//       timed on the decoded pixels; one JSON line per file.
//
// Every timing is printed as JSON on stdout (lists of seconds, or per-query microseconds).
#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "vigil/bank/mih_index.hpp"
#include "vigil/engine.hpp"
#include "vigil/hash/code_array.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/hash/hamming_scan.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/pdq.hpp"
#include "vigil/hash/simhash.hpp"
#include "vigil/hash/text_fingerprint.hpp"
#include "vigil/image/decode.hpp"
#include "vigil/text/normalize.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(sep, pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string json_list(const std::vector<double>& values) {
  std::ostringstream s;
  s.precision(9);
  s << '[';
  for (std::size_t i = 0; i < values.size(); ++i) s << (i ? "," : "") << values[i];
  s << ']';
  return s.str();
}

int parse_count(const char* text, const char* what) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*end != '\0' || v < 0 || v > 1000000) {
    throw std::runtime_error(std::string(what) + " must be a count, not '" + text + "'");
  }
  return static_cast<int>(v);
}

// ---- scan: vigil against raw Hyperscan ------------------------------------------------------

/// The terms as one pack: 100-term rules, every hit listed (max_hits high) so spans compare.
std::string pack_toml(const std::vector<std::string>& terms) {
  std::string p = "[pack]\nname = \"peers\"\nversion = \"1\"\n[policy]\nreview = 3.0\nblock = 8.0\n";
  for (std::size_t i = 0; i < terms.size(); i += 100) {
    p += "[[rule]]\nid = \"r" + std::to_string(i / 100) + "\"\ncategory = \"c\"\n";
    p += "max_hits = 1000000\nterms = [";
    for (std::size_t j = i; j < std::min(terms.size(), i + 100); ++j) {
      p += (j > i ? ", \"" : "\"") + terms[j] + "\"";
    }
    p += "]\n";
  }
  return p;
}

struct RawHyperscan {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;

  explicit RawHyperscan(const std::vector<std::string>& terms) {
    std::vector<const char*> exprs;
    std::vector<std::size_t> lens;
    std::vector<unsigned> ids, flags;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      exprs.push_back(terms[i].data());
      lens.push_back(terms[i].size());
      ids.push_back(static_cast<unsigned>(i));
      flags.push_back(HS_FLAG_CASELESS);
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                             &err) != HS_SUCCESS) {
      const std::string message = err ? err->message : "unknown error";
      hs_free_compile_error(err);
      throw std::runtime_error("Hyperscan compile: " + message);
    }
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) throw std::runtime_error("hs_alloc_scratch");
  }
  ~RawHyperscan() {
    hs_free_scratch(scratch);
    hs_free_database(db);
  }
  RawHyperscan(const RawHyperscan&) = delete;
  RawHyperscan& operator=(const RawHyperscan&) = delete;

  template <class OnMatch>
  void scan(const std::string& message, OnMatch& on_match) const {
    auto callback = [](unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
      (*static_cast<OnMatch*>(ctx))(id);
      return 0;
    };
    hs_scan(db, message.data(), static_cast<unsigned>(message.size()), 0, scratch, callback,
            &on_match);
  }
};

void write_scan_results(const vigil::Engine& engine, const RawHyperscan& raw,
                        const std::vector<std::string>& messages, const std::string& out) {
  std::ofstream hs_out(out + ".hs"), vigil_out(out + ".vigil");
  std::vector<unsigned> ids;
  auto collect = [&ids](unsigned id) { ids.push_back(id); };
  for (const auto& m : messages) {
    ids.clear();
    raw.scan(m, collect);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (std::size_t i = 0; i < ids.size(); ++i) hs_out << (i ? " " : "") << ids[i];
    hs_out << '\n';
    const auto verdict = engine.scan(m);
    bool first = true;
    for (const auto& h : verdict.hits) {
      if (h.composite) continue;
      vigil_out << (first ? "" : " ") << h.start << '-' << h.end;
      first = false;
    }
    vigil_out << '\n';
  }
}

int run_scan(const std::string& terms_path, const std::string& messages_path, int repeat,
             const std::string& out) {
  const auto terms = split(read_file(terms_path), '\n');
  const auto messages = split(read_file(messages_path), '\0');
  auto t0 = Clock::now();
  const auto engine = vigil::Engine::compile(vigil::rules::load_pack_string(pack_toml(terms)),
                                             vigil::EngineOptions{false});
  const double vigil_compile = seconds_since(t0);
  t0 = Clock::now();
  const RawHyperscan raw(terms);
  const double hs_compile = seconds_since(t0);
  write_scan_results(*engine, raw, messages, out);

  std::vector<double> vigil_runs, hs_runs;
  std::size_t sink = 0;
  auto count = [&sink](unsigned) { ++sink; };
  for (int r = 0; r < repeat; ++r) {
    t0 = Clock::now();
    for (const auto& m : messages) sink += engine->scan(m).hits.size();
    vigil_runs.push_back(seconds_since(t0));
    t0 = Clock::now();
    for (const auto& m : messages) raw.scan(m, count);
    hs_runs.push_back(seconds_since(t0));
  }
  std::cout << "{\"terms\":" << terms.size() << ",\"messages\":" << messages.size()
            << ",\"vigil_compile_s\":" << vigil_compile << ",\"hs_compile_s\":" << hs_compile
            << ",\"vigil_runs_s\":" << json_list(vigil_runs)
            << ",\"hs_runs_s\":" << json_list(hs_runs) << ",\"sink\":" << sink << "}\n";
  return 0;
}

// ---- hamming: MIH and flat scan ---------------------------------------------------------------

using Code = vigil::bank::MihIndex256::Code;

std::vector<Code> read_codes(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() % 32 != 0) throw std::runtime_error(path + ": size is not a multiple of 32 bytes");
  std::vector<Code> codes(bytes.size() / 32);
  for (std::size_t i = 0; i < codes.size(); ++i) std::memcpy(codes[i].data(), bytes.data() + 32 * i, 32);
  return codes;
}

struct HammingTimes {
  std::vector<double> mih_us, flat_us;
  std::size_t mismatches = 0;  // queries where MIH and the flat scan disagree (must stay 0)
};

HammingTimes time_queries(const vigil::bank::MihIndex256& index, const vigil::hash::CodeArray256& flat,
                          const std::vector<Code>& queries, int radius, int repeat,
                          std::ofstream& out) {
  HammingTimes t;
  for (const auto& q : queries) {
    std::vector<std::uint32_t> mih_ids, flat_ids;
    for (int r = 0; r < repeat; ++r) {
      auto t0 = Clock::now();
      const auto hits = index.query(q, radius);
      t.mih_us.push_back(seconds_since(t0) * 1e6);
      t0 = Clock::now();
      const auto scanned = vigil::hash::range_scan(flat, vigil::hash::Hash256{q}, radius);
      t.flat_us.push_back(seconds_since(t0) * 1e6);
      if (r > 0) continue;
      for (const auto& h : hits) mih_ids.push_back(h.index);
      for (const auto& h : scanned) flat_ids.push_back(h.index);
    }
    std::sort(mih_ids.begin(), mih_ids.end());
    std::sort(flat_ids.begin(), flat_ids.end());
    if (mih_ids != flat_ids) ++t.mismatches;
    for (std::size_t i = 0; i < mih_ids.size(); ++i) out << (i ? " " : "") << mih_ids[i];
    out << '\n';
  }
  return t;
}

int run_hamming(const std::string& codes_path, const std::string& queries_path, int radius,
                int repeat, const std::string& out) {
  const auto codes = read_codes(codes_path);
  const auto queries = read_codes(queries_path);
  auto t0 = Clock::now();
  vigil::bank::MihIndex256 index;
  index.add_many(codes);
  const double build_s = seconds_since(t0);
  vigil::hash::CodeArray256 flat;
  flat.reserve(codes.size());
  for (const auto& c : codes) flat.push_back(vigil::hash::Hash256{c});
  std::ofstream results(out);
  const auto t = time_queries(index, flat, queries, radius, repeat, results);
  std::cout << "{\"codes\":" << codes.size() << ",\"queries\":" << queries.size()
            << ",\"mih_build_s\":" << build_s << ",\"mih_bytes\":" << index.memory_bytes()
            << ",\"mismatches\":" << t.mismatches << ",\"mih_us\":" << json_list(t.mih_us)
            << ",\"flat_us\":" << json_list(t.flat_us) << "}\n";
  return t.mismatches == 0 ? 0 : 1;
}

// ---- pdq: full-resolution hashes ----------------------------------------------------------------

int run_pdq(int repeat, int argc, char** argv) {
  vigil::hash::PdqHasher hasher;
  for (int i = 0; i < argc; ++i) {
    const auto image = vigil::image::decode(read_file(argv[i]));
    std::vector<double> one_s, dihedral_s;
    vigil::hash::PdqResult result;
    for (int r = 0; r < repeat; ++r) {
      auto t0 = Clock::now();
      result = hasher.hash(image.view());
      one_s.push_back(seconds_since(t0));
      t0 = Clock::now();
      const auto all = hasher.hash_dihedral(image.view());
      dihedral_s.push_back(seconds_since(t0));
      if (all.quality != result.quality) throw std::runtime_error(std::string(argv[i]) + ": quality differs");
    }
    std::cout << "{\"file\":\"" << argv[i] << "\",\"hash\":\"" << result.hash.to_hex()
              << "\",\"quality\":" << result.quality << ",\"width\":" << image.width
              << ",\"height\":" << image.height << ",\"pdq_s\":" << json_list(one_s)
              << ",\"dihedral_s\":" << json_list(dihedral_s) << "}\n";
  }
  return 0;
}

// ---- text: near-duplicate fingerprints ---------------------------------------------------------

int run_text(const std::string& messages_path) {
  namespace vh = vigil::hash;
  for (const auto& m : split(read_file(messages_path), '\0')) {
    const std::string normalized = vigil::text::normalize(m).text;
    std::cout << vh::to_hex(vh::xxh3_128(vh::fingerprint_text(normalized))) << ' '
              << vh::hex64(vh::simhash64(normalized)) << ' ';
    char slot[9];
    for (const auto v : vh::minhash(normalized).slots) {
      std::snprintf(slot, sizeof slot, "%08x", static_cast<unsigned>(v));
      std::cout << slot;
    }
    std::cout << '\n';
  }
  return 0;
}

int usage() {
  std::cerr << "usage: vigil-peers-bench scan TERMS MESSAGES REPEAT OUT\n"
               "       vigil-peers-bench hamming CODES QUERIES RADIUS REPEAT OUT\n"
               "       vigil-peers-bench text MESSAGES\n"
               "       vigil-peers-bench pdq REPEAT FILE...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "scan" && argc == 6) {
      return run_scan(argv[2], argv[3], parse_count(argv[4], "REPEAT"), argv[5]);
    }
    if (mode == "hamming" && argc == 7) {
      return run_hamming(argv[2], argv[3], parse_count(argv[4], "RADIUS"),
                         parse_count(argv[5], "REPEAT"), argv[6]);
    }
    if (mode == "text" && argc == 3) return run_text(argv[2]);
    if (mode == "pdq" && argc >= 4) return run_pdq(parse_count(argv[2], "REPEAT"), argc - 3, argv + 3);
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "vigil-peers-bench: " << e.what() << '\n';
    return 2;
  }
}

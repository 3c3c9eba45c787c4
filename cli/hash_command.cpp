// vigil hash --algo ALGO [--dihedral] [--no-squash] FILE...: one JSON object per file, in order,
// with the hash a bank file would hold for it.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "input.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/pdq.hpp"
#include "vigil/hash/simhash.hpp"
#include "vigil/hash/text_fingerprint.hpp"
#include "vigil/image/decode.hpp"
#include "vigil/score/json.hpp"
#include "vigil/text/normalize.hpp"

namespace vigil_cli {
namespace {

namespace vh = vigil::hash;

enum class Algo { md5, sha256, xxh3, text, pdq, simhash, minhash };

struct HashOptions {
  Algo algo = Algo::sha256;
  std::string algo_name;
  bool dihedral = false;
  bool squash = true;
  std::vector<std::string> files;
};

Algo parse_algo(const std::string& name) {
  if (name == "md5") return Algo::md5;
  if (name == "sha256") return Algo::sha256;
  if (name == "xxh3") return Algo::xxh3;
  if (name == "text") return Algo::text;
  if (name == "pdq") return Algo::pdq;
  if (name == "simhash") return Algo::simhash;
  if (name == "minhash") return Algo::minhash;
  throw UsageError("--algo must be md5, sha256, xxh3, text, pdq, simhash or minhash, not '" + name + "'");
}

HashOptions parse_hash_args(const std::vector<std::string>& args) {
  HashOptions o;
  bool squash_flag = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--algo") {
      if (i + 1 >= args.size()) throw UsageError("--algo needs a value");
      o.algo_name = args[++i];
      o.algo = parse_algo(o.algo_name);
    } else if (a == "--dihedral") {
      o.dihedral = true;
    } else if (a == "--no-squash" || a == "--squash") {
      o.squash = a == "--squash";
      squash_flag = true;
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      throw UsageError("hash: unknown option '" + a + "'");
    } else {
      o.files.push_back(a);
    }
  }
  if (o.algo_name.empty()) throw UsageError("hash: --algo is required");
  if ((o.dihedral || squash_flag) && o.algo != Algo::pdq)
    throw UsageError("hash: --dihedral, --squash and --no-squash apply to --algo pdq only");
  if (o.files.empty()) o.files.push_back("-");
  return o;
}

/// The 128 MinHash slots as 8 hex digits each, slot 0 first (1,024 digits).
std::string minhash_hex(const vh::MinHashSignature& s) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(vh::kMinHashSlots * 8);
  for (std::uint32_t slot : s.slots)
    for (int shift = 28; shift >= 0; shift -= 4) out += digits[(slot >> shift) & 15];
  return out;
}

/// Appends ,"hash":...,"quality":... [,"dihedral":{...}] for an image file's bytes.
void append_pdq(std::string& out, std::string_view bytes, const HashOptions& o) {
  const vh::OwnedImage img = vigil::image::decode(bytes);
  vh::OwnedImage squashed;
  vh::ImageView view = img.view();
  if (o.squash && (img.width > 512 || img.height > 512)) {
    squashed = vh::squash_to_512(view);
    view = squashed.view();
  }
  vh::PdqHasher hasher;
  const vh::PdqResult r = hasher.hash(view);
  out += ",\"hash\":\"" + r.hash.to_hex() + "\",\"quality\":" + std::to_string(r.quality);
  if (!o.dihedral) return;
  const vh::PdqDihedral all = hasher.hash_dihedral(view);
  out += ",\"dihedral\":{";
  for (int d = 0; d < 8; ++d) {
    const auto t = static_cast<vh::Dihedral>(d);
    if (d) out += ',';
    out += std::string("\"") + vh::dihedral_name(t) + "\":\"" + all[t].to_hex() + '"';
  }
  out += '}';
}

/// The JSON object for one file's bytes. Throws ImageDecodeError (pdq) on a non-image.
std::string hash_record(const std::string& name, std::string_view bytes, const HashOptions& o) {
  std::string out = "{\"file\":";
  vigil::detail::append_json_string(out, name);
  out += ",\"algo\":\"" + o.algo_name + '"';
  std::string hex;
  switch (o.algo) {
    case Algo::md5: hex = vh::digest_hex(vh::DigestKind::md5, bytes); break;
    case Algo::sha256: hex = vh::digest_hex(vh::DigestKind::sha256, bytes); break;
    case Algo::xxh3: hex = vh::digest_hex(vh::DigestKind::xxh3_128, bytes); break;
    case Algo::text: hex = vh::to_hex(vh::text_fingerprint(bytes)); break;
    case Algo::simhash: hex = vh::hex64(vh::simhash64(vigil::text::normalize(bytes).text)); break;
    case Algo::minhash: hex = minhash_hex(vh::minhash(vigil::text::normalize(bytes).text)); break;
    case Algo::pdq: append_pdq(out, bytes, o); break;
  }
  if (o.algo != Algo::pdq) out += ",\"hash\":\"" + hex + '"';
  out += "}\n";
  return out;
}

}  // namespace

int run_hash(const std::vector<std::string>& args) {
  const HashOptions o = parse_hash_args(args);
  bool failed = false;
  for (const std::string& name : o.files) {
    std::string data, error;
    if (read_whole(name, data, error)) {
      try {
        const std::string line = hash_record(name, data, o);
        std::fwrite(line.data(), 1, line.size(), stdout);
        continue;
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    std::fflush(stdout);  // keep stdout and stderr in file order on a terminal
    std::fprintf(stderr, "vigil: %s: %s\n", name.c_str(), error.c_str());
    failed = true;
  }
  std::fflush(stdout);
  return failed ? kError : kAllowed;
}

}  // namespace vigil_cli

// Fuzz target: bank file parsing. The first byte picks the load options (signal type, minimum
// quality, an entry limit); the rest is the bank text. A load either adds every entry or throws
// BankError and leaves the set exactly as it was; then every loaded hash must find itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "vigil/bank/bank_file.hpp"

namespace {

using vigil::bank::SignalType;

constexpr const char* kKnownMd5 = "0cc175b9c0f1b6a831c399e269772661";

/// A set that already holds one bank, so all-or-nothing can be checked after a failure.
vigil::bank::BankSet preloaded() {
  vigil::bank::BankSet set;
  set.add_bank(vigil::bank::Bank("known", SignalType::md5)).add(kKnownMd5, "a");
  return set;
}

vigil::bank::LoadOptions options_from(std::uint8_t b) {
  vigil::bank::LoadOptions o;
  o.bank = "fuzz";
  static const std::optional<SignalType> signals[] = {
      std::nullopt, SignalType::md5, SignalType::sha256, SignalType::pdq, SignalType::simhash64};
  o.signal = signals[b % 5];
  o.min_quality = (b & 0x08) ? 50 : 0;
  o.max_entries = (b & 0x10) ? 3 : o.max_entries;
  return o;
}

void check_unchanged(const vigil::bank::BankSet& set) {
  if (set.size() != 1 || set.at(0).size() != 1) std::abort();
  if (set.match_digest(SignalType::md5, kKnownMd5).hits.size() != 1) std::abort();
}

/// Each entry of each loaded bank finds itself (distance 0 for Hamming banks).
void check_lookups(const vigil::bank::BankSet& set, std::string_view text,
                   const vigil::bank::LoadOptions& o) {
  std::istringstream in{std::string(text)};
  for (const auto& e : vigil::bank::parse_bank_text(in, "<fuzz>", o)) {
    const vigil::bank::MatchResult r =
        e.signal == SignalType::pdq ? set.match_pdq(vigil::hash::Hash256::from_hex(e.hash))
        : e.signal == SignalType::simhash64 ? set.match_simhash(vigil::hash::parse_hex64(e.hash))
                                            : set.match_digest(e.signal, e.hash);
    if (r.hits.empty() && r.suppressed.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const vigil::bank::LoadOptions o = options_from(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  vigil::bank::BankSet set = preloaded();
  try {
    vigil::bank::load_bank_text(set, text, "fuzz", o);
  } catch (const vigil::bank::BankError&) {
    check_unchanged(set);
    return 0;
  }
  check_lookups(set, text, o);
  return 0;
}

// vigil: banks — named collections of known hashes with labels — and a set of banks in which
// allow-list ("negative") banks suppress matches.
//
//   bank::BankSet banks;
//   banks.add_bank(bank::Bank("tve-pdq", bank::SignalType::pdq));
//   banks.bank("tve-pdq").add("d8f8f0ce...", "video 123, frame 7");
//   bank::Bank allow("newsroom-allow", bank::SignalType::pdq, bank::BankRole::negative);
//   auto r = banks.match_pdq(hash);        // r.hits (empty if suppressed), r.suppressed_by
//
// Exact digests (MD5, SHA-256) sit in a hash map; PDQ and SimHash-64 in multi-index Hamming
// indexes (mih_index.hpp). A Bank is not thread-safe for writes; concurrent reads are fine.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vigil/bank/mih_index.hpp"
#include "vigil/bank/signal.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

/// Thrown for invalid bank operations (bad hash text, unknown or duplicate bank names).
class BankError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class BankRole { positive, negative };

/// One matched bank entry: which bank, how far, and the entry's label (the "why").
struct BankHit {
  std::string bank;
  SignalType signal;
  int distance;  // 0 for exact digests
  std::string label;
  std::uint32_t entry;  // position in the bank
  bool negative;
};

/// The radius a Hamming bank uses unless the query says otherwise.
inline int default_radius(SignalType s) {
  switch (s) {
    case SignalType::pdq: return 31;       // the conventional PDQ match threshold
    case SignalType::simhash64: return 6;  // near-duplicate text, 2-word shingles (simhash.hpp)
    default: return 0;
  }
}

class Bank {
 public:
  Bank(std::string name, SignalType signal, BankRole role = BankRole::positive, int radius = -1)
      : name_(std::move(name)), signal_(signal), role_(role),
        radius_(radius >= 0 ? radius : default_radius(signal)) {
    if (name_.empty()) throw BankError("bank name must not be empty");
  }

  const std::string& name() const noexcept { return name_; }
  SignalType signal() const noexcept { return signal_; }
  bool negative() const noexcept { return role_ == BankRole::negative; }
  int radius() const noexcept { return radius_; }
  std::size_t size() const noexcept { return labels_.size(); }
  const std::string& label(std::uint32_t entry) const { return labels_.at(entry); }

  /// Caps hits per query (flood protection: a very generic hash cannot return thousands).
  void set_max_hits(std::size_t n) noexcept { max_hits_ = n; }

  /// Adds a hash given as text (hex of the bank's signal type). Throws BankError if malformed.
  std::uint32_t add(std::string_view hash_text, std::string label) {
    if (!valid_hash_text(signal_, hash_text)) {
      throw BankError("bank '" + name_ + "': not a " + signal_name(signal_) + " hash (" +
                      std::to_string(signal_hex_length(signal_)) + " hex digits): '" +
                      std::string(hash_text.substr(0, 80)) + "'");
    }
    const auto entry = static_cast<std::uint32_t>(labels_.size());
    switch (signal_) {
      case SignalType::pdq: pdq_.add(hash::Hash256::from_hex(hash_text).words); break;
      case SignalType::simhash64: simhash_.add({hash::parse_hex64(hash_text)}); break;
      default: digests_[canonical_hash_text(hash_text)].push_back(entry); break;
    }
    labels_.push_back(std::move(label));
    return entry;
  }

  std::uint32_t add(const hash::Hash256& pdq, std::string label) {
    require(SignalType::pdq);
    pdq_.add(pdq.words);
    labels_.push_back(std::move(label));
    return static_cast<std::uint32_t>(labels_.size() - 1);
  }

  std::uint32_t add(std::uint64_t simhash, std::string label) {
    require(SignalType::simhash64);
    simhash_.add({simhash});
    labels_.push_back(std::move(label));
    return static_cast<std::uint32_t>(labels_.size() - 1);
  }

  /// Entries within `radius` (bank default if negative) of a PDQ hash, nearest first.
  std::vector<BankHit> match(const hash::Hash256& pdq, int radius = -1) const {
    require(SignalType::pdq);
    return hits_from(pdq_.query(pdq.words, radius < 0 ? radius_ : radius));
  }

  std::vector<BankHit> match(std::uint64_t simhash, int radius = -1) const {
    require(SignalType::simhash64);
    return hits_from(simhash_.query({simhash}, radius < 0 ? radius_ : radius));
  }

  /// Exact match of a digest given as hex (either case).
  std::vector<BankHit> match_digest(std::string_view hex) const {
    if (is_hamming_signal(signal_)) throw BankError("bank '" + name_ + "' holds Hamming hashes, not digests");
    std::vector<BankHit> hits;
    const auto it = digests_.find(canonical_hash_text(hex));
    if (it == digests_.end()) return hits;
    for (std::uint32_t entry : it->second) {
      if (hits.size() >= max_hits_) break;
      hits.push_back({name_, signal_, 0, labels_[entry], entry, negative()});
    }
    return hits;
  }

  /// Indexes everything added (adds are otherwise indexed in amortised batches).
  void finish_loading() {
    if (signal_ == SignalType::pdq) pdq_.rebuild();
    if (signal_ == SignalType::simhash64) simhash_.rebuild();
  }

  std::size_t memory_bytes() const noexcept {
    std::size_t bytes = pdq_.memory_bytes() + simhash_.memory_bytes();
    for (const auto& l : labels_) bytes += sizeof(std::string) + l.capacity();
    for (const auto& [k, v] : digests_) bytes += k.capacity() + v.capacity() * 4 + 64;
    return bytes;
  }

 private:
  void require(SignalType s) const {
    if (signal_ != s) {
      throw BankError("bank '" + name_ + "' holds " + signal_name(signal_) + ", not " + signal_name(s));
    }
  }

  std::vector<BankHit> hits_from(std::vector<hash::HammingMatch> found) const {
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.distance < b.distance; });
    if (found.size() > max_hits_) found.resize(max_hits_);
    std::vector<BankHit> hits;
    hits.reserve(found.size());
    for (const auto& m : found) {
      hits.push_back({name_, signal_, static_cast<int>(m.distance), labels_[m.index], m.index, negative()});
    }
    return hits;
  }

  std::string name_;
  SignalType signal_;
  BankRole role_;
  int radius_;
  std::size_t max_hits_ = 100;
  std::vector<std::string> labels_;
  MihIndex256 pdq_;
  MihIndex64 simhash_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> digests_;
};

/// The outcome of matching one signal against every bank of its type.
struct MatchResult {
  std::vector<BankHit> hits;           // positive-bank hits (empty when suppressed)
  std::vector<BankHit> suppressed_by;  // negative-bank hits; non-empty means allow-listed
  std::vector<BankHit> suppressed;     // positive hits that the allow-list suppressed

  bool matched() const noexcept { return !hits.empty(); }
  bool allow_listed() const noexcept { return !suppressed_by.empty(); }
};

/// Banks by name. A hit in any negative bank of the signal's type suppresses all positive hits
/// of that query (they are kept in `suppressed` for explanation).
class BankSet {
 public:
  Bank& add_bank(Bank bank) {
    if (find(bank.name()) != nullptr) throw BankError("duplicate bank name '" + bank.name() + "'");
    banks_.push_back(std::make_unique<Bank>(std::move(bank)));
    return *banks_.back();
  }

  Bank* find(std::string_view name) noexcept {
    for (auto& b : banks_) if (b->name() == name) return b.get();
    return nullptr;
  }
  const Bank* find(std::string_view name) const noexcept {
    for (const auto& b : banks_) if (b->name() == name) return b.get();
    return nullptr;
  }
  Bank& bank(std::string_view name) {
    if (Bank* b = find(name)) return *b;
    throw BankError("no bank named '" + std::string(name) + "'");
  }

  std::size_t size() const noexcept { return banks_.size(); }
  const Bank& at(std::size_t i) const { return *banks_.at(i); }

  /// PDQ: every PDQ bank at its radius (or `radius` if >= 0).
  MatchResult match_pdq(const hash::Hash256& h, int radius = -1) const {
    return collect(SignalType::pdq, [&](const Bank& b) { return b.match(h, radius); });
  }

  /// PDQ with its dihedral variants (rotated/flipped copies of known images): best distance per
  /// entry over all given hashes.
  MatchResult match_pdq_any(const std::vector<hash::Hash256>& hashes, int radius = -1) const {
    return collect(SignalType::pdq, [&](const Bank& b) {
      std::vector<BankHit> best;
      for (const auto& h : hashes) {
        for (auto& hit : b.match(h, radius)) {
          auto it = std::find_if(best.begin(), best.end(), [&](const BankHit& x) { return x.entry == hit.entry; });
          if (it == best.end()) best.push_back(std::move(hit));
          else if (hit.distance < it->distance) *it = std::move(hit);
        }
      }
      std::stable_sort(best.begin(), best.end(), [](const auto& a, const auto& c) { return a.distance < c.distance; });
      return best;
    });
  }

  MatchResult match_simhash(std::uint64_t h, int radius = -1) const {
    return collect(SignalType::simhash64, [&](const Bank& b) { return b.match(h, radius); });
  }

  MatchResult match_digest(SignalType type, std::string_view hex) const {
    return collect(type, [&](const Bank& b) { return b.match_digest(hex); });
  }

 private:
  template <class Query>
  MatchResult collect(SignalType type, Query&& query) const {
    MatchResult r;
    for (const auto& b : banks_) {
      if (b->signal() != type) continue;
      auto hits = query(*b);
      auto& dest = b->negative() ? r.suppressed_by : r.hits;
      dest.insert(dest.end(), std::make_move_iterator(hits.begin()), std::make_move_iterator(hits.end()));
    }
    if (!r.suppressed_by.empty()) r.suppressed.swap(r.hits);
    return r;
  }

  std::vector<std::unique_ptr<Bank>> banks_;
};

}  // namespace bank
}  // namespace v1
}  // namespace vigil

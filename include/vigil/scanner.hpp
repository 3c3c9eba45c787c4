// vigil: scanning with banks of known content next to the rule engine.
//
//   auto banks = std::make_shared<vigil::ScanBanks>();
//   banks->load_file("tve-pdq.csv", vigil::BankAction::block);     // all or nothing per file
//   banks->load_file("newsroom.txt", vigil::BankAction::allow);    // an allow-list
//   auto scanner = vigil::Scanner::create(engine, std::move(banks));
//   vigil::Verdict v = scanner->scan_file(bytes);   // JPEG/PNG by magic bytes, else text
//
// A Scanner shares the compiled rules (the Engine) and adds banks without recompiling anything.
// Like an Engine it is immutable and thread-safe; hot reload is swapping a
// std::shared_ptr<const Scanner> built by with_banks() / with_engine().
//
// Signals: a text message is matched by MD5 and SHA-256 of its raw bytes and by SimHash-64 of
// its normalised text (the normal form the rules see, so evasion spellings hash alike); an image
// by PDQ (optionally with its 8 rotations/flips) and MD5/SHA-256 of the file bytes. A hit in a
// `block` bank blocks, one in a `review` bank asks for review at least; the rules' score is not
// changed. A hit in an `allow` bank (allow-list) suppresses the other banks' hits of the same
// signal (the bank module's model); it does not change what the rules found.
//
// scan_file() and scan_image_file() decode images: link libjpeg (vigil/image/decode.hpp).
#pragma once

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vigil/bank/bank_file.hpp"
#include "vigil/engine.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/hash/pdq.hpp"
#include "vigil/hash/simhash.hpp"
#include "vigil/image/decode.hpp"

namespace vigil {
inline namespace v1 {

/// Banks with what each does on a hit. Built (mutable) once, then shared read-only.
class ScanBanks {
 public:
  /// Load a bank file (formats: bank/bank_file.hpp). All or nothing: a bad line throws
  /// bank::BankFileError ("FILE:LINE: reason") and nothing of the file is added. Banks without a
  /// bank column are named after the file (its name up to the first '.').
  void load_file(const std::string& path, BankAction action, bank::LoadOptions options = {}) {
    std::ifstream in(path);
    if (!in) throw bank::BankError("cannot open bank file '" + path + "'");
    if (options.bank.empty()) {
      const auto slash = path.find_last_of('/');
      options.bank = path.substr(slash == std::string::npos ? 0 : slash + 1);
      options.bank = options.bank.substr(0, options.bank.find('.'));
    }
    load(in, path, action, std::move(options));
  }

  /// The same from text in memory; `name` stands for the file (messages, default bank name).
  void load_text(std::string_view text, const std::string& name, BankAction action,
                 bank::LoadOptions options = {}) {
    std::istringstream in{std::string(text)};
    if (options.bank.empty()) options.bank = name;
    load(in, name, action, std::move(options));
  }

  /// Add a bank built in code; its role must agree with the action (allow <=> negative).
  bank::Bank& add_bank(bank::Bank b, BankAction action) {
    if (b.negative() != (action == BankAction::allow))
      throw bank::BankError("bank '" + b.name() + "': allow-list banks must be negative, others positive");
    bank::Bank& added = set_.add_bank(std::move(b));
    actions_[added.name()] = action;
    return added;
  }

  const bank::BankSet& set() const noexcept { return set_; }
  std::size_t size() const noexcept { return set_.size(); }

  BankAction action(std::string_view bank_name) const {
    auto it = actions_.find(std::string(bank_name));
    return it == actions_.end() ? BankAction::block : it->second;
  }

  bool has_signal(bank::SignalType s) const noexcept {
    for (std::size_t i = 0; i < set_.size(); ++i)
      if (set_.at(i).signal() == s && set_.at(i).size() > 0) return true;
    return false;
  }

 private:
  void load(std::istream& in, const std::string& name, BankAction action, bank::LoadOptions options) {
    options.role = action == BankAction::allow ? bank::BankRole::negative : bank::BankRole::positive;
    const auto entries = bank::parse_bank_text(in, name, options);
    for (const auto& e : entries) {  // one action per bank, whichever file adds to it
      auto it = actions_.find(e.bank);
      if (it != actions_.end() && it->second != action) {
        throw bank::BankError(name + ": bank '" + e.bank + "' is already loaded as " +
                              to_string(it->second) + ", not " + to_string(action));
      }
    }
    bank::commit_entries(set_, entries, options, name);
    for (const auto& e : entries) actions_.emplace(e.bank, action);
  }

  bank::BankSet set_;
  std::unordered_map<std::string, BankAction> actions_;
};

struct ScannerOptions {
  /// Also match an image's 7 rotations and flips (PDQ dihedral hashes; same hashing cost).
  bool dihedral = false;
  /// Squash images with a side over 512 to 512x512 before PDQ, as the reference tool does.
  bool squash = true;
  /// PDQ hashes under this quality identify an image poorly (e.g. near-uniform): not matched.
  int min_pdq_quality = hash::kPdqMinQuality;
  image::DecodeLimits limits;
};

namespace detail {

/// Hits of one signal over one or more queries (dihedral PDQ), nearest per entry, then turned
/// into BankMatch records and a decision.
class SignalHits {
 public:
  SignalHits(const ScanBanks& banks, const char* signal) : banks_(banks), signal_(signal) {}

  void add(const bank::MatchResult& r, const char* transform = "") {
    for (const auto& h : r.hits) keep(positive_, h, transform);
    for (const auto& h : r.suppressed) keep(positive_, h, transform);
    for (const auto& h : r.suppressed_by) keep(negative_, h, transform);
  }

  /// Append to the verdict: hits (suppressed when an allow-list hit exists), then allow hits.
  void finish(Verdict& v) const {
    const bool suppressed = !negative_.empty();
    for (const auto& f : positive_) {
      BankMatch m = record(f);
      m.suppressed = suppressed;
      if (!suppressed) raise(v.decision, m.action);
      v.bank_hits.push_back(std::move(m));
    }
    for (const auto& f : negative_) v.bank_hits.push_back(record(f));
  }

 private:
  struct Found {
    bank::BankHit hit;
    const char* transform;
  };

  static void keep(std::vector<Found>& list, const bank::BankHit& h, const char* transform) {
    auto it = std::find_if(list.begin(), list.end(), [&](const Found& f) {
      return f.hit.entry == h.entry && f.hit.bank == h.bank;
    });
    if (it == list.end()) list.push_back({h, transform});
    else if (h.distance < it->hit.distance) *it = {h, transform};
  }

  static void raise(Decision& d, BankAction a) {
    if (a == BankAction::block) d = Decision::block;
    else if (a == BankAction::review && d == Decision::allow) d = Decision::review;
  }

  BankMatch record(const Found& f) const {
    BankMatch m;
    m.bank = f.hit.bank;
    m.signal = signal_;
    m.distance = f.hit.distance;
    m.label = f.hit.label;
    m.action = f.hit.negative ? BankAction::allow : banks_.action(f.hit.bank);
    m.transform = f.transform;
    return m;
  }

  const ScanBanks& banks_;
  const char* signal_;
  std::vector<Found> positive_, negative_;
};

}  // namespace detail

class Scanner {
  struct Private {};

 public:
  /// `banks` may be null: the scanner then scans exactly as the engine does.
  static std::shared_ptr<const Scanner> create(std::shared_ptr<const Engine> engine,
                                               std::shared_ptr<const ScanBanks> banks,
                                               ScannerOptions options = {}) {
    if (!engine) throw std::invalid_argument("vigil::Scanner needs an engine");
    return std::make_shared<const Scanner>(Private{}, std::move(engine), std::move(banks), options);
  }

  /// The same rules with other banks (hot reload of banks; nothing is recompiled).
  std::shared_ptr<const Scanner> with_banks(std::shared_ptr<const ScanBanks> banks) const {
    return create(engine_, std::move(banks), options_);
  }
  /// The same banks with other rules.
  std::shared_ptr<const Scanner> with_engine(std::shared_ptr<const Engine> engine) const {
    return create(std::move(engine), banks_, options_);
  }

  /// A text message: the rules, plus digests of its bytes and SimHash of its normal form.
  Verdict scan_text(std::string_view message) const {
    Verdict v;
    scan_text(message, v);
    return v;
  }

  /// The same into `out`, reusing its storage (as Engine::scan(message, out)); every field of
  /// `out` is overwritten.
  void scan_text(std::string_view message, Verdict& out) const {
    if (!banks_) return engine_->scan(message, out);
    const bool want_simhash = banks_->has_signal(bank::SignalType::simhash64);
    std::uint64_t simhash = 0;
    bool has_words = false;
    engine_->scan(message, out, [&](std::string_view normalized) {
      has_words = normalized.find_first_not_of(' ') != std::string_view::npos;
      if (want_simhash && has_words) simhash = hash::simhash64(normalized);
    });
    out.banks_checked = true;
    match_digests(message, out);
    if (want_simhash && has_words) {
      detail::SignalHits hits(*banks_, "simhash64");
      hits.add(banks_->set().match_simhash(simhash));
      hits.finish(out);
    }
  }

  /// Decoded image pixels and the file's bytes: PDQ and digests (no rules: pixels are not text).
  /// Empty `file_bytes` (pixels without their file) skip the digest banks.
  Verdict scan_image(const hash::ImageView& pixels, std::string_view file_bytes) const {
    Verdict v;
    if (!banks_) return v;
    v.banks_checked = true;
    if (!file_bytes.empty()) match_digests(file_bytes, v);
    if (banks_->has_signal(bank::SignalType::pdq)) match_pdq(pixels, v);
    return v;
  }

  /// JPEG or PNG (by magic bytes) is decoded and scanned as an image; anything else as text.
  /// Without banks everything is text, as Engine::scan. Throws image::ImageDecodeError for an
  /// image that does not decode.
  Verdict scan_file(std::string_view bytes) const {
    if (!banks_ || image::sniff(bytes) == image::ImageType::none) return scan_text(bytes);
    const hash::OwnedImage img = image::decode(bytes, options_.limits);
    return scan_image(img.view(), bytes);
  }

  const std::shared_ptr<const Engine>& engine() const noexcept { return engine_; }
  const std::shared_ptr<const ScanBanks>& banks() const noexcept { return banks_; }
  const ScannerOptions& options() const noexcept { return options_; }

  Scanner(Private, std::shared_ptr<const Engine> engine, std::shared_ptr<const ScanBanks> banks,
          ScannerOptions options)
      : engine_(std::move(engine)), banks_(std::move(banks)), options_(options) {}

 private:
  void match_digests(std::string_view bytes, Verdict& v) const {
    for (auto type : {bank::SignalType::md5, bank::SignalType::sha256}) {
      if (!banks_->has_signal(type)) continue;
      const auto kind = type == bank::SignalType::md5 ? hash::DigestKind::md5 : hash::DigestKind::sha256;
      detail::SignalHits hits(*banks_, bank::signal_name(type));
      hits.add(banks_->set().match_digest(type, hash::digest_hex(kind, bytes)));
      hits.finish(v);
    }
  }

  void match_pdq(const hash::ImageView& pixels, Verdict& v) const {
    hash::OwnedImage squashed;
    hash::ImageView view = pixels;
    if (options_.squash && (pixels.width > 512 || pixels.height > 512)) {
      squashed = hash::squash_to_512(pixels);
      view = squashed.view();
    }
    thread_local hash::PdqHasher hasher;
    detail::SignalHits hits(*banks_, "pdq");
    if (options_.dihedral) {
      const hash::PdqDihedral all = hasher.hash_dihedral(view);
      if (all.quality < options_.min_pdq_quality) return;
      for (int d = 0; d < 8; ++d) {
        const auto t = static_cast<hash::Dihedral>(d);
        hits.add(banks_->set().match_pdq(all[t]), d == 0 ? "" : hash::dihedral_name(t));
      }
    } else {
      const hash::PdqResult r = hasher.hash(view);
      if (r.quality < options_.min_pdq_quality) return;
      hits.add(banks_->set().match_pdq(r.hash));
    }
    hits.finish(v);
  }

  std::shared_ptr<const Engine> engine_;
  std::shared_ptr<const ScanBanks> banks_;
  ScannerOptions options_;
};

}  // namespace v1
}  // namespace vigil

// vigil: streaming scans (input in chunks) and the out-of-line Engine members.
//
// A Stream normalises each chunk incrementally and feeds the normalised bytes to Hyperscan
// streaming databases, so a term split across chunks is found and a UTF-8 sequence split
// across chunks is decoded whole. Memory stays bounded: only a window of normalised text and
// original bytes (the longest literal plus a margin, or 4 KiB when the pack has regexes) is
// kept for word-boundary checks and for quoting hits.
#pragma once

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/engine.hpp"

namespace vigil {
inline namespace v1 {

class Stream {
 public:
  /// Append the next chunk of the message. Throws after finish().
  void write(std::string_view chunk) {
    if (finished_) throw std::logic_error("vigil: write() on a finished stream");
    original_.append(chunk.data(), chunk.size());
    std::uint64_t old_end = window_end();
    state_->normalizer.feed(chunk, state_->normalized);
    scan_new_bytes(old_end);
    offer_all(false);
    trim();
  }

  /// End of input: flush, evaluate the matches waiting for their right boundary, score.
  Verdict finish() {
    if (finished_) throw std::logic_error("vigil: finish() called twice on a stream");
    finished_ = true;
    std::uint64_t old_end = window_end();
    state_->normalizer.finish(state_->normalized);
    scan_new_bytes(old_end);
    match::detail::MatchSink sink{&engine_->compiled_.table, &state_->raw,
                                  engine_->options_.max_matches};
    for (auto& s : streams_) {
      if (!s) continue;
      match::detail::check_hs_scan(hs_close_stream(s.release(), state_->scratch.get(),
                                                   match::detail::record_match, &sink));
    }
    dropped_ += sink.dropped;
    offer_all(true);
    Verdict v = engine_->scorer_.score(state_->collector.finish(),
                                       state_->normalized.invalid_bytes, original_,
                                       original_base_, state_->score);
    v.truncated = dropped_ > 0 || state_->collector.dropped() > 0;
    return v;
  }

  Stream(std::shared_ptr<const Engine> engine, detail::ScanStatePool::Lease state)
      : engine_(std::move(engine)), state_(std::move(state)) {
    state_->normalized.clear();
    state_->normalizer.reset(0);
    state_->raw.clear();
    state_->collector.clear();
    state_->collector.set_limit(engine_->options_.max_matches);
    state_->collector.set_quote(true);
    const auto& c = engine_->compiled_;
    const hs_database_t* dbs[2] = {c.stream.literals.get(), c.stream.regexes.get()};
    for (int i = 0; i < 2; ++i) {
      if (dbs[i] == nullptr) continue;
      hs_stream_t* s = nullptr;
      match::detail::check_hs(hs_open_stream(dbs[i], 0, &s), "opening a stream");
      streams_[i].reset(s);
    }
    retention_ = c.table.max_literal_length + 64;
    if (c.table.regex_count() > 0) retention_ = std::max<std::uint64_t>(retention_, 4096);
  }

 private:
  std::uint64_t window_end() const {
    return state_->normalized.norm_base + state_->normalized.text.size();
  }

  void scan_new_bytes(std::uint64_t old_end) {
    const text::NormalizedText& w = state_->normalized;
    std::string_view fresh = std::string_view(w.text).substr(old_end - w.norm_base);
    if (fresh.empty()) return;
    match::detail::MatchSink sink{&engine_->compiled_.table, &state_->raw,
                                  engine_->options_.max_matches};
    for (auto& s : streams_) {
      if (!s) continue;
      match::detail::check_hs_scan(hs_scan_stream(s.get(), fresh.data(),
                                                  static_cast<unsigned>(fresh.size()), 0,
                                                  state_->scratch.get(),
                                                  match::detail::record_match, &sink));
    }
    dropped_ += sink.dropped;
  }

  /// Offer every raw match; keep those at the window's end for the next chunk.
  void offer_all(bool at_end) {
    auto& raw = state_->raw;
    std::size_t keep = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (!state_->collector.offer(engine_->compiled_.table, raw[i], state_->normalized,
                                   original_, original_base_, true, at_end))
        raw[keep++] = raw[i];
    }
    raw.resize(keep);
  }

  /// Drop what no future match can need, once the window is twice the retention.
  void trim() {
    text::NormalizedText& w = state_->normalized;
    if (w.text.size() < 2 * retention_ + 1024) return;
    std::uint64_t keep_from = window_end() - retention_;
    for (const match::RawMatch& m : state_->raw) keep_from = std::min(keep_from, m.begin);
    if (keep_from <= w.norm_base) return;
    std::uint64_t orig_keep = w.original_span(keep_from, keep_from + 1).begin;
    state_->collector.window_discards(w, keep_from);
    w.discard_before(keep_from);
    if (orig_keep > original_base_) {
      original_.erase(0, static_cast<std::size_t>(orig_keep - original_base_));
      original_base_ = orig_keep;
    }
  }

  std::shared_ptr<const Engine> engine_;
  detail::ScanStatePool::Lease state_;
  match::detail::StreamPtr streams_[2];
  std::string original_;
  std::uint64_t original_base_ = 0;
  std::uint64_t retention_ = 0;
  std::uint64_t dropped_ = 0;
  bool finished_ = false;
};

inline Stream Engine::open_stream() const {
  if (!compiled_.streaming)
    throw std::logic_error("vigil: this engine was compiled without streaming databases");
  return Stream(shared_from_this(), pool_.acquire());
}

inline void Engine::save(const std::string& path) const {
  std::string bytes = serialize();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw EngineFileError(path + ": cannot write engine file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw EngineFileError(path + ": write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw EngineFileError(path + ": cannot move engine file into place");
  }
}

}  // namespace v1
}  // namespace vigil

// vigil: per-scan state, pooled per engine so callers on any thread need no scratch of their own.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "vigil/match/hits.hpp"
#include "vigil/match/hyperscan.hpp"
#include "vigil/score/scorer.hpp"
#include "vigil/text/normalize.hpp"

namespace vigil {
inline namespace v1 {
namespace detail {

/// Everything one scan mutates. Buffers keep their capacity between scans.
struct ScanState {
  match::detail::ScratchPtr scratch;
  text::NormalizedText normalized;
  text::Normalizer normalizer;
  std::vector<match::RawMatch> raw;
  match::HitCollector collector;
  score::detail::ScoreScratch score;
};

/// A free list of ScanStates cloned from a prototype scratch. acquire() never blocks on a scan
/// in progress: when the list is empty it clones a new state.
class ScanStatePool {
 public:
  explicit ScanStatePool(match::detail::ScratchPtr prototype) : prototype_(std::move(prototype)) {}

  class Lease {
   public:
    Lease(ScanStatePool* pool, std::unique_ptr<ScanState> s) : pool_(pool), state_(std::move(s)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (state_) pool_->release(std::move(state_));
    }
    ScanState& operator*() const { return *state_; }
    ScanState* operator->() const { return state_.get(); }

   private:
    ScanStatePool* pool_;
    std::unique_ptr<ScanState> state_;
  };

  Lease acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        auto s = std::move(free_.back());
        free_.pop_back();
        return Lease(this, std::move(s));
      }
    }
    auto s = std::make_unique<ScanState>();
    if (prototype_) {
      hs_scratch_t* clone = nullptr;
      match::detail::check_hs(hs_clone_scratch(prototype_.get(), &clone), "cloning scan scratch");
      s->scratch.reset(clone);
    }
    return Lease(this, std::move(s));
  }

 private:
  void release(std::unique_ptr<ScanState> s) noexcept {
    try {
      std::lock_guard<std::mutex> lock(mutex_);
      free_.push_back(std::move(s));
    } catch (...) {
      // dropping the state is safe; the pool just clones another next time
    }
  }

  match::detail::ScratchPtr prototype_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ScanState>> free_;
};

}  // namespace detail
}  // namespace v1
}  // namespace vigil

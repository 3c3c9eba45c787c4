// vigil: per-scan state, pooled per engine so callers on any thread need no scratch of their own.
#pragma once

#include <atomic>
#include <cstdint>
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
  match::detail::ByteBuffer padded;  ///< ASCII normalised text with a space at each end (Engine::scan_block)
  text::Normalizer normalizer;
  std::vector<match::RawMatch> raw;
  match::HitCollector collector;
  score::detail::ScoreScratch score;
};

/// ScanStates cloned from a prototype scratch: each thread keeps the last state it used in a
/// one-slot cache (no lock on the common path), the rest wait in a free list under a mutex.
/// acquire() never blocks on a scan in progress: when both are empty it clones a new state.
class ScanStatePool {
  /// The calling thread's cached state, tagged with the pool it belongs to. `owner` tells a
  /// live pool from a destroyed one (ids are never reused), so a thread that moved on to a new
  /// engine after a reload frees the old engine's state instead of keeping it for ever.
  struct ThreadSlot {
    std::uint64_t pool_id = 0;
    std::weak_ptr<const char> owner;
    std::unique_ptr<ScanState> state;
  };
  static ThreadSlot& thread_slot() {
    static thread_local ThreadSlot slot;
    return slot;
  }
  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
  }

 public:
  explicit ScanStatePool(match::detail::ScratchPtr prototype)
      : prototype_(std::move(prototype)), id_(next_id()), token_(std::make_shared<const char>(0)) {}

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
    ThreadSlot& slot = thread_slot();
    if (slot.state && slot.pool_id == id_) return Lease(this, std::move(slot.state));
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

  /// States waiting in the free list (not counting the per-thread slots), for tests.
  std::size_t free_count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return free_.size();
  }

 private:
  void release(std::unique_ptr<ScanState> s) noexcept {
    ThreadSlot& slot = thread_slot();
    if (!slot.state && slot.pool_id == id_) {
      slot.state = std::move(s);
      return;
    }
    if (!slot.state || slot.owner.expired()) {  // empty, or the engine it served is gone
      slot.state = std::move(s);
      slot.pool_id = id_;
      slot.owner = token_;
      return;
    }
    try {
      std::lock_guard<std::mutex> lock(mutex_);
      free_.push_back(std::move(s));
    } catch (...) {
      // dropping the state is safe; the pool just clones another next time
    }
  }

  match::detail::ScratchPtr prototype_;
  const std::uint64_t id_;
  std::shared_ptr<const char> token_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ScanState>> free_;
};

}  // namespace detail
}  // namespace v1
}  // namespace vigil

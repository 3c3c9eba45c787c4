// vigil: hot reload. An EngineHolder serves the current engine and swaps in a new one only
// once it has been built whole, so a failed pack or engine-file load leaves the previous engine
// serving. Scans in flight finish on the engine they started with.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "vigil/engine.hpp"

namespace vigil {
inline namespace v1 {

class EngineHolder {
 public:
  explicit EngineHolder(std::shared_ptr<const Engine> initial) : current_(std::move(initial)) {}

  /// The engine to scan with now; keep the pointer for the whole scan. Thread-safe.
  std::shared_ptr<const Engine> current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return current_;
  }

  /// Serve `next` from now on (null is ignored). Thread-safe; never blocks on scans.
  void swap(std::shared_ptr<const Engine> next) {
    if (!next) return;
    std::lock_guard<std::mutex> lock(mutex_);
    current_.swap(next);
    // `next` (the old engine) is released outside the lock when the last scan using it ends.
  }

  /// Build an engine from a pack file and serve it. On any error the exception propagates
  /// and the current engine keeps serving.
  void reload_pack_file(const std::string& path, EngineOptions options = {}) {
    swap(Engine::from_pack_file(path, options));
  }

  /// Load a serialised engine and serve it; on error the current engine keeps serving.
  void reload_engine_file(const std::string& path, EngineOptions options = {}) {
    swap(Engine::load(path, options));
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Engine> current_;
};

}  // namespace v1
}  // namespace vigil

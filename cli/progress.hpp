// vigil CLI: a progress line on stderr, shown only on a terminal and for large inputs.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace vigil_cli {

class Progress {
 public:
  /// `total` bytes expected (0 when unknown, e.g. a pipe).
  explicit Progress(std::uint64_t total)
      : total_(total), enabled_(isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_(start_) {}

  void update(std::uint64_t done_bytes, std::uint64_t messages) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    if (secs < 0.5 && (total_ == 0 || total_ < kLargeInput)) return;  // small inputs stay quiet
    shown_ = true;
    double mb = static_cast<double>(done_bytes) / 1e6;
    if (total_ > 0) {
      double pct = 100.0 * static_cast<double>(done_bytes) / static_cast<double>(total_);
      std::fprintf(stderr, "\rvigil: %.1f / %.1f MB (%3.0f%%), %llu messages, %.1f MB/s   ", mb,
                   static_cast<double>(total_) / 1e6, pct,
                   static_cast<unsigned long long>(messages), mb / secs);
    } else {
      std::fprintf(stderr, "\rvigil: %.1f MB, %llu messages, %.1f MB/s   ", mb,
                   static_cast<unsigned long long>(messages), mb / secs);
    }
  }

  void finish() {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint64_t kLargeInput = 8u << 20;
  std::uint64_t total_;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_, last_;
};

}  // namespace vigil_cli

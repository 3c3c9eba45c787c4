// vigil: the scorer's per-scan working memory and the small helpers that fill a Verdict in
// place (vigil/score/scorer.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/rules/pack.hpp"
#include "vigil/score/verdict.hpp"

namespace vigil {
inline namespace v1 {
namespace score {
namespace detail {

struct SpanAccumulator {
  std::uint64_t begin = UINT64_MAX, end = 0;
  void add(std::uint64_t b, std::uint64_t e) {
    begin = std::min(begin, b);
    end = std::max(end, e);
  }
  bool empty() const { return begin > end; }
};

/// Per-scan working memory of the scorer; lives in the engine's scan-state pool so a scan
/// allocates nothing here once warm.
///
/// Between scans the per-category and per-composite arrays hold a baseline: zero sums, and
/// every composite as it stands on a message without rule hits. A scan changes only the
/// entries its hits reach and puts back just those, so its cost follows its hits, not the
/// size of the pack.
struct ScoreScratch {
  /// Scorer::id() of the scorer whose baseline the arrays hold; 0 while a scan has them
  /// changed (a scan that threw leaves 0, and the next one starts from scratch).
  std::uint64_t baseline_of = 0;
  std::vector<double> category_sum;
  std::vector<char> category_touched;
  std::vector<std::uint32_t> touched_categories;  ///< categories with a contribution, unsorted
  std::vector<char> composite_fired;               ///< baseline: fired on a hitless message
  std::vector<char> composite_queued;              ///< baseline: 0
  std::vector<SpanAccumulator> composite_span;     ///< baseline: empty
  std::vector<std::uint32_t> queue;        ///< min-heap of ranks (composite_order positions)
  std::vector<std::uint32_t> queued;       ///< composites queued this scan (to put back)
  std::vector<std::uint32_t> fired_ranks;  ///< ranks of re-evaluated composites that fired, ascending
  std::vector<std::uint32_t> fired_rules;  ///< ascending
  std::vector<std::uint32_t> near_rules;   ///< fired rules that near() reads, ascending
  std::vector<std::vector<rules::Position>> positions;  ///< parallel to near_rules
  std::size_t positions_used = 0;

  /// Empties the per-scan lists (their capacity kept).
  void clear_lists() noexcept {
    touched_categories.clear();
    queue.clear();
    queued.clear();
    fired_ranks.clear();
    fired_rules.clear();
    near_rules.clear();
    positions_used = 0;
  }
};

/// What composites see of one scan: which rules fired, where, and which composites fired.
class ScanFacts final : public rules::ExprContext {
 public:
  ScanFacts(const ScoreScratch& s, std::size_t rule_count) : s_(s), rule_count_(rule_count) {}

  bool fired(std::size_t symbol) const override {
    if (symbol >= rule_count_) return s_.composite_fired[symbol - rule_count_] != 0;
    return std::binary_search(s_.fired_rules.begin(), s_.fired_rules.end(), symbol);
  }
  const std::vector<rules::Position>& positions(std::size_t rule) const override {
    static const std::vector<rules::Position> none;
    auto it = std::lower_bound(s_.near_rules.begin(), s_.near_rules.end(), rule);
    if (it == s_.near_rules.end() || *it != rule) return none;
    return s_.positions[static_cast<std::size_t>(it - s_.near_rules.begin())];
  }

 private:
  const ScoreScratch& s_;
  std::size_t rule_count_;
};

/// Stable sort of hits by start. A message has a handful of hits: insertion sort then, which
/// (unlike std::stable_sort) allocates no temporary buffer.
inline void stable_sort_by_start(std::vector<Hit>& hits) {
  auto by_start = [](const Hit& a, const Hit& b) { return a.start < b.start; };
  if (hits.size() > 32) {
    std::stable_sort(hits.begin(), hits.end(), by_start);
    return;
  }
  for (std::size_t i = 1; i < hits.size(); ++i) {
    if (!by_start(hits[i], hits[i - 1])) continue;
    Hit moving = std::move(hits[i]);
    std::size_t j = i;
    for (; j > 0 && by_start(moving, hits[j - 1]); --j) hits[j] = std::move(hits[j - 1]);
    hits[j] = std::move(moving);
  }
}

/// The next Hit of a verdict being filled: an element left by an earlier scan is reused, its
/// strings keeping their capacity; `used` counts the hits written so far.
inline Hit& next_hit(std::vector<Hit>& hits, std::size_t& used) {
  if (used == hits.size()) hits.emplace_back();
  return hits[used++];
}

/// `out` = the original bytes of a span, as far as `original` (starting at `base`) holds them.
inline void quote_into(std::string& out, std::string_view original, std::uint64_t base,
                       std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t b = std::max(begin, base);
  const std::uint64_t e = std::min<std::uint64_t>(end, base + original.size());
  if (e > b) out.assign(original.data() + (b - base), static_cast<std::size_t>(e - b));
  else out.clear();
}

}  // namespace detail
}  // namespace score
}  // namespace v1
}  // namespace vigil

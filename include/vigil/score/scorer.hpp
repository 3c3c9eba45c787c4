// vigil: scoring in the manner of Rspamd: weights summed per category (each rule at most
// max_hits times), composites over rule results, category caps, then the policy thresholds.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/match/hits.hpp"
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
struct ScoreScratch {
  std::vector<double> category_sum;
  std::vector<char> category_touched;
  std::vector<char> composite_fired;
  std::vector<SpanAccumulator> composite_span;
  std::vector<std::uint32_t> fired_rules;                 ///< ascending
  std::vector<std::vector<rules::Position>> positions;    ///< parallel to fired_rules
  std::size_t positions_used = 0;
};

/// What composites see of one scan: which rules fired, where, and which composites fired.
class ScanFacts final : public rules::ExprContext {
 public:
  ScanFacts(const ScoreScratch& s, std::size_t rule_count) : s_(s), rule_count_(rule_count) {}

  bool fired(std::size_t symbol) const override {
    if (symbol >= rule_count_) return s_.composite_fired[symbol - rule_count_] != 0;
    return find(symbol) != nullptr;
  }
  const std::vector<rules::Position>& positions(std::size_t rule) const override {
    static const std::vector<rules::Position> none;
    const auto* p = find(rule);
    return p != nullptr ? *p : none;
  }

 private:
  const std::vector<rules::Position>* find(std::size_t rule) const {
    auto it = std::lower_bound(s_.fired_rules.begin(), s_.fired_rules.end(), rule);
    if (it == s_.fired_rules.end() || *it != rule) return nullptr;
    return &s_.positions[static_cast<std::size_t>(it - s_.fired_rules.begin())];
  }

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

}  // namespace detail

/// Turns a scan's rule hits into a Verdict for one pack. Immutable and thread-safe.
class Scorer {
 public:
  explicit Scorer(const rules::Pack& pack) : pack_(&pack) {
    for (const rules::Rule& r : pack.rules) rule_category_.push_back(pack.category_index(r.category));
    for (const rules::Composite& c : pack.composites) {
      composite_category_.push_back(pack.category_index(c.category));
      composite_refs_.push_back(c.expr.references());
    }
    // A composite such as "!news" is true on a message with no hits at all. Every hitless
    // scan scores alike, so its verdict is worked out once here and copied (evaluating every
    // composite on every clean message cost more than matching it).
    std::vector<match::RuleHit> no_hits;
    detail::ScoreScratch scratch;
    prepare(scratch);
    evaluate_composites(no_hits, {}, 0, hitless_, scratch);
    const auto& fired = scratch.composite_fired;
    if (std::find(fired.begin(), fired.end(), 1) != fired.end()) {
      finish(hitless_, scratch);
    } else {
      hitless_ = Verdict{};  // nothing fires: allow with score 0, whatever the thresholds
    }
  }

  /// `hits` must come from HitCollector::finish() (sorted by rule); their quoted text is moved
  /// into the verdict. `original` is the input (or the part still held, starting at
  /// `original_base`) to quote composite spans from.
  Verdict score(std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
                std::string_view original, std::uint64_t original_base,
                detail::ScoreScratch& scratch) const {
    if (hits.empty()) {
      Verdict v = hitless_;
      v.invalid_bytes = invalid_bytes;
      return v;
    }
    Verdict v;
    v.invalid_bytes = invalid_bytes;
    prepare(scratch);
    v.hits.reserve(hits.size() + 1);  // rule hits, room for a composite before growing
    add_rule_hits(hits, original, original_base, v, scratch);
    evaluate_composites(hits, original, original_base, v, scratch);
    finish(v, scratch);
    return v;
  }

  /// Convenience form with its own scratch.
  Verdict score(std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
                std::string_view original, std::uint64_t original_base = 0) const {
    detail::ScoreScratch scratch;
    return score(hits, invalid_bytes, original, original_base, scratch);
  }

 private:
  void prepare(detail::ScoreScratch& s) const {
    s.category_sum.assign(pack_->categories.size(), 0.0);
    s.category_touched.assign(pack_->categories.size(), 0);
    s.composite_fired.assign(pack_->composites.size(), 0);
    s.composite_span.assign(pack_->composites.size(), {});
    s.fired_rules.clear();
    s.positions_used = 0;
  }

  void contribute(detail::ScoreScratch& s, std::size_t category, double weight) const {
    s.category_sum[category] += weight;
    s.category_touched[category] = 1;
  }

  std::vector<rules::Position>& next_positions(detail::ScoreScratch& s) const {
    if (s.positions_used == s.positions.size()) s.positions.emplace_back();
    auto& p = s.positions[s.positions_used++];
    p.clear();
    return p;
  }

  /// The original bytes of a span, as far as `original` (starting at `base`) holds them.
  static std::string quote(std::string_view original, std::uint64_t base, std::uint64_t begin,
                           std::uint64_t end) {
    std::uint64_t b = std::max(begin, base);
    std::uint64_t e = std::min<std::uint64_t>(end, base + original.size());
    return e > b ? std::string(original.substr(b - base, e - b)) : std::string();
  }

  void add_rule_hits(std::vector<match::RuleHit>& hits, std::string_view original,
                     std::uint64_t original_base, Verdict& v, detail::ScoreScratch& s) const {
    for (std::size_t i = 0; i < hits.size();) {
      std::uint32_t r = hits[i].rule;
      const rules::Rule& rule = pack_->rules[r];
      auto& positions = next_positions(s);
      std::size_t j = i;
      for (; j < hits.size() && hits[j].rule == r; ++j) {
        match::RuleHit& h = hits[j];
        positions.push_back({h.char_begin, h.char_end});
        if (j - i >= rule.max_hits || rule.weight == 0.0) continue;
        contribute(s, rule_category_[r], rule.weight);
        std::string text = h.text.empty()
                               ? quote(original, original_base, h.original.begin, h.original.end)
                               : std::move(h.text);
        v.hits.push_back({rule.id, rule.category, rule.weight, h.original.begin, h.original.end,
                          std::move(text), false});
      }
      std::sort(positions.begin(), positions.end(),
                [](const rules::Position& a, const rules::Position& b) { return a.begin < b.begin; });
      s.fired_rules.push_back(r);
      i = j;
    }
  }

  /// The span a fired composite covers: the hits of the rules (and composites) it names.
  void span_composite(std::size_t c, const std::vector<match::RuleHit>& hits,
                      detail::ScoreScratch& s) const {
    std::size_t rule_count = pack_->rules.size();
    for (std::uint32_t sym : composite_refs_[c]) {
      if (sym >= rule_count) {
        const auto& other = s.composite_span[sym - rule_count];
        if (!other.empty()) s.composite_span[c].add(other.begin, other.end);
        continue;
      }
      auto first = std::lower_bound(hits.begin(), hits.end(), sym,
                                    [](const match::RuleHit& h, std::uint32_t r) { return h.rule < r; });
      for (auto it = first; it != hits.end() && it->rule == sym; ++it)
        s.composite_span[c].add(it->original.begin, it->original.end);
    }
  }

  void evaluate_composites(const std::vector<match::RuleHit>& hits, std::string_view original,
                           std::uint64_t original_base, Verdict& v,
                           detail::ScoreScratch& s) const {
    detail::ScanFacts facts(s, pack_->rules.size());
    for (std::size_t c : pack_->composite_order) {
      const rules::Composite& comp = pack_->composites[c];
      if (!comp.expr.evaluate(facts)) continue;
      s.composite_fired[c] = 1;
      span_composite(c, hits, s);
      if (comp.weight == 0.0) continue;
      contribute(s, composite_category_[c], comp.weight);
      Hit hit{comp.id, comp.category, comp.weight, 0, 0, {}, true};
      const auto& span = s.composite_span[c];
      if (!span.empty()) {
        hit.start = span.begin;
        hit.end = span.end;
        hit.text = quote(original, original_base, span.begin, span.end);
      }
      v.hits.push_back(std::move(hit));
    }
  }

  void finish(Verdict& v, const detail::ScoreScratch& s) const {
    const rules::Pack& pack = *pack_;
    std::size_t touched = 0;
    for (char t : s.category_touched) touched += t != 0;
    v.categories.reserve(touched);
    for (std::size_t c = 0; c < s.category_sum.size(); ++c) {
      if (!s.category_touched[c]) continue;
      double cap = pack.categories[c].cap;
      double score = std::clamp(s.category_sum[c], -cap, cap);
      v.categories.push_back({pack.categories[c].name, score});
      v.score += score;
    }
    detail::stable_sort_by_start(v.hits);
    if (v.score >= pack.policy.block) v.decision = Decision::block;
    else if (v.score >= pack.policy.review) v.decision = Decision::review;
  }

  const rules::Pack* pack_;
  std::vector<std::size_t> rule_category_;
  std::vector<std::size_t> composite_category_;
  std::vector<std::vector<std::uint32_t>> composite_refs_;
  Verdict hitless_;  ///< the verdict of every scan without rule hits (invalid_bytes aside)
};

}  // namespace score
}  // namespace v1
}  // namespace vigil

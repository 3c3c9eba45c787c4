// vigil: scoring in the manner of Rspamd: weights summed per category (each rule at most
// max_hits times), composites over rule results, category caps, then the policy thresholds.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
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

/// What composites see of one scan: which rules fired, where, and which composites fired.
class ScanFacts final : public rules::ExprContext {
 public:
  ScanFacts(std::size_t rule_count, std::size_t composite_count)
      : rule_count_(rule_count), composites_(composite_count, 0) {}

  void add_rule(std::uint32_t rule, std::vector<rules::Position> positions) {
    fired_rules_.push_back(rule);
    positions_.push_back(std::move(positions));
  }
  void set_composite(std::size_t c, bool value) { composites_[c] = value ? 1 : 0; }

  bool fired(std::size_t symbol) const override {
    if (symbol >= rule_count_) return composites_[symbol - rule_count_] != 0;
    return find(symbol) != nullptr;
  }
  const std::vector<rules::Position>& positions(std::size_t rule) const override {
    static const std::vector<rules::Position> none;
    const auto* p = find(rule);
    return p != nullptr ? *p : none;
  }

 private:
  const std::vector<rules::Position>* find(std::size_t rule) const {
    // fired_rules_ is ascending: hits arrive sorted by rule.
    auto it = std::lower_bound(fired_rules_.begin(), fired_rules_.end(), rule);
    if (it == fired_rules_.end() || *it != rule) return nullptr;
    return &positions_[static_cast<std::size_t>(it - fired_rules_.begin())];
  }

  std::size_t rule_count_;
  std::vector<std::uint32_t> fired_rules_;
  std::vector<std::vector<rules::Position>> positions_;
  std::vector<char> composites_;
};

struct SpanAccumulator {
  std::uint64_t begin = UINT64_MAX, end = 0;
  void add(std::uint64_t b, std::uint64_t e) {
    begin = std::min(begin, b);
    end = std::max(end, e);
  }
  bool empty() const { return begin > end; }
};

}  // namespace detail

/// Turns a scan's rule hits into a Verdict for one pack. Immutable and thread-safe.
class Scorer {
 public:
  explicit Scorer(const rules::Pack& pack) : pack_(&pack) {
    for (const rules::Rule& r : pack.rules) rule_category_.push_back(pack.category_index(r.category));
    for (const rules::Composite& c : pack.composites)
      composite_category_.push_back(pack.category_index(c.category));
  }

  /// `hits` must come from HitCollector::finish() (sorted by rule). `original` is the input
  /// (or the part still held, starting at `original_base`) to quote composite spans from.
  Verdict score(const std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
                std::string_view original, std::uint64_t original_base = 0) const {
    const rules::Pack& pack = *pack_;
    Verdict v;
    v.invalid_bytes = invalid_bytes;
    std::vector<double> category_sum(pack.categories.size(), 0.0);
    std::vector<char> category_hit(pack.categories.size(), 0);
    detail::ScanFacts facts(pack.rules.size(), pack.composites.size());
    add_rule_hits(hits, v, facts, category_sum, category_hit);
    evaluate_composites(hits, facts, original, original_base, v, category_sum, category_hit);
    finish(v, category_sum, category_hit);
    return v;
  }

 private:
  void add_rule_hits(const std::vector<match::RuleHit>& hits, Verdict& v,
                     detail::ScanFacts& facts, std::vector<double>& sums,
                     std::vector<char>& touched) const {
    for (std::size_t i = 0; i < hits.size();) {
      std::uint32_t r = hits[i].rule;
      const rules::Rule& rule = pack_->rules[r];
      std::vector<rules::Position> positions;
      std::size_t j = i;
      for (; j < hits.size() && hits[j].rule == r; ++j) {
        const match::RuleHit& h = hits[j];
        positions.push_back({h.char_begin, h.char_end});
        if (j - i >= rule.max_hits || rule.weight == 0.0) continue;
        std::size_t cat = rule_category_[r];
        sums[cat] += rule.weight;
        touched[cat] = 1;
        v.hits.push_back({rule.id, rule.category, rule.weight, h.original.begin, h.original.end,
                          h.text, false});
      }
      std::sort(positions.begin(), positions.end(),
                [](const rules::Position& a, const rules::Position& b) { return a.begin < b.begin; });
      facts.add_rule(r, std::move(positions));
      i = j;
    }
  }

  void evaluate_composites(const std::vector<match::RuleHit>& hits, detail::ScanFacts& facts,
                           std::string_view original, std::uint64_t original_base, Verdict& v,
                           std::vector<double>& sums, std::vector<char>& touched) const {
    const rules::Pack& pack = *pack_;
    std::vector<detail::SpanAccumulator> spans(pack.composites.size());
    for (std::size_t c : pack.composite_order) {
      const rules::Composite& comp = pack.composites[c];
      bool fired = comp.expr.evaluate(facts);
      facts.set_composite(c, fired);
      if (!fired) continue;
      for (std::uint32_t sym : comp.expr.references()) {
        if (sym >= pack.rules.size()) {
          const auto& s = spans[sym - pack.rules.size()];
          if (!s.empty()) spans[c].add(s.begin, s.end);
          continue;
        }
        for (const match::RuleHit& h : hits)
          if (h.rule == sym) spans[c].add(h.original.begin, h.original.end);
      }
      if (comp.weight == 0.0) continue;
      std::size_t cat = composite_category_[c];
      sums[cat] += comp.weight;
      touched[cat] = 1;
      Hit hit{comp.id, comp.category, comp.weight, 0, 0, {}, true};
      if (!spans[c].empty()) {
        hit.start = spans[c].begin;
        hit.end = spans[c].end;
        std::uint64_t b = std::max(hit.start, original_base);
        std::uint64_t e = std::min<std::uint64_t>(hit.end, original_base + original.size());
        if (e > b) hit.text.assign(original.substr(b - original_base, e - b));
      }
      v.hits.push_back(std::move(hit));
    }
  }

  void finish(Verdict& v, const std::vector<double>& sums, const std::vector<char>& touched) const {
    const rules::Pack& pack = *pack_;
    for (std::size_t c = 0; c < sums.size(); ++c) {
      if (!touched[c]) continue;
      double cap = pack.categories[c].cap;
      double s = std::clamp(sums[c], -cap, cap);
      v.categories.push_back({pack.categories[c].name, s});
      v.score += s;
    }
    std::stable_sort(v.hits.begin(), v.hits.end(),
                     [](const Hit& a, const Hit& b) { return a.start < b.start; });
    if (v.score >= pack.policy.block) v.decision = Decision::block;
    else if (v.score >= pack.policy.review) v.decision = Decision::review;
  }

  const rules::Pack* pack_;
  std::vector<std::size_t> rule_category_;
  std::vector<std::size_t> composite_category_;
};

}  // namespace score
}  // namespace v1
}  // namespace vigil

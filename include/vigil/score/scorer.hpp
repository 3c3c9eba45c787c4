// vigil: scoring in the manner of Rspamd: weights summed per category (each rule at most
// max_hits times), composites over rule results, category caps, then the policy thresholds.
//
// Composites are evaluated incrementally: what every composite is on a message without rule
// hits is worked out once, and a scan re-evaluates only the composites that reference (directly
// or through other composites) a rule that fired. The verdict is the one evaluating every
// composite would give, contributions summed in the same order.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/match/hits.hpp"
#include "vigil/rules/pack.hpp"
#include "vigil/score/scratch.hpp"
#include "vigil/score/verdict.hpp"

namespace vigil {
inline namespace v1 {
namespace score {

/// Turns a scan's rule hits into a Verdict for one pack. Immutable and thread-safe.
class Scorer {
 public:
  explicit Scorer(const rules::Pack& pack) : pack_(&pack), id_(next_id()) {
    for (const rules::Rule& r : pack.rules) rule_category_.push_back(pack.category_index(r.category));
    rule_in_near_.assign(pack.rules.size(), 0);
    for (const rules::Composite& c : pack.composites) {
      composite_category_.push_back(pack.category_index(c.category));
      composite_refs_.push_back(c.expr.references());
      for (const rules::Expr::Node& n : c.expr.nodes) {
        if (n.op != rules::Expr::Op::near) continue;
        for (std::uint32_t r : {n.symbol, n.symbol2})
          if (r < rule_in_near_.size()) rule_in_near_[r] = 1;
      }
    }
    composite_rank_.assign(pack.composites.size(), 0);
    for (std::size_t k = 0; k < pack.composite_order.size(); ++k)
      composite_rank_[pack.composite_order[k]] = static_cast<std::uint32_t>(k);
    index_dependents();
    // Every hitless scan scores alike (a composite such as "!news" is true on a message with
    // no hits at all), so its verdict is worked out once here and copied.
    compute_hitless();
  }

  /// Score into `out`, reusing its storage (its vectors and strings keep their capacity, so a
  /// caller scanning many messages into one Verdict allocates next to nothing). Every field of
  /// `out` is overwritten. `hits` must come from HitCollector::finish() (sorted by rule);
  /// their quoted text is moved into the verdict. `original` is the input (or the part still
  /// held, starting at `original_base`) to quote spans from.
  void score(std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
             std::string_view original, std::uint64_t original_base,
             detail::ScoreScratch& scratch, Verdict& out) const {
    if (hits.empty()) {
      out = hitless_;  // copy-assignment: reuses out's storage
      out.invalid_bytes = invalid_bytes;
      return;
    }
    begin_scan(scratch, out, invalid_bytes);
    out.hits.reserve(hits.size() + 1);  // rule hits, room for a composite before growing
    std::size_t used = 0;
    add_rule_hits(hits, original, original_base, out, used, scratch);
    if (!pack_->composites.empty()) {
      evaluate_composites(hits, scratch);
      add_composite_hits(original, original_base, out, used, scratch);
    }
    out.hits.erase(out.hits.begin() + static_cast<std::ptrdiff_t>(used), out.hits.end());
    finish(out, scratch);
    end_scan(scratch);
  }

  Verdict score(std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
                std::string_view original, std::uint64_t original_base,
                detail::ScoreScratch& scratch) const {
    Verdict v;
    score(hits, invalid_bytes, original, original_base, scratch, v);
    return v;
  }

  /// Convenience form with its own scratch.
  Verdict score(std::vector<match::RuleHit>& hits, std::uint64_t invalid_bytes,
                std::string_view original, std::uint64_t original_base = 0) const {
    detail::ScoreScratch scratch;
    return score(hits, invalid_bytes, original, original_base, scratch);
  }

  /// Identifies this scorer's baseline in a ScoreScratch (copies share it: same pack).
  std::uint64_t id() const noexcept { return id_; }

 private:
  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
  }

  std::size_t rule_count() const { return pack_->rules.size(); }

  /// dependents_[dependents_begin_[s] .. dependents_begin_[s + 1]): the composites whose
  /// expressions reference symbol s (a rule, or rule_count() + a composite).
  void index_dependents() {
    const std::size_t symbols = rule_count() + pack_->composites.size();
    dependents_begin_.assign(symbols + 1, 0);
    for (const auto& refs : composite_refs_)
      for (std::uint32_t s : refs) ++dependents_begin_[s + 1];
    for (std::size_t s = 0; s < symbols; ++s) dependents_begin_[s + 1] += dependents_begin_[s];
    dependents_.resize(dependents_begin_[symbols]);
    std::vector<std::uint32_t> fill(dependents_begin_.begin(), dependents_begin_.end() - 1);
    for (std::size_t c = 0; c < composite_refs_.size(); ++c)
      for (std::uint32_t s : composite_refs_[c]) dependents_[fill[s]++] = static_cast<std::uint32_t>(c);
  }

  /// Every composite evaluated on a message without rule hits, and that message's verdict.
  void compute_hitless() {
    const auto& order = pack_->composite_order;
    detail::ScoreScratch s;
    s.composite_fired.assign(pack_->composites.size(), 0);
    detail::ScanFacts facts(s, rule_count());
    for (std::size_t c : order) s.composite_fired[c] = pack_->composites[c].expr.evaluate(facts);
    hitless_fired_ = s.composite_fired;
    for (std::size_t k = 0; k < order.size(); ++k)
      if (hitless_fired_[order[k]]) hitless_ranks_.push_back(static_cast<std::uint32_t>(k));
    if (hitless_ranks_.empty()) return;  // nothing fires: allow with score 0, whatever the thresholds
    begin_scan(s, hitless_, 0);
    std::size_t used = 0;
    add_composite_hits({}, 0, hitless_, used, s);
    hitless_.hits.resize(used);
    finish(hitless_, s);
  }

  /// Resets `v` and brings `s` to this scorer's baseline (built afresh when it holds another
  /// scorer's, or was left mid-scan by an exception).
  void begin_scan(detail::ScoreScratch& s, Verdict& v, std::uint64_t invalid_bytes) const {
    v.decision = Decision::allow;
    v.score = 0.0;
    v.invalid_bytes = invalid_bytes;
    v.truncated = false;
    v.banks_checked = false;
    v.bank_hits.clear();
    if (s.baseline_of != id_) {
      s.category_sum.assign(pack_->categories.size(), 0.0);
      s.category_touched.assign(pack_->categories.size(), 0);
      s.composite_fired = hitless_fired_;
      s.composite_queued.assign(pack_->composites.size(), 0);
      s.composite_span.assign(pack_->composites.size(), {});
      s.clear_lists();
    }
    s.baseline_of = 0;  // until end_scan() puts the baseline back
  }

  /// Puts back the baseline entries this scan changed.
  void end_scan(detail::ScoreScratch& s) const {
    for (std::uint32_t c : s.touched_categories) {
      s.category_sum[c] = 0.0;
      s.category_touched[c] = 0;
    }
    for (std::uint32_t c : s.queued) {
      s.composite_fired[c] = hitless_fired_[c];
      s.composite_queued[c] = 0;
      s.composite_span[c] = {};
    }
    s.clear_lists();
    s.baseline_of = id_;
  }

  void contribute(detail::ScoreScratch& s, std::size_t category, double weight) const {
    s.category_sum[category] += weight;
    if (s.category_touched[category]) return;
    s.category_touched[category] = 1;
    s.touched_categories.push_back(static_cast<std::uint32_t>(category));
  }

  std::vector<rules::Position>& next_positions(detail::ScoreScratch& s) const {
    if (s.positions_used == s.positions.size()) s.positions.emplace_back();
    auto& p = s.positions[s.positions_used++];
    p.clear();
    return p;
  }

  /// Rule hits into the verdict (up to max_hits per rule, weight 0 left out); records which
  /// rules fired and, for the rules near() reads, where.
  void add_rule_hits(std::vector<match::RuleHit>& hits, std::string_view original,
                     std::uint64_t original_base, Verdict& v, std::size_t& used,
                     detail::ScoreScratch& s) const {
    const bool composites = !pack_->composites.empty();
    for (std::size_t i = 0; i < hits.size();) {
      const std::uint32_t r = hits[i].rule;
      const rules::Rule& rule = pack_->rules[r];
      std::vector<rules::Position>* positions = rule_in_near_[r] ? &next_positions(s) : nullptr;
      std::size_t j = i;
      for (; j < hits.size() && hits[j].rule == r; ++j) {
        match::RuleHit& h = hits[j];
        if (positions != nullptr) positions->push_back({h.char_begin, h.char_end});
        if (j - i >= rule.max_hits || rule.weight == 0.0) continue;
        contribute(s, rule_category_[r], rule.weight);
        Hit& out = detail::next_hit(v.hits, used);
        out.rule = rule.id;
        out.category = rule.category;
        out.weight = rule.weight;
        out.start = h.original.begin;
        out.end = h.original.end;
        if (h.text.empty()) detail::quote_into(out.text, original, original_base, out.start, out.end);
        else out.text.swap(h.text);
        out.composite = false;
      }
      if (positions != nullptr) {
        std::sort(positions->begin(), positions->end(),
                  [](const rules::Position& a, const rules::Position& b) { return a.begin < b.begin; });
        s.near_rules.push_back(r);
      }
      if (composites) s.fired_rules.push_back(r);
      i = j;
    }
  }

  /// The span a fired composite covers: the hits of the rules (and composites) it names.
  void span_composite(std::size_t c, const std::vector<match::RuleHit>& hits,
                      detail::ScoreScratch& s) const {
    for (std::uint32_t sym : composite_refs_[c]) {
      if (sym >= rule_count()) {
        const auto& other = s.composite_span[sym - rule_count()];
        if (!other.empty()) s.composite_span[c].add(other.begin, other.end);
        continue;
      }
      auto first = std::lower_bound(hits.begin(), hits.end(), sym,
                                    [](const match::RuleHit& h, std::uint32_t r) { return h.rule < r; });
      for (auto it = first; it != hits.end() && it->rule == sym; ++it)
        s.composite_span[c].add(it->original.begin, it->original.end);
    }
  }

  void queue_dependents(std::size_t symbol, detail::ScoreScratch& s) const {
    for (std::uint32_t k = dependents_begin_[symbol]; k < dependents_begin_[symbol + 1]; ++k) {
      const std::uint32_t c = dependents_[k];
      if (s.composite_queued[c]) continue;
      s.composite_queued[c] = 1;
      s.queued.push_back(c);
      s.queue.push_back(composite_rank_[c]);
      std::push_heap(s.queue.begin(), s.queue.end(), std::greater<std::uint32_t>());
    }
  }

  /// Re-evaluates, in composite_order, the composites the fired rules reach. A composite whose
  /// result (value, and span when it fires) is still the hitless one passes nothing on, so the
  /// composites that depend only on it keep their hitless result too.
  void evaluate_composites(const std::vector<match::RuleHit>& hits, detail::ScoreScratch& s) const {
    for (std::uint32_t r : s.fired_rules) queue_dependents(r, s);
    const detail::ScanFacts facts(s, rule_count());
    while (!s.queue.empty()) {
      // Dependents rank after what they depend on, so the smallest rank is always ready.
      std::pop_heap(s.queue.begin(), s.queue.end(), std::greater<std::uint32_t>());
      const std::uint32_t rank = s.queue.back();
      s.queue.pop_back();
      const std::size_t c = pack_->composite_order[rank];
      const bool fired = pack_->composites[c].expr.evaluate(facts);
      s.composite_fired[c] = fired;
      if (fired) {
        span_composite(c, hits, s);
        s.fired_ranks.push_back(rank);
      }
      if (fired != (hitless_fired_[c] != 0) || (fired && !s.composite_span[c].empty()))
        queue_dependents(rule_count() + c, s);
    }
  }

  /// The fired composites into the verdict, in composite_order: those re-evaluated this scan
  /// and the hitless ones that were not.
  void add_composite_hits(std::string_view original, std::uint64_t original_base, Verdict& v,
                          std::size_t& used, detail::ScoreScratch& s) const {
    auto a = hitless_ranks_.begin();
    auto b = s.fired_ranks.begin();
    while (a != hitless_ranks_.end() || b != s.fired_ranks.end()) {
      std::uint32_t rank;
      if (b == s.fired_ranks.end() || (a != hitless_ranks_.end() && *a < *b)) {
        rank = *a++;
        if (s.composite_queued[pack_->composite_order[rank]]) continue;  // re-evaluated
      } else {
        rank = *b++;
      }
      add_composite_hit(pack_->composite_order[rank], original, original_base, v, used, s);
    }
  }

  void add_composite_hit(std::size_t c, std::string_view original, std::uint64_t original_base,
                         Verdict& v, std::size_t& used, detail::ScoreScratch& s) const {
    const rules::Composite& comp = pack_->composites[c];
    if (comp.weight == 0.0) return;
    contribute(s, composite_category_[c], comp.weight);
    Hit& hit = detail::next_hit(v.hits, used);
    hit.rule = comp.id;
    hit.category = comp.category;
    hit.weight = comp.weight;
    hit.composite = true;
    const auto& span = s.composite_span[c];
    hit.start = span.empty() ? 0 : span.begin;
    hit.end = span.empty() ? 0 : span.end;
    if (span.empty()) hit.text.clear();
    else detail::quote_into(hit.text, original, original_base, span.begin, span.end);
  }

  /// Category scores (pack order, capped), total, hits by start, decision.
  void finish(Verdict& v, detail::ScoreScratch& s) const {
    const rules::Pack& pack = *pack_;
    if (s.touched_categories.size() > 1)
      std::sort(s.touched_categories.begin(), s.touched_categories.end());
    v.categories.resize(s.touched_categories.size());
    for (std::size_t k = 0; k < s.touched_categories.size(); ++k) {
      const std::size_t c = s.touched_categories[k];
      const double cap = pack.categories[c].cap;
      const double score = std::clamp(s.category_sum[c], -cap, cap);
      v.categories[k].name = pack.categories[c].name;
      v.categories[k].score = score;
      v.score += score;
    }
    detail::stable_sort_by_start(v.hits);
    if (v.score >= pack.policy.block) v.decision = Decision::block;
    else if (v.score >= pack.policy.review) v.decision = Decision::review;
  }

  const rules::Pack* pack_;
  std::uint64_t id_;
  std::vector<std::size_t> rule_category_;
  std::vector<char> rule_in_near_;  ///< rules some near() reads (their positions are kept)
  std::vector<std::size_t> composite_category_;
  std::vector<std::vector<std::uint32_t>> composite_refs_;
  std::vector<std::uint32_t> composite_rank_;  ///< position in pack.composite_order
  std::vector<std::uint32_t> dependents_begin_, dependents_;
  std::vector<char> hitless_fired_;            ///< per composite, on a message without hits
  std::vector<std::uint32_t> hitless_ranks_;   ///< ranks of those that fire, ascending
  Verdict hitless_;  ///< the verdict of every scan without rule hits (invalid_bytes aside)
};

}  // namespace score
}  // namespace v1
}  // namespace vigil

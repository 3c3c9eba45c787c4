// vigil: Expr::references and Expr::evaluate (included at the end of vigil/rules/expr.hpp).
#pragma once

#include "vigil/rules/expr.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

/// near(): is there a hit in `a` and one in `b` with gap <= max_gap?
/// gap <= N holds exactly when each hit begins at most N after the other ends, so walking both
/// lists in begin order and testing each hit against the largest end seen so far in the other
/// list finds a pair in O(|a| + |b|).
inline bool any_near(const std::vector<Position>& a, const std::vector<Position>& b,
                     std::uint64_t max_gap) {
  std::size_t i = 0, j = 0;
  bool seen_a = false, seen_b = false;
  std::uint64_t max_end_a = 0, max_end_b = 0;
  auto close_to = [max_gap](std::uint64_t begin, std::uint64_t other_end) {
    return begin <= other_end || begin - other_end <= max_gap;
  };
  while (i < a.size() || j < b.size()) {
    const bool take_a = j >= b.size() || (i < a.size() && a[i].begin <= b[j].begin);
    if (take_a) {
      if (seen_b && close_to(a[i].begin, max_end_b)) return true;
      max_end_a = seen_a ? std::max(max_end_a, a[i].end) : a[i].end;
      seen_a = true;
      ++i;
    } else {
      if (seen_a && close_to(b[j].begin, max_end_a)) return true;
      max_end_b = seen_b ? std::max(max_end_b, b[j].end) : b[j].end;
      seen_b = true;
      ++j;
    }
  }
  return false;
}

/// Value of node `idx`. Children always precede their parent (the parser builds post-order);
/// a malformed tree with a forward child index evaluates that child as false instead of looping.
inline bool eval_node(const Expr& e, std::size_t idx, const ExprContext& ctx) {
  const Expr::Node& n = e.nodes[idx];
  auto kid = [&](std::uint32_t k) { return k < idx && eval_node(e, k, ctx); };
  switch (n.op) {
    case Expr::Op::symbol: return ctx.fired(n.symbol);
    case Expr::Op::not_: return !n.kids.empty() && !kid(n.kids[0]);
    case Expr::Op::and_:
      for (auto k : n.kids) if (!kid(k)) return false;
      return !n.kids.empty();
    case Expr::Op::or_:
      for (auto k : n.kids) if (kid(k)) return true;
      return false;
    case Expr::Op::n_of: {
      std::size_t yes = 0, left = n.kids.size();
      for (auto k : n.kids) {
        if (yes >= n.n || yes + left < n.n) break;  // decided either way
        if (kid(k)) ++yes;
        --left;
      }
      return yes >= n.n;
    }
    case Expr::Op::near:
      return any_near(ctx.positions(n.symbol), ctx.positions(n.symbol2), n.n);
  }
  return false;
}

}  // namespace detail

inline std::vector<std::uint32_t> Expr::references() const {
  std::vector<std::uint32_t> out;
  std::unordered_set<std::uint32_t> seen;
  auto add = [&](std::uint32_t s) {
    if (seen.insert(s).second) out.push_back(s);
  };
  for (const Node& n : nodes) {
    if (n.op == Op::symbol) add(n.symbol);
    if (n.op == Op::near) { add(n.symbol); add(n.symbol2); }
  }
  return out;
}

inline bool Expr::evaluate(const ExprContext& ctx) const {
  return !nodes.empty() && detail::eval_node(*this, nodes.size() - 1, ctx);
}

}  // namespace rules
}  // namespace v1
}  // namespace vigil

// vigil: composite expressions of a pack: parse, resolve ids, refuse cycles, order them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vigil/rules/detail/expr_parse.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

/// What the loader keeps about a composite until every id is known.
struct PendingExpr {
  std::uint32_t expr_line = 0;  ///< line of the `expr` key
};

inline void parse_composite_exprs(Pack& pack, const std::vector<PendingExpr>& pending,
                                  const std::string& origin) {
  std::unordered_map<std::string_view, ExprSymbol> symbols;
  const auto n_rules = static_cast<std::uint32_t>(pack.rules.size());
  for (std::uint32_t i = 0; i < n_rules; ++i) symbols[pack.rules[i].id] = {i, false};
  for (std::uint32_t i = 0; i < pack.composites.size(); ++i) {
    symbols[pack.composites[i].id] = {n_rules + i, true};
  }
  const ExprResolver resolve = [&symbols](std::string_view id) -> std::optional<ExprSymbol> {
    const auto it = symbols.find(id);
    if (it == symbols.end()) return std::nullopt;
    return it->second;
  };
  for (std::size_t i = 0; i < pack.composites.size(); ++i) {
    Composite& c = pack.composites[i];
    try {
      c.expr = parse_expr(c.expr_source, resolve);
    } catch (const ExprError& e) {
      throw PackError(Location{origin, pending[i].expr_line}, c.id,
                      "expr: column " + std::to_string(e.column()) + ": " + e.what());
    }
  }
}

/// Composite -> composites it references (indices into pack.composites).
inline std::vector<std::vector<std::size_t>> composite_graph(const Pack& pack) {
  std::vector<std::vector<std::size_t>> deps(pack.composites.size());
  for (std::size_t i = 0; i < pack.composites.size(); ++i) {
    for (std::uint32_t s : pack.composites[i].expr.references()) {
      if (s >= pack.rules.size()) deps[i].push_back(s - pack.rules.size());
    }
  }
  return deps;
}

/// Depth-first post-order (every composite after its dependencies); throws on a cycle, naming it.
/// Iterative so that a long chain of composites cannot overflow the stack.
inline std::vector<std::size_t> order_composites(const Pack& pack, const std::string& origin) {
  const auto deps = composite_graph(pack);
  enum : std::uint8_t { fresh, open, done };
  std::vector<std::uint8_t> state(deps.size(), fresh);
  std::vector<std::size_t> order;
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // (composite, next dependency)
  for (std::size_t root = 0; root < deps.size(); ++root) {
    if (state[root] != fresh) continue;
    stack.emplace_back(root, 0);
    state[root] = open;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == deps[node].size()) {
        state[node] = done;
        order.push_back(node);
        stack.pop_back();
        continue;
      }
      const std::size_t dep = deps[node][next++];
      if (state[dep] == fresh) {
        state[dep] = open;
        stack.emplace_back(dep, 0);
      } else if (state[dep] == open) {
        std::string cycle;
        std::size_t k = 0;
        while (stack[k].first != dep) ++k;
        for (; k < stack.size(); ++k) cycle += pack.composites[stack[k].first].id + " -> ";
        cycle += pack.composites[dep].id;
        const Composite& c = pack.composites[dep];
        throw PackError(Location{origin, c.where.line}, c.id, "composites form a cycle: " + cycle);
      }
    }
  }
  return order;
}

inline void resolve_composites(Pack& pack, const std::vector<PendingExpr>& pending,
                               const std::string& origin) {
  parse_composite_exprs(pack, pending, origin);
  pack.composite_order = order_composites(pack, origin);
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil

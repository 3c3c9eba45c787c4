// vigil: composite expressions over rule ids.
//
// CONTRACT (implemented by the rules module; the score layer evaluates these).
// Grammar:  expr   := or
//           or     := and ('|' and)*
//           and    := unary ('&' unary)*
//           unary  := '!' unary | primary
//           primary:= ID | '(' expr ')' | INT 'of' '(' expr (',' expr)* ')'
//                   | 'near' '(' ID ',' ID ',' INT ')'
// ID names a rule or another composite. near(a, b, N): some hit of a and some hit of b are at
// most N characters apart (gap between the end of one and the start of the other, in normalised
// characters; overlapping counts as 0). near() takes rules only (composites have no position).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {

/// A hit's position for near(): [begin, end) in normalised characters (code points).
struct Position {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// What an expression is evaluated against.
class ExprContext {
 public:
  virtual ~ExprContext() = default;
  /// Did symbol `index` (rule or composite) fire?
  virtual bool fired(std::size_t symbol) const = 0;
  /// Positions of rule `index`'s hits, sorted by begin.
  virtual const std::vector<Position>& positions(std::size_t rule) const = 0;
};

/// Parsed expression: a flat node array, root last.
struct Expr {
  enum class Op : std::uint8_t { symbol, not_, and_, or_, n_of, near };
  struct Node {
    Op op = Op::symbol;
    std::uint32_t symbol = 0;       ///< for symbol; for near: first rule
    std::uint32_t symbol2 = 0;      ///< for near: second rule
    std::uint32_t n = 0;            ///< for n_of: N; for near: max gap
    std::vector<std::uint32_t> kids;///< child node indices
  };
  std::vector<Node> nodes;
  /// Symbols this expression references directly (for dependency order and diagnostics).
  std::vector<std::uint32_t> references() const;
  bool evaluate(const ExprContext& ctx) const;
};

}  // namespace rules
}  // namespace v1
}  // namespace vigil

#include "vigil/rules/detail/expr_eval.hpp"

// vigil: parser for composite expressions (grammar in vigil/rules/expr.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/rules/detail/text_util.hpp"
#include "vigil/rules/expr.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

/// Deepest nesting of '(', '!', 'N of' and 'near' accepted (keeps recursion bounded).
inline constexpr int max_expr_depth = 64;

/// A resolved identifier: its symbol index and whether it names a composite.
struct ExprSymbol {
  std::uint32_t index = 0;
  bool composite = false;
};
using ExprResolver = std::function<std::optional<ExprSymbol>(std::string_view)>;

/// Syntax or reference error; `column` is 1-based, in code points of the source.
class ExprError : public std::runtime_error {
 public:
  ExprError(std::size_t column, const std::string& msg)
      : std::runtime_error(msg), column_(column) {}
  std::size_t column() const noexcept { return column_; }
 private:
  std::size_t column_;
};

inline bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == ':' || c == '-';
}

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) if (c < '0' || c > '9') return false;
  return true;
}

class ExprParser {
 public:
  ExprParser(std::string_view src, ExprResolver resolve)
      : src_(src), resolve_(std::move(resolve)) {}

  Expr parse() {
    if (peek().kind == Tok::end) fail(peek(), "empty expression");
    parse_or(0);
    const Token t = peek();
    if (t.kind != Tok::end) fail(t, "unexpected " + describe(t) + " after a complete expression");
    return std::move(expr_);
  }

 private:
  enum class Tok { end, lparen, rparen, comma, and_, or_, not_, word };
  struct Token {
    Tok kind = Tok::end;
    std::string_view text;
    std::size_t pos = 0;
  };

  std::string_view src_;
  ExprResolver resolve_;
  Expr expr_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(const Token& t, const std::string& msg) const {
    throw ExprError(count_code_points(src_, t.pos) + 1, msg);
  }

  static std::string describe(const Token& t) {
    return t.kind == Tok::end ? std::string("end of expression") : "'" + std::string(t.text) + "'";
  }

  Token scan(std::size_t& p) const {
    while (p < src_.size() && is_ascii_space(src_[p])) ++p;
    Token t{Tok::end, {}, p};
    if (p >= src_.size()) return t;
    const char c = src_[p];
    const char* singles = "(),&|!";
    const Tok kinds[] = {Tok::lparen, Tok::rparen, Tok::comma, Tok::and_, Tok::or_, Tok::not_};
    for (int k = 0; k < 6; ++k) {
      if (c == singles[k]) { t.kind = kinds[k]; t.text = src_.substr(p++, 1); return t; }
    }
    if (!is_id_char(c)) {
      std::size_t q = p;
      decode_utf8(src_, q);
      if (q == p) q = p + 1;
      throw ExprError(count_code_points(src_, p) + 1,
                      "unexpected character '" + std::string(src_.substr(p, q - p)) + "'");
    }
    std::size_t q = p;
    while (q < src_.size() && is_id_char(src_[q])) ++q;
    t.kind = Tok::word;
    t.text = src_.substr(p, q - p);
    p = q;
    return t;
  }
  Token peek() const { std::size_t p = pos_; return scan(p); }
  Token next() { return scan(pos_); }
  Token expect(Tok kind, const char* what) {
    const Token t = next();
    if (t.kind != kind) fail(t, std::string("expected ") + what + ", found " + describe(t));
    return t;
  }

  std::uint32_t add(Expr::Node node) {
    expr_.nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(expr_.nodes.size() - 1);
  }

  void check_depth(int depth, const Token& t) const {
    if (depth > max_expr_depth) {
      fail(t, "expression nested deeper than " + std::to_string(max_expr_depth) + " levels");
    }
  }

  // Parses `sub ('op' sub)*`, flattening the chain into one n-ary node.
  template <class Sub>
  std::uint32_t parse_chain(int depth, Tok op, Expr::Op node_op, Sub sub) {
    std::vector<std::uint32_t> kids{sub(depth)};
    while (peek().kind == op) {
      next();
      kids.push_back(sub(depth));
    }
    if (kids.size() == 1) return kids[0];
    Expr::Node n;
    n.op = node_op;
    n.kids = std::move(kids);
    return add(std::move(n));
  }
  std::uint32_t parse_or(int depth) {
    return parse_chain(depth, Tok::or_, Expr::Op::or_, [this](int d) { return parse_and(d); });
  }
  std::uint32_t parse_and(int depth) {
    return parse_chain(depth, Tok::and_, Expr::Op::and_, [this](int d) { return parse_unary(d); });
  }

  std::uint32_t parse_unary(int depth) {
    if (peek().kind != Tok::not_) return parse_primary(depth);
    const Token bang = next();
    check_depth(depth + 1, bang);
    Expr::Node n;
    n.op = Expr::Op::not_;
    n.kids = {parse_unary(depth + 1)};
    return add(std::move(n));
  }

  std::uint32_t parse_primary(int depth) {
    const Token t = next();
    if (t.kind == Tok::lparen) {
      check_depth(depth + 1, t);
      const std::uint32_t inner = parse_or(depth + 1);
      expect(Tok::rparen, "')'");
      return inner;
    }
    if (t.kind != Tok::word) {
      fail(t, "expected an id, '(', '!', 'N of (...)' or 'near(...)', found " + describe(t));
    }
    const Token after = peek();
    if (all_digits(t.text) && after.kind == Tok::word && after.text == "of") {
      return parse_n_of(t, depth);
    }
    if (t.text == "near" && after.kind == Tok::lparen) return parse_near(t, depth);
    Expr::Node n;
    n.symbol = resolve(t).index;
    return add(std::move(n));
  }

  ExprSymbol resolve(const Token& t) const {
    const auto sym = resolve_(t.text);
    if (!sym) fail(t, "unknown id '" + std::string(t.text) + "'");
    return *sym;
  }

  std::uint32_t parse_number(const Token& t) const {
    if (!all_digits(t.text)) fail(t, "expected a number, found " + describe(t));
    std::uint64_t v = 0;
    for (char c : t.text) {
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
      if (v > std::numeric_limits<std::uint32_t>::max()) fail(t, "number too large");
    }
    return static_cast<std::uint32_t>(v);
  }

  std::uint32_t parse_n_of(const Token& count, int depth) {
    check_depth(depth + 1, count);
    const std::uint32_t n = parse_number(count);
    next();  // 'of'
    expect(Tok::lparen, "'(' after 'of'");
    Expr::Node node;
    node.op = Expr::Op::n_of;
    node.n = n;
    node.kids.push_back(parse_or(depth + 1));
    while (peek().kind == Tok::comma) {
      next();
      node.kids.push_back(parse_or(depth + 1));
    }
    expect(Tok::rparen, "',' or ')'");
    if (n == 0) fail(count, "'0 of (...)' is always true; N must be at least 1");
    if (n > node.kids.size()) {
      fail(count, "'" + std::to_string(n) + " of (...)' lists only " +
                      std::to_string(node.kids.size()) + " item(s)");
    }
    return add(std::move(node));
  }

  std::uint32_t parse_near(const Token& kw, int depth) {
    check_depth(depth + 1, kw);
    expect(Tok::lparen, "'('");
    Expr::Node node;
    node.op = Expr::Op::near;
    node.symbol = near_operand();
    expect(Tok::comma, "','");
    node.symbol2 = near_operand();
    expect(Tok::comma, "','");
    node.n = parse_number(next());
    expect(Tok::rparen, "')'");
    return add(std::move(node));
  }

  std::uint32_t near_operand() {
    const Token t = next();
    if (t.kind != Tok::word) fail(t, "near() expects a rule id, found " + describe(t));
    const ExprSymbol sym = resolve(t);
    if (sym.composite) {
      fail(t, "near() takes rule ids only; '" + std::string(t.text) +
                  "' is a composite (composites have no position)");
    }
    return sym.index;
  }
};

/// Parse `src`, resolving ids with `resolve`. Throws ExprError.
inline Expr parse_expr(std::string_view src, ExprResolver resolve) {
  return ExprParser(src, std::move(resolve)).parse();
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil

// vigil: typed, position-aware access to the TOML tables of a pack.
//
// Every accessor refuses wrong types and reports the line of the offending key, so a pack error
// always points at the text the author has to change.
#pragma once

#include <toml++/toml.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/rules/detail/text_util.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

inline std::uint32_t line_of(const toml::node& n) { return n.source().begin.line; }
inline std::uint32_t line_of(const toml::key& k) { return k.source().begin.line; }

inline const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

/// A string with the line it was written on.
struct LineString {
  std::string text;
  std::uint32_t line = 0;
};

/// One TOML table of the pack, with what errors about it must say.
class Fields {
 public:
  Fields(const toml::table& t, std::string file, std::string what, std::string id = {})
      : t_(t), file_(std::move(file)), what_(std::move(what)), id_(std::move(id)) {}

  const toml::table& table() const { return t_; }
  /// Line of the table's header; 0 for the document itself (a missing [pack] has no line).
  std::uint32_t line() const { return what_ == top_level ? 0 : line_of(t_); }
  static constexpr const char* top_level = "the top level";
  const std::string& id() const { return id_; }
  void set_id(std::string id) { id_ = std::move(id); }

  [[noreturn]] void fail(std::uint32_t line, const std::string& reason) const {
    throw PackError(Location{file_, line}, id_, reason);
  }

  /// Line of `key` (of the table when the key is absent).
  std::uint32_t line_of_key(std::string_view key) const {
    const auto it = t_.find(key);
    return it == t_.end() ? line() : line_of(it->first);
  }

  /// Refuse keys not in `allowed` (the earliest in the file first), suggesting a near miss.
  void check_keys(std::initializer_list<std::string_view> allowed) const {
    const toml::key* worst = nullptr;
    for (const auto& [k, v] : t_) {
      bool ok = false;
      for (auto a : allowed) ok = ok || k.str() == a;
      if (!ok && (!worst || line_of(k) < line_of(*worst))) worst = &k;
    }
    if (!worst) return;
    std::string msg = "unknown key '" + std::string(worst->str()) + "' in " + what_;
    for (auto a : allowed) {
      if (small_edit_distance(worst->str(), a) <= 2) {
        msg += " (did you mean '" + std::string(a) + "'?)";
        break;
      }
    }
    msg += "; allowed keys: ";
    bool first = true;
    for (auto a : allowed) { msg += (first ? "" : ", ") + std::string(a); first = false; }
    fail(line_of(*worst), msg);
  }

  const toml::node* node(std::string_view key, bool required) const {
    const toml::node* n = t_.get(key);
    if (!n && required) fail(line(), "missing required key '" + std::string(key) + "' in " + what_);
    return n;
  }

  [[noreturn]] void wrong_type(std::string_view key, const toml::node& n,
                               const std::string& want) const {
    fail(line_of_key(key), "'" + std::string(key) + "' must be " + want + ", not " + type_name(n));
  }

  std::optional<std::string> str(std::string_view key, bool required = false) const {
    const toml::node* n = node(key, required);
    if (!n) return std::nullopt;
    if (!n->is_string()) wrong_type(key, *n, "a string");
    std::string s = n->as_string()->get();
    check_text(s, line_of_key(key), "'" + std::string(key) + "'");
    return s;
  }

  /// A number (integer or float, TOML allows both spellings); NaN is always refused.
  std::optional<double> number(std::string_view key, bool required = false) const {
    const toml::node* n = node(key, required);
    if (!n) return std::nullopt;
    double v = 0;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else wrong_type(key, *n, "a number");
    if (std::isnan(v)) fail(line_of_key(key), "'" + std::string(key) + "' must not be nan");
    return v;
  }

  std::optional<bool> boolean(std::string_view key) const {
    const toml::node* n = node(key, false);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) wrong_type(key, *n, "a boolean (true or false)");
    return n->as_boolean()->get();
  }

  std::optional<std::int64_t> integer(std::string_view key) const {
    const toml::node* n = node(key, false);
    if (!n) return std::nullopt;
    if (!n->is_integer()) wrong_type(key, *n, "an integer");
    return n->as_integer()->get();
  }

  /// An array of strings, each element with its own line.
  std::optional<std::vector<LineString>> strings(std::string_view key) const {
    const toml::node* n = node(key, false);
    if (!n) return std::nullopt;
    if (!n->is_array()) wrong_type(key, *n, "an array of strings");
    std::vector<LineString> out;
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_string()) {
        fail(line_of(e), "every element of '" + std::string(key) + "' must be a string, not " +
                             type_name(e));
      }
      out.push_back({e.as_string()->get(), line_of(e)});
      check_text(out.back().text, out.back().line, "'" + std::string(key) + "'");
    }
    return out;
  }

  const toml::table* subtable(std::string_view key, bool required) const {
    const toml::node* n = node(key, required);
    if (!n) return nullptr;
    if (!n->is_table()) wrong_type(key, *n, "a table");
    return n->as_table();
  }

  /// Strings from TOML are valid UTF-8 already (toml++ checks); NUL can still come from \u0000.
  void check_text(std::string_view s, std::uint32_t line, const std::string& what) const {
    if (s.find('\0') != std::string_view::npos) fail(line, what + " contains a NUL byte");
    const auto bad = invalid_utf8_at(s);
    if (bad != std::string_view::npos) {
      fail(line, what + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    }
  }

 private:
  const toml::table& t_;
  std::string file_;
  std::string what_;
  std::string id_;
};

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil

// vigil: TOML text -> validated Pack. All-or-nothing: the first problem throws PackError.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "vigil/rules/detail/canonical.hpp"
#include "vigil/rules/detail/checks.hpp"
#include "vigil/rules/detail/composites.hpp"
#include "vigil/rules/detail/toml_fields.hpp"
#include "vigil/rules/detail/toml_guard.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

class Loader {
 public:
  Loader(std::string origin, std::string base_dir, const PackLimits& limits = {})
      : origin_(std::move(origin)), base_dir_(std::move(base_dir)), limits_(limits),
        side_budget_(limits.max_pack_bytes) {}

  Pack load(std::string_view text) {
    if (text.size() > limits_.max_pack_bytes) {
      fail(0, {}, "pack is larger than " + byte_text(limits_.max_pack_bytes) +
                      " (PackLimits::max_pack_bytes)");
    }
    if (const std::uint32_t line = too_deep_key_line(text)) {
      fail(line, {}, "key with more than " + std::to_string(max_key_segments) +
                         " dotted parts (refused before parsing: it could exhaust the stack)");
    }
    const toml::table root = parse(text);
    Fields top(root, origin_, Fields::top_level);
    top.check_keys({"pack", "policy", "categories", "rule", "composite"});
    read_meta(top);
    read_policy(top);
    read_categories(top);
    const auto rules = array_of_tables(top, "rule");
    const auto composites = array_of_tables(top, "composite");
    check_rule_count(rules, composites);
    for (const toml::table* t : rules) read_rule(*t);
    std::vector<PendingExpr> exprs;
    for (const toml::table* t : composites) exprs.push_back(read_composite(*t));
    add_used_categories();
    resolve_composites(pack_, exprs, origin_);
    pack_.canonical_source = canonical_toml(pack_);
    if (pack_.canonical_source.size() > limits_.max_pack_bytes) {
      fail(0, {}, "pack is larger than " + byte_text(limits_.max_pack_bytes) +
                      " once its terms files are inlined (PackLimits::max_pack_bytes)");
    }
    pack_.hash = sha256_hex(pack_.canonical_source);
    return std::move(pack_);
  }

 private:
  std::string origin_, base_dir_;
  PackLimits limits_;
  Pack pack_;
  std::unordered_map<std::string, std::uint32_t> id_lines_;  // id -> line of first definition
  std::size_t side_budget_;                                  // bytes terms files may still use
  std::size_t term_count_ = 0, regex_count_ = 0;             // over all rules so far

  [[noreturn]] void fail(std::uint32_t line, const std::string& id, const std::string& why) const {
    throw PackError(Location{origin_, line}, id, why);
  }

  static std::string byte_text(std::size_t n) {
    const std::size_t mib = std::size_t{1} << 20;
    return n % mib == 0 ? std::to_string(n / mib) + " MiB" : std::to_string(n) + " bytes";
  }

  static std::string limit_text(std::size_t limit, const char* name) {
    return "the limit is " + std::to_string(limit) + " (PackLimits::" + name + ")";
  }

  // Counted before any rule is read, so a huge pack fails before its rules are built.
  void check_rule_count(const std::vector<const toml::table*>& rules,
                        const std::vector<const toml::table*>& composites) const {
    const std::size_t n = rules.size() + composites.size();
    if (n <= limits_.max_rules) return;
    const toml::table* first_over = limits_.max_rules < rules.size()
                                        ? rules[limits_.max_rules]
                                        : composites[limits_.max_rules - rules.size()];
    fail(line_of(*first_over), {}, "pack has " + std::to_string(n) + " rules and composites; " +
                                       limit_text(limits_.max_rules, "max_rules"));
  }

  // After each source of terms: a terms file is bounded by the byte budget already.
  void check_term_counts(const Rule& r, std::uint32_t line) {
    if (r.terms.size() > limits_.max_terms_per_rule) {
      fail(line, r.id, "rule has " + std::to_string(r.terms.size()) + " terms; " +
                           limit_text(limits_.max_terms_per_rule, "max_terms_per_rule"));
    }
    if (term_count_ + r.terms.size() > limits_.max_terms) {
      fail(line, r.id, "pack has more than " + std::to_string(limits_.max_terms) + " terms; " +
                           limit_text(limits_.max_terms, "max_terms"));
    }
  }

  toml::table parse(std::string_view text) const {
#if TOML_EXCEPTIONS
    try {
      return toml::parse(text, origin_);
    } catch (const toml::parse_error& e) {
      fail(e.source().begin.line, {}, "TOML syntax error: " + std::string(e.description()));
    }
#else
    toml::parse_result r = toml::parse(text, origin_);
    if (!r) fail(r.error().source().begin.line, {}, "TOML syntax error: " +
                                                        std::string(r.error().description()));
    return std::move(r).table();
#endif
  }

  void read_meta(const Fields& top) {
    Fields f(*top.subtable("pack", true), origin_, "[pack]");
    f.check_keys({"name", "version", "description"});
    pack_.name = *f.str("name", true);
    pack_.version = *f.str("version", true);
    pack_.description = f.str("description").value_or("");
    if (pack_.name.empty()) f.fail(f.line_of_key("name"), "pack name is empty");
    if (pack_.version.empty()) f.fail(f.line_of_key("version"), "pack version is empty");
  }

  void read_policy(const Fields& top) {
    Fields f(*top.subtable("policy", true), origin_, "[policy]");
    f.check_keys({"review", "block"});
    pack_.policy.review = *f.number("review", true);
    pack_.policy.block = *f.number("block", true);
    if (pack_.policy.review > pack_.policy.block) {
      f.fail(f.line_of_key("review"), "policy review threshold " +
                                          toml_float(pack_.policy.review) +
                                          " is above the block threshold " +
                                          toml_float(pack_.policy.block));
    }
  }

  void check_category_name(const std::string& name, std::uint32_t line, const std::string& id) {
    if (name.empty()) fail(line, id, "category name is empty");
    for (char c : name) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        fail(line, id, "category name '" + excerpt(name) + "' contains a control character");
      }
    }
  }

  // Declared in the order written: toml++ tables are sorted by key, so sort by source position.
  void read_categories(const Fields& top) {
    const toml::table* cats = top.subtable("categories", false);
    if (!cats) return;
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (const auto& [k, v] : *cats) entries.emplace_back(&k, &v);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const auto& pa = a.first->source().begin;
      const auto& pb = b.first->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    for (const auto& [key, node] : entries) {
      const std::string name(key->str());
      Fields owner(*cats, origin_, "[categories]");
      owner.check_text(name, line_of(*key), "category name");
      check_category_name(name, line_of(*key), {});
      if (!node->is_table()) {
        owner.wrong_type(name, *node, "a table ([categories." + name + "])");
      }
      read_category(name, Fields(*node->as_table(), origin_, "[categories." + name + "]"));
    }
  }

  void read_category(const std::string& name, const Fields& f) {
    f.check_keys({"cap", "description"});
    Category c;
    c.name = name;
    c.description = f.str("description").value_or("");
    if (const auto cap = f.number("cap")) {
      if (!(*cap > 0)) f.fail(f.line_of_key("cap"), "category '" + name + "': cap must be > 0");
      c.cap = *cap;
    }
    pack_.categories.push_back(std::move(c));
  }

  std::vector<const toml::table*> array_of_tables(const Fields& top, std::string_view key) const {
    std::vector<const toml::table*> out;
    const toml::node* n = top.node(key, false);
    if (!n) return out;
    const std::string want = "an array of tables ([[" + std::string(key) + "]])";
    if (!n->is_array()) top.wrong_type(key, *n, want);
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_table()) top.fail(line_of(e), "every '" + std::string(key) + "' must be a table");
      out.push_back(e.as_table());
    }
    return out;
  }

  /// Read and register the id of a rule or composite.
  std::string read_id(Fields& f) {
    const std::string id = *f.str("id", true);
    const std::uint32_t line = f.line_of_key("id");
    if (!valid_id(id)) {
      f.fail(line, "invalid id '" + excerpt(id) + "': use only letters, digits and _ . : -");
    }
    f.set_id(id);
    const auto [it, fresh] = id_lines_.emplace(id, f.line());
    if (!fresh) {
      f.fail(line, "duplicate id '" + id + "' (first defined at " + origin_ + ":" +
                       std::to_string(it->second) + ")");
    }
    return id;
  }

  double read_weight(const Fields& f) const {
    const double w = f.number("weight").value_or(1.0);
    if (!std::isfinite(w)) f.fail(f.line_of_key("weight"), "weight must be finite");
    return w;
  }

  void read_terms(const Fields& f, Rule& r) {
    if (const auto inline_terms = f.strings("terms")) {
      for (auto& t : *inline_terms) {
        Location where{origin_, t.line};
        check_term(t.text, where, r.id);
        r.terms.push_back(Term{std::move(t.text), std::move(where)});
      }
      check_term_counts(r, f.line_of_key("terms"));
    }
    if (const auto file = f.str("terms_file")) {
      const Location at{origin_, f.line_of_key("terms_file")};
      const std::string path = resolve_terms_path(*file, base_dir_, at, r.id);
      const std::string data = read_side_file(path, side_budget_, at, r.id);
      for (auto& t : parse_terms_file(data, path, r.id)) r.terms.push_back(std::move(t));
      check_term_counts(r, at.line);
    }
    term_count_ += r.terms.size();
  }

  void read_regexes(const Fields& f, Rule& r) {
    const bool one = f.node("regex", false) != nullptr;
    if (one && f.node("regexes", false)) {
      f.fail(f.line_of_key("regexes"), "use either 'regex' or 'regexes', not both");
    }
    std::vector<LineString> list;
    if (one) list.push_back({*f.str("regex"), f.line_of_key("regex")});
    else list = f.strings("regexes").value_or(std::vector<LineString>{});
    for (auto& re : list) {
      if (++regex_count_ > limits_.max_regexes) {
        fail(re.line, r.id, "pack has more than " + std::to_string(limits_.max_regexes) +
                                " regexes; " + limit_text(limits_.max_regexes, "max_regexes"));
      }
      check_regex(re.text, Location{origin_, re.line}, r.id);
      r.regexes.push_back(std::move(re.text));
    }
  }

  void read_rule(const toml::table& t) {
    Fields f(t, origin_, "[[rule]]");
    Rule r;
    r.where = Location{origin_, f.line()};
    r.id = read_id(f);
    f.check_keys({"id", "category", "weight", "terms", "terms_file", "regex", "regexes",
                  "fullword", "max_hits", "languages", "description"});
    r.category = *f.str("category", true);
    check_category_name(r.category, f.line_of_key("category"), r.id);
    r.weight = read_weight(f);
    r.description = f.str("description").value_or("");
    read_terms(f, r);
    read_regexes(f, r);
    if (r.terms.empty() && r.regexes.empty()) {
      const bool had_terms = f.node("terms", false) || f.node("terms_file", false);
      f.fail(f.line(), had_terms ? "rule has no terms (its list and terms file are empty) and no regex"
                                 : "rule has neither terms nor regex");
    }
    r.fullword = f.boolean("fullword").value_or(!r.terms.empty());
    const std::int64_t max_hits = f.integer("max_hits").value_or(1);
    if (max_hits < 1 || max_hits > std::numeric_limits<std::uint32_t>::max()) {
      f.fail(f.line_of_key("max_hits"), "max_hits must be an integer from 1 to 4294967295");
    }
    r.max_hits = static_cast<std::uint32_t>(max_hits);
    for (auto& lang : f.strings("languages").value_or(std::vector<LineString>{})) {
      if (lang.text.empty()) f.fail(lang.line, "empty language tag in 'languages'");
      r.languages.push_back(std::move(lang.text));
    }
    pack_.rules.push_back(std::move(r));
  }

  PendingExpr read_composite(const toml::table& t) {
    Fields f(t, origin_, "[[composite]]");
    Composite c;
    c.where = Location{origin_, f.line()};
    c.id = read_id(f);
    f.check_keys({"id", "category", "weight", "expr", "description"});
    c.category = *f.str("category", true);
    check_category_name(c.category, f.line_of_key("category"), c.id);
    c.weight = read_weight(f);
    c.description = f.str("description").value_or("");
    c.expr_source = *f.str("expr", true);
    const PendingExpr pending{f.line_of_key("expr")};
    pack_.composites.push_back(std::move(c));
    return pending;
  }

  void add_used_categories() {
    std::unordered_set<std::string> known;
    for (const Category& c : pack_.categories) known.insert(c.name);
    auto use = [&](const std::string& name) {
      if (known.insert(name).second) pack_.categories.push_back(Category{name, {}});
    };
    for (const Rule& r : pack_.rules) use(r.category);
    for (const Composite& c : pack_.composites) use(c.category);
  }
};

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil

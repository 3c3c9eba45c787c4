// vigil: validation of ids, terms, regexes and terms files (the per-item rules of a pack).
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "vigil/rules/detail/regex_check.hpp"
#include "vigil/rules/detail/text_util.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

// Limits that keep loading bounded on untrusted packs (16,000 bytes is Hyperscan's own limit).
inline constexpr std::size_t max_pack_bytes = std::size_t{64} << 20;
inline constexpr std::size_t max_term_bytes = 16000;
inline constexpr std::size_t max_regex_bytes = 16000;

inline bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// `s` shortened for quoting in a message.
inline std::string excerpt(std::string_view s, std::size_t max = 60) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

/// Problems shared by terms and regexes: NUL, invalid UTF-8, size. Empty string when fine.
inline std::string text_problem(std::string_view s, std::size_t max_bytes) {
  if (s.find('\0') != std::string_view::npos) return "contains a NUL byte";
  const auto bad = invalid_utf8_at(s);
  if (bad != std::string_view::npos) return "is not valid UTF-8 (byte " + std::to_string(bad) + ")";
  if (s.size() > max_bytes) {
    return "is " + std::to_string(s.size()) + " bytes long; the limit is " +
           std::to_string(max_bytes);
  }
  return {};
}

inline void check_term(std::string_view term, const Location& where, const std::string& id) {
  if (trim_ascii_space(term).empty()) throw PackError(where, id, "empty term");
  std::string problem = text_problem(term, max_term_bytes);
  if (problem.empty() && !has_content(term)) {
    problem = "has no letters or digits (only whitespace/punctuation)";
  }
  if (!problem.empty()) {
    const bool printable = problem.find("UTF-8") == std::string::npos &&
                           problem.find("NUL") == std::string::npos;
    throw PackError(where, id, (printable ? "term '" + excerpt(term) + "' " : "term ") + problem);
  }
}

inline void check_regex(std::string_view re, const Location& where, const std::string& id) {
  if (re.empty()) throw PackError(where, id, "empty regex");
  const std::string problem = text_problem(re, max_regex_bytes);
  if (!problem.empty()) throw PackError(where, id, "regex " + problem);
  if (const auto f = find_unsupported_regex(re)) {
    std::string why = "regex '" + excerpt(re) + "': " + f->construct + " at character " +
                      std::to_string(count_code_points(re, f->offset) + 1) +
                      " is not supported by Hyperscan";
    if (!f->hint.empty()) why += " (" + f->hint + ")";
    throw PackError(where, id, why);
  }
}

/// Resolve a terms_file path against the pack's directory. Absolute paths and '..' are refused:
/// an untrusted pack must not pull arbitrary files into its canonical (shared) source.
inline std::string resolve_terms_path(const std::string& rel, const std::string& base_dir,
                                      const Location& where, const std::string& id) {
  const std::filesystem::path p(rel);
  if (rel.empty()) throw PackError(where, id, "terms_file is empty");
  if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) {
    throw PackError(where, id, "terms_file '" + rel + "' must be relative to the pack's directory");
  }
  for (const auto& part : p) {
    if (part == "..") {
      throw PackError(where, id, "terms_file '" + rel + "' must not contain '..'");
    }
  }
  if (base_dir.empty() || base_dir == ".") return p.generic_string();
  return (std::filesystem::path(base_dir) / p).generic_string();
}

/// Read a whole regular file of at most `budget` bytes; `budget` shrinks by its size.
inline std::string read_side_file(const std::string& path, std::size_t& budget,
                                  const Location& where, const std::string& id) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw PackError(where, id, "cannot read terms_file '" + path + "': no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw PackError(where, id, "terms_file '" + path + "' is not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > budget) {
    throw PackError(where, id, "terms_file '" + path + "' is too large: " + std::to_string(size) +
                                   " bytes, " + std::to_string(budget) +
                                   " left of the pack's limit (PackLimits::max_pack_bytes)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    throw PackError(where, id, "cannot read terms_file '" + path + "': " + std::strerror(errno));
  }
  if (data.size() > budget) throw PackError(where, id, "terms_file '" + path + "' is too large");
  budget -= data.size();
  return data;
}

/// Terms of a terms file: one a line; blank lines and '#' comments skipped; whitespace trimmed.
inline std::vector<Term> parse_terms_file(std::string_view data, const std::string& path,
                                          const std::string& id) {
  std::vector<Term> out;
  if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);  // UTF-8 byte order mark
  std::uint32_t line = 0;
  std::size_t pos = 0;
  while (pos < data.size()) {
    ++line;
    const auto nl = data.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? data.size() : nl;
    const std::string_view raw = data.substr(pos, end - pos);
    pos = end + 1;
    const Location where{path, line};
    // Checked before skipping so a corrupt comment line is reported too.
    if (raw.find('\0') != std::string_view::npos) throw PackError(where, id, "NUL byte in terms file");
    const auto bad = invalid_utf8_at(raw);
    if (bad != std::string_view::npos) {
      throw PackError(where, id, "invalid UTF-8 in terms file (byte " + std::to_string(bad + 1) +
                                     " of the line)");
    }
    const std::string_view term = trim_ascii_space(raw);
    if (term.empty() || term.front() == '#') continue;
    check_term(term, where, id);
    out.push_back(Term{std::string(term), where});
  }
  return out;
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil

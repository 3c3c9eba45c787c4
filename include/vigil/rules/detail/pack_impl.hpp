// vigil: definitions for vigil/rules/pack.hpp (included at its end).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "vigil/rules/detail/loader.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

/// "FILE:LINE: rule 'ID': REASON", leaving out the parts that are unknown.
inline std::string format_pack_error(const Location& where, const std::string& rule_id,
                                     const std::string& reason) {
  std::string msg;
  if (!where.file.empty()) {
    msg += where.file;
    if (where.line > 0) msg += ":" + std::to_string(where.line);
    msg += ": ";
  } else if (where.line > 0) {
    msg += "line " + std::to_string(where.line) + ": ";
  }
  if (!rule_id.empty()) msg += "rule '" + rule_id + "': ";
  return msg + reason;
}

}  // namespace detail

inline PackError::PackError(Location where, std::string rule_id, std::string reason)
    : std::runtime_error(detail::format_pack_error(where, rule_id, reason)),
      where_(std::move(where)),
      rule_id_(std::move(rule_id)),
      reason_(std::move(reason)) {}

inline const Location& PackError::where() const noexcept { return where_; }
inline const std::string& PackError::rule_id() const noexcept { return rule_id_; }
inline const std::string& PackError::reason() const noexcept { return reason_; }

inline std::size_t Pack::category_index(std::string_view wanted) const {
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (categories[i].name == wanted) return i;
  }
  return npos;
}

inline Pack load_pack_string(std::string_view toml_text, const std::string& origin,
                             const std::string& base_dir, const PackLimits& limits) {
  return detail::Loader(origin, base_dir, limits).load(toml_text);
}

inline Pack load_pack_file(const std::string& path, const PackLimits& limits) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw PackError(Location{path, 0}, {}, "cannot read pack file: no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw PackError(Location{path, 0}, {}, "pack file is not a regular file");
  }
  // Checked before reading so a huge file is never loaded into memory.
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw PackError(Location{path, 0}, {}, "cannot read pack file: " + ec.message());
  if (size > limits.max_pack_bytes) {
    throw PackError(Location{path, 0}, {}, "pack file is " + std::to_string(size) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_pack_bytes) +
                                               " (PackLimits::max_pack_bytes)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw PackError(Location{path, 0}, {}, "cannot read pack file");
  std::string base = std::filesystem::path(path).parent_path().generic_string();
  if (base.empty()) base = ".";
  return load_pack_string(text, path, base, limits);
}

}  // namespace rules
}  // namespace v1
}  // namespace vigil

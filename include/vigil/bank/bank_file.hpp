// vigil: loading bank files. Loading is all-or-nothing: the whole file is parsed and validated
// first; any bad line throws BankFileError naming the file and line, and nothing is added.
//
// Accepted formats (detected from the first non-blank, non-comment line; '#' starts a comment):
//   1. One hex hash per line, optionally ",label":      d8f8f0ce...9b22,bridge photo
//   2. CSV with a header naming the columns: hash (or signal / signal_value), and optionally
//      label (or content_id / name / filename), bank (or bank_name), signal_type (or type),
//      quality. Quoted fields ("a, b" with "" for a quote) are allowed.
//   3. Typed lines as hash-exchange tools list signals: "<signal_type> <hash> [label...]",
//      e.g. "pdq d8f8f0ce...9b22" or "video_md5 0cc175b9c0f1b6a831c399e269772661".
//   4. The PDQ reference tool's output: "hash,quality,filename" lines, and its
//      "hash=...,norm=...,quality=...,filename=..." detail lines (label = filename).
// The signal type comes from the line (formats 3, 4, a signal_type column) or the options; 32 hex
// digits are MD5 and 16 are SimHash-64, but 64 digits are PDQ or SHA-256, so plain lists of those
// need LoadOptions::signal.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigil/bank/bank.hpp"
#include "vigil/bank/signal.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

/// A malformed bank file: the message starts with "file:line: ".
class BankFileError : public BankError {
 public:
  BankFileError(const std::string& file, std::size_t line, const std::string& what)
      : BankError(file + ":" + std::to_string(line) + ": " + what), file_(file), line_(line) {}
  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

struct LoadOptions {
  std::string bank;                  // bank for entries without a bank column (default: file stem)
  std::optional<SignalType> signal;  // for plain lists of 64-hex hashes, or to insist on one type
  BankRole role = BankRole::positive;
  int radius = -1;                   // bank radius (-1: the signal's default)
  int min_quality = 0;               // PDQ entries with a known lower quality are skipped
  // Limits for files from outside (an exchange): past them the load fails with a BankError naming
  // the file and the limit, before memory grows further.
  std::size_t max_entries = 10'000'000;  // entries one file may add and one bank may hold
  std::uint64_t max_file_bytes = std::uint64_t{1} << 30;  // size of a bank file or text (1 GiB)
};

namespace detail {

struct StagedEntry {
  std::string bank;
  SignalType signal;
  std::string hash;
  std::string label;
  bool default_bank = true;  // no bank column value: named after the file/options
};

/// Entries of several signal types that fell to the default bank go to "<bank>-<signal>".
inline void split_default_bank_by_signal(std::vector<StagedEntry>& entries) {
  const StagedEntry* first = nullptr;
  bool mixed = false;
  for (const auto& e : entries) {
    if (!e.default_bank) continue;
    if (first == nullptr) first = &e;
    else if (e.signal != first->signal) mixed = true;
  }
  if (!mixed) return;
  for (auto& e : entries) {
    if (e.default_bank) e.bank += std::string("-") + signal_name(e.signal);
  }
}

inline std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines). False on a stray quote.
inline bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"' && trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : trim(field));
      field.clear();
      was_quoted = false;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) return false;
  fields.push_back(was_quoted ? field : trim(field));
  return true;
}

/// Refuses a stream longer than the byte limit before reading it, when its length is known.
inline void check_stream_size(std::istream& in, const std::string& file_name, const LoadOptions& opt) {
  const auto start = in.tellg();
  if (start == std::streampos(-1) || !in.seekg(0, std::ios::end)) {
    in.clear();
    return;  // not seekable: parse_bank_text counts the bytes as it reads
  }
  const auto end = in.tellg();
  in.seekg(start);
  const auto size = static_cast<std::uint64_t>(end - start);
  if (size > opt.max_file_bytes) {
    throw BankError(file_name + ": bank file is " + std::to_string(size) + " bytes; the limit is " +
                    std::to_string(opt.max_file_bytes) + " (LoadOptions::max_file_bytes)");
  }
}

inline bool looks_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return hash::detail::hex_digit_value(c) >= 0; });
}

/// The signal type of a hash text from its length, or the options' type; nullopt if ambiguous.
inline std::optional<SignalType> infer_signal(std::string_view hex, const LoadOptions& opt) {
  if (opt.signal) return opt.signal;
  if (hex.size() == 32) return SignalType::md5;
  if (hex.size() == 16) return SignalType::simhash64;
  return std::nullopt;
}

enum class Format { plain, csv_header, typed, pdq_tool, pdq_details };

struct Columns {
  int hash = -1, label = -1, bank = -1, signal = -1, quality = -1;
};

inline int column_of(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (const char* n : names) if (lower(header[i]) == n) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace detail

namespace detail {

/// A record's hash, label, bank and signal type, before validation.
struct ParsedRecord {
  StagedEntry entry;
  std::optional<SignalType> signal;
  int quality = -1;  // -1: unknown
};

/// Thrown inside the parser; parse_bank_text adds file and line.
struct RecordError {
  std::string what;
};

inline int parse_quality(const std::string& text) {
  try {
    std::size_t used = 0;
    const int q = std::stoi(text, &used);
    if (used == text.size()) return q;
  } catch (...) {
  }
  throw RecordError{"bad quality '" + text + "'"};
}

inline Format detect_format(const std::string& line, const std::vector<std::string>& f) {
  if (line.rfind("hash=", 0) == 0) return Format::pdq_details;
  if (!looks_hex(f[0]) && column_of(f, {"hash", "signal", "signal_value"}) >= 0) return Format::csv_header;
  if (f.size() == 1 && line.find_first_of(" \t") != std::string::npos) return Format::typed;
  if (f.size() == 3 && f[0].size() == 64 && !f[1].empty() &&
      std::all_of(f[1].begin(), f[1].end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return Format::pdq_tool;
  }
  return Format::plain;
}

inline void parse_csv_record(const std::vector<std::string>& f, const Columns& cols, const LoadOptions& opt,
                             ParsedRecord& r) {
  const auto get = [&](int c) { return c >= 0 && c < static_cast<int>(f.size()) ? f[c] : std::string(); };
  if (cols.hash >= static_cast<int>(f.size())) throw RecordError{"missing hash column"};
  r.entry.hash = get(cols.hash);
  r.entry.label = get(cols.label);
  if (!get(cols.bank).empty()) {
    r.entry.bank = get(cols.bank);
    r.entry.default_bank = false;
  }
  if (!get(cols.signal).empty()) {
    r.signal = parse_signal_name(get(cols.signal));
    if (!r.signal) throw RecordError{"unknown signal type '" + get(cols.signal) + "'"};
    if (opt.signal && *opt.signal != *r.signal) throw RecordError{"signal type differs from the requested one"};
  } else {
    r.signal = infer_signal(r.entry.hash, opt);
  }
  if (!get(cols.quality).empty()) r.quality = parse_quality(get(cols.quality));
}

inline void parse_typed_record(const std::string& line, ParsedRecord& r) {
  std::istringstream words(line);
  std::string type;
  words >> type >> r.entry.hash;
  std::getline(words, r.entry.label);
  r.entry.label = trim(r.entry.label);
  r.signal = parse_signal_name(type);
  if (!r.signal) throw RecordError{"unknown signal type '" + type + "'"};
}

inline void parse_pdq_details(const std::vector<std::string>& f, ParsedRecord& r) {
  r.signal = SignalType::pdq;
  for (const auto& kv : f) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw RecordError{"expected key=value fields, got '" + kv + "'"};
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    if (key == "hash") r.entry.hash = value;
    else if (key == "filename") r.entry.label = value;
    else if (key == "quality") r.quality = parse_quality(value);
  }
}

/// One data record in the detected format.
inline ParsedRecord parse_record(Format format, const std::string& line, const std::vector<std::string>& f,
                                 const Columns& cols, const LoadOptions& opt) {
  ParsedRecord r{StagedEntry{opt.bank, SignalType::md5, "", "", true}, std::nullopt, -1};
  switch (format) {
    case Format::plain:
      if (f.size() > 2) throw RecordError{"expected 'hash' or 'hash,label', got " + std::to_string(f.size()) + " fields"};
      r.entry.hash = f[0];
      if (f.size() == 2) r.entry.label = f[1];
      r.signal = infer_signal(r.entry.hash, opt);
      break;
    case Format::csv_header: parse_csv_record(f, cols, opt, r); break;
    case Format::typed: parse_typed_record(line, r); break;
    case Format::pdq_tool:
      if (f.size() != 3) throw RecordError{"expected 'hash,quality,filename'"};
      r.entry.hash = f[0];
      r.entry.label = f[2];
      r.signal = SignalType::pdq;
      r.quality = parse_quality(f[1]);
      break;
    case Format::pdq_details: parse_pdq_details(f, r); break;
  }
  if (!r.signal) {
    throw RecordError{"cannot tell the signal type of a " + std::to_string(r.entry.hash.size()) +
                      "-digit hash (PDQ or SHA-256?): set the signal type"};
  }
  r.entry.signal = *r.signal;
  if (!valid_hash_text(r.entry.signal, r.entry.hash)) {
    throw RecordError{std::string("not a ") + signal_name(r.entry.signal) + " hash (" +
                      std::to_string(signal_hex_length(r.entry.signal)) + " hex digits): '" +
                      r.entry.hash.substr(0, 80) + "'"};
  }
  if (r.entry.bank.empty()) throw RecordError{"no bank name for this entry"};
  return r;
}

}  // namespace detail

/// Parses bank text (from `file_name`, used in messages) into staged entries; throws
/// BankFileError naming the file and line on the first bad record.
inline std::vector<detail::StagedEntry> parse_bank_text(std::istream& in, const std::string& file_name,
                                                       const LoadOptions& opt) {
  using namespace detail;
  std::vector<StagedEntry> entries;
  std::optional<Format> format;
  Columns cols;
  std::vector<std::string> fields;
  std::string raw;
  std::size_t line_no = 0;
  std::uint64_t bytes_read = 0;
  check_stream_size(in, file_name, opt);
  while (std::getline(in, raw)) {
    ++line_no;
    bytes_read += raw.size() + 1;
    if (bytes_read > opt.max_file_bytes + 1) {
      throw BankFileError(file_name, line_no, "bank file is larger than " + std::to_string(opt.max_file_bytes) +
                                                  " bytes (LoadOptions::max_file_bytes)");
    }
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    try {
      if (!split_csv(line, fields)) throw RecordError{"unterminated quoted field"};
      if (!format) {
        format = detect_format(line, fields);
        if (*format == Format::csv_header) {
          cols = {column_of(fields, {"hash", "signal", "signal_value"}),
                  column_of(fields, {"label", "content_id", "name", "filename"}),
                  column_of(fields, {"bank", "bank_name"}), column_of(fields, {"signal_type", "type"}),
                  column_of(fields, {"quality"})};
          continue;
        }
      }
      ParsedRecord r = parse_record(*format, line, fields, cols, opt);
      if (r.entry.signal == SignalType::pdq && r.quality >= 0 && r.quality < opt.min_quality) continue;
      if (entries.size() == opt.max_entries) {
        throw RecordError{"more than " + std::to_string(opt.max_entries) +
                          " entries (LoadOptions::max_entries)"};
      }
      entries.push_back(std::move(r.entry));
    } catch (const RecordError& e) {
      throw BankFileError(file_name, line_no, e.what);
    }
  }
  split_default_bank_by_signal(entries);
  return entries;
}

namespace detail {

/// Each bank's size after the load must stay within LoadOptions::max_entries.
inline void check_bank_sizes(const BankSet& banks, const std::vector<StagedEntry>& entries,
                             const LoadOptions& opt, const std::string& file_name) {
  std::unordered_map<std::string, std::size_t> added;
  for (const auto& e : entries) ++added[e.bank];
  for (const auto& [name, count] : added) {
    const Bank* b = banks.find(name);
    const std::size_t total = count + (b != nullptr ? b->size() : 0);
    if (total > opt.max_entries) {
      throw BankError(file_name + ": bank '" + name + "' would hold " + std::to_string(total) +
                      " entries; the limit is " + std::to_string(opt.max_entries) +
                      " (LoadOptions::max_entries)");
    }
  }
}

}  // namespace detail

/// Adds staged entries to `banks`, creating banks as needed; validates everything before
/// changing anything (a bank that exists with another signal type is an error).
inline std::size_t commit_entries(BankSet& banks, const std::vector<detail::StagedEntry>& entries,
                                  const LoadOptions& opt, const std::string& file_name) {
  std::vector<Bank> created;
  const auto signal_of = [&](const std::string& name) -> std::optional<SignalType> {
    if (const Bank* b = banks.find(name)) return b->signal();
    for (const Bank& b : created) if (b.name() == name) return b.signal();
    return std::nullopt;
  };
  detail::check_bank_sizes(banks, entries, opt, file_name);
  for (const auto& e : entries) {
    const auto existing = signal_of(e.bank);
    if (!existing) created.emplace_back(e.bank, e.signal, opt.role, opt.radius);
    else if (*existing != e.signal) {
      throw BankError(file_name + ": bank '" + e.bank + "' holds " + signal_name(*existing) + ", entry is " +
                      signal_name(e.signal));
    }
  }
  for (Bank& b : created) banks.add_bank(std::move(b));
  for (const auto& e : entries) banks.bank(e.bank).add(e.hash, e.label);
  for (std::size_t i = 0; i < banks.size(); ++i) const_cast<Bank&>(banks.at(i)).finish_loading();
  return entries.size();
}

/// Loads a bank file into `banks` (all or nothing). Returns the number of entries added.
inline std::size_t load_bank_file(BankSet& banks, const std::string& path, LoadOptions opt = {}) {
  std::ifstream in(path);
  if (!in) throw BankError("cannot open bank file '" + path + "'");
  if (opt.bank.empty()) {  // default bank name: the file name without directory and extension
    const auto slash = path.find_last_of("/\\");
    opt.bank = path.substr(slash == std::string::npos ? 0 : slash + 1);
    opt.bank = opt.bank.substr(0, opt.bank.find('.'));
  }
  const auto entries = parse_bank_text(in, path, opt);
  return commit_entries(banks, entries, opt, path);
}

/// The same from text in memory (`name` stands for the file in messages and as default bank).
inline std::size_t load_bank_text(BankSet& banks, std::string_view text, const std::string& name,
                                  LoadOptions opt = {}) {
  std::istringstream in{std::string(text)};
  if (opt.bank.empty()) opt.bank = name;
  return commit_entries(banks, parse_bank_text(in, name, opt), opt, name);
}

}  // namespace bank
}  // namespace v1
}  // namespace vigil

// vigil CLI: reading inputs: whole files, lines of large files, and JSONL messages.
#pragma once

#include <simdjson.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "vigil/score/json.hpp"

namespace vigil_cli {

/// Reads a file or standard input ("-") line by line in large blocks; lines of any length.
class LineReader {
 public:
  explicit LineReader(const std::string& name) : label_(name == "-" ? "<stdin>" : name) {
    if (name == "-") {
      file_ = stdin;
    } else {
      file_ = std::fopen(name.c_str(), "rb");
      if (file_ == nullptr) error_ = std::strerror(errno);
      own_ = true;
    }
    if (file_ != nullptr) {
      struct stat st {};
      if (fstat(fileno(file_), &st) == 0 && S_ISREG(st.st_mode))
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
  }
  ~LineReader() {
    if (own_ && file_ != nullptr) std::fclose(file_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Next line without its '\n'; false at the end (or on a read error, see error()).
  bool next(std::string& line) {
    line.clear();
    if (file_ == nullptr) return false;
    for (;;) {
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
      if (nl != nullptr) {
        std::size_t n = static_cast<const char*>(nl) - start;
        line.append(start, n);
        pos_ += n + 1;
        consumed_ += n + 1;
        return true;
      }
      line.append(start, buf_.size() - pos_);
      consumed_ += buf_.size() - pos_;
      pos_ = buf_.size();
      if (!fill()) return !line.empty();
    }
  }

  const std::string& label() const { return label_; }
  const std::string& error() const { return error_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t consumed() const { return consumed_; }

 private:
  bool fill() {
    buf_.resize(kBlock);
    std::size_t n = std::fread(buf_.data(), 1, kBlock, file_);
    buf_.resize(n);
    pos_ = 0;
    if (n == 0 && std::ferror(file_)) error_ = std::string("read error: ") + std::strerror(errno);
    return n > 0;
  }

  static constexpr std::size_t kBlock = 1u << 20;
  std::string label_;
  std::FILE* file_ = nullptr;
  bool own_ = false;
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t size_ = 0, consumed_ = 0;
  std::string error_;
};

/// Read a whole file (or standard input for "-"). On failure returns false and says why.
inline bool read_whole(const std::string& name, std::string& out, std::string& error) {
  std::FILE* f = name == "-" ? stdin : std::fopen(name.c_str(), "rb");
  if (f == nullptr) {
    error = std::strerror(errno);
    return false;
  }
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) error = std::string("read error: ") + std::strerror(errno);
  return !failed;
}

/// A JSONL message: its id as JSON (echoed), a label for tables, and its text.
struct JsonMessage {
  std::string id_json = "null";
  std::string id_label;
  std::string_view text;  ///< valid until the parser parses again
};

namespace detail {

inline std::string_view trim_token(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' ||
                        t.back() == '\n' || t.back() == ',' || t.back() == '}'))
    t.remove_suffix(1);
  return t;
}

}  // namespace detail

/// Parse {"id": string|number, "text": string, ...}. Returns "" or the reason it is invalid.
inline std::string parse_json_message(simdjson::ondemand::parser& parser,
                                      simdjson::padded_string_view line, JsonMessage& msg) {
  using namespace simdjson;
  std::string_view whole(line.data(), line.size());
  while (!whole.empty() && (whole.back() == ' ' || whole.back() == '\t' || whole.back() == '\r'))
    whole.remove_suffix(1);
  if (whole.empty() || whole.back() != '}') return "each line must be one JSON object";
  ondemand::document doc;
  ondemand::object obj;
  if (auto err = parser.iterate(line).get(doc)) return std::string("invalid JSON: ") + error_message(err);
  if (doc.get_object().get(obj)) return "each line must be a JSON object";
  bool have_text = false;
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return std::string("invalid JSON: ") + error_message(err);
    ondemand::value value;
    if (auto err = field.value().get(value)) return std::string("invalid JSON: ") + error_message(err);
    if (key == "text") {
      if (value.get_string().get(msg.text)) return "\"text\" must be a string";
      have_text = true;
    } else if (key == "id") {
      ondemand::json_type type;
      if (auto err = value.type().get(type)) return std::string("invalid JSON: ") + error_message(err);
      if (type == ondemand::json_type::string) {
        std::string_view s;
        if (value.get_string().get(s)) return "invalid \"id\" string";
        msg.id_label.assign(s);
        msg.id_json.clear();
        vigil::detail::append_json_string(msg.id_json, s);
      } else if (type == ondemand::json_type::number) {
        msg.id_json.assign(detail::trim_token(value.raw_json_token()));
        msg.id_label = msg.id_json;
      } else {
        return "\"id\" must be a string or a number";
      }
    }
  }
  if (!have_text) return "no \"text\" field";
  return {};
}

}  // namespace vigil_cli

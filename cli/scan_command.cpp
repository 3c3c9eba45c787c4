// vigil scan: one verdict per message, as JSONL (default) or a table.
#include <simdjson.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

#include "commands.hpp"
#include "input.hpp"
#include "progress.hpp"
#include "vigil/scanner.hpp"
#include "vigil/score/json.hpp"

namespace vigil_cli {
namespace {

struct BankFile {
  std::string path;
  vigil::BankAction action;
};

struct ScanOptions {
  EngineSource engine;
  bool jsonl = false;
  bool table = false;
  std::vector<BankFile> banks;
  vigil::ScannerOptions scanner;
  std::vector<std::string> files;
};

ScanOptions parse_scan_args(const std::vector<std::string>& args) {
  ScanOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) {
      if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--pack") o.engine.pack_path = value("--pack");
    else if (a == "--engine") o.engine.engine_path = value("--engine");
    else if (a == "--jsonl") o.jsonl = true;
    else if (a == "--bank") o.banks.push_back({value("--bank"), vigil::BankAction::block});
    else if (a == "--review-bank") o.banks.push_back({value("--review-bank"), vigil::BankAction::review});
    else if (a == "--allow-bank") o.banks.push_back({value("--allow-bank"), vigil::BankAction::allow});
    else if (a == "--dihedral") o.scanner.dihedral = true;
    else if (a == "--no-squash") o.scanner.squash = false;
    else if (a == "--format") {
      std::string f = value("--format");
      if (f == "table") o.table = true;
      else if (f != "jsonl") throw UsageError("--format must be jsonl or table, not '" + f + "'");
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      throw UsageError("scan: unknown option '" + a + "'");
    } else {
      o.files.push_back(a);
    }
  }
  if (!o.engine.pack_path.empty() && !o.engine.engine_path.empty())
    throw UsageError("scan: give --pack or --engine, not both");
  if (o.files.empty()) o.files.push_back("-");
  return o;
}

/// Writes verdicts in input order, buffered.
class VerdictWriter {
 public:
  explicit VerdictWriter(bool table) : table_(table) {
    if (table_) buf_ += "MESSAGE                          VERDICT  SCORE  HITS\n";
  }
  ~VerdictWriter() { flush(); }

  void write(const vigil::Verdict& v, std::string_view key, std::string_view key_json,
             std::string_view label) {
    if (v.decision != vigil::Decision::allow) flagged_ = true;
    if (table_) write_row(v, label);
    else {
      vigil::append_verdict_json(buf_, v, key, key_json);
      buf_ += '\n';
    }
    if (buf_.size() >= (1u << 16)) flush();
  }
  void flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
    std::fflush(stdout);
  }
  bool flagged() const { return flagged_; }

 private:
  void write_row(const vigil::Verdict& v, std::string_view label) {
    char line[96];
    std::string name(label.substr(0, 32));
    std::snprintf(line, sizeof line, "%-32s %-7s %6.2f ", name.c_str(), vigil::to_string(v.decision),
                  v.score);
    buf_ += line;
    for (std::size_t i = 0; i < v.hits.size(); ++i) {
      const vigil::Hit& h = v.hits[i];
      if (i) buf_ += ", ";
      buf_ += h.rule + "(" + std::to_string(h.start) + "-" + std::to_string(h.end) + ")";
    }
    bool first = v.hits.empty();
    for (const vigil::BankMatch& b : v.bank_hits) {
      if (b.suppressed || b.action == vigil::BankAction::allow) continue;
      if (!first) buf_ += ", ";
      first = false;
      buf_ += b.bank + ":" + b.label + "[" + std::to_string(b.distance) + "]";
    }
    buf_ += '\n';
  }

  bool table_;
  bool flagged_ = false;
  std::string buf_;
};

struct Counters {
  std::uint64_t bytes = 0, messages = 0;
  bool errors = false;
};

void report(Counters& c, const std::string& where, const std::string& what) {
  std::fprintf(stderr, "vigil: %s: %s\n", where.c_str(), what.c_str());
  c.errors = true;
}

/// One JSONL line: {"id": ..., "text": "..."}. Returns false (after reporting) when invalid.
/// `v` is reused from line to line: its storage is kept, every field overwritten.
bool scan_json_line(const vigil::Scanner& scanner, simdjson::ondemand::parser& parser,
                    std::string& line, const std::string& where, vigil::Verdict& v,
                    VerdictWriter& out, Counters& c) {
  std::size_t size = line.size();
  line.reserve(size + simdjson::SIMDJSON_PADDING);
  simdjson::padded_string_view view(line.data(), size, line.capacity());
  JsonMessage msg;
  std::string error = parse_json_message(parser, view, msg);
  if (!error.empty()) {
    report(c, where, error);
    return false;
  }
  scanner.scan_text(msg.text, v);
  out.write(v, "id", msg.id_json, msg.id_label);
  return true;
}

void scan_jsonl_input(const vigil::Scanner& scanner, const std::string& name, VerdictWriter& out,
                      Counters& c) {
  LineReader reader(name);
  Progress progress(reader.size());
  simdjson::ondemand::parser parser;
  std::string line;
  vigil::Verdict verdict;
  std::uint64_t lineno = 0;
  while (reader.next(line)) {
    ++lineno;
    c.bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (scan_json_line(scanner, parser, line, reader.label() + ":" + std::to_string(lineno), verdict,
                       out, c))
      ++c.messages;
    progress.update(reader.consumed(), c.messages);
  }
  progress.finish();
  if (!reader.error().empty()) report(c, reader.label(), reader.error());
}

void scan_whole_input(const vigil::Scanner& scanner, const std::string& name, VerdictWriter& out,
                      Counters& c) {
  std::string data, error;
  if (!read_whole(name, data, error)) {
    report(c, name, error);
    return;
  }
  vigil::Verdict v;
  try {
    v = scanner.scan_file(data);
  } catch (const vigil::image::ImageDecodeError& e) {
    report(c, name, e.what());
    return;
  }
  std::string key;
  vigil::detail::append_json_string(key, name);
  out.write(v, "file", key, name);
  c.bytes += data.size();
  ++c.messages;
}

/// All bank files, or an error naming the file (and line): nothing is scanned with half the banks.
std::shared_ptr<const vigil::ScanBanks> load_banks(const std::vector<BankFile>& files) {
  if (files.empty()) return nullptr;
  auto banks = std::make_shared<vigil::ScanBanks>();
  for (const BankFile& f : files) banks->load_file(f.path, f.action);
  return banks;
}

}  // namespace

int run_scan(const std::vector<std::string>& args) {
  ScanOptions o = parse_scan_args(args);
  auto banks = load_banks(o.banks);
  auto scanner = vigil::Scanner::create(open_engine(o.engine, false), std::move(banks), o.scanner);
  VerdictWriter out(o.table);
  Counters c;
  for (const std::string& name : o.files) {
    if (o.jsonl) scan_jsonl_input(*scanner, name, out, c);
    else scan_whole_input(*scanner, name, out, c);
  }
  out.flush();
  if (c.errors) return kError;
  return out.flagged() ? kFlagged : kAllowed;
}

}  // namespace vigil_cli

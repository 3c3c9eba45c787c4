// vigil from C++: read JSONL messages {"id": ..., "text": ...} on stdin, print one verdict JSON
// line per message on stdout — the same bytes as `vigil scan --jsonl -`. Uses the stable C ABI
// through small RAII owners (simdjson parses the input).
//
//   examples/cpp/run < examples/inputs/messages.jsonl
#include <simdjson.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigil.h"

namespace {

struct EngineFree {
  void operator()(vigil_engine* e) const { vigil_engine_free(e); }
};
struct BatchFree {
  void operator()(vigil_batch* b) const { vigil_batch_free(b); }
};
using Engine = std::unique_ptr<vigil_engine, EngineFree>;
using Batch = std::unique_ptr<vigil_batch, BatchFree>;

void check(int rc) {
  if (rc < 0) throw std::runtime_error(std::string(vigil_error_name(rc)) + ": " + vigil_last_error());
}

struct Message {
  std::string id;  // the id's text (string ids unescaped, numbers as written)
  unsigned flags = VIGIL_JSON_ID_STRING;
  bool has_id = false;
  std::string text;
};

/// Scan the pending messages in one call and write their JSON lines.
void flush(const Engine& engine, std::vector<Message>& pending, std::string& out) {
  if (pending.empty()) return;
  std::vector<const char*> texts;
  std::vector<size_t> lens;
  for (const Message& m : pending) {
    texts.push_back(m.text.data());
    lens.push_back(m.text.size());
  }
  vigil_batch* raw = nullptr;
  check(vigil_scan_batch(engine.get(), texts.data(), lens.data(), pending.size(), nullptr, &raw));
  Batch batch(raw);
  std::string json;
  for (size_t i = 0; i < pending.size(); ++i) {
    const Message& m = pending[i];
    size_t need = 0;
    json.resize(json.capacity() > 256 ? json.capacity() : 256);
    int rc = vigil_verdict_json_into(vigil_batch_verdict(batch.get(), i), m.has_id ? m.id.data() : nullptr,
                                     m.id.size(), m.flags, json.data(), json.size(), &need);
    if (rc == VIGIL_E_BUFFER_TOO_SMALL) {
      json.resize(need + 1);
      rc = vigil_verdict_json_into(vigil_batch_verdict(batch.get(), i), m.has_id ? m.id.data() : nullptr,
                                   m.id.size(), m.flags, json.data(), json.size(), &need);
    }
    check(rc);
    out.append(json.data(), need);
    out += '\n';
  }
  pending.clear();
}

}  // namespace

int main() try {
  vigil_engine* raw = nullptr;
  check(vigil_engine_open_default(nullptr, &raw));
  Engine engine(raw);
  simdjson::ondemand::parser parser;
  std::vector<Message> pending;
  std::string line, out;
  int status = 0;
  size_t lineno = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::padded_string padded(line);
    Message m;
    bool ok = false;
    try {
      simdjson::ondemand::document doc = parser.iterate(padded);
      simdjson::ondemand::object obj = doc.get_object();
      bool have_text = false;
      for (auto field : obj) {
        std::string_view key = field.unescaped_key();
        simdjson::ondemand::value value = field.value();
        if (key == "text") {
          m.text = std::string(std::string_view(value.get_string()));
          have_text = true;
        } else if (key == "id") {
          if (value.type() == simdjson::ondemand::json_type::string) {
            m.id = std::string(std::string_view(value.get_string()));
          } else {
            std::string_view raw_id = value.raw_json_token();  // numbers as written
            while (!raw_id.empty() && (raw_id.back() == ' ' || raw_id.back() == '\t' ||
                                       raw_id.back() == ',' || raw_id.back() == '}' ||
                                       raw_id.back() == '\r'))
              raw_id.remove_suffix(1);
            m.id = std::string(raw_id);
            m.flags = VIGIL_JSON_ID_RAW;
          }
          m.has_id = true;
        }
      }
      ok = have_text;
    } catch (const simdjson::simdjson_error&) {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "example: <stdin>:%zu: not a {\"id\",\"text\"} JSON object\n", lineno);
      status = 2;
      continue;
    }
    pending.push_back(std::move(m));
    if (pending.size() == 1000) {
      flush(engine, pending, out);
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  flush(engine, pending, out);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return status;
} catch (const std::exception& e) {
  std::fprintf(stderr, "example: %s\n", e.what());
  return 2;
}

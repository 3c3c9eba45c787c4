// vigil: the C ABI's verdicts — decision, score, categories and rule hits, and their JSON.
// (Bank hits are read in vigil_scanner.cpp.)
#include "detail_api.hpp"

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/engine.hpp"
#include "vigil/score/json.hpp"

using namespace vigil_capi;

namespace {

/// A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

/// Check the id arguments and render the verdict into `out`. Returns 0 or an error code.
int render_json(const char* fn, const vigil_verdict* verdict, const char* id, std::size_t id_len,
                unsigned flags, std::string& out) {
  VIGIL_REQUIRE(verdict != nullptr, fn, "verdict is NULL");
  VIGIL_REQUIRE((flags & ~(VIGIL_JSON_ID_RAW | VIGIL_JSON_KEY_FILE)) == 0, fn, "unknown flags");
  VIGIL_REQUIRE(id != nullptr || id_len == 0, fn, "id is NULL with id_len > 0");
  std::string_view key_json = "null";
  std::string quoted;
  if (id != nullptr) {
    std::string_view raw(id, id_len);
    if ((flags & VIGIL_JSON_ID_RAW) != 0) {
      VIGIL_REQUIRE(is_json_number(raw), fn, "a VIGIL_JSON_ID_RAW id must be a JSON number");
      key_json = raw;
    } else {
      vigil::detail::append_json_string(quoted, raw);
      key_json = quoted;
    }
  }
  out.clear();
  vigil::append_verdict_json(out, verdict->v, (flags & VIGIL_JSON_KEY_FILE) ? "file" : "id", key_json);
  return VIGIL_OK;
}

const vigil::Hit* hit_at(const char* fn, const vigil_verdict* v, std::size_t i) noexcept {
  return entry_at(fn, v, &vigil::Verdict::hits, i, "hit index out of range");
}

const vigil::CategoryScore* category_at(const char* fn, const vigil_verdict* v,
                                        std::size_t i) noexcept {
  return entry_at(fn, v, &vigil::Verdict::categories, i, "category index out of range");
}

/// Hand a rendered JSON text to the caller as a vigil_free()-able copy.
int give_json(const std::string& text, char** json, size_t* json_len) {
  *json = copy_out(text);
  if (json_len != nullptr) *json_len = text.size();
  return VIGIL_OK;
}

}  // namespace

extern "C" {

void vigil_verdict_free(vigil_verdict* verdict) { delete verdict; }

int vigil_verdict_decision(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_decision: verdict is NULL");
  return static_cast<int>(verdict->v.decision);
}

double vigil_verdict_score(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_score: verdict is NULL"), kNaN;
  return verdict->v.score;
}

uint64_t vigil_verdict_invalid_bytes(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_invalid_bytes: verdict is NULL"), 0;
  return verdict->v.invalid_bytes;
}

size_t vigil_verdict_category_count(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_category_count: verdict is NULL"), 0;
  return verdict->v.categories.size();
}

const char* vigil_verdict_category_name(const vigil_verdict* verdict, size_t i) {
  const vigil::CategoryScore* c = category_at("vigil_verdict_category_name", verdict, i);
  return c ? c->name.c_str() : nullptr;
}

double vigil_verdict_category_score(const vigil_verdict* verdict, size_t i) {
  const vigil::CategoryScore* c = category_at("vigil_verdict_category_score", verdict, i);
  return c ? c->score : kNaN;
}

size_t vigil_verdict_hit_count(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_hit_count: verdict is NULL"), 0;
  return verdict->v.hits.size();
}

const char* vigil_verdict_hit_rule(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_rule", verdict, i);
  return h ? h->rule.c_str() : nullptr;
}

const char* vigil_verdict_hit_category(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_category", verdict, i);
  return h ? h->category.c_str() : nullptr;
}

double vigil_verdict_hit_weight(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_weight", verdict, i);
  return h ? h->weight : kNaN;
}

uint64_t vigil_verdict_hit_start(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_start", verdict, i);
  return h ? h->start : 0;
}

uint64_t vigil_verdict_hit_end(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_end", verdict, i);
  return h ? h->end : 0;
}

const char* vigil_verdict_hit_text(const vigil_verdict* verdict, size_t i, size_t* len) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_text", verdict, i);
  if (len != nullptr) *len = h ? h->text.size() : 0;
  return h ? h->text.c_str() : nullptr;
}

int vigil_verdict_hit_is_composite(const vigil_verdict* verdict, size_t i) {
  const vigil::Hit* h = hit_at("vigil_verdict_hit_is_composite", verdict, i);
  if (h == nullptr) return VIGIL_E_INVALID;
  return h->composite ? 1 : 0;
}

int vigil_verdict_get_summary(const vigil_verdict* verdict, vigil_verdict_summary* out) {
  static const char fn[] = "vigil_verdict_get_summary";
  VIGIL_REQUIRE(verdict != nullptr, fn, "verdict is NULL");
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(out->struct_size >= VIGIL_FIELD_END(vigil_verdict_summary, decision), fn,
                "out->struct_size is too small");
  const vigil::Verdict& v = verdict->v;
  out->decision = static_cast<int>(v.decision);
  if (VIGIL_HAS_FIELD(out, vigil_verdict_summary, score)) out->score = v.score;
  if (VIGIL_HAS_FIELD(out, vigil_verdict_summary, category_count)) out->category_count = v.categories.size();
  if (VIGIL_HAS_FIELD(out, vigil_verdict_summary, hit_count)) out->hit_count = v.hits.size();
  if (VIGIL_HAS_FIELD(out, vigil_verdict_summary, invalid_bytes)) out->invalid_bytes = v.invalid_bytes;
  return VIGIL_OK;
}

int vigil_verdict_get_hit(const vigil_verdict* verdict, size_t i, vigil_hit_info* out) {
  static const char fn[] = "vigil_verdict_get_hit";
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(out->struct_size >= VIGIL_FIELD_END(vigil_hit_info, composite), fn,
                "out->struct_size is too small");
  const vigil::Hit* h = hit_at(fn, verdict, i);
  if (h == nullptr) return VIGIL_E_INVALID;
  out->rule = h->rule.c_str();
  out->rule_len = h->rule.size();
  out->category = h->category.c_str();
  out->category_len = h->category.size();
  out->weight = h->weight;
  out->start = h->start;
  out->end = h->end;
  out->text = h->text.c_str();
  out->text_len = h->text.size();
  out->composite = h->composite ? 1 : 0;
  return VIGIL_OK;
}

int vigil_verdict_json(const vigil_verdict* verdict, const char* id, size_t id_len,
                       unsigned flags, char** json, size_t* json_len) {
  static const char fn[] = "vigil_verdict_json";
  null_out(json);
  VIGIL_REQUIRE(json != nullptr, fn, "json is NULL");
  return guarded(fn, [&] {
    std::string out;
    int rc = render_json(fn, verdict, id, id_len, flags, out);
    if (rc != VIGIL_OK) return rc;
    return give_json(out, json, json_len);
  });
}

int vigil_verdict_json_into(const vigil_verdict* verdict, const char* id, size_t id_len,
                            unsigned flags, char* buf, size_t cap, size_t* written) {
  static const char fn[] = "vigil_verdict_json_into";
  VIGIL_REQUIRE(buf != nullptr || cap == 0, fn, "buf is NULL with cap > 0");
  return guarded(fn, [&] {
    thread_local std::string scratch;
    int rc = render_json(fn, verdict, id, id_len, flags, scratch);
    if (rc != VIGIL_OK) return rc;
    if (written != nullptr) *written = scratch.size();
    if (scratch.size() + 1 > cap) {
      return fail(VIGIL_E_BUFFER_TOO_SMALL,
                  std::string(fn) + ": the JSON needs " + std::to_string(scratch.size() + 1) +
                      " bytes with its NUL, the buffer has " + std::to_string(cap));
    }
    std::memcpy(buf, scratch.data(), scratch.size());
    buf[scratch.size()] = '\0';
    return VIGIL_OK;
  });
}

int vigil_scan_json(const vigil_engine* engine, const char* text, size_t len, const char* id,
                    char** json, size_t* json_len) {
  static const char fn[] = "vigil_scan_json";
  null_out(json);
  VIGIL_REQUIRE(json != nullptr, fn, "json is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return guarded(fn, [&] {
    vigil_verdict v;
    v.v = engine->engine->scan(message_view(text, len));
    std::string out;
    int rc = render_json(fn, &v, id, id ? std::strlen(id) : 0, VIGIL_JSON_ID_STRING, out);
    if (rc != VIGIL_OK) return rc;
    return give_json(out, json, json_len);
  });
}

}  // extern "C"

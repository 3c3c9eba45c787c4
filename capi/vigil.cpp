// vigil: the compiled library behind vigil.h (the stable C ABI over the header-only core).
//
// Every entry point either cannot throw or runs its body inside guarded(), which maps C++
// exceptions to VIGIL_E_* codes and the thread-local message: no exception crosses the ABI.
#include "detail_api.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "vigil/default_pack.hpp"
#include "vigil/engine.hpp"
#include "vigil/score/json.hpp"

extern "C" {
extern const unsigned char vigil_default_pack_data[];
extern const size_t vigil_default_pack_size;
extern const unsigned char vigil_default_engine_data[];
extern const size_t vigil_default_engine_size;
}

struct vigil_batch {
  std::vector<vigil_verdict> verdicts;
};

struct vigil_stream {
  explicit vigil_stream(vigil::Stream s) : stream(std::move(s)) {}
  vigil::Stream stream;
  bool failed = false;
};

struct vigil_holder {
  std::shared_ptr<const vigil::Engine> current;  // accessed with std::atomic_load/store only
};

using namespace vigil_capi;

namespace {

vigil::EngineOptions engine_options(const vigil_engine_options* o) {
  vigil::EngineOptions out;
  if (o != nullptr && VIGIL_HAS_FIELD(o, vigil_engine_options, streaming))
    out.streaming = o->streaming != 0;
  return out;
}

unsigned batch_threads(const vigil_batch_options* o) {
  if (o != nullptr && VIGIL_HAS_FIELD(o, vigil_batch_options, threads)) return o->threads;
  return 0;
}

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

/// Scan `views` into a new batch, on up to `threads` threads.
vigil_batch* run_batch(const vigil::Engine& engine, const std::vector<std::string_view>& views,
                       unsigned threads) {
  auto batch = std::make_unique<vigil_batch>();
  std::size_t n = views.size();
  batch->verdicts.resize(n);
  std::size_t workers = threads <= 1 ? 1 : std::min<std::size_t>(threads, n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      try {
        batch->verdicts[i].v = engine.scan(views[i]);
      } catch (...) {
        std::string message;
        int code = code_of_current_exception(message);
        throw ApiError(code, "message " + std::to_string(i) + ": " + message);
      }
    }
    return batch.release();
  }
  // Work in chunks handed out by an atomic counter; the first failure stops everyone.
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(64, n / (workers * 8)));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::size_t error_index = n;
  int error_code = 0;
  std::string error_message;
  auto work = [&]() noexcept {
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      std::size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      std::size_t end = std::min(n, begin + chunk);
      for (std::size_t i = begin; i < end; ++i) {
        try {
          batch->verdicts[i].v = engine.scan(views[i]);
        } catch (...) {
          std::string message;
          int code = code_of_current_exception(message);
          std::lock_guard<std::mutex> lock(error_mutex);
          if (i < error_index) {
            error_index = i;
            error_code = code;
            try {
              error_message = std::move(message);
            } catch (...) {
            }
          }
          stop.store(true);
          return;
        }
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // fewer threads than asked: the others take up the work
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  if (error_index < n)
    throw ApiError(error_code, "message " + std::to_string(error_index) + ": " + error_message);
  return batch.release();
}

int scan_batch_impl(const char* fn, const std::shared_ptr<const vigil::Engine>& engine,
                    const char* const* texts, const size_t* lens, std::size_t n,
                    const vigil_batch_options* opts, vigil_batch** out) {
  VIGIL_REQUIRE(texts != nullptr || n == 0, fn, "texts is NULL with n > 0");
  VIGIL_REQUIRE(lens != nullptr || n == 0, fn, "lens is NULL with n > 0");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_batch_options, threads)), fn,
                "opts->struct_size is not a vigil_batch_options size this library knows");
  return guarded(fn, [&] {
    std::vector<std::string_view> views(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (texts[i] == nullptr && lens[i] > 0)
        throw ApiError(VIGIL_E_INVALID, "texts[" + std::to_string(i) + "] is NULL with length > 0");
      views[i] = message_view(texts[i], lens[i]);
    }
    *out = run_batch(*engine, views, batch_threads(opts));
    return VIGIL_OK;
  });
}

int scan_batch_packed_impl(const char* fn, const std::shared_ptr<const vigil::Engine>& engine,
                           const char* data, const size_t* offsets, std::size_t n,
                           const vigil_batch_options* opts, vigil_batch** out) {
  VIGIL_REQUIRE(offsets != nullptr, fn, "offsets is NULL (it needs n+1 entries)");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_batch_options, threads)), fn,
                "opts->struct_size is not a vigil_batch_options size this library knows");
  VIGIL_REQUIRE(data != nullptr || offsets[n] == offsets[0], fn,
                "data is NULL with non-empty messages");
  return guarded(fn, [&] {
    std::vector<std::string_view> views(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (offsets[i + 1] < offsets[i])
        throw ApiError(VIGIL_E_INVALID, "offsets[" + std::to_string(i + 1) + "] < offsets[" +
                                            std::to_string(i) + "]");
      views[i] = message_view(data == nullptr ? nullptr : data + offsets[i], offsets[i + 1] - offsets[i]);
    }
    *out = run_batch(*engine, views, batch_threads(opts));
    return VIGIL_OK;
  });
}

const vigil::Hit* hit_at(const char* fn, const vigil_verdict* v, std::size_t i) noexcept {
  if (v == nullptr) {
    fail(VIGIL_E_INVALID, invalid_message(fn, "verdict is NULL"));
    return nullptr;
  }
  if (i >= v->v.hits.size()) {
    fail(VIGIL_E_INVALID, invalid_message(fn, "hit index out of range"));
    return nullptr;
  }
  return &v->v.hits[i];
}

const vigil::CategoryScore* category_at(const char* fn, const vigil_verdict* v,
                                        std::size_t i) noexcept {
  if (v == nullptr) {
    fail(VIGIL_E_INVALID, invalid_message(fn, "verdict is NULL"));
    return nullptr;
  }
  if (i >= v->v.categories.size()) {
    fail(VIGIL_E_INVALID, invalid_message(fn, "category index out of range"));
    return nullptr;
  }
  return &v->v.categories[i];
}

template <class T, class F>
int batch_copy(const char* fn, const vigil_batch* batch, T* out, std::size_t n, F get) {
  VIGIL_REQUIRE(batch != nullptr, fn, "batch is NULL");
  VIGIL_REQUIRE(out != nullptr || n == 0, fn, "out is NULL with n > 0");
  std::size_t count = std::min(n, batch->verdicts.size());
  VIGIL_REQUIRE(count <= static_cast<std::size_t>(INT_MAX), fn, "more than INT_MAX entries");
  for (std::size_t i = 0; i < count; ++i) out[i] = get(batch->verdicts[i].v);
  last_error.clear();
  return static_cast<int>(count);
}


}  // namespace

extern "C" {

/* ---- version, errors, memory ---- */

unsigned vigil_version_number(void) { return VIGIL_VERSION_NUMBER; }
const char* vigil_version_string(void) { return VIGIL_VERSION_STRING; }
const char* vigil_matcher_version(void) { return hs_version(); }
const char* vigil_last_error(void) { return last_error.c_str(); }

const char* vigil_error_name(int code) {
  switch (code) {
    case VIGIL_OK: return "VIGIL_OK";
    case VIGIL_E_INVALID: return "VIGIL_E_INVALID";
    case VIGIL_E_NOMEM: return "VIGIL_E_NOMEM";
    case VIGIL_E_PACK: return "VIGIL_E_PACK";
    case VIGIL_E_ENGINE_FILE: return "VIGIL_E_ENGINE_FILE";
    case VIGIL_E_INTERNAL: return "VIGIL_E_INTERNAL";
    case VIGIL_E_STATE: return "VIGIL_E_STATE";
    case VIGIL_E_TOO_LARGE: return "VIGIL_E_TOO_LARGE";
    case VIGIL_E_SCAN: return "VIGIL_E_SCAN";
    case VIGIL_E_BUFFER_TOO_SMALL: return "VIGIL_E_BUFFER_TOO_SMALL";
    case VIGIL_E_BANK: return "VIGIL_E_BANK";
    case VIGIL_E_HASH: return "VIGIL_E_HASH";
    case VIGIL_E_IMAGE: return "VIGIL_E_IMAGE";
    case VIGIL_E_IO: return "VIGIL_E_IO";
    default: return "VIGIL_E_UNKNOWN";
  }
}

void vigil_free(void* p) { std::free(p); }

const char* vigil_decision_name(int decision) {
  switch (decision) {
    case VIGIL_ALLOW: return "allow";
    case VIGIL_REVIEW: return "review";
    case VIGIL_BLOCK: return "block";
    default:
      fail(VIGIL_E_INVALID, "vigil_decision_name: not a vigil_decision");
      return nullptr;
  }
}

const void* vigil_default_engine_image(size_t* len) {
  if (len != nullptr) *len = vigil_default_engine_size;
  return vigil_default_engine_data;
}

const char* vigil_default_pack(size_t* len) {
  if (len != nullptr) *len = vigil_default_pack_size;
  return reinterpret_cast<const char*>(vigil_default_pack_data);
}

/* ---- engines ---- */

int vigil_engine_open_default(const vigil_engine_options* opts, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_default";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_engine_options, streaming)), fn,
                "opts->struct_size is not a vigil_engine_options size this library knows");
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::default_engine(engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_pack_file(const char* path, const vigil_engine_options* opts,
                                vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_pack_file";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_engine_options, streaming)), fn,
                "opts->struct_size is not a vigil_engine_options size this library knows");
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::Engine::from_pack_file(path, engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_pack_string(const char* toml, size_t len, const char* origin,
                                  const char* base_dir, const vigil_engine_options* opts,
                                  vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_pack_string";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(toml != nullptr || len == 0, fn, "toml is NULL with len > 0");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_engine_options, streaming)), fn,
                "opts->struct_size is not a vigil_engine_options size this library knows");
  return guarded(fn, [&] {
    auto pack = vigil::rules::load_pack_string(std::string_view(len ? toml : "", len),
                                               origin ? origin : "<string>",
                                               base_dir ? base_dir : ".");
    *out = new vigil_engine{vigil::Engine::compile(std::move(pack), engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_file(const char* path, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_file";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::Engine::load(path)};
    return VIGIL_OK;
  });
}

int vigil_engine_open_bytes(const void* data, size_t len, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_bytes";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  return guarded(fn, [&] {
    std::string_view bytes(len ? static_cast<const char*>(data) : "", len);
    *out = new vigil_engine{vigil::Engine::deserialize(bytes, "<engine bytes>")};
    return VIGIL_OK;
  });
}

int vigil_engine_ref(const vigil_engine* engine, vigil_engine** out) {
  static const char fn[] = "vigil_engine_ref";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return guarded(fn, [&] {
    *out = new vigil_engine{engine->engine};
    return VIGIL_OK;
  });
}

void vigil_engine_free(vigil_engine* engine) { delete engine; }

int vigil_engine_serialize(const vigil_engine* engine, void** data, size_t* len) {
  static const char fn[] = "vigil_engine_serialize";
  null_out(data);
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(data != nullptr && len != nullptr, fn, "data or len is NULL");
  return guarded(fn, [&] {
    std::string bytes = engine->engine->serialize();
    void* p = std::malloc(bytes.size() ? bytes.size() : 1);
    if (p == nullptr) throw std::bad_alloc();
    std::memcpy(p, bytes.data(), bytes.size());
    *data = p;
    *len = bytes.size();
    return VIGIL_OK;
  });
}

int vigil_engine_save(const vigil_engine* engine, const char* path) {
  static const char fn[] = "vigil_engine_save";
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded(fn, [&] {
    engine->engine->save(path);
    return VIGIL_OK;
  });
}

const char* vigil_engine_pack_name(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_name: engine is NULL"), nullptr;
  return engine->engine->pack().name.c_str();
}

const char* vigil_engine_pack_version(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_version: engine is NULL"), nullptr;
  return engine->engine->pack().version.c_str();
}

const char* vigil_engine_pack_hash(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_hash: engine is NULL"), nullptr;
  return engine->engine->pack().hash.c_str();
}

size_t vigil_engine_rule_count(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_rule_count: engine is NULL"), 0;
  return engine->engine->pack().rules.size();
}

int vigil_engine_supports_streaming(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_supports_streaming: engine is NULL");
  return engine->engine->supports_streaming() ? 1 : 0;
}

/* ---- scans and verdicts ---- */

int vigil_scan(const vigil_engine* engine, const char* text, size_t len, vigil_verdict** out) {
  static const char fn[] = "vigil_scan";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return guarded(fn, [&] {
    auto v = std::make_unique<vigil_verdict>();
    v->v = engine->engine->scan(message_view(text, len));
    *out = v.release();
    return VIGIL_OK;
  });
}

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
    *json = copy_out(out);
    if (json_len != nullptr) *json_len = out.size();
    return VIGIL_OK;
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
    *json = copy_out(out);
    if (json_len != nullptr) *json_len = out.size();
    return VIGIL_OK;
  });
}

/* ---- batches ---- */

int vigil_scan_batch(const vigil_engine* engine, const char* const* texts, const size_t* lens,
                     size_t n, const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_scan_batch";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return scan_batch_impl(fn, engine->engine, texts, lens, n, opts, out);
}

int vigil_scan_batch_packed(const vigil_engine* engine, const char* data, const size_t* offsets,
                            size_t n, const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_scan_batch_packed";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return scan_batch_packed_impl(fn, engine->engine, data, offsets, n, opts, out);
}

void vigil_batch_free(vigil_batch* batch) { delete batch; }

size_t vigil_batch_size(const vigil_batch* batch) {
  if (batch == nullptr) return fail(VIGIL_E_INVALID, "vigil_batch_size: batch is NULL"), 0;
  return batch->verdicts.size();
}

const vigil_verdict* vigil_batch_verdict(const vigil_batch* batch, size_t i) {
  if (batch == nullptr) return fail(VIGIL_E_INVALID, "vigil_batch_verdict: batch is NULL"), nullptr;
  if (i >= batch->verdicts.size())
    return fail(VIGIL_E_INVALID, "vigil_batch_verdict: index out of range"), nullptr;
  return &batch->verdicts[i];
}


int vigil_batch_decisions(const vigil_batch* batch, int* out, size_t n) {
  return batch_copy("vigil_batch_decisions", batch, out, n,
                    [](const vigil::Verdict& v) { return static_cast<int>(v.decision); });
}

int vigil_batch_scores(const vigil_batch* batch, double* out, size_t n) {
  return batch_copy("vigil_batch_scores", batch, out, n,
                    [](const vigil::Verdict& v) { return v.score; });
}

int vigil_batch_hit_counts(const vigil_batch* batch, size_t* out, size_t n) {
  return batch_copy("vigil_batch_hit_counts", batch, out, n,
                    [](const vigil::Verdict& v) { return v.hits.size(); });
}

int vigil_batch_summaries(const vigil_batch* batch, vigil_verdict_summary* out, size_t n) {
  static const char fn[] = "vigil_batch_summaries";
  VIGIL_REQUIRE(batch != nullptr, fn, "batch is NULL");
  VIGIL_REQUIRE(out != nullptr || n == 0, fn, "out is NULL with n > 0");
  std::size_t count = std::min(n, batch->verdicts.size());
  VIGIL_REQUIRE(count <= static_cast<std::size_t>(INT_MAX), fn, "more than INT_MAX entries");
  if (count == 0) return last_error.clear(), 0;
  const std::size_t stride = out->struct_size;
  VIGIL_REQUIRE(stride >= VIGIL_FIELD_END(vigil_verdict_summary, decision), fn,
                "out[0].struct_size is too small");
  auto* base = reinterpret_cast<unsigned char*>(out);
  for (std::size_t i = 0; i < count; ++i) {
    auto* entry = reinterpret_cast<vigil_verdict_summary*>(base + i * stride);
    entry->struct_size = stride;
    vigil_verdict_get_summary(&batch->verdicts[i], entry);
  }
  last_error.clear();
  return static_cast<int>(count);
}

/* ---- streams ---- */

int vigil_stream_open(const vigil_engine* engine, vigil_stream** out) {
  static const char fn[] = "vigil_stream_open";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  if (!engine->engine->supports_streaming())
    return fail(VIGIL_E_STATE, "vigil_stream_open: this engine was compiled without streaming "
                               "(vigil_engine_options.streaming = 0)");
  return guarded(fn, [&] {
    *out = new vigil_stream(engine->engine->open_stream());
    return VIGIL_OK;
  });
}

int vigil_stream_write(vigil_stream* stream, const char* data, size_t len) {
  static const char fn[] = "vigil_stream_write";
  VIGIL_REQUIRE(stream != nullptr, fn, "stream is NULL");
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  if (stream->failed) return fail(VIGIL_E_STATE, "vigil_stream_write: an earlier write failed");
  if (len == 0) return last_error.clear(), VIGIL_OK;
  int rc = guarded(fn, [&] {
    stream->stream.write(message_view(data, len));
    return VIGIL_OK;
  });
  if (rc != VIGIL_OK) stream->failed = true;
  return rc;
}

int vigil_stream_close(vigil_stream* stream, vigil_verdict** out) {
  static const char fn[] = "vigil_stream_close";
  null_out(out);
  VIGIL_REQUIRE(stream != nullptr, fn, "stream is NULL");
  std::unique_ptr<vigil_stream> owned(stream);
  if (owned->failed) return fail(VIGIL_E_STATE, "vigil_stream_close: an earlier write failed");
  return guarded(fn, [&] {
    auto v = std::make_unique<vigil_verdict>();
    v->v = owned->stream.finish();
    if (out != nullptr) *out = v.release();
    return VIGIL_OK;
  });
}

void vigil_stream_free(vigil_stream* stream) { delete stream; }

/* ---- holders ---- */

int vigil_holder_create(const vigil_engine* engine, vigil_holder** out) {
  static const char fn[] = "vigil_holder_create";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return guarded(fn, [&] {
    auto h = std::make_unique<vigil_holder>();
    std::atomic_store(&h->current, engine->engine);
    *out = h.release();
    return VIGIL_OK;
  });
}

void vigil_holder_free(vigil_holder* holder) { delete holder; }

int vigil_holder_swap(vigil_holder* holder, const vigil_engine* engine) {
  static const char fn[] = "vigil_holder_swap";
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  // The old engine is released here (or by the last scan still using it), outside any lock
  // that scans take.
  std::shared_ptr<const vigil::Engine> old = std::atomic_exchange(&holder->current, engine->engine);
  old.reset();
  last_error.clear();
  return VIGIL_OK;
}

int vigil_holder_engine(const vigil_holder* holder, vigil_engine** out) {
  static const char fn[] = "vigil_holder_engine";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  return guarded(fn, [&] {
    *out = new vigil_engine{std::atomic_load(&holder->current)};
    return VIGIL_OK;
  });
}

int vigil_holder_scan(const vigil_holder* holder, const char* text, size_t len,
                      vigil_verdict** out) {
  static const char fn[] = "vigil_holder_scan";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return guarded(fn, [&] {
    std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
    auto v = std::make_unique<vigil_verdict>();
    v->v = engine->scan(message_view(text, len));
    *out = v.release();
    return VIGIL_OK;
  });
}

int vigil_holder_scan_batch(const vigil_holder* holder, const char* const* texts,
                            const size_t* lens, size_t n, const vigil_batch_options* opts,
                            vigil_batch** out) {
  static const char fn[] = "vigil_holder_scan_batch";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
  return scan_batch_impl(fn, engine, texts, lens, n, opts, out);
}

int vigil_holder_scan_batch_packed(const vigil_holder* holder, const char* data,
                                   const size_t* offsets, size_t n,
                                   const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_holder_scan_batch_packed";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
  return scan_batch_packed_impl(fn, engine, data, offsets, n, opts, out);
}

}  // extern "C"

// vigil: the C ABI's engine holders — hot swap of the engine that scans use, without pausing them.
#include "detail_api.hpp"

#include <atomic>
#include <memory>

#include "vigil/engine.hpp"

struct vigil_holder {
  std::shared_ptr<const vigil::Engine> current;  // accessed with std::atomic_load/store only
};

using namespace vigil_capi;

extern "C" {

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
  std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
  return scan_message(fn, *engine, text, len, out);
}

int vigil_holder_scan_batch(const vigil_holder* holder, const char* const* texts,
                            const size_t* lens, size_t n, const vigil_batch_options* opts,
                            vigil_batch** out) {
  static const char fn[] = "vigil_holder_scan_batch";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
  return scan_batch_texts(fn, *engine, texts, lens, n, opts, out);
}

int vigil_holder_scan_batch_packed(const vigil_holder* holder, const char* data,
                                   const size_t* offsets, size_t n,
                                   const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_holder_scan_batch_packed";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(holder != nullptr, fn, "holder is NULL");
  std::shared_ptr<const vigil::Engine> engine = std::atomic_load(&holder->current);
  return scan_batch_packed(fn, *engine, data, offsets, n, opts, out);
}

}  // extern "C"

// vigil: the C ABI's scans — one message, batches (on several threads) and streams.
#include "detail_api.hpp"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "vigil/engine.hpp"

struct vigil_batch {
  std::vector<vigil_verdict> verdicts;
};

struct vigil_stream {
  explicit vigil_stream(vigil::Stream s) : stream(std::move(s)) {}
  vigil::Stream stream;
  bool failed = false;
};

using namespace vigil_capi;

namespace {

unsigned batch_threads(const vigil_batch_options* o) {
  if (o != nullptr && VIGIL_HAS_FIELD(o, vigil_batch_options, threads)) return o->threads;
  return 0;
}

bool batch_options_ok(const vigil_batch_options* o) {
  return options_size_ok(o, VIGIL_FIELD_END(vigil_batch_options, threads));
}

constexpr const char* kBadBatchOptions =
    "opts->struct_size is not a vigil_batch_options size this library knows";

/// The failure with the lowest message index that a batch's workers ran into; the first one
/// recorded tells every worker to stop.
class BatchFailure {
 public:
  explicit BatchFailure(std::size_t n) : n_(n), index_(n) {}

  /// Call from a catch block: remember the exception being handled as message i's.
  void record(std::size_t i) noexcept {
    std::string message;
    int code = code_of_current_exception(message);
    std::lock_guard<std::mutex> lock(mutex_);
    if (i < index_) {
      index_ = i;
      code_ = code;
      try {
        message_ = std::move(message);
      } catch (...) {
      }
    }
    stop_.store(true);
  }

  bool stopped() const noexcept { return stop_.load(std::memory_order_relaxed); }

  /// After the workers joined: throw the failure, naming its message, if there was one.
  void throw_if_failed() const {
    if (index_ < n_) throw ApiError(code_, "message " + std::to_string(index_) + ": " + message_);
  }

 private:
  std::size_t n_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::size_t index_;
  int code_ = 0;
  std::string message_;
};

/// Run `work` on the calling thread and on up to workers-1 more; if the system refuses a
/// thread, the ones already running take up its share.
template <class Work>
void run_on_threads(std::size_t workers, Work& work) {
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  for (std::thread& t : pool) t.join();
}

/// Scan `views` into a new batch, on up to `threads` threads.
vigil_batch* run_batch(const vigil::Engine& engine, const std::vector<std::string_view>& views,
                       unsigned threads) {
  auto batch = std::make_unique<vigil_batch>();
  const std::size_t n = views.size();
  batch->verdicts.resize(n);
  const std::size_t workers = threads <= 1 ? 1 : std::clamp<std::size_t>(n, 1, threads);
  // Work in chunks handed out by an atomic counter; the first failure stops everyone.
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(64, n / (workers * 8)));
  std::atomic<std::size_t> next{0};
  BatchFailure failure(n);
  auto work = [&]() noexcept {
    while (!failure.stopped()) {
      const std::size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      const std::size_t end = std::min(n, begin + chunk);
      for (std::size_t i = begin; i < end; ++i) {
        try {
          engine.scan(views[i], batch->verdicts[i].v);  // straight into its slot
        } catch (...) {
          failure.record(i);
          return;
        }
      }
    }
  };
  run_on_threads(workers, work);
  failure.throw_if_failed();
  return batch.release();
}

/// Build the n message views with `view_at(i)` (which throws ApiError on a bad entry) and scan
/// them into *out.
template <class ViewAt>
int scan_views(const char* fn, const vigil::Engine& engine, std::size_t n,
               const vigil_batch_options* opts, vigil_batch** out, ViewAt view_at) {
  return guarded(fn, [&] {
    std::vector<std::string_view> views(n);
    for (std::size_t i = 0; i < n; ++i) views[i] = view_at(i);
    *out = run_batch(engine, views, batch_threads(opts));
    return VIGIL_OK;
  });
}

/// Copy one field of each of the first n verdicts of `batch` to out[]; returns the count.
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

namespace vigil_capi {

int scan_message(const char* fn, const vigil::Engine& engine, const char* text, size_t len,
                 vigil_verdict** out) {
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return guarded(fn, [&] {
    auto v = std::make_unique<vigil_verdict>();
    engine.scan(message_view(text, len), v->v);
    *out = v.release();
    return VIGIL_OK;
  });
}

int scan_batch_texts(const char* fn, const vigil::Engine& engine, const char* const* texts,
                     const size_t* lens, std::size_t n, const vigil_batch_options* opts,
                     vigil_batch** out) {
  VIGIL_REQUIRE(texts != nullptr || n == 0, fn, "texts is NULL with n > 0");
  VIGIL_REQUIRE(lens != nullptr || n == 0, fn, "lens is NULL with n > 0");
  VIGIL_REQUIRE(batch_options_ok(opts), fn, kBadBatchOptions);
  return scan_views(fn, engine, n, opts, out, [&](std::size_t i) {
    if (texts[i] == nullptr && lens[i] > 0)
      throw ApiError(VIGIL_E_INVALID, "texts[" + std::to_string(i) + "] is NULL with length > 0");
    return message_view(texts[i], lens[i]);
  });
}

int scan_batch_packed(const char* fn, const vigil::Engine& engine, const char* data,
                      const size_t* offsets, std::size_t n, const vigil_batch_options* opts,
                      vigil_batch** out) {
  VIGIL_REQUIRE(offsets != nullptr, fn, "offsets is NULL (it needs n+1 entries)");
  VIGIL_REQUIRE(batch_options_ok(opts), fn, kBadBatchOptions);
  VIGIL_REQUIRE(data != nullptr || offsets[n] == offsets[0], fn,
                "data is NULL with non-empty messages");
  return scan_views(fn, engine, n, opts, out, [&](std::size_t i) {
    if (offsets[i + 1] < offsets[i])
      throw ApiError(VIGIL_E_INVALID, "offsets[" + std::to_string(i + 1) + "] < offsets[" +
                                          std::to_string(i) + "]");
    return message_view(data == nullptr ? nullptr : data + offsets[i], offsets[i + 1] - offsets[i]);
  });
}

}  // namespace vigil_capi

extern "C" {

/* ---- one message ---- */

int vigil_scan(const vigil_engine* engine, const char* text, size_t len, vigil_verdict** out) {
  static const char fn[] = "vigil_scan";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return scan_message(fn, *engine->engine, text, len, out);
}

/* ---- batches ---- */

int vigil_scan_batch(const vigil_engine* engine, const char* const* texts, const size_t* lens,
                     size_t n, const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_scan_batch";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return scan_batch_texts(fn, *engine->engine, texts, lens, n, opts, out);
}

int vigil_scan_batch_packed(const vigil_engine* engine, const char* data, const size_t* offsets,
                            size_t n, const vigil_batch_options* opts, vigil_batch** out) {
  static const char fn[] = "vigil_scan_batch_packed";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return scan_batch_packed(fn, *engine->engine, data, offsets, n, opts, out);
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

}  // extern "C"

// Fuzz target: sequences of C ABI calls (capi/vigil.h). The input is a little program: each
// operation byte picks a call (open an engine from pack text or engine bytes, scan, stream,
// batch, holder swap, verdict accessors, JSON, free) on a few handle slots, with its arguments
// (texts, indexes, struct sizes, flags) taken from the bytes that follow; also banks (load,
// define, add, query), scanners over engine + banks (text, file bytes, pixels) and the hash
// functions (digests, hex, SimHash/MinHash, PDQ of pixels and of encoded images). Empty slots are passed
// as NULL. Every call must return a code or value, never crash; everything is freed at the end,
// so a leaked handle is reported by LeakSanitizer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "vigil.h"

namespace {

/// Consumes the input: bytes past the end read as zero.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::size_t small() { return byte() % 8; }  // an index, mostly in range
  /// A length-prefixed byte string (length byte, or two bytes when the first is 255).
  std::string_view text() {
    std::size_t n = byte();
    if (n == 255) n = byte() | std::size_t{byte()} << 8;
    n = std::min(n, size_ - std::min(pos_, size_));
    std::string_view s(reinterpret_cast<const char*>(data_ + std::min(pos_, size_)), n);
    pos_ += n;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, pos_ = 0;
};

constexpr std::size_t kSlots = 3;

struct State {
  vigil_engine* engines[kSlots] = {};
  vigil_verdict* verdicts[kSlots] = {};
  vigil_stream* streams[kSlots] = {};
  vigil_holder* holder = nullptr;
  vigil_batch* batch = nullptr;
  vigil_bank* banks[2] = {};
  vigil_scanner* scanner = nullptr;

  ~State() {
    for (auto* e : engines) vigil_engine_free(e);
    for (auto* v : verdicts) vigil_verdict_free(v);
    for (auto* s : streams) vigil_stream_free(s);
    vigil_holder_free(holder);
    vigil_batch_free(batch);
    for (auto* b : banks) vigil_bank_free(b);
    vigil_scanner_free(scanner);
  }
  void set_engine(std::size_t i, vigil_engine* e) {
    vigil_engine_free(engines[i % kSlots]);
    engines[i % kSlots] = e;
  }
  void set_verdict(std::size_t i, vigil_verdict* v) {
    vigil_verdict_free(verdicts[i % kSlots]);
    verdicts[i % kSlots] = v;
  }
  void set_batch(vigil_batch* b) {
    vigil_batch_free(batch);
    batch = b;
  }
};

vigil_engine* g_default = nullptr;  // opened once: deserialising the default engine is slow

void open_engine(State& st, Reader& in, std::uint8_t op) {
  const std::size_t slot = in.small();
  vigil_engine* e = nullptr;
  struct {  // room behind the options, as a caller built with a newer header would have
    vigil_engine_options o = VIGIL_ENGINE_OPTIONS_INIT;
    unsigned char newer_fields[32] = {};
  } box;
  vigil_engine_options& o = box.o;
  o.streaming = in.byte() & 1;
  if (in.byte() & 1) o.struct_size = in.small() * 4;  // too small, odd or too large: refused
  if (op == 0) {
    const std::string_view pack = in.text();
    vigil_engine_open_pack_string(pack.data(), pack.size(), "<fuzz>", "/nonexistent", &o, &e);
  } else if (op == 1) {
    const std::string_view bytes = in.text();
    vigil_engine_open_bytes(bytes.data(), bytes.size(), &e);
  } else if (op == 2 && st.engines[slot % kSlots] != nullptr) {  // a real engine, one byte changed
    void* data = nullptr;
    std::size_t len = 0;
    if (vigil_engine_serialize(st.engines[slot % kSlots], &data, &len) == 0 && len > 0) {
      const std::size_t at = (in.byte() | std::size_t{in.byte()} << 8) % len;
      static_cast<unsigned char*>(data)[at] ^= static_cast<unsigned char>(in.byte() | 1);
      vigil_engine_open_bytes(data, len, &e);
    }
    vigil_free(data);
  } else {
    vigil_engine_ref(op == 3 ? g_default : st.engines[in.small() % kSlots], &e);
  }
  st.set_engine(slot, e);
}

void read_bank_hits(const vigil_verdict* v, Reader& in) {
  vigil_verdict_banks_checked(v);
  const std::size_t n = vigil_verdict_bank_hit_count(v);
  for (std::size_t i = 0; i <= n; ++i) {
    vigil_verdict_bank_hit_bank(v, i);
    vigil_verdict_bank_hit_signal(v, i);
    vigil_verdict_bank_hit_distance(v, i);
    std::size_t len = 0;
    const char* label = vigil_verdict_bank_hit_label(v, i, &len);
    volatile char sink = 0;
    for (std::size_t k = 0; label != nullptr && k < len; ++k) sink = sink ^ label[k];
    vigil_verdict_bank_hit_action(v, i);
    vigil_verdict_bank_hit_suppressed(v, i);
    vigil_verdict_bank_hit_transform(v, i);
    vigil_bank_hit_info info{};
    info.struct_size = in.byte() & 1 ? sizeof info : std::min(sizeof info, in.small() * 8);
    vigil_verdict_get_bank_hit(v, i, &info);
  }
}

void read_verdict(const vigil_verdict* v, Reader& in) {
  vigil_verdict_decision(v);
  vigil_verdict_score(v);
  vigil_verdict_invalid_bytes(v);
  const std::size_t cats = vigil_verdict_category_count(v);
  for (std::size_t i = 0; i <= cats; ++i) {  // one past the end on purpose
    vigil_verdict_category_name(v, i);
    vigil_verdict_category_score(v, i);
  }
  const std::size_t hits = vigil_verdict_hit_count(v);
  for (std::size_t i = 0; i <= hits; ++i) {
    vigil_verdict_hit_rule(v, i);
    vigil_verdict_hit_category(v, i);
    vigil_verdict_hit_weight(v, i);
    std::size_t len = 0;
    const char* text = vigil_verdict_hit_text(v, i, &len);
    volatile char sink = 0;  // touch every byte: ASan checks the span is real
    for (std::size_t k = 0; text != nullptr && k < len; ++k) sink = sink ^ text[k];
    if (i < hits && vigil_verdict_hit_start(v, i) > vigil_verdict_hit_end(v, i)) std::abort();
    vigil_verdict_hit_is_composite(v, i);
    vigil_hit_info info{};
    info.struct_size = in.byte() & 1 ? sizeof info : std::min(sizeof info, in.small() * 8);
    vigil_verdict_get_hit(v, i, &info);
  }
  vigil_verdict_summary sum{};
  sum.struct_size = in.byte() & 1 ? sizeof sum : std::min(sizeof sum, in.small() * 8);
  vigil_verdict_get_summary(v, &sum);
  read_bank_hits(v, in);
}

void render_json(const vigil_verdict* v, Reader& in) {
  const std::string_view id = in.text();
  const unsigned flags = in.byte() % 5;  // 3 and 4 include an unknown bit
  char* json = nullptr;
  std::size_t len = 0;
  if (vigil_verdict_json(v, id.data(), id.size(), flags, &json, &len) == 0 && json[len] != '\0')
    std::abort();
  std::vector<char> buf(in.byte());
  std::size_t written = 0;
  const int rc = vigil_verdict_json_into(v, id.data(), id.size(), flags, buf.data(), buf.size(),
                                         &written);
  if (rc == 0 && (json == nullptr || std::string_view(buf.data(), written) != std::string_view(json, len)))
    std::abort();
  vigil_free(json);
}

void stream_op(State& st, Reader& in) {
  const std::size_t s = in.small() % kSlots;
  switch (in.byte() % 4) {
    case 0:
      vigil_stream_free(st.streams[s]);
      st.streams[s] = nullptr;
      vigil_stream_open(st.engines[in.small() % kSlots], &st.streams[s]);
      break;
    case 1:
    case 2: {
      const std::string_view chunk = in.text();
      vigil_stream_write(st.streams[s], chunk.data(), chunk.size());
      break;
    }
    default: {
      vigil_verdict* v = nullptr;
      vigil_stream_close(st.streams[s], in.byte() & 1 ? &v : nullptr);
      st.streams[s] = nullptr;  // closed even on error
      st.set_verdict(in.small(), v);
    }
  }
}

void batch_op(State& st, Reader& in) {
  const std::string_view all = in.text();
  const std::size_t n = in.small();
  std::vector<const char*> texts;
  std::vector<std::size_t> lens, offsets{0};
  for (std::size_t i = 0; i < n; ++i) {  // n pieces of the text, the last one the rest
    const std::size_t start = offsets.back();
    const std::size_t end = i + 1 == n ? all.size() : std::min(all.size(), start + in.byte());
    texts.push_back(all.data() + start);
    lens.push_back(end - start);
    offsets.push_back(end);
  }
  vigil_batch_options o = VIGIL_BATCH_OPTIONS_INIT;
  o.threads = in.byte() % 3;
  vigil_batch* b = nullptr;
  const std::uint8_t how = in.byte() % 4;
  const vigil_engine* e = st.engines[in.small() % kSlots];
  if (how == 0) vigil_scan_batch(e, texts.data(), lens.data(), n, &o, &b);
  else if (how == 1) vigil_scan_batch_packed(e, all.data(), offsets.data(), n, &o, &b);
  else if (how == 2) vigil_holder_scan_batch(st.holder, texts.data(), lens.data(), n, &o, &b);
  else vigil_holder_scan_batch_packed(st.holder, all.data(), offsets.data(), n, &o, &b);
  st.set_batch(b);
}

void batch_read(State& st, Reader& in) {
  const std::size_t n = in.small();
  std::vector<int> decisions(n);
  std::vector<double> scores(n);
  std::vector<std::size_t> counts(n);
  std::vector<vigil_verdict_summary> sums(n + 1);
  sums[0].struct_size = std::min(sizeof(vigil_verdict_summary), in.small() * 8);
  if (in.byte() & 1) sums[0].struct_size = sizeof(vigil_verdict_summary);
  vigil_batch_size(st.batch);
  vigil_batch_decisions(st.batch, decisions.data(), n);
  vigil_batch_scores(st.batch, scores.data(), n);
  vigil_batch_hit_counts(st.batch, counts.data(), n);
  vigil_batch_summaries(st.batch, sums.data(), n);
  if (const vigil_verdict* v = vigil_batch_verdict(st.batch, in.small())) read_verdict(v, in);
}

void holder_op(State& st, Reader& in) {
  vigil_engine* got = nullptr;
  vigil_verdict* v = nullptr;
  const std::string_view text = in.text();
  switch (in.byte() % 4) {
    case 0:
      vigil_holder_free(st.holder);
      st.holder = nullptr;
      vigil_holder_create(st.engines[in.small() % kSlots], &st.holder);
      break;
    case 1: vigil_holder_swap(st.holder, st.engines[in.small() % kSlots]); break;
    case 2:
      vigil_holder_engine(st.holder, &got);
      st.set_engine(in.small(), got);
      break;
    default:
      vigil_holder_scan(st.holder, text.data(), text.size(), &v);
      st.set_verdict(in.small(), v);
  }
}

void engine_info(State& st, Reader& in) {
  const vigil_engine* e = st.engines[in.small() % kSlots];
  vigil_engine_pack_name(e);
  vigil_engine_pack_version(e);
  vigil_engine_pack_hash(e);
  vigil_engine_rule_count(e);
  vigil_engine_supports_streaming(e);
  vigil_error_name(static_cast<int>(in.byte()) - 128);
  vigil_decision_name(static_cast<int>(in.byte()) - 128);
  vigil_last_error();
}

/// A pixel buffer described by the input; size is always the true length of the data.
vigil_image image_from(Reader& in) {
  vigil_image img = VIGIL_IMAGE_INIT;
  img.width = in.byte() - 8;
  img.height = in.byte() - 8;
  img.format = in.byte() % 6;  // 5 is not a format
  img.stride = in.byte() & 1 ? 0 : in.byte();
  if (in.byte() & 1) img.struct_size = in.small() * 8;
  const std::string_view px = in.text();
  img.data = reinterpret_cast<const std::uint8_t*>(px.data());
  img.size = px.size();
  return img;
}

void bank_op(State& st, Reader& in) {
  vigil_bank*& bank = st.banks[in.byte() % 2];
  const std::string name(in.text());
  const std::string_view hex = in.text();
  vigil_verdict* v = nullptr;
  switch (in.byte() % 6) {
    case 0:
      vigil_bank_free(bank);
      bank = nullptr;
      vigil_bank_create(&bank);
      break;
    case 1: {
      vigil_bank_load_options o = VIGIL_BANK_LOAD_OPTIONS_INIT;
      o.action = in.byte() % 4;
      o.signal = static_cast<int>(in.byte() % 6) - 1;  // -1 (auto) .. 4 (unknown)
      o.bank = in.byte() & 1 ? nullptr : name.c_str();
      o.radius = static_cast<int>(in.byte() % 40) - 1;
      o.min_quality = in.byte() % 101;
      vigil_bank_load_text(bank, hex.data(), hex.size(), "<fuzz>", &o);
      break;
    }
    case 2: vigil_bank_define(bank, name.c_str(), in.byte() % 5, in.byte() % 4, in.byte() % 40 - 1); break;
    case 3: vigil_bank_add(bank, name.c_str(), hex.data(), hex.size(), name.data(), name.size()); break;
    case 4:
      vigil_bank_query(bank, in.byte() % 5, hex.data(), hex.size(), in.byte() % 40 - 1, &v);
      st.set_verdict(in.small(), v);
      break;
    default: {
      vigil_bank_size(bank);
      vigil_bank_info info{};
      info.struct_size = in.byte() & 1 ? sizeof info : std::min(sizeof info, in.small() * 8);
      for (std::size_t i = 0; i <= vigil_bank_count(bank); ++i) vigil_bank_get_info(bank, i, &info);
    }
  }
}

void scanner_op(State& st, Reader& in) {
  vigil_verdict* v = nullptr;
  switch (in.byte() % 4) {
    case 0: {
      vigil_scanner_options o = VIGIL_SCANNER_OPTIONS_INIT;
      o.dihedral = in.byte() & 1;
      o.squash = in.byte() & 1;
      o.min_pdq_quality = in.byte() % 101;
      o.max_pixels = std::uint64_t{1} << (in.byte() % 24);
      vigil_scanner_free(st.scanner);
      st.scanner = nullptr;
      vigil_scanner_create(st.engines[in.small() % kSlots], st.banks[in.byte() % 2], &o, &st.scanner);
      return;
    }
    case 1: {
      const std::string_view text = in.text();
      vigil_scanner_scan(st.scanner, text.data(), text.size(), &v);
      break;
    }
    case 2: {
      const std::string_view bytes = in.text();
      vigil_scanner_scan_bytes(st.scanner, bytes.data(), bytes.size(), &v);
      break;
    }
    default: {
      const vigil_image img = image_from(in);
      vigil_scanner_scan_pixels(st.scanner, &img, img.data, img.size, &v);
    }
  }
  st.set_verdict(in.small(), v);
}

void hash_op(Reader& in) {
  const std::string_view data = in.text();
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  std::uint8_t out[64] = {};
  std::vector<char> buf(in.byte());
  std::size_t written = 0;
  switch (in.byte() % 8) {
    case 0: vigil_hash_digest(in.byte() % 4, data.data(), data.size(), out, in.byte() % 40); break;
    case 1: vigil_hash_to_hex(bytes, std::min<std::size_t>(data.size(), 64), buf.data(), buf.size()); break;
    case 2: vigil_hash_from_hex(data.data(), data.size(), out, in.byte() % 65, &written); break;
    case 3:
      vigil_hash_distance(bytes, bytes + data.size() / 2, data.size() / 2);
      vigil_hash_minhash_similarity(nullptr, nullptr, 0);
      break;
    case 4: {
      std::uint64_t h = 0;
      std::vector<std::uint32_t> slots(in.byte());
      const int words = static_cast<int>(in.byte() % 8) - 1;
      vigil_hash_simhash64(data.data(), data.size(), words, &h);
      vigil_hash_minhash(data.data(), data.size(), words, slots.data(), slots.size());
      break;
    }
    case 5: {
      char* norm = nullptr;
      std::size_t len = 0;
      vigil_text_normalize(data.data(), data.size(), &norm, &len);
      vigil_free(norm);
      break;
    }
    default: {
      vigil_pdq_options o = VIGIL_PDQ_OPTIONS_INIT;
      o.squash = in.byte() & 1;
      o.dihedral = in.byte() & 1;
      o.max_pixels = std::uint64_t{1} << (in.byte() % 24);
      vigil_pdq_result r{};
      r.struct_size = in.byte() & 1 ? sizeof r : std::min(sizeof r, in.small() * 8);
      const vigil_image img = image_from(in);
      if (in.byte() & 1) vigil_hash_pdq_pixels(&img, &o, &r);
      else vigil_hash_pdq_image(data.data(), data.size(), &o, &r);
    }
  }
  vigil_hash_digest_size(in.byte() % 4);
  vigil_hash_digest_name(in.byte() % 4);
  vigil_hash_dihedral_name(in.byte() % 9);
  vigil_signal_name(in.byte() % 5);
  vigil_bank_action_name(in.byte() % 4);
}

void step(State& st, Reader& in) {
  const std::uint8_t op = in.byte() % 15;
  vigil_verdict* v = nullptr;
  switch (op) {
    case 0: case 1: case 2: case 3: case 4: open_engine(st, in, op); break;
    case 5: {
      const std::string_view text = in.text();
      vigil_scan(st.engines[in.small() % kSlots], text.data(), text.size(), &v);
      st.set_verdict(in.small(), v);
      break;
    }
    case 6: read_verdict(st.verdicts[in.small() % kSlots], in); break;
    case 7: render_json(st.verdicts[in.small() % kSlots], in); break;
    case 8: stream_op(st, in); break;
    case 9: in.byte() & 1 ? batch_op(st, in) : batch_read(st, in); break;
    case 10: holder_op(st, in); break;
    case 12: bank_op(st, in); break;
    case 13: scanner_op(st, in); break;
    case 14: hash_op(in); break;
    default: {
      engine_info(st, in);
      const std::string_view text = in.text();
      char* json = nullptr;
      vigil_scan_json(st.engines[in.small() % kSlots], text.data(), text.size(), "\"x\"", &json, nullptr);
      vigil_free(json);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (vigil_engine_open_default(nullptr, &g_default) != 0) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  State st;
  Reader in(data, size);
  for (int steps = 0; steps < 64 && !in.done(); ++steps) step(st, in);
  return 0;
}

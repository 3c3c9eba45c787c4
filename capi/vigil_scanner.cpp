// vigil: the C ABI's scanners (rules + banks in one verdict) and the verdicts' bank hits.
#include <shared_mutex>
#include <string>

#include "detail_known.hpp"

struct vigil_scanner {
  std::shared_ptr<vigil_capi::BankState> bank;  // null: no banks (the scanner is the engine)
  std::shared_ptr<const vigil::Scanner> scanner;
};

using namespace vigil_capi;

namespace {

vigil::ScannerOptions scanner_options(const vigil_scanner_options* o) {
  vigil::ScannerOptions out;
  if (o == nullptr) return out;
  if (VIGIL_HAS_FIELD(o, vigil_scanner_options, dihedral)) out.dihedral = o->dihedral != 0;
  if (VIGIL_HAS_FIELD(o, vigil_scanner_options, squash)) out.squash = o->squash != 0;
  if (VIGIL_HAS_FIELD(o, vigil_scanner_options, min_pdq_quality)) out.min_pdq_quality = o->min_pdq_quality;
  if (VIGIL_HAS_FIELD(o, vigil_scanner_options, max_pixels)) out.limits = decode_limits(o->max_pixels);
  return out;
}

/// Run `scan` (Scanner -> Verdict) under the bank's shared lock into a new verdict.
template <class Scan>
int scan_into(const char* fn, const vigil_scanner* s, vigil_verdict** out, Scan&& scan) {
  return guarded_known(fn, [&] {
    auto v = std::make_unique<vigil_verdict>();
    if (s->bank) {
      std::shared_lock<std::shared_mutex> lock(s->bank->mutex);
      v->v = scan(*s->scanner);
    } else {
      v->v = scan(*s->scanner);
    }
    *out = v.release();
    return VIGIL_OK;
  });
}

const vigil::BankMatch* bank_hit_at(const char* fn, const vigil_verdict* v, std::size_t i) noexcept {
  return entry_at(fn, v, &vigil::Verdict::bank_hits, i, "bank hit index out of range");
}

int signal_number(const std::string& name) {
  const auto s = vigil::bank::parse_signal_name(name);
  return s ? static_cast<int>(*s) : -1;
}

}  // namespace

extern "C" {

int vigil_scanner_create(const vigil_engine* engine, const vigil_bank* bank,
                         const vigil_scanner_options* opts, vigil_scanner** out) {
  static const char fn[] = "vigil_scanner_create";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_scanner_options, dihedral)), fn,
                "opts->struct_size is not a vigil_scanner_options size this library knows");
  return guarded_known(fn, [&] {
    auto s = std::make_unique<vigil_scanner>();
    if (bank != nullptr) s->bank = bank->state;
    s->scanner = vigil::Scanner::create(engine->engine, s->bank ? s->bank->banks : nullptr,
                                        scanner_options(opts));
    *out = s.release();
    return VIGIL_OK;
  });
}

void vigil_scanner_free(vigil_scanner* scanner) { delete scanner; }

int vigil_scanner_scan(const vigil_scanner* scanner, const char* text, size_t len,
                       vigil_verdict** out) {
  static const char fn[] = "vigil_scanner_scan";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(scanner != nullptr, fn, "scanner is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return scan_into(fn, scanner, out, [&](const vigil::Scanner& s) {
    return s.scan_text(message_view(text, len));
  });
}

int vigil_scanner_scan_bytes(const vigil_scanner* scanner, const void* data, size_t len,
                             vigil_verdict** out) {
  static const char fn[] = "vigil_scanner_scan_bytes";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(scanner != nullptr, fn, "scanner is NULL");
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  return scan_into(fn, scanner, out, [&](const vigil::Scanner& s) {
    return s.scan_file(std::string_view(len ? static_cast<const char*>(data) : "", len));
  });
}

int vigil_scanner_scan_file(const vigil_scanner* scanner, const char* path, vigil_verdict** out) {
  static const char fn[] = "vigil_scanner_scan_file";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(scanner != nullptr, fn, "scanner is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded_known(fn, [&] {
    const std::string bytes = read_file(path);  // read before taking the bank's lock
    return scan_into(fn, scanner, out, [&](const vigil::Scanner& s) { return s.scan_file(bytes); });
  });
}

int vigil_scanner_scan_pixels(const vigil_scanner* scanner, const vigil_image* image,
                              const void* file, size_t file_len, vigil_verdict** out) {
  static const char fn[] = "vigil_scanner_scan_pixels";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(scanner != nullptr && image != nullptr, fn, "scanner or image is NULL");
  VIGIL_REQUIRE(image_size_ok(image), fn, "image->struct_size is not a vigil_image size this library knows");
  VIGIL_REQUIRE(file != nullptr || file_len == 0, fn, "file is NULL with file_len > 0");
  return guarded_known(fn, [&] {
    const vigil::hash::ImageView view = image_view(*image);
    view.validate();  // also without PDQ banks: bad pixels are an error whatever the banks
    const std::string_view bytes(file_len ? static_cast<const char*>(file) : "", file_len);
    return scan_into(fn, scanner, out, [&](const vigil::Scanner& s) { return s.scan_image(view, bytes); });
  });
}

/* ---- bank hits of a verdict ---- */

int vigil_verdict_banks_checked(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_banks_checked: verdict is NULL");
  return verdict->v.banks_checked ? 1 : 0;
}

size_t vigil_verdict_bank_hit_count(const vigil_verdict* verdict) {
  if (verdict == nullptr) return fail(VIGIL_E_INVALID, "vigil_verdict_bank_hit_count: verdict is NULL"), 0;
  return verdict->v.bank_hits.size();
}

const char* vigil_verdict_bank_hit_bank(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_bank", verdict, i);
  return h ? h->bank.c_str() : nullptr;
}

const char* vigil_verdict_bank_hit_signal(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_signal", verdict, i);
  return h ? h->signal.c_str() : nullptr;
}

int vigil_verdict_bank_hit_distance(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_distance", verdict, i);
  return h ? h->distance : -1;
}

const char* vigil_verdict_bank_hit_label(const vigil_verdict* verdict, size_t i, size_t* len) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_label", verdict, i);
  if (h == nullptr) return nullptr;
  if (len != nullptr) *len = h->label.size();
  return h->label.c_str();
}

int vigil_verdict_bank_hit_action(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_action", verdict, i);
  return h ? static_cast<int>(h->action) : VIGIL_E_INVALID;
}

int vigil_verdict_bank_hit_suppressed(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_suppressed", verdict, i);
  return h ? (h->suppressed ? 1 : 0) : VIGIL_E_INVALID;
}

const char* vigil_verdict_bank_hit_transform(const vigil_verdict* verdict, size_t i) {
  const vigil::BankMatch* h = bank_hit_at("vigil_verdict_bank_hit_transform", verdict, i);
  return h ? h->transform.c_str() : nullptr;
}

int vigil_verdict_get_bank_hit(const vigil_verdict* verdict, size_t i, vigil_bank_hit_info* out) {
  static const char fn[] = "vigil_verdict_get_bank_hit";
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(out->struct_size >= VIGIL_FIELD_END(vigil_bank_hit_info, transform) &&
                    out->struct_size <= sizeof(vigil_bank_hit_info),
                fn, "out->struct_size is not a vigil_bank_hit_info size this library knows");
  const vigil::BankMatch* h = bank_hit_at(fn, verdict, i);
  if (h == nullptr) return VIGIL_E_INVALID;
  out->bank = h->bank.c_str();
  out->bank_len = h->bank.size();
  out->signal = signal_number(h->signal);
  out->distance = h->distance;
  out->label = h->label.c_str();
  out->label_len = h->label.size();
  out->action = static_cast<int>(h->action);
  out->suppressed = h->suppressed ? 1 : 0;
  out->transform = h->transform.c_str();
  last_error.clear();
  return VIGIL_OK;
}

}  // extern "C"

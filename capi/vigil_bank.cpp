// vigil: the C ABI's hash banks — vigil_bank (load, define, add, inspect) and one-hash queries.
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "detail_known.hpp"

using namespace vigil_capi;

namespace {

namespace vb = vigil::bank;

constexpr vb::SignalType kSignals[] = {vb::SignalType::md5, vb::SignalType::sha256,
                                       vb::SignalType::pdq, vb::SignalType::simhash64};
constexpr vigil::BankAction kActions[] = {vigil::BankAction::block, vigil::BankAction::review,
                                          vigil::BankAction::allow};

bool signal_ok(int s) { return s >= VIGIL_SIGNAL_MD5 && s <= VIGIL_SIGNAL_SIMHASH64; }
bool action_ok(int a) { return a >= VIGIL_BANK_BLOCK && a <= VIGIL_BANK_ALLOW; }

int check_load_args(const char* fn, const vigil_bank* bank, const vigil_bank_load_options* o) {
  VIGIL_REQUIRE(bank != nullptr, fn, "bank is NULL");
  VIGIL_REQUIRE(options_size_ok(o, VIGIL_FIELD_END(vigil_bank_load_options, action)), fn,
                "opts->struct_size is not a vigil_bank_load_options size this library knows");
  if (o == nullptr) return VIGIL_OK;
  VIGIL_REQUIRE(action_ok(o->action), fn, "opts->action is not a vigil_bank_action");
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, signal))
    VIGIL_REQUIRE(o->signal == VIGIL_SIGNAL_AUTO || signal_ok(o->signal), fn,
                  "opts->signal is not a vigil_signal or VIGIL_SIGNAL_AUTO");
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, radius))
    VIGIL_REQUIRE(o->radius >= -1, fn, "opts->radius is less than -1");
  return VIGIL_OK;
}

vigil::BankAction load_action(const vigil_bank_load_options* o) {
  return o == nullptr ? vigil::BankAction::block : kActions[o->action];
}

/// The core's load options from the C ones (fields the caller's struct lacks keep defaults).
vb::LoadOptions load_options(const vigil_bank_load_options* o) {
  vb::LoadOptions out;
  if (o == nullptr) return out;
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, signal) && o->signal != VIGIL_SIGNAL_AUTO)
    out.signal = kSignals[o->signal];
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, bank) && o->bank != nullptr) out.bank = o->bank;
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, radius)) out.radius = o->radius;
  if (VIGIL_HAS_FIELD(o, vigil_bank_load_options, min_quality)) out.min_quality = o->min_quality;
  return out;
}

/// The bank entries go to: `name`, or the handle's only bank when name is NULL.
vb::Bank& target_bank(vigil::ScanBanks& banks, const char* name) {
  // The handle built these banks (non-const objects) and holds the exclusive lock: writing
  // through the set's const view is safe.
  auto& set = const_cast<vb::BankSet&>(banks.set());
  if (name == nullptr) {
    if (set.size() != 1)
      throw ApiError(VIGIL_E_INVALID, "name is NULL but the handle holds " +
                                          std::to_string(set.size()) + " banks");
    return const_cast<vb::Bank&>(set.at(0));
  }
  return set.bank(name);  // BankError (VIGIL_E_BANK) when there is no such bank
}

/// Bank hits of one hash, as a scan would record them.
vigil::Verdict query_banks(const vigil::ScanBanks& banks, vb::SignalType type, std::string_view hex,
                           int radius) {
  const vb::BankSet& set = banks.set();
  vb::MatchResult found;
  switch (type) {
    case vb::SignalType::pdq: found = set.match_pdq(vigil::hash::Hash256::from_hex(hex), radius); break;
    case vb::SignalType::simhash64: found = set.match_simhash(vigil::hash::parse_hex64(hex), radius); break;
    default: found = set.match_digest(type, hex); break;
  }
  vigil::Verdict v;
  v.banks_checked = true;
  vigil::detail::SignalHits hits(banks, vb::signal_name(type));
  hits.add(found);
  hits.finish(v);
  return v;
}

}  // namespace

extern "C" {

const char* vigil_signal_name(int signal) {
  if (!signal_ok(signal)) return fail(VIGIL_E_INVALID, "vigil_signal_name: not a vigil_signal"), nullptr;
  return vb::signal_name(kSignals[signal]);
}

const char* vigil_bank_action_name(int action) {
  if (!action_ok(action))
    return fail(VIGIL_E_INVALID, "vigil_bank_action_name: not a vigil_bank_action"), nullptr;
  return vigil::to_string(kActions[action]);
}

int vigil_bank_create(vigil_bank** out) {
  static const char fn[] = "vigil_bank_create";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  return guarded_known(fn, [&] {
    *out = new vigil_bank{std::make_shared<BankState>()};
    return VIGIL_OK;
  });
}

void vigil_bank_free(vigil_bank* bank) { delete bank; }

int vigil_bank_load_file(vigil_bank* bank, const char* path, const vigil_bank_load_options* opts) {
  static const char fn[] = "vigil_bank_load_file";
  if (int rc = check_load_args(fn, bank, opts)) return rc;
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded_known(fn, [&] {
    std::unique_lock<std::shared_mutex> lock(bank->state->mutex);
    bank->state->banks->load_file(path, load_action(opts), load_options(opts));
    return VIGIL_OK;
  });
}

int vigil_bank_load_text(vigil_bank* bank, const char* text, size_t len, const char* name,
                         const vigil_bank_load_options* opts) {
  static const char fn[] = "vigil_bank_load_text";
  if (int rc = check_load_args(fn, bank, opts)) return rc;
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  VIGIL_REQUIRE(name != nullptr, fn, "name is NULL");
  return guarded_known(fn, [&] {
    std::unique_lock<std::shared_mutex> lock(bank->state->mutex);
    bank->state->banks->load_text(std::string_view(len ? text : "", len), name, load_action(opts),
                                  load_options(opts));
    return VIGIL_OK;
  });
}

int vigil_bank_define(vigil_bank* bank, const char* name, int signal, int action, int radius) {
  static const char fn[] = "vigil_bank_define";
  VIGIL_REQUIRE(bank != nullptr, fn, "bank is NULL");
  VIGIL_REQUIRE(name != nullptr && name[0] != '\0', fn, "name is NULL or empty");
  VIGIL_REQUIRE(signal_ok(signal), fn, "signal is not a vigil_signal");
  VIGIL_REQUIRE(action_ok(action), fn, "action is not a vigil_bank_action");
  VIGIL_REQUIRE(radius >= -1, fn, "radius is less than -1");
  return guarded_known(fn, [&] {
    const auto role = action == VIGIL_BANK_ALLOW ? vb::BankRole::negative : vb::BankRole::positive;
    std::unique_lock<std::shared_mutex> lock(bank->state->mutex);
    bank->state->banks->add_bank(vb::Bank(name, kSignals[signal], role, radius), kActions[action]);
    return VIGIL_OK;
  });
}

int vigil_bank_add(vigil_bank* bank, const char* name, const char* hex, size_t hex_len,
                   const char* label, size_t label_len) {
  static const char fn[] = "vigil_bank_add";
  VIGIL_REQUIRE(bank != nullptr, fn, "bank is NULL");
  VIGIL_REQUIRE(hex != nullptr, fn, "hex is NULL");
  VIGIL_REQUIRE(label != nullptr || label_len == 0, fn, "label is NULL with label_len > 0");
  return guarded_known(fn, [&] {
    std::unique_lock<std::shared_mutex> lock(bank->state->mutex);
    target_bank(*bank->state->banks, name)
        .add(std::string_view(hex, hex_len), std::string(label_len ? label : "", label_len));
    return VIGIL_OK;
  });
}

size_t vigil_bank_size(const vigil_bank* bank) {
  if (bank == nullptr) return fail(VIGIL_E_INVALID, "vigil_bank_size: bank is NULL"), 0;
  std::shared_lock<std::shared_mutex> lock(bank->state->mutex);
  const vb::BankSet& set = bank->state->banks->set();
  std::size_t entries = 0;
  for (std::size_t i = 0; i < set.size(); ++i) entries += set.at(i).size();
  return entries;
}

size_t vigil_bank_count(const vigil_bank* bank) {
  if (bank == nullptr) return fail(VIGIL_E_INVALID, "vigil_bank_count: bank is NULL"), 0;
  std::shared_lock<std::shared_mutex> lock(bank->state->mutex);
  return bank->state->banks->size();
}

int vigil_bank_get_info(const vigil_bank* bank, size_t i, vigil_bank_info* out) {
  static const char fn[] = "vigil_bank_get_info";
  VIGIL_REQUIRE(bank != nullptr && out != nullptr, fn, "bank or out is NULL");
  VIGIL_REQUIRE(out->struct_size >= VIGIL_FIELD_END(vigil_bank_info, size) &&
                    out->struct_size <= sizeof(vigil_bank_info),
                fn, "out->struct_size is not a vigil_bank_info size this library knows");
  std::shared_lock<std::shared_mutex> lock(bank->state->mutex);
  const vigil::ScanBanks& banks = *bank->state->banks;
  VIGIL_REQUIRE(i < banks.size(), fn, "bank index out of range");
  const vb::Bank& b = banks.set().at(i);
  out->name = b.name().c_str();
  out->signal = static_cast<int>(b.signal());  // vigil_signal follows SignalType's order
  out->action = static_cast<int>(banks.action(b.name()));  // and vigil_bank_action BankAction's
  out->radius = b.radius();
  out->size = b.size();
  last_error.clear();
  return VIGIL_OK;
}

int vigil_bank_query(const vigil_bank* bank, int signal, const char* hex, size_t hex_len,
                     int radius, vigil_verdict** out) {
  static const char fn[] = "vigil_bank_query";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(bank != nullptr, fn, "bank is NULL");
  VIGIL_REQUIRE(hex != nullptr || hex_len == 0, fn, "hex is NULL with hex_len > 0");
  VIGIL_REQUIRE(signal_ok(signal), fn, "signal is not a vigil_signal");
  VIGIL_REQUIRE(radius >= -1, fn, "radius is less than -1");
  return guarded_known(fn, [&] {
    const std::string_view text(hex_len ? hex : "", hex_len);
    const vb::SignalType type = kSignals[signal];
    if (!vb::valid_hash_text(type, text))
      throw ApiError(VIGIL_E_HASH, std::string("not a ") + vb::signal_name(type) + " hash (" +
                                       std::to_string(vb::signal_hex_length(type)) + " hex digits)");
    auto v = std::make_unique<vigil_verdict>();
    std::shared_lock<std::shared_mutex> lock(bank->state->mutex);
    v->v = query_banks(*bank->state->banks, type, text, radius);
    *out = v.release();
    return VIGIL_OK;
  });
}

}  // extern "C"

static_assert(static_cast<int>(vigil::bank::SignalType::simhash64) == VIGIL_SIGNAL_SIMHASH64 &&
                  static_cast<int>(vigil::bank::SignalType::pdq) == VIGIL_SIGNAL_PDQ,
              "vigil_signal mirrors bank::SignalType");
static_assert(static_cast<int>(vigil::BankAction::allow) == VIGIL_BANK_ALLOW &&
                  static_cast<int>(vigil::BankAction::review) == VIGIL_BANK_REVIEW,
              "vigil_bank_action mirrors BankAction");

#include "dualuse/authority/licence.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "authority/json_util.h"

namespace dualuse::authority {
namespace {

// Tolerance for sums of decimal values held as doubles (well below a cent).
constexpr double kEpsilon = 1e-6;

using internal::FormatNumber;

}  // namespace

std::vector<Remaining> RemainingOnLicence(const Licence& licence,
                                          const std::vector<Booking>& bookings) {
  std::vector<Remaining> out;
  out.reserve(licence.allowances.size());
  for (const auto& a : licence.allowances) {
    Remaining r;
    r.item_id = a.item_id;
    for (const auto& b : bookings) {
      if (b.licence_id != licence.id || b.item_id != a.item_id) continue;
      r.booked_quantity += b.quantity;
      r.booked_value_eur += b.value_eur;
    }
    if (a.quantity) r.quantity = *a.quantity - r.booked_quantity;
    if (a.value_eur) r.value_eur = *a.value_eur - r.booked_value_eur;
    out.push_back(r);
  }
  return out;
}

namespace {
constexpr std::array<std::pair<LicenceStatus, const char*>, 4> kLicenceStatuses{{
    {LicenceStatus::kNotYetValid, "not_yet_valid"},
    {LicenceStatus::kActive, "active"},
    {LicenceStatus::kExhausted, "exhausted"},
    {LicenceStatus::kExpired, "expired"},
}};
}  // namespace

const char* LicenceStatusName(LicenceStatus s) {
  for (const auto& [v, name] : kLicenceStatuses) {
    if (v == s) return name;
  }
  return "?";
}

bool ParseLicenceStatus(const std::string& s, LicenceStatus* out) {
  for (const auto& [v, name] : kLicenceStatuses) {
    if (s == name) {
      *out = v;
      return true;
    }
  }
  return false;
}

LicenceStatus LicenceStatusOn(const Licence& licence, const std::vector<Remaining>& remaining,
                              const Date& as_of) {
  if (as_of < licence.validity.from) return LicenceStatus::kNotYetValid;
  if (licence.validity.until && !(as_of < *licence.validity.until)) return LicenceStatus::kExpired;
  if (remaining.empty()) return LicenceStatus::kActive;
  for (const auto& r : remaining) {
    bool used_up =
        (r.quantity && *r.quantity <= kEpsilon) || (r.value_eur && *r.value_eur <= kEpsilon);
    if (!used_up) return LicenceStatus::kActive;
  }
  return LicenceStatus::kExhausted;
}

Status CheckBooking(const Licence& licence, const std::vector<Booking>& bookings,
                    const Booking& next) {
  if (next.licence_id != licence.id) {
    return Status::InvalidArgument("booking is for licence " + next.licence_id + ", not " +
                                   licence.id);
  }
  // Sane amounts: a quantity of at least one thousandth of a unit (grams of
  // a kilogram) with at most three decimals, a value in whole cents, both
  // finite and below 10^12: 1e-300 units is not an export.
  auto decimals_ok = [](double v, double scale) {
    double scaled = v * scale;
    return std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::fabs(scaled));
  };
  if (!(next.quantity >= 0.001) || !(next.quantity < 1e12) || !decimals_ok(next.quantity, 1000)) {
    return Status::InvalidArgument(
        "booking quantity must be greater than 0: at least 0.001 and below 10^12, with at most "
        "three decimals (got " +
        FormatNumber(next.quantity) + ")");
  }
  if (!(next.value_eur >= 0) || !(next.value_eur < 1e12) || !decimals_ok(next.value_eur, 100)) {
    return Status::InvalidArgument(
        "booking value_eur must be >= 0 and below 10^12, in whole cents (got " +
        FormatNumber(next.value_eur) + ")");
  }
  if (next.date < licence.validity.from) {
    return Status::FailedPrecondition("refused: licence " + licence.id + " is valid from " +
                                      licence.validity.from.ToString() + "; the export on " +
                                      next.date.ToString() + " is before that");
  }
  if (licence.validity.until && !(next.date < *licence.validity.until)) {
    return Status::FailedPrecondition(
        "refused: licence " + licence.id + " expired: valid until " +
        Date::FromDaysSinceEpoch(licence.validity.until->DaysSinceEpoch() - 1).ToString() +
        " inclusive; the export on " + next.date.ToString() + " is after that");
  }
  const Allowance* allowance = nullptr;
  for (const auto& a : licence.allowances) {
    if (a.item_id == next.item_id) allowance = &a;
  }
  if (!allowance) {
    return Status::FailedPrecondition("refused: licence " + licence.id + " does not cover item " +
                                      next.item_id);
  }
  for (const auto& r : RemainingOnLicence(licence, bookings)) {
    if (r.item_id != next.item_id) continue;
    if (r.quantity && next.quantity > *r.quantity + kEpsilon) {
      return Status::FailedPrecondition("refused: item " + next.item_id + " on licence " +
                                        licence.id + ": quantity " + FormatNumber(next.quantity) +
                                        " exceeds what is left (" + FormatNumber(*r.quantity) +
                                        " of " + FormatNumber(*allowance->quantity) + "; " +
                                        FormatNumber(r.booked_quantity) + " already booked)");
    }
    if (r.value_eur && next.value_eur > *r.value_eur + kEpsilon) {
      return Status::FailedPrecondition("refused: item " + next.item_id + " on licence " +
                                        licence.id + ": value EUR " + FormatNumber(next.value_eur) +
                                        " exceeds what is left (EUR " + FormatNumber(*r.value_eur) +
                                        " of " + FormatNumber(*allowance->value_eur) + "; EUR " +
                                        FormatNumber(r.booked_value_eur) + " already booked)");
    }
  }
  return Status::Ok();
}

}  // namespace dualuse::authority

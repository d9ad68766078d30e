// Licences and the exports booked against them: validity and depletion of
// quantity and value per item line. An export outside the validity period,
// for an item the licence does not cover, or beyond what is left is refused
// with a Status saying why (FailedPrecondition).
#ifndef DUALUSE_AUTHORITY_LICENCE_H_
#define DUALUSE_AUTHORITY_LICENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "dualuse/authority/types.h"
#include "dualuse/base/status.h"

namespace dualuse::authority {

// What is left on one allowance. Empty optional = no limit of that kind.
struct Remaining {
  std::string item_id;
  std::optional<double> quantity;
  std::optional<double> value_eur;
  double booked_quantity = 0;
  double booked_value_eur = 0;
};

// Fast path: folds `bookings` (those of this licence; others are ignored)
// into what remains per allowance, in allowance order.
std::vector<Remaining> RemainingOnLicence(const Licence& licence,
                                          const std::vector<Booking>& bookings);

// Where a licence stands on a date, as the licensing officer's register
// shows it (GET /authority/licences). The dates come first: before
// validity.from it is not yet valid, from validity.until (exclusive) on it has
// expired, whatever was booked. Within the validity it is exhausted when no
// allowance has anything left (each has a quantity limit or a value limit
// with nothing left: CheckBooking refuses every further export of a quantity
// > 0 and a value > 0), else active. A global licence without limits is never
// exhausted.
enum class LicenceStatus { kNotYetValid, kActive, kExhausted, kExpired };
const char* LicenceStatusName(LicenceStatus s);  // not_yet_valid, active, exhausted, expired
bool ParseLicenceStatus(const std::string& s, LicenceStatus* out);

// `remaining` is RemainingOnLicence(licence, its bookings).
LicenceStatus LicenceStatusOn(const Licence& licence, const std::vector<Remaining>& remaining,
                              const Date& as_of);

// OK when `next` may be booked against `licence` given the earlier
// `bookings`: next.date within the validity period, the item covered, and
// quantity and value within what is left. Quantity must be > 0, value >= 0.
Status CheckBooking(const Licence& licence, const std::vector<Booking>& bookings,
                    const Booking& next);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_LICENCE_H_

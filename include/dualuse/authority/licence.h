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

// OK when `next` may be booked against `licence` given the earlier
// `bookings`: next.date within the validity period, the item covered, and
// quantity and value within what is left. Quantity must be > 0, value >= 0.
Status CheckBooking(const Licence& licence, const std::vector<Booking>& bookings,
                    const Booking& next);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_LICENCE_H_

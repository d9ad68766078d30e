// Date: a calendar date (proleptic Gregorian), as used by legal acts, lists
// and requests. Parsed from and printed as ISO 8601 "YYYY-MM-DD".
#ifndef DUALUSE_BASE_DATE_H_
#define DUALUSE_BASE_DATE_H_

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace dualuse {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Parses "YYYY-MM-DD" with a valid month and day, the month and day also
  // with one digit ("1971-3-5" is 1971-03-05); nullopt otherwise.
  static std::optional<Date> Parse(std::string_view text);
  // Today's date in UTC.
  static Date Today();
  std::string ToString() const;
  // Days since 1970-01-01 (negative before).
  long DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(long days);

  auto operator<=>(const Date&) const = default;
  bool operator==(const Date&) const = default;
};

// A half-open validity period [from, until): `until` empty means open-ended.
struct Period {
  Date from;
  std::optional<Date> until;
  bool Contains(const Date& d) const { return from <= d && (!until || d < *until); }
  bool Overlaps(const Period& o) const {
    bool this_before = until && *until <= o.from;
    bool other_before = o.until && *o.until <= from;
    return !this_before && !other_before;
  }
};

}  // namespace dualuse

#endif  // DUALUSE_BASE_DATE_H_

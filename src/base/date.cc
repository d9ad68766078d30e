#include "dualuse/base/date.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "dualuse/base/clock.h"

namespace dualuse {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<Date> Date::Parse(std::string_view t) {
  // "YYYY-MM-DD", or with a one-digit month or day ("1971-3-5"): unambiguous,
  // and what spreadsheets write.
  auto number = [&](size_t* pos, size_t min, size_t max, int* out) {
    size_t start = *pos;
    int v = 0;
    while (*pos < t.size() && *pos - start < max && t[*pos] >= '0' && t[*pos] <= '9') {
      v = v * 10 + (t[*pos] - '0');
      ++*pos;
    }
    *out = v;
    return *pos - start >= min;
  };
  Date d;
  size_t pos = 0;
  if (!number(&pos, 4, 4, &d.year) || pos >= t.size() || t[pos++] != '-') return std::nullopt;
  if (!number(&pos, 1, 2, &d.month) || pos >= t.size() || t[pos++] != '-') return std::nullopt;
  if (!number(&pos, 1, 2, &d.day) || pos != t.size()) return std::nullopt;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return std::nullopt;
  }
  return d;
}

Date Date::Today() {
  return FromDaysSinceEpoch(static_cast<long>(
      std::chrono::floor<std::chrono::days>(Clock::Now()).time_since_epoch().count()));
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
long Date::DaysSinceEpoch() const {
  int y = year - (month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned mp = static_cast<unsigned>(month + (month > 2 ? -3 : 9));
  unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

Date Date::FromDaysSinceEpoch(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = static_cast<long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

}  // namespace dualuse

#include "dualuse/base/clock.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>

#include "dualuse/base/date.h"

namespace dualuse {
namespace {

using std::chrono::milliseconds;

constexpr long long kUnset = std::numeric_limits<long long>::min();

// Milliseconds since the epoch of a fixed time, or kUnset.
std::atomic<long long> g_scoped{kUnset};
long long g_env = kUnset;
std::once_flag g_env_once;

void ReadEnvironment() {
  const char* v = std::getenv("DUALUSE_FIXED_TIME");
  if (v == nullptr || *v == '\0') return;
  if (auto t = Clock::ParseFixedTime(v)) {
    g_env = t->time_since_epoch().count();
  } else {
    std::fprintf(stderr,
                 "dualuse: DUALUSE_FIXED_TIME: \"%s\": expected YYYY-MM-DDTHH:MM:SSZ or "
                 "YYYY-MM-DD; using the system clock\n",
                 v);
  }
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Clock::TimePoint Clock::Now() {
  long long fixed = g_scoped.load(std::memory_order_acquire);
  if (fixed == kUnset) {
    std::call_once(g_env_once, ReadEnvironment);
    fixed = g_env;
  }
  if (fixed != kUnset) return TimePoint(milliseconds(fixed));
  return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
}

std::string Clock::NowUtc() { return FormatUtc(Now()); }

std::string Clock::NowTimestamp() { return FormatTimestamp(Now()); }

std::optional<Clock::TimePoint> Clock::ParseFixedTime(std::string_view text) {
  std::optional<Date> d = text.size() >= 10 && text[4] == '-' && text[7] == '-'
                              ? Date::Parse(text.substr(0, 10))
                              : std::nullopt;
  if (!d) return std::nullopt;
  int h = 0, m = 0, s = 0, ms = 0;
  if (text.size() > 10) {
    std::string_view t = text.substr(10);
    if (t.size() < 10 || t[0] != 'T' || t[3] != ':' || t[6] != ':' || t.back() != 'Z') {
      return std::nullopt;
    }
    if (!Digits(t, 1, 2, &h) || !Digits(t, 4, 2, &m) || !Digits(t, 7, 2, &s)) return std::nullopt;
    if (t.size() == 14) {
      if (t[9] != '.' || !Digits(t, 10, 3, &ms)) return std::nullopt;
    } else if (t.size() != 10) {
      return std::nullopt;
    }
    if (h > 23 || m > 59 || s > 59) return std::nullopt;
  }
  long long total =
      d->DaysSinceEpoch() * 86400000LL + h * 3600000LL + m * 60000LL + s * 1000LL + ms;
  return TimePoint(milliseconds(total));
}

std::string Clock::FormatUtc(TimePoint t) {
  std::string s = FormatTimestamp(t);
  return s.substr(0, 19) + "Z";
}

std::string Clock::FormatTimestamp(TimePoint t) {
  long long total = t.time_since_epoch().count();
  long long days = total >= 0 ? total / 86400000LL : -((-total + 86399999LL) / 86400000LL);
  long long rest = total - days * 86400000LL;
  Date d = Date::FromDaysSinceEpoch(static_cast<long>(days));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day,
                static_cast<int>(rest / 3600000), static_cast<int>(rest / 60000 % 60),
                static_cast<int>(rest / 1000 % 60), static_cast<int>(rest % 1000));
  return buf;
}

ScopedFixedClock::ScopedFixedClock(Clock::TimePoint t)
    : previous_(g_scoped.exchange(t.time_since_epoch().count(), std::memory_order_acq_rel)) {}

ScopedFixedClock::ScopedFixedClock(std::string_view text) : previous_(kUnset) {
  std::optional<Clock::TimePoint> t = Clock::ParseFixedTime(text);
  if (!t) {
    std::fprintf(stderr, "ScopedFixedClock: \"%.*s\": expected YYYY-MM-DDTHH:MM:SSZ\n",
                 static_cast<int>(text.size()), text.data());
    std::abort();
  }
  previous_ = g_scoped.exchange(t->time_since_epoch().count(), std::memory_order_acq_rel);
}

ScopedFixedClock::~ScopedFixedClock() { g_scoped.store(previous_, std::memory_order_release); }

}  // namespace dualuse

// Clock: the one wall clock of the product.
//
// Every "now" the product writes (store timestamps, a list's imported_at,
// today's date of a determination, audit anchors, tokens' creation) reads
// this clock, so that a run can be fixed in time and reproduced. Elapsed
// time (timeouts, rate limits, benchmarks) uses std::chrono::steady_clock
// and is not affected.
//
// The source, in order: a ScopedFixedClock in effect (tests), else the
// environment variable DUALUSE_FIXED_TIME read once per process
// ("YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DDTHH:MM:SS.mmmZ" or "YYYY-MM-DD" for
// midnight UTC; a value that is none of these is reported once on stderr and
// ignored), else the system clock.
#ifndef DUALUSE_BASE_CLOCK_H_
#define DUALUSE_BASE_CLOCK_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dualuse {

class Clock {
 public:
  using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

  // The current time (UTC, millisecond resolution).
  static TimePoint Now();
  // "YYYY-MM-DDTHH:MM:SSZ".
  static std::string NowUtc();
  // "YYYY-MM-DDTHH:MM:SS.mmmZ": the store's timestamp format.
  static std::string NowTimestamp();

  // Parses the forms DUALUSE_FIXED_TIME accepts; nullopt otherwise.
  static std::optional<TimePoint> ParseFixedTime(std::string_view text);
  static std::string FormatUtc(TimePoint t);        // "YYYY-MM-DDTHH:MM:SSZ"
  static std::string FormatTimestamp(TimePoint t);  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
};

// Fixes the process-wide clock at `t` for its lifetime (tests); restores
// the previous source when destroyed. Not for concurrent use by several
// threads that each fix a different time.
class ScopedFixedClock {
 public:
  explicit ScopedFixedClock(Clock::TimePoint t);
  // `text` in a form Clock::ParseFixedTime accepts; aborts otherwise (a test bug).
  explicit ScopedFixedClock(std::string_view text);
  ~ScopedFixedClock();
  ScopedFixedClock(const ScopedFixedClock&) = delete;
  ScopedFixedClock& operator=(const ScopedFixedClock&) = delete;

 private:
  long long previous_;
};

}  // namespace dualuse

#endif  // DUALUSE_BASE_CLOCK_H_

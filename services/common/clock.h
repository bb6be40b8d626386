// Time for rules: an injectable clock. Domain functions take the day they decide on as a
// parameter; services get it from the Clock the department bootstrap hands them, so that tests
// can run a case on any date (DepartmentOptions::clock) and nothing calls Today() inside a rule.
#pragma once

#include <functional>

#include "absl/time/civil_time.h"

namespace civil {

// Returns today's date in China (fixed UTC+8, China has no daylight saving time).
absl::CivilDay Today();

// Today's date as a department sees it.
using Clock = std::function<absl::CivilDay()>;

// The real calendar: Today().
inline Clock SystemClock() {
  return [] { return Today(); };
}

// A clock stopped on `day`, for tests.
inline Clock FixedClock(absl::CivilDay day) {
  return [day] { return day; };
}

}  // namespace civil

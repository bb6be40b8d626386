// China's working-day calendar as data: the public holidays (法定节假日) and the make-up working
// days (调休) the State Council announces each year, shipped for 2023 to 2026 in the kit's
// migrations 9005 and 9006 (table holiday_calendar; a later year is a later migration). Rules that
// count in working days, or extend a period ending on a rest day (民法典 第203条), take the
// calendar as a value; stores load it with LoadHolidayCalendar (grievance_store.h). Pure: Abseil
// only.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace civil {

// What the calendar says of a day beyond the week's rhythm.
enum class CalendarDayKind {
  kHoliday = 1,  // a public holiday or a day of its bridge: a rest day even on a weekday
  kWorkday = 2,  // a make-up working day (调休): a working day even on a Saturday or Sunday
};

struct CalendarDay {
  absl::CivilDay day;
  CalendarDayKind kind = CalendarDayKind::kHoliday;
};

// "HOLIDAY" or "WORKDAY" (the table's kind column); INVALID_ARGUMENT for anything else.
absl::StatusOr<CalendarDayKind> ParseCalendarDayKind(absl::string_view text);

class HolidayCalendar {
 public:
  // A calendar with no exceptions: Monday to Friday work, Saturday and Sunday rest.
  HolidayCalendar() = default;
  // INVALID_ARGUMENT "day: …" when a day is listed twice.
  static absl::StatusOr<HolidayCalendar> FromDays(const std::vector<CalendarDay>& days);

  // A make-up day works, a holiday rests, otherwise Monday to Friday work.
  bool IsWorkingDay(absl::CivilDay day) const;

  // The `n`-th working day after `from` (the day itself not counted, 民法典 第201条); `from` for
  // n <= 0.
  absl::CivilDay AddWorkingDays(absl::CivilDay from, int n) const;

  // 民法典 第203条: a period whose last day is a rest day (法定休假日: a holiday, or a weekend
  // day that is not a make-up working day) ends on the next working day instead; `last` when it is
  // a working day.
  absl::CivilDay ExtendPastRestDays(absl::CivilDay last) const;

  // How many days the calendar lists.
  size_t size() const { return days_.size(); }
  // The last year it lists a day of (0 when it lists none): a working-day count past its end
  // counts weekends only, missing that year's holidays and make-up days.
  int64_t last_year() const { return last_year_; }

 private:
  absl::flat_hash_map<absl::CivilDay, CalendarDayKind> days_;
  int64_t last_year_ = 0;
};

}  // namespace civil

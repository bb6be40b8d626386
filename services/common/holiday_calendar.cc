#include "services/common/holiday_calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil {

absl::StatusOr<CalendarDayKind> ParseCalendarDayKind(absl::string_view text) {
  if (text == "HOLIDAY") return CalendarDayKind::kHoliday;
  if (text == "WORKDAY") return CalendarDayKind::kWorkday;
  return InvalidField("kind", absl::StrCat("must be HOLIDAY or WORKDAY, not \"", text, "\""));
}

absl::StatusOr<HolidayCalendar> HolidayCalendar::FromDays(const std::vector<CalendarDay>& days) {
  HolidayCalendar calendar;
  for (const CalendarDay& d : days) {
    if (!calendar.days_.emplace(d.day, d.kind).second) {
      return InvalidField("day", absl::StrCat(FormatDay(d.day), " is listed twice"));
    }
    calendar.last_year_ = std::max<int64_t>(calendar.last_year_, d.day.year());
  }
  return calendar;
}

bool HolidayCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (auto it = days_.find(day); it != days_.end()) return it->second == CalendarDayKind::kWorkday;
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

absl::CivilDay HolidayCalendar::AddWorkingDays(absl::CivilDay from, int n) const {
  absl::CivilDay day = from;
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

absl::CivilDay HolidayCalendar::ExtendPastRestDays(absl::CivilDay last) const {
  while (!IsWorkingDay(last)) ++last;
  return last;
}

}  // namespace civil

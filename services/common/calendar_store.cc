#include "services/common/calendar_store.h"

#include <string>
#include <vector>

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil {

absl::StatusOr<HolidayCalendar> LoadHolidayCalendar(pqxx::transaction_base& txn) {
  std::vector<CalendarDay> days;
  for (const pqxx::row& r : txn.exec("SELECT day, kind FROM holiday_calendar ORDER BY day")) {
    absl::StatusOr<CalendarDayKind> kind = ParseCalendarDayKind(r[1].as<std::string>());
    if (!kind.ok()) return absl::InternalError("holiday_calendar: a row of unknown kind");
    days.push_back({DayOf(r[0]), *kind});
  }
  return HolidayCalendar::FromDays(days);
}

}  // namespace civil

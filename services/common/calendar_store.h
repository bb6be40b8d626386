// The holiday calendar as the database ships it (table holiday_calendar, kit migration 9005), for
// stores whose rules count working days or extend periods past rest days (holiday_calendar.h).
#pragma once

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "services/common/holiday_calendar.h"

namespace civil {

// Every row of holiday_calendar. INTERNAL for a row it cannot read.
absl::StatusOr<HolidayCalendar> LoadHolidayCalendar(pqxx::transaction_base& txn);

}  // namespace civil

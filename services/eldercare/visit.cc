#include "services/eldercare/visit.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace civil::eldercare {

IsoWeek IsoWeekOf(absl::CivilDay day) {
  // Days since Monday: Monday 0 … Sunday 6.
  int since_monday = 0;
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      since_monday = 0;
      break;
    case absl::Weekday::tuesday:
      since_monday = 1;
      break;
    case absl::Weekday::wednesday:
      since_monday = 2;
      break;
    case absl::Weekday::thursday:
      since_monday = 3;
      break;
    case absl::Weekday::friday:
      since_monday = 4;
      break;
    case absl::Weekday::saturday:
      since_monday = 5;
      break;
    case absl::Weekday::sunday:
      since_monday = 6;
      break;
  }
  IsoWeek w;
  w.monday = day - since_monday;
  w.sunday = w.monday + 6;
  const absl::CivilDay thursday = w.monday + 3;
  w.year = static_cast<int>(thursday.year());
  w.week = (absl::GetYearDay(thursday) - 1) / 7 + 1;
  return w;
}

std::string FormatIsoWeek(const IsoWeek& week) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-W%02d", week.year, week.week);
  return out;
}

absl::StatusOr<PilotDraft> ValidatePilot(const PilotInput& input, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode township, RegionOf("township_code", input.township_code,
                                                       {RegionCode::Level::kTownship}));
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("township_name", input.township_name, 32,
                                                       /*required=*/false));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay starts_on,
                         EventDate("start_date", input.start_date, today));
  return PilotDraft{std::move(township), std::move(name), starts_on};
}

bool PilotActiveOn(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                   absl::CivilDay day) {
  return starts_on <= day && (!ends_on.has_value() || day <= *ends_on);
}

bool PilotActiveIn(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                   absl::CivilDay first, absl::CivilDay last) {
  return starts_on <= last && (!ends_on.has_value() || *ends_on >= first);
}

absl::Status CheckPilotRuns(absl::string_view field, absl::string_view township, bool declared,
                            absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                            absl::CivilDay day) {
  if (!declared) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": township ", township, " is not a visit pilot (DeclarePilot first)"));
  }
  if (!PilotActiveOn(starts_on, ends_on, day)) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": township ", township, " has no visit programme on ", FormatDay(day),
                     " (from ", FormatDay(starts_on),
                     ends_on ? absl::StrCat(" to ", FormatDay(*ends_on)) : std::string(), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPilotEnd(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                           absl::CivilDay on) {
  if (ends_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: the programme ended already on ", FormatDay(*ends_on)));
  }
  if (on < starts_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("end_date: must not be before the start ", FormatDay(starts_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<RegisterDraft> ValidateRegistration(const RegisterInput& input,
                                                   absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string circumstances,
                         BoundedText("circumstances", input.circumstances, 500,
                                     /*required=*/false, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("register_date", input.register_date, today));
  const int age = AgeOn(id->birth_date(), on);
  if (age < kMinVisitAge) {
    return absl::FailedPreconditionError(absl::StrCat("id_number: the person is ", age, " on ",
                                                      FormatDay(on), ", under ", kMinVisitAge));
  }
  return RegisterDraft{std::move(name), *std::move(id), std::move(region), std::move(circumstances),
                       on};
}

absl::Status CheckDeregistration(absl::CivilDay registered_on,
                                 const std::optional<absl::CivilDay>& deregistered_on,
                                 absl::CivilDay on) {
  if (deregistered_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "step: the person is off the register already since ", FormatDay(*deregistered_on)));
  }
  if (on < registered_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the registration ", FormatDay(registered_on)));
  }
  return absl::OkStatus();
}

bool OnRegister(absl::CivilDay registered_on, const std::optional<absl::CivilDay>& deregistered_on,
                absl::CivilDay day) {
  return registered_on <= day && (!deregistered_on.has_value() || day < *deregistered_on);
}

absl::StatusOr<VisitDraft> ValidateVisit(const VisitInput& input, absl::CivilDay today) {
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("visit_date", input.visit_date, today));
  CIVIL_ASSIGN_OR_RETURN(std::string visitor, BoundedText("visitor", input.visitor, 64));
  CIVIL_ASSIGN_OR_RETURN(std::string findings,
                         RequiredText("findings", input.findings, kMaxVisitText,
                                      "a visit records what was found", TextLines::kMany));
  std::string follow_up;
  if (input.follow_up_needed) {
    CIVIL_ASSIGN_OR_RETURN(
        follow_up, RequiredText("follow_up", input.follow_up, kMaxVisitText,
                                "a follow-up needed says what is to be done", TextLines::kMany));
  } else {
    CIVIL_ASSIGN_OR_RETURN(follow_up, BoundedText("follow_up", input.follow_up, kMaxVisitText,
                                                  /*required=*/false, TextLines::kMany));
    if (!follow_up.empty()) {
      return InvalidField("follow_up", "given only when follow_up_needed is true");
    }
  }
  return VisitDraft{*std::move(id),         on,
                    std::move(visitor),     std::move(findings),
                    input.follow_up_needed, std::move(follow_up)};
}

absl::Status CheckVisitOfPerson(bool registered, absl::CivilDay registered_on,
                                const std::optional<absl::CivilDay>& deregistered_on,
                                absl::CivilDay visited_on) {
  if (!registered) {
    return absl::FailedPreconditionError(
        "id_number: the person is not on the register of elderly living alone (RegisterPerson "
        "first)");
  }
  if (!OnRegister(registered_on, deregistered_on, visited_on)) {
    return absl::FailedPreconditionError(
        absl::StrCat("id_number: the person is not on the register on ", FormatDay(visited_on),
                     " (registered ", FormatDay(registered_on),
                     deregistered_on ? absl::StrCat(", off it from ", FormatDay(*deregistered_on))
                                     : std::string(),
                     ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckFollowUpClose(bool follow_up_needed,
                                const std::optional<absl::CivilDay>& closed_on,
                                absl::CivilDay visited_on, absl::CivilDay on) {
  if (!follow_up_needed) {
    return absl::FailedPreconditionError("step: the visit needs no follow-up");
  }
  if (closed_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: the follow-up was closed on ", FormatDay(*closed_on)));
  }
  if (on < visited_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the visit ", FormatDay(visited_on)));
  }
  return absl::OkStatus();
}

std::string VisitPilotLine(const std::vector<std::string>& townships) {
  if (townships.empty()) return "未开展特殊困难老年人探视走访试点";
  return absl::StrCat("在", absl::StrJoin(townships, "、"),
                      "开展特殊困难老年人探视走访试点项目试点,实施特殊困难独居老年人周探访");
}

}  // namespace civil::eldercare

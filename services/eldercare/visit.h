// Weekly visits (探访关爱) to special-difficulty elderly living alone in pilot townships (pure C++
// on Abseil): the pilot programme of a township (from a day, until a day), the register of the
// persons to visit, the visits with their follow-ups, and the ISO week a worklist is about.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

inline constexpr int kMinVisitAge = 60;
inline constexpr int kMaxVisitText = 2000;

// The ISO 8601 week of a day: Monday to Sunday, numbered in the year of its Thursday.
struct IsoWeek {
  absl::CivilDay monday;
  absl::CivilDay sunday;
  int year = 0;  // the ISO week-numbering year (that of the week's Thursday)
  int week = 0;  // 1..53
};
IsoWeek IsoWeekOf(absl::CivilDay day);
// `2023-W28`.
std::string FormatIsoWeek(const IsoWeek& week);

// A township's visit programme, as declared.
struct PilotInput {
  std::string township_code;
  std::string township_name;
  std::string start_date;
};
struct PilotDraft {
  RegionCode township;  // 9 digits
  std::string name;     // may be empty
  absl::CivilDay starts_on;
};
// Validates: a 9-digit township code, the name 0–32 characters, the start date (default
// `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<PilotDraft> ValidatePilot(const PilotInput& input, absl::CivilDay today);

// Whether a programme from `starts_on` to `ends_on` (its last day; none = running) runs on `day`,
// and at some day of `first`..`last`.
bool PilotActiveOn(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                   absl::CivilDay day);
bool PilotActiveIn(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                   absl::CivilDay first, absl::CivilDay last);

// The programme of `township` must run on `day`: FAILED_PRECONDITION "<field>: township … has no
// visit programme on …" otherwise (`declared` false: no programme at all).
absl::Status CheckPilotRuns(absl::string_view field, absl::string_view township, bool declared,
                            absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                            absl::CivilDay day);

// Ending a programme on `on`: FAILED_PRECONDITION "step: … ended already on …" when it has an end,
// "end_date: must not be before the start …" when `on` is before its start.
absl::Status CheckPilotEnd(absl::CivilDay starts_on, const std::optional<absl::CivilDay>& ends_on,
                           absl::CivilDay on);

// A person put on the register, as entered.
struct RegisterInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  std::string circumstances;
  std::string register_date;
};
struct RegisterDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // 12-digit village/community
  std::string circumstances;
  absl::CivilDay registered_on;
};
// Validates: name 1–64 characters, a valid ID number, a 12-digit residence, circumstances 0–500
// characters, the date (default `today`, never in the future); INVALID_ARGUMENT naming the field.
// FAILED_PRECONDITION "id_number: the person is N on …, under 60" for a younger person.
absl::StatusOr<RegisterDraft> ValidateRegistration(const RegisterInput& input,
                                                   absl::CivilDay today);

// Taking a person off the register on `on`: FAILED_PRECONDITION "step: … off the register
// already" when deregistered, "date: …" before the registration.
absl::Status CheckDeregistration(absl::CivilDay registered_on,
                                 const std::optional<absl::CivilDay>& deregistered_on,
                                 absl::CivilDay on);

// Whether a person registered on `registered_on` (off it from `deregistered_on`) is on the register
// on `day`.
bool OnRegister(absl::CivilDay registered_on, const std::optional<absl::CivilDay>& deregistered_on,
                absl::CivilDay day);

// A visit, as entered.
struct VisitInput {
  std::string id_number;
  std::string visit_date;
  std::string visitor;
  std::string findings;
  bool follow_up_needed = false;
  std::string follow_up;
};
struct VisitDraft {
  IdNumber id;
  absl::CivilDay visited_on;
  std::string visitor;
  std::string findings;
  bool follow_up_needed = false;
  std::string follow_up;
};
// Validates: a valid ID number, the visit date (default `today`, never in the future), the visitor
// 1–64 characters, findings 1–2000 (line breaks allowed), and the follow-up: required (1–2000)
// when needed, empty otherwise. INVALID_ARGUMENT naming the field.
absl::StatusOr<VisitDraft> ValidateVisit(const VisitInput& input, absl::CivilDay today);

// The person visited must be on the register on the visit day: FAILED_PRECONDITION "id_number: …"
// (`registered` false: not on the register at all).
absl::Status CheckVisitOfPerson(bool registered, absl::CivilDay registered_on,
                                const std::optional<absl::CivilDay>& deregistered_on,
                                absl::CivilDay visited_on);

// Closing a visit's follow-up on `on`: FAILED_PRECONDITION "step: the visit needs no follow-up" /
// "step: the follow-up was closed on …", "date: …" before the visit.
absl::Status CheckFollowUpClose(bool follow_up_needed,
                                const std::optional<absl::CivilDay>& closed_on,
                                absl::CivilDay visited_on, absl::CivilDay on);

// The report's sentence on the pilots (REPORT.md 一(二), the seed's wording), the townships by
// name in the order given: "在会宫镇、雨坛镇、浮山镇开展特殊困难老年人探视走访试点项目试点,
// 实施特殊困难独居老年人周探访"; with none, "未开展特殊困难老年人探视走访试点".
std::string VisitPilotLine(const std::vector<std::string>& townships);

}  // namespace civil::eldercare

// Rules of "community whistle, departments report" items (社区吹哨、部门报到, pure C++ on Abseil):
// a village/community blows the whistle on a matter for a county department, which must answer
// (报到) by a due day; an item unanswered after its due day is overdue.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"

namespace civil::governance {

// Days a department has to answer when the whistle names none; at most kMaxAnswerDays.
inline constexpr int kDefaultAnswerDays = 7;
inline constexpr int kMaxAnswerDays = 60;

// A whistle as entered.
struct WhistleDraft {
  RegionCode village;
  std::string matter;
  std::string department;  // the department called
  absl::CivilDay whistled_on;
  absl::CivilDay due_on;  // whistled_on + answer days
};

// Validates: a 12-digit village code, a matter of 1–500 characters, a department of 1–64, the
// date (default `today`, never in the future), `answer_days` 0 (= kDefaultAnswerDays) to
// kMaxAnswerDays. INVALID_ARGUMENT naming the field.
absl::StatusOr<WhistleDraft> ValidateWhistle(absl::string_view village_code,
                                             absl::string_view matter, absl::string_view department,
                                             absl::string_view whistle_date, int answer_days,
                                             absl::CivilDay today);

// An answer as entered.
struct AnswerDraft {
  std::string department;  // the department that answered (may differ from the one called)
  std::string answer;
  absl::CivilDay answered_on;
};

// Validates: department 1–64 characters, answer 1–500, the date (default `today`, never in the
// future). INVALID_ARGUMENT naming the field.
absl::StatusOr<AnswerDraft> ValidateAnswer(absl::string_view department, absl::string_view answer,
                                           absl::string_view answered_date, absl::CivilDay today);

// Whether an item whistled on `whistled_on` and answered on `answered_on` (nullopt: not yet) may
// take `answer`: FAILED_PRECONDITION "item_id: …" when answered already, "answered_date: …" when
// the answer is dated before the whistle.
absl::Status CheckAnswer(absl::CivilDay whistled_on, std::optional<absl::CivilDay> answered_on,
                         const AnswerDraft& answer);

// Whether an item due on `due_on` is overdue on `as_of`: not answered by `as_of` and `as_of` is
// after `due_on`. An answer after the due day makes it late, not overdue.
bool IsOverdue(absl::CivilDay due_on, std::optional<absl::CivilDay> answered_on,
               absl::CivilDay as_of);

}  // namespace civil::governance

#include "services/governance/whistle.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {

absl::StatusOr<WhistleDraft> ValidateWhistle(absl::string_view village_code,
                                             absl::string_view matter, absl::string_view department,
                                             absl::string_view whistle_date, int answer_days,
                                             absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string m, BoundedText("matter", matter, 500, true, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(std::string d, BoundedText("department", department, 64));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("whistle_date", whistle_date, today));
  if (answer_days < 0 || answer_days > kMaxAnswerDays) {
    return InvalidField("answer_days", absl::StrCat("must be from 0 (= ", kDefaultAnswerDays,
                                                    ") to ", kMaxAnswerDays));
  }
  const int days = answer_days == 0 ? kDefaultAnswerDays : answer_days;
  return WhistleDraft{std::move(village), std::move(m), std::move(d), on, on + days};
}

absl::StatusOr<AnswerDraft> ValidateAnswer(absl::string_view department, absl::string_view answer,
                                           absl::string_view answered_date, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string d, BoundedText("department", department, 64));
  CIVIL_ASSIGN_OR_RETURN(std::string a, BoundedText("answer", answer, 500, true, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("answered_date", answered_date, today));
  return AnswerDraft{std::move(d), std::move(a), on};
}

absl::Status CheckAnswer(absl::CivilDay whistled_on, std::optional<absl::CivilDay> answered_on,
                         const AnswerDraft& answer) {
  if (answered_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "item_id: the item was answered on ", absl::FormatCivilTime(*answered_on), " already"));
  }
  if (answer.answered_on < whistled_on) {
    return absl::FailedPreconditionError(absl::StrCat("answered_date: before the whistle (",
                                                      absl::FormatCivilTime(whistled_on), ")"));
  }
  return absl::OkStatus();
}

bool IsOverdue(absl::CivilDay due_on, std::optional<absl::CivilDay> answered_on,
               absl::CivilDay as_of) {
  if (answered_on && *answered_on <= as_of) return false;
  return as_of > due_on;
}

}  // namespace civil::governance

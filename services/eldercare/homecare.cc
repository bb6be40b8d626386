#include "services/eldercare/homecare.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace civil::eldercare {

std::string LevelLabel(int level) { return absl::StrCat("level-", level); }

absl::StatusOr<LevelSchedule> ValidateLevelSchedule(absl::string_view region_prefix,
                                                    absl::string_view effective_month,
                                                    const std::vector<LevelAmount>& levels) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode prefix, NonEmptyPrefix("region_prefix", region_prefix));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month,
                         RequiredMonth("effective_month", effective_month));
  if (levels.empty()) return InvalidField("levels", "at least one level is required");
  for (size_t i = 0; i < levels.size(); ++i) {
    const std::string field = absl::StrCat("levels[", i, "]");
    if (levels[i].level < kMinLevel || levels[i].level > kMaxLevel) {
      return InvalidField(absl::StrCat(field, ".level"),
                          absl::StrCat("must be from ", kMinLevel, " to ", kMaxLevel));
    }
    if (i > 0 && levels[i].level <= levels[i - 1].level) {
      return InvalidField(absl::StrCat(field, ".level"), "levels must ascend, each level once");
    }
    if (levels[i].monthly_fen < 1 || levels[i].monthly_fen > kMaxSubsidyFen) {
      return InvalidField(absl::StrCat(field, ".monthly_fen"),
                          absl::StrCat("must be from 1 to ", kMaxSubsidyFen));
    }
  }
  return LevelSchedule{std::move(prefix), month, levels};
}

const LevelSchedule* LevelScheduleFor(const std::vector<LevelSchedule>& schedules,
                                      absl::string_view region_code, absl::CivilMonth month) {
  const LevelSchedule* best = nullptr;
  for (const LevelSchedule& s : schedules) {
    if (s.effective_month > month) continue;
    if (!absl::StartsWith(region_code, s.region_prefix.value())) continue;
    const size_t length = s.region_prefix.value().size();
    if (best == nullptr || length > best->region_prefix.value().size() ||
        (length == best->region_prefix.value().size() &&
         s.effective_month > best->effective_month)) {
      best = &s;
    }
  }
  return best;
}

std::optional<int64_t> LevelAmountOf(const LevelSchedule& schedule, int level) {
  for (const LevelAmount& l : schedule.levels) {
    if (l.level == level) return l.monthly_fen;
  }
  return std::nullopt;
}

absl::StatusOr<AssessmentDraft> ValidateAssessment(const AssessmentInput& input,
                                                   absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  if (!input.low_income && !input.disabled && !input.living_alone) {
    return InvalidField("grounds",
                        "at least one of low_income, disabled, living_alone must be assessed");
  }
  if (input.level < kMinLevel || input.level > kMaxLevel) {
    return InvalidField("level", absl::StrCat("must be from ", kMinLevel, " to ", kMaxLevel));
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay assessed,
                         EventDate("assessment_date", input.assessment_date, today));
  if (assessed < id->birth_date()) {
    return InvalidField("assessment_date", "must not be before the birth date in the ID number");
  }
  CIVIL_ASSIGN_OR_RETURN(std::string assessor, BoundedText("assessor", input.assessor, 64));
  return AssessmentDraft{std::move(name),  *std::move(id), std::move(region),
                         input.low_income, input.disabled, input.living_alone,
                         input.level,      assessed,       std::move(assessor)};
}

absl::Status CheckAssessment(const LevelSchedule* schedule, const AssessmentDraft& draft) {
  const int age = AgeOn(draft.id.birth_date(), draft.assessed_on);
  if (age < kElderlyAge) {
    return absl::FailedPreconditionError(absl::StrCat("id_number: the person is ", age, " on ",
                                                      FormatDay(draft.assessed_on), ", under ",
                                                      kElderlyAge));
  }
  if (schedule == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("region_code: no 居家养老服务补贴 level schedule covers ",
                     draft.region.value(), " in ", FormatMonth(absl::CivilMonth(draft.assessed_on)),
                     "; a reviewer sets one with SetLevelSchedule"));
  }
  if (!LevelAmountOf(*schedule, draft.level)) {
    std::vector<int> known;
    for (const LevelAmount& l : schedule->levels) known.push_back(l.level);
    return absl::FailedPreconditionError(absl::StrCat(
        "level: level ", draft.level, " is not in the schedule of ",
        schedule->region_prefix.value(), " from ", FormatMonth(schedule->effective_month),
        " (levels ", absl::StrJoin(known, ", "), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckSubsidyApproval(SubsidyStatus status, absl::string_view recorded_by,
                                  absl::string_view approver, absl::CivilDay assessed_on,
                                  absl::CivilDay decided_on) {
  if (status != SubsidyStatus::kPendingApproval) {
    return absl::FailedPreconditionError(
        absl::StrCat("subsidy_id: the subsidy is ",
                     kSubsidyStatusNames.Name(static_cast<int>(status)), ", not pending"));
  }
  if (recorded_by == approver) {
    return absl::PermissionDeniedError(
        "maker-checker: the approver must not be the person who recorded the assessment");
  }
  if (decided_on < assessed_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "decision_date: must not be before the assessment date ", FormatDay(assessed_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilMonth> SubsidyStopMonth(SubsidyStatus status, absl::CivilMonth start,
                                                  int reason, absl::string_view note,
                                                  absl::CivilDay on) {
  CIVIL_RETURN_IF_ERROR(kSubsidyStopReasonNames.Require("reason", reason));
  if (reason == static_cast<int>(SubsidyStopReason::kDeceased)) {
    return InvalidField("reason",
                        "a death stops the subsidy when it is recorded (PersonDeceased), not by "
                        "hand");
  }
  if (reason == static_cast<int>(SubsidyStopReason::kOther) && note.empty()) {
    return InvalidField("note", "a stop for another reason needs a written note");
  }
  if (status != SubsidyStatus::kActive) {
    return absl::FailedPreconditionError(
        absl::StrCat("subsidy_id: the subsidy is ",
                     kSubsidyStatusNames.Name(static_cast<int>(status)), ", not active"));
  }
  const absl::CivilMonth stop = absl::CivilMonth(on) + 1;
  return stop < start ? start : stop;
}

absl::CivilMonth SubsidyStopAfterDeath(absl::CivilDay died) { return absl::CivilMonth(died) + 1; }

PricedSubsidies PriceSubsidies(const std::vector<DueSubsidy>& due,
                               const std::vector<LevelSchedule>& schedules,
                               absl::CivilMonth month) {
  PricedSubsidies priced;
  for (const DueSubsidy& p : due) {
    const LevelSchedule* schedule = LevelScheduleFor(schedules, p.region_code, month);
    std::optional<int64_t> amount;
    if (schedule != nullptr) amount = LevelAmountOf(*schedule, p.level);
    if (!amount) {
      ++priced.unpriced;
      continue;
    }
    priced.payments.push_back({p.subsidy_id, LevelLabel(p.level), *amount, p.region_code});
  }
  return priced;
}

absl::Status CheckSubsidyStopReversal(SubsidyStatus status, bool deceased, bool other_open) {
  if (status != SubsidyStatus::kStopped) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: the subsidy is ", kSubsidyStatusNames.Name(static_cast<int>(status)),
                     ", not stopped"));
  }
  if (deceased) {
    return absl::FailedPreconditionError(
        "case_id: the person's death is recorded; a stop for death is not reversed by a "
        "grievance");
  }
  if (other_open) {
    return absl::FailedPreconditionError(
        "case_id: the person has another open 居家养老服务补贴 since the stop; decide that one "
        "instead");
  }
  return absl::OkStatus();
}

}  // namespace civil::eldercare

#include "services/eldercare/allowance.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {

std::string TierLabel(const Tier& tier) {
  if (tier.max_age == 0) return absl::StrCat(tier.min_age, "+");
  return absl::StrCat(tier.min_age, "-", tier.max_age);
}

absl::StatusOr<TierSchedule> ValidateTierSchedule(absl::string_view region_prefix,
                                                  absl::string_view effective_month,
                                                  const std::vector<Tier>& tiers) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode prefix, NonEmptyPrefix("region_prefix", region_prefix));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month,
                         RequiredMonth("effective_month", effective_month));
  if (tiers.empty()) return InvalidField("tiers", "at least one tier is required");
  for (size_t i = 0; i < tiers.size(); ++i) {
    const Tier& t = tiers[i];
    const std::string field = absl::StrCat("tiers[", i, "]");
    if (t.min_age < kMinTierAge || t.min_age > kMaxTierAge) {
      return InvalidField(absl::StrCat(field, ".min_age"),
                          absl::StrCat("must be from ", kMinTierAge, " to ", kMaxTierAge));
    }
    if (i > 0 && t.min_age != tiers[i - 1].max_age + 1) {
      return InvalidField(absl::StrCat(field, ".min_age"),
                          absl::StrCat("must be ", tiers[i - 1].max_age + 1,
                                       ", the age after the previous tier's last (tiers ascend "
                                       "without gaps or overlaps)"));
    }
    if (t.max_age == 0) {
      if (i + 1 != tiers.size()) {
        return InvalidField(absl::StrCat(field, ".max_age"),
                            "only the last tier may be open-ended (0)");
      }
    } else if (t.max_age < t.min_age || t.max_age > kMaxTierAge) {
      return InvalidField(
          absl::StrCat(field, ".max_age"),
          absl::StrCat("must be 0 (no upper bound) or from min_age to ", kMaxTierAge));
    }
    if (t.monthly_fen < 1 || t.monthly_fen > kMaxMonthlyFen) {
      return InvalidField(absl::StrCat(field, ".monthly_fen"),
                          absl::StrCat("must be from 1 to ", kMaxMonthlyFen));
    }
  }
  return TierSchedule{std::move(prefix), month, tiers};
}

const TierSchedule* ScheduleFor(const std::vector<TierSchedule>& schedules,
                                absl::string_view region_code, absl::CivilMonth month) {
  const TierSchedule* best = nullptr;
  for (const TierSchedule& s : schedules) {
    if (s.effective_month > month) continue;
    if (!absl::StartsWith(region_code, s.region_prefix.value())) continue;
    if (best == nullptr || s.region_prefix.value().size() > best->region_prefix.value().size() ||
        (s.region_prefix.value().size() == best->region_prefix.value().size() &&
         s.effective_month > best->effective_month)) {
      best = &s;
    }
  }
  return best;
}

int TierAge(absl::CivilDay birth, absl::CivilMonth month) {
  return AgeOn(birth, absl::CivilDay(month) - 1);
}

std::optional<Tier> TierFor(const TierSchedule& schedule, absl::CivilDay birth,
                            absl::CivilMonth month) {
  const int age = TierAge(birth, month);
  for (const Tier& t : schedule.tiers) {
    if (age >= t.min_age && (t.max_age == 0 || age <= t.max_age)) return t;
  }
  return std::nullopt;
}

bool NeedsLowIncomeCheck(const TierSchedule* schedule, absl::CivilDay birth,
                         absl::CivilDay applied_on) {
  if (schedule == nullptr) return false;
  const int age = AgeOn(birth, applied_on);
  for (const Tier& t : schedule->tiers) {
    if (age >= t.min_age && (t.max_age == 0 || age <= t.max_age)) return t.low_income_only;
  }
  return false;
}

LowIncomeDecision DecideLowIncome(const std::vector<EnrolmentFact>& facts) {
  for (const EnrolmentFact& f : facts) {
    if (!f.active) continue;
    for (absl::string_view programme : kLowIncomeProgrammes) {
      if (f.programme == programme) return {true, f.enrolment_id};
    }
  }
  return {};
}

std::string NotLowIncomeReason(absl::CivilDay as_of) {
  return absl::StrCat(
      "not a low-income household: assistance reports no active 低保, 特困 or 低保边缘 enrolment "
      "on ",
      FormatDay(as_of));
}

absl::Status NotLowIncomeError(absl::string_view region_prefix, absl::CivilDay as_of) {
  return absl::FailedPreconditionError(absl::StrCat(
      "id_number: the 高龄津贴 tier of this person's age in ", region_prefix,
      " is paid only to low-income households (低保, 特困, 低保边缘); assistance reports none on ",
      FormatDay(as_of)));
}

absl::StatusOr<EnrolmentDraft> ValidateEnrolment(const EnrolmentInput& input,
                                                 absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay applied,
                         EventDate("application_date", input.application_date, today));
  if (applied < id->birth_date()) {
    return InvalidField("application_date", "must not be before the birth date in the ID number");
  }
  return EnrolmentDraft{std::move(name), *std::move(id), std::move(region), applied};
}

absl::Status CheckEnrolmentAge(const TierSchedule* schedule, absl::string_view region_code,
                               absl::CivilDay birth, absl::CivilDay applied_on) {
  if (schedule == nullptr || schedule->tiers.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "region_code: no 高龄津贴 tier schedule covers ", region_code, " in ",
        FormatMonth(absl::CivilMonth(applied_on)), "; a reviewer sets one with SetTierSchedule"));
  }
  const int lowest = schedule->tiers.front().min_age;
  const int age = AgeOn(birth, applied_on);
  if (age < lowest) {
    return absl::FailedPreconditionError(
        absl::StrCat("id_number: the person is ", age, " on ", FormatDay(applied_on),
                     ", under the lowest 高龄津贴 tier (", lowest, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckApproval(EnrolmentStatus status, absl::string_view recorded_by,
                           absl::string_view approver, absl::CivilDay applied_on,
                           absl::CivilDay decided_on) {
  if (status == EnrolmentStatus::kPendingEligibility) {
    return absl::FailedPreconditionError(
        "enrolment_id: waiting for assistance to confirm a low-income household; "
        "RecheckEligibility first");
  }
  if (status != EnrolmentStatus::kPendingApproval) {
    return absl::FailedPreconditionError(
        absl::StrCat("enrolment_id: the enrolment is ",
                     kEnrolmentStatusNames.Name(static_cast<int>(status)), ", not pending"));
  }
  if (recorded_by == approver) {
    return absl::PermissionDeniedError(
        "maker-checker: the approver must not be the person who recorded the enrolment");
  }
  if (decided_on < applied_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "decision_date: must not be before the application date ", FormatDay(applied_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilMonth> StopMonth(EnrolmentStatus status, absl::CivilMonth start,
                                           absl::CivilDay on) {
  if (status != EnrolmentStatus::kActive) {
    return absl::FailedPreconditionError(
        absl::StrCat("enrolment_id: the enrolment is ",
                     kEnrolmentStatusNames.Name(static_cast<int>(status)), ", not active"));
  }
  const absl::CivilMonth stop = absl::CivilMonth(on) + 1;
  return stop < start ? start : stop;
}

absl::Status CheckStopReversal(EnrolmentStatus status, bool deceased) {
  if (status != EnrolmentStatus::kStopped) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: the enrolment is ",
                     kEnrolmentStatusNames.Name(static_cast<int>(status)), ", not stopped"));
  }
  if (deceased) {
    return absl::FailedPreconditionError(
        "case_id: the person's death is recorded; a stop for death is not reversed by a "
        "grievance");
  }
  return absl::OkStatus();
}

PricedMonth PriceMonth(const std::vector<DuePerson>& due,
                       const std::vector<TierSchedule>& schedules, absl::CivilMonth month) {
  PricedMonth priced;
  for (const DuePerson& p : due) {
    const TierSchedule* schedule = ScheduleFor(schedules, p.region_code, month);
    if (schedule == nullptr) {
      ++priced.unpriced;
      continue;
    }
    std::optional<Tier> tier = TierFor(*schedule, p.birth, month);
    if (!tier) {
      ++priced.below_tier;
      continue;
    }
    if (tier->low_income_only && !p.low_income_confirmed) {
      ++priced.not_low_income;
      continue;
    }
    priced.payments.push_back({p.enrolment_id, TierLabel(*tier), tier->monthly_fen, p.region_code});
  }
  return priced;
}

std::string SummaryTier(const std::vector<TierSchedule>& schedules, absl::string_view region_code,
                        absl::CivilDay birth, bool low_income_confirmed, absl::CivilMonth month) {
  const TierSchedule* schedule = ScheduleFor(schedules, region_code, month);
  if (schedule == nullptr) return std::string(kNoSchedule);
  std::optional<Tier> tier = TierFor(*schedule, birth, month);
  if (!tier) return std::string(kBelowLowestTier);
  if (tier->low_income_only && !low_income_confirmed) return std::string(kNotLowIncome);
  return TierLabel(*tier);
}

absl::CivilMonth DeathStopMonth(absl::CivilDay died) { return absl::CivilMonth(died) + 1; }

}  // namespace civil::eldercare

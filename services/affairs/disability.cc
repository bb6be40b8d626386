#include "services/affairs/disability.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/bank_file.h"
#include "services/common/errors.h"

namespace civil::affairs {

absl::string_view SubsidyProgrammeLabel(SubsidyKind kind) {
  return kind == SubsidyKind::kCare ? "重度残疾人护理补贴" : "困难残疾人生活补贴";
}

std::string SubsidyBankFileName(SubsidyKind kind, absl::CivilMonth month,
                                absl::string_view prefix) {
  return BankFileNameOf(absl::StrCat("DISABILITY_", kSubsidyKindNames.Name(static_cast<int>(kind))),
                        month, prefix);
}

absl::StatusOr<DisabledPersonDraft> ValidateDisabledPerson(const DisabledPersonInput& input,
                                                           absl::CivilDay today) {
  absl::StatusOr<std::string> name = BoundedText("name", input.name, 64);
  if (!name.ok()) return name.status();
  if (input.id_number.empty()) return InvalidField("id_number", "is required");
  absl::StatusOr<IdNumber> id = IdNumber::Parse(input.id_number, today);
  if (!id.ok()) return InvalidField("id_number", id.status().message());
  absl::StatusOr<RegionCode> region =
      RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage});
  if (!region.ok()) return region.status();
  if (!kCategoryNames.Valid(input.category)) return InvalidField("category", "must be given");
  if (input.grade < kMinGrade || input.grade > kMaxGrade) {
    return InvalidField("grade", "must be from 1 to 4");
  }
  absl::StatusOr<absl::CivilDay> certified =
      EventDate("certified_date", input.certified_date, today);
  if (!certified.ok()) return certified.status();
  if (*certified < id->birth_date()) {
    return InvalidField("certified_date", "must not be before the birth date in the ID number");
  }
  return DisabledPersonDraft{*std::move(name), *std::move(id), *std::move(region),  input.category,
                             input.grade,      *certified,     input.long_term_care};
}

absl::Status CheckCareEligibility(int grade, bool long_term_care) {
  if (grade > kMaxCareGrade) {
    return absl::FailedPreconditionError(
        absl::StrCat("kind: the care subsidy (重度残疾人护理补贴) is for disability grade 1 or 2; "
                     "this person is "
                     "grade ",
                     grade));
  }
  if (!long_term_care) {
    return absl::FailedPreconditionError(
        "kind: the care subsidy (重度残疾人护理补贴) is for persons needing long-term care; this "
        "person is not assessed as such");
  }
  return absl::OkStatus();
}

LivingEligibility DecideLiving(const std::vector<EnrolmentFact>& facts) {
  LivingEligibility result;
  for (const EnrolmentFact& f : facts) {
    if (!f.dibao) continue;
    if (f.active) {
      result.eligible = true;
      result.enrolment_id = f.enrolment_id;
      result.since = f.start_month;
      result.last_month.reset();
      return result;
    }
    if (f.end_month && (!result.last_month || *f.end_month > *result.last_month)) {
      result.last_month = f.end_month;
    }
  }
  return result;
}

absl::CivilMonth LivingStopMonth(const LivingEligibility& eligibility, absl::CivilDay as_of,
                                 absl::CivilMonth start_month) {
  absl::CivilMonth stop =
      eligibility.last_month ? *eligibility.last_month + 1 : absl::CivilMonth(as_of) + 1;
  return stop < start_month ? start_month : stop;
}

absl::StatusOr<StandardDraft> ValidateStandard(int kind, int grade, absl::string_view region_prefix,
                                               absl::string_view effective_month,
                                               int64_t monthly_fen) {
  if (!kSubsidyKindNames.Valid(kind)) return InvalidField("kind", "must be given");
  const int max_grade = kind == static_cast<int>(SubsidyKind::kCare) ? kMaxCareGrade : kMaxGrade;
  if (grade < 0 || grade > max_grade) {
    return InvalidField("grade", absl::StrCat("must be 0 (every grade) to ", max_grade));
  }
  absl::StatusOr<RegionCode> prefix = NonEmptyPrefix("region_prefix", region_prefix);
  if (!prefix.ok()) return prefix.status();
  if (effective_month.empty()) return InvalidField("effective_month", "is required");
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(effective_month);
  if (!month.ok()) return InvalidField("effective_month", month.status().message());
  if (monthly_fen < 1 || monthly_fen > 100'000'000) {
    return InvalidField("monthly_fen", "must be from 1 to 100000000");
  }
  return StandardDraft{static_cast<SubsidyKind>(kind), grade, *std::move(prefix), *month,
                       monthly_fen};
}

std::vector<SubsidyKind> SubsidiesStoppedBy(const CertificateChange& change) {
  if (change.revoked) return {SubsidyKind::kLiving, SubsidyKind::kCare};
  if (change.grade > kMaxCareGrade) return {SubsidyKind::kCare};
  return {};
}

absl::CivilMonth CertificateStopMonth(absl::CivilDay event_date) {
  return absl::CivilMonth(event_date) + 1;
}

absl::Status CheckCertificateValid(const std::optional<absl::CivilDay>& revoked_on) {
  if (!revoked_on.has_value()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "person_id: the disability certificate was revoked on ", FormatDay(*revoked_on), " (残联)"));
}

bool ResumesOnDibaoReinstated(absl::string_view reason, absl::CivilMonth start,
                              absl::CivilMonth end, absl::CivilMonth effective) {
  return absl::StartsWith(reason, kLeftDibaoReason) && end == std::max(start, effective);
}

std::vector<absl::CivilMonth> BackPayMonths(const BackPayFacts& facts) {
  std::vector<absl::CivilMonth> owed;
  if (!facts.last_run_month) return owed;
  absl::CivilMonth last = std::min(*facts.last_run_month, absl::CivilMonth(facts.resumed_on));
  if (facts.died) last = std::min(last, absl::CivilMonth(*facts.died));
  for (absl::CivilMonth m = facts.end; m <= last; ++m) {
    if (std::find(facts.paid.begin(), facts.paid.end(), m) != facts.paid.end()) continue;
    owed.push_back(m);
  }
  return owed;
}

absl::Status CheckReopenRejectedSubsidy(SubsidyStatus status) {
  if (status != SubsidyStatus::kRejected) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: the subsidy is ", kSubsidyStatusNames.Name(static_cast<int>(status)),
                     ": only a refused subsidy goes back to the eligibility check"));
  }
  return absl::OkStatus();
}

}  // namespace civil::affairs

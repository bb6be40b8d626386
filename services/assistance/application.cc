#include "services/assistance/application.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::assistance {

bool ExcludesEnrolledAtFiling(Programme programme) {
  return IsPaid(programme) || programme == Programme::kMarginal;
}

absl::Status CheckStep(const ApplicationFacts& a, ApplicationAction action, absl::CivilDay on) {
  CIVIL_RETURN_IF_ERROR(CheckTransition(a.status, action));
  if (on < a.submitted_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("the step is dated before the application was submitted (",
                     FormatDay(a.submitted_on), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckInvestigation(Programme programme, const std::optional<TekunGrounds>& grounds,
                                std::optional<absl::CivilDay> birth_date, bool rigid_expenses,
                                absl::CivilDay on) {
  if (grounds.has_value()) {
    if (programme != Programme::kTekun) {
      return InvalidField("tekun_grounds", "only a 特困 application has 特困 grounds");
    }
    if (!birth_date.has_value()) {
      return absl::InternalError("tekun_grounds: the applicant's birth date is needed");
    }
    CIVIL_RETURN_IF_ERROR(
        CheckTekunCategory(grounds->category, *birth_date, on, "tekun_grounds.category"));
  }
  if (rigid_expenses && programme != Programme::kExpenditureHardship) {
    return InvalidField("rigid_expenses", "only a 支出型困难家庭 application has rigid expenses");
  }
  return absl::OkStatus();
}

absl::StatusOr<ApprovalDecision> DecideApproval(const ApplicationFacts& a,
                                                const std::string& approver,
                                                absl::CivilDay decided_on) {
  CIVIL_RETURN_IF_ERROR(CheckTransition(a.status, ApplicationAction::kApprove));
  if (a.submitted_by == approver) {
    return absl::PermissionDeniedError(
        "maker-checker: the approver must not be the clerk who submitted the application");
  }
  if (!a.notice_end.has_value() || decided_on <= *a.notice_end) {
    return absl::FailedPreconditionError(
        absl::StrCat("decided_on: the public notice runs until ",
                     a.notice_end ? FormatDay(*a.notice_end) : std::string(), "; decide after it"));
  }
  if (!a.assets_ok) {
    return absl::FailedPreconditionError(
        "the investigation found assets beyond the local limits: reject the application");
  }
  if (a.programme == Programme::kTekun) {
    CIVIL_RETURN_IF_ERROR(CheckTekunGroundsForApproval(a.tekun_grounds));
  }
  return ApprovalDecision{absl::CivilMonth(decided_on) + 1};
}

Programme ApprovalStandardProgramme(Programme programme) {
  switch (programme) {
    case Programme::kDibao:
    case Programme::kMarginal:
    case Programme::kExpenditureHardship:
      return Programme::kDibao;
    default:
      return programme;
  }
}

absl::StatusOr<Money> ApprovalAmount(Programme programme, const StandardValues& standard,
                                     const std::vector<MemberFacts>& members, Money income,
                                     const std::optional<RigidExpenses>& expenses,
                                     absl::CivilMonth start) {
  const int persons = static_cast<int>(members.size());
  switch (programme) {
    case Programme::kExpenditureHardship:
      CIVIL_RETURN_IF_ERROR(
          CheckExpenditureHardshipForApproval(standard, persons, income, expenses));
      return Money();
    case Programme::kMarginal:
      if (!IsMarginal(standard, persons, income)) {
        return absl::FailedPreconditionError(
            "household income per head is above the 低保边缘 line");
      }
      return Money();
    case Programme::kDibao:
      return DibaoMonthlyAmount(standard, members, income, start);
    default:
      return IsPaid(programme) ? PerPersonMonthlyAmount(standard) : Money();
  }
}

}  // namespace civil::assistance

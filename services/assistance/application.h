// Rules of an application (社会救助暂行办法 第11条: 申请 → 入户调查 → 公示 → 审批) — pure C++, no
// SQL or gRPC: whether a step may be taken, and what the county's approval decides (maker ≠
// checker, the public notice, the investigation's findings, the monthly amount).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/assistance/benefit.h"
#include "services/common/money.h"

namespace civil::assistance {

// An application as a decision on it needs it.
struct ApplicationFacts {
  ApplicationStatus status = ApplicationStatus::kSubmitted;
  Programme programme = Programme::kDibao;
  std::string submitted_by;  // the clerk who filed it
  absl::CivilDay submitted_on;
  std::optional<absl::CivilDay> notice_end;  // the last day of the public notice, once published
  bool assets_ok = false;                    // the investigation found assets within the limits
  // 特困: the grounds the investigation recorded (nullopt: none).
  std::optional<TekunGrounds> tekun_grounds;
};

// Whether filing an application for `programme` is refused while the person (or a member of the
// household) is enrolled in its exclusive group (ExclusiveGroup): the paid programmes and 低保边缘.
bool ExcludesEnrolledAtFiling(Programme programme);

// Whether step `action` (investigate, publish, object, reject) may be taken on `a`, dated `on`:
// CheckTransition, then FAILED_PRECONDITION "the step is dated before the application was
// submitted (…)" for a date before the submission.
absl::Status CheckStep(const ApplicationFacts& a, ApplicationAction action, absl::CivilDay on);

// Whether what an investigation on `on` found fits the application's programme:
// INVALID_ARGUMENT "tekun_grounds: …" for 特困 grounds on another programme's application, the
// category checked against the applicant's age (CheckTekunCategory, `birth_date` of the
// applicant: needed when grounds are given on a 特困 application); INVALID_ARGUMENT
// "rigid_expenses: …" for rigid expenses on another programme's than 支出型困难家庭.
absl::Status CheckInvestigation(Programme programme, const std::optional<TekunGrounds>& grounds,
                                std::optional<absl::CivilDay> birth_date, bool rigid_expenses,
                                absl::CivilDay on);

// What the county's approval decided before the amount.
struct ApprovalDecision {
  absl::CivilMonth start;  // the first month enrolled: the month after the decision
};

// Decides the approval of `a` by `approver` (their subject), dated `decided_on`:
//   - CheckTransition (only an application in notice);
//   - PERMISSION_DENIED "maker-checker: …" when the approver is the clerk who filed it;
//   - FAILED_PRECONDITION "decided_on: the public notice runs until …; decide after it" unless
//     the notice (7 days, kNoticeDays) is over by `decided_on`;
//   - FAILED_PRECONDITION when the investigation found assets beyond the limits;
//   - 特困: CheckTekunGroundsForApproval on the recorded grounds.
absl::StatusOr<ApprovalDecision> DecideApproval(const ApplicationFacts& a,
                                                const std::string& approver,
                                                absl::CivilDay decided_on);

// The programme whose standard an approval of `programme` is decided on: the 低保 line for 低保,
// 低保边缘 and 支出型困难家庭; the programme's own for the other paid ones.
Programme ApprovalStandardProgramme(Programme programme);

// The monthly amount an approval of `programme` decides, on `standard` (the one in force for the
// first month `start`, of ApprovalStandardProgramme), the members enrolled, the investigated
// household income and, for 支出型, the rigid expenses found:
//   - 支出型困难家庭: CheckExpenditureHardshipForApproval; monitored, nothing paid;
//   - 低保边缘: FAILED_PRECONDITION unless IsMarginal; monitored, nothing paid;
//   - 低保: DibaoMonthlyAmount in `start` (FAILED_PRECONDITION when nothing would be paid);
//   - the other paid programmes: PerPersonMonthlyAmount.
absl::StatusOr<Money> ApprovalAmount(Programme programme, const StandardValues& standard,
                                     const std::vector<MemberFacts>& members, Money income,
                                     const std::optional<RigidExpenses>& expenses,
                                     absl::CivilMonth start);

}  // namespace civil::assistance

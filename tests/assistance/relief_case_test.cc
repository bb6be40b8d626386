// Unit tests of DecideReliefStep (services/assistance/relief_case.h): the decisions on a 临时救助
// case that the store used to make inside its transaction — maker ≠ checker, the township limit,
// the payment amount and the completion deadline of an emergency case paid first.
#include "services/assistance/relief_case.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::assistance {
namespace {

using A = ReliefAction;
using S = ReliefStatus;

ReliefCaseFacts Case(S status, Money amount = Money::Yuan(800), bool emergency = false) {
  ReliefCaseFacts c;
  c.status = status;
  c.emergency = emergency;
  c.amount = amount;
  c.happened_on = absl::CivilDay(2023, 3, 1);
  c.submitted_by = "clerk-1";
  return c;
}

const ReliefDecider kTownship{"township-1", ApprovalLevel::kTownship};
const ReliefDecider kCounty{"reviewer-1", ApprovalLevel::kCounty};

absl::StatusOr<ReliefStepDecision> Decide(const ReliefCaseFacts& c, A action, absl::CivilDay on,
                                          const ReliefDecider& who, Money amount = Money()) {
  return DecideReliefStep(ReliefRules{}, c, action, on, "decided_on", amount, who);
}

TEST(DecideReliefStepTest, ApprovesWithinTheTownshipLimit) {
  auto d = Decide(Case(S::kSubmitted), A::kApprove, absl::CivilDay(2023, 3, 2), kTownship);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->next, S::kApproved);
  EXPECT_EQ(d->history_action, "APPROVED");
  EXPECT_FALSE(d->completion_due.has_value());
}

TEST(DecideReliefStepTest, AboveTheLimitOnlyTheCountyDecides) {
  const ReliefCaseFacts big = Case(S::kSubmitted, Money::Fen(100001));
  auto township = Decide(big, A::kApprove, absl::CivilDay(2023, 3, 2), kTownship);
  EXPECT_EQ(township.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StartsWith(township.status().message(), "amount_fen: 1000.01 yuan"))
      << township.status();
  EXPECT_TRUE(Decide(big, A::kApprove, absl::CivilDay(2023, 3, 2), kCounty).ok());
  EXPECT_EQ(Decide(big, A::kApprove, absl::CivilDay(2023, 3, 2), {"v", ApprovalLevel::kNone})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(DecideReliefStepTest, MakerIsNotChecker) {
  const ReliefDecider maker{"clerk-1", ApprovalLevel::kCounty};
  for (A action : {A::kApprove, A::kReject}) {
    auto d = Decide(Case(S::kSubmitted), action, absl::CivilDay(2023, 3, 2), maker);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(d.status().message(),
              "maker-checker: the decision must not be made by the clerk who submitted the case");
  }
  // Paying is not a decision: the clerk who submitted the case may record the payment.
  const ReliefDecider clerk{"clerk-1", ApprovalLevel::kTownship};
  EXPECT_TRUE(Decide(Case(S::kApproved), A::kPay, absl::CivilDay(2023, 3, 2), clerk).ok());
}

TEST(DecideReliefStepTest, RejectionAndCompletionHaveTheirHistoryAction) {
  auto rejected = Decide(Case(S::kApproved), A::kReject, absl::CivilDay(2023, 3, 2), kTownship);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->next, S::kRejected);
  EXPECT_EQ(rejected->history_action, "REJECTED");
  auto completed = Decide(Case(S::kPaidPendingCompletion, Money::Yuan(800), true), A::kApprove,
                          absl::CivilDay(2023, 3, 20), kTownship);
  ASSERT_TRUE(completed.ok());
  EXPECT_EQ(completed->next, S::kPaid);
  EXPECT_EQ(completed->history_action, "COMPLETED");
}

TEST(DecideReliefStepTest, NoStepBeforeTheCaseHappened) {
  auto d = DecideReliefStep(ReliefRules{}, Case(S::kSubmitted), A::kApprove,
                            absl::CivilDay(2023, 2, 28), "decided_on", Money(), kTownship);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.status().message(), "decided_on: before the case happened (2023-03-01)");
  // The order of the rules: a step out of order is reported before the date.
  EXPECT_EQ(
      Decide(Case(S::kPaid), A::kPay, absl::CivilDay(2023, 2, 1), kTownship).status().message(),
      "relief case is PAID: it is paid already");
}

TEST(DecideReliefStepTest, PaymentAmountDefaultsToTheGrantAndNeverExceedsIt) {
  auto whole = Decide(Case(S::kApproved), A::kPay, absl::CivilDay(2023, 3, 5), kTownship);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->next, S::kPaid);
  EXPECT_EQ(whole->paid, Money::Yuan(800));
  EXPECT_EQ(whole->history_action, "PAID");
  auto part =
      Decide(Case(S::kApproved), A::kPay, absl::CivilDay(2023, 3, 5), kTownship, Money::Yuan(500));
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->paid, Money::Yuan(500));
  auto more =
      Decide(Case(S::kApproved), A::kPay, absl::CivilDay(2023, 3, 5), kTownship, Money::Yuan(801));
  EXPECT_EQ(more.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(more.status().message(), "amount_fen: more than the 800.00 yuan granted");
  EXPECT_EQ(
      Decide(Case(S::kApproved), A::kPay, absl::CivilDay(2023, 3, 5), {"v", ApprovalLevel::kNone})
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST(DecideReliefStepTest, NoPaymentBeforeTheApproval) {
  ReliefCaseFacts c = Case(S::kApproved);
  c.decided_on = absl::CivilDay(2023, 3, 10);
  auto d = DecideReliefStep(ReliefRules{}, c, A::kPay, absl::CivilDay(2023, 3, 9), "paid_on",
                            Money(), kTownship);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.status().message(), "paid_on: before the approval (2023-03-10)");
  EXPECT_TRUE(DecideReliefStep(ReliefRules{}, c, A::kPay, absl::CivilDay(2023, 3, 10), "paid_on",
                               Money(), kTownship)
                  .ok());
}

TEST(DecideReliefStepTest, EmergencyPaidFirstIsDueForCompletion) {
  ReliefRules rules;
  rules.completion_days = 10;
  auto d = DecideReliefStep(rules, Case(S::kSubmitted, Money::Yuan(800), true), A::kPay,
                            absl::CivilDay(2023, 3, 25), "paid_on", Money(), kTownship);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->next, S::kPaidPendingCompletion);
  EXPECT_EQ(d->history_action, "PAID_FIRST");
  ASSERT_TRUE(d->completion_due.has_value());
  EXPECT_EQ(*d->completion_due, absl::CivilDay(2023, 4, 4));
}

}  // namespace
}  // namespace civil::assistance

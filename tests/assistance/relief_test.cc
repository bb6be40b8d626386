// Unit tests of the rules of 临时救助, mutual aid, audits, reviews and the bank file
// (services/assistance/relief_case.h, mutual_aid.h, audit.h, review.h, bank_file.h), and of the
// report sentences (ReliefSummaryLines).
#include <gtest/gtest.h>

#include <cstdlib>

#include "services/assistance/audit.h"
#include "services/assistance/bank_file.h"
#include "services/assistance/mutual_aid.h"
#include "services/assistance/relief_case.h"
#include "services/assistance/relief_figures_service.h"
#include "services/assistance/review.h"

namespace civil::assistance {
namespace {

TEST(ReliefApprovalTest, LevelFollowsRoleAndScope) {
  EXPECT_EQ(ApprovalLevelOf(true, "340722"), ApprovalLevel::kCounty);
  EXPECT_EQ(ApprovalLevelOf(true, "*"), ApprovalLevel::kCounty);
  EXPECT_EQ(ApprovalLevelOf(true, "340722100"), ApprovalLevel::kTownship);
  EXPECT_EQ(ApprovalLevelOf(false, "340722"), ApprovalLevel::kTownship);
  EXPECT_EQ(ApprovalLevelOf(false, "340722100"), ApprovalLevel::kTownship);
  EXPECT_EQ(ApprovalLevelOf(false, "340722100101"), ApprovalLevel::kNone);
  EXPECT_EQ(ApprovalLevelOf(true, "340722100101"), ApprovalLevel::kNone);
  EXPECT_EQ(ApprovalLevelOf(true, ""), ApprovalLevel::kNone);
  EXPECT_EQ(ApprovalLevelName(ApprovalLevel::kCounty), "COUNTY");
  EXPECT_EQ(ApprovalLevelName(ApprovalLevel::kTownship), "TOWNSHIP");
}

TEST(ReliefApprovalTest, TownshipUpToTheLimitCountyAbove) {
  const ReliefRules rules;  // 1000 yuan
  EXPECT_TRUE(CheckReliefApproval(rules, ApprovalLevel::kTownship, Money::Yuan(1000)).ok());
  absl::Status above = CheckReliefApproval(rules, ApprovalLevel::kTownship, Money::Fen(100001));
  EXPECT_EQ(above.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(above.message(),
            "amount_fen: 1000.01 yuan is above the township limit of 1000.00 yuan: the county "
            "decides it (assistance.reviewer with a county scope)");
  EXPECT_TRUE(CheckReliefApproval(rules, ApprovalLevel::kCounty, Money::Yuan(50000)).ok());
  EXPECT_EQ(CheckReliefApproval(rules, ApprovalLevel::kNone, Money::Yuan(1)).code(),
            absl::StatusCode::kPermissionDenied);
  ReliefRules strict;
  strict.township_limit = Money::Yuan(500);
  EXPECT_FALSE(CheckReliefApproval(strict, ApprovalLevel::kTownship, Money::Yuan(800)).ok());
}

TEST(ReliefStatusTest, Transitions) {
  using S = ReliefStatus;
  using A = ReliefAction;
  EXPECT_EQ(*NextReliefStatus(S::kSubmitted, A::kApprove, false), S::kApproved);
  EXPECT_EQ(*NextReliefStatus(S::kApproved, A::kPay, false), S::kPaid);
  EXPECT_EQ(*NextReliefStatus(S::kSubmitted, A::kPay, true), S::kPaidPendingCompletion);
  EXPECT_EQ(*NextReliefStatus(S::kPaidPendingCompletion, A::kApprove, true), S::kPaid);
  EXPECT_EQ(*NextReliefStatus(S::kSubmitted, A::kReject, false), S::kRejected);
  EXPECT_EQ(*NextReliefStatus(S::kApproved, A::kReject, false), S::kRejected);

  absl::StatusOr<S> early = NextReliefStatus(S::kSubmitted, A::kPay, false);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().message(),
            "relief case is SUBMITTED: approve it before paying (only an emergency case is paid "
            "first)");
  EXPECT_EQ(NextReliefStatus(S::kPaid, A::kPay, false).status().message(),
            "relief case is PAID: it is paid already");
  EXPECT_FALSE(NextReliefStatus(S::kPaidPendingCompletion, A::kPay, true).ok());
  EXPECT_FALSE(NextReliefStatus(S::kPaid, A::kApprove, false).ok());
  EXPECT_FALSE(NextReliefStatus(S::kApproved, A::kApprove, false).ok());
  EXPECT_FALSE(NextReliefStatus(S::kRejected, A::kPay, false).ok());
  EXPECT_FALSE(NextReliefStatus(S::kPaidPendingCompletion, A::kReject, true).ok());
  EXPECT_FALSE(NextReliefStatus(S::kRejected, A::kReject, false).ok());
}

TEST(ReliefStatusTest, NamesRoundTrip) {
  for (int i = 1; i <= 5; ++i) {
    const auto s = static_cast<ReliefStatus>(i);
    EXPECT_EQ(*ReliefStatusFromName(ReliefStatusName(s)), s);
  }
  EXPECT_FALSE(ReliefStatusFromName("PAID_LATER").ok());
  EXPECT_FALSE(ReliefStatusFromName("").ok());
}

TEST(ReliefDeadlineTest, CompletionDueAndOverdue) {
  ReliefRules rules;
  const absl::CivilDay paid(2023, 3, 1);
  EXPECT_EQ(CompletionDue(rules, paid), absl::CivilDay(2023, 3, 31));
  EXPECT_FALSE(IsCompletionOverdue(CompletionDue(rules, paid), absl::CivilDay(2023, 3, 31)));
  EXPECT_TRUE(IsCompletionOverdue(CompletionDue(rules, paid), absl::CivilDay(2023, 4, 1)));
  rules.completion_days = 10;
  EXPECT_EQ(CompletionDue(rules, absl::CivilDay(2023, 12, 25)), absl::CivilDay(2024, 1, 4));
}

TEST(ReliefRulesTest, LoadsFromTheEnvironment) {
  ::unsetenv("CIVIL_ASSISTANCE_RELIEF_TOWNSHIP_LIMIT_FEN");
  ::unsetenv("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS");
  absl::StatusOr<ReliefRules> defaults = LoadReliefRules();
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->township_limit, Money::Fen(100000));
  EXPECT_EQ(defaults->completion_days, 30);
  ::setenv("CIVIL_ASSISTANCE_RELIEF_TOWNSHIP_LIMIT_FEN", "200000", 1);
  ::setenv("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS", "15", 1);
  absl::StatusOr<ReliefRules> set = LoadReliefRules();
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->township_limit, Money::Yuan(2000));
  EXPECT_EQ(set->completion_days, 15);
  ::setenv("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS", "soon", 1);
  absl::StatusOr<ReliefRules> bad = LoadReliefRules();
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS"),
            absl::string_view::npos);
  ::unsetenv("CIVIL_ASSISTANCE_RELIEF_TOWNSHIP_LIMIT_FEN");
  ::unsetenv("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS");
}

TEST(MutualAidTest, CoveragePermille) {
  EXPECT_EQ(CoveragePermille(94, 100), 940);
  EXPECT_EQ(CoveragePermille(2, 3), 666);  // rounded down
  EXPECT_EQ(CoveragePermille(5, 5), 1000);
  EXPECT_EQ(CoveragePermille(0, 5), 0);
  EXPECT_EQ(CoveragePermille(3, 0), 0);
  EXPECT_EQ(CoveragePermille(7, 5), 1000);  // never above every village
}

TEST(FindingTest, KeysAreStablePerKindSubjectAndPeriod) {
  const absl::CivilMonth may(2023, 5);
  EXPECT_EQ(ExclusiveEnrolmentsKey("abc", may),
            (FindingKey{FindingKind::kExclusiveEnrolments, "person:abc", "2023-05"}));
  EXPECT_EQ(TwoHouseholdsKey("abc", may).subject_key, "person:abc");
  EXPECT_EQ(PaidAfterEndKey("e1", may),
            (FindingKey{FindingKind::kPaidAfterEnd, "enrolment:e1", "2023-05"}));
  EXPECT_EQ(PaidAfterDeathKey("e1", "abc", may).subject_key, "enrolment:e1/person:abc");
  EXPECT_EQ(ReviewOverdueKey("e1", absl::CivilDay(2024, 2, 1)).period, "2024-02-01");
  EXPECT_EQ(EligibleNotEnrolledKey("h1", may),
            (FindingKey{FindingKind::kEligibleNotEnrolled, "household:h1", "2023-05"}));
  // The same problem found again is the same key; another period is another finding.
  EXPECT_EQ(PaidAfterEndKey("e1", may), PaidAfterEndKey("e1", absl::CivilMonth(2023, 5)));
  EXPECT_FALSE(PaidAfterEndKey("e1", may) == PaidAfterEndKey("e1", may + 1));
}

TEST(FindingTest, KindsAndCategories) {
  for (int i = 1; i <= 6; ++i) {
    const auto k = static_cast<FindingKind>(i);
    EXPECT_EQ(*FindingKindFromName(FindingKindName(k)), k);
  }
  EXPECT_FALSE(FindingKindFromName("FRAUD").ok());
  EXPECT_EQ(CategoryOf(FindingKind::kEligibleNotEnrolled), FindingCategory::kEligibleNotEnrolled);
  EXPECT_EQ(CategoryOf(FindingKind::kExclusiveEnrolments), FindingCategory::kDuplicate);
  EXPECT_EQ(CategoryOf(FindingKind::kTwoHouseholds), FindingCategory::kDuplicate);
  EXPECT_EQ(CategoryOf(FindingKind::kPaidAfterEnd), FindingCategory::kImproper);
  EXPECT_EQ(CategoryOf(FindingKind::kPaidAfterDeath), FindingCategory::kImproper);
  EXPECT_EQ(CategoryOf(FindingKind::kReviewOverdue), FindingCategory::kNone);
}

TEST(FindingTest, DibaoLineIsStrictOnTotals) {
  // 640 yuan × 2 members = 1280 yuan.
  EXPECT_TRUE(IsBelowDibaoLine(Money::Yuan(640), 2, Money::Yuan(1279)));
  EXPECT_FALSE(IsBelowDibaoLine(Money::Yuan(640), 2, Money::Yuan(1280)));
  EXPECT_TRUE(IsBelowDibaoLine(Money::Yuan(640), 1, Money()));
  EXPECT_FALSE(IsBelowDibaoLine(Money::Yuan(640), 0, Money()));
}

TEST(FindingTest, OnlyOpenFindingsAreDecidedAndDismissalNeedsAReason) {
  EXPECT_TRUE(CheckFindingDecision(FindingStatus::kOpen, FindingStatus::kConfirmed, "").ok());
  EXPECT_TRUE(
      CheckFindingDecision(FindingStatus::kOpen, FindingStatus::kDismissed, "data error").ok());
  absl::Status no_reason =
      CheckFindingDecision(FindingStatus::kOpen, FindingStatus::kDismissed, "");
  EXPECT_EQ(no_reason.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_reason.message(), "reason: a dismissal needs a written reason");
  absl::Status decided =
      CheckFindingDecision(FindingStatus::kConfirmed, FindingStatus::kDismissed, "x");
  EXPECT_EQ(decided.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(decided.message(), "finding is CONFIRMED: only an open finding is decided");
}

TEST(ReviewTest, AmountMustMatchTheOutcome) {
  const Money current = Money::Yuan(930);
  EXPECT_TRUE(CheckReviewAmount(ReviewOutcome::kIncrease, current, Money::Yuan(1000)).ok());
  EXPECT_TRUE(CheckReviewAmount(ReviewOutcome::kDecrease, current, Money::Yuan(500)).ok());
  EXPECT_TRUE(CheckReviewAmount(ReviewOutcome::kDecrease, current, Money()).ok());
  absl::Status same = CheckReviewAmount(ReviewOutcome::kIncrease, current, current);
  EXPECT_EQ(same.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(same.message(),
            "new_monthly_amount_fen: an increase must be above the current 930.00 yuan");
  EXPECT_FALSE(CheckReviewAmount(ReviewOutcome::kDecrease, current, Money::Yuan(931)).ok());
  EXPECT_EQ(CheckReviewAmount(ReviewOutcome::kDecrease, current, Money::Fen(-1)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReviewTest, EffectiveMonthNeverRewritesPaidMonths) {
  const absl::CivilDay decided(2023, 2, 15);
  EXPECT_EQ(ReviewEffectiveMonth(decided, std::nullopt), absl::CivilMonth(2023, 3));
  EXPECT_EQ(ReviewEffectiveMonth(decided, absl::CivilMonth(2023, 2)), absl::CivilMonth(2023, 3));
  // Entered late: March and April are paid already, so the change starts in May.
  EXPECT_EQ(ReviewEffectiveMonth(decided, absl::CivilMonth(2023, 4)), absl::CivilMonth(2023, 5));
  EXPECT_EQ(ReviewEffectiveMonth(absl::CivilDay(2023, 12, 31), std::nullopt),
            absl::CivilMonth(2024, 1));
  for (int i = 1; i <= 4; ++i) {
    const auto o = static_cast<ReviewOutcome>(i);
    EXPECT_EQ(*ReviewOutcomeFromName(ReviewOutcomeName(o)), o);
  }
}

TEST(BankFileTest, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("张三"), "张三");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(BankFileTest, Rows) {
  EXPECT_EQ(BankFileHeader(), "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目\r\n");
  BankFileLine line;
  line.payment_id = 42;
  line.name = "王,五";
  line.id_number = "340722********1234";
  line.amount = Money::Fen(93050);
  line.month = absl::CivilMonth(2023, 2);
  line.region_code = "340722100101";
  line.programme = std::string(ProgrammeLabel("DIBAO"));
  EXPECT_EQ(BankFileRow(line),
            "42,\"王,五\",340722********1234,930.50,2023-02,340722100101,低保\r\n");
  EXPECT_EQ(ProgrammeLabel("TEKUN"), "特困");
  EXPECT_EQ(ProgrammeLabel("SOMETHING_NEW"), "SOMETHING_NEW");
}

TEST(ReliefSummaryLinesTest, SeedWording) {
  v1::ReliefFigures f;
  f.set_relief_cases(1896);
  f.set_relief_paid_fen(int64_t{304} * 1000000);
  f.set_societies_registered(94);
  f.set_mutual_aid_cases(158);
  f.set_mutual_aid_paid_fen(10460000);
  f.set_persons_surveyed(14699);
  f.set_demands_resolved(366);
  f.set_audits_run(3);
  auto* batch = f.add_health_check_batches();
  batch->set_name("第一批");
  batch->set_service("生命体征检测等家庭医生服务");
  batch->set_persons(390);
  f.set_health_check_persons(390);
  std::vector<std::string> lines = ReliefSummaryLines(f);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "临时救助1896人次,发放资金304万元");
  EXPECT_EQ(lines[1], "已完成94家村(社区)互助社登记设立,开展救助158人次,发放救助金10.46万元");
  EXPECT_EQ(lines[2], "排查未发现“应享未享”“重复享受”“违规享受”等问题");
  EXPECT_EQ(lines[3],
            "摸排人数(包含对低保对象、特困人员的摸排数)14699人,解决困难对象的有效诉求数366次");
  EXPECT_EQ(lines[4],
            "完成第一批390名分散供养特困人员生命体征检测等家庭医生服务,并建立健康管理档案");
}

TEST(ReliefSummaryLinesTest, ConfirmedFindingsByHeadingAndNothingWithoutData) {
  v1::ReliefFigures f;
  EXPECT_TRUE(ReliefSummaryLines(f).empty());  // no audit run: no claim about findings
  f.set_audits_run(1);
  auto add = [&](v1::FindingKind kind, int64_t n) {
    auto* x = f.add_confirmed_findings();
    x->set_kind(kind);
    x->set_confirmed(n);
  };
  add(v1::FINDING_KIND_ELIGIBLE_NOT_ENROLLED, 2);
  add(v1::FINDING_KIND_EXCLUSIVE_ENROLMENTS, 1);
  add(v1::FINDING_KIND_TWO_HOUSEHOLDS, 1);
  add(v1::FINDING_KIND_PAID_AFTER_DEATH, 3);
  add(v1::FINDING_KIND_REVIEW_OVERDUE, 9);  // not a heading of the report
  std::vector<std::string> lines = ReliefSummaryLines(f);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "排查发现“应享未享”问题2个,“重复享受”问题2个,“违规享受”问题3个");
}

}  // namespace
}  // namespace civil::assistance

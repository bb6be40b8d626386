// Unit tests of the residents' record rules (services/governance/record.h): no servers.
#include "services/governance/record.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::governance {
namespace {

using civil::affairs::testing::Id;

const absl::CivilDay kToday(2023, 6, 30);

RecordRow Row() {
  return RecordRow{"340722100001001", "王某",   Id("19560312", true, 3),
                   "胜利街12号",      "H-0012", "低保户;留守老人"};
}

std::string Problem(const RecordRow& row) {
  return std::string(ValidateRecord(row, kToday).status().message());
}

TEST(RecordRulesTest, AGoodRowIsCleanedAndItsTagsSortedAndDistinct) {
  RecordRow row = Row();
  row.name = " 王某 ";
  row.tags = "留守老人；低保户;留守老人;";
  absl::StatusOr<RecordDraft> d = ValidateRecord(row, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->name, "王某");
  EXPECT_EQ(d->tags, (std::vector<std::string>{"低保户", "留守老人"}));
  row.household = "";
  row.tags = "";
  d = ValidateRecord(row, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->tags.empty());
}

TEST(RecordRulesTest, EachBadFieldIsNamed) {
  RecordRow row = Row();
  row.id_number[17] = row.id_number[17] == '0' ? '1' : '0';
  EXPECT_EQ(Problem(row), "id_number: wrong check character");
  row = Row();
  row.grid_code = "34072210000100";
  EXPECT_EQ(Problem(row), "grid_code: must be a grid's 15 digits");
  row = Row();
  row.grid_code = "";
  EXPECT_EQ(Problem(row), "grid_code: is required");
  row = Row();
  row.name = "";
  EXPECT_EQ(Problem(row), "name: is required");
  row = Row();
  row.address = "";
  EXPECT_EQ(Problem(row), "address: is required");
  row = Row();
  row.household = std::string(33, '1');
  EXPECT_TRUE(absl::StartsWith(Problem(row), "household: ")) << Problem(row);
  row = Row();
  row.tags = "a;b;c;d;e;f;g;h;i;j;k";
  EXPECT_EQ(Problem(row), "tags: at most 10 tags");
  row = Row();
  row.tags = std::string(17, 't');
  EXPECT_TRUE(absl::StartsWith(Problem(row), "tags: must be at most 16")) << Problem(row);
  row = Row();
  row.id_number = Id("20240101", true, 1);  // born after today
  EXPECT_TRUE(absl::StartsWith(Problem(row), "id_number: ")) << Problem(row);
  EXPECT_EQ(Problem(row).find(row.id_number), std::string::npos);
}

TEST(RecordRulesTest, ARecordKeepsTheDayItWasCollectedNeverAFutureOne) {
  RecordRow row = Row();
  absl::StatusOr<RecordDraft> d = ValidateRecord(row, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->submitted_on, kToday);  // no day given: today
  row.submit_date = " 2023-02-14 ";
  d = ValidateRecord(row, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->submitted_on, absl::CivilDay(2023, 2, 14));
  row.submit_date = "2023-07-01";
  EXPECT_EQ(Problem(row), "submit_date: must not be in the future (today is 2023-06-30)");
  row.submit_date = "2023-02-30";
  EXPECT_TRUE(absl::StartsWith(Problem(row), "submit_date: ")) << Problem(row);
  // A corrected resubmission may not predate the return it answers.
  EXPECT_TRUE(CheckResubmission(absl::CivilDay(2023, 5, 1), absl::CivilDay(2023, 5, 1)).ok());
  absl::Status early = CheckResubmission(absl::CivilDay(2023, 5, 1), absl::CivilDay(2023, 4, 30));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.message(), "submit_date: before the record was returned on 2023-05-01");
}

TEST(RecordRulesTest, OnlyAChangedReturnedRecordIsResubmitted) {
  const RecordContent stored{"王某", "胜利街12号", "H-0012", {"低保户"}};
  RecordContent changed = stored;
  changed.address = "胜利街14号";
  EXPECT_EQ(DecideSubmission(std::nullopt, {}, stored), SubmitOutcome::kCreated);
  EXPECT_EQ(DecideSubmission(RecordStatus::kReturned, stored, changed),
            SubmitOutcome::kResubmitted);
  EXPECT_EQ(DecideSubmission(RecordStatus::kReturned, stored, stored), SubmitOutcome::kUnchanged);
  EXPECT_EQ(DecideSubmission(RecordStatus::kSubmitted, stored, changed), SubmitOutcome::kUnchanged);
  EXPECT_EQ(DecideSubmission(RecordStatus::kReviewed, stored, changed), SubmitOutcome::kUnchanged);
}

TEST(RecordRulesTest, AReviewIsAnotherPersonsAndAReturnNeedsAReason) {
  absl::StatusOr<ReviewDecision> ok = ValidateReview(2, "", "", kToday);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->on, kToday);
  EXPECT_EQ(ValidateReview(3, " ", "", kToday).status().message(),
            "reason: a return needs a written reason");
  EXPECT_TRUE(ValidateReview(3, "住址不全", "2023-06-01", kToday).ok());
  EXPECT_TRUE(absl::StartsWith(ValidateReview(1, "", "", kToday).status().message(), "decision: "));
  EXPECT_EQ(ValidateReview(0, "", "", kToday).status().message(), "decision: is required");
  EXPECT_TRUE(absl::StartsWith(ValidateReview(2, "", "2023-07-01", kToday).status().message(),
                               "review_date: "));

  const absl::CivilDay submitted(2023, 6, 1);
  EXPECT_TRUE(CheckReview(RecordStatus::kSubmitted, "clerk", submitted, "reviewer", *ok).ok());
  absl::Status s = CheckReview(RecordStatus::kSubmitted, "clerk", submitted, "clerk", *ok);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StartsWith(s.message(), "maker-checker: ")) << s;
  s = CheckReview(RecordStatus::kReviewed, "clerk", submitted, "reviewer", *ok);
  EXPECT_EQ(s.message(), "record_id: the record is REVIEWED, not SUBMITTED");
  ReviewDecision early = *ok;
  early.on = absl::CivilDay(2023, 5, 31);
  s = CheckReview(RecordStatus::kSubmitted, "clerk", submitted, "reviewer", early);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "review_date: ")) << s;
}

}  // namespace
}  // namespace civil::governance

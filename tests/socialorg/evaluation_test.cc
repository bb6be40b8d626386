// Unit tests of the project-evaluation rules (services/socialorg/evaluation.h): the grade is the
// score's band, dates and who may be evaluated. No servers.
#include "services/socialorg/evaluation.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(EvaluationTest, TheGradeIsTheScoresBand) {
  EXPECT_EQ(GradeOfScore(100), EvaluationGrade::kExcellent);
  EXPECT_EQ(GradeOfScore(90), EvaluationGrade::kExcellent);
  EXPECT_EQ(GradeOfScore(89), EvaluationGrade::kGood);
  EXPECT_EQ(GradeOfScore(60), EvaluationGrade::kQualified);
  EXPECT_EQ(GradeOfScore(59), EvaluationGrade::kUnqualified);
  const absl::CivilDay today = D(2023, 6, 30);
  EXPECT_EQ(
      ValidateEvaluation("困境儿童关爱", "第三方评估机构", 1, 85, "", today).status().message(),
      "grade: a score of 85 is GOOD");
  EXPECT_EQ(
      ValidateEvaluation("困境儿童关爱", "第三方评估机构", 2, 101, "", today).status().message(),
      "score: must be between 0 and 100");
  EXPECT_EQ(ValidateEvaluation("", "第三方评估机构", 2, 85, "", today).status().message(),
            "project: is required");
  EXPECT_EQ(ValidateEvaluation("困境儿童关爱", "第三方评估机构", 2, 85, "2023-07-01", today)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateEvaluation("困境儿童关爱", "第三方评估机构", 2, 85, "", today)->evaluated_on,
            today);
}

TEST(EvaluationTest, OnlyARegisteredOrganisationFromItsEstablishment) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2022, 3, 1);
  Evaluation e{"项目", "评估机构", EvaluationGrade::kGood, 85, D(2022, 2, 28)};
  EXPECT_EQ(CheckEvaluable(s, e).message(),
            "evaluated_date: must not be before the establishment on 2022-03-01");
  e.evaluated_on = D(2023, 1, 5);
  EXPECT_TRUE(CheckEvaluable(s, e).ok());
  s.status = OrgStatus::kPendingEstablishment;
  EXPECT_EQ(CheckEvaluable(s, e).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace civil::socialorg

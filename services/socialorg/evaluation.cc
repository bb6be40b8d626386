#include "services/socialorg/evaluation.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {

EvaluationGrade GradeOfScore(int score) {
  if (score >= 90) return EvaluationGrade::kExcellent;
  if (score >= 80) return EvaluationGrade::kGood;
  if (score >= 60) return EvaluationGrade::kQualified;
  return EvaluationGrade::kUnqualified;
}

absl::StatusOr<Evaluation> ValidateEvaluation(absl::string_view project,
                                              absl::string_view evaluator, int grade, int score,
                                              absl::string_view evaluated_date,
                                              absl::CivilDay today) {
  Evaluation e;
  CIVIL_ASSIGN_OR_RETURN(e.project, BoundedText("project", project, 200));
  CIVIL_ASSIGN_OR_RETURN(e.evaluator, BoundedText("evaluator", evaluator, 100));
  if (score < 0 || score > 100) return InvalidField("score", "must be between 0 and 100");
  e.score = score;
  CIVIL_RETURN_IF_ERROR(kEvaluationGradeNames.Require("grade", grade));
  e.grade = static_cast<EvaluationGrade>(grade);
  if (e.grade != GradeOfScore(score)) {
    return InvalidField(
        "grade", absl::StrCat("a score of ", score, " is ",
                              kEvaluationGradeNames.Name(static_cast<int>(GradeOfScore(score)))));
  }
  CIVIL_ASSIGN_OR_RETURN(e.evaluated_on, EventDate("evaluated_date", evaluated_date, today));
  return e;
}

absl::Status CheckEvaluable(const OrgState& state, const Evaluation& evaluation) {
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, EventKind::kChange));
  if (state.established_on && evaluation.evaluated_on < *state.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("evaluated_date: must not be before the establishment on ",
                     FormatDay(*state.established_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::socialorg

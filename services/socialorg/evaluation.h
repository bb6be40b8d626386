// Social-work agencies' project evaluations (终期评估, pure C++ on Abseil): a project of an
// organisation of the register, its grade and score (0–100, the grade's band) and the date it
// was evaluated.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/values.h"
#include "services/socialorg/lifecycle.h"

namespace civil::socialorg {

// 优秀 (90–100), 良好 (80–89), 合格 (60–79), 不合格 (below 60).
enum class EvaluationGrade { kExcellent = 1, kGood = 2, kQualified = 3, kUnqualified = 4 };
inline constexpr absl::string_view kEvaluationGradeNameList[] = {"", "EXCELLENT", "GOOD",
                                                                 "QUALIFIED", "UNQUALIFIED"};
inline constexpr EnumNames kEvaluationGradeNames{kEvaluationGradeNameList};

// The grade of the band `score` (0–100) falls in.
EvaluationGrade GradeOfScore(int score);

struct Evaluation {
  std::string project;
  std::string evaluator;
  EvaluationGrade grade = EvaluationGrade::kQualified;
  int score = 0;
  absl::CivilDay evaluated_on;
};

// An evaluation as entered: `project` and `evaluator` required; `score` 0–100; `grade` required
// and the band of the score ("grade: a score of 85 is GOOD"); `evaluated_date` default `today`,
// never in the future. INVALID_ARGUMENT naming the field.
absl::StatusOr<Evaluation> ValidateEvaluation(absl::string_view project,
                                              absl::string_view evaluator, int grade, int score,
                                              absl::string_view evaluated_date,
                                              absl::CivilDay today);

// Whether the organisation in `state` may have `evaluation`: FAILED_PRECONDITION
// "organisation_id: …" unless registered, "evaluated_date: …" before its establishment.
absl::Status CheckEvaluable(const OrgState& state, const Evaluation& evaluation);

}  // namespace civil::socialorg

#include "services/socialorg/evaluation_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {
namespace {

constexpr char kColumns[] =
    "evaluation_id::text, organisation_id::text, project, evaluator, grade, score, "
    "evaluated_on::text, recorded_by";

EvaluationRecord FromRow(const pqxx::row& row) {
  EvaluationRecord r;
  r.evaluation_id = row[0].as<std::string>();
  r.organisation_id = row[1].as<std::string>();
  r.evaluation.project = row[2].as<std::string>();
  r.evaluation.evaluator = row[3].as<std::string>();
  r.evaluation.grade =
      static_cast<EvaluationGrade>(kEvaluationGradeNames.Value(row[4].as<std::string>()));
  r.evaluation.score = row[5].as<int>();
  r.evaluation.evaluated_on = DayOf(row[6]);
  r.recorded_by = row[7].as<std::string>();
  return r;
}

}  // namespace

EvaluationStore::EvaluationStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_eval_org",
                 "SELECT status, established_on::text, deregistered_on::text, region_code FROM "
                 "organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_eval_insert",
                 absl::StrCat("INSERT INTO project_evaluations (organisation_id, project, "
                              "evaluator, grade, score, evaluated_on, recorded_by) VALUES "
                              "($1::uuid, $2, $3, $4, $5, $6::date, $7) RETURNING ",
                              kColumns));
  pool_->Prepare("socialorg_eval_region",
                 "SELECT region_code FROM organisations WHERE organisation_id = $1::uuid");
  pool_->Prepare("socialorg_eval_of",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM project_evaluations WHERE organisation_id = $1::uuid ORDER "
                              "BY evaluated_on, seq"));
}

absl::StatusOr<EvaluationRecord> EvaluationStore::Record(const std::string& organisation_id,
                                                         const Evaluation& evaluation,
                                                         const std::string& actor,
                                                         const RegionVet& vet) {
  EvaluationRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_eval_org", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
    OrgState state;
    state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
    state.established_on = OptionalDayOf(r[0][1]);
    state.deregistered_on = OptionalDayOf(r[0][2]);
    CIVIL_RETURN_IF_ERROR(CheckEvaluable(state, evaluation));
    try {
      recorded = FromRow(txn.exec_prepared1(
          "socialorg_eval_insert", organisation_id, evaluation.project, evaluation.evaluator,
          std::string(kEvaluationGradeNames.Name(static_cast<int>(evaluation.grade))),
          evaluation.score, FormatDay(evaluation.evaluated_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("project: the organisation's project is evaluated already");
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::vector<EvaluationRecord>> EvaluationStore::Of(
    const std::string& organisation_id, const RegionVet& vet) {
  std::vector<EvaluationRecord> records;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        records.clear();
        pqxx::result r = txn.exec_prepared("socialorg_eval_region", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_eval_of", organisation_id)) {
          records.push_back(FromRow(row));
        }
        return absl::OkStatus();
      }));
  return records;
}

}  // namespace civil::socialorg

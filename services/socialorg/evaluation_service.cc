#include "services/socialorg/evaluation_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.EvaluationService";

void ToProto(const EvaluationRecord& r, v1::Evaluation* out) {
  out->set_evaluation_id(r.evaluation_id);
  out->set_organisation_id(r.organisation_id);
  out->set_project(r.evaluation.project);
  out->set_evaluator(r.evaluation.evaluator);
  out->set_grade(static_cast<v1::EvaluationGrade>(r.evaluation.grade));
  out->set_score(r.evaluation.score);
  out->set_evaluated_date(FormatDay(r.evaluation.evaluated_on));
  out->set_recorded_by(r.recorded_by);
}

}  // namespace

EvaluationServiceImpl::EvaluationServiceImpl(EvaluationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status EvaluationServiceImpl::RecordEvaluation(grpc::ServerContext* context,
                                                     const v1::RecordEvaluationRequest* request,
                                                     v1::RecordEvaluationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordEvaluation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const Evaluation evaluation,
        ValidateEvaluation(request->project(), request->evaluator(), request->grade(),
                           request->score(), request->evaluated_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const EvaluationRecord recorded,
                           store_->Record(request->organisation_id(), evaluation, caller.subject,
                                          RegionCheck(caller)));
    ToProto(recorded, response->mutable_evaluation());
    return absl::OkStatus();
  });
}

grpc::Status EvaluationServiceImpl::ListEvaluations(grpc::ServerContext* context,
                                                    const v1::ListEvaluationsRequest* request,
                                                    v1::ListEvaluationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListEvaluations"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EvaluationRecord> records,
                           store_->Of(request->organisation_id(), RegionCheck(caller)));
    for (const EvaluationRecord& r : records) ToProto(r, response->add_evaluations());
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg

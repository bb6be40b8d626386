// gRPC adapter of civil.socialorg.v1.EvaluationService: project evaluations per organisation;
// authorisation, region scope, request → evaluation.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/evaluations.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/evaluation_store.h"

namespace civil::socialorg {

class EvaluationServiceImpl final : public v1::EvaluationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  EvaluationServiceImpl(EvaluationStore* store, Clock today);

  grpc::Status RecordEvaluation(grpc::ServerContext* context,
                                const v1::RecordEvaluationRequest* request,
                                v1::RecordEvaluationResponse* response) override;
  grpc::Status ListEvaluations(grpc::ServerContext* context,
                               const v1::ListEvaluationsRequest* request,
                               v1::ListEvaluationsResponse* response) override;

 private:
  EvaluationStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg

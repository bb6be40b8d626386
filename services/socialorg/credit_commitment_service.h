// gRPC adapter of civil.socialorg.v1.CreditCommitmentService: industry associations' credit
// commitments; authorisation, region scope, request → credit_commitment.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/credit.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/credit_commitment_store.h"

namespace civil::socialorg {

class CreditCommitmentServiceImpl final : public v1::CreditCommitmentService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  CreditCommitmentServiceImpl(CreditCommitmentStore* store, Clock today);

  grpc::Status RecordCreditCommitment(grpc::ServerContext* context,
                                      const v1::RecordCreditCommitmentRequest* request,
                                      v1::RecordCreditCommitmentResponse* response) override;
  grpc::Status ListCreditCommitments(grpc::ServerContext* context,
                                     const v1::ListCreditCommitmentsRequest* request,
                                     v1::ListCreditCommitmentsResponse* response) override;

 private:
  CreditCommitmentStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg

#include "services/socialorg/credit_commitment_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.CreditCommitmentService";

void ToProto(const CommitmentRecord& r, v1::CreditCommitment* out) {
  out->set_organisation_id(r.organisation_id);
  out->set_year(r.commitment.year);
  out->set_content(r.commitment.content);
  out->set_signed_date(FormatDay(r.commitment.signed_on));
  out->set_recorded_by(r.recorded_by);
}

}  // namespace

CreditCommitmentServiceImpl::CreditCommitmentServiceImpl(CreditCommitmentStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status CreditCommitmentServiceImpl::RecordCreditCommitment(
    grpc::ServerContext* context, const v1::RecordCreditCommitmentRequest* request,
    v1::RecordCreditCommitmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordCreditCommitment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const CreditCommitment commitment,
        ValidateCommitment(request->year(), request->content(), request->signed_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const CommitmentRecord recorded,
                           store_->Record(request->organisation_id(), commitment, caller.subject,
                                          RegionCheck(caller)));
    ToProto(recorded, response->mutable_commitment());
    return absl::OkStatus();
  });
}

grpc::Status CreditCommitmentServiceImpl::ListCreditCommitments(
    grpc::ServerContext* context, const v1::ListCreditCommitmentsRequest* request,
    v1::ListCreditCommitmentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListCreditCommitments"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<CommitmentRecord> records,
                           store_->Of(request->organisation_id(), RegionCheck(caller)));
    for (const CommitmentRecord& r : records) ToProto(r, response->add_commitments());
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg

#include "services/affairs/enrolment_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/common/tls.h"
#include "services/common/values.h"

namespace civil::affairs {

EnrolmentClient::EnrolmentClient(const std::string& address, std::chrono::milliseconds deadline,
                                 ServiceTokens* tokens)
    : stub_(civil::assistance::v1::EnrolmentCheckService::NewStub(DepartmentChannel(address))),
      deadline_(deadline),
      tokens_(tokens) {}

absl::StatusOr<std::vector<EnrolmentFact>> EnrolmentClient::CheckDibao(const IdNumber& id,
                                                                       absl::CivilDay as_of) {
  civil::assistance::v1::CheckEnrolmentRequest request;
  request.set_id_number(id.value());
  request.set_programme(civil::assistance::v1::PROGRAMME_DIBAO);
  request.set_as_of(FormatDay(as_of));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (absl::Status s = tokens_->Attach(context, "assistance"); !s.ok()) return s;
  civil::assistance::v1::CheckEnrolmentResponse response;
  grpc::Status status = stub_->CheckEnrolment(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(FromGrpcStatus(status).code(),
                        absl::StrCat("assistance CheckEnrolment: ", status.error_message()));
  }
  std::vector<EnrolmentFact> facts;
  for (const auto& e : response.enrolments()) {
    EnrolmentFact f;
    f.enrolment_id = e.enrolment_id();
    f.dibao = e.programme() == civil::assistance::v1::PROGRAMME_DIBAO;
    f.active = e.active();
    if (absl::StatusOr<absl::CivilMonth> m = ParseMonth(e.start_month()); m.ok())
      f.start_month = *m;
    if (absl::StatusOr<absl::CivilMonth> m = ParseMonth(e.end_month()); m.ok()) f.end_month = *m;
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace civil::affairs

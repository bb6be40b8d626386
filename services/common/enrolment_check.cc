#include "services/common/enrolment_check.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/config.h"
#include "services/common/status.h"
#include "services/common/tls.h"
#include "services/common/values.h"

namespace civil {

absl::StatusOr<EnrolmentCheckConfig> LoadEnrolmentCheckConfig(absl::string_view department) {
  EnvReader env;
  EnrolmentCheckConfig config;
  config.address = env.String("CIVIL_ASSISTANCE_ADDR", "127.0.0.1:50051");
  config.deadline = std::chrono::milliseconds(
      env.Int(absl::StrCat("CIVIL_", absl::AsciiStrToUpper(department), "_ASSISTANCE_DEADLINE_MS"),
              2000, 50, 60000));
  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(config.address, &host, &port); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("CIVIL_ASSISTANCE_ADDR: ", s.message()));
  }
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return config;
}

EnrolmentCheckClient::EnrolmentCheckClient(const std::string& address,
                                           std::chrono::milliseconds deadline,
                                           ServiceTokens* tokens)
    : stub_(civil::assistance::v1::EnrolmentCheckService::NewStub(DepartmentChannel(address))),
      deadline_(deadline),
      tokens_(tokens) {}

absl::StatusOr<std::vector<EnrolmentFact>> EnrolmentCheckClient::Check(
    const IdNumber& id, absl::CivilDay as_of, civil::assistance::v1::Programme programme) {
  civil::assistance::v1::CheckEnrolmentRequest request;
  request.set_id_number(id.value());
  request.set_programme(programme);
  request.set_as_of(FormatDay(as_of));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (absl::Status s = tokens_->Attach(context, "assistance"); !s.ok()) return s;
  civil::assistance::v1::CheckEnrolmentResponse response;
  const grpc::Status status = stub_->CheckEnrolment(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(FromGrpcStatus(status).code(),
                        absl::StrCat("assistance CheckEnrolment: ", status.error_message()));
  }
  std::vector<EnrolmentFact> facts;
  for (const auto& e : response.enrolments()) {
    facts.push_back(EnrolmentFact{e.enrolment_id(),
                                  civil::assistance::v1::Programme_Name(e.programme()), e.active(),
                                  MonthOrNone(e.start_month()), MonthOrNone(e.end_month())});
  }
  return facts;
}

}  // namespace civil

#include "services/exchange/registry_client.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "services/common/config.h"
#include "services/common/status.h"
#include "services/common/tls.h"
#include "services/common/values.h"

namespace civil::exchange {
namespace {

DepartmentReply Unknown(std::string department, const std::string& reason) {
  DepartmentReply reply;
  reply.department = std::move(department);
  reply.reason = reason;
  return reply;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace

absl::StatusOr<RegistryConfig> LoadRegistryConfig() {
  EnvReader env;
  RegistryConfig config;
  config.assistance_addr = env.String("CIVIL_ASSISTANCE_ADDR", config.assistance_addr);
  config.affairs_addr = env.String("CIVIL_AFFAIRS_ADDR", config.affairs_addr);
  config.eldercare_addr = env.String("CIVIL_ELDERCARE_ADDR", config.eldercare_addr);
  config.childwelfare_addr = env.String("CIVIL_CHILDWELFARE_ADDR", config.childwelfare_addr);
  config.deadline =
      std::chrono::milliseconds(env.Int("CIVIL_EXCHANGE_REGISTRY_DEADLINE_MS", 2000, 50, 60000));
  for (const auto& [name, address] :
       {std::pair<const char*, std::string>{"CIVIL_ASSISTANCE_ADDR", config.assistance_addr},
        {"CIVIL_AFFAIRS_ADDR", config.affairs_addr}}) {
    std::string host;
    int port = 0;
    if (absl::Status s = SplitHostPort(address, &host, &port); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": ", s.message()));
    }
  }
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return config;
}

RegistryClient::RegistryClient(const RegistryConfig& config, ServiceTokens* tokens)
    : assistance_(civil::assistance::v1::EnrolmentCheckService::NewStub(
          DepartmentChannel(config.assistance_addr))),
      affairs_(
          civil::affairs::v1::SubsidyCheckService::NewStub(DepartmentChannel(config.affairs_addr))),
      eldercare_(civil::eldercare::v1::EldercareCheckService::NewStub(
          DepartmentChannel(config.eldercare_addr))),
      childwelfare_(civil::childwelfare::v1::ChildAllowanceCheckService::NewStub(
          DepartmentChannel(config.childwelfare_addr))),
      deadline_(config.deadline),
      tokens_(tokens) {}

std::vector<DepartmentReply> RegistryClient::Ask(const IdNumber& id, absl::CivilDay as_of) {
  // At once: the search takes as long as the slowest department, at most the deadline.
  std::future<DepartmentReply> affairs =
      std::async(std::launch::async, [&] { return AskAffairs(id, as_of); });
  std::future<DepartmentReply> eldercare =
      std::async(std::launch::async, [&] { return AskEldercare(id, as_of); });
  std::future<DepartmentReply> childwelfare =
      std::async(std::launch::async, [&] { return AskChildwelfare(id, as_of); });
  std::vector<DepartmentReply> replies;
  replies.push_back(AskAssistance(id, as_of));
  replies.push_back(affairs.get());
  replies.push_back(eldercare.get());
  replies.push_back(childwelfare.get());
  return replies;
}

namespace {

// A fact as the registry lists it, from a department's answer row (each department's check
// message has these four fields under the same names).
template <typename Row>
ProgrammeFact FactOf(std::string programme, std::string enrolment_id, const Row& row) {
  ProgrammeFact f;
  f.programme = std::move(programme);
  f.enrolment_id = std::move(enrolment_id);
  f.active = row.active();
  f.start_month = MonthOrNone(row.start_month());
  f.end_month = MonthOrNone(row.end_month());
  f.region_code = row.region_code();
  return f;
}

// One department asked: `call` sends the request for `id` on `as_of` with the deadline and the
// exchange's service token for `department`; `facts` lists the answer. A department that does not
// answer (or cannot be given a token) is UNKNOWN with the reason, never a failed search.
template <typename Request, typename Response, typename Call, typename Facts>
DepartmentReply AskDepartment(const std::string& department, const IdNumber& id,
                              absl::CivilDay as_of, std::chrono::milliseconds deadline,
                              ServiceTokens* tokens, Call call, Facts facts) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  if (!tokens->Attach(context, department).ok()) return Unknown(department, "NO_IDENTITY");
  Request request;
  request.set_id_number(id.value());
  request.set_as_of(FormatDay(as_of));
  Response response;
  const grpc::Status status = call(&context, request, &response);
  if (!status.ok()) return Unknown(department, CodeName(status.error_code()));
  DepartmentReply reply;
  reply.department = department;
  reply.answered = true;
  facts(response, &reply.facts);
  return reply;
}

}  // namespace

DepartmentReply RegistryClient::AskAssistance(const IdNumber& id, absl::CivilDay as_of) {
  namespace v1 = civil::assistance::v1;
  return AskDepartment<v1::CheckEnrolmentRequest, v1::CheckEnrolmentResponse>(
      "assistance", id, as_of, deadline_, tokens_,
      [&](grpc::ClientContext* c, const auto& request, auto* response) {
        return assistance_->CheckEnrolment(c, request, response);
      },
      [](const v1::CheckEnrolmentResponse& response, std::vector<ProgrammeFact>* out) {
        for (const auto& e : response.enrolments()) {
          out->push_back(FactOf(v1::Programme_Name(e.programme()), e.enrolment_id(), e));
        }
      });
}

DepartmentReply RegistryClient::AskAffairs(const IdNumber& id, absl::CivilDay as_of) {
  namespace v1 = civil::affairs::v1;
  return AskDepartment<v1::CheckSubsidiesRequest, v1::CheckSubsidiesResponse>(
      "affairs", id, as_of, deadline_, tokens_,
      [&](grpc::ClientContext* c, const auto& request, auto* response) {
        return affairs_->CheckSubsidies(c, request, response);
      },
      [](const v1::CheckSubsidiesResponse& response, std::vector<ProgrammeFact>* out) {
        for (const auto& s : response.subsidies()) {
          if (s.status() == v1::SUBSIDY_STATUS_REJECTED) continue;
          out->push_back(FactOf(s.kind() == v1::SUBSIDY_KIND_CARE ? "DISABILITY_CARE_SUBSIDY"
                                                                  : "DISABILITY_LIVING_SUBSIDY",
                                s.subsidy_id(), s));
        }
      });
}

DepartmentReply RegistryClient::AskEldercare(const IdNumber& id, absl::CivilDay as_of) {
  namespace v1 = civil::eldercare::v1;
  return AskDepartment<v1::CheckEldercareRequest, v1::CheckEldercareResponse>(
      "eldercare", id, as_of, deadline_, tokens_,
      [&](grpc::ClientContext* c, const auto& request, auto* response) {
        return eldercare_->CheckEldercare(c, request, response);
      },
      [](const v1::CheckEldercareResponse& response, std::vector<ProgrammeFact>* out) {
        for (const auto& e : response.facts()) out->push_back(FactOf(e.programme(), e.id(), e));
      });
}

DepartmentReply RegistryClient::AskChildwelfare(const IdNumber& id, absl::CivilDay as_of) {
  namespace v1 = civil::childwelfare::v1;
  return AskDepartment<v1::CheckChildAllowancesRequest, v1::CheckChildAllowancesResponse>(
      "childwelfare", id, as_of, deadline_, tokens_,
      [&](grpc::ClientContext* c, const auto& request, auto* response) {
        return childwelfare_->CheckChildAllowances(c, request, response);
      },
      [](const v1::CheckChildAllowancesResponse& response, std::vector<ProgrammeFact>* out) {
        for (const auto& a : response.allowances()) {
          out->push_back(FactOf(a.programme(), a.child_id(), a));
        }
      });
}

}  // namespace civil::exchange

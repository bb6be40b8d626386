#include "services/exchange/registry_client.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "services/common/config.h"
#include "services/common/status.h"
#include "services/common/tls.h"
#include "services/common/values.h"

namespace civil::exchange {
namespace {

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return grpc::CreateCustomChannel(address, ServiceChannelCredentials(), args);
}

std::optional<absl::CivilMonth> MonthOf(const std::string& text) {
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(text);
  if (!month.ok()) return std::nullopt;
  return *month;
}

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
    : assistance_(
          civil::assistance::v1::EnrolmentCheckService::NewStub(ChannelTo(config.assistance_addr))),
      affairs_(civil::affairs::v1::SubsidyCheckService::NewStub(ChannelTo(config.affairs_addr))),
      eldercare_(
          civil::eldercare::v1::EldercareCheckService::NewStub(ChannelTo(config.eldercare_addr))),
      childwelfare_(civil::childwelfare::v1::ChildAllowanceCheckService::NewStub(
          ChannelTo(config.childwelfare_addr))),
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

DepartmentReply RegistryClient::AskAssistance(const IdNumber& id, absl::CivilDay as_of) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (!tokens_->Attach(context, "assistance").ok()) return Unknown("assistance", "NO_IDENTITY");
  civil::assistance::v1::CheckEnrolmentRequest request;
  request.set_id_number(id.value());
  request.set_as_of(FormatDay(as_of));
  civil::assistance::v1::CheckEnrolmentResponse response;
  const grpc::Status status = assistance_->CheckEnrolment(&context, request, &response);
  if (!status.ok()) return Unknown("assistance", CodeName(status.error_code()));
  DepartmentReply reply;
  reply.department = "assistance";
  reply.answered = true;
  for (const auto& e : response.enrolments()) {
    ProgrammeFact f;
    f.programme = civil::assistance::v1::Programme_Name(e.programme());
    f.enrolment_id = e.enrolment_id();
    f.active = e.active();
    f.start_month = MonthOf(e.start_month());
    f.end_month = MonthOf(e.end_month());
    f.region_code = e.region_code();
    reply.facts.push_back(std::move(f));
  }
  return reply;
}

DepartmentReply RegistryClient::AskAffairs(const IdNumber& id, absl::CivilDay as_of) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (!tokens_->Attach(context, "affairs").ok()) return Unknown("affairs", "NO_IDENTITY");
  civil::affairs::v1::CheckSubsidiesRequest request;
  request.set_id_number(id.value());
  request.set_as_of(FormatDay(as_of));
  civil::affairs::v1::CheckSubsidiesResponse response;
  const grpc::Status status = affairs_->CheckSubsidies(&context, request, &response);
  if (!status.ok()) return Unknown("affairs", CodeName(status.error_code()));
  DepartmentReply reply;
  reply.department = "affairs";
  reply.answered = true;
  for (const auto& s : response.subsidies()) {
    if (s.status() == civil::affairs::v1::SUBSIDY_STATUS_REJECTED) continue;
    ProgrammeFact f;
    f.programme = s.kind() == civil::affairs::v1::SUBSIDY_KIND_CARE ? "DISABILITY_CARE_SUBSIDY"
                                                                    : "DISABILITY_LIVING_SUBSIDY";
    f.enrolment_id = s.subsidy_id();
    f.active = s.active();
    f.start_month = MonthOf(s.start_month());
    f.end_month = MonthOf(s.end_month());
    f.region_code = s.region_code();
    reply.facts.push_back(std::move(f));
  }
  return reply;
}

DepartmentReply RegistryClient::AskEldercare(const IdNumber& id, absl::CivilDay as_of) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (!tokens_->Attach(context, "eldercare").ok()) return Unknown("eldercare", "NO_IDENTITY");
  civil::eldercare::v1::CheckEldercareRequest request;
  request.set_id_number(id.value());
  request.set_as_of(FormatDay(as_of));
  civil::eldercare::v1::CheckEldercareResponse response;
  const grpc::Status status = eldercare_->CheckEldercare(&context, request, &response);
  if (!status.ok()) return Unknown("eldercare", CodeName(status.error_code()));
  DepartmentReply reply;
  reply.department = "eldercare";
  reply.answered = true;
  for (const auto& e : response.facts()) {
    ProgrammeFact f;
    f.programme = e.programme();
    f.enrolment_id = e.id();
    f.active = e.active();
    f.start_month = MonthOf(e.start_month());
    f.end_month = MonthOf(e.end_month());
    f.region_code = e.region_code();
    reply.facts.push_back(std::move(f));
  }
  return reply;
}

DepartmentReply RegistryClient::AskChildwelfare(const IdNumber& id, absl::CivilDay as_of) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  if (!tokens_->Attach(context, "childwelfare").ok()) {
    return Unknown("childwelfare", "NO_IDENTITY");
  }
  civil::childwelfare::v1::CheckChildAllowancesRequest request;
  request.set_id_number(id.value());
  request.set_as_of(FormatDay(as_of));
  civil::childwelfare::v1::CheckChildAllowancesResponse response;
  const grpc::Status status = childwelfare_->CheckChildAllowances(&context, request, &response);
  if (!status.ok()) return Unknown("childwelfare", CodeName(status.error_code()));
  DepartmentReply reply;
  reply.department = "childwelfare";
  reply.answered = true;
  for (const auto& a : response.allowances()) {
    ProgrammeFact f;
    f.programme = a.programme();
    f.enrolment_id = a.child_id();
    f.active = a.active();
    f.start_month = MonthOf(a.start_month());
    f.end_month = MonthOf(a.end_month());
    f.region_code = a.region_code();
    reply.facts.push_back(std::move(f));
  }
  return reply;
}

}  // namespace civil::exchange

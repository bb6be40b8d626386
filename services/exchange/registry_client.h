// Asks each department which programmes a person is in, for the registry search: assistance's
// EnrolmentCheckService.CheckEnrolment, affairs' SubsidyCheckService.CheckSubsidies,
// eldercare's EldercareCheckService.CheckEldercare and childwelfare's
// ChildAllowanceCheckService.CheckChildAllowances, at once,
// each with a deadline and the exchange's service token. A department that does not answer is a
// reply with `answered` false, never an error of the search.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "civil/affairs/v1/disability.grpc.pb.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "civil/eldercare/v1/allowance.grpc.pb.h"
#include "services/common/id_number.h"
#include "services/common/identity.h"
#include "services/exchange/registry.h"

namespace civil::exchange {

// From the environment: CIVIL_ASSISTANCE_ADDR [127.0.0.1:50051], CIVIL_AFFAIRS_ADDR
// [127.0.0.1:50056], CIVIL_ELDERCARE_ADDR [127.0.0.1:50052], CIVIL_CHILDWELFARE_ADDR
// [127.0.0.1:50053], CIVIL_EXCHANGE_REGISTRY_DEADLINE_MS
// [2000] (50..60000).
struct RegistryConfig {
  std::string assistance_addr = "127.0.0.1:50051";
  std::string affairs_addr = "127.0.0.1:50056";
  std::string eldercare_addr = "127.0.0.1:50052";
  std::string childwelfare_addr = "127.0.0.1:50053";
  std::chrono::milliseconds deadline{2000};
};
// INVALID_ARGUMENT naming a malformed variable.
absl::StatusOr<RegistryConfig> LoadRegistryConfig();

class RegistryClient {
 public:
  // `tokens` is not owned (the Department's).
  RegistryClient(const RegistryConfig& config, ServiceTokens* tokens);

  // Every department's reply about `id` on `as_of`, in a fixed order (assistance, affairs,
  // eldercare, childwelfare).
  std::vector<DepartmentReply> Ask(const IdNumber& id, absl::CivilDay as_of);

 private:
  DepartmentReply AskAssistance(const IdNumber& id, absl::CivilDay as_of);
  DepartmentReply AskAffairs(const IdNumber& id, absl::CivilDay as_of);
  DepartmentReply AskEldercare(const IdNumber& id, absl::CivilDay as_of);
  DepartmentReply AskChildwelfare(const IdNumber& id, absl::CivilDay as_of);

  std::unique_ptr<civil::assistance::v1::EnrolmentCheckService::Stub> assistance_;
  std::unique_ptr<civil::affairs::v1::SubsidyCheckService::Stub> affairs_;
  std::unique_ptr<civil::eldercare::v1::EldercareCheckService::Stub> eldercare_;
  std::unique_ptr<civil::childwelfare::v1::ChildAllowanceCheckService::Stub> childwelfare_;
  std::chrono::milliseconds deadline_;
  ServiceTokens* tokens_;
};

}  // namespace civil::exchange

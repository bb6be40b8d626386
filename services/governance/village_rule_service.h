// gRPC adapter of civil.governance.v1.VillageRuleService: revisions of village rules through
// their five steps and the excellent-rules selection. Authorisation and region scope, request
// validation (village_rule.h), proto ⇄ domain and status mapping. No SQL here (VillageRuleStore).
#pragma once

#include "civil/governance/v1/village_rule.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/village_rule_store.h"

namespace civil::governance {

class VillageRuleServiceImpl final : public v1::VillageRuleService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  VillageRuleServiceImpl(VillageRuleStore* store, Clock today);

  grpc::Status StartVillageRule(grpc::ServerContext* context,
                                const v1::StartVillageRuleRequest* request,
                                v1::StartVillageRuleResponse* response) override;
  grpc::Status RecordRuleStep(grpc::ServerContext* context,
                              const v1::RecordRuleStepRequest* request,
                              v1::RecordRuleStepResponse* response) override;
  grpc::Status GetVillageRule(grpc::ServerContext* context,
                              const v1::GetVillageRuleRequest* request,
                              v1::GetVillageRuleResponse* response) override;
  grpc::Status ListVillageRules(grpc::ServerContext* context,
                                const v1::ListVillageRulesRequest* request,
                                v1::ListVillageRulesResponse* response) override;
  grpc::Status SelectExcellentRule(grpc::ServerContext* context,
                                   const v1::SelectExcellentRuleRequest* request,
                                   v1::SelectExcellentRuleResponse* response) override;
  grpc::Status ListExcellentRules(grpc::ServerContext* context,
                                  const v1::ListExcellentRulesRequest* request,
                                  v1::ListExcellentRulesResponse* response) override;

 private:
  VillageRuleStore* store_;
  Clock today_;
};

}  // namespace civil::governance

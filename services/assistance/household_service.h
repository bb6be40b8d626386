// gRPC adapter of civil.assistance.v1.HouseholdService: request validation, proto ⇄ domain,
// the read cache, and status mapping. No SQL here (HouseholdStore) and no rules (household.h).
#pragma once

#include "civil/assistance/v1/household.grpc.pb.h"
#include "services/assistance/household_store.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"
#include "services/common/redis.h"

namespace civil::assistance {

class HouseholdServiceImpl final : public civil::assistance::v1::HouseholdService::Service {
 public:
  // None is owned. `cache` holds serialized Household messages by household id; `id_views`
  // records every full view of members' ID numbers (GetHousehold with a reveal_reason).
  HouseholdServiceImpl(HouseholdStore* store, ReadThroughCache* cache, IdViewLog* id_views,
                       Clock clock = SystemClock());

  grpc::Status CreateHousehold(grpc::ServerContext* context,
                               const v1::CreateHouseholdRequest* request,
                               v1::CreateHouseholdResponse* response) override;
  grpc::Status GetHousehold(grpc::ServerContext* context, const v1::GetHouseholdRequest* request,
                            v1::GetHouseholdResponse* response) override;
  grpc::Status ListHouseholds(grpc::ServerContext* context,
                              const v1::ListHouseholdsRequest* request,
                              v1::ListHouseholdsResponse* response) override;
  grpc::Status UpdateHouseholdMembers(grpc::ServerContext* context,
                                      const v1::UpdateHouseholdMembersRequest* request,
                                      v1::UpdateHouseholdMembersResponse* response) override;

 private:
  HouseholdStore* store_;
  ReadThroughCache* cache_;
  IdViewLog* id_views_;
  Clock clock_;
};

}  // namespace civil::assistance

// gRPC adapter of civil.eldercare.v1.FacilityService: authorisation and region scope, request
// validation (facility.h), proto ⇄ domain and status mapping. No SQL here (FacilityStore).
#pragma once

#include "civil/eldercare/v1/facility.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/facility_store.h"

namespace civil::eldercare {

class FacilityServiceImpl final : public v1::FacilityService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  FacilityServiceImpl(FacilityStore* store, Clock today);

  grpc::Status CreateFacility(grpc::ServerContext* context,
                              const v1::CreateFacilityRequest* request,
                              v1::CreateFacilityResponse* response) override;
  grpc::Status AdvanceFacility(grpc::ServerContext* context,
                               const v1::AdvanceFacilityRequest* request,
                               v1::AdvanceFacilityResponse* response) override;
  grpc::Status RecordSixNotices(grpc::ServerContext* context,
                                const v1::RecordSixNoticesRequest* request,
                                v1::RecordSixNoticesResponse* response) override;
  grpc::Status RecordMeals(grpc::ServerContext* context, const v1::RecordMealsRequest* request,
                           v1::RecordMealsResponse* response) override;
  grpc::Status GetFacility(grpc::ServerContext* context, const v1::GetFacilityRequest* request,
                           v1::GetFacilityResponse* response) override;
  grpc::Status ListFacilities(grpc::ServerContext* context,
                              const v1::ListFacilitiesRequest* request,
                              v1::ListFacilitiesResponse* response) override;

 private:
  FacilityStore* store_;
  Clock today_;
};

}  // namespace civil::eldercare

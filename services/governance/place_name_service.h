// gRPC adapter of civil.governance.v1.PlaceNameService: place and road naming. Authorisation and
// region scope, request validation (place_name.h), proto ⇄ domain and status mapping. No SQL
// here (PlaceNameStore).
#pragma once

#include "civil/governance/v1/place_name.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/place_name_store.h"

namespace civil::governance {

class PlaceNameServiceImpl final : public v1::PlaceNameService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  PlaceNameServiceImpl(PlaceNameStore* store, Clock today);

  grpc::Status ApplyPlaceName(grpc::ServerContext* context,
                              const v1::ApplyPlaceNameRequest* request,
                              v1::ApplyPlaceNameResponse* response) override;
  grpc::Status ApprovePlaceName(grpc::ServerContext* context,
                                const v1::ApprovePlaceNameRequest* request,
                                v1::ApprovePlaceNameResponse* response) override;
  grpc::Status FilePlaceName(grpc::ServerContext* context, const v1::FilePlaceNameRequest* request,
                             v1::FilePlaceNameResponse* response) override;
  grpc::Status AnnouncePlaceName(grpc::ServerContext* context,
                                 const v1::AnnouncePlaceNameRequest* request,
                                 v1::AnnouncePlaceNameResponse* response) override;
  grpc::Status GetPlaceName(grpc::ServerContext* context, const v1::GetPlaceNameRequest* request,
                            v1::GetPlaceNameResponse* response) override;
  grpc::Status ListLatePlaceNames(grpc::ServerContext* context,
                                  const v1::ListLatePlaceNamesRequest* request,
                                  v1::ListLatePlaceNamesResponse* response) override;

 private:
  // Validates and records `step` of `name_id` for the method's caller.
  absl::StatusOr<PlaceNameRecord> RecordStep(grpc::ServerContext* context, absl::string_view method,
                                             NamingStep step, const std::string& name_id,
                                             const std::string& date, const std::string& document);

  PlaceNameStore* store_;
  Clock today_;
};

}  // namespace civil::governance

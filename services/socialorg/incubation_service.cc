#include "services/socialorg/incubation_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.IncubationService";

void ToProto(const CentreRecord& c, v1::IncubationCentre* out) {
  out->set_centre_id(c.centre_id);
  out->set_name(c.centre.name);
  out->set_region_code(c.centre.region_code);
  out->set_established_date(FormatDay(c.centre.established_on));
  for (const IncubatedOrganisation& o : c.organisations) {
    v1::IncubatedOrganisation* p = out->add_organisations();
    p->set_organisation_id(o.organisation_id);
    p->set_name(o.name);
    p->set_admitted_date(FormatDay(o.admitted_on));
  }
  out->set_recorded_by(c.recorded_by);
}

}  // namespace

IncubationServiceImpl::IncubationServiceImpl(IncubationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status IncubationServiceImpl::CreateIncubationCentre(
    grpc::ServerContext* context, const v1::CreateIncubationCentreRequest* request,
    v1::CreateIncubationCentreResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateIncubationCentre"));
    CIVIL_ASSIGN_OR_RETURN(const IncubationCentre centre,
                           ValidateCentre(request->name(), request->region_code(),
                                          request->established_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", centre.region_code));
    CIVIL_ASSIGN_OR_RETURN(const CentreRecord c, store_->Create(centre, caller.subject));
    ToProto(c, response->mutable_centre());
    return absl::OkStatus();
  });
}

grpc::Status IncubationServiceImpl::GetIncubationCentre(
    grpc::ServerContext* context, const v1::GetIncubationCentreRequest* request,
    v1::GetIncubationCentreResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetIncubationCentre"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("centre_id", request->centre_id()));
    CIVIL_ASSIGN_OR_RETURN(const CentreRecord c,
                           store_->Get(request->centre_id(), RegionCheck(caller)));
    ToProto(c, response->mutable_centre());
    return absl::OkStatus();
  });
}

grpc::Status IncubationServiceImpl::AdmitOrganisation(grpc::ServerContext* context,
                                                      const v1::AdmitOrganisationRequest* request,
                                                      v1::AdmitOrganisationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "AdmitOrganisation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("centre_id", request->centre_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay admitted_on,
                           EventDate("admitted_date", request->admitted_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const CentreRecord c,
                           store_->Admit(request->centre_id(), request->organisation_id(),
                                         admitted_on, caller.subject, RegionCheck(caller)));
    ToProto(c, response->mutable_centre());
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg

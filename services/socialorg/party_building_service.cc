#include "services/socialorg/party_building_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.PartyBuildingService";

void ToProto(const PartyBuildingRecord& r, v1::PartyBuilding* out) {
  out->set_organisation_id(r.organisation_id);
  out->set_effective_date(FormatDay(r.record.effective_on));
  out->set_party_organisation(r.record.party_organisation);
  out->set_trade_union(r.record.trade_union);
  out->set_youth_league(r.record.youth_league);
  out->set_womens_organisation(r.record.womens_organisation);
  out->set_in_charter(r.record.in_charter);
  out->set_commitment_signed(r.record.commitment_signed);
  out->set_recorded_by(r.recorded_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

}  // namespace

PartyBuildingServiceImpl::PartyBuildingServiceImpl(PartyBuildingStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status PartyBuildingServiceImpl::RecordPartyBuilding(
    grpc::ServerContext* context, const v1::RecordPartyBuildingRequest* request,
    v1::RecordPartyBuildingResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordPartyBuilding"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    PartyBuilding flags;
    flags.party_organisation = request->party_organisation();
    flags.trade_union = request->trade_union();
    flags.youth_league = request->youth_league();
    flags.womens_organisation = request->womens_organisation();
    flags.in_charter = request->in_charter();
    flags.commitment_signed = request->commitment_signed();
    CIVIL_ASSIGN_OR_RETURN(const PartyBuilding record,
                           ValidatePartyBuilding(request->effective_date(), flags, today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const PartyBuildingRecord recorded,
        store_->Record(request->organisation_id(), record, caller.subject, RegionCheck(caller)));
    ToProto(recorded, response->mutable_party_building());
    return absl::OkStatus();
  });
}

grpc::Status PartyBuildingServiceImpl::GetPartyBuilding(grpc::ServerContext* context,
                                                        const v1::GetPartyBuildingRequest* request,
                                                        v1::GetPartyBuildingResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetPartyBuilding"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<PartyBuildingRecord> records,
                           store_->Of(request->organisation_id(), RegionCheck(caller)));
    for (const PartyBuildingRecord& r : records) ToProto(r, response->add_records());
    return absl::OkStatus();
  });
}

grpc::Status PartyBuildingServiceImpl::CountPartyBuilding(
    grpc::ServerContext* context, const v1::CountPartyBuildingRequest* request,
    v1::CountPartyBuildingResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CountPartyBuilding"));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> as_of,
                           OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const PartyCounts c,
                           store_->CountAsOf(prefix, as_of.value_or(today_())));
    v1::PartyBuildingCounts* out = response->mutable_counts();
    out->set_organisations(c.organisations);
    out->set_party_organisations(c.party_organisations);
    out->set_trade_unions(c.trade_unions);
    out->set_youth_leagues(c.youth_leagues);
    out->set_womens_organisations(c.womens_organisations);
    out->set_in_charter(c.in_charter);
    out->set_commitments_signed(c.commitments_signed);
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg

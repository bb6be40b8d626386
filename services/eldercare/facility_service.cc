#include "services/eldercare/facility_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.FacilityService";

void SetDay(const std::optional<absl::CivilDay>& day, std::string* out) {
  if (day) *out = FormatDay(*day);
}

void ToProto(const FacilityRecord& f, v1::Facility* out) {
  out->set_facility_id(f.facility_id);
  out->set_kind(static_cast<v1::FacilityKind>(f.kind));
  out->set_name(f.name);
  out->set_region_code(f.region_code);
  out->set_target_year(f.target_year);
  out->set_operator_(f.operator_name);
  out->set_capacity(f.capacity);
  out->set_status(static_cast<v1::FacilityStatus>(f.status));
  out->set_planned_date(FormatDay(f.planned_on));
  SetDay(f.construction_started_on, out->mutable_construction_start_date());
  SetDay(f.completed_on, out->mutable_completion_date());
  SetDay(f.operating_since, out->mutable_operation_start_date());
  SetDay(f.six_notices_on, out->mutable_six_notices_date());
  out->set_recorded_by(f.recorded_by);
  for (const auto& [month, meals] : f.meals) {
    v1::MonthMeals* m = out->add_meals();
    m->set_month(FormatMonth(month));
    m->set_meals(meals);
  }
  *out->mutable_update_time() = TimestampOf(f.update_time_micros);
}

}  // namespace

FacilityServiceImpl::FacilityServiceImpl(FacilityStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status FacilityServiceImpl::CreateFacility(grpc::ServerContext* context,
                                                 const v1::CreateFacilityRequest* request,
                                                 v1::CreateFacilityResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateFacility"));
    FacilityInput input;
    input.kind = request->kind();
    input.name = request->name();
    input.region_code = request->region_code();
    input.target_year = request->target_year();
    input.operator_name = request->operator_();
    input.capacity = request->capacity();
    input.planned_date = request->planned_date();
    CIVIL_ASSIGN_OR_RETURN(const FacilityDraft draft, ValidateFacility(input, today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord record, store_->Create(draft, caller.subject));
    ToProto(record, response->mutable_facility());
    return absl::OkStatus();
  });
}

grpc::Status FacilityServiceImpl::AdvanceFacility(grpc::ServerContext* context,
                                                  const v1::AdvanceFacilityRequest* request,
                                                  v1::AdvanceFacilityResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "AdvanceFacility"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("facility_id", request->facility_id()));
    CIVIL_RETURN_IF_ERROR(kFacilityStatusNames.Require("status", request->status()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const FacilityRecord record,
        store_->Advance(request->facility_id(), request->status(), on, RegionCheck(caller)));
    ToProto(record, response->mutable_facility());
    return absl::OkStatus();
  });
}

grpc::Status FacilityServiceImpl::RecordSixNotices(grpc::ServerContext* context,
                                                   const v1::RecordSixNoticesRequest* request,
                                                   v1::RecordSixNoticesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordSixNotices"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("facility_id", request->facility_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const FacilityRecord record,
        store_->RecordSixNotices(request->facility_id(), on, RegionCheck(caller)));
    ToProto(record, response->mutable_facility());
    return absl::OkStatus();
  });
}

grpc::Status FacilityServiceImpl::RecordMeals(grpc::ServerContext* context,
                                              const v1::RecordMealsRequest* request,
                                              v1::RecordMealsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordMeals"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("facility_id", request->facility_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month, RequiredMonth("month", request->month()));
    CIVIL_RETURN_IF_ERROR(MonthNotAfterToday("month", month, today_()));
    if (request->meals() < 0 || request->meals() > kMaxMealsPerMonth) {
      return InvalidField("meals", "must be from 0 to 10000000");
    }
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord record,
                           store_->RecordMeals(request->facility_id(), month, request->meals(),
                                               caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_facility());
    return absl::OkStatus();
  });
}

grpc::Status FacilityServiceImpl::GetFacility(grpc::ServerContext* context,
                                              const v1::GetFacilityRequest* request,
                                              v1::GetFacilityResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetFacility"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("facility_id", request->facility_id()));
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord record, store_->Get(request->facility_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_facility());
    return absl::OkStatus();
  });
}

grpc::Status FacilityServiceImpl::ListFacilities(grpc::ServerContext* context,
                                                 const v1::ListFacilitiesRequest* request,
                                                 v1::ListFacilitiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListFacilities"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<FacilityKind> kind;
    if (request->kind() != v1::FACILITY_KIND_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kFacilityKindNames.Require("kind", request->kind()));
      kind = static_cast<FacilityKind>(request->kind());
    }
    if (request->target_year() != 0 &&
        (request->target_year() < 2000 || request->target_year() > 2100)) {
      return InvalidField("target_year", "must be 0 (all) or from 2000 to 2100");
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("facilities", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<FacilityRecord> page,
                           store_->List(prefix, kind, request->target_year(), after, size));
    for (const FacilityRecord& f : page.items) ToProto(f, response->add_facilities());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("facilities", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare

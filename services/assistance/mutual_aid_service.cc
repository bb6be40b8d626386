#include "services/assistance/mutual_aid_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

constexpr absl::string_view kService = "civil.assistance.v1.MutualAidService";

grpc::Status MutualAidServiceImpl::RegisterSociety(grpc::ServerContext* context,
                                                   const v1::RegisterSocietyRequest* request,
                                                   v1::RegisterSocietyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterSociety"));
    absl::StatusOr<RegionCode> region = RegionCode::Parse(request->region_code());
    if (!region.ok() || region->level() != RegionCode::Level::kVillage) {
      return InvalidField("region_code", "must be a 12-digit village/community code");
    }
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", region->value()));
    CIVIL_RETURN_IF_ERROR(BoundedText("name", request->name(), 200).status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("registered_on", request->registered_on(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto society,
                           store_->Register(ActorOf(caller), region->value(), request->name(), on));
    *response->mutable_society() = std::move(society);
    return absl::OkStatus();
  });
}

grpc::Status MutualAidServiceImpl::ListSocieties(grpc::ServerContext* context,
                                                 const v1::ListSocietiesRequest* request,
                                                 v1::ListSocietiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListSocieties"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("societies", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->ListSocieties(prefix, after, size));
    for (auto& item : list.items) *response->add_societies() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("societies", list.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status MutualAidServiceImpl::RecordMutualAidCase(
    grpc::ServerContext* context, const v1::RecordMutualAidCaseRequest* request,
    v1::RecordMutualAidCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordMutualAidCase"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("society_id", request->society_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    // Not the kit's RequireAmount: its messages differ ("must be more than 0"), and assistance
    // keeps the ones its clients know, with an upper bound against typos.
    if (request->amount_fen() <= 0) {
      return InvalidField("amount_fen", "must be greater than zero");
    }
    if (request->amount_fen() > kMaxAmountFen) {
      return InvalidField("amount_fen", "is implausibly large");
    }
    const Money amount = Money::Fen(request->amount_fen());
    CIVIL_RETURN_IF_ERROR(
        BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status());
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on, EventDate("helped_on", request->helped_on(), today));
    MutualAidCaseDraft draft{
        request->society_id(), request->household_id(), request->member_id(), amount, on,
        request->note()};
    CIVIL_ASSIGN_OR_RETURN(auto recorded, store_->RecordCase(ActorOf(caller), draft, today));
    *response->mutable_mutual_aid_case() = std::move(recorded);
    return absl::OkStatus();
  });
}

grpc::Status MutualAidServiceImpl::ListMutualAidCases(grpc::ServerContext* context,
                                                      const v1::ListMutualAidCasesRequest* request,
                                                      v1::ListMutualAidCasesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListMutualAidCases"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    if (!request->society_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("society_id", request->society_id()));
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after,
                           DecodePageToken("mutual-aid-cases", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list,
                           store_->ListCases(prefix, request->society_id(), after, size));
    for (auto& item : list.items) *response->add_mutual_aid_cases() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("mutual-aid-cases", list.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status MutualAidServiceImpl::GetMutualAidCoverage(
    grpc::ServerContext* context, const v1::GetMutualAidCoverageRequest* request,
    v1::GetMutualAidCoverageResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetMutualAidCoverage"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay as_of, EventDate("as_of", request->as_of(), clock_()));
    if (request->villages_known() < 0) {
      return InvalidField("villages_known", "must not be negative");
    }
    CIVIL_ASSIGN_OR_RETURN(auto coverage,
                           store_->Coverage(prefix, as_of, request->villages_known()));
    *response = std::move(coverage);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance

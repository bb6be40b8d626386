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

grpc::Status MutualAidServiceImpl::RegisterSociety(grpc::ServerContext* context,
                                                   const v1::RegisterSocietyRequest* request,
                                                   v1::RegisterSocietyResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::MutualAidService::service_full_name(), "RegisterSociety");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<RegionCode> region = RegionCode::Parse(request->region_code());
  if (!region.ok() || region->level() != RegionCode::Level::kVillage) {
    return Fail(InvalidField("region_code", "must be a 12-digit village/community code"));
  }
  if (absl::Status s = CheckRegion(*caller, "region_code", region->value()); !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = BoundedText("name", request->name(), 200).status(); !s.ok()) return Fail(s);
  absl::StatusOr<absl::CivilDay> on =
      EventDate("registered_on", request->registered_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto society = store_->Register(ActorOf(*caller), region->value(), request->name(), *on);
  if (!society.ok()) return Fail(society);
  *response->mutable_society() = *std::move(society);
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::ListSocieties(grpc::ServerContext* context,
                                                 const v1::ListSocietiesRequest* request,
                                                 v1::ListSocietiesResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::MutualAidService::service_full_name(), "ListSocieties");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("societies", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListSocieties(*prefix, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_societies() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("societies", list->next_after));
  }
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::RecordMutualAidCase(
    grpc::ServerContext* context, const v1::RecordMutualAidCaseRequest* request,
    v1::RecordMutualAidCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::MutualAidService::service_full_name(), "RecordMutualAidCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("society_id", request->society_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  // Not the kit's RequireAmount: its messages differ ("must be more than 0"), and assistance
  // keeps the ones its clients know, with an upper bound against typos.
  if (request->amount_fen() <= 0) {
    return Fail(InvalidField("amount_fen", "must be greater than zero"));
  }
  if (request->amount_fen() > kMaxAmountFen) {
    return Fail(InvalidField("amount_fen", "is implausibly large"));
  }
  const Money amount = Money::Fen(request->amount_fen());
  if (absl::Status s =
          BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("helped_on", request->helped_on(), today);
  if (!on.ok()) return Fail(on);
  MutualAidCaseDraft draft{
      request->society_id(), request->household_id(), request->member_id(), amount, *on,
      request->note()};
  auto recorded = store_->RecordCase(ActorOf(*caller), draft, today);
  if (!recorded.ok()) return Fail(recorded);
  *response->mutable_mutual_aid_case() = *std::move(recorded);
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::ListMutualAidCases(grpc::ServerContext* context,
                                                      const v1::ListMutualAidCasesRequest* request,
                                                      v1::ListMutualAidCasesResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::MutualAidService::service_full_name(), "ListMutualAidCases");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  if (!request->society_id().empty()) {
    if (absl::Status s = RequireUuid("society_id", request->society_id()); !s.ok()) return Fail(s);
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("mutual-aid-cases", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListCases(*prefix, request->society_id(), *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_mutual_aid_cases() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("mutual-aid-cases", list->next_after));
  }
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::GetMutualAidCoverage(
    grpc::ServerContext* context, const v1::GetMutualAidCoverageRequest* request,
    v1::GetMutualAidCoverageResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::MutualAidService::service_full_name(), "GetMutualAidCoverage");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  if (request->villages_known() < 0) {
    return Fail(InvalidField("villages_known", "must not be negative"));
  }
  auto coverage = store_->Coverage(*prefix, *as_of, request->villages_known());
  if (!coverage.ok()) return Fail(coverage);
  *response = *std::move(coverage);
  return grpc::Status::OK;
}

}  // namespace civil::assistance

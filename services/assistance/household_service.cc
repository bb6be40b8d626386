#include "services/assistance/household_service.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/common/adapter.h"
#include "services/common/caller.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"

namespace civil::assistance {

constexpr absl::string_view kService = "civil.assistance.v1.HouseholdService";

namespace {

void ToProto(const HouseholdRecord& record, v1::Household* out) {
  out->set_household_id(record.household_id);
  out->set_region_code(record.region_code);
  out->set_area(static_cast<civil::common::v1::Area>(static_cast<int>(record.area)));
  out->set_version(record.version);
  *out->mutable_create_time() = TimestampOf(record.create_time_micros);
  *out->mutable_update_time() = TimestampOf(record.update_time_micros);
  for (const MemberRecord& m : record.members) {
    v1::Member* member = out->add_members();
    member->set_member_id(m.member_id);
    member->set_name(m.name);
    member->set_id_number_masked(m.id_masked);
    member->set_relation(static_cast<v1::Relation>(static_cast<int>(m.relation)));
    member->set_birth_date(m.birth_date);
    member->set_sex(m.sex);
  }
}

std::vector<MemberInput> FromProto(
    const google::protobuf::RepeatedPtrField<v1::MemberInput>& members) {
  std::vector<MemberInput> inputs;
  inputs.reserve(members.size());
  for (const v1::MemberInput& m : members) {
    inputs.push_back(MemberInput{m.name(), m.id_number(), static_cast<int>(m.relation())});
  }
  return inputs;
}

}  // namespace

HouseholdServiceImpl::HouseholdServiceImpl(HouseholdStore* store, ReadThroughCache* cache,
                                           IdViewLog* id_views, Clock clock)
    : store_(store), cache_(cache), id_views_(id_views), clock_(std::move(clock)) {}

grpc::Status HouseholdServiceImpl::CreateHousehold(grpc::ServerContext* context,
                                                   const v1::CreateHouseholdRequest* request,
                                                   v1::CreateHouseholdResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateHousehold"));
    CIVIL_ASSIGN_OR_RETURN(HouseholdDraft draft,
                           ValidateHousehold(request->region_code(), request->area(),
                                             FromProto(request->members()), clock_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(HouseholdRecord created, store_->Create(draft, caller.subject));
    ToProto(created, response->mutable_household());
    return absl::OkStatus();
  });
}

grpc::Status HouseholdServiceImpl::GetHousehold(grpc::ServerContext* context,
                                                const v1::GetHouseholdRequest* request,
                                                v1::GetHouseholdResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetHousehold"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_ASSIGN_OR_RETURN(
        bool full, RevealFullIds(caller, "assistance", "reveal_reason", request->reveal_reason()));
    absl::StatusOr<std::string> bytes =
        cache_->Get(request->household_id(), [&]() -> absl::StatusOr<std::string> {
          CIVIL_ASSIGN_OR_RETURN(HouseholdRecord record, store_->Get(request->household_id()));
          v1::Household household;
          ToProto(record, &household);
          return household.SerializeAsString();
        });
    if (!bytes.ok()) return bytes.status();
    if (!response->mutable_household()->ParseFromString(*bytes)) {
      return absl::InternalError("cached household unreadable");
    }
    // Outside the caller's region a household reads as absent (its existence is not disclosed).
    if (!caller.CanActOn(response->household().region_code())) {
      response->Clear();
      return absl::NotFoundError("household_id: no such household");
    }
    if (full) {
      // Never from the cache: the clear numbers are read, recorded as seen, then answered.
      CIVIL_ASSIGN_OR_RETURN(std::vector<HouseholdStore::RevealedMember> revealed,
                             store_->RevealMembers(request->household_id()));
      std::vector<SeenPerson> seen;
      for (const HouseholdStore::RevealedMember& r : revealed) {
        for (const v1::Member& m : response->household().members()) {
          if (m.member_id() != r.member_id) continue;
          seen.push_back(SeenPerson{"household", request->household_id(), r.id_index,
                                    m.id_number_masked(), response->household().region_code()});
        }
      }
      CIVIL_RETURN_IF_ERROR(id_views_->RecordOrClear(caller, "GetHousehold",
                                                     request->reveal_reason(), seen, response));
      for (v1::Member& m : *response->mutable_household()->mutable_members()) {
        for (const HouseholdStore::RevealedMember& r : revealed) {
          if (m.member_id() == r.member_id) m.set_id_number(r.id_number);
        }
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status HouseholdServiceImpl::ListHouseholds(grpc::ServerContext* context,
                                                  const v1::ListHouseholdsRequest* request,
                                                  v1::ListHouseholdsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListHouseholds"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("households", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(HouseholdPage page, store_->List(prefix, after, page_size));
    for (const HouseholdRecord& h : page.households) ToProto(h, response->add_households());
    if (page.next_after > 0)
      response->set_next_page_token(EncodePageToken("households", page.next_after));
    return absl::OkStatus();
  });
}

grpc::Status HouseholdServiceImpl::UpdateHouseholdMembers(
    grpc::ServerContext* context, const v1::UpdateHouseholdMembersRequest* request,
    v1::UpdateHouseholdMembersResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "UpdateHouseholdMembers"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_ASSIGN_OR_RETURN(std::vector<MemberDraft> members,
                           ValidateMembers(FromProto(request->members()), clock_()));
    CIVIL_ASSIGN_OR_RETURN(HouseholdRecord current, store_->Get(request->household_id()));
    if (!caller.CanActOn(current.region_code)) {
      return CheckRegion(caller, "household_id", current.region_code);
    }
    absl::StatusOr<HouseholdRecord> updated =
        store_->ReplaceMembers(request->household_id(), members, caller.subject);
    cache_->Invalidate(request->household_id());
    if (!updated.ok()) return updated.status();
    ToProto(*updated, response->mutable_household());
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance

#include "services/common/id_view_service.h"

#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil {
namespace {

constexpr char kService[] = "civil.audit.v1.IdViewAuditService";
constexpr char kViewsList[] = "id_views";
constexpr int kDefaultViews = 100;
constexpr int kMaxViews = 1000;

}  // namespace

grpc::Status IdViewAuditServiceImpl::ListIdViews(
    grpc::ServerContext* context, const civil::audit::v1::ListIdViewsRequest* request,
    civil::audit::v1::ListIdViewsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListIdViews"));
    if (request->department() != department_) {
      return absl::NotFoundError(absl::StrCat("department: this is ", department_, "'s trail, not ",
                                              request->department(), "'s"));
    }
    IdViewFilter filter;
    if (!request->person_id_number().empty()) {
      absl::StatusOr<IdNumber> id = IdNumber::Parse(request->person_id_number(), clock_());
      if (!id.ok()) return AnnotateField("person_id_number", id.status());
      filter.person_index = pii_->BlindIndex(id->value());
    }
    CIVIL_ASSIGN_OR_RETURN(filter.actor, BoundedText("actor", request->actor(), 200, false));
    CIVIL_ASSIGN_OR_RETURN(filter.from, OptionalDate("from_date", request->from_date()));
    CIVIL_ASSIGN_OR_RETURN(filter.to, OptionalDate("to_date", request->to_date()));
    if (filter.from && filter.to && *filter.to < *filter.from) {
      return InvalidField("to_date", "must not be before from_date");
    }
    CIVIL_ASSIGN_OR_RETURN(filter.region_prefix, ScopedPrefix(caller, request->region_prefix()));
    if (request->page_size() < 0) return InvalidField("page_size", "must not be negative");
    filter.limit =
        request->page_size() == 0 ? kDefaultViews : std::min(request->page_size(), kMaxViews);
    CIVIL_ASSIGN_OR_RETURN(filter.before_view_id,
                           DecodePageToken(kViewsList, request->page_token()));
    // One more than the page, to know whether another follows.
    ++filter.limit;
    CIVIL_ASSIGN_OR_RETURN(std::vector<StoredIdView> views, log_->List(filter));
    const bool more = static_cast<int>(views.size()) == filter.limit;
    if (more) views.pop_back();
    for (const StoredIdView& v : views) {
      auto* out = response->add_views();
      out->set_view_id(v.view_id);
      *out->mutable_viewed_at() = TimestampOf(v.viewed_at_micros);
      out->set_actor(v.actor);
      for (const std::string& role : v.actor_roles) out->add_actor_roles(role);
      out->set_method(v.method);
      out->set_record_kind(v.person.record_kind);
      out->set_record_id(v.person.record_id);
      out->set_person_index(v.person.person_index);
      out->set_person_masked(v.person.person_masked);
      out->set_region_code(v.person.region_code);
      out->set_reason(v.reason);
    }
    if (more && !views.empty()) {
      response->set_next_page_token(EncodePageToken(kViewsList, views.back().view_id));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil

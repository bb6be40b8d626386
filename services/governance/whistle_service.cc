#include "services/governance/whistle_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.WhistleService";

void ToProto(const WhistleRecord& w, v1::WhistleItem* out) {
  out->set_item_id(w.item_id);
  out->set_village_code(w.village_code);
  out->set_matter(w.matter);
  out->set_department(w.department);
  out->set_whistle_date(FormatDay(w.whistled_on));
  out->set_due_date(FormatDay(w.due_on));
  out->set_whistled_by(w.whistled_by);
  if (w.answered_on) out->set_answered_date(FormatDay(*w.answered_on));
  out->set_answered_department(w.answered_department);
  out->set_answer(w.answer);
  out->set_answered_by(w.answered_by);
}

}  // namespace

WhistleServiceImpl::WhistleServiceImpl(WhistleStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status WhistleServiceImpl::BlowWhistle(grpc::ServerContext* context,
                                             const v1::BlowWhistleRequest* request,
                                             v1::BlowWhistleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "BlowWhistle"));
    CIVIL_ASSIGN_OR_RETURN(
        const WhistleDraft draft,
        ValidateWhistle(request->village_code(), request->matter(), request->department(),
                        request->whistle_date(), request->answer_days(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const WhistleRecord item, store_->Blow(draft, caller.subject));
    ToProto(item, response->mutable_item());
    return absl::OkStatus();
  });
}

grpc::Status WhistleServiceImpl::AnswerWhistle(grpc::ServerContext* context,
                                               const v1::AnswerWhistleRequest* request,
                                               v1::AnswerWhistleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "AnswerWhistle"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("item_id", request->item_id()));
    CIVIL_ASSIGN_OR_RETURN(const AnswerDraft answer,
                           ValidateAnswer(request->department(), request->answer(),
                                          request->answered_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const WhistleRecord item,
        store_->Answer(request->item_id(), answer, caller.subject, RegionCheck(caller)));
    ToProto(item, response->mutable_item());
    response->set_late(answer.answered_on > item.due_on);
    return absl::OkStatus();
  });
}

grpc::Status WhistleServiceImpl::ListOverdueWhistles(grpc::ServerContext* context,
                                                     const v1::ListOverdueWhistlesRequest* request,
                                                     v1::ListOverdueWhistlesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOverdueWhistles"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day,
                           OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<WhistleRecord> items,
                           store_->Overdue(prefix, day ? *day : today_(), size));
    for (const WhistleRecord& w : items) ToProto(w, response->add_items());
    return absl::OkStatus();
  });
}

}  // namespace civil::governance

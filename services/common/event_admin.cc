#include "services/common/event_admin.h"

#include "services/common/caller.h"
#include "services/common/paging.h"
#include "services/common/status.h"

namespace civil {

grpc::Status EventAdminServiceImpl::ListDeadLetters(
    grpc::ServerContext* context, const civil::events::v1::ListDeadLettersRequest* request,
    civil::events::v1::ListDeadLettersResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(*context, "civil.events.v1.EventAdminService.ListDeadLetters");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return ToGrpcStatus(size.status());
  auto letters = consumer_->ListDeadLetters(request->page_token(), *size + 1);
  if (!letters.ok()) return ToGrpcStatus(letters.status());
  for (size_t i = 0; i < letters->size() && static_cast<int>(i) < *size; ++i) {
    const auto& d = (*letters)[i];
    auto* out = response->add_dead_letters();
    out->set_id(d.id);
    out->set_event_id(d.envelope.event_id());
    out->set_type(d.envelope.type());
    out->set_source(d.envelope.source());
    out->set_error(d.error);
    out->set_subject_masked(d.envelope.subject_masked());
    *out->mutable_occurred_at() = d.envelope.occurred_at();
  }
  if (static_cast<int>(letters->size()) > *size) {
    response->set_next_page_token((*letters)[*size - 1].id);
  }
  return grpc::Status::OK;
}

grpc::Status EventAdminServiceImpl::ReplayDeadLetter(
    grpc::ServerContext* context, const civil::events::v1::ReplayDeadLetterRequest* request,
    civil::events::v1::ReplayDeadLetterResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(*context, "civil.events.v1.EventAdminService.ReplayDeadLetter");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->id().empty()) return ToGrpcStatus(InvalidField("id", "is required"));
  absl::Status applied;
  if (absl::Status s = consumer_->ReplayDeadLetter(request->id(), &applied); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_applied(applied.ok());
  if (!applied.ok()) response->set_error(std::string(applied.message()));
  return grpc::Status::OK;
}

}  // namespace civil

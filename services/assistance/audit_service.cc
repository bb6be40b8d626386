#include "services/assistance/audit_service.h"

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

grpc::Status AuditServiceImpl::RunAudit(grpc::ServerContext* context,
                                        const v1::RunAuditRequest* request,
                                        v1::RunAuditResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::AuditService::service_full_name(), "RunAudit");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  auto run = store_->Run(ActorOf(*caller), *prefix, *as_of);
  if (!run.ok()) return Fail(run);
  *response = *std::move(run);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListFindings(grpc::ServerContext* context,
                                            const v1::ListFindingsRequest* request,
                                            v1::ListFindingsResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::AuditService::service_full_name(), "ListFindings");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  std::string status_name, kind_name;
  if (request->status() != 0) {
    if (request->status() < 1 || request->status() > 3) {
      return Fail(InvalidField("status", "unknown status"));
    }
    status_name = std::string(FindingStatusName(static_cast<FindingStatus>(request->status())));
  }
  if (request->kind() != 0) {
    if (request->kind() < 1 || request->kind() > 6) {
      return Fail(InvalidField("kind", "unknown finding kind"));
    }
    kind_name = std::string(FindingKindName(static_cast<FindingKind>(request->kind())));
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("findings", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->List(*prefix, status_name, kind_name, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_findings() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("findings", list->next_after));
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ConfirmFinding(grpc::ServerContext* context,
                                              const v1::ConfirmFindingRequest* request,
                                              v1::ConfirmFindingResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::AuditService::service_full_name(), "ConfirmFinding");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("finding_id", request->finding_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto finding = store_->Decide(ActorOf(*caller), request->finding_id(), FindingStatus::kConfirmed,
                                request->note(), *on);
  if (!finding.ok()) return Fail(finding);
  *response->mutable_finding() = *std::move(finding);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::DismissFinding(grpc::ServerContext* context,
                                              const v1::DismissFindingRequest* request,
                                              v1::DismissFindingResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::AuditService::service_full_name(), "DismissFinding");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("finding_id", request->finding_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequiredText("reason", request->reason(), kMaxNote,
                                    "a dismissal needs a written reason", TextLines::kMany)
                           .status();
      !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto finding = store_->Decide(ActorOf(*caller), request->finding_id(), FindingStatus::kDismissed,
                                request->reason(), *on);
  if (!finding.ok()) return Fail(finding);
  *response->mutable_finding() = *std::move(finding);
  return grpc::Status::OK;
}

}  // namespace civil::assistance

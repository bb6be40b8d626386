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

constexpr absl::string_view kService = "civil.assistance.v1.AuditService";

grpc::Status AuditServiceImpl::RunAudit(grpc::ServerContext* context,
                                        const v1::RunAuditRequest* request,
                                        v1::RunAuditResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RunAudit"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay as_of, EventDate("as_of", request->as_of(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto run, store_->Run(ActorOf(caller), prefix, as_of));
    *response = std::move(run);
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::ListFindings(grpc::ServerContext* context,
                                            const v1::ListFindingsRequest* request,
                                            v1::ListFindingsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListFindings"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    std::string status_name, kind_name;
    if (request->status() != 0) {
      if (request->status() < 1 || request->status() > 3) {
        return InvalidField("status", "unknown status");
      }
      status_name = std::string(FindingStatusName(static_cast<FindingStatus>(request->status())));
    }
    if (request->kind() != 0) {
      if (request->kind() < 1 || request->kind() > 6) {
        return InvalidField("kind", "unknown finding kind");
      }
      kind_name = std::string(FindingKindName(static_cast<FindingKind>(request->kind())));
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("findings", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->List(prefix, status_name, kind_name, after, size));
    for (auto& item : list.items) *response->add_findings() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("findings", list.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::ConfirmFinding(grpc::ServerContext* context,
                                              const v1::ConfirmFindingRequest* request,
                                              v1::ConfirmFindingResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ConfirmFinding"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("finding_id", request->finding_id()));
    CIVIL_RETURN_IF_ERROR(
        BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("decided_on", request->decided_on(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto finding,
                           store_->Decide(ActorOf(caller), request->finding_id(),
                                          FindingStatus::kConfirmed, request->note(), on));
    *response->mutable_finding() = std::move(finding);
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::DismissFinding(grpc::ServerContext* context,
                                              const v1::DismissFindingRequest* request,
                                              v1::DismissFindingResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "DismissFinding"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("finding_id", request->finding_id()));
    CIVIL_RETURN_IF_ERROR(RequiredText("reason", request->reason(), kMaxNote,
                                       "a dismissal needs a written reason", TextLines::kMany)
                              .status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("decided_on", request->decided_on(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto finding,
                           store_->Decide(ActorOf(caller), request->finding_id(),
                                          FindingStatus::kDismissed, request->reason(), on));
    *response->mutable_finding() = std::move(finding);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance

#include "services/assistance/bank_file_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/id_views.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

constexpr absl::string_view kService = "civil.assistance.v1.BankFileService";

grpc::Status BankFileServiceImpl::ExportBankFile(grpc::ServerContext* context,
                                                 const v1::ExportBankFileRequest* request,
                                                 v1::ExportBankFileResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ExportBankFile"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("batch_id", request->batch_id()));
    if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
      return InvalidField("region_prefix", s.message());
    }
    CIVIL_ASSIGN_OR_RETURN(
        bool full, RevealFullIds(caller, "assistance", "reveal_reason", request->reveal_reason()));
    const FullView view{&caller, "ExportBankFile", request->reveal_reason()};
    CIVIL_ASSIGN_OR_RETURN(
        auto file, store_->Export(ActorOf(caller), full ? &view : nullptr, request->batch_id(),
                                  request->region_prefix()));
    *response = std::move(file);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance

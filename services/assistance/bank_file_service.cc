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

grpc::Status BankFileServiceImpl::ExportBankFile(grpc::ServerContext* context,
                                                 const v1::ExportBankFileRequest* request,
                                                 v1::ExportBankFileResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::BankFileService::service_full_name(), "ExportBankFile");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) return Fail(s);
  if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
    return Fail(InvalidField("region_prefix", s.message()));
  }
  absl::StatusOr<bool> full =
      RevealFullIds(*caller, "assistance", "reveal_reason", request->reveal_reason());
  if (!full.ok()) return Fail(full);
  const FullView view{&*caller, "ExportBankFile", request->reveal_reason()};
  auto file = store_->Export(ActorOf(*caller), *full ? &view : nullptr, request->batch_id(),
                             request->region_prefix());
  if (!file.ok()) return Fail(file);
  *response = *std::move(file);
  return grpc::Status::OK;
}

}  // namespace civil::assistance

#include "services/eldercare/bank_file_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_views.h"
#include "services/common/values.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.BankFileService";

// The export of one run for the caller of `method`, into a response of either RPC (the same
// fields).
template <typename Request, typename Response>
absl::Status ExportFor(BankFileStore* store, const grpc::ServerContext& context,
                       absl::string_view method, PaidAllowance allowance, const Request& request,
                       Response* response) {
  CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(context, kService, method));
  CIVIL_RETURN_IF_ERROR(RequireUuid("run_id", request.run_id()));
  if (!request.region_prefix().empty()) {
    CIVIL_RETURN_IF_ERROR(NonEmptyPrefix("region_prefix", request.region_prefix()).status());
  }
  CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "eldercare", "reveal_reason",
                                                        request.reveal_reason()));
  const FullView view{&caller, std::string(method), request.reveal_reason()};
  CIVIL_ASSIGN_OR_RETURN(
      ExportedBankFile file,
      store->Export(allowance, request.run_id(), request.region_prefix(), caller.subject,
                    full ? &view : nullptr, [&](const std::string& prefix) {
                      return CheckRegion(caller, "region_prefix", prefix);
                    }));
  response->set_run_id(file.id);
  SetBankFileResponse(std::move(file), response);
  return absl::OkStatus();
}

}  // namespace

grpc::Status BankFileServiceImpl::ExportAllowanceBankFile(
    grpc::ServerContext* context, const v1::ExportAllowanceBankFileRequest* request,
    v1::ExportAllowanceBankFileResponse* response) {
  return Serve([&]() -> absl::Status {
    return ExportFor(store_, *context, "ExportAllowanceBankFile", PaidAllowance::kOldAge, *request,
                     response);
  });
}

grpc::Status BankFileServiceImpl::ExportHomeCareBankFile(
    grpc::ServerContext* context, const v1::ExportHomeCareBankFileRequest* request,
    v1::ExportHomeCareBankFileResponse* response) {
  return Serve([&]() -> absl::Status {
    return ExportFor(store_, *context, "ExportHomeCareBankFile", PaidAllowance::kHomeCare, *request,
                     response);
  });
}

}  // namespace civil::eldercare

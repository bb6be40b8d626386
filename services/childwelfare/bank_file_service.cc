#include "services/childwelfare/bank_file_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.ChildBankFileService";

}  // namespace

ChildBankFileServiceImpl::ChildBankFileServiceImpl(ChildBankFileStore* store) : store_(store) {}

grpc::Status ChildBankFileServiceImpl::ExportBankFile(grpc::ServerContext* context,
                                                      const v1::ExportBankFileRequest* request,
                                                      v1::ExportBankFileResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ExportBankFile"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("run_id", request->run_id()));
    std::string prefix;
    if (!request->region_prefix().empty()) {
      CIVIL_ASSIGN_OR_RETURN(prefix, ScopedPrefix(caller, request->region_prefix()));
    }
    CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "childwelfare", "reveal_reason",
                                                          request->reveal_reason()));
    const FullView view{&caller, "ExportBankFile", request->reveal_reason()};
    CIVIL_ASSIGN_OR_RETURN(ExportedBankFile file,
                           store_->Export(caller.subject, full ? &view : nullptr, request->run_id(),
                                          prefix, RegionCheck(caller)));
    response->set_run_id(file.id);
    SetBankFileResponse(std::move(file), response);
    return absl::OkStatus();
  });
}

}  // namespace civil::childwelfare

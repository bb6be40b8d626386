// gRPC adapter of civil.childwelfare.v1.ChildBankFileService: authorisation, region scope, the
// full-ID decision (the kit's RevealFullIds) and status mapping. No SQL here.
#pragma once

#include "civil/childwelfare/v1/bank_file.grpc.pb.h"
#include "services/childwelfare/bank_file_store.h"
#include "services/common/adapter.h"

namespace civil::childwelfare {

class ChildBankFileServiceImpl final : public v1::ChildBankFileService::Service {
 public:
  // `store` is not owned.
  explicit ChildBankFileServiceImpl(ChildBankFileStore* store);

  grpc::Status ExportBankFile(grpc::ServerContext* context,
                              const v1::ExportBankFileRequest* request,
                              v1::ExportBankFileResponse* response) override;

 private:
  ChildBankFileStore* store_;
};

}  // namespace civil::childwelfare

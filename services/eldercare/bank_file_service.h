// gRPC adapter of civil.eldercare.v1.BankFileService: the bank files of the 高龄津贴 and
// 居家养老服务补贴 runs. Authorises the caller, validates the request naming the field, decides
// whether ID numbers are shown in full (RevealFullIds), calls the store and maps the status once.
#pragma once

#include "civil/eldercare/v1/bank_file.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/eldercare/bank_file_store.h"

namespace civil::eldercare {

class BankFileServiceImpl final : public v1::BankFileService::Service {
 public:
  // `store` is not owned.
  explicit BankFileServiceImpl(BankFileStore* store) : store_(store) {}

  grpc::Status ExportAllowanceBankFile(grpc::ServerContext* context,
                                       const v1::ExportAllowanceBankFileRequest* request,
                                       v1::ExportAllowanceBankFileResponse* response) override;
  grpc::Status ExportHomeCareBankFile(grpc::ServerContext* context,
                                      const v1::ExportHomeCareBankFileRequest* request,
                                      v1::ExportHomeCareBankFileResponse* response) override;

 private:
  BankFileStore* store_;
};

}  // namespace civil::eldercare

// gRPC adapter of the bank file (BankFileService): authorises the caller against the contract's
// access rule, validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/bank_file_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class BankFileServiceImpl final : public v1::BankFileService::Service {
 public:
  explicit BankFileServiceImpl(BankFileStore* store) : store_(store) {}
  grpc::Status ExportBankFile(grpc::ServerContext* context,
                              const v1::ExportBankFileRequest* request,
                              v1::ExportBankFileResponse* response) override;

 private:
  BankFileStore* store_;
};

}  // namespace civil::assistance

// gRPC adapter of civil.report.v1.WorkSummaryService: validates the request, scopes the region
// to the caller, asks the departments (summary_sources.h, outside any transaction), counts the
// targets' progress from their figures, and returns the figures and, for md/html, the document.
// No SQL here.
#pragma once

#include <string>

#include "civil/report/v1/report.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/report/summary_sources.h"
#include "services/report/target_store.h"

namespace civil::report {

class WorkSummaryServiceImpl final : public v1::WorkSummaryService::Service {
 public:
  // `sources` and `targets` are not owned.
  WorkSummaryServiceImpl(SummarySources* sources, TargetStore* targets, std::string bureau,
                         Clock today);

  grpc::Status GetWorkSummary(grpc::ServerContext* context,
                              const v1::GetWorkSummaryRequest* request,
                              v1::GetWorkSummaryResponse* response) override;

 private:
  SummarySources* sources_;
  TargetStore* targets_;
  std::string bureau_;
  Clock today_;
};

// The proto of a target (shared by the two adapters).
void ToProto(const Target& t, v1::Target* out);

}  // namespace civil::report

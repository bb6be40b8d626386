// gRPC adapter of SummaryService: the figures of a period and region, and the work summary's
// sentences for them.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "services/assistance/relief_figures_store.h"
#include "services/assistance/summary_store.h"
#include "services/common/grievance_store.h"

namespace civil::assistance {

class SummaryServiceImpl final : public v1::SummaryService::Service {
 public:
  // `relief` may be null (programme figures only); `grievances` too (no grievance figures).
  SummaryServiceImpl(SummaryStore* store, ReliefFiguresStore* relief,
                     GrievanceStore* grievances = nullptr)
      : store_(store), relief_(relief), grievances_(grievances) {}
  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  SummaryStore* store_;
  ReliefFiguresStore* relief_;
  GrievanceStore* grievances_;
};

// Interleaves the programme lines and the relief lines in the seed report's order: 低保, 特困 and
// subsidies; 临时救助 and 互助社; exits; the special-rectification result; monitored households;
// then outreach and health checks.
std::vector<std::string> MergeSummaryLines(const std::vector<std::string>& programme_lines,
                                           const std::vector<std::string>& relief_lines);

// The report's sentences for the figures, in the seed report's wording, e.g.
// "农村低保对象9847户15044人,发放资金3808万元".
std::vector<std::string> SummaryLines(const std::vector<v1::ProgrammeFigures>& figures);

}  // namespace civil::assistance
